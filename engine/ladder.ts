/**
 * Ladders as data: a rung's target is resolved from the directory when the rung fires, by one rule for every
 * kind. The directory is passed in (activities read it from the database); nothing here does I/O.
 */
import { supervisingIdOf } from '../domain/directory.js';
import type { Ladder, Offset, RungTarget } from './types.js';

/** Who a resolved rung reaches: an agency, a person, or (neither) the province's leaders under `label`. */
export type ResolvedTarget = { agencyId: string | null; userId: string | null; label: string };

/** An agency as the directory holds it today (after following merges to its successor). */
export type DirectoryAgency = { id: string; name: string; supervisorId: string | null; parentId: string | null };

export type Directory = {
  /** The agency that does an agency's work today (a merged one's successor). */
  current(agencyId: string): Promise<DirectoryAgency>;
  person(userId: string): Promise<{ id: string; name: string } | null>;
};

/** The label a rung carries when it reaches no named agency or person. */
export const PROVINCE_LEADERS_LABEL = 'Lãnh đạo tỉnh';

/**
 * Resolves one rung for the owner who missed. A supervisor rung of an agency that answers to no one falls to
 * the issuer; an issuer no longer known falls to the province's leaders.
 */
export async function resolveRung(target: RungTarget, at: { ownerId: string; issuedBy: string | null }, directory: Directory): Promise<ResolvedTarget> {
  if (target.kind === 'owner') {
    const owner = await directory.current(at.ownerId);
    return { agencyId: owner.id, userId: null, label: owner.name };
  }
  if (target.kind === 'supervisor' || target.kind === 'agency') {
    const agencyId = target.kind === 'agency' ? target.agencyId : supervisingIdOf(await directory.current(at.ownerId));
    if (agencyId) {
      const agency = await directory.current(agencyId);
      return { agencyId: agency.id, userId: null, label: agency.name };
    }
  }
  if (at.issuedBy) {
    const issuer = await directory.person(at.issuedBy);
    if (issuer) return { agencyId: null, userId: issuer.id, label: issuer.name };
  }
  return { agencyId: null, userId: null, label: PROVINCE_LEADERS_LABEL };
}

/** A ladder from offsets and the targets of its rungs, in order (the lists must be as long as each other). */
export function ladderOf(offsets: Offset[], targets: RungTarget[]): Ladder {
  if (offsets.length !== targets.length) throw new RangeError(`A ladder of ${offsets.length} offsets was given ${targets.length} targets`);
  return offsets.map((offset, i) => ({ offset, target: targets[i]! }));
}
