// A bounded consumer loop that pauses in its `try` when the queue is empty: the pause waits for
// the next item (its condition reads the item, not the loop's count), not before another attempt.
// expect: none
export async function consume(
  source: { take(): Promise<string | undefined> },
  rounds: number,
  handle: (item: string) => Promise<void>,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    try {
      const item = await source.take();
      if (item === undefined) {
        await idle(100);
        continue;
      }
      await handle(item);
    } catch (thrown) {
      console.warn(thrown);
    }
  }
}

function idle(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
