import { eq } from 'drizzle-orm';
import { agencies } from '../db/schema.js';
import { ConclusionInputError, type DirectoryAgency, type ParseResult } from '../domain/conclusion/parse.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { PeriodicRegime } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import { conclusionParserPool } from './conclusion-parser.js';
import type { Principal, ServiceDeps } from './context.js';

/**
 * The drafts of a conclusion, each with the entry of a conference's `directives` it suggests once the leader has
 * reviewed it; `text` is the NFC form of the input that every span points into.
 */
export type ImportedConclusion = Omit<ParseResult, 'drafts'> & {
  drafts: Array<
    ParseResult['drafts'][number] & {
      suggested: {
        title: string;
        body: string;
        leadAgency: string | null;
        coordinatingAgencies: string[];
        dueDate: string | null;
        regime: { kind: PeriodicRegime } | null;
      };
    }
  >;
};

const FAILURE_FOR: Record<ConclusionInputError['code'], { type: FailureType; code: string }> = {
  empty: { type: FailureType.Invalid, code: 'empty-conclusion' },
  too_large: { type: FailureType.TooLarge, code: 'conclusion-too-large' },
  binary: { type: FailureType.Invalid, code: 'conclusion-not-text' },
};

/** A conference's conclusion into draft directives, against the live directory; nothing is issued. */
export function conclusionService({ db, conclusionParser }: ServiceDeps) {
  const parser = conclusionParser ?? conclusionParserPool();
  const directory = (): Promise<DirectoryAgency[]> =>
    db
      .select({ id: agencies.id, code: agencies.code, name: agencies.name, shortName: agencies.shortName, aliases: agencies.aliases })
      .from(agencies)
      .where(eq(agencies.active, true));

  return {
    async importText(principal: Principal, text: string, heldOn?: string): Promise<ImportedConclusion> {
      requirePermission(principal, 'importConclusions');
      let result: ParseResult;
      try {
        result = await parser.parse(text, { directory: await directory(), ...(heldOn ? { referenceDate: heldOn } : {}) });
      } catch (err) {
        if (err instanceof ConclusionInputError) {
          const { type, code } = FAILURE_FOR[err.code];
          throw new ServiceFailure(type, err.message, code, [{ location: 'body', pointer: '/text', message: err.message }]);
        }
        throw err;
      }
      return {
        ...result,
        drafts: result.drafts.map((d) => ({
          ...d,
          suggested: {
            title: d.title,
            body: d.body,
            leadAgency: d.leadAgency?.code ?? null,
            coordinatingAgencies: d.coordinatingAgencies.map((a) => a.code),
            dueDate: d.deadline?.dueDate ?? null,
            regime: d.regime ? { kind: d.regime } : null,
          },
        })),
      };
    },
  };
}
