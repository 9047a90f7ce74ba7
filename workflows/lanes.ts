/** Runs `each` over the items, `lanes` at a time (deterministic: the lanes take items in order). */
export async function inLanes<T>(items: T[], lanes: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, lanes), items.length) }, lane));
}
