import { describe, expect, it } from "vitest";
import { AbortError, ManualClock, PerflayerConfigError, TimeoutError } from "@perflayer/core";
import { retry, withTimeout } from "@perflayer/response";

describe("retry", () => {
  it("retries with exponential back-off and full jitter until it succeeds", async () => {
    const clock = new ManualClock();
    const delays: number[] = [];
    let calls = 0;
    const pending = retry(
      ({ attempt }) => {
        calls++;
        if (attempt < 4) throw new Error(`fail ${attempt}`);
        return "ok";
      },
      {
        attempts: 5,
        backoff: { initialMs: 100, factor: 2, maxMs: 1_000 },
        clock,
        random: () => 0.5,
        onRetry: (_e, _a, delay) => delays.push(delay),
      },
    );
    for (let i = 0; i < 10; i++) await clock.advanceAsync(500);
    await expect(pending).resolves.toBe("ok");
    expect(calls).toBe(4);
    expect(delays).toEqual([50, 100, 200]); // random 0.5 × 100, 200, 400
  });

  it("throws the last error when attempts run out, and does not retry what retryOn refuses", async () => {
    const clock = new ManualClock();
    const pending = retry(() => Promise.reject(new Error("still down")), {
      attempts: 2,
      backoff: { initialMs: 10 },
      clock,
      jitter: "none",
    });
    const outcome = expect(pending).rejects.toThrow("still down"); // handled before time moves
    await clock.advanceAsync(10);
    await outcome;
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          throw new Error("400 bad request");
        },
        { retryOn: (e) => !(e as Error).message.startsWith("4"), clock },
      ),
    ).rejects.toThrow("400");
    expect(calls).toBe(1);
  });

  it("stops at the deadline with a TimeoutError carrying the last error", async () => {
    const clock = new ManualClock();
    const error = await retry(() => Promise.reject(new Error("slow backend")), {
      attempts: 10,
      backoff: { initialMs: 1_000 },
      jitter: "none",
      deadline: 500,
      clock,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).cause).toBeInstanceOf(Error);
  });

  it("aborts a pending delay at once", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const pending = retry(() => Promise.reject(new Error("x")), {
      attempts: 5,
      backoff: { initialMs: 10_000 },
      signal: controller.signal,
      clock,
    });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it("waits what the delay function answers for each failed attempt and its error, and nothing more", async () => {
    const clock = new ManualClock();
    const asked: [number, string][] = [];
    const waits: number[] = [];
    let calls = 0;
    const pending = retry(
      ({ attempt }) => {
        calls++;
        if (attempt < 4) throw new Error(attempt === 2 ? "429 retry after 700" : "503");
        return "sent";
      },
      {
        attempts: 4,
        delay: (attempt, error) => {
          asked.push([attempt, (error as Error).message]);
          const after = /retry after (\d+)/.exec((error as Error).message)?.[1];
          return after === undefined ? 100 * attempt : Number(after);
        },
        clock,
        onRetry: (_e, _a, ms) => waits.push(ms),
      },
    );
    await clock.advanceAsync(99);
    expect(calls).toBe(1); // the first wait is 100 ms, not a back-off's jittered one
    await clock.advanceAsync(1);
    expect(calls).toBe(2);
    await clock.advanceAsync(699);
    expect(calls).toBe(2);
    await clock.advanceAsync(1 + 300);
    await expect(pending).resolves.toBe("sent");
    expect(asked).toEqual([
      [1, "503"],
      [2, "429 retry after 700"],
      [3, "503"],
    ]);
    expect(waits).toEqual([100, 700, 300]);
  });

  it("ends with a PerflayerConfigError carrying the attempt's error when the delay function answers no wait, and refuses it beside backoff or jitter", async () => {
    const failure = new Error("down");
    const error = await retry(() => Promise.reject(failure), {
      delay: () => Number.NaN,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PerflayerConfigError);
    expect((error as PerflayerConfigError).message).toBe(
      "retry(): Expected `delay(1, error)` to be a finite number of milliseconds >= 0, got `NaN` (number). Return the wait after every failed attempt, e.g. 1_000.",
    );
    expect((error as PerflayerConfigError).cause).toBe(failure);
    await expect(retry(() => 1, { delay: () => 10, backoff: { initialMs: 10 } })).rejects.toThrow(
      "retry(): Expected `backoff` to be left out when `delay` is given (the delay function decides every wait)",
    );
    await expect(retry(() => 1, { delay: () => 10, jitter: "none" })).rejects.toThrow(
      PerflayerConfigError,
    );
  });

  it("rejects bad options", async () => {
    await expect(retry(() => 1, { attempts: 0 })).rejects.toThrow(PerflayerConfigError);
  });
});

describe("withTimeout", () => {
  it("resolves in time and clears its timer", async () => {
    const clock = new ManualClock();
    await expect(withTimeout(Promise.resolve(5), 100, { clock })).resolves.toBe(5);
    expect(clock.pendingTimers).toBe(0);
  });

  it("rejects with TimeoutError and aborts the work's signal", async () => {
    const clock = new ManualClock();
    let seen: AbortSignal | undefined;
    const pending = withTimeout(
      ({ signal }) => {
        seen = signal;
        return new Promise<string>(() => undefined);
      },
      100,
      { clock, what: "the inventory call" },
    );
    clock.advance(100);
    await expect(pending).rejects.toThrow("the inventory call took longer than 100 ms");
    expect(seen?.aborted).toBe(true);
  });

  it("follows an outer signal and passes synchronous throws through", async () => {
    const controller = new AbortController();
    const pending = withTimeout(new Promise(() => undefined), 1_000, {
      signal: controller.signal,
      clock: new ManualClock(),
    });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    await expect(
      withTimeout(
        () => {
          throw new Error("sync");
        },
        10,
        { clock: new ManualClock() },
      ),
    ).rejects.toThrow("sync");
  });
});
