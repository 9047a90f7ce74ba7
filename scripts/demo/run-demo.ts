/**
 * The example conference's six priority tasks on a compressed clock, driven through the typed client as
 * its users would: the leader imports the conclusion and issues the tasks, agencies acknowledge and report
 * (one late, one never), the workflows remind and escalate, the supervisor acknowledges an escalation and
 * grants an extension, completions are reviewed, and the conference's timeliness summary closes the run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DetailedError, parseResponse, type ClientResponse } from 'hono/client';
import type { DirectiveEvent } from '../../domain/events.js';
import { createClient, type ClientOptions, type DirectiveTrackerClient } from '../../api/client.js';
import { DEMO_AGENCIES, DEMO_USERS, DISTRICTS, type DemoUser } from './directory.js';
import { onePagePdf } from './pdf.js';

export type DemoOptions = {
  baseUrl: string;
  adminToken: string;
  /** The conclusion text (the example conference). */
  text: string;
  /** The conference day; found in the text when omitted. */
  heldOn?: string;
  /** Multiplies every step of the timeline; 1 runs about 80 seconds. */
  timeScale?: number;
  fetch?: ClientOptions['fetch'];
  say?: (line: string) => void;
};

export type DemoResult = {
  conferenceId: string;
  directiveIds: string[];
  draftCount: number;
  counts: Record<string, number>;
  eventTypes: Record<string, number>;
  escalations: Array<{ task: number; deadline: string; level: number; target: string }>;
  notifications: number;
};

/** Which agencies own each task in the demo: a district working group leads, a provincial agency helps. */
const ASSIGNMENT: Array<{ lead: string; coordinating: string[] }> = [
  { lead: DISTRICTS[0][0], coordinating: ['CAT'] },
  { lead: DISTRICTS[1][0], coordinating: ['TAND'] },
  { lead: DISTRICTS[2][0], coordinating: ['TAND'] },
  { lead: DISTRICTS[3][0], coordinating: ['CAT'] },
  { lead: DISTRICTS[4][0], coordinating: ['CAT'] },
  { lead: DISTRICTS[5][0], coordinating: [] },
];
/** A conclusion with more tasks than the example reuses the pattern. */
const assignment = (i: number) => ({ lead: DISTRICTS[i % DISTRICTS.length]![0], coordinating: ASSIGNMENT[i % ASSIGNMENT.length]!.coordinating });
const LATE = 1; // task (2) reports late, gets an extension, completes within it
const COMPLETES_LATE = 3; // task (4) completes after its deadline
const SILENT = 4; // task (5) never reports: the ladder climbs to the leader

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The response body of a 2xx; a problem+json becomes an error naming its detail. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any response shape; parseResponse narrows it to the 2xx body
async function ok<T extends ClientResponse<any, any, any>>(res: T | Promise<T>) {
  try {
    return await parseResponse(res);
  } catch (err) {
    if (err instanceof DetailedError) {
      const detail = (err.detail as { data?: { detail?: string } } | undefined)?.data?.detail;
      throw new Error(`${err.message}${detail ? `: ${detail}` : ''}`);
    }
    throw err;
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const scale = options.timeScale ?? 1;
  const client = (token: string): DirectiveTrackerClient => createClient(options.baseUrl, { token, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const admin = client(options.adminToken);

  // 1. The directory: agencies and their people, created once and reused on later runs.
  say('1. Directory of the internal-affairs bloc');
  const password = randomBytes(9).toString('base64url');
  const { codeToId, tokens, created } = await ensureDemoDirectory(admin, password);
  for (const name of created) say(`   + ${name}`);
  say(`   ${DEMO_AGENCIES.length} agencies, ${DEMO_USERS.length} users (leader, supervisor at BNCTU, one officer per agency)`);
  say(`   Watch it in the web app at ${options.baseUrl}/ , signing in with the password ${password} as:`);
  for (const u of DEMO_USERS.filter((x) => x.role !== 'officer' || x.agency === assignment(LATE).lead || x.agency === assignment(SILENT).lead)) {
    say(`     ${u.email.padEnd(38)} ${u.name}`);
  }
  const nameOf = new Map(DEMO_AGENCIES.map((a) => [codeToId.get(a.code)!, a.name] as const));
  const userFor = (pred: (u: DemoUser) => boolean) => {
    const u = DEMO_USERS.find(pred);
    if (!u) throw new Error('demo user missing');
    return client(tokens.get(u)!);
  };
  const leader = userFor((u) => u.role === 'leader');
  const supervisor = userFor((u) => u.role === 'supervisor');
  const officerOf = (code: string) => userFor((u) => u.role === 'officer' && u.agency === code);

  // 2. The conclusion, imported into drafts the leader reviews.
  say('');
  say('2. Importing the conclusion of the conference');
  const imported = await ok(leader.v1.conferences.import.$post({ json: { text: options.text, ...(options.heldOn ? { heldOn: options.heldOn } : {}) } }));
  say(`   stated: ${imported.statedCount ?? 'no count'}; found ${imported.drafts.length} draft directives`);
  for (const w of imported.warnings) say(`   warning: ${w.message}`);
  for (const d of imported.drafts) {
    say(`   ${d.marker} ${d.title}  [confidence ${d.confidence.toFixed(2)}]`);
    for (const r of d.references) say(`       ↳ ${r.kindLabel} ${r.ref}${r.date ? `, ngày ${r.date.split('-').reverse().join('/')}` : ''}`);
  }
  if (imported.drafts.length < SILENT + 1) {
    throw new Error(
      `The demo's timeline needs at least ${SILENT + 1} tasks (one reported late, one completed late, one never reported); ` +
        `the text gave ${imported.drafts.length}. \`npm run import-conclusion -- <file>\` shows its drafts.`,
    );
  }

  // 3. Issued on a compressed clock: a progress report due in 30 s, completion in 70 s.
  const t0 = Date.now();
  const at = (s: number) => new Date(t0 + s * scale * 1000).toISOString();
  const dur = (s: number) => ({ duration: `PT${Math.max(1, Math.round(s * scale))}S` });
  const elapsed = () => `+${String(Math.round((Date.now() - t0) / 1000)).padStart(3)}s`;
  const until = async (s: number) => {
    const wait = t0 + s * scale * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
  };
  say('');
  say('3. Issuing the six directives (report R1 due at +30 s, completion at +70 s, times scaled by ' + scale + ')');
  const issued = await ok(
    leader.v1.conferences.$post({
      json: {
        title: 'Hội nghị giao ban Tổ công tác cấp huyện 09 tháng đầu năm 2024',
        kind: 'giao_ban',
        ...(options.heldOn ? { heldOn: options.heldOn } : {}),
        chair: 'Phó Trưởng Ban Nội chính Tỉnh ủy',
        directives: imported.drafts.map((d, i) => ({
          title: d.title,
          body: d.body,
          leadAgency: assignment(i).lead,
          coordinatingAgencies: assignment(i).coordinating,
          dueAt: at(70),
          regime: { kind: 'explicit' as const, dueDates: [at(30)] },
          policy: { reminders: [dur(10)], escalations: [dur(4), dur(10), dur(25)] },
        })),
      },
      header: { 'idempotency-key': `demo-${randomUUID()}` },
    }),
  );
  const ids = issued.directives.map((d) => d.id);
  for (const [i, d] of issued.directives.entries()) {
    say(`   (${i + 1}) ${d.leadAgency.name} leads → ${d.links.temporalUi ?? d.links.self}`);
  }

  // Every event of the six workflows, printed as it is recorded.
  const eventTypes: Record<string, number> = {};
  const seen = ids.map(() => 0);
  const pump = async () => {
    for (const [i, id] of ids.entries()) {
      const res = await admin.v1.directives[':id'].events.$get({ param: { id } });
      // Not found until the workflow's first event reaches the read model.
      if (!res.ok) continue;
      const { items } = await ok(res);
      for (const e of items) {
        if (e.seq <= seen[i]!) continue;
        seen[i] = e.seq;
        eventTypes[e.type] = (eventTypes[e.type] ?? 0) + 1;
        const line = describe(e, nameOf);
        if (line) say(`   ${elapsed()} (${i + 1}) ${line}`);
      }
    }
  };
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      await pump().catch((err: unknown) => say(`   (events unavailable: ${String(err)})`));
      await sleep(Math.min(1000, 1000 * scale));
    }
  })();

  try {
    say('');
    say('4. Agencies at work');
    await until(2);
    for (const [i, id] of ids.entries()) {
      for (const code of [assignment(i).lead, ...assignment(i).coordinating]) {
        await ok(officerOf(code).v1.directives[':id'].acknowledgements.$post({ param: { id }, header: {} }));
      }
    }
    await until(8);
    for (const [i, id] of ids.entries()) {
      for (const code of [assignment(i).lead, ...assignment(i).coordinating]) {
        if ((i === LATE || i === SILENT) && code === assignment(i).lead) continue;
        await ok(
          officerOf(code).v1.directives[':id'].reports.$post({
            param: { id },
            json: { deadlineKey: 'R1', summary: `Báo cáo tiến độ nhiệm vụ (${i + 1}) của ${code}` },
            header: {},
          }),
        );
      }
    }

    // The late task's ladder reaches the supervising agency (level 2); the supervisor sees it in the inbox.
    const rung = await waitFor(async () => {
      const inbox = await ok(supervisor.v1.escalations.$get({ query: {} }));
      return inbox.items.find((e) => e.directiveId === ids[LATE] && e.level === 2);
    }, 90_000 * scale + 30_000);
    await pump();
    say(`   ${elapsed()} the supervisor's inbox holds level ${rung.level} for task (${LATE + 1}): ${rung.target.label}; acknowledged`);
    await ok(supervisor.v1.escalations[':id'].acknowledgement.$post({ param: { id: rung.id } }));

    const late = officerOf(assignment(LATE).lead);
    await ok(late.v1.directives[':id'].reports.$post({ param: { id: ids[LATE]! }, json: { deadlineKey: 'R1', summary: 'Báo cáo muộn: chờ số liệu của Tòa án' }, header: {} }));
    const asked = await ok(
      late.v1.directives[':id']['extension-requests'].$post({
        param: { id: ids[LATE]! },
        json: { proposedDueAt: at(110), reason: 'Chờ bản án phúc thẩm để hoàn thiện báo cáo' },
        header: {},
      }),
    );
    await ok(
      supervisor.v1.directives[':id']['extension-requests'][':requestId'].decision.$post({
        param: { id: ids[LATE]!, requestId: asked.extensionRequest.id },
        json: { approve: true, note: 'Đồng ý gia hạn' },
        header: {},
      }),
    );

    // The leader asks task (2)'s lead agency to explain its late report by a date; it answers at once with a signed
    // PDF attached to the request, and the supervisor accepts the explanation.
    const explanation = await ok(
      leader.v1.directives[':id']['explanation-requests'].$post({
        param: { id: ids[LATE]! },
        json: { agency: assignment(LATE).lead, deadlineKey: 'R1', question: 'Đề nghị giải trình việc chậm báo cáo tiến độ kỳ 1', dueAt: at(100) },
        header: {},
      }),
    );
    const requestId = explanation.explanationRequest.id;
    const lateOfficer = DEMO_USERS.find((u) => u.role === 'officer' && u.agency === assignment(LATE).lead)!;
    const form = new FormData();
    form.append('file', new Blob([onePagePdf('Giai trinh cham bao cao ky 1')]), 'Giải trình chậm báo cáo kỳ 1.pdf');
    const uploaded = await (options.fetch ?? fetch)(`${options.baseUrl}/v1/directives/${ids[LATE]}/attachments?kind=explanation&deadlineKey=${requestId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get(lateOfficer)!}` },
      body: form,
    });
    if (!uploaded.ok) throw new Error(`Attaching the explanation's file failed: ${uploaded.status} ${await uploaded.text()}`);
    const file = (await uploaded.json()) as { id: string };
    await ok(
      late.v1.directives[':id']['explanation-requests'][':requestId'].answer.$post({
        param: { id: ids[LATE]!, requestId },
        json: { text: 'Chậm do chờ số liệu của Tòa án nhân dân tỉnh; đã bổ sung báo cáo.', attachmentIds: [file.id] },
        header: {},
      }),
    );
    await ok(
      supervisor.v1.directives[':id']['explanation-requests'][':requestId'].closing.$post({
        param: { id: ids[LATE]!, requestId },
        json: { accepted: true, note: 'Chấp nhận giải trình' },
        header: {},
      }),
    );

    const complete = async (i: number) => {
      await ok(
        officerOf(assignment(i).lead).v1.directives[':id'].completion.$post({
          param: { id: ids[i]! },
          json: { summary: `Đã hoàn thành nhiệm vụ (${i + 1})` },
          header: {},
        }),
      );
      await ok(supervisor.v1.directives[':id'].completion.review.$post({ param: { id: ids[i]! }, json: { accept: true, note: 'Đạt yêu cầu' }, header: {} }));
    };
    for (const i of ids.keys()) if (i !== COMPLETES_LATE && i !== SILENT) await complete(i);

    await until(76);
    await complete(COMPLETES_LATE);
    // The silent task's ladder has reached the issuing leader by now.
    const leaderRung = await waitFor(async () => {
      const inbox = await ok(leader.v1.escalations.$get({ query: { status: 'all' } }));
      return inbox.items.find((e) => e.directiveId === ids[SILENT] && e.level === 3);
    }, 30_000);
    say(`   ${elapsed()} the leader's inbox holds level 3 for task (${SILENT + 1}): still no report from ${nameOf.get(leaderRung.agencyId) ?? leaderRung.agencyId}`);
    await pump();
  } finally {
    watching = false;
    await watcher;
  }

  // 5. What the leader sees at the next briefing.
  const summary = await waitFor(async () => {
    const d = await ok(leader.v1.conferences[':id'].$get({ param: { id: issued.conference.id } }));
    return d.counts.completed_on_time + d.counts.completed_late === ids.length - 1 ? d : undefined;
  }, 20_000);
  say('');
  say('5. Timeliness of the conference (the four categories the province reports)');
  for (const [k, v] of Object.entries(summary.counts)) say(`   ${k.padEnd(18)} ${v}`);
  for (const d of [...summary.directives].sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))) {
    say(`   (${ids.indexOf(d.id) + 1}) ${d.status.padEnd(12)} ${d.timeliness.padEnd(18)} ${d.title.slice(0, 60)}…`);
  }
  const all = await ok(admin.v1.escalations.$get({ query: { status: 'all', limit: 100 } }));
  const escalations = all.items
    .filter((e) => ids.includes(e.directiveId))
    .map((e) => ({ task: ids.indexOf(e.directiveId) + 1, deadline: e.deadlineKey, level: e.level, target: e.target.label }))
    .sort((a, b) => a.task - b.task || a.deadline.localeCompare(b.deadline) || a.level - b.level);
  say('   escalations:');
  for (const e of escalations) say(`   (${e.task}) ${e.deadline.padEnd(5)} level ${e.level} → ${e.target}`);

  const sent = (await ok(admin.v1.notifications.$get({ query: { limit: '200' } }))).items.filter((n) => n.directiveId && ids.includes(n.directiveId));
  const tally = new Map<string, number>();
  for (const n of sent) tally.set(`${n.kind} ${n.channel} ${n.status}`, (tally.get(`${n.kind} ${n.channel} ${n.status}`) ?? 0) + 1);
  say(`   notifications: ${[...tally].map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}`);

  return {
    conferenceId: issued.conference.id,
    directiveIds: ids,
    draftCount: imported.drafts.length,
    counts: summary.counts,
    eventTypes,
    escalations,
    notifications: sent.length,
  };
}

/**
 * Creates what is missing of the demo directory; returns agency ids by code and a fresh token per demo user.
 * With a password, every demo user can sign in to the web app with it (rerunning sets it again).
 */
export async function ensureDemoDirectory(admin: DirectiveTrackerClient, password?: string) {
  const created: string[] = [];
  const codeToId = new Map((await ok(admin.v1.agencies.$get())).items.map((a) => [a.code, a.id] as const));
  for (const a of DEMO_AGENCIES) {
    if (codeToId.has(a.code)) continue;
    const row = await ok(
      admin.v1.agencies.$post({
        json: {
          code: a.code,
          name: a.name,
          shortName: a.shortName,
          ...(a.parent ? { parentId: codeToId.get(a.parent) } : {}),
          ...(a.supervisor ? { supervisorId: codeToId.get(a.supervisor) } : {}),
        },
        header: { 'idempotency-key': `demo-agency-${a.code}` },
      }),
    );
    codeToId.set(a.code, row.id);
    created.push(`${a.name} (${a.code})`);
  }
  const agencyId = (code: string) => {
    const id = codeToId.get(code);
    if (!id) throw new Error(`The directory has no agency ${code}`);
    return id;
  };
  const existing = (await ok(admin.v1.users.$get())).items;
  const tokens = new Map<DemoUser, string>();
  for (const u of DEMO_USERS) {
    const agency = u.agency ? agencyId(u.agency) : null;
    const found = existing.find((e) => e.name === u.name && e.role === u.role && e.agencyId === agency && !e.revoked);
    // A token is shown only once, so a rerun gives the same person a new one.
    const answer = found
      ? await ok(admin.v1.users[':id'].token.$post({ param: { id: found.id } }))
      : await ok(
          admin.v1.users.$post({
            json: { name: u.name, email: u.email, role: u.role, language: 'vi', ...(agency ? { agencyId: agency } : {}) },
            header: {},
          }),
        );
    // Created without an Idempotency-Key, so the answer is always a new user with its token.
    const token = 'token' in answer && typeof answer.token === 'string' ? answer.token : undefined;
    if (!token) throw new Error(`The directory answered without a token for ${u.name}`);
    if (!found) created.push(u.name);
    tokens.set(u, token);
    if (password) {
      const set = await admin.v1.users[':id'].password.$put({ param: { id: answer.id }, json: { password } });
      if (!set.ok) throw new Error(`Could not set ${u.name}'s password: HTTP ${set.status}`);
    }
  }
  return { codeToId, tokens, created };
}

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for the workflows`);
    await sleep(500);
  }
}

/** One line of the timeline per event worth telling; the payload's shape follows from its type. */
function describe(e: DirectiveEvent, nameOf: Map<string, string>): string | undefined {
  const agency = (id: string) => nameOf.get(id) ?? id;
  const time = (iso: string) => new Date(iso).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  switch (e.type) {
    case 'issued':
      return 'issued: workflow started';
    case 'acknowledged':
      return `acknowledged by ${agency(e.data.agencyId)}`;
    case 'report_submitted':
      return `report ${e.data.report.deadlineKey} from ${agency(e.data.report.agencyId)}${e.data.report.late ? ' (LATE)' : ''}`;
    case 'reminder_due':
      return `reminder: ${e.data.label} due ${time(e.data.dueAt)} → ${agency(e.data.agencyId)}`;
    case 'deadline_missed':
      return `deadline missed: ${e.data.label}, missing ${e.data.missing.map(agency).join(', ')}`;
    case 'overdue':
      return `overdue: ${e.data.label ?? 'final deadline'}`;
    case 'escalated':
      return `ESCALATED level ${e.data.escalation.level} → ${e.data.escalation.target.label} (${agency(e.data.escalation.agencyId)} missed ${e.data.label})`;
    case 'escalation_resolved':
      return `escalation resolved (${e.data.resolution})`;
    case 'escalation_acknowledged':
      return 'escalation acknowledged by the supervisor';
    case 'extension_requested': {
      const r = e.data.request;
      return `extension requested to ${r.proposedDueDate ?? time(r.proposedDueAt!)}: ${r.reason}`;
    }
    case 'extension_decided':
      return `extension ${e.data.approved ? 'approved' : 'rejected'}: ${e.data.note}`;
    case 'completion_submitted':
      return 'completion submitted';
    case 'completion_reviewed':
      return `completion ${e.data.accepted ? 'accepted' : 'rejected'}`;
    case 'attachment_added': {
      const a = e.data.attachment;
      return `file attached (${a.kind}${a.deadlineKey ? ` ${a.deadlineKey}` : ''}): ${a.size} bytes, sha256 ${a.sha256.slice(0, 12)}…`;
    }
    case 'explanation_requested':
      return `EXPLANATION ${e.data.request.id} asked of ${agency(e.data.request.agencyId)} (${e.data.request.label}), due ${time(e.data.request.dueAt)}`;
    case 'explanation_answered':
      return `explanation ${e.data.requestId} given${e.data.answer.late ? ' (LATE)' : ''} with ${e.data.answer.attachmentIds.length} file(s)`;
    case 'explanation_closed':
      return `explanation ${e.data.requestId} ${e.data.accepted ? 'accepted' : 'not accepted'}${e.data.note ? `: ${e.data.note}` : ''}`;
    default:
      return undefined;
  }
}
