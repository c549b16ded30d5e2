import { describe, expectTypeOf, it } from "vitest";
import type { CounterHandle, HistogramHandle, Instrumentation } from "@perflayer/core";
import { PerformanceMonitor } from "@perflayer/monitor";
import type { CounterMetric, HistogramMetric } from "@perflayer/monitor";

describe("monitor public types", () => {
  const monitor = new PerformanceMonitor();

  it("infers label names from labelNames and checks them at the type level", () => {
    const requests = monitor.counter({
      name: "req_total",
      help: "r",
      labelNames: ["route", "method"],
    });
    expectTypeOf(requests).toEqualTypeOf<CounterMetric<"route" | "method">>();
    expectTypeOf(requests.bind({ route: "/", method: "GET" })).toEqualTypeOf<CounterHandle>();
    requests.inc({ route: "/", method: "GET" }, 2);
    // @ts-expect-error a missing label is a type error
    requests.inc({ route: "/" });
    // @ts-expect-error an unknown label is a type error
    requests.bind({ route: "/", method: "GET", user: "42" });
  });

  it("takes a bare value when a metric has no labels", () => {
    const errors = monitor.counter({ name: "errors_total", help: "e" });
    errors.inc();
    errors.inc(3);
    const latency = monitor.histogram({ name: "lat_seconds", help: "l" });
    expectTypeOf(latency).toEqualTypeOf<HistogramMetric<never>>();
    latency.observe(0.1);
    expectTypeOf(latency.bind({})).toEqualTypeOf<HistogramHandle>();
  });

  it("exposes core's Instrumentation", () => {
    expectTypeOf(monitor.instrumentation).toEqualTypeOf<Instrumentation>();
  });
});
