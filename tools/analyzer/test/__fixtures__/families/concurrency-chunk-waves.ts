// Work run in bounded waves: each turn of the loop starts one chunk of the items at once and
// waits for the whole chunk before the next, so at most a chunk's worth is in flight.
// expect: response/concurrency-limit 10-19 elim 10 "each turn of the loop starts one chunk"
// expect: response/concurrency-limit 21-27 elim 7 "each turn of the loop starts one chunk"
// expect: response/concurrency-limit 32-39 elim 8 "each turn of the loop starts one chunk"
// expect: response/concurrency-limit 45-48 elim 4 "each turn of the loop starts one chunk"
import { chunk } from "./chunk-list.js";
import { send } from "./send.js";

export async function inWaves<T>(tasks: (() => Promise<T>)[], size = 4): Promise<T[]> {
  const waves = chunk(tasks, size);
  let results: T[] = [];
  for (let i = 0; i < waves.length; i++) {
    const wave = waves[i];
    if (wave === undefined) continue;
    results = results.concat(await Promise.all(wave.map((task) => task())));
  }
  return results;
}

export async function eachLimit<T, R>(items: T[], fn: (item: T) => Promise<R>, limit: number): Promise<R[]> {
  const out: R[] = [];
  while (items.length) {
    out.push(...(await Promise.all(items.splice(0, limit).map(fn))));
  }
  return out;
}

export async function notifyAll(ids: string[], parallel: number, log: (line: string) => void): Promise<void> {
  log(`notifying ${String(ids.length)}`);
  let failed = 0;
  for (let i = 0; i < ids.length; i += parallel) {
    const outcomes = await Promise.allSettled(
      ids.slice(i, i + parallel).map(async (id) => {
        await send(id);
      }),
    );
    for (const o of outcomes) if (o.status === "rejected") failed++;
  }
  log(`failed ${String(failed)}`);
}

export async function pairs(work: (() => Promise<void>)[], deadline: () => boolean): Promise<void> {
  log2("pairs");
  for (let i = 0; i < work.length; i += 2) {
    if (deadline()) break;
    await Promise.all([work[i]?.(), work[i + 1]?.()]);
  }
}

function log2(line: string): void {
  console.log(line);
}
