/** The inputs and results of the activities, owned here: the workflow proxies them by type only. */
import type { DirectiveState } from '../domain/directive.js';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/database.js';
import type { DirectiveEvent } from '../domain/events.js';
import type { Mailer } from './notify/deliver.js';

/** One event with where it belongs; the shape (type and data beside the rest) is a contract with running workflows. */
export type RecordEventInput = DirectiveEvent & {
  directiveId: string;
  workflowId: string;
  seq: number;
  occurredAt: string;
  actorId: string | null;
  /** The directive as it is after this event; the projection is upserted from it. */
  snapshot: DirectiveState;
};

export type RecordEventResult = { recorded: boolean };

export type NotifyOptions = {
  /** Base of the links in messages. */
  publicUrl: string;
  mailer: Mailer | undefined;
  mailFrom: string;
  webhookFailureLimit: number;
  webhookDisableAfterSeconds: number;
  /** Absent or false: a webhook whose host resolves to a non-public address is not called. */
  allowPrivateWebhookTargets?: boolean;
};

/** Starts the delivery run of one outbox source (temporal/client.ts), through the activity's own client. */
export type StartDelivery = (client: Client, taskQueue: string, source: string) => Promise<void>;

/**
 * Sends one directive the `replan` Update of a calendar change (temporal/client.ts), through the activity's
 * own client: 'closed' when the directive has ended and has nothing to move.
 */
export type SendReplan = (client: Client, directiveId: string, args: { changeId: string; cause: string }) => Promise<'replanned' | 'closed'>;

/** Sends one directive the `transfer` Update of a reorganisation (temporal/client.ts). */
export type SendTransfer = (
  client: Client,
  directiveId: string,
  args: { changeId: string; fromAgencyId: string; toAgencyId: string; reason: string },
) => Promise<'transferred' | 'closed'>;

/** Takes away the attachment bytes no attachment names, older than the grace period (db/blob-store.ts). */
export type CollectBlobs = (graceSeconds: number) => Promise<{ blobs: number; objects: number }>;

export type ActivityDeps = { db: Database; notify?: NotifyOptions; startDelivery: StartDelivery; sendReplan: SendReplan; sendTransfer: SendTransfer; collectBlobs: CollectBlobs };
