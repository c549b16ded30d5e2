import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError, TimeoutError } from "@perflayer/core";
import { ResponseOptimizer } from "@perflayer/response";
import type { ResponseOptimizerOptions } from "@perflayer/response";

/** A task that takes `ms` on the manual clock and counts its starts. */
function work(clock: ManualClock, ms: number, starts: { count: number }) {
  return (): Promise<string> => {
    starts.count++;
    return new Promise((resolve) => clock.setTimeout(() => resolve("done"), ms));
  };
}

/** Runs `count` tasks of `ms` each, one after another, so the optimizer learns their run time. */
async function warmUp(
  clock: ManualClock,
  optimizer: ResponseOptimizer,
  ms: number,
  count = 10,
): Promise<void> {
  const starts = { count: 0 };
  for (let i = 0; i < count; i++) {
    const done = optimizer.run(work(clock, ms, starts), { timeoutMs: 1_000 });
    await clock.advanceAsync(ms);
    await done;
  }
  expect(starts.count).toBe(count);
}

/**
 * Queues a task of `ms` with `timeoutMs` behind a running one of `ms` (no deadline).
 * @returns the queued task's result and the starts of both
 */
function behindOne(
  clock: ManualClock,
  optimizer: ResponseOptimizer,
  ms: number,
  timeoutMs: number,
) {
  const starts = { count: 0 };
  const blocker = optimizer.run(work(clock, ms, starts));
  const queued = optimizer.run(work(clock, ms, starts), { timeoutMs });
  return { blocker, queued, starts };
}

/** Expects the task queued by {@link behindOne} to start when the blocker ends, and to finish. */
async function expectStartsAndFinishes(
  clock: ManualClock,
  ms: number,
  { queued, starts }: ReturnType<typeof behindOne>,
): Promise<void> {
  await clock.advanceAsync(ms);
  expect(starts.count).toBe(2);
  await clock.advanceAsync(ms);
  await expect(queued).resolves.toBe("done");
}

describe("deadline-aware starts", () => {
  it("does not start a queued task with less deadline left than recent tasks ran, and rejects it saying so", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock });
    await warmUp(clock, optimizer, 20);
    // Waits 20 ms behind the blocker: 10 ms of its 30 ms budget left, tasks take 20 ms.
    const { blocker, queued: doomed, starts } = behindOne(clock, optimizer, 20, 30);
    const outcome = expect(doomed).rejects.toThrow(
      "the task was not started: 10 ms of its deadline were left (30 ms from enqueue, 20 ms waited), no more than the ~20 ms recent tasks ran (deadlineAware)",
    );
    await clock.advanceAsync(20);
    await outcome;
    await expect(doomed).rejects.toBeInstanceOf(TimeoutError);
    await blocker;
    expect(starts.count).toBe(1); // the blocker only
    expect(optimizer.stats().outcomes.timeout).toBe(1);
    expect(optimizer.running).toBe(0);
  });

  it("starts a queued task with more deadline left than recent tasks ran", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock });
    await warmUp(clock, optimizer, 20);
    // 21 ms left at start.
    await expectStartsAndFinishes(clock, 20, behindOne(clock, optimizer, 20, 41));
  });

  it("estimates from run time alone: time spent queued does not make the next task look slow", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock });
    const starts = { count: 0 };
    // Twelve 5 ms tasks queued at once: the last waits 55 ms, but each runs 5 ms.
    const burst = Array.from({ length: 12 }, () =>
      optimizer.run(work(clock, 5, starts), { timeoutMs: 1_000 }),
    );
    for (let i = 0; i < 12; i++) await clock.advanceAsync(5);
    await Promise.all(burst);
    expect(starts.count).toBe(12);
    // After 5 ms behind a running one, 7 ms are left: more than the 5 ms tasks run.
    await expectStartsAndFinishes(clock, 5, behindOne(clock, optimizer, 5, 12));
  });

  it("rejects a task that would start at once, with an empty queue, when its whole budget is too short", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 4, clock });
    await warmUp(clock, optimizer, 20);
    const starts = { count: 0 };
    await expect(optimizer.run(work(clock, 20, starts), { timeoutMs: 15 })).rejects.toThrow(
      "the task was not started: 15 ms of its deadline were left (15 ms from enqueue, 0 ms waited)",
    );
    expect(starts.count).toBe(0);
  });

  it("starts a task on an optimizer idle for longer than recent tasks ran, so a stale estimate refuses nothing", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 4, clock });
    await warmUp(clock, optimizer, 20); // a slow spell: tasks took 20 ms
    await clock.advanceAsync(21); // idle since, for longer than that
    const starts = { count: 0 };
    const quick = optimizer.run(work(clock, 5, starts), { timeoutMs: 15 });
    expect(starts.count).toBe(1);
    await clock.advanceAsync(5);
    await expect(quick).resolves.toBe("done");
  });

  it("starts every task with time left until minSamples tasks finished within windowMs, so it measures again", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({
      concurrency: 4,
      clock,
      deadlineAware: { windowMs: 1_000, minSamples: 10 },
    });
    const starts = { count: 0 };
    await warmUp(clock, optimizer, 20, 9); // one short of minSamples
    const early = optimizer.run(work(clock, 20, starts), { timeoutMs: 25 });
    expect(starts.count).toBe(1);
    await clock.advanceAsync(20);
    await expect(early).resolves.toBe("done"); // the tenth sample
    await expect(optimizer.run(work(clock, 20, starts), { timeoutMs: 15 })).rejects.toThrow(
      TimeoutError,
    );
    expect(starts.count).toBe(1);
    // Once the samples are older than windowMs there is no estimate: tasks start and are measured.
    await clock.advanceAsync(1_000);
    const later = optimizer.run(work(clock, 10, starts), { timeoutMs: 15 });
    expect(starts.count).toBe(2);
    await clock.advanceAsync(10);
    await expect(later).resolves.toBe("done");
  });

  it("takes the configured percentile of recent run times", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({
      concurrency: 1,
      clock,
      deadlineAware: { percentile: 50 },
    });
    const byDefault = new ResponseOptimizer({ concurrency: 1, clock });
    for (const each of [optimizer, byDefault]) {
      await warmUp(clock, each, 10, 6);
      await warmUp(clock, each, 40, 4); // p50 10 ms, p90 40 ms
    }
    const starts = { count: 0 };
    const fits = optimizer.run(work(clock, 10, starts), { timeoutMs: 11 });
    expect(starts.count).toBe(1);
    await expect(byDefault.run(work(clock, 10, starts), { timeoutMs: 11 })).rejects.toThrow(
      "no more than the ~40 ms recent tasks ran",
    );
    expect(starts.count).toBe(1);
    await clock.advanceAsync(10);
    await expect(fits).resolves.toBe("done");
  });

  it("starts a task with any time left when deadlineAware is false", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock, deadlineAware: false });
    await warmUp(clock, optimizer, 20);
    const starts = { count: 0 };
    const late = optimizer.run(work(clock, 20, starts), { timeoutMs: 15 });
    expect(starts.count).toBe(1);
    const outcome = expect(late).rejects.toThrow("the task's deadline passed while running");
    await clock.advanceAsync(15);
    await outcome;
  });

  it.each<[ResponseOptimizerOptions["deadlineAware"] | string, string]>([
    [
      "yes",
      'new ResponseOptimizer(): Expected `deadlineAware` to be a boolean or { percentile, windowMs, minSamples }, got `"yes"` (string). Pass e.g. { deadlineAware: { percentile: 90 } }, or false to start every task that has time left.',
    ],
    [
      { percentile: 0 },
      "new ResponseOptimizer(): Expected `deadlineAware.percentile` to be a finite number > 0 and <= 100, got `0` (number). Pass e.g. { deadlineAware: { percentile: 90 } }.",
    ],
    [
      { percentile: 101 },
      "Expected `deadlineAware.percentile` to be a finite number > 0 and <= 100, got `101` (number).",
    ],
    [
      { windowMs: -1 },
      "Expected `deadlineAware.windowMs` to be a finite number > 0, got `-1` (number). Pass e.g. { deadlineAware: { windowMs: 10_000 } }.",
    ],
    [
      { minSamples: 1.5 },
      "Expected `deadlineAware.minSamples` to be an integer >= 1, got `1.5` (number). Pass e.g. { deadlineAware: { minSamples: 10 } }.",
    ],
  ])("rejects deadlineAware: %j with a typed error that says how to fix it", (given, message) => {
    const create = (): ResponseOptimizer =>
      new ResponseOptimizer({ deadlineAware: given as ResponseOptimizerOptions["deadlineAware"] });
    expect(create).toThrow(PerflayerConfigError);
    expect(create).toThrow(message);
  });

  it("rejects an unknown deadlineAware key by name", () => {
    expect(
      () =>
        new ResponseOptimizer({
          deadlineAware: { percentil: 90 } as unknown as ResponseOptimizerOptions["deadlineAware"],
        }),
    ).toThrow(
      "new ResponseOptimizer() deadlineAware: Unknown option `percentil`. Expected one of `percentile`, `windowMs`, `minSamples`; check the spelling.",
    );
  });
});
