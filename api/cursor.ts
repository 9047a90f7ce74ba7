import { z } from '@hono/zod-openapi';
import { and, eq, lt, or, type Column, type SQL } from 'drizzle-orm';
import { ApiProblem } from './problem.js';

/**
 * A page boundary in a newest-first list: the last row's instant and id. Rows written in one statement
 * share an instant, so the id breaks the tie and no row falls between two pages.
 */
export const Cursor = z.object({ t: z.iso.datetime(), id: z.uuid() });
export const encodeCursor = (c: z.infer<typeof Cursor>) => Buffer.from(JSON.stringify(c)).toString('base64url');
export function decodeCursor(raw: string): z.infer<typeof Cursor> {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new ApiProblem(400, {
      slug: 'validation',
      detail: 'The cursor is not one this API issued.',
      errors: [{ location: 'query', pointer: '/cursor', message: 'Invalid cursor' }],
    });
  }
}

/** Rows after the cursor's boundary in (instant, id) descending order. */
export function afterCursor(raw: string, instant: Column, id: Column): SQL | undefined {
  const cur = decodeCursor(raw);
  const t = new Date(cur.t);
  return or(lt(instant, t), and(eq(instant, t), lt(id, cur.id)));
}
