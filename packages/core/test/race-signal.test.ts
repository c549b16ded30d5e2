import { describe, expect, it } from "vitest";
import { AbortError, TimeoutError, raceSignal } from "@perflayer/core";

describe("raceSignal", () => {
  it("resolves with the promise when the signal stays quiet", async () => {
    await expect(raceSignal(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });

  it("rejects this waiter when its signal aborts, without touching the shared promise", async () => {
    let resolveShared!: (value: string) => void;
    const shared = new Promise<string>((resolve) => (resolveShared = resolve));
    const controller = new AbortController();
    const waiter = raceSignal(shared, controller.signal, "waiting for the report");
    controller.abort();
    await expect(waiter).rejects.toBeInstanceOf(AbortError);
    await expect(waiter).rejects.toThrow("waiting for the report was aborted");
    resolveShared("done");
    await expect(shared).resolves.toBe("done");
  });

  it("rejects at once with a timeout reason when the signal already timed out", async () => {
    const controller = new AbortController();
    controller.abort(new TimeoutError("deadline passed", { timeoutMs: 5 }));
    await expect(
      raceSignal(new Promise(() => undefined), controller.signal),
    ).rejects.toBeInstanceOf(TimeoutError);
  });

  it("passes the promise's rejection through", async () => {
    const failure = new Error("boom");
    await expect(raceSignal(Promise.reject(failure), new AbortController().signal)).rejects.toBe(
      failure,
    );
  });
});
