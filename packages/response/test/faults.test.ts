import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ManualClock,
  OverloadError,
  PerflayerConfigError,
  RecordingInstrumentation,
} from "@perflayer/core";
import { ResponseOptimizer, wrapHandler } from "@perflayer/response";
import type { LimitAlgorithm, Priority } from "@perflayer/response";

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let warnings: string[] = [];
const onWarning = (warning: Error): void => void warnings.push(warning.message);
beforeEach(() => {
  warnings = [];
  process.on("warning", onWarning);
});
afterEach(() => {
  process.off("warning", onWarning);
});

/** A limit algorithm whose update() does `fault` from the `after`-th call on. */
function faultyLimit(initial: number, fault: () => number): LimitAlgorithm & { calls: number } {
  const algorithm = {
    calls: 0,
    value: initial,
    get limit(): number {
      return algorithm.value;
    },
    update(): number {
      algorithm.calls++;
      algorithm.value = fault();
      return algorithm.value;
    },
  };
  return algorithm;
}

describe("ResponseOptimizer with a LimitAlgorithm that fails", () => {
  it(
    "P0 «a throwing callback never stops the scheduler»: settles every caller and keeps the queue running when update() throws, reporting it once",
    { tags: ["p0"] },
    async () => {
      const recording = new RecordingInstrumentation();
      const limit = faultyLimit(1, () => {
        throw new Error("limit exploded");
      });
      const optimizer = new ResponseOptimizer({
        concurrency: limit,
        clock: new ManualClock(),
        instrumentation: recording,
        name: "faulty",
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => optimizer.run(() => i)),
      );
      expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(limit.calls).toBe(20);
      expect(optimizer.stats().callbackErrors).toBe(20);
      expect(optimizer.stats().outcomes.ok).toBe(20);
      expect(optimizer.limit).toBe(1);
      expect(
        recording.value("perflayer_response_callback_errors_total", {
          optimizer: "faulty",
          callback: "limit",
        }),
      ).toBe(20);
      await flush();
      expect(warnings).toEqual([
        'ResponseOptimizer "faulty": the limit callback failed and was skipped: Error: limit exploded',
      ]);
      await optimizer.close(); // flushes the summary of what was suppressed
      await flush();
      expect(warnings[1]).toMatch(/^19 more warnings like this were suppressed/);
    },
  );

  it.each([[0], [Number.NaN], [-3], [2.5]])(
    "keeps the previous limit when update() produces %s, and counts it",
    async (bad) => {
      const limit = faultyLimit(2, () => bad);
      const optimizer = new ResponseOptimizer({ concurrency: limit, clock: new ManualClock() });
      await expect(
        Promise.all(Array.from({ length: 10 }, (_, i) => optimizer.run(() => i))),
      ).resolves.toHaveLength(10);
      expect(optimizer.limit).toBe(2);
      expect(optimizer.stats().callbackErrors).toBe(10);
      await flush();
      expect(warnings[0]).toBe(
        `ResponseOptimizer "default": the limit callback failed and was skipped: PerflayerConfigError: Expected \`concurrency.limit\` to be an integer >= 1, got \`${String(bad)}\` (number). Fix the LimitAlgorithm's update(); the previous limit (2) stays in force.`,
      );
      await optimizer.close();
      await flush(); // the summary of the 9 suppressed, before the next case listens
    },
  );

  it.each([[0], [Number.NaN], [-1], [1.5]])(
    "rejects a LimitAlgorithm whose limit is %s at construction",
    (bad) => {
      const create = (): ResponseOptimizer =>
        new ResponseOptimizer({ concurrency: faultyLimit(bad, () => bad) });
      expect(create).toThrow(PerflayerConfigError);
      expect(create).toThrow(
        `new ResponseOptimizer(): Expected \`concurrency.limit\` to be an integer >= 1, got \`${String(bad)}\` (number).`,
      );
    },
  );
});

describe("queue-delay shedding protects high priority", () => {
  /** A flood of low-priority tasks with a few high ones among them; tasks take 10 ms each. */
  async function flood(protectAbove?: Priority) {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({
      concurrency: 2,
      clock,
      codel: true,
      ...(protectAbove === undefined ? {} : { protectAbove }),
    });
    const work = (): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, 10));
    const outcome = (p: Promise<void>): Promise<string> =>
      p.then(
        () => "ok",
        (e: unknown) => (e instanceof OverloadError ? "shed" : "other"),
      );
    const low: Promise<string>[] = [];
    const high: Promise<string>[] = [];
    for (let tick = 0; tick < 20; tick++) {
      for (let i = 0; i < 10; i++) low.push(outcome(optimizer.run(work, { priority: "low" })));
      high.push(outcome(optimizer.run(work, { priority: "high" })));
      await clock.advanceAsync(10);
    }
    for (let i = 0; i < 200; i++) await clock.advanceAsync(10);
    const count = (all: string[], what: string): number => all.filter((o) => o === what).length;
    const lows = await Promise.all(low);
    const highs = await Promise.all(high);
    return { lowShed: count(lows, "shed"), highOk: count(highs, "ok"), highs: highs.length };
  }

  it(
    "P0 «a flood of low requests is shed and the high ones among it are served»: with the README's codel: true, sheds the low-priority flood and serves every high-priority task",
    { tags: ["p0"] },
    async () => {
      const { lowShed, highOk, highs } = await flood();
      expect(highOk).toBe(highs);
      expect(lowShed).toBeGreaterThan(100);
    },
  );

  it("is configurable: protectAbove: critical leaves high to queue-delay shedding", async () => {
    const { highOk, highs } = await flood("critical");
    expect(highOk).toBeLessThan(highs);
  });

  it("still sheds protected tasks when nothing lower is queued, so the queue drains", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock, codel: true });
    const work = (): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, 10));
    const tasks = Array.from({ length: 40 }, () =>
      optimizer.run(work, { priority: "high" }).then(
        () => "ok",
        () => "shed",
      ),
    );
    for (let i = 0; i < 60; i++) await clock.advanceAsync(10);
    expect((await Promise.all(tasks)).filter((o) => o === "shed").length).toBeGreaterThan(10);
  });

  it("rejects an unknown protectAbove in the house formula", () => {
    expect(() => new ResponseOptimizer({ protectAbove: "urgent" as never })).toThrow(
      'new ResponseOptimizer(): Expected `protectAbove` to be one of "critical", "high", "normal", "low", "background" or an integer, got `"urgent"` (string). Pass e.g. { protectAbove: "high" }.',
    );
  });
});

describe("HTTP adapters with key functions that fail", () => {
  it("serves the request with the defaults when priority(req) throws or returns junk, and reports it", async () => {
    const optimizer = new ResponseOptimizer({ concurrency: 4, name: "http" });
    let calls = 0;
    const server = createServer(
      wrapHandler(optimizer, (_req, res) => void res.end("served"), {
        priority: () => {
          calls++;
          if (calls % 2 === 1) throw new Error("no priority today");
          return "urgent" as never;
        },
        timeoutMs: () => Number.NaN,
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (let i = 0; i < 4; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe("served");
      }
      expect(optimizer.stats().callbackErrors).toBe(8); // 4 × priority, 4 × timeoutMs
      await flush();
      expect(warnings.some((w) => w.includes("the priority callback failed"))).toBe(true);
      expect(warnings.some((w) => w.includes("Expected `timeoutMs(req)` to be a finite"))).toBe(
        true,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await optimizer.close();
    }
  });
});
