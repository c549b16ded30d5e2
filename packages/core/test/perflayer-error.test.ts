import { describe, expect, it } from "vitest";
import {
  AbortError,
  OverloadError,
  PerflayerConfigError,
  PerflayerError,
  TimeoutError,
  abortReason,
  throwIfAborted,
} from "@perflayer/core";

describe("PerflayerError family", () => {
  it("carries code, name, message and cause", () => {
    const cause = new Error("socket hang up");
    const error = new PerflayerError("ERR_CLOSED", "the cache is closed", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_CLOSED");
    expect(error.name).toBe("PerflayerError");
    expect(error.message).toBe("the cache is closed");
    expect(error.cause).toBe(cause);
  });

  it("has subclasses callers can instanceof, with their own fields", () => {
    const config = new PerflayerConfigError("ERR_INVALID_OPTION", "bad");
    const timeout = new TimeoutError("load timed out", { timeoutMs: 250 });
    const overload = new OverloadError("queue full", { retryAfterMs: 1_000 });
    const aborted = new AbortError();
    for (const error of [config, timeout, overload, aborted])
      expect(error).toBeInstanceOf(PerflayerError);
    expect(config.name).toBe("PerflayerConfigError");
    expect(timeout).toMatchObject({ name: "TimeoutError", code: "ERR_TIMEOUT", timeoutMs: 250 });
    expect(overload).toMatchObject({
      name: "OverloadError",
      code: "ERR_OVERLOADED",
      retryAfterMs: 1_000,
    });
    expect(aborted).toMatchObject({ name: "AbortError", code: "ERR_ABORTED" });
    expect("cause" in aborted).toBe(false);
  });
});

describe("abortReason", () => {
  it("keeps a perflayer error given as the abort reason", () => {
    const controller = new AbortController();
    const reason = new TimeoutError("deadline", { timeoutMs: 5 });
    controller.abort(reason);
    expect(abortReason(controller.signal)).toBe(reason);
  });

  it("maps AbortSignal.timeout's DOMException to TimeoutError", async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => signal.addEventListener("abort", resolve));
    const error = abortReason(signal, "the fetch");
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe("the fetch timed out");
    expect((error.cause as Error).name).toBe("TimeoutError");
  });

  it("wraps any other reason in AbortError with the reason as cause", () => {
    const controller = new AbortController();
    controller.abort("user left");
    const error = abortReason(controller.signal, "the upload");
    expect(error).toBeInstanceOf(AbortError);
    expect(error.message).toBe("the upload was aborted");
    expect(error.cause).toBe("user left");
    expect(() => throwIfAborted(controller.signal)).toThrow(AbortError);
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
    expect(() => throwIfAborted(undefined)).not.toThrow();
  });
});
