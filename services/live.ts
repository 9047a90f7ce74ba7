/**
 * Live changes for the web app's pages: one LISTEN per process on the channel the recording transaction
 * announces every event on (db/events.ts), fanned out to each open page whose person the event concerns.
 */
import type { Listen } from '../db/client.js';
import { EVENTS_CHANNEL, type EventAnnouncement } from '../db/events.js';
import { visibleAgencies } from '../db/scope.js';
import type { Principal, ServiceDeps } from './context.js';

export type LiveChange = Pick<EventAnnouncement, 'directiveId' | 'type'>;
type Subscriber = { principal: Principal; scope: Set<string> | null; send: (change: LiveChange) => void };

export function liveService({ db, logger }: ServiceDeps, listen: Listen | undefined) {
  const subscribers = new Set<Subscriber>();
  let listening: Promise<void> | undefined;

  const concerns = (s: Subscriber, a: EventAnnouncement) =>
    s.scope === null ||
    a.agencyIds.some((id) => s.scope!.has(id)) ||
    a.targetUserId === s.principal.userId ||
    (a.targetAgencyId !== null && s.scope.has(a.targetAgencyId));

  const start = () =>
    (listening ??= (async () => {
      if (!listen) return;
      await listen(EVENTS_CHANNEL, (payload) => {
        let a: EventAnnouncement;
        try {
          a = JSON.parse(payload) as EventAnnouncement;
        } catch {
          return;
        }
        for (const s of subscribers) if (concerns(s, a)) s.send({ directiveId: a.directiveId, type: a.type });
      });
    })().catch((err: unknown) => {
      listening = undefined;
      logger.warn({ err }, 'could not listen for recorded events; live pages will not update');
    }));

  return {
    /** Calls `send` for each event recorded in the principal's scope from now on, until the returned stop is called. */
    async subscribe(principal: Principal, send: (change: LiveChange) => void): Promise<() => void> {
      const scope = await visibleAgencies(db, principal);
      const s: Subscriber = { principal, scope: scope === null ? null : new Set(scope), send };
      subscribers.add(s);
      await start();
      return () => subscribers.delete(s);
    },
  };
}
