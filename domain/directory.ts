/**
 * The directory's one supervision rule and its one walk. An agency answers to its supervising agency when it
 * has one, else to its organisational parent; escalations climb that chain, scope reads it downwards, and an
 * edit that would close it into a loop or make it deeper than the walk goes is refused. Pure and import-free.
 */

/** How many agencies above one the walk goes: the loop check refuses a deeper chain, so no walk stops short. */
export const MAX_SUPERVISION_DEPTH = 32;

/** The agency an agency answers to: its supervisor when it has one, else its parent in the directory. */
export const supervisingIdOf = (a: { supervisorId: string | null; parentId: string | null }): string | null => a.supervisorId ?? a.parentId;

/**
 * The agencies above `agencyId`, nearest first, following `up` (supervisingIdOf over the directory, or another
 * edge such as the parent alone). `complete` is false when the walk met a loop or went past the depth limit.
 */
export async function chainAbove(agencyId: string, up: (id: string) => Promise<string | null> | string | null): Promise<{ chain: string[]; complete: boolean }> {
  const chain: string[] = [];
  let current = await up(agencyId);
  while (current !== null) {
    if (current === agencyId || chain.includes(current) || chain.length === MAX_SUPERVISION_DEPTH) return { chain, complete: false };
    chain.push(current);
    current = await up(current);
  }
  return { chain, complete: true };
}

/** Every agency `root` supervises, directly or below, and itself, from the directory's `up` edges. */
export function subtreeOf(upOf: ReadonlyMap<string, string | null>, root: string): Set<string> {
  const below = new Map<string, string[]>();
  for (const [id, up] of upOf) if (up) below.set(up, [...(below.get(up) ?? []), id]);
  const inside = new Set<string>([root]);
  for (const queue = [root]; queue.length > 0; ) {
    for (const child of below.get(queue.shift()!) ?? []) {
      if (!inside.has(child)) {
        inside.add(child);
        queue.push(child);
      }
    }
  }
  return inside;
}
