/**
 * Confidential directives ("mật", Regulation 08-QC/TW keeps them apart): visible only to their assigned agencies,
 * the leader who issued them and the readers named; anything that leaves for others (a mail, a webhook, a digest,
 * a statistics list, the workflow's summary in Temporal) carries a reference and a link, never the title or body.
 */
export const CONFIDENTIAL_PREFIX = 'Nhiệm vụ mật số ';
export const confidentialRef = (directiveId: string): string => `${CONFIDENTIAL_PREFIX}${directiveId.slice(0, 8).toUpperCase()}`;

/** The title as it may be shown to anyone: the reference for a confidential directive. */
export const shownTitle = (d: { id: string; title: string; confidential: boolean | null | undefined }): string => (d.confidential ? confidentialRef(d.id) : d.title);

/** Who may see a confidential directive, as the caller and the directive are known. */
export function mayReadConfidential(
  who: { userId: string; agencyId: string | null },
  d: { issuedBy: string | null; assignedAgencyIds: string[]; parentLeadAgencyId: string | null; readers: string[] },
): boolean {
  if (d.issuedBy === who.userId || d.readers.includes(who.userId)) return true;
  return who.agencyId !== null && (d.assignedAgencyIds.includes(who.agencyId) || d.parentLeadAgencyId === who.agencyId);
}
