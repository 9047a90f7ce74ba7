import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, directives } from '../db/schema.js';
import { createAgency, createUser, freshDatabase, json, startWorld, type World } from './support.js';

/**
 * The list's query shapes (services/directive-reads.ts): a scope and an agency filter answered as one
 * condition, the cursor as a row comparison, a page's agencies named in the same statement. Projection rows
 * are written directly, in a database of this file's own, so the expected pages are known exactly.
 */
let world: World;
let drop: () => Promise<void>;
const A = {} as Record<'S' | 'L' | 'C' | 'O', { id: string; code: string; name: string }>;
const tokens = {} as Record<'officerL' | 'officerO' | 'supervisorS', string>;
const ids: Record<string, string> = {};
const at = new Date('2026-03-02T03:00:00Z');
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** `name`: assigned now to `current` (the first leads), and before to `ended`; all issued at the same instant. */
async function directive(n: number, name: string, current: string[], ended: string[] = []) {
  const id = uuid(n);
  ids[name] = id;
  await world.db.insert(directives).values({
    id,
    workflowId: `directive-${id}`,
    title: `Chỉ thị ${name}`,
    searchText: `chi thi ${name}`,
    leadAgencyId: current[0]!,
    status: 'in_progress',
    timeliness: 'open_on_time',
    issuedAt: at,
    lastSeq: 1,
  });
  await world.db.insert(assignments).values([
    ...current.map((agencyId, i) => ({ directiveId: id, agencyId, role: i === 0 ? ('lead' as const) : ('coordinating' as const), assignedAt: new Date(at.getTime() + i * 1000) })),
    ...ended.map((agencyId) => ({ directiveId: id, agencyId, role: 'coordinating' as const, assignedAt: at, endedAt: new Date(at.getTime() + 60_000) })),
  ]);
}

const listed = async (query: string, token?: string) => {
  const res = await world.call('GET', `/v1/directives${query}`, token ? { token } : {});
  expect(res.status).toBe(200);
  return (await json(res)) as { items: Array<{ id: string; title: string; coordinatingAgencies: Array<{ id: string; code: string; name: string }> }>; nextCursor: string | null };
};
const names = (page: { items: Array<{ id: string }> }) => page.items.map((i) => Object.keys(ids).find((k) => ids[k] === i.id)).sort();

beforeAll(async () => {
  const database = await freshDatabase();
  drop = database.drop;
  world = await startWorld({ database });
  A.S = await createAgency(world.db, 'Ban Noi chinh');
  A.L = await createAgency(world.db, 'Cong an', A.S.id);
  A.C = await createAgency(world.db, 'Vien KSND', A.S.id);
  A.O = await createAgency(world.db, 'Hoi Nong dan');
  tokens.officerL = await createUser(world.db, { role: 'officer', agencyId: A.L.id });
  tokens.officerO = await createUser(world.db, { role: 'officer', agencyId: A.O.id });
  tokens.supervisorS = await createUser(world.db, { role: 'supervisor', agencyId: A.S.id });
  await directive(1, 'L+O', [A.L.id, A.O.id]);
  await directive(2, 'O+L', [A.O.id, A.L.id]);
  await directive(3, 'L', [A.L.id]);
  await directive(4, 'L-O', [A.L.id], [A.O.id]); // O's assignment ended
  await directive(5, 'C+O', [A.C.id, A.O.id]);
  await directive(6, 'O', [A.O.id]);
  await directive(7, 'L+C+O', [A.L.id, A.C.id, A.O.id]);
});
afterAll(async () => {
  await world?.close();
  await drop?.();
});

describe('directive lists', () => {
  it("answers an officer's filter by another agency with the directives assigned to both, now", async () => {
    expect(names(await listed(`?agency=${A.O.id}`, tokens.officerL))).toEqual(['L+C+O', 'L+O', 'O+L']);
    expect(names(await listed(`?agency=${A.L.id}`, tokens.officerL))).toEqual(['L', 'L+C+O', 'L+O', 'L-O', 'O+L']);
    expect(names(await listed(`?agency=${A.C.id}`, tokens.officerO))).toEqual(['C+O', 'L+C+O']);
    expect(names(await listed(`?agency=${A.S.id}`, tokens.officerO))).toEqual([]);
  });

  it("answers a supervisor's filter by an agency outside its subtree with what the subtree shares with it", async () => {
    expect(names(await listed(`?agency=${A.O.id}`, tokens.supervisorS))).toEqual(['C+O', 'L+C+O', 'L+O', 'O+L']);
    expect(names(await listed(`?agency=${A.C.id}`, tokens.supervisorS))).toEqual(['C+O', 'L+C+O']);
    expect(names(await listed(`?agency=${A.O.id}`))).toEqual(['C+O', 'L+C+O', 'L+O', 'O', 'O+L']);
  });

  it('pages through directives issued at the same instant by id, without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listed(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1].map(uuid));
  });

  it('names the coordinating agencies in force, in the order they were assigned', async () => {
    const page = await listed(`?agency=${A.C.id}`);
    const all = page.items.find((i) => i.id === ids['L+C+O'])!;
    expect(all.coordinatingAgencies).toEqual([A.C, A.O].map((a) => ({ id: a.id, code: a.code, name: a.name })));
    expect((await listed(`?leadAgency=${A.L.id}`)).items.find((i) => i.id === ids['L-O'])!.coordinatingAgencies).toEqual([]);
  });
});
