import { describe, expect, it } from "vitest";
import { DEFAULT_DURATION_BUCKETS, isRecording, noopInstrumentation } from "@perflayer/core";
import type { Gauge, Instrumentation } from "@perflayer/core";

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

describe("RecordingInstrumentation", () => {
  it("records counters, gauges with collect hooks, and histogram observations per series", async () => {
    const { RecordingInstrumentation } = await import("@perflayer/core");
    const recording = new RecordingInstrumentation();
    const requests = recording.counter({
      name: "x_total",
      help: "x",
      labelNames: ["cache", "result"],
    });
    requests.bind({ cache: "a", result: "hit" }).inc();
    requests.bind({ cache: "a", result: "hit" }).inc(2);
    let depth = 0;
    const gauge: Gauge<"q"> = recording.gauge({
      name: "depth",
      help: "d",
      labelNames: ["q"],
      collect: (): void => gauge.bind({ q: "main" }).set(depth),
    });
    depth = 7;
    const histogram = recording.histogram({ name: "h_seconds", help: "h" });
    histogram.bind({}).observe(0.25);
    histogram.bind({}).observe(0.5);
    expect(recording.value("x_total", { result: "hit", cache: "a" })).toBe(3);
    expect(recording.value("x_total", { result: "miss", cache: "a" })).toBe(0);
    expect(recording.value("depth", { q: "main" })).toBe(7);
    expect(recording.observations("h_seconds")).toEqual([0.25, 0.5]);
    expect(() => requests.bind({ cache: "a" } as never)).toThrow("expected labels [cache, result]");
    expect(() => requests.bind({ cache: "a", result: "hit" }).inc(-1)).toThrow(RangeError);
  });
});
