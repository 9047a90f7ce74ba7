/** The limit the create benchmark measures against: a workflow that does nothing, started on the same server. */
export async function benchEmptyWorkflow(): Promise<string> {
  return 'done';
}
