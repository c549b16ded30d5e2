// Near misses of the rate-limit, date and text guards: the elapsed time of work reported as text
// through a local or a function made for a lazy log, checked against a threshold without leaving,
// summed into a busy total or a map of totals, and a pair helper in a file that reads the process
// clock's pairs.
// expect: monitoring/timer-delta 16-18 elim 2 "goes to `Date.now() - start}ms``"
// expect: monitoring/slow-op-timer 27-30 elim 3 "after a threshold check"
// expect: monitoring/timer-delta 38-40 elim 2 "goes to `this.busyMs += Date.now() - start`"
// expect: monitoring/timer-delta 48-50 elim 3 "a [seconds, nanoseconds] pair"
// expect: monitoring/timer-delta 53-55 elim 2 "goes to `toMillis`"
// expect: monitoring/timer-delta 63-64 elim 1 "goes to `phaseTotals.set`"
// expect: monitoring/timer-delta 72-75 elim 2 "elapsed time `process.hrtime.bigint() - start`"
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

const phaseTotals = new Map<string, number>();
let phaseStart = 0;

export function enterPhase(previous: string | undefined): void {
  const now = Date.now();
  if (previous !== undefined)
    phaseTotals.set(previous, (phaseTotals.get(previous) || 0) + (now - phaseStart));
  phaseStart = now;
}

export async function pause(
  resume: () => Promise<void>,
  debug: (make: () => string) => void,
): Promise<void> {
  const start = process.hrtime.bigint();
  await resume();
  const diff = process.hrtime.bigint() - start;
  debug(() => `paused for ~${Number(diff) / 1_000_000} ms`);
}
