// @perflayer/response side by side with p-queue 9.3.5, as a bench-gate suite: each benchmark runs in
// a fresh process, contenders alternate round by round, targets are judged with a 95 % interval.
// Run: pnpm --filter @perflayer/response bench    (gated in quick mode by `pnpm check`)
import PQueue from "p-queue";
import { defineSuite } from "@perflayer/bench-gate";
import type { Measure, SetupContext } from "@perflayer/bench-gate";
import { ManualClock } from "@perflayer/core";
import { ResponseOptimizer } from "@perflayer/response";

const priority = (i: number): number => (i * 7_919) % 10; // fixed pseudo-random 0–9
const noop = (): Promise<void> => Promise.resolve();

type Add = (task: () => Promise<void>, priority?: number) => Promise<void>;

/** ns per task for `tasks` tasks queued at once on a fresh scheduler, then drained. */
function drain(tasks: number, withPriority: boolean, fresh: () => Add): Measure {
  return async () => {
    const add = fresh();
    const all = new Array<Promise<void>>(tasks);
    const start = process.hrtime.bigint();
    for (let i = 0; i < tasks; i++) all[i] = add(noop, withPriority ? priority(i) : undefined);
    await Promise.all(all);
    return Number(process.hrtime.bigint() - start) / tasks;
  };
}

const optimizer = (concurrency: number) => (): Add => {
  const o = new ResponseOptimizer({ concurrency });
  return (task, p) => o.run(task, p === undefined ? undefined : { priority: p });
};
const pQueue = (concurrency: number) => (): Add => {
  const q = new PQueue({ concurrency });
  return (task, p) => q.add(task, p === undefined ? undefined : { priority: p });
};

/** ns per enqueue of 5,000 tasks added behind `depth` queued ones (a blocker holds the only slot). */
function enqueueAt(depth: number, fresh: () => Add): Measure {
  return async () => {
    const add = fresh();
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const pending: Promise<void>[] = [add(() => blocker, 100)];
    for (let i = 0; i < depth; i++) pending.push(add(noop, priority(i)));
    const start = process.hrtime.bigint();
    for (let i = 0; i < 5_000; i++) pending.push(add(noop, priority(i * 31)));
    const ns = Number(process.hrtime.bigint() - start) / 5_000;
    release();
    await Promise.all(pending);
    return ns;
  };
}

/**
 * Overload on a simulated clock: capacity 4 × 10 ms = 400 tasks/s, offered 800/s for 10 s, 20 % high
 * priority. Returns the p99 time until a caller has an answer — a result, or a rejection it can turn
 * into a 503 — in simulated ms. Without shedding, half the callers wait ever longer.
 */
function overloadAnswerP99(kind: "optimizer" | "p-queue"): Measure {
  return async () => {
    const clock = new ManualClock();
    const work = (): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, 10));
    const o = new ResponseOptimizer({
      concurrency: 4,
      clock,
      maxQueue: 200,
      codel: { targetMs: 5, intervalMs: 100 },
      shedExemptAbove: "high",
    });
    const q = new PQueue({ concurrency: 4 });
    const answered: number[] = [];
    const pending: Promise<void>[] = [];
    let arrivals = 0;
    const arrivalTimer = clock.setInterval(() => {
      const isHigh = arrivals++ % 5 === 0;
      const at = clock.now();
      const run =
        kind === "optimizer"
          ? o.run(work, { priority: isHigh ? "high" : "low", timeoutMs: 1_000 })
          : q.add(work, { priority: isHigh ? 1 : 0 });
      const answer = (): void => void answered.push(clock.now() - at);
      pending.push(run.then(answer, answer));
    }, 1.25);
    for (let t = 0; t < 10_000; t++) await clock.advanceAsync(1);
    arrivalTimer.cancel();
    while (o.running + o.queued + q.size + q.pending > 0) await clock.advanceAsync(5);
    await Promise.all(pending);
    await o.close();
    answered.sort((a, b) => a - b);
    return answered[Math.floor(0.99 * (answered.length - 1))] as number;
  };
}

const TASKS = 50_000;
/** Tasks per batch of the counted benchmarks: one long-lived scheduler, a batch queued and drained per call. */
const BATCH = 64;

export const suite = defineSuite({
  name: "@perflayer/response",
  benchmarks: [
    ...[1, 16].map((concurrency) => ({
      name: `${TASKS.toLocaleString("en-US")} tasks queued at once, random priority 0–9, concurrency ${concurrency}`,
      unit: "ns/task",
      anchor: "p-queue",
      target: { minSpeedup: 5 },
      // Timed in full runs; `pnpm check` gates the counted batches below on a busy machine.
      quick: false,
      minSamples: 6,
      maxSamples: 20,
      setup: () => ({
        ours: drain(TASKS, true, optimizer(concurrency)),
        anchor: drain(TASKS, true, pQueue(concurrency)),
      }),
    })),
    ...[1, 16].map((concurrency) => ({
      name: `${TASKS.toLocaleString("en-US")} tasks queued at once, no priority, concurrency ${concurrency}`,
      unit: "ns/task",
      anchor: "p-queue",
      target: { minSpeedup: 2.5 },
      // Timed in full runs; `pnpm check` gates the counted batches below on a busy machine.
      quick: false,
      minSamples: 6,
      maxSamples: 20,
      setup: () => ({
        ours: drain(TASKS, false, optimizer(concurrency)),
        anchor: drain(TASKS, false, pQueue(concurrency)),
      }),
    })),
    ...[true, false].map((withPriority) => ({
      name: `${BATCH} tasks queued at once, ${withPriority ? "random priority 0–9" : "no priority"}, concurrency 16, per batch`,
      measure: "instructions" as const,
      anchor: "p-queue",
      setup: ({ asyncLoop }: SetupContext) => {
        const counted = (add: Add) =>
          asyncLoop(
            async (i) => {
              const all = new Array<Promise<void>>(BATCH);
              for (let t = 0; t < BATCH; t++)
                all[t] = add(noop, withPriority ? priority(i * BATCH + t) : undefined);
              await Promise.all(all);
            },
            // A batch is ~100,000 instructions: 3,000 warm-up batches rather than 200,000.
            { warmupCalls: 3_000 },
          );
        // On a manual clock: queue waits and run times recorded by the real clock (and so the
        // buckets searched) would depend on the machine's load.
        const o = new ResponseOptimizer({ concurrency: 16, clock: new ManualClock() });
        const ours: Add = (task, p) => o.run(task, p === undefined ? undefined : { priority: p });
        return { ours: counted(ours), anchor: counted(pQueue(16)()) };
      },
    })),
    {
      name: "200,000 tasks queued at once, random priority 0–9, concurrency 16",
      unit: "ns/task",
      anchor: "p-queue",
      target: { minSpeedup: 10 },
      quick: false,
      minSamples: 3,
      maxSamples: 5,
      forks: 1,
      setup: () => ({
        ours: drain(200_000, true, optimizer(16)),
        anchor: drain(200_000, true, pQueue(16)),
      }),
    },
    {
      name: "enqueue behind 50,000 queued tasks, random priority",
      unit: "ns/enqueue",
      anchor: "p-queue",
      target: { minSpeedup: 10 },
      quick: false,
      minSamples: 6,
      maxSamples: 10,
      setup: () => ({
        ours: enqueueAt(50_000, optimizer(1)),
        anchor: enqueueAt(50_000, pQueue(1)),
      }),
    },
    {
      name: "overload 2× capacity: p99 time to an answer, served or shed (simulated clock)",
      unit: "ms (simulated)",
      anchor: "p-queue with priorities",
      target: { maxRatio: 0.1 },
      quick: false,
      minSamples: 3,
      maxSamples: 3,
      forks: 1,
      setup: () => ({ ours: overloadAnswerP99("optimizer"), anchor: overloadAnswerP99("p-queue") }),
    },
  ],
});
