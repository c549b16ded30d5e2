import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError, TimeoutError } from "@perflayer/core";
import { ResponseOptimizer, retry, withTimeout } from "@perflayer/response";

const THIRTY_DAYS = 30 * 86_400_000;
const never = (): Promise<never> => new Promise<never>(() => undefined);

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("deadlines: a Date or a clock.now() value", () => {
  it("takes a Date deadline for run() and maps it onto the optimizer's clock", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock });
    void optimizer.run(never);
    const queued = optimizer.run(() => "late", { deadline: new Date(clock.wallTime() + 200) });
    const outcome = expect(queued).rejects.toBeInstanceOf(TimeoutError);
    clock.advance(199);
    expect(optimizer.queued).toBe(1);
    clock.advance(1);
    await outcome;
    expect(optimizer.queued).toBe(0);
  });

  it("rejects an epoch-milliseconds deadline with a typed error that says to pass a Date", () => {
    const optimizer = new ResponseOptimizer();
    const epoch = Date.now() + 200;
    expect(() => optimizer.run(() => 1, { deadline: epoch })).toThrow(PerflayerConfigError);
    expect(() => optimizer.run(() => 1, { deadline: epoch })).toThrow(
      /ResponseOptimizer\.run\(\): Expected `deadline` to be a Date or a time on the clock's monotonic scale .* looks like epoch milliseconds \(Date\.now\(\)\)\. Pass \{ deadline: new Date\(\d+\) \}/,
    );
  });

  it("stops retry() at a Date deadline", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const pending = retry(
      () => {
        calls++;
        return Promise.reject(new Error("down"));
      },
      {
        attempts: 1_000,
        backoff: { initialMs: 10, maxMs: 10 },
        jitter: "none",
        clock,
        deadline: new Date(clock.wallTime() + 200),
      },
    );
    const outcome = expect(pending).rejects.toBeInstanceOf(TimeoutError);
    for (let i = 0; i < 50; i++) await clock.advanceAsync(10);
    await outcome;
    expect(calls).toBe(20); // at 0, 10, …, 190 ms: the next delay would pass the deadline
  });

  it("starts no retry() attempt once the deadline has passed", async () => {
    const clock = new ManualClock({ startAt: 1_000 });
    let calls = 0;
    await expect(retry(() => void calls++, { clock, deadline: 500 })).rejects.toThrow(
      "retry(): the deadline had passed before the first attempt",
    );
    expect(calls).toBe(0);
  });

  it.each([
    [{ deadline: Date.now() + 200 }, "looks like epoch milliseconds (Date.now())"],
    [{ deadline: Number.NaN }, "Expected `deadline` to be a Date or a finite number"],
    [
      { deadline: "soon" },
      'Expected `deadline` to be a Date or a finite number on the clock\'s monotonic scale (clock.now() units), got `"soon"` (string)',
    ],
    [
      { jitter: "weird" },
      'Expected `jitter` to be one of "full", "equal", "none", got `"weird"` (string). Pass e.g. { jitter: "full" }.',
    ],
    [{ backoff: { initial: 5 } }, "Unknown option `initial`"],
    [{ backoff: 5 }, "Expected `backoff` to be an object, got `5` (number)"],
    [{ retryOn: true }, "Expected `retryOn` to be a function, got `true` (boolean)"],
    [{ onRetry: "log" }, "Expected `onRetry` to be a function"],
    [{ random: 0.5 }, "Expected `random` to be a function"],
    [{ signal: {} }, "Expected `signal` to be an AbortSignal, got `[object]` (object)"],
    [{ clock: {} }, "Expected `clock` to be a Clock { now(), setTimeout() }"],
  ])(
    "rejects retry() option %j in the house formula, before any attempt",
    async (options, message) => {
      let calls = 0;
      const attempt = retry(() => void calls++, options as never);
      await expect(attempt).rejects.toBeInstanceOf(PerflayerConfigError);
      await expect(retry(() => void calls++, options as never)).rejects.toThrow(message);
      expect(calls).toBe(0);
    },
  );
});

describe("timers a caller awaits keep the process alive; housekeeping timers do not", () => {
  it("refs run()'s deadline timers (queued, running, a coalesced waiter's own) and not aging", () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock, agingMs: 1_000 });
    expect(clock.refTimers).toBe(0); // the aging interval is housekeeping
    void optimizer.run(never, { timeoutMs: 500, key: "k" }).catch(() => undefined); // running
    expect(clock.refTimers).toBe(1);
    void optimizer.run(never, { timeoutMs: 100, key: "k" }).catch(() => undefined); // joined, earlier
    expect(clock.refTimers).toBe(2);
    void optimizer.run(never, { timeoutMs: 500 }).catch(() => undefined); // queued
    expect(clock.refTimers).toBe(3);
    expect(clock.pendingTimers).toBe(4);
  });

  it("refs withTimeout()'s timer and retry()'s delay", async () => {
    const clock = new ManualClock();
    void withTimeout(never(), 1_000, { clock }).catch(() => undefined);
    expect(clock.refTimers).toBe(1);
    const other = new ManualClock();
    void retry(() => Promise.reject(new Error("x")), { clock: other, attempts: 2 }).catch(
      () => undefined,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(other.refTimers).toBe(1);
  });

  it("lets a script awaiting withTimeout() on a never-settling promise get its TimeoutError instead of exiting", () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const script = `
      import { withTimeout } from "@perflayer/response";
      withTimeout(new Promise(() => {}), 200).then(
        () => console.log("resolved"),
        (error) => { console.log(error.code); process.exitCode = 3; },
      );`;
    const child = spawnSync(
      process.execPath,
      ["--import", tsx, "--conditions=@perflayer/source", "--input-type=module", "-e", script],
      { cwd: import.meta.dirname, encoding: "utf8", timeout: 60_000 },
    );
    expect(child.stdout.trim()).toBe("ERR_TIMEOUT");
    expect(child.status).toBe(3);
  });
});

describe("30-day timeouts and intervals, on the manual clock", () => {
  it("times a task out after a 30-day timeoutMs, defaultTimeoutMs or Date deadline, not before", async () => {
    for (const [run, options] of [
      [{ timeoutMs: THIRTY_DAYS }, {}],
      [{}, { defaultTimeoutMs: THIRTY_DAYS }],
      [{ deadline: new Date(1_700_000_000_000 + THIRTY_DAYS) }, {}],
    ] as const) {
      const clock = new ManualClock();
      const optimizer = new ResponseOptimizer({ concurrency: 1, clock, ...options });
      const running = optimizer.run(never, run);
      const queued = optimizer.run(never, run);
      const outcomes = Promise.allSettled([running, queued]);
      clock.advance(THIRTY_DAYS - 1);
      expect(optimizer.stats().outcomes.timeout).toBe(0);
      clock.advance(1);
      expect(optimizer.stats().outcomes.timeout).toBe(2);
      for (const outcome of await outcomes) expect(outcome.status).toBe("rejected");
    }
  });

  it("lets a task wait up to a 30-day CoDel interval before shedding it", async () => {
    const waited = async (ms: number): Promise<string> => {
      const clock = new ManualClock();
      const optimizer = new ResponseOptimizer({
        concurrency: 1,
        clock,
        codel: { targetMs: THIRTY_DAYS, intervalMs: THIRTY_DAYS },
      });
      const blocker = gate();
      void optimizer.run(() => blocker.promise);
      const queued = optimizer.run(() => "ran").catch(() => "shed");
      clock.advance(ms);
      blocker.open();
      return queued;
    };
    expect(await waited(THIRTY_DAYS)).toBe("ran");
    expect(await waited(THIRTY_DAYS + 1)).toBe("shed");
  });

  it("ages queued tasks every 30 days with agingMs of 30 days", async () => {
    const order = async (advanceMs: number): Promise<string[]> => {
      const clock = new ManualClock();
      const optimizer = new ResponseOptimizer({ concurrency: 1, clock, agingMs: THIRTY_DAYS });
      const blocker = gate();
      const ran: string[] = [];
      void optimizer.run(() => blocker.promise);
      const low = optimizer.run(() => void ran.push("low"), { priority: "low" });
      clock.advance(advanceMs); // two agings lift low to high; one only to normal
      const high = optimizer.run(() => void ran.push("high"), { priority: "high" });
      blocker.open();
      await Promise.all([low, high]);
      return ran;
    };
    expect(await order(2 * THIRTY_DAYS - 1)).toEqual(["high", "low"]);
    expect(await order(2 * THIRTY_DAYS)).toEqual(["low", "high"]);
  });

  it("times withTimeout() out after 30 days, and waits 30 days between retry() attempts", async () => {
    const clock = new ManualClock();
    const timed = withTimeout(never(), THIRTY_DAYS, { clock });
    let settled = false;
    void timed.catch(() => (settled = true));
    await clock.advanceAsync(THIRTY_DAYS - 1);
    expect(settled).toBe(false);
    await clock.advanceAsync(1);
    await expect(timed).rejects.toBeInstanceOf(TimeoutError);

    let calls = 0;
    const retried = retry(
      () => (++calls < 2 ? Promise.reject(new Error("down")) : Promise.resolve("up")),
      { clock, jitter: "none", backoff: { initialMs: THIRTY_DAYS, maxMs: THIRTY_DAYS } },
    );
    await clock.advanceAsync(THIRTY_DAYS - 1);
    expect(calls).toBe(1);
    await clock.advanceAsync(1);
    await expect(retried).resolves.toBe("up");
  });
});
