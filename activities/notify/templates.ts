import { html } from 'hono/html';
import type { Language, NotificationKind } from '../../domain/lists.js';
import { formatDay, formatDue } from '../../domain/vn-time.js';

/** What a reminder or an escalation tells its reader; rendered per recipient language. */
export type NoticeFacts = {
  kind: Exclude<NotificationKind, 'digest'>;
  directiveTitle: string;
  /** "Báo cáo lần 1", "Hoàn thành nhiệm vụ". */
  deadlineLabel: string;
  dueAt: string;
  /** The agency whose report or completion is missing. */
  missingAgency: string;
  level: number | null;
  /** Whom the rung is addressed to (the agency or leader named by the ladder). */
  target: string | null;
  /** The leader who issued the directive, on whose behalf the ladder escalates. */
  issuer: string | null;
  link: string;
};

export type DigestFacts = {
  date: string;
  recipient: string;
  overdue: Array<{ title: string; dueAt: string | null; leadAgency: string; link: string }>;
  opened: Array<{ title: string; level: number; agency: string; target: string }>;
  resolved: Array<{ title: string; level: number; agency: string; resolution: string }>;
  reminders: Array<{ title: string; label: string; dueAt: string; agency: string }>;
};

export type RenderedMail = { subject: string; text: string; html: string };

/** "Báo cáo quý IV" inside a sentence: only the first letter drops its capital. */
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

const TEXTS = {
  vi: {
    reminderSubject: (f: NoticeFacts) => `[Nhắc hạn] ${f.deadlineLabel}: ${f.directiveTitle}`,
    escalationSubject: (f: NoticeFacts) => `[Chuyển cấp ${f.level}] Quá hạn ${f.deadlineLabel}: ${f.directiveTitle}`,
    greeting: (to: string) => `Kính gửi: ${to},`,
    reminderLead: (f: NoticeFacts) => `Nhiệm vụ "${f.directiveTitle}" sắp đến hạn ${lowerFirst(f.deadlineLabel)}.`,
    escalationLead: (f: NoticeFacts) => `Nhiệm vụ "${f.directiveTitle}" đã quá hạn ${lowerFirst(f.deadlineLabel)} và được chuyển lên cấp ${f.level}.`,
    due: 'Hạn',
    missing: 'Còn thiếu',
    missingOf: (f: NoticeFacts) => `${f.deadlineLabel} của ${f.missingAgency}`,
    escalatedBy: 'Chuyển cấp bởi',
    escalatedByValue: (f: NoticeFacts) =>
      `Hệ thống theo dõi nhiệm vụ, cấp ${f.level}/3${f.issuer ? `, theo chỉ đạo của ${f.issuer}` : ''}`,
    link: 'Xem chi tiết',
    timeNote: '(giờ Việt Nam)',
    signature: 'Hệ thống theo dõi thực hiện kết luận, chỉ đạo',
    digestSubject: (d: DigestFacts) => `[Tổng hợp ngày ${formatDay(d.date)}] Nhiệm vụ quá hạn và chuyển cấp`,
    digestOverdue: 'Nhiệm vụ quá hạn',
    digestOpened: 'Chuyển cấp mới',
    digestResolved: 'Chuyển cấp đã xử lý',
    digestReminders: 'Nhắc hạn',
    none: 'Không có.',
    lead: 'chủ trì',
    level: 'cấp',
  },
  en: {
    reminderSubject: (f: NoticeFacts) => `[Reminder] ${f.deadlineLabel}: ${f.directiveTitle}`,
    escalationSubject: (f: NoticeFacts) => `[Escalation level ${f.level}] Overdue ${f.deadlineLabel}: ${f.directiveTitle}`,
    greeting: (to: string) => `To: ${to},`,
    reminderLead: (f: NoticeFacts) => `The directive "${f.directiveTitle}" has a deadline coming up (${f.deadlineLabel}).`,
    escalationLead: (f: NoticeFacts) => `The directive "${f.directiveTitle}" is overdue (${f.deadlineLabel}) and has been escalated to level ${f.level}.`,
    due: 'Due',
    missing: 'Missing',
    missingOf: (f: NoticeFacts) => `${f.deadlineLabel} from ${f.missingAgency}`,
    escalatedBy: 'Escalated by',
    escalatedByValue: (f: NoticeFacts) => `the directive tracker, level ${f.level} of 3${f.issuer ? `, on behalf of ${f.issuer}` : ''}`,
    link: 'Details',
    timeNote: '(Vietnam time)',
    signature: 'Directive tracker',
    digestSubject: (d: DigestFacts) => `[Daily digest ${formatDay(d.date)}] Overdue directives and escalations`,
    digestOverdue: 'Overdue directives',
    digestOpened: 'Escalations opened',
    digestResolved: 'Escalations resolved',
    digestReminders: 'Reminders',
    none: 'None.',
    lead: 'lead',
    level: 'level',
  },
} as const;

export function renderNotice(f: NoticeFacts, language: Language, recipient: string): RenderedMail {
  const t = TEXTS[language];
  const subject = f.kind === 'reminder' ? t.reminderSubject(f) : t.escalationSubject(f);
  const lead = f.kind === 'reminder' ? t.reminderLead(f) : t.escalationLead(f);
  const rows: Array<[string, string]> = [
    [t.due, `${formatDue(f.dueAt)} ${t.timeNote}`],
    [t.missing, t.missingOf(f)],
    ...(f.kind === 'escalation' ? [[t.escalatedBy, t.escalatedByValue(f)] as [string, string]] : []),
  ];
  const text = [t.greeting(recipient), '', lead, '', ...rows.map(([k, v]) => `${k}: ${v}`), `${t.link}: ${f.link}`, '', t.signature, ''].join('\n');
  const body = html`<!doctype html>
<html lang="${language}"><body>
<p>${t.greeting(recipient)}</p>
<p>${lead}</p>
<table>${rows.map(([k, v]) => html`<tr><th align="left">${k}</th><td>${v}</td></tr>`)}</table>
<p><a href="${f.link}">${t.link}</a></p>
<p>${t.signature}</p>
</body></html>`;
  return { subject, text, html: body.toString() };
}

export function renderDigest(d: DigestFacts, language: Language): RenderedMail {
  const t = TEXTS[language];
  const overdue = d.overdue.map((o) => `${o.title} (${t.due.toLowerCase()} ${o.dueAt ? formatDue(o.dueAt) : '—'}; ${t.lead}: ${o.leadAgency}) ${o.link}`);
  const opened = d.opened.map((e) => `${e.title}: ${t.level} ${e.level}, ${e.agency} → ${e.target}`);
  const resolved = d.resolved.map((e) => `${e.title}: ${t.level} ${e.level}, ${e.agency} (${e.resolution})`);
  const reminders = d.reminders.map((r) => `${r.title}: ${r.label}, ${r.agency}, ${t.due.toLowerCase()} ${formatDue(r.dueAt)}`);
  const section = (title: string, items: string[]) => [title, ...(items.length ? items.map((i) => `- ${i}`) : [t.none]), ''];
  const text = [
    t.greeting(d.recipient),
    '',
    ...section(t.digestOverdue, overdue),
    ...section(t.digestOpened, opened),
    ...section(t.digestResolved, resolved),
    ...section(t.digestReminders, reminders),
    t.signature,
    '',
  ].join('\n');
  const list = (title: string, items: string[]) =>
    html`<h3>${title}</h3>${items.length ? html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` : html`<p>${t.none}</p>`}`;
  const body = html`<!doctype html>
<html lang="${language}"><body>
<p>${t.greeting(d.recipient)}</p>
${list(t.digestOverdue, overdue)}${list(t.digestOpened, opened)}${list(t.digestResolved, resolved)}${list(t.digestReminders, reminders)}
<p>${t.signature}</p>
</body></html>`;
  return { subject: t.digestSubject(d), text, html: body.toString() };
}
