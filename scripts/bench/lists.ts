/**
 * Lists at a province's scale (DESIGN.md §7): every filter of `GET /v1/directives` and the web list page, at
 * 100,000 directives seeded through SQL, as the admin (province-wide) and as agency officers (scoped to their
 * agency), each against the same page written by hand in SQL through the same driver (postgres.js).
 *
 * The seed is deterministic: 15 agencies of unequal size, two years of directives with Vietnamese titles and
 * bodies (search_text folded as the projection folds it), 20 % open and overdue, lead and coordinating
 * assignments (some reassigned, their old rows ended), each directive's current statistics version.
 *
 * Two bars per case, each round's figure its p95 over sequential requests (one at a time):
 * - `.p95`: the request at the door (`GET /v1/directives`, or the web page), end to end, against 25 ms;
 * - `.vsSql`: the product's own read of that page through the same driver (the list service the route and the
 *   page call, with its scope, its drizzle query, its plan settings and its mapping) against the same page
 *   written by hand in SQL, at most 2×. The door's fixed cost (HTTP, the middleware, JSON
 *   or rendering) is the HTTP bars' to judge, against a bare Hono app: a hand-written query has no door.
 * Within a round the request, the read and the hand-written SQL take turns, one sample each. Before timing, every case checks that the
 * API (or the page) and the read show exactly the rows the hand-written SQL returns, so they are the same query.
 *
 * BENCH_LISTS_DIRECTIVES overrides the number of directives (e.g. 10000 or 1000000 for how cost grows).
 */
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import type { Principal as Person } from '../../services/context.js';
import type { DirectiveQuery } from '../../services/directive-model.js';
import { planSettingsFor } from '../../services/directive-reads.js';
import { SESSION_SETTINGS } from '../../db/client.js';
import type { Timeliness } from '../../domain/lists.js';
import { foldVietnamese } from '../../domain/text.js';
import { collectGarbage, fixedBar, median, percentile, relativeBar, type Bar, type BenchModule, seededRandom, uuidOf } from './harness.js';
import { startBenchSystem, type BenchSystem } from './system.js';

const P95_LIMIT_MS = 25;
const VS_SQL_BOUND = 2;
const DAY = 86_400_000;
const API_LIMIT = 20; // the API's default page
const WEB_LIMIT = 50; // the web page's

const AGENCIES = [
  'Sở Kế hoạch và Đầu tư',
  'Sở Tài chính',
  'Sở Tài nguyên và Môi trường',
  'Sở Xây dựng',
  'Sở Giao thông vận tải',
  'Sở Nông nghiệp và Phát triển nông thôn',
  'Sở Giáo dục và Đào tạo',
  'Sở Y tế',
  'Sở Công Thương',
  'Sở Nội vụ',
  'Sở Lao động - Thương binh và Xã hội',
  'Sở Thông tin và Truyền thông',
  'Công an tỉnh',
  'Ủy ban nhân dân thành phố Mỹ Tho',
  'Ủy ban nhân dân huyện Châu Thành',
];
/** Some agencies lead far more than others (the first about 15 %, the last about 2 %). */
const WEIGHTS = AGENCIES.map((_, i) => 1 / (i + 2));

const VERBS = ['Rà soát', 'Kiểm tra', 'Đôn đốc', 'Báo cáo', 'Triển khai', 'Xây dựng', 'Hoàn thiện', 'Tổ chức', 'Đẩy nhanh tiến độ', 'Giải quyết dứt điểm', 'Tăng cường', 'Tham mưu', 'Khẩn trương', 'Đề xuất', 'Thực hiện'];
const OBJECTS = [
  'hồ sơ giải phóng mặt bằng',
  'giải ngân vốn đầu tư công',
  'cải cách thủ tục hành chính',
  'dự án khu dân cư',
  'công tác phòng, chống thiên tai',
  'đơn thư khiếu nại, tố cáo',
  'quy hoạch sử dụng đất',
  'chương trình mục tiêu quốc gia',
  'cấp giấy chứng nhận quyền sử dụng đất',
  'an toàn thực phẩm',
  'chuyển đổi số',
  'xây dựng nông thôn mới',
  'xử lý nước thải sinh hoạt',
  'nâng cấp tuyến đường tỉnh',
  'sửa chữa trường học và trạm y tế',
  'bảo đảm trật tự an toàn giao thông',
  'thu ngân sách nhà nước',
  'phòng cháy, chữa cháy',
  'sắp xếp doanh nghiệp nhà nước',
  'bảo hiểm xã hội, bảo hiểm y tế',
];
const PLACES = ['tại huyện Châu Thành', 'tại thành phố Mỹ Tho', 'trên địa bàn tỉnh', 'tại thị xã Gò Công', 'tại huyện Cái Bè', 'tại khu công nghiệp Long Giang', 'tại xã Tân Phước', 'tại huyện Chợ Gạo', ''];
/** Appears in about 0.2 % of directives: a search that a newest-first scan cannot answer early. */
const RARE_PLACE = 'tại khu tái định cư Bình Đức';
const SENTENCES = [
  'Kết quả thực hiện gửi về Văn phòng Ủy ban nhân dân tỉnh để tổng hợp, báo cáo Chủ tịch.',
  'Trường hợp vượt thẩm quyền, kịp thời báo cáo, đề xuất Ủy ban nhân dân tỉnh xem xét, quyết định.',
  'Rà soát các vướng mắc, khó khăn và đề xuất giải pháp tháo gỡ cụ thể.',
  'Không để tồn đọng, kéo dài, gây bức xúc trong nhân dân.',
  'Bảo đảm đúng quy định của pháp luật, công khai, minh bạch.',
  'Người đứng đầu chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh nếu để chậm trễ.',
  'Phối hợp chặt chẽ với Ủy ban Mặt trận Tổ quốc và các đoàn thể.',
  'Định kỳ hằng tháng báo cáo tiến độ thực hiện.',
];

type Principal = { label: string; token: string; session: string; agencyId: string | null; person: Person };
/** One request's filter, in the API's query parameters (the web page takes q, timeliness, agency, cursor). */
type Filter = Partial<Record<'q' | 'overdue' | 'leadAgency' | 'agency' | 'timeliness' | 'dueAfter' | 'dueBefore' | 'cursor', string>>;
type Variant = { who: Principal; filter: Filter };
type Case = { name: string; door: 'api' | 'web'; variants: Variant[] };

/** The hand-written page: the rows, their lead and coordinating agencies named, as the API shows them. */
function handSql(v: Variant, limit: number): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (v.who.agencyId) where.push(`exists (select 1 from assignments s where s.directive_id = d.id and s.ended_at is null and s.agency_id = ${p(v.who.agencyId)})`);
  const f = v.filter;
  if (f.q) where.push(`d.search_text ilike ${p(`%${foldVietnamese(f.q).replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`);
  if (f.overdue === 'true') where.push(`d.timeliness = 'open_overdue'`);
  if (f.leadAgency) where.push(`d.lead_agency_id = ${p(f.leadAgency)}`);
  if (f.agency) where.push(`exists (select 1 from assignments s where s.directive_id = d.id and s.ended_at is null and s.agency_id = ${p(f.agency)})`);
  if (f.timeliness) where.push(`d.timeliness = ${p(f.timeliness)}`);
  if (f.dueAfter) where.push(`d.due_at >= ${p(f.dueAfter)}`);
  if (f.dueBefore) where.push(`d.due_at < ${p(f.dueBefore)}`);
  if (f.cursor) {
    const c = JSON.parse(Buffer.from(f.cursor, 'base64url').toString('utf8')) as { t: string; id: string };
    where.push(`(d.issued_at, d.id) < (${p(c.t)}::timestamptz, ${p(c.id)}::uuid)`);
  }
  const text = `
    select d.id, d.workflow_id, d.title, d.body, d.status, d.timeliness, d.conference_id, d.due_at, d.next_deadline_at,
           d.escalation_level, d.issued_by, d.issued_at, d.completed_at, d.last_seq, l.code as lead_code, l.name as lead_name,
           coalesce((select json_agg(json_build_object('id', a.id, 'code', a.code, 'name', a.name) order by s.assigned_at)
                     from assignments s join agencies a on a.id = s.agency_id
                     where s.directive_id = d.id and s.role = 'coordinating' and s.ended_at is null), '[]') as coordinating
    from directives d join agencies l on l.id = d.lead_agency_id
    ${where.length ? `where ${where.join(' and ')}` : ''}
    order by d.issued_at desc, d.id desc
    limit ${p(limit + 1)}`;
  return { text, params };
}

/** The query the API's route hands its service for `f` (its parameters as the route validates them). */
const queryOf = (f: Filter, limit: number): DirectiveQuery => ({
  q: f.q,
  ...(f.overdue ? { overdue: f.overdue === 'true' } : {}),
  leadAgency: f.leadAgency,
  agency: f.agency,
  timeliness: f.timeliness as Timeliness | undefined,
  dueAfter: f.dueAfter,
  dueBefore: f.dueBefore,
  cursor: f.cursor,
  limit,
});

const pathOf = (door: 'api' | 'web', f: Filter) => {
  const qs = new URLSearchParams(f).toString();
  return `${door === 'api' ? '/v1/directives' : '/directives'}${qs ? `?${qs}` : ''}`;
};

/** Seeds `total` directives (and their agencies, assignments and versions) into a migrated, empty database. */
export async function seedLists(raw: postgres.Sql, total: number, log: (line: string) => void) {
  const rand = seededRandom(20261414);
  const agencyIds = AGENCIES.map((_, i) => uuidOf(0x11, i));
  await raw`insert into agencies ${raw(AGENCIES.map((name, i) => ({ id: agencyIds[i]!, code: `CQ${String(i + 1).padStart(2, '0')}`, name })))}`;
  const leaders = Array.from({ length: 3 }, (_, i) => uuidOf(0x12, i));
  await raw`insert into users ${raw(leaders.map((id, i) => ({ id, name: `Lãnh đạo ${i + 1}`, role: 'leader', token_hash: `bench-lists-leader-${i}` })))}`;
  const conferences = Array.from({ length: 200 }, (_, i) => uuidOf(0x13, i));
  await raw`insert into conferences ${raw(conferences.map((id, i) => ({ id, title: `Hội nghị giao ban ${i + 1}` })))}`;

  const weightSum = WEIGHTS.reduce((a, b) => a + b, 0);
  const agency = () => {
    let r = rand() * weightSum;
    for (let i = 0; i < WEIGHTS.length; i++) if ((r -= WEIGHTS[i]!) < 0) return agencyIds[i]!;
    return agencyIds[agencyIds.length - 1]!;
  };
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const now = Date.now();
  const start = now - 730 * DAY;
  const BATCH = 5000;
  const t0 = performance.now();
  for (let from = 0; from < total; from += BATCH) {
    const d = {
      id: [] as string[], conference: [] as (string | null)[], title: [] as string[], body: [] as string[], search: [] as string[], lead: [] as string[],
      status: [] as string[], timeliness: [] as string[], due: [] as (string | null)[], next: [] as (string | null)[], level: [] as number[],
      issuedBy: [] as string[], issuedAt: [] as string[], completedAt: [] as (string | null)[], lastSeq: [] as number[],
    };
    const a = { directive: [] as string[], agency: [] as string[], role: [] as string[], at: [] as string[], ended: [] as (string | null)[] };
    const assign = (directive: string, agencyId: string, role: string, assignedAt: string, endedAt: string | null) => {
      a.directive.push(directive);
      a.agency.push(agencyId);
      a.role.push(role);
      a.at.push(assignedAt);
      a.ended.push(endedAt);
    };
    for (let n = from; n < Math.min(total, from + BATCH); n++) {
      const id = uuidOf(0x14, n);
      // The category first, then dates that agree with it: 20 % open and overdue (older), open on time (recent).
      const c = rand();
      const timeliness = c < 0.2 ? 'open_overdue' : c < 0.4 ? 'open_on_time' : c < 0.82 ? 'completed_on_time' : c < 0.95 ? 'completed_late' : 'no_deadline';
      const span = (30 + rand() * 210) * DAY;
      let issuedAt: number;
      let due: number | null;
      let completedAt: number | null = null;
      let status = 'in_progress';
      if (timeliness === 'open_overdue') {
        due = now - DAY - rand() * (730 * DAY - span - DAY);
        issuedAt = due - span;
      } else if (timeliness === 'open_on_time') {
        issuedAt = now - rand() * Math.min(span, 200 * DAY);
        due = issuedAt + span;
        if (due < now + DAY) due = now + DAY + rand() * 30 * DAY;
      } else if (timeliness === 'no_deadline') {
        issuedAt = start + rand() * (now - start);
        due = null;
      } else {
        issuedAt = start + rand() * (now - start - span);
        due = issuedAt + span;
        completedAt = timeliness === 'completed_on_time' ? issuedAt + rand() * span : due + (1 + rand() * 40) * DAY;
        if (completedAt > now) completedAt = now - rand() * DAY;
        status = 'completed';
      }
      if (status === 'in_progress') {
        const s = rand();
        status = s < 0.05 ? 'issued' : s < 0.1 ? 'completion_submitted' : s < 0.13 && timeliness !== 'open_overdue' ? 'cancelled' : 'in_progress';
      }
      const lead = agency();
      const coordinating = [...new Set(rand() < 0.6 ? [agency(), ...(rand() < 0.4 ? [agency()] : [])] : [])].filter((x) => x !== lead);
      const place = rand() < 0.002 ? RARE_PLACE : pick(PLACES);
      const title = `${pick(VERBS)} ${pick(OBJECTS)} ${place}`.trim();
      const body = [
        `Giao ${AGENCIES[agencyIds.indexOf(lead)]} chủ trì, phối hợp với các cơ quan, đơn vị liên quan ${pick(VERBS).toLowerCase()} ${pick(OBJECTS)} ${place}.`.replace(' .', '.'),
        pick(SENTENCES),
        pick(SENTENCES),
        ...(rand() < 0.5 ? [pick(SENTENCES)] : []),
      ].join(' ');
      const at = (ms: number | null) => (ms === null ? null : new Date(Math.floor(ms)).toISOString());
      d.id.push(id);
      d.conference.push(rand() < 0.7 ? pick(conferences) : null);
      d.title.push(title);
      d.body.push(body);
      d.search.push(foldVietnamese(`${title} ${body}`));
      d.lead.push(lead);
      d.status.push(status);
      d.timeliness.push(timeliness);
      d.due.push(at(due));
      const open = status !== 'completed' && status !== 'cancelled';
      d.next.push(open && due !== null ? at(Math.min(due, Math.max(now + DAY, issuedAt + 30 * DAY))) : null);
      d.level.push(timeliness === 'open_overdue' ? 1 + Math.floor(rand() * 3) : 0);
      d.issuedBy.push(pick(leaders));
      d.issuedAt.push(at(issuedAt)!);
      d.completedAt.push(at(completedAt));
      d.lastSeq.push(2 + Math.floor(rand() * 12));
      // About 5 % were reassigned: the first lead's row stays, ended.
      let leadFrom = issuedAt;
      if (rand() < 0.05) {
        const before = agencyIds.find((x) => x !== lead && !coordinating.includes(x))!;
        leadFrom = issuedAt + Math.min(15 * DAY, (now - issuedAt) / 2);
        assign(id, before, 'lead', at(issuedAt)!, at(leadFrom));
      }
      assign(id, lead, 'lead', at(leadFrom)!, null);
      for (const x of coordinating) assign(id, x, 'coordinating', at(issuedAt)!, null);
    }
    await raw`
      insert into directives (id, workflow_id, conference_id, title, body, search_text, lead_agency_id, status, timeliness, due_at, next_deadline_at,
                              escalation_level, issued_by, issued_at, completed_at, last_seq)
      select id, 'directive-' || id, conference_id, title, body, search_text, lead_agency_id, status, timeliness, due_at, next_deadline_at,
             escalation_level, issued_by, issued_at, completed_at, last_seq
      from unnest(${d.id}::uuid[], ${d.conference}::uuid[], ${d.title}::text[], ${d.body}::text[], ${d.search}::text[], ${d.lead}::uuid[],
                  ${d.status}::text[], ${d.timeliness}::text[], ${d.due}::timestamptz[], ${d.next}::timestamptz[], ${d.level}::int[],
                  ${d.issuedBy}::uuid[], ${d.issuedAt}::timestamptz[], ${d.completedAt}::timestamptz[], ${d.lastSeq}::int[])
        as t(id, conference_id, title, body, search_text, lead_agency_id, status, timeliness, due_at, next_deadline_at,
             escalation_level, issued_by, issued_at, completed_at, last_seq)`;
    await raw`
      insert into assignments (directive_id, agency_id, role, assigned_at, ended_at)
      select directive_id, agency_id, role::assignment_role, assigned_at, ended_at
      from unnest(${a.directive}::uuid[], ${a.agency}::uuid[], ${a.role}::text[], ${a.at}::timestamptz[], ${a.ended}::timestamptz[])
        as t(directive_id, agency_id, role, assigned_at, ended_at)`;
  }
  // Each directive's version in force now, as the projection tells it (what statistics read; lists do not).
  await raw`
    insert into directive_facts (directive_id, seq, valid_from, state, lead_agency_id, coordinating_agency_ids, due_at, completed_at, conference_id, issued_by)
    select d.id, d.last_seq, d.issued_at,
           case when d.status = 'completed' then 'completed' when d.status = 'cancelled' then 'cancelled' else 'open' end,
           d.lead_agency_id,
           coalesce((select array_agg(s.agency_id order by s.assigned_at) from assignments s
                     where s.directive_id = d.id and s.role = 'coordinating' and s.ended_at is null), '{}'),
           d.due_at, d.completed_at, d.conference_id, d.issued_by
    from directives d`;
  await raw`vacuum analyze directives`;
  await raw`vacuum analyze assignments`;
  await raw`analyze`;
  log(`seeded ${total.toLocaleString('en')} directives in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { agencyIds, now };
}

async function principals(sys: BenchSystem, raw: postgres.Sql, agencyIds: string[]) {
  const session = async (userId: string) => {
    const token = randomBytes(32).toString('base64url');
    await raw`insert into sessions (token_hash, user_id, method, expires_at)
              values (${createHash('sha256').update(token, 'utf8').digest('hex')}, ${userId}, 'password', now() + interval '1 day')`;
    return token;
  };
  const [admin] = await raw<Array<{ id: string }>>`select id from users where role = 'admin' order by created_at limit 1`;
  if (!admin) throw new Error('lists bench: the system has no admin user');
  const person = async (id: string): Promise<Person> => {
    const [u] = await raw<Array<{ name: string; role: Person['role']; agency_id: string | null }>>`select name, role, agency_id from users where id = ${id}`;
    return { userId: id, name: u!.name, role: u!.role, agencyId: u!.agency_id };
  };
  const adminP: Principal = { label: 'admin', token: sys.adminToken, session: await session(admin.id), agencyId: null, person: await person(admin.id) };
  // Officers of the largest, a middling and the smallest agency.
  const officers: Principal[] = [];
  for (const i of [0, 7, agencyIds.length - 1]) {
    const u = await sys.user('officer', agencyIds[i]!);
    officers.push({ label: `officer of ${AGENCIES[i]}`, token: u.token, session: await session(u.id), agencyId: agencyIds[i]!, person: await person(u.id) });
  }
  return { admin: adminP, officers };
}

export const listsBench: BenchModule = {
  name: 'lists',
  async run(ctx) {
    const total = Number(process.env.BENCH_LISTS_DIRECTIVES ?? (ctx.quick ? 20_000 : 100_000));
    const rounds = 5;
    // A round's p95 of 30 samples is its second-largest: one scheduler or collector hiccup on either side decided a
    // bar (CI run F on 1ef2623: lists.due.vsSql rounds 0.37–4.29, read and hand SQL interleaved in the same rounds).
    // Of 100 it is the fifth-largest, in quick runs too.
    const perRound = 100;
    const warmup = 10;
    ctx.log(`lists: ${total.toLocaleString('en')} directives; ${rounds} rounds × ${perRound} requests per side per case`);
    const sys = await startBenchSystem('lists');
    // The hand-written SQL goes through the same driver with the same session settings as the product.
    const raw = postgres(sys.config.databaseUrl!, { max: 1, onnotice: () => {}, connection: SESSION_SETTINGS });
    try {
      const { agencyIds, now } = await seedLists(raw, total, ctx.log);
      const { admin, officers } = await principals(sys, raw, agencyIds);

      const fetchDoor = (door: 'api' | 'web', v: Variant) =>
        door === 'api'
          ? sys.call('GET', pathOf('api', v.filter), { token: v.who.token })
          : fetch(`${sys.apiUrl}${pathOf('web', v.filter)}`, { headers: { cookie: `dt_session=${v.who.session}` } });
      const sqlOf = async (door: 'api' | 'web', v: Variant) => {
        const { text, params } = handSql(v, door === 'api' ? API_LIMIT : WEB_LIMIT);
        // The same plan settings as the product's page (services/directive-reads.ts: a scope crossed with another
        // agency without parallel workers), so the ratio is the read's cost and not a planner setting.
        const settings = planSettingsFor(v.who.agencyId ? [v.who.agencyId] : null, v.filter);
        if (settings.length === 0) return raw.unsafe(text, params as never[]);
        return raw.begin(async (tx) => {
          await tx.unsafe(`select ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, settings.flat());
          return tx.unsafe(text, params as never[]);
        });
      };

      // The product's read of a page, without its door: what the route (or the page) asks the services for.
      const readOf = async (door: 'api' | 'web', v: Variant): Promise<string[]> =>
        (await sys.services.directives.list(v.who.person, queryOf(v.filter, door === 'api' ? API_LIMIT : WEB_LIMIT))).items.map((i) => i.id);

      // Second pages: the cursor each principal's first page hands out.
      const cursorOf = async (door: 'api' | 'web', who: Principal) => {
        const rows = await sqlOf(door, { who, filter: {} });
        const limit = door === 'api' ? API_LIMIT : WEB_LIMIT;
        const last = rows[limit - 1] as unknown as { id: string; issued_at: Date };
        return Buffer.from(JSON.stringify({ t: last.issued_at.toISOString(), id: last.id })).toString('base64url');
      };
      const vnDay = (ms: number) => `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+07:00`;
      const dueRange = { dueAfter: vnDay(now - 45 * DAY), dueBefore: vnDay(now - 15 * DAY) };
      const filters = (door: 'api' | 'web') => {
        const fs: Array<[string, Filter[]]> = [
          ['all', [{}]],
          ['overdue', [{ overdue: 'true' }]],
          ['q.diacritics', [{ q: 'rà soát' }]],
          ['q.plain', [{ q: 'ra soat' }]],
          ['q.rare', [{ q: 'tái định cư Bình Đức' }, { q: 'tai dinh cu binh duc' }]],
          ['leadAgency', agencyIds.map((x) => ({ leadAgency: x }))],
          ['agency', agencyIds.map((x) => ({ agency: x }))],
          ['timeliness', ['open_on_time', 'completed_late', 'no_deadline'].map((x) => ({ timeliness: x }))],
          ['due', [dueRange]],
          ['cursor', [{}]], // filled per principal below
        ];
        // The web page filters by q, status, timeliness and agency only.
        return door === 'api' ? fs : fs.filter(([n]) => ['all', 'q.diacritics', 'timeliness', 'agency', 'cursor'].includes(n));
      };
      const cases: Case[] = [];
      for (const door of ['api', 'web'] as const) {
        for (const [role, people] of [['admin', [admin]], ['officer', officers]] as const) {
          for (const [name, fs] of filters(door)) {
            // Filters and people cycle together: every filter and every person is asked at least once.
            const variants: Variant[] = [];
            for (let i = 0; i < Math.max(fs.length, people.length); i++) {
              const who = people[i % people.length]!;
              variants.push({ who, filter: name === 'cursor' ? { cursor: await cursorOf(door, who) } : fs[i % fs.length]! });
            }
            cases.push({ name: `lists.${door === 'web' ? 'web.' : ''}${role === 'officer' ? 'officer.' : ''}${name}`, door, variants });
          }
        }
      }

      // The API (or the page) shows exactly the rows of the hand-written SQL.
      for (const c of cases) {
        for (const v of c.variants) {
          const res = await fetchDoor(c.door, v);
          if (res.status !== 200) throw new Error(`${c.name}: ${pathOf(c.door, v.filter)} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
          const limit = c.door === 'api' ? API_LIMIT : WEB_LIMIT;
          const expected = (await sqlOf(c.door, v)).slice(0, limit).map((r) => (r as unknown as { id: string }).id);
          const shown =
            c.door === 'api'
              ? ((await res.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id)
              : [...(await res.text()).matchAll(/href="\/directives\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
          if (JSON.stringify(shown) !== JSON.stringify(expected)) {
            throw new Error(`${c.name} (${v.who.label}, ${JSON.stringify(v.filter)}): the ${c.door} shows ${shown.length} rows that differ from the hand-written SQL's ${expected.length}`);
          }
          const read = await readOf(c.door, v);
          if (JSON.stringify(read) !== JSON.stringify(expected)) {
            throw new Error(`${c.name} (${v.who.label}, ${JSON.stringify(v.filter)}): the product's read returns ${read.length} rows that differ from the hand-written SQL's ${expected.length}`);
          }
        }
      }

      const timeApi = async (c: Case, i: number) => {
        const t = performance.now();
        const res = await fetchDoor(c.door, c.variants[i % c.variants.length]!);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${c.name}: ${res.status}`);
        return performance.now() - t;
      };
      const timeRead = async (c: Case, i: number) => {
        const t = performance.now();
        await readOf(c.door, c.variants[i % c.variants.length]!);
        return performance.now() - t;
      };
      const timeSql = async (c: Case, i: number) => {
        const t = performance.now();
        await sqlOf(c.door, c.variants[i % c.variants.length]!);
        return performance.now() - t;
      };
      const bars: Bar[] = [];
      for (const c of cases) {
        for (let i = 0; i < warmup; i++) {
          await timeApi(c, i);
          await timeRead(c, i);
          await timeSql(c, i);
        }
        const doors: number[] = [];
        const pairs: Array<[number, number]> = [];
        for (let r = 0; r < rounds; r++) {
          // Each round starts from a collected heap (npm run bench exposes gc): the garbage of the seeding and of the
          // cases before would otherwise be collected inside this round's samples, on whichever side ran then.
          collectGarbage();
          const timed = { door: [] as number[], read: [] as number[], hand: [] as number[] };
          const sides = ['door', 'read', 'hand'] as const;
          const timer = { door: timeApi, read: timeRead, hand: timeSql };
          // Interleaved, one of each in turn and the order turning: a collection of the garbage a page left falls
          // on whichever side runs next, so in blocks the read paid for the door's.
          for (let i = 0; i < perRound; i++) {
            for (let k = 0; k < sides.length; k++) {
              const side = sides[(i + r + k) % sides.length]!;
              timed[side].push(await timer[side](c, i));
            }
          }
          doors.push(percentile(timed.door, 95));
          pairs.push([percentile(timed.read, 95), percentile(timed.hand, 95)]);
        }
        const who = c.variants.length > 1 ? `${c.variants.length} variants` : '';
        bars.push(fixedBar(`${c.name}.p95`, doors, 'ms', P95_LIMIT_MS, who || undefined));
        bars.push(relativeBar(`${c.name}.vsSql`, pairs, 'ms', 'ms hand SQL (p95)', VS_SQL_BOUND, 'atMost', `the ${c.door === 'api' ? 'request' : 'page'} at the door: ${(median(doors) / median(pairs.map(([, h]) => h))).toFixed(1)}× the hand SQL`));
        const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join('/');
        ctx.log(`${c.name}: ${c.door} p95 ${fmt(doors)} ms; its read ${fmt(pairs.map(([p]) => p))} ms; hand SQL ${fmt(pairs.map(([, h]) => h))} ms`);
      }
      return bars;
    } finally {
      await raw.end();
      await sys.down();
    }
  },
};
