// Items sent in batches with a pause between batches (not after the last): the wait is decided by
// the loop's own count, beside the work — work paced by hand.
// expect: response/throttle 14-16 elim 3 "waits a delay between the turns of a loop over work"
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendInBatches<T>(
  items: readonly T[],
  size: number,
  send: (batch: readonly T[]) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await send(items.slice(i, i + size));
    // The server asks for a second between batches.
    if (i + size < items.length) {
      await pause(1000);
    }
  }
}
