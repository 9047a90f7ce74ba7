import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineSignal, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DeliveryResult } from '../activities/notify/deliver.js';
import { vnDateOf } from '../domain/vn-time.js';
import { MORE_TO_DELIVER_SIGNAL } from './types.js';

/**
 * Delivery retries with backoff for as long as a channel is down: an outage delays a reminder, it must not
 * lose it. The heartbeat timeout lets a delivery that died with its worker be retried elsewhere; rows
 * already sent are skipped, so the retry sends only what is missing.
 */
const { deliverNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const { composeDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export type DeliveryInput = { source: string };

/**
 * Rows of the source were put back in the outbox (a re-enabled webhook) while its delivery ran: a run that
 * had already looked past them must look again before it ends, or they wait for nobody.
 */
export const moreToDeliverSignal = defineSignal(MORE_TO_DELIVER_SIGNAL);

/** Sends the outbox rows of one source (one reminder or escalation event, or one day's digests). */
export async function notificationDeliveryWorkflow(input: DeliveryInput): Promise<DeliveryResult> {
  let more = false;
  setHandler(moreToDeliverSignal, () => {
    more = true;
  });
  const result = await deliverNotifications(input);
  while (more && patched('delivery-looks-again-when-told')) {
    more = false;
    const again = await deliverNotifications(input);
    result.sent += again.sent;
    result.failed += again.failed;
    result.skipped += again.skipped;
  }
  return result;
}

export type DigestInput = { date?: string };
export type DigestResult = { date: string; skipped: string | null; recipients: number; delivery: DeliveryResult | null };

/** Set by Temporal on runs a Schedule starts: the time the run was due, not when it got to start. */
const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * The daily digest for supervisors and leaders (and anyone who chose digest-only), started by a Temporal
 * Schedule at a set hour, Asia/Ho_Chi_Minh. The day is the Vietnamese date the run was scheduled for (a run
 * caught up after midnight is still that day's digest), unless given.
 */
export async function dailyDigestWorkflow(input: DigestInput = {}): Promise<DigestResult> {
  const info = workflowInfo();
  const date = input.date ?? vnDateOf(info.typedSearchAttributes.get(ScheduledStartTime) ?? info.startTime);
  const composed = await composeDigests({ date });
  if (composed.skipped) return { date, skipped: composed.skipped, recipients: 0, delivery: null };
  const delivery = await deliverNotifications({ source: composed.source });
  return { date, skipped: null, recipients: composed.recipients, delivery };
}
