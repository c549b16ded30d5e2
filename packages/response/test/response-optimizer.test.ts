import { describe, expect, it } from "vitest";
import {
  AbortError,
  ManualClock,
  OverloadError,
  PerflayerConfigError,
  RecordingInstrumentation,
  TimeoutError,
} from "@perflayer/core";
import { ResponseOptimizer } from "@perflayer/response";

function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("ResponseOptimizer scheduling", () => {
  it("runs by priority, then FIFO within a priority", async () => {
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock: new ManualClock() });
    const blocker = gate();
    const order: string[] = [];
    const first = optimizer.run(() => blocker.promise);
    const submitted = [
      optimizer.run(() => void order.push("low-1"), { priority: "low" }),
      optimizer.run(() => void order.push("normal-1")),
      optimizer.run(() => void order.push("critical-1"), { priority: "critical" }),
      optimizer.run(() => void order.push("low-2"), { priority: "low" }),
      optimizer.run(() => void order.push("high-1"), { priority: "high" }),
      optimizer.run(() => void order.push("normal-2")),
      optimizer.run(() => void order.push("int-15"), { priority: 15 }),
    ];
    expect(optimizer.queued).toBe(7);
    blocker.open();
    await Promise.all([first, ...submitted]);
    expect(order).toEqual([
      "critical-1",
      "int-15",
      "high-1",
      "normal-1",
      "normal-2",
      "low-1",
      "low-2",
    ]);
  });

  it("never runs more than `concurrency` tasks at once", async () => {
    const optimizer = new ResponseOptimizer({ concurrency: 3, clock: new ManualClock() });
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 20 }, () =>
      optimizer.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await flush();
        running--;
      }),
    );
    await Promise.all(tasks);
    expect(peak).toBe(3);
  });

  it("rejects a synchronous throw as a rejection, and returns sync results asynchronously", async () => {
    const optimizer = new ResponseOptimizer({ clock: new ManualClock() });
    await expect(
      optimizer.run(() => {
        throw new Error("sync boom");
      }),
    ).rejects.toThrow("sync boom");
    await expect(optimizer.run(() => 42)).resolves.toBe(42);
  });

  it("ages low-priority tasks so they cannot starve", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock, agingMs: 100 });
    const blocker = gate();
    const order: string[] = [];
    void optimizer.run(() => blocker.promise);
    const low = optimizer.run(() => void order.push("low"), { priority: "low" });
    clock.advance(250); // low waited two aging periods: promoted past `normal`
    const normal = optimizer.run(() => void order.push("normal"));
    blocker.open();
    await Promise.all([low, normal]);
    expect(order).toEqual(["low", "normal"]);
  });
});

describe("ResponseOptimizer deadlines and aborts", () => {
  it("drops a task whose deadline passes while queued, before it starts", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock });
    const blocker = gate();
    void optimizer.run(() => blocker.promise);
    let started = false;
    const queued = optimizer.run(() => void (started = true), { timeoutMs: 100 });
    clock.advance(100);
    await expect(queued).rejects.toBeInstanceOf(TimeoutError);
    await expect(queued).rejects.toThrow("before it could start");
    expect(optimizer.queued).toBe(0);
    blocker.open();
    await optimizer.idle();
    expect(started).toBe(false);
  });

  it("aborts a running task's signal at its deadline and rejects the caller with TimeoutError", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock });
    let seen: AbortSignal | undefined;
    const finish = gate();
    const running = optimizer.run(
      ({ signal }) => {
        seen = signal;
        return finish.promise;
      },
      { timeoutMs: 50 },
    );
    clock.advance(50);
    await expect(running).rejects.toBeInstanceOf(TimeoutError);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(TimeoutError);
    expect(optimizer.running).toBe(1); // the slot is held until the work really stops
    finish.open();
    await flush();
    expect(optimizer.running).toBe(0);
  });

  it(
    "P0 «deadlines measured from enqueue»: measures deadlines from enqueue: queue wait counts against the budget",
    { tags: ["p0"] },
    async () => {
      const clock = new ManualClock();
      const optimizer = new ResponseOptimizer({ concurrency: 1, clock });
      const blocker = gate();
      void optimizer.run(() => blocker.promise);
      const task = optimizer.run(() => new Promise<void>(() => undefined), { timeoutMs: 100 });
      clock.advance(80);
      blocker.open();
      await flush();
      clock.advance(20); // 80 ms queued + 20 ms running = the 100 ms budget
      await expect(task).rejects.toThrow("while running");
    },
  );

  it("removes an aborted queued task at once, and aborts a running one's signal", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock });
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const running = optimizer.run(
      ({ signal }) => {
        seen = signal;
        return new Promise<void>(() => undefined);
      },
      { signal: controller.signal },
    );
    const queuedController = new AbortController();
    const queued = optimizer.run(() => "never", { signal: queuedController.signal });
    queuedController.abort();
    await expect(queued).rejects.toBeInstanceOf(AbortError);
    expect(optimizer.queued).toBe(0);
    controller.abort("user left");
    await expect(running).rejects.toBeInstanceOf(AbortError);
    expect(seen?.aborted).toBe(true);
  });

  it("rejects queued tasks on clear() and refuses new ones after close()", async () => {
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock: new ManualClock() });
    const blocker = gate();
    const running = optimizer.run(() => blocker.promise);
    const queued = [optimizer.run(() => 1), optimizer.run(() => 2)];
    expect(optimizer.clear()).toBe(2);
    for (const q of queued) await expect(q).rejects.toThrow("removed from the queue by clear()");
    await optimizer.close();
    await expect(optimizer.run(() => 3)).rejects.toMatchObject({ code: "ERR_CLOSED" });
    blocker.open();
    await expect(running).resolves.toBeUndefined();
  });
});

describe("ResponseOptimizer load shedding", () => {
  it(
    "P0 «load shedding that drops the lowest priority first»: bounds the queue, shedding the lowest priority first with OverloadError and retryAfterMs",
    { tags: ["p0"] },
    async () => {
      const optimizer = new ResponseOptimizer({
        concurrency: 1,
        maxQueue: 2,
        clock: new ManualClock(),
      });
      const blocker = gate();
      void optimizer.run(() => blocker.promise);
      const low = optimizer.run(() => "low", { priority: "low" });
      const normal = optimizer.run(() => "normal");
      const high = optimizer.run(() => "high", { priority: "high" }); // evicts low
      const lowAgain = optimizer.run(() => "low2", { priority: "low" }); // lowest itself: shed
      const error = await low.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OverloadError);
      expect((error as OverloadError).retryAfterMs).toBeGreaterThan(0);
      await expect(lowAgain).rejects.toBeInstanceOf(OverloadError);
      blocker.open();
      await expect(Promise.all([normal, high])).resolves.toEqual(["normal", "high"]);
    },
  );

  it("sheds by queue delay (CoDel) under a standing queue and recovers when it drains", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({
      concurrency: 1,
      clock,
      codel: { targetMs: 5, intervalMs: 100 },
    });
    const outcomes: string[] = [];
    // Each task takes 10 ms of (manual) time; 40 arrive at once: a standing queue builds.
    const work = (): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, 10));
    const tasks = Array.from({ length: 40 }, () =>
      optimizer.run(work).then(
        () => outcomes.push("ok"),
        (e: unknown) => outcomes.push(e instanceof OverloadError ? "shed" : "other"),
      ),
    );
    for (let i = 0; i < 60; i++) await clock.advanceAsync(10);
    await Promise.all(tasks);
    const firstShed = outcomes.indexOf("shed");
    expect(outcomes.slice(0, 10).every((o) => o === "ok")).toBe(true); // within the 100 ms interval: served
    expect(firstShed).toBeGreaterThanOrEqual(10);
    expect(outcomes.filter((o) => o === "shed").length).toBeGreaterThan(20);
    expect(optimizer.stats().standingQueue).toBe(false);
    // Recovered: a fresh task on an empty queue runs.
    const fresh = optimizer.run(work);
    await clock.advanceAsync(10);
    await expect(fresh).resolves.toBeUndefined();
  });

  it("never sheds exempt (critical) tasks by queue delay", async () => {
    const clock = new ManualClock();
    const optimizer = new ResponseOptimizer({ concurrency: 1, clock, codel: true });
    const work = (): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, 10));
    const tasks = Array.from({ length: 30 }, () => optimizer.run(work, { priority: "critical" }));
    for (let i = 0; i < 40; i++) await clock.advanceAsync(10);
    await expect(Promise.all(tasks)).resolves.toHaveLength(30);
  });
});

describe("ResponseOptimizer coalescing", () => {
  it("shares one execution among tasks with the same key in flight", async () => {
    const optimizer = new ResponseOptimizer({ clock: new ManualClock() });
    let calls = 0;
    const done = gate<string>();
    const load = (): Promise<string> => {
      calls++;
      return done.promise;
    };
    const results = [
      optimizer.run(load, { key: "user:1" }),
      optimizer.run(load, { key: "user:1" }),
      optimizer.run(load, { key: "user:2" }),
    ];
    done.open("value");
    await expect(Promise.all(results)).resolves.toEqual(["value", "value", "value"]);
    expect(calls).toBe(2);
  });

  it("keeps the shared work when one waiter aborts, and cancels it when all do", async () => {
    const optimizer = new ResponseOptimizer({ clock: new ManualClock() });
    const a = new AbortController();
    const b = new AbortController();
    let seen: AbortSignal | undefined;
    const work = ({ signal }: { signal: AbortSignal }): Promise<string> => {
      seen = signal;
      return new Promise<string>(() => undefined);
    };
    const first = optimizer.run(work, { key: "k", signal: a.signal });
    const second = optimizer.run(work, { key: "k", signal: b.signal });
    a.abort();
    await expect(first).rejects.toBeInstanceOf(AbortError);
    expect(seen?.aborted).toBe(false);
    b.abort();
    await expect(second).rejects.toBeInstanceOf(AbortError);
    expect(seen?.aborted).toBe(true);
  });
});

describe("ResponseOptimizer metrics and bad input", () => {
  it("reports outcomes, queue wait, run time, depth, limit and SLO compliance per priority", async () => {
    const clock = new ManualClock();
    const recording = new RecordingInstrumentation();
    const optimizer = new ResponseOptimizer({
      concurrency: 1,
      clock,
      instrumentation: recording,
      slo: { p99Ms: 100 },
    });
    const work = (ms: number) => (): Promise<void> =>
      new Promise((resolve) => clock.setTimeout(resolve, ms));
    const a = optimizer.run(work(30), { priority: "high" });
    const b = optimizer.run(work(200), { priority: "high" });
    const c = optimizer
      .run(() => Promise.reject(new Error("x")), { priority: "low" })
      .catch((e: unknown) => e); // handled at once
    expect(
      recording.value("perflayer_response_queue_depth", { optimizer: "default", priority: "high" }),
    ).toBe(1);
    await clock.advanceAsync(30);
    await clock.advanceAsync(200);
    await Promise.allSettled([a, b, c]);
    expect(
      recording.value("perflayer_response_tasks_total", {
        optimizer: "default",
        priority: "high",
        outcome: "ok",
      }),
    ).toBe(2);
    expect(
      recording.value("perflayer_response_tasks_total", {
        optimizer: "default",
        priority: "low",
        outcome: "error",
      }),
    ).toBe(1);
    expect(
      recording.observations("perflayer_response_run_duration_seconds", {
        optimizer: "default",
        priority: "high",
      }),
    ).toEqual([0.03, 0.2]);
    expect(
      recording.observations("perflayer_response_queue_wait_seconds", {
        optimizer: "default",
        priority: "high",
      }),
    ).toEqual([0, 0.03]);
    expect(
      recording.value("perflayer_response_slo_compliance_ratio", {
        optimizer: "default",
        priority: "high",
      }),
    ).toBe(0.5);
    expect(recording.value("perflayer_response_concurrency_limit", { optimizer: "default" })).toBe(
      1,
    );
  });

  it("keeps the series of two named optimizers on one instrumentation apart", async () => {
    const clock = new ManualClock();
    const recording = new RecordingInstrumentation();
    const api = new ResponseOptimizer({
      name: "api",
      concurrency: 2,
      clock,
      instrumentation: recording,
    });
    const batch = new ResponseOptimizer({
      name: "batch",
      concurrency: 1,
      clock,
      instrumentation: recording,
    });
    const hold = (): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, 10));
    const tasks = [api.run(hold), batch.run(hold), batch.run(hold), batch.run(hold)];
    const depth = (optimizer: string) =>
      recording.value("perflayer_response_queue_depth", { optimizer, priority: "normal" });
    expect(depth("api")).toBe(0);
    expect(depth("batch")).toBe(2);
    expect(recording.value("perflayer_response_concurrency_limit", { optimizer: "api" })).toBe(2);
    expect(recording.value("perflayer_response_concurrency_limit", { optimizer: "batch" })).toBe(1);
    await clock.advanceAsync(40);
    await Promise.all(tasks);
    const ok = (optimizer: string) =>
      recording.value("perflayer_response_tasks_total", {
        optimizer,
        priority: "normal",
        outcome: "ok",
      });
    expect([ok("api"), ok("batch")]).toEqual([1, 3]);
    expect(() => new ResponseOptimizer({ name: " " })).toThrow(
      'new ResponseOptimizer(): Expected `name` to be a non-empty string, got `" "` (string).',
    );
  });

  it.each([
    [
      { concurrency: 0 },
      "Expected `concurrency` to be an integer >= 1, got `0` (number). Pass e.g. { concurrency: 32 }.",
    ],
    [{ concurrency: 1.5 }, "Expected `concurrency` to be an integer >= 1"],
    [{ maxQueue: -1 }, "Expected `maxQueue` to be an integer >= 0"],
    [{ concurency: 4 }, "Unknown option `concurency`"],
  ])("rejects bad options %j", (options, message) => {
    expect(() => new ResponseOptimizer(options as never)).toThrow(PerflayerConfigError);
    expect(() => new ResponseOptimizer(options as never)).toThrow(message);
  });

  it("rejects unknown priorities, negative timeouts and non-function tasks", () => {
    const optimizer = new ResponseOptimizer({ clock: new ManualClock() });
    expect(() => optimizer.run(() => 1, { priority: "urgent" as never })).toThrow(
      'Expected `priority` to be one of "critical", "high", "normal", "low", "background" or an integer, got `"urgent"` (string).',
    );
    expect(() => optimizer.run(() => 1, { timeoutMs: -5 })).toThrow(
      "Expected `timeoutMs` to be a finite number >= 0",
    );
    expect(() => optimizer.run("nope" as never)).toThrow("Expected `task` to be a function");
  });
});
