import { sql, type Column, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { FailureType, ServiceFailure } from '../domain/failures.js';

/**
 * A page boundary in a newest-first list: the last row's instant and id. Rows written in one statement
 * share an instant, so the id breaks the tie and no row falls between two pages.
 */
const Cursor = z.object({ t: z.iso.datetime(), id: z.uuid() });
type Cursor = z.infer<typeof Cursor>;

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: string): Cursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new ServiceFailure(FailureType.Malformed, 'The cursor is not one this API issued.', 'validation', [
      { location: 'query', pointer: '/cursor', message: 'Invalid cursor' },
    ]);
  }
}

/**
 * Rows after the cursor's boundary in (instant, id) descending order. A row comparison, not `instant < t or
 * (instant = t and id < id')`: an index on (instant, id) starts the page at the boundary instead of reading
 * and discarding every row before it.
 */
export function afterCursor(raw: string, instant: Column, id: Column): SQL | undefined {
  const cur = decodeCursor(raw);
  return sql`(${instant}, ${id}) < (${new Date(cur.t).toISOString()}::timestamptz, ${cur.id}::uuid)`;
}

/** The cursor of the next page, when there is one: `rows` was fetched with one row more than the page holds. */
export function nextCursorOf<R>(rows: R[], limit: number, boundary: (row: R) => Cursor): string | null {
  const last = rows[limit - 1];
  return rows.length > limit && last ? encodeCursor(boundary(last)) : null;
}
