import { confidentialRef } from '../../domain/confidential.js';
import { and, arrayContains, desc, eq, gte, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { loadOverrides } from '../../db/calendar.js';
import type { Database, Tx } from '../../db/database.js';
import { storedEvent } from '../../db/events.js';
import { agencies, directiveEvents, directives, escalations, notifications, users, webhooks } from '../../db/schema.js';
import { assignedToAny, shownTitleSql, visibleAgencies } from '../../db/scope.js';
import { WorkingCalendar } from '../../domain/calendar.js';
import { AGENCY_ROLES, DIGEST_ROLES, PERSONAL_CHANNELS, UNSENT_STATUSES, type DeliveryMode, type Language, type PersonalChannel } from '../../domain/lists.js';
import { vnStartOfDay } from '../../domain/vn-time.js';
import type { RecordEventInput } from '../types.js';
import { renderDigest, renderNotice, type DigestFacts, type NoticeFacts } from './templates.js';
import { linksFrom } from '../../domain/links.js';

type Db = Database | Tx;

export const eventSource = (directiveId: string, seq: number): string => `event:${directiveId}:${seq}`;
export const digestSource = (date: string): string => `digest:${date}`;

type Recipient = { id: string; name: string; email: string | null; language: string; channels: string[]; delivery: DeliveryMode };

const recipientColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  language: users.language,
  channels: users.channels,
  delivery: users.delivery,
};

const languageOf = (r: { language: string }): Language => (r.language === 'en' ? 'en' : 'vi');

/**
 * Writes the notifications of a reminder or escalation event, inside the transaction that records the
 * event: the event and its messages exist together or not at all.
 */
export async function enqueueEventNotifications(tx: Tx, input: RecordEventInput, publicUrl: string): Promise<void> {
  if (input.type !== 'reminder_due' && input.type !== 'escalated' && input.type !== 'explanation_requested') return;
  const s = input.snapshot;
  const source = eventSource(input.directiveId, input.seq);
  const links = linksFrom(publicUrl);
  // People open the directive's page; a webhook's receiver also gets the JSON API's address, in a field of its own.
  const link = links.directive(input.directiveId);
  // A confidential directive leaves by reference and link only: no title, no body, to anyone.
  const title = s.confidential ? confidentialRef(input.directiveId) : s.title;
  const nameOf = async (agencyId: string | null) => {
    if (!agencyId) return '';
    const [row] = await tx.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, agencyId));
    return row?.name ?? agencyId;
  };
  const [issuer] = s.issuedBy ? await tx.select({ name: users.name }).from(users).where(eq(users.id, s.issuedBy)) : [];

  let facts: NoticeFacts;
  let people: Recipient[];
  let agencyForWebhooks: string | null;
  if (input.type === 'reminder_due' || input.type === 'explanation_requested') {
    // An explanation request is told to the agency asked at once, as a notice of the answer's due instant.
    const d = input.type === 'reminder_due' ? input.data : input.data.request;
    facts = {
      kind: 'reminder',
      directiveTitle: title,
      deadlineLabel: d.label,
      dueAt: d.dueAt,
      missingAgency: await nameOf(d.agencyId),
      level: null,
      target: null,
      issuer: issuer?.name ?? null,
      link,
    };
    // A reminder is for the people who do the work: the agency's officers.
    people = await tx
      .select(recipientColumns)
      .from(users)
      .where(and(eq(users.agencyId, d.agencyId), eq(users.role, 'officer'), isNull(users.revokedAt)));
    agencyForWebhooks = d.agencyId;
  } else {
    const { escalation: e, label } = input.data;
    facts = {
      kind: 'escalation',
      directiveTitle: title,
      deadlineLabel: label,
      dueAt: e.dueAt,
      missingAgency: await nameOf(e.agencyId),
      level: e.level,
      target: e.target.label,
      issuer: issuer?.name ?? null,
      link,
    };
    const whom = e.target.userId ? eq(users.id, e.target.userId) : e.target.agencyId ? and(eq(users.agencyId, e.target.agencyId), inArray(users.role, AGENCY_ROLES)) : undefined;
    people = whom ? await tx.select(recipientColumns).from(users).where(and(whom, isNull(users.revokedAt))) : [];
    // No leader on record (none issued it, or the one who did has left): the province's fallback, its admins, who
    // pass it on; never every leader, who would each take it for their own.
    if (people.length === 0 && !e.target.agencyId) {
      people = (await tx.select(recipientColumns).from(users).where(and(eq(users.role, 'admin'), isNull(users.revokedAt)))).map((p) => ({ ...p, fallback: true }));
    }
    agencyForWebhooks = e.target.agencyId;
  }

  const rows: Array<typeof notifications.$inferInsert> = [];
  // Millisecond instants (not the database's microseconds) so that list cursors round-trip exactly.
  const createdAt = new Date();
  for (const p of people) {
    // Opted out of mail, or reading the daily digest instead: nothing immediate.
    if (!p.channels.includes('email' satisfies PersonalChannel) || p.delivery === 'digest') continue;
    const language = languageOf(p);
    // The fallback is written to by name: the rung's target is someone else, whom the admin must find.
    const addressee = facts.kind !== 'escalation' ? facts.missingAgency : 'fallback' in p ? p.name : (facts.target ?? p.name);
    const mail = renderNotice(facts, language, addressee);
    rows.push({
      source,
      idempotencyKey: `${source}:email:${p.id}`,
      createdAt,
      kind: facts.kind,
      channel: 'email',
      directiveId: input.directiveId,
      recipientUserId: p.id,
      address: p.email ?? '',
      language,
      subject: mail.subject,
      bodyText: mail.text,
      bodyHtml: mail.html,
      // A user without an address is recorded, so the gap is visible rather than silent.
      ...(p.email ? {} : { status: 'skipped' as const, lastError: 'The user has no email address.' }),
    });
  }
  if (people.length === 0) {
    // Nobody to tell is a gap someone must see, not a silent success.
    rows.push({
      source,
      idempotencyKey: `${source}:email:nobody`,
      createdAt,
      kind: facts.kind,
      channel: 'email',
      directiveId: input.directiveId,
      address: '',
      subject: renderNotice(facts, 'vi', '').subject,
      bodyText: '',
      status: 'skipped',
      lastError: `Nobody to notify: ${facts.kind === 'reminder' ? facts.missingAgency : facts.target} has no active user.`,
    });
  }
  if (agencyForWebhooks) {
    const hooks = await tx
      .select({ id: webhooks.id, url: webhooks.url })
      .from(webhooks)
      .where(and(eq(webhooks.agencyId, agencyForWebhooks), eq(webhooks.active, true)));
    const payload = {
      type: facts.kind === 'reminder' ? 'directive.reminder' : 'directive.escalated',
      timestamp: input.occurredAt,
      data: {
        directiveId: input.directiveId,
        title: facts.directiveTitle,
        deadline: facts.deadlineLabel,
        dueAt: facts.dueAt,
        missingAgency: facts.missingAgency,
        level: facts.level,
        target: facts.target,
        link,
        apiUrl: links.directiveApi(input.directiveId),
      },
    };
    for (const h of hooks) {
      rows.push({
        source,
        idempotencyKey: `${source}:webhook:${h.id}`,
        createdAt,
        kind: facts.kind,
        channel: 'webhook',
        directiveId: input.directiveId,
        webhookId: h.id,
        address: h.url,
        subject: payload.type,
        bodyText: JSON.stringify(payload),
        payload,
      });
    }
  }
  if (rows.length > 0) await tx.insert(notifications).values(rows).onConflictDoNothing({ target: notifications.idempotencyKey });
}

/** Whether a source still has something to send (a delivery run to start or resume). */
export async function hasPending(db: Db, source: string): Promise<boolean> {
  const [row] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.source, source), inArray(notifications.status, UNSENT_STATUSES)))
    .limit(1);
  return Boolean(row);
}

/**
 * Writes one digest per supervisor, leader and digest-only user for `date`: directives overdue in their
 * scope, escalations opened and resolved since the previous working day began. A non-working day has no
 * digest; its events appear in the next working day's.
 */
export async function composeDigests(
  db: Database,
  date: string,
  publicUrl: string,
): Promise<{ skipped: string | null; source: string; recipients: number }> {
  const source = digestSource(date);
  const year = Number(date.slice(0, 4));
  const calendar = new WorkingCalendar(await loadOverrides(db, year - 1, year));
  if (!calendar.isWorkingDay(date)) return { skipped: `${date} is not a working day in Vietnam`, source, recipients: 0 };
  const from = vnStartOfDay(calendar.addWorkingDays(date, -1));
  const to = vnStartOfDay(date);

  const readers = await db
    .select({ ...recipientColumns, role: users.role, agencyId: users.agencyId })
    .from(users)
    .where(
      and(
        isNull(users.revokedAt),
        isNotNull(users.email),
        arrayContains(users.channels, [...PERSONAL_CHANNELS]),
        or(inArray(users.role, DIGEST_ROLES), eq(users.delivery, 'digest')),
      ),
    );
  for (const reader of readers) {
    const scope = await visibleAgencies(db, reader);
    const overdue = await db
      .select({ id: directives.id, title: shownTitleSql, dueAt: directives.dueAt, lead: agencies.name })
      .from(directives)
      .innerJoin(agencies, eq(agencies.id, directives.leadAgencyId))
      .where(and(eq(directives.timeliness, 'open_overdue'), assignedToAny(scope)))
      .orderBy(directives.dueAt)
      .limit(200);
    const inScope = scope === null ? undefined : or(inArray(escalations.agencyId, scope), inArray(escalations.targetAgencyId, scope));
    const rungs = (when: typeof escalations.openedAt | typeof escalations.resolvedAt) =>
      db
        .select({ title: shownTitleSql, level: escalations.level, agency: agencies.name, target: escalations.targetLabel, resolution: escalations.resolution })
        .from(escalations)
        .innerJoin(directives, eq(directives.id, escalations.directiveId))
        .innerJoin(agencies, eq(agencies.id, escalations.agencyId))
        .where(and(gte(when, from), lt(when, to), inScope))
        .orderBy(desc(escalations.level))
        .limit(200);
    const opened = await rungs(escalations.openedAt);
    const reminderRows = await db
      .select({ title: shownTitleSql, type: directiveEvents.type, data: directiveEvents.data })
      .from(directiveEvents)
      .innerJoin(directives, eq(directives.id, directiveEvents.directiveId))
      .where(
        and(
          eq(directiveEvents.type, 'reminder_due'),
          gte(directiveEvents.occurredAt, from),
          lt(directiveEvents.occurredAt, to),
          scope === null ? undefined : inArray(sql<string>`${directiveEvents.data}->>'agencyId'`, scope),
        ),
      )
      .orderBy(directiveEvents.occurredAt)
      .limit(200);
    const reminders = reminderRows.flatMap((r) => {
      const e = storedEvent(r);
      return e.type === 'reminder_due' ? [{ title: r.title, data: e.data }] : [];
    });
    const remindedIds = [...new Set(reminders.map((r) => r.data.agencyId))];
    const agencyNames = new Map(
      remindedIds.length
        ? (await db.select({ id: agencies.id, name: agencies.name }).from(agencies).where(inArray(agencies.id, remindedIds))).map((a) => [a.id, a.name] as const)
        : [],
    );
    const resolved = (await rungs(escalations.resolvedAt)).map((r) => ({ ...r, resolution: r.resolution ?? '' }));
    if (overdue.length + opened.length + resolved.length + reminders.length === 0) continue;
    const facts: DigestFacts = {
      date,
      recipient: reader.name,
      overdue: overdue.map((o) => ({ title: o.title, dueAt: o.dueAt?.toISOString() ?? null, leadAgency: o.lead, link: linksFrom(publicUrl).directive(o.id) })),
      opened,
      resolved,
      // Digest-only readers get no reminder mail, so the reminders are in the digest.
      reminders: reminders.map((r) => ({
        title: r.title,
        label: r.data.label,
        dueAt: r.data.dueAt,
        agency: agencyNames.get(r.data.agencyId) ?? r.data.agencyId,
      })),
    };
    const language = languageOf(reader);
    const mail = renderDigest(facts, language);
    await db
      .insert(notifications)
      .values({
        source,
        idempotencyKey: `${source}:email:${reader.id}`,
        createdAt: new Date(),
        kind: 'digest',
        channel: 'email',
        recipientUserId: reader.id,
        address: reader.email!,
        language,
        subject: mail.subject,
        bodyText: mail.text,
        bodyHtml: mail.html,
      })
      .onConflictDoNothing({ target: notifications.idempotencyKey });
  }
  // Counted from the table, not this run's inserts: a retried activity finds the rows it wrote before.
  const [{ n } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(eq(notifications.source, source));
  return { skipped: null, source, recipients: n };
}
