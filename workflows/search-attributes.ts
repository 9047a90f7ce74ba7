import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { DirectiveState } from '../domain/directive.js';

/** Registered on the server by the provisioning script; names are a contract with operators' saved queries. */
export const DirectiveStatusKey = defineSearchAttributeKey('DirectiveStatus', SearchAttributeType.KEYWORD);
export const TimelinessKey = defineSearchAttributeKey('Timeliness', SearchAttributeType.KEYWORD);
export const LeadAgencyKey = defineSearchAttributeKey('LeadAgency', SearchAttributeType.KEYWORD);
export const NextDeadlineKey = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
export const EscalationLevelKey = defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT);
export const ConferenceIdKey = defineSearchAttributeKey('ConferenceId', SearchAttributeType.KEYWORD);

/** `temporal server start-dev --search-attribute` arguments, derived from the keys above. */
export const SEARCH_ATTRIBUTE_DEFINITIONS: ReadonlyArray<{ name: string; type: string }> = [
  { name: DirectiveStatusKey.name, type: 'Keyword' },
  { name: TimelinessKey.name, type: 'Keyword' },
  { name: LeadAgencyKey.name, type: 'Keyword' },
  { name: NextDeadlineKey.name, type: 'Datetime' },
  { name: EscalationLevelKey.name, type: 'Int' },
  { name: ConferenceIdKey.name, type: 'Keyword' },
];

export function searchAttributesFor(s: DirectiveState): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: DirectiveStatusKey, value: s.status },
    { key: TimelinessKey, value: s.timeliness },
    { key: LeadAgencyKey, value: s.leadAgencyId },
    { key: EscalationLevelKey, value: s.escalationLevel },
  ];
  if (s.nextDeadlineAt) pairs.push({ key: NextDeadlineKey, value: new Date(s.nextDeadlineAt) });
  if (s.conferenceId) pairs.push({ key: ConferenceIdKey, value: s.conferenceId });
  return pairs;
}
