import type { DirectiveEvent, DirectiveEventType } from '../domain/events.js';

/**
 * A row of `directive_events` as the event it was written from. The table is written only by the recordEvent
 * activity, from a DirectiveEvent, so a row's type and data always belong together: this is the one place
 * that says so, and readers narrow on `type` from here on instead of casting payloads.
 */
export function storedEvent(row: { type: DirectiveEventType; data: DirectiveEvent['data'] }): DirectiveEvent {
  return row as DirectiveEvent;
}
