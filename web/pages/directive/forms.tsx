/** What every form of a directive's page shares: a refused form's reason, and a retry key per rendering. */
import { randomUUID } from 'node:crypto';
import type { FC } from 'hono/jsx';
import type { ServiceFailure } from '../../../domain/failures.js';
import type { Language } from '../../../domain/lists.js';
import type { DirectiveDetail } from '../../../services/directives.js';
import type { Dictionary } from '../../i18n.js';
import { Notice } from '../../layout.js';
import { reasonIn } from '../../reasons.js';

export type Action = 'acknowledge' | 'report' | 'extension' | 'decision' | 'completion' | 'review' | 'reassign' | 'cancel' | 'subtasks' | 'attachments' | 'explain' | 'explain-answer' | 'explain-close';
/** A refused form: which one, why, and what was typed into it. */
export type Refusal = { action: Action; failure: ServiceFailure; fields: Record<string, string> };

export const RETRY_FIELD = '_retry';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const Retry: FC = () => <input type="hidden" name={RETRY_FIELD} value={randomUUID()} />;

export const Refused: FC<{ t: Dictionary; refusal: Refusal | undefined; action: Action; language: Language }> = ({ t, refusal, action, language }) =>
  refusal?.action === action ? (
    <Notice kind="error">
      {t.actions.refused}: {reasonIn(language, refusal.failure.message)}
    </Notice>
  ) : null;

/** What was typed into a refused form, to show it again. */
export const typedInto = (refusal: Refusal | undefined) => (action: Action, field: string): string => (refusal?.action === action ? (refusal.fields[field] ?? '') : '');

/** The text fields a person types at length: what a refused form keeps for them when it is no longer offered. */
const TYPED = ['summary', 'reason', 'text', 'question', 'note', 'title'];

/**
 * A refusal of a form the page no longer offers (another tab, another person, a deadline passed since the page was
 * drawn): its reason at the top, and what was typed, so nothing is lost.
 */
export const RefusedElsewhere: FC<{ t: Dictionary; refusal: Refusal; language: Language }> = ({ t, refusal, language }) => {
  const typed = TYPED.map((f) => refusal.fields[f]?.trim()).filter((v): v is string => !!v);
  return (
    <section aria-label={t.actions.refused}>
      <Notice kind="error">
        {t.actions.refused}: {reasonIn(language, refusal.failure.message)}
      </Notice>
      {typed.length > 0 ? (
        <figure>
          <figcaption>{t.actions.kept}</figcaption>
          {typed.map((v) => (
            <blockquote>{v}</blockquote>
          ))}
        </figure>
      ) : null}
    </section>
  );
};

/** Whether the page draws the form of `action` now: what allowedActions offers (and, for sub-tasks, a sub-unit to give one to). */
export function offers(allowed: DirectiveDetail['allowedActions'], refusal: Refusal, hasSubUnits: boolean): boolean {
  const requestId = refusal.fields.requestId ?? '';
  switch (refusal.action) {
    case 'acknowledge':
      return allowed.acknowledge;
    case 'report':
      return allowed.report.length > 0;
    case 'extension':
      return allowed.requestExtension;
    case 'decision':
      return allowed.decideExtension.length > 0;
    case 'completion':
      return allowed.submitCompletion;
    case 'review':
      return allowed.reviewCompletion;
    case 'reassign':
      return allowed.reassign;
    case 'cancel':
      return allowed.cancel;
    case 'subtasks':
      return allowed.delegate && hasSubUnits;
    case 'attachments':
      return allowed.attach.length > 0;
    case 'explain':
      return allowed.requestExplanation.length > 0;
    case 'explain-answer':
      return allowed.answerExplanation.includes(requestId);
    case 'explain-close':
      return allowed.closeExplanation.some((x) => x.requestId === requestId);
  }
}
