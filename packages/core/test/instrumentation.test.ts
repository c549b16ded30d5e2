import { describe, expect, it } from "vitest";
import { DEFAULT_DURATION_BUCKETS, isRecording, noopInstrumentation } from "@perflayer/core";
import type { Instrumentation } from "@perflayer/core";

describe("noopInstrumentation", () => {
  it("returns shared handles that accept every call and record nothing", () => {
    const counter = noopInstrumentation.counter({ name: "x_total", help: "x", labelNames: ["a"] });
    const a = counter.bind({ a: "1" });
    const b = counter.bind({ a: "2" });
    expect(a).toBe(b);
    expect(() => {
      a.inc();
      a.inc(5);
      noopInstrumentation.gauge({ name: "g", help: "g" }).bind({}).set(3);
      noopInstrumentation.histogram({ name: "h_seconds", help: "h" }).bind({}).observe(0.1);
    }).not.toThrow();
    expect(Object.isFrozen(a)).toBe(true);
  });

  it("never calls a gauge's collect hook", () => {
    let collected = 0;
    noopInstrumentation.gauge({ name: "g", help: "g", collect: () => collected++ });
    expect(collected).toBe(0);
  });

  it("is told apart from a recording implementation", () => {
    const recording: Instrumentation = {
      counter: () => ({ bind: () => ({ inc: () => undefined }) }),
      gauge: () => ({
        bind: () => ({ set: () => undefined, inc: () => undefined, dec: () => undefined }),
      }),
      histogram: () => ({ bind: () => ({ observe: () => undefined }) }),
    };
    expect(isRecording(noopInstrumentation)).toBe(false);
    expect(isRecording(recording)).toBe(true);
  });

  it("ships ascending default duration buckets in seconds around a 100 ms budget", () => {
    const sorted = [...DEFAULT_DURATION_BUCKETS].sort((x, y) => x - y);
    expect(DEFAULT_DURATION_BUCKETS).toEqual(sorted);
    expect(DEFAULT_DURATION_BUCKETS).toContain(0.1);
    expect(Object.isFrozen(DEFAULT_DURATION_BUCKETS)).toBe(true);
  });
});
