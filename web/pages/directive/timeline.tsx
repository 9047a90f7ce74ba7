/** A directive's history as its page shows it: one line per event, newest first. */
import type { FC } from 'hono/jsx';
import { formatDay, formatDue, vnDateOf } from '../../../domain/vn-time.js';
import type { StoredEventView } from '../../../services/directives.js';
import type { Dictionary } from '../../i18n.js';
import { When } from '../../layout.js';

/** The day a due instant (24:00 of its day) belongs to, as dd/mm. */
const dueDay = (iso: string): string => formatDay(vnDateOf(new Date(Date.parse(iso) - 1))).slice(0, 5);

function describe(t: Dictionary, e: StoredEventView, agencyName: (id: string) => string): string {
  switch (e.type) {
    case 'acknowledged':
      return agencyName(e.data.agencyId);
    case 'report_submitted':
      return `${e.data.report.deadlineKey} · ${agencyName(e.data.report.agencyId)}: ${e.data.report.summary}`;
    case 'reminder_due':
      return `${e.data.label} · ${agencyName(e.data.agencyId)} · ${formatDue(e.data.dueAt)}`;
    case 'deadline_missed':
      return `${e.data.label} · ${e.data.missing.map(agencyName).join(', ')}`;
    case 'overdue':
      return e.data.missing ? e.data.missing.map(agencyName).join(', ') : formatDue(e.data.dueAt);
    case 'escalated':
      return `${t.directives.level} ${e.data.escalation.level} → ${e.data.escalation.target.label} (${e.data.label})`;
    case 'escalation_resolved':
      return e.data.resolution;
    case 'extension_requested': {
      const r = e.data.request;
      const until = r.proposedDueDate ? formatDay(r.proposedDueDate) : formatDue(r.proposedDueAt!);
      return `${t.actions.requested(until)}: ${r.reason}`;
    }
    case 'extension_decided':
      return `${e.data.approved ? t.actions.approve : t.actions.reject}${e.data.note ? `: ${e.data.note}` : ''}`;
    case 'completion_submitted':
      return e.data.summary;
    case 'completion_reviewed':
      return `${e.data.accepted ? t.actions.accept : t.actions.returnIt}${e.data.note ? `: ${e.data.note}` : ''}`;
    case 'reassigned':
      return `${agencyName(e.data.after.leadAgencyId)}: ${e.data.reason}`;
    case 'cancelled':
      return e.data.reason;
    case 'explanation_requested': {
      const r = e.data.request;
      return `${r.label} · ${agencyName(r.agencyId)} · ${t.explanations.due(formatDue(r.dueAt))}: ${r.question}`;
    }
    case 'explanation_answered':
      return `${e.data.requestId} · ${t.explanations.answered(e.data.answer.late)}: ${e.data.answer.text}`;
    case 'explanation_closed':
      return `${e.data.requestId} · ${e.data.accepted ? t.explanations.accepted : t.explanations.notAccepted}${e.data.note ? `: ${e.data.note}` : ''}`;
    case 'replanned': {
      if (e.data.reason !== 'calendar') return '';
      const { cause } = e.data;
      return e.data.moves.map((m) => t.directives.moved(m.kind === 'final', m.label, dueDay(m.from), dueDay(m.to), cause)).join('; ');
    }
    default:
      return '';
  }
}

export const Timeline: FC<{ t: Dictionary; events: StoredEventView[]; name: (id: string) => string }> = ({ t, events, name }) => (
  <section aria-labelledby="timeline">
    <h2 id="timeline">{t.directives.timeline}</h2>
    <ol reversed>
      {[...events].reverse().map((e) => (
        <li>
          <When iso={e.occurredAt} t={t} /> · <strong>{t.events[e.type]}</strong> {describe(t, e, name)}
        </li>
      ))}
    </ol>
  </section>
);
