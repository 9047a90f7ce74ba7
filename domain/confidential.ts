/**
 * Confidential directives ("mật", Regulation 08-QC/TW keeps them apart): visible only to their assigned agencies,
 * the leader who issued them and the readers named; anything that leaves for others (a mail, a webhook, a digest,
 * a statistics list, the workflow's summary in Temporal) carries a reference and a link, never the title or body.
 */
export const CONFIDENTIAL_PREFIX = 'Nhiệm vụ mật số ';
export const confidentialRef = (directiveId: string): string => `${CONFIDENTIAL_PREFIX}${directiveId.slice(0, 8).toUpperCase()}`;

/** The title as it may be shown to anyone: the reference for a confidential directive. */
export const shownTitle = (d: { id: string; title: string; confidential: boolean | null | undefined }): string => (d.confidential ? confidentialRef(d.id) : d.title);

/** Who is asking, as far as reading a title goes. */
export type TitleReader = { userId: string; agencyId: string | null };

/** What decides who may read a directive's title: it, its people, and for a sub-task its parent's lead agency. */
export type TitleFacts = {
  confidential: boolean | null | undefined;
  issuedBy: string | null;
  assignedAgencyIds: string[];
  parentLeadAgencyId: string | null;
  readers: string[];
};

/**
 * The one rule of who may read a directive's title (and body): anyone when it is not confidential; otherwise the
 * leader who issued it, its named readers, and the people of its assigned agencies (for a sub-task also of its
 * parent's lead agency), whatever their role's scope. A sub-task is judged on its own facts, never its parent's:
 * who may read one may not read the other. db/scope.ts `confidentialAllowed` is this rule in SQL, for lists.
 */
export function mayReadTitle(who: TitleReader, d: TitleFacts): boolean {
  if (!d.confidential) return true;
  if (d.issuedBy === who.userId || d.readers.includes(who.userId)) return true;
  return who.agencyId !== null && (d.assignedAgencyIds.includes(who.agencyId) || d.parentLeadAgencyId === who.agencyId);
}

/** The title `who` is shown: the title when the rule lets them read it, else the reference. */
export const titleFor = (may: boolean, d: { id: string; title: string }): string => (may ? d.title : confidentialRef(d.id));
