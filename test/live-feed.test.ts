import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { EVENTS_CHANNEL, type EventAnnouncement } from '../db/events.js';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { liveService, type LiveChange } from '../services/live.js';
import { eventually, freshDatabase } from './support.js';

/**
 * The live pages' feed on both databases the product runs on: a NOTIFY from a committed transaction reaches
 * the listeners of the process, and each subscriber hears only what concerns its scope.
 */
const handles: Array<DatabaseHandle & { drop?: () => Promise<void> }> = [];
afterAll(async () => Promise.all(handles.map((h) => (h.drop ? h.drop() : h.close()))));

const announcement = (agencyIds: string[]): EventAnnouncement => ({ directiveId: crypto.randomUUID(), type: 'escalated', agencyIds, targetAgencyId: null, targetUserId: null });

describe.each([
  // A database of its own: the run's shared one hears every other file's events, which a province-wide subscriber is told of.
  ['PostgreSQL', () => freshDatabase()],
  ['PGlite', () => openDatabase({ pgliteDir: undefined })],
] as const)('the live feed on %s', (_name, open) => {
  it('tells a province-wide subscriber everything, and an officer only its agency’s directives, after the commit', async () => {
    const database = await open();
    handles.push(database);
    await database.migrate();
    const live = liveService({ db: database.db, temporal: undefined as never, config: { temporal: { namespace: 'default', taskQueue: 'x', uiUrl: undefined } }, logger: pino({ level: 'silent' }) }, database.listen);
    const leader: LiveChange[] = [];
    const officer: LiveChange[] = [];
    await live.subscribe({ userId: crypto.randomUUID(), name: 'leader', role: 'leader', agencyId: null }, (c) => leader.push(c));
    await live.subscribe({ userId: crypto.randomUUID(), name: 'officer', role: 'officer', agencyId: 'a-mine' }, (c) => officer.push(c));
    const mine = announcement(['a-mine', 'a-other']);
    const theirs = announcement(['a-other']);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(mine)})`);
      await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(theirs)})`);
    });
    await eventually(async () => leader.map((c) => c.directiveId), (heard) => heard.length >= 2);
    expect(leader.map((c) => c.directiveId)).toEqual([mine.directiveId, theirs.directiveId]);
    // The officer's feed heard the second announcement's turn (the leader's did): what it left out stays out.
    expect(officer.map((c) => c.directiveId)).toEqual([mine.directiveId]);
  });
});
