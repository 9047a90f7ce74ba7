/** Escalation targets, resolved from the directory when a rung fires (engine/ladder.ts holds the rule). */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { agencies, users } from '../db/schema.js';
import { DIRECTIVE_RUNG_TARGETS } from '../domain/deadlines.js';
import type { EscalationTarget } from '../domain/directive.js';
import { MAX_SUPERVISION_DEPTH } from '../domain/directory.js';
import { resolveRung } from '../engine/ladder.js';
import type { RungTarget } from '../engine/types.js';

export function directoryActivities({ db }: { db: Database }) {
  return {
    /**
     * Targets are resolved when the rung fires, from the directory as it is then, so a reorganisation
     * (a merged agency, a new supervisor) is respected. A rung names its target, or (a directive's rung, as
     * every recorded history asks) its level on the directive's ladder.
     */
    async resolveEscalationTarget(input: { agencyId: string; level: number; issuedBy: string | null; target?: RungTarget }): Promise<EscalationTarget> {
      const target = input.target ?? DIRECTIVE_RUNG_TARGETS[input.level - 1] ?? { kind: 'issuer' };
      return resolveRung(target, { ownerId: input.agencyId, issuedBy: input.issuedBy }, {
        current: (id) => currentAgency(db, id),
        person: async (id) => (await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, id)))[0] ?? null,
      });
    },
  };
}

type AgencyRow = { id: string; name: string; supervisorId: string | null; parentId: string | null };

/** Follows merges to the agency that owns an old agency's work today. */
async function currentAgency(db: Database, id: string): Promise<AgencyRow> {
  let agencyId = id;
  for (let hops = 0; hops < MAX_SUPERVISION_DEPTH; hops++) {
    const [row] = await db
      .select({ id: agencies.id, name: agencies.name, supervisorId: agencies.supervisorId, parentId: agencies.parentId, successorId: agencies.successorId })
      .from(agencies)
      .where(eq(agencies.id, agencyId));
    if (!row) return { id: agencyId, name: '(cơ quan không xác định)', supervisorId: null, parentId: null };
    if (!row.successorId) return row;
    agencyId = row.successorId;
  }
  throw new Error(`agency ${id}: successor chain too long`);
}
