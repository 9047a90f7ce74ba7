import { inArray, or } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { agencies } from '../db/schema.js';

export type AgencySummary = { id: string; code: string; name: string };

/** An id as the database writes it (other strings are codes, or name nothing). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Agencies are referred to by id or by code; returns the ones found, keyed by the reference given. */
export async function resolveAgencyRefs(db: Database, refs: string[]): Promise<Map<string, AgencySummary>> {
  const ids = refs.filter((r) => UUID.test(r)).map((r) => r.toLowerCase());
  const codes = refs.filter((r) => !UUID.test(r));
  if (ids.length === 0 && codes.length === 0) return new Map();
  const rows = await db
    .select({ id: agencies.id, code: agencies.code, name: agencies.name })
    .from(agencies)
    .where(
      or(
        ids.length ? inArray(agencies.id, ids) : undefined,
        codes.length ? inArray(agencies.code, codes) : undefined,
      ),
    );
  const found = new Map<string, AgencySummary>();
  for (const ref of refs) {
    const row = rows.find((r) => r.id === ref.toLowerCase() || r.code === ref);
    if (row) found.set(ref, row);
  }
  return found;
}

export async function agenciesById(db: Database, ids: string[]): Promise<Map<string, AgencySummary>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: agencies.id, code: agencies.code, name: agencies.name })
    .from(agencies)
    .where(inArray(agencies.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}
