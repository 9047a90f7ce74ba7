import type { Role } from './lists.js';

/**
 * Which roles may do what, in one table: the JSON API checks it before reading a request, the application
 * layer again before acting and the workflow's validators once more, so every door refuses the same things.
 * Scope (which agency's directives) is checked by the services and by the workflow.
 */
export const MAY = {
  issueDirectives: ['leader', 'admin'],
  importConclusions: ['leader', 'admin'],
  decide: ['supervisor', 'leader', 'admin'],
  reassign: ['leader', 'admin'],
  cancel: ['leader', 'admin'],
  administer: ['admin'],
  /** Who did what, when, from where: the admins' record (and the oversight role's, when it exists). */
  readAuditLog: ['admin', 'oversight'],
  editScoringRule: ['admin'],
  /** Freezing a period's result is the province leadership's act. */
  publishResults: ['leader'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof MAY;

export const may = (role: Role, what: Permission): boolean => (MAY[what] as readonly Role[]).includes(role);

/** The oversight role reads and changes nothing; what it may still post is its own session and language. */
export const readsOnly = (role: Role): boolean => role === 'oversight';
