import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { agencies } from '../db/schema.js';

/**
 * Whether `supervisorAgencyId` supervises `agencyId`, directly or up the chain (the whole subtree):
 * each agency's supervising agency, else its organisational parent.
 */
export async function supervises(db: Database, supervisorAgencyId: string, agencyId: string): Promise<boolean> {
  let current: string | null = agencyId;
  for (let hops = 0; current && hops < 32; hops++) {
    const [row] = await db
      .select({ supervisorId: agencies.supervisorId, parentId: agencies.parentId })
      .from(agencies)
      .where(eq(agencies.id, current));
    if (!row) return false;
    const up: string | null = row.supervisorId ?? row.parentId;
    if (up === supervisorAgencyId) return true;
    current = up;
  }
  return false;
}
