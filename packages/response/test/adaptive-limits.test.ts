import { describe, expect, it } from "vitest";
import { ManualClock, OverloadError, PerflayerConfigError, TimeoutError } from "@perflayer/core";
import { AimdLimit, GradientLimit, ResponseOptimizer, VegasLimit } from "@perflayer/response";
import type { LimitAlgorithm } from "@perflayer/response";
import { simulate } from "../bench/limit-simulation.ts";
import type { PhaseResult, Scenario } from "../bench/limit-simulation.ts";
import { latencyScenario } from "../bench/limit-scenarios.ts";

/** Capacity 8 → 16 → 4, 6 s each, 10 ms per request, FIFO beyond capacity, 64 closed-loop clients. */
const capacityChanges = (timeoutMs?: number, codel = false): Scenario => ({
  name: "capacity 8 → 16 → 4",
  durationMs: 18_000,
  clients: 64,
  phases: [
    { startMs: 0, servers: 8 },
    { startMs: 6_000, servers: 16 },
    { startMs: 12_000, servers: 4 },
  ],
  serviceMs: () => 10,
  overflow: "queue",
  ...(timeoutMs === undefined ? {} : { timeoutMs }),
  codel,
});

/** Feeds `update` one completion every `everyMs` from `fromMs` to `toMs`; returns the last limit. */
function feed(
  algorithm: LimitAlgorithm,
  sample: { readonly rttMs: number; readonly inflight: number; readonly dropped?: boolean },
  fromMs: number,
  toMs: number,
  everyMs = 1,
): number {
  for (let t = fromMs; t < toMs; t += everyMs)
    algorithm.update(sample.rttMs, sample.inflight, sample.dropped ?? false, t);
  return algorithm.limit;
}

describe("adaptive limits against a backend with hidden capacity (simulated)", () => {
  it.each([
    ["without deadlines", undefined],
    ["with 200 ms deadlines", 200],
  ])(
    "GradientLimit settles within ±25 % of capacity in 2 s after each change and stays there, %s",
    async (_, timeoutMs) => {
      const run = await simulate(capacityChanges(timeoutMs), new GradientLimit());
      for (const phase of run.phases.slice(1)) {
        expect(phase.convergeMs).toBeDefined();
        expect(phase.convergeMs).toBeLessThanOrEqual(2_000);
        // The backend is kept busy without a standing queue inside it.
        expect(phase.throughput).toBeGreaterThanOrEqual(0.95 * phase.phase.servers * 100);
        expect(phase.rttP50Ratio).toBeLessThanOrEqual(1.5);
      }
    },
  );

  it.each([
    ["VegasLimit", () => new VegasLimit()],
    ["AimdLimit", () => new AimdLimit()],
  ])("%s settles within ±25 % of capacity in 3 s after each change", async (_, make) => {
    const run = await simulate(capacityChanges(), make());
    for (const phase of run.phases.slice(1)) {
      expect(phase.convergeMs).toBeDefined();
      expect(phase.convergeMs).toBeLessThanOrEqual(3_000);
    }
  });

  it.each([
    ["GradientLimit", () => new GradientLimit({ initial: 40 })],
    ["VegasLimit", () => new VegasLimit({ initial: 40 })],
    ["AimdLimit", () => new AimdLimit({ initial: 40 })],
  ])(
    "%s comes down to capacity although fewer than half of its limit are in flight",
    async (_, make) => {
      // 10 clients under a limit of 40: the old in-flight guard froze the limit here.
      const run = await simulate(
        {
          ...capacityChanges(),
          durationMs: 12_000,
          clients: 10,
          phases: [{ startMs: 0, servers: 4 }],
        },
        make(),
      );
      expect(run.limits.at(-1)).toBeGreaterThanOrEqual(3);
      expect(run.limits.at(-1)).toBeLessThanOrEqual(5);
    },
  );

  it("GradientLimit holds the capacity while the backend's latency doubles without queueing", async () => {
    // 8 servers whose service time rises from 10 to 20 ms between 20 and 40 s (the report's
    // scenario): the long-term RTT must follow the rise, or the limit would read it as queueing.
    const run = await simulate(latencyScenario(), new GradientLimit());
    const [, rising, slow] = run.phases as [PhaseResult, PhaseResult, PhaseResult];
    expect(rising.convergeMs).toBe(0);
    expect(slow.convergeMs).toBe(0);
    // 8 servers whose service time rises linearly from 10 to 20 ms serve 8,000 × ln 2 / 10 ≈ 555
    // tasks/s on average; at 20 ms, 400.
    expect(rising.throughput).toBeGreaterThanOrEqual((0.95 * 8_000 * Math.LN2) / 10);
    expect(slow.throughput).toBeGreaterThanOrEqual(0.95 * 400);
    expect(slow.rttP50Ratio).toBeLessThanOrEqual(1.5);
  });

  it("grows only while the limit is in use: at most twice the tasks in flight", async () => {
    const run = await simulate(
      {
        ...capacityChanges(),
        durationMs: 5_000,
        clients: 10,
        phases: [{ startMs: 0, servers: 64 }],
      },
      new GradientLimit({ initial: 4 }),
    );
    expect(Math.max(...run.limits)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...run.limits)).toBeLessThanOrEqual(20);
  });

  it("does not collapse when tasks spend their deadline in the optimizer's queue", async () => {
    // With 100 ms deadlines and capacity 4, 64 callers wait ~160 ms: most tasks time out queued,
    // and many time out while running. None of that is the backend dropping work.
    const run = await simulate(capacityChanges(100), new GradientLimit());
    const last = run.phases[2];
    expect(last?.timeouts).toBeGreaterThan(1_000);
    expect(last?.convergeMs).toBeLessThanOrEqual(2_000);
    expect(last?.limitMin).toBeGreaterThanOrEqual(3);
  });

  it("with CoDel shedding, answers as many tasks as the best fixed limit despite 100 ms deadlines", async () => {
    // Shedding what waited too long leaves the tasks that can still make their deadline; the
    // limit must then keep the backend's queue short, as a fixed limit at capacity does.
    const scenario = capacityChanges(100, true);
    const adaptive = await simulate(scenario, new GradientLimit());
    const [eight, sixteen, four] = adaptive.phases as [PhaseResult, PhaseResult, PhaseResult];
    // At capacities 8 and 16 the backend's whole rate (100 tasks/s per server) is answered.
    expect(eight.throughput).toBeGreaterThanOrEqual(0.95 * 800);
    expect(sixteen.throughput).toBeGreaterThanOrEqual(0.95 * 1_600);
    // At 4 most tasks still expire; the best fixed limit is the capacity (the report's sweep shows it).
    const fixed = (await simulate(scenario, 4)).phases[2] as PhaseResult;
    expect(four.throughput).toBeGreaterThanOrEqual(0.95 * fixed.throughput);
    for (const phase of adaptive.phases) expect(phase.rttP50Ratio).toBeLessThanOrEqual(1.5);
    expect(four.convergeMs).toBeLessThanOrEqual(2_000);
  });
});

describe("adaptive limits, fed directly", () => {
  it("AimdLimit backs off on latency above its threshold without any drop", () => {
    // Probes off: this feed's latency does not depend on the limit, as no backend's would.
    const aimd = new AimdLimit({ initial: 20, tolerance: 1.5, probeIntervalMs: Infinity });
    feed(aimd, { rttMs: 10, inflight: 20 }, 0, 1_000);
    const before = aimd.limit;
    expect(before).toBeGreaterThanOrEqual(20);
    const after = feed(aimd, { rttMs: 20, inflight: 20 }, 1_000, 1_500);
    expect(after).toBeLessThan(before);
  });

  it("backs off on drops once per window, not once per dropped task", () => {
    const gradient = new GradientLimit({
      initial: 20,
      backoffRatio: 0.5,
      probeIntervalMs: Infinity,
    });
    feed(gradient, { rttMs: 10, inflight: 20 }, 0, 1_000);
    const before = gradient.limit;
    // 100 drops in one window: one back-off, not 0.5^100.
    for (let i = 0; i < 100; i++) gradient.update(5, before, true, 1_001 + i);
    expect(gradient.limit).toBeGreaterThanOrEqual(Math.floor(before / 2) - 1);
    expect(gradient.limit).toBeLessThan(before);
  });

  it("updates once per window of time, whatever the number of samples", () => {
    const sparse = new GradientLimit({ initial: 10, probeIntervalMs: Infinity });
    const dense = new GradientLimit({ initial: 10, probeIntervalMs: Infinity });
    // The same 2 s of "no queueing" at 100 and at 10,000 completions per second.
    const slow = feed(sparse, { rttMs: 10, inflight: 10 }, 0, 2_000, 10);
    const fast = feed(dense, { rttMs: 10, inflight: 10 }, 0, 2_000, 0.1);
    expect(slow).toBeGreaterThan(10);
    expect(Math.abs(fast - slow)).toBeLessThanOrEqual(1);
  });

  it("rejects bad options and bad samples with the house formula", () => {
    expect(() => new GradientLimit({ tolerance: 0.5 })).toThrow(
      /Expected `tolerance` to be a finite number >= 1 and <= 2, got `0.5` \(number\)/,
    );
    expect(() => new VegasLimit({ alpha: 0.2, beta: 0.1 })).toThrow(PerflayerConfigError);
    expect(() => new AimdLimit({ windowMs: 0 })).toThrow(/Expected `windowMs`/);
    expect(() => new GradientLimit({ longWindow: 600 } as object)).toThrow(/longWindowMs/);
    expect(() => new GradientLimit().update(10, 1, false, Number.NaN)).toThrow(
      PerflayerConfigError,
    );
  });
});

/** A LimitAlgorithm that records what ResponseOptimizer feeds it. */
class Recorder implements LimitAlgorithm {
  readonly samples: { rttMs: number; dropped: boolean; now: number }[] = [];
  constructor(readonly limit: number) {}
  update(rttMs: number, _inflight: number, dropped: boolean, now: number): number {
    this.samples.push({ rttMs, dropped, now });
    return this.limit;
  }
}

describe("what ResponseOptimizer feeds a limit algorithm", () => {
  const work = (clock: ManualClock, ms: number, fail?: Error) => (): Promise<void> =>
    new Promise((resolve, reject) =>
      clock.setTimeout(() => (fail === undefined ? resolve() : reject(fail)), ms),
    );

  it("the run time from start to settle, never the time queued", async () => {
    const clock = new ManualClock();
    const recorder = new Recorder(1);
    const optimizer = new ResponseOptimizer({ concurrency: recorder, clock });
    const tasks = [1, 2, 3].map(() => optimizer.run(work(clock, 10)));
    await clock.advanceAsync(30);
    await Promise.all(tasks);
    expect(recorder.samples).toEqual([
      { rttMs: 10, dropped: false, now: 10 },
      { rttMs: 10, dropped: false, now: 20 },
      { rttMs: 10, dropped: false, now: 30 },
    ]);
  });

  it("a deadline that passes in the queue or because of it is not a drop", async () => {
    const clock = new ManualClock();
    const recorder = new Recorder(1);
    const optimizer = new ResponseOptimizer({ concurrency: recorder, clock });
    const blocker = optimizer.run(work(clock, 100));
    // Expires while queued: never runs, so nothing is fed.
    const expired = expect(
      optimizer.run(work(clock, 10), { timeoutMs: 50 }),
    ).rejects.toBeInstanceOf(TimeoutError);
    // Starts at 100 with 20 ms left, runs 30 ms: its caller times out, its work completes.
    const late = expect(optimizer.run(work(clock, 30), { timeoutMs: 120 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    await clock.advanceAsync(200);
    await Promise.all([blocker, expired, late]);
    expect(recorder.samples).toEqual([
      { rttMs: 100, dropped: false, now: 100 },
      { rttMs: 30, dropped: false, now: 130 },
    ]);
  });

  it("a task stopped at its deadline after queueing is no sample; one that ran its whole budget is a drop", async () => {
    const clock = new ManualClock();
    const recorder = new Recorder(1);
    const optimizer = new ResponseOptimizer({ concurrency: recorder, clock });
    const abortable =
      (ms: number) =>
      ({ signal }: { signal: AbortSignal }): Promise<void> =>
        new Promise((resolve, reject) => {
          const timer = clock.setTimeout(resolve, ms);
          signal.addEventListener("abort", () => {
            timer.cancel();
            reject(signal.reason as Error);
          });
        });
    // Runs alone for its whole 50 ms budget and is stopped: the backend is too slow.
    const slow = expect(optimizer.run(abortable(100), { timeoutMs: 50 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    await clock.advanceAsync(60);
    await slow;
    // Waits 40 ms behind a blocker, then is stopped 20 ms into its run: censored, no sample.
    const blocker = optimizer.run(work(clock, 40));
    const queued = expect(optimizer.run(abortable(100), { timeoutMs: 60 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    await clock.advanceAsync(100);
    await Promise.all([blocker, queued]);
    expect(recorder.samples).toEqual([
      { rttMs: 50, dropped: true, now: 50 },
      { rttMs: 40, dropped: false, now: 100 },
    ]);
  });

  it("overload errors are drops; other errors say nothing about capacity", async () => {
    const clock = new ManualClock();
    const recorder = new Recorder(4);
    const optimizer = new ResponseOptimizer({ concurrency: recorder, clock });
    const overloaded = expect(
      optimizer.run(work(clock, 5, new OverloadError("busy", { retryAfterMs: 10 }))),
    ).rejects.toBeInstanceOf(OverloadError);
    const broken = expect(optimizer.run(work(clock, 1, new Error("404")))).rejects.toThrow("404");
    await clock.advanceAsync(10);
    await Promise.all([overloaded, broken]);
    expect(recorder.samples).toEqual([{ rttMs: 5, dropped: true, now: 5 }]);
  });

  it("lets the optimizer's limit follow the algorithm as the backend drops work", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({
      concurrency: new AimdLimit({ initial: 8, min: 1, max: 8, backoffRatio: 0.5, minSamples: 4 }),
      clock,
    });
    // Every task runs its whole 50 ms budget alone (no queueing) and is dropped by the backend.
    for (let wave = 0; wave < 4; wave++) {
      const tasks = Array.from({ length: optimizer.limit }, () =>
        optimizer.run(work(clock, 100), { timeoutMs: 50 }).catch(() => undefined),
      );
      await clock.advanceAsync(100);
      await Promise.all(tasks);
    }
    expect(optimizer.limit).toBeLessThan(8);
  });
});
