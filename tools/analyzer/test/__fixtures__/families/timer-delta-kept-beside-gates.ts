// Near misses of the rate-limit, date and text guards: the elapsed time of work reported as text
// through a local, checked against a threshold without leaving, summed into a busy total, and a
// pair helper in a file that reads the process clock's pairs.
// expect: monitoring/timer-delta 13-15 elim 2 "goes to `Date.now() - start}ms``"
// expect: monitoring/slow-op-timer 24-27 elim 3 "after a threshold check"
// expect: monitoring/timer-delta 35-37 elim 2 "goes to `this.busyMs += Date.now() - start`"
// expect: monitoring/timer-delta 45-47 elim 3 "a [seconds, nanoseconds] pair"
// expect: monitoring/timer-delta 50-52 elim 2 "goes to `toMillis`"
export async function sync(
  run: () => Promise<void>,
  info: (message: string) => void,
): Promise<void> {
  const start = Date.now();
  await run();
  const message = `synced in ${Date.now() - start}ms`;
  info(message);
}

export async function query(
  run: () => Promise<number>,
  slowMs: number,
  warn: (message: string) => void,
): Promise<number> {
  const began = performance.now();
  const rows = await run();
  const took = performance.now() - began;
  if (took > slowMs) warn(`slow query: ${took.toFixed(1)}ms`);
  return rows;
}

export class Worker {
  private busyMs = 0;

  async handle(job: () => Promise<void>): Promise<void> {
    const start = Date.now();
    await job();
    this.busyMs += Date.now() - start;
  }

  stats(): { busyMs: number } {
    return { busyMs: this.busyMs };
  }
}

function toMillis(pair: [number, number]): number {
  return pair[0] * 1e3 + pair[1] / 1e6;
}

export function timed(work: () => void, report: (ms: number) => void): void {
  const mark = process.hrtime();
  work();
  report(toMillis(process.hrtime(mark)));
}
