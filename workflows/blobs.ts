import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** The collector runs every hour: a failed attempt waits for the next run rather than retrying for long. */
const { collectBlobs } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 minute', maximumAttempts: 3 },
});

/**
 * An upload stores its bytes before its directive records them (at most the few seconds an Update may wait), and a
 * blob it re-uses is stamped again: an hour spares every upload in flight, whatever the load.
 */
export const BLOB_GRACE_SECONDS = 3600;

export type BlobCollectionInput = { graceSeconds?: number };
export type BlobCollectionResult = { blobs: number; objects: number };

/** Takes away attachment bytes no attachment names (in PostgreSQL and in the bucket), started by a Temporal Schedule. */
export async function blobCollectionWorkflow(input: BlobCollectionInput = {}): Promise<BlobCollectionResult> {
  return collectBlobs({ graceSeconds: input.graceSeconds ?? BLOB_GRACE_SECONDS });
}
