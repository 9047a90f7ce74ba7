import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { backfillFacts } from '../db/facts.js';
import { conferences, directiveEvents, directives } from '../db/schema.js';
import type { DirectiveEvent } from '../domain/events.js';
import type { ConferenceKind } from '../domain/lists.js';

/** Noon of a Vietnamese calendar day, or a given time of it, as an ISO instant. */
export const vn = (day: string, time = '12:00') => new Date(`${day}T${time}:00+07:00`).toISOString();
/** 24:00 of a Vietnamese calendar day: when a deadline on that day passes. */
export const endOf = (day: string) => new Date(new Date(`${day}T00:00:00+07:00`).getTime() + 86_400_000).toISOString();

export type WrittenDirective = {
  title: string;
  conferenceId: string | null;
  issuedBy: string | null;
  /** Each event as the workflow would record it, with when it occurred. */
  events: Array<DirectiveEvent & { at: string }>;
};

export async function writeConference(db: Database, title: string, kind: ConferenceKind): Promise<string> {
  const [row] = await db.insert(conferences).values({ title, kind }).returning({ id: conferences.id });
  return row!.id;
}

/**
 * Writes directives' histories as the recordEvent activity would have, events and projection rows, then lets
 * the migrator's backfill derive their versions from the events: a history written by hand, so every number
 * counted from it can be worked out on paper.
 */
export async function writeHistories(db: Database, list: WrittenDirective[]): Promise<string[]> {
  const ids: string[] = [];
  for (const d of list) {
    const id = randomUUID();
    ids.push(id);
    const issued = d.events[0]!;
    if (issued.type !== 'issued') throw new Error('a history begins with its issued event');
    const last = d.events[d.events.length - 1]!;
    await db.insert(directives).values({
      id,
      workflowId: `directive-${id}`,
      conferenceId: d.conferenceId,
      title: d.title,
      leadAgencyId: issued.data.leadAgencyId,
      status: 'issued',
      timeliness: 'open_on_time',
      dueAt: issued.data.dueAt ? new Date(issued.data.dueAt) : null,
      issuedBy: d.issuedBy,
      issuedAt: new Date(issued.at),
      lastSeq: d.events.length,
      updatedAt: new Date(last.at),
    });
    await db.insert(directiveEvents).values(
      d.events.map(({ at, ...e }, i) => ({ directiveId: id, seq: i + 1, type: e.type, data: e.data, occurredAt: new Date(at), actorId: d.issuedBy })),
    );
  }
  await backfillFacts(db);
  return ids;
}

export const issued = (at: string, leadAgencyId: string, dueAt: string | null, coordinatingAgencyIds: string[] = []): DirectiveEvent & { at: string } => ({
  type: 'issued',
  at,
  data: { leadAgencyId, coordinatingAgencyIds, dueAt },
});
export const submitted = (at: string): DirectiveEvent & { at: string } => ({ type: 'completion_submitted', at, data: { summary: 'Đã hoàn thành' } });
export const accepted = (at: string): DirectiveEvent & { at: string } => ({ type: 'completion_reviewed', at, data: { accepted: true, note: '' } });
export const rejected = (at: string): DirectiveEvent & { at: string } => ({ type: 'completion_reviewed', at, data: { accepted: false, note: 'Chưa đạt' } });
export const extended = (at: string, dueAt: string): DirectiveEvent & { at: string } => ({
  type: 'replanned',
  at,
  data: { reason: 'extension', requestId: randomUUID(), dueAt, deadlines: [] },
});
export const reassigned = (at: string, before: { leadAgencyId: string; coordinatingAgencyIds: string[] }, after: { leadAgencyId: string; coordinatingAgencyIds: string[] }): DirectiveEvent & { at: string } => ({
  type: 'reassigned',
  at,
  data: { before, after, reason: 'Điều chỉnh phân công' },
});
export const cancelled = (at: string): DirectiveEvent & { at: string } => ({ type: 'cancelled', at, data: { reason: 'Không còn phù hợp' } });
export const acknowledged = (at: string, agencyId: string): DirectiveEvent & { at: string } => ({ type: 'acknowledged', at, data: { agencyId } });
