import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';

/**
 * Starts the delivery run of one outbox source. Its workflow id is the source's, so a second start while
 * one runs joins it, and a start after it finished (rows re-queued) runs it again.
 */
export async function startDelivery(client: Client, taskQueue: string, source: string): Promise<void> {
  try {
    await client.workflow.start('notificationDeliveryWorkflow', {
      taskQueue,
      workflowId: `notify:${source}`,
      args: [{ source }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
