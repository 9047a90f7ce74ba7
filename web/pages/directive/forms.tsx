/** What every form of a directive's page shares: a refused form's reason, and a retry key per rendering. */
import { randomUUID } from 'node:crypto';
import type { FC } from 'hono/jsx';
import type { ServiceFailure } from '../../../domain/failures.js';
import type { Language } from '../../../domain/lists.js';
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
