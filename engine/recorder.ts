/**
 * The recorder's half that runs in the workflow, generic over a kind's events and state: sequence numbers are
 * reserved before the record activity runs, so concurrent records never share one, and the state's `seq`
 * advances only once the event is durably recorded. The activity records idempotently on (item, seq) and
 * projects the snapshot in the same transaction. Import-free: it runs inside the workflow sandbox.
 */

/** An event a workflow is about to record, and who caused it. */
export type Recorded<E> = { event: E; actorId: string | null };

/** What the record activity receives: the event, its sequence number, and the item as it is after it. */
export type Sequenced<E, S> = { event: E; actorId: string | null; seq: number; snapshot: S };

export type Recorder<E> = (recorded: Recorded<E>) => Promise<void>;

/** A recorder over `state` that hands each event, numbered, with a copy of the state, to `write`. */
export function sequencedRecorder<E, S extends { seq: number }>(state: S, write: (input: Sequenced<E, S>) => Promise<unknown>): Recorder<E> {
  let nextSeq = state.seq;
  return async ({ event, actorId }) => {
    const seq = ++nextSeq;
    await write({ event, actorId, seq, snapshot: JSON.parse(JSON.stringify({ ...state, seq })) as S });
    state.seq = Math.max(state.seq, seq);
  };
}
