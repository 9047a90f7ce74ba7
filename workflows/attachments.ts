/**
 * Files attached to a directive: who may attach which kind. The bytes never reach the workflow, only the
 * file's id, hash and size. Validators and effects as in updates.ts.
 */
import type { DirectiveState } from '../domain/directive.js';
import { FailureType } from '../domain/failures.js';
import { MAY } from '../domain/policy.js';
import { reject } from './errors.js';
import { requireAnswerable as requireExplanationAnswerable } from './explanations.js';
import { reportDeadline, requireAssigned, requireLead, requireOpen, requireRole } from './guards.js';
import type { AttachArgs } from './messages.js';
import type { Recorded } from './types.js';

/** The source document is the issuer's side (leader, admin); a report's file an assigned agency's; the completion's the lead's. */
export function validateAttach(s: DirectiveState, { actor, attachment: a }: AttachArgs): void {
  requireOpen(s);
  if (!/^[0-9a-f]{64}$/.test(a.sha256) || !(a.size > 0) || !a.id) reject(FailureType.Invalid, 'An attachment names its id, SHA-256 and size.');
  if (a.kind === 'source') requireRole(actor, MAY.issueDirectives, 'attach the source document');
  else if (a.kind === 'completion') requireLead(s, actor, 'attach a completion document');
  else if (a.kind === 'report') {
    requireAssigned(s, actor);
    if (a.deadlineKey !== null && !reportDeadline(s, a.deadlineKey)) reject(FailureType.NotFound, `No reporting period "${a.deadlineKey}" for this directive.`);
  } else if (a.kind === 'explanation') requireExplanationAnswerable(s, actor, a.deadlineKey ?? '');
  else reject(FailureType.Invalid, 'An attachment is a source document, a report, a completion or an explanation.');
}

export function attach(s: DirectiveState, { actor, attachment }: AttachArgs): Recorded {
  return { event: { type: 'attachment_added', data: { attachment } }, actorId: actor.userId };
}
