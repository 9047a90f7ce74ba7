/**
 * The worker's activities, one module per job: recording events and their projections (record.ts), planning
 * (plan.ts), the fan-outs of a calendar change and a reorganisation (fan-outs.ts), escalation targets
 * (escalation-targets.ts), notifications (notify/). Activity names are a contract with running workflows.
 */
import { directoryActivities } from './escalation-targets.js';
import { fanOutActivities } from './fan-outs.js';
import { deliverNotifications, type DeliveryResult } from './notify/deliver.js';
import { composeDigests } from './notify/outbox.js';
import { planningActivities } from './plan.js';
import { recordingActivities } from './record.js';
import type { ActivityDeps, NotifyOptions } from './types.js';

export type { ActivityDeps, CollectBlobs, NotifyOptions, SendReplan, SendTransfer, StartDelivery } from './types.js';

export const NO_NOTIFY: NotifyOptions = { publicUrl: 'http://localhost:3000', mailer: undefined, mailFrom: 'directive-tracker@localhost', webhookFailureLimit: 5, webhookDisableAfterSeconds: 3600 };

/** Every activity is idempotent: Temporal may run one more than once. */
export function createActivities({ db, notify = NO_NOTIFY, startDelivery, sendReplan, sendTransfer, collectBlobs }: ActivityDeps) {
  return {
    ...recordingActivities({ db, notify, startDelivery }),
    ...planningActivities({ db }),
    ...fanOutActivities({ db, sendReplan, sendTransfer }),
    ...directoryActivities({ db }),

    async deliverNotifications(input: { source: string }): Promise<DeliveryResult> {
      return deliverNotifications({ db, ...notify }, input.source);
    },

    async composeDigests(input: { date: string }): Promise<{ skipped: string | null; source: string; recipients: number }> {
      return composeDigests(db, input.date, notify.publicUrl);
    },

    async collectBlobs(input: { graceSeconds: number }): Promise<{ blobs: number; objects: number }> {
      return collectBlobs(input.graceSeconds);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
