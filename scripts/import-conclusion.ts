/**
 * `npm run import-conclusion -- <file> [--held-on YYYY-MM-DD] [--directory agencies.json] [--json]`: the same
 * drafts as `POST /v1/conferences/import`, from a file, offline, matched against the demo directory
 * (scripts/demo/directory.ts) or a JSON array of `{ code, name, shortName?, aliases? }`. Nothing is issued.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, runMain } from '../config.js';
import { ConclusionInputError, type DirectoryAgency, parseConclusion } from '../domain/conclusion/parse.js';
import { DEMO_AGENCIES } from './demo/directory.js';

const USAGE = 'Usage: npm run import-conclusion -- <file> [--held-on YYYY-MM-DD] [--directory agencies.json] [--json]';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'held-on': { type: 'string' }, directory: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file) throw new ConfigError(USAGE);
  if (!fs.existsSync(file)) throw new ConfigError(`No such file: ${file}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
  } catch {
    throw new ConfigError(`${file} is not UTF-8 text.`);
  }
  const directory = values.directory ? readDirectory(values.directory) : DEMO_AGENCIES.map((a) => ({ id: a.code, code: a.code, name: a.name, shortName: a.shortName ?? null }));
  let result;
  try {
    result = parseConclusion(text, { directory, ...(values['held-on'] ? { referenceDate: values['held-on'] } : {}) });
  } catch (err) {
    if (err instanceof ConclusionInputError) throw new ConfigError(`${file}: ${err.message}`);
    throw err;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (values.json) {
    const { text: _text, ...rest } = result;
    out(JSON.stringify(rest, null, 2));
    return;
  }
  out(`Stated count: ${result.statedCount ?? 'none'}; drafts: ${result.drafts.length}`);
  if (result.leadIn) out(`Lead-in: ${result.leadIn.text}`);
  for (const w of result.warnings) out(`Warning (${w.code}): ${w.message}`);
  out('Passages:');
  for (const p of result.passages) out(`   ${p.kind === 'tasks' ? 'read as tasks' : p.kind === 'assessment' ? 'skipped as assessment' : 'closing, skipped'} (${p.span.start}–${p.span.end}): ${p.excerpt}`);
  for (const m of result.unmatchedMentions) out(`Not in the directory: "${m.text}" (map it once as an alias of its agency)`);
  for (const d of result.drafts) {
    out('');
    out(`${d.marker || `#${d.index}`} ${d.title}`);
    out(`   confidence ${d.confidence.toFixed(2)}; characters ${d.span.start}–${d.span.end}; passage ${d.passage}`);
    if (d.addressee) out(`   addressed to: ${d.addressee.text}${d.addressee.matched ? '' : ' (not in the directory)'}`);
    if (d.leadAgency) out(`   suggested lead: ${d.leadAgency.code}`);
    for (const r of d.references) out(`   reference: ${r.kindLabel} ${r.ref}${r.date ? ` (${r.date})` : ''}${r.issuer ? ` of ${r.issuer}` : ''}`);
    for (const a of d.agencies) out(`   agency: ${a.name} (${a.code}) as "${a.matched}", ${a.role}`);
    if (d.deadline) out(`   deadline hint: "${d.deadline.text}" → ${d.deadline.dueDate ?? 'no date'}${d.deadlineFrom === 'passage' ? ' (the time frame of its passage)' : ''}`);
    if (d.regime) out(`   reporting: ${d.regime}`);
  }
}

function readDirectory(file: string): DirectoryAgency[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: not a readable JSON file (${(err as Error).message}).`);
  }
  if (!Array.isArray(raw) || !raw.every((a) => typeof a?.code === 'string' && typeof a?.name === 'string')) {
    throw new ConfigError(`${file}: expected a JSON array of { code, name, shortName?, aliases? }.`);
  }
  return raw.map((a: { code: string; name: string; shortName?: string | null; aliases?: string[] }) => ({
    id: a.code,
    code: a.code,
    name: a.name,
    shortName: a.shortName ?? null,
    ...(Array.isArray(a.aliases) ? { aliases: a.aliases } : {}),
  }));
}

runMain(main);
