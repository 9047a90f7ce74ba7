import type { DirectiveEvent, DirectiveEventType } from '../domain/events.js';

/**
 * A row of `directive_events` as the event it was written from. The table is written only by the recordEvent
 * activity, from a DirectiveEvent, so a row's type and data always belong together: this is the one place
 * that says so, and readers narrow on `type` from here on instead of casting payloads.
 */
export function storedEvent(row: { type: DirectiveEventType; data: DirectiveEvent['data'] }): DirectiveEvent {
  return row as DirectiveEvent;
}

/** The channel every recorded event is announced on, from the transaction that records it (NOTIFY is sent at commit). */
export const EVENTS_CHANNEL = 'directive_events';

/** What the announcement says: enough to tell who should look again, nothing a listener could not read anyway. */
export type EventAnnouncement = {
  directiveId: string;
  type: DirectiveEventType;
  /** The directive's lead and coordinating agencies after the event. */
  agencyIds: string[];
  /** Whom an escalation is addressed to. */
  targetAgencyId: string | null;
  targetUserId: string | null;
};
