import { describe, expect, it } from "vitest";
import client from "prom-client";
import { ManualClock, PerflayerConfigError, PerflayerError } from "@perflayer/core";
import { OVERFLOW_LABEL_VALUE, PerformanceMonitor, bucketQuantile } from "@perflayer/monitor";

function monitorOn(
  clock = new ManualClock(),
  options: ConstructorParameters<typeof PerformanceMonitor>[0] = {},
) {
  return new PerformanceMonitor({ clock, ...options });
}

describe("metrics", () => {
  it("bound handles and unbound calls write the same series", async () => {
    const monitor = monitorOn();
    const requests = monitor.counter({
      name: "http_requests_total",
      help: "Requests.",
      labelNames: ["route", "status"],
    });
    const bound = requests.bind({ route: "/users", status: "200" });
    bound.inc();
    bound.inc(2);
    requests.inc({ route: "/users", status: "200" });
    requests.inc({ status: "200", route: "/users" }, 4);
    expect(requests.get({ route: "/users", status: "200" })).toBe(8);
    const latency = monitor.histogram({
      name: "http_request_duration_seconds",
      help: "Latency.",
      labelNames: ["route"],
      buckets: [0.1, 0.5, 1],
    });
    latency.bind({ route: "/a" }).observe(0.05);
    latency.observe({ route: "/a" }, 0.7);
    expect(latency.get({ route: "/a" })).toMatchObject({ count: 2, sum: 0.75 });
    const text = await monitor.metrics();
    expect(text).toContain('http_requests_total{route="/users",status="200"} 8\n');
    expect(text).toContain('http_request_duration_seconds_bucket{route="/a",le="0.1"} 1\n');
    expect(text).toContain('http_request_duration_seconds_bucket{route="/a",le="1"} 2\n');
    expect(text).toContain('http_request_duration_seconds_bucket{route="/a",le="+Inf"} 2\n');
    expect(text).toContain('http_request_duration_seconds_count{route="/a"} 2\n');
  });

  it("matches prom-client's own exposition of the same data through the registry", async () => {
    const monitor = monitorOn();
    const hist = monitor.histogram({
      name: "job_duration_seconds",
      help: "Jobs.",
      labelNames: ["kind"],
      buckets: [1, 5],
    });
    hist.observe({ kind: "a" }, 2);
    const gauge = monitor.gauge({ name: "queue_depth", help: "Depth." });
    gauge.set(3);
    const viaPromClient = await monitor.registry.metrics();
    expect(viaPromClient).toContain('job_duration_seconds_bucket{kind="a",le="5"} 1');
    expect(viaPromClient).toContain("queue_depth 3");
    const json = await monitor.registry.getMetricsAsJSON();
    expect(json.find((m) => m.name === "queue_depth")?.values[0]?.value).toBe(3);
  });

  it("returns the same metric for the same definition and refuses a conflicting one", () => {
    const monitor = monitorOn();
    const a = monitor.counter({ name: "x_total", help: "x", labelNames: ["a"] });
    expect(monitor.counter({ name: "x_total", help: "x", labelNames: ["a"] })).toBe(a);
    expect(() => monitor.counter({ name: "x_total", help: "x", labelNames: ["b"] })).toThrow(
      PerflayerError,
    );
    expect(() => monitor.gauge({ name: "x_total", help: "x", labelNames: ["a"] })).toThrow(
      /already exists as a counter/,
    );
  });

  it.each([
    [() => ({ name: "bad-name", help: "h" }), "Expected `name` to be a Prometheus metric name"],
    [() => ({ name: "ok_total", help: "" }), "Expected `help` to be a non-empty sentence"],
    [
      () => ({ name: "ok_total", help: "h", labelNames: ["__x"] }),
      "Expected `labelNames` to be unique label names",
    ],
    [() => ({ name: "ok_total", help: "h", labelNames: ["a", "a"] }), 'got `"a"` (string)'],
  ])("rejects invalid definitions in the house formula (%#)", (make, message) => {
    const monitor = monitorOn();
    expect(() => monitor.counter(make() as never)).toThrow(PerflayerConfigError);
    expect(() => monitor.counter(make() as never)).toThrow(message);
  });

  it("rejects missing or extra labels, negative increments and non-finite observations, naming the metric", () => {
    const monitor = monitorOn();
    const counter = monitor.counter({
      name: "c_total",
      help: "c",
      labelNames: ["route", "method"],
    });
    expect(() => counter.inc({ route: "/" } as never)).toThrow(
      'metric c_total: Expected labels to be exactly the labels "route", "method"',
    );
    expect(() => counter.inc({ route: "/", method: "GET", extra: "x" } as never)).toThrow(
      PerflayerConfigError,
    );
    counter.inc({ route: "/", method: "GET" });
    expect(() => counter.inc({ route: "/", method: "GET", extra: "x" } as never)).toThrow(/extra/);
    expect(() => counter.inc({ route: "/", method: "GET" }, -1)).toThrow(
      "Use a gauge for values that go down.",
    );
    expect(() => counter.bind({ route: "/", method: "GET" }).inc(Number.NaN)).toThrow(
      PerflayerConfigError,
    );
    const histogram = monitor.histogram({ name: "h_seconds", help: "h" });
    expect(() => histogram.observe(Number.POSITIVE_INFINITY)).toThrow(
      "metric h_seconds: Expected an observation to be a finite number",
    );
    expect(() => monitor.histogram({ name: "b_seconds", help: "b", buckets: [1, 0.5] })).toThrow(
      "strictly ascending",
    );
    expect(() => monitor.histogram({ name: "l_seconds", help: "l", labelNames: ["le"] })).toThrow(
      PerflayerConfigError,
    );
  });

  it("caps series per metric: 10,000 hostile label values land in one overflow series, counted", async () => {
    const monitor = monitorOn(new ManualClock(), { seriesCap: 100 });
    const counter = monitor.counter({
      name: "by_user_total",
      help: "Oops, a user id label.",
      labelNames: ["user"],
    });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on("warning", onWarning);
    for (let i = 0; i < 10_000; i++) counter.inc({ user: `user-${i}` });
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
    expect(counter.seriesCount).toBe(101);
    expect(counter.get({ user: OVERFLOW_LABEL_VALUE })).toBe(9_900);
    expect(counter.get({ user: "user-5" })).toBe(1);
    const dropped = monitor.counter({
      name: "perflayer_monitor_series_dropped_total",
      help: "x",
      labelNames: ["metric"],
    });
    expect(dropped.get({ metric: "by_user_total" })).toBe(9_900);
    expect(warnings.filter((w) => w.includes("by_user_total"))).toHaveLength(1);
    const text = await monitor.metrics();
    expect(text.split("\n").filter((line) => line.startsWith("by_user_total{"))).toHaveLength(101);
  });

  it("expires idle series when seriesTtlMs is set, and a bound handle brings its series back", () => {
    const clock = new ManualClock();
    const monitor = monitorOn(clock, { seriesTtlMs: 1_000 });
    const gauge = monitor.gauge({ name: "g", help: "g", labelNames: ["k"] });
    const kept = gauge.bind({ k: "kept" });
    gauge.set({ k: "idle" }, 1);
    kept.set(1);
    clock.advance(1_000); // first check: both were touched → reset
    kept.set(2);
    clock.advance(1_000); // second check: "idle" was not touched → removed
    expect(gauge.seriesCount).toBe(1);
    clock.advance(1_000);
    expect(gauge.seriesCount).toBe(0);
    kept.set(3);
    expect(gauge.get({ k: "kept" })).toBe(3);
    expect(gauge.seriesCount).toBe(1);
  });

  it("runs gauge collect hooks before reads, and reports a failing hook without breaking the scrape", async () => {
    const monitor = monitorOn();
    let depth = 4;
    monitor.gauge({
      name: "depth",
      help: "d",
      collect: (): void => monitor.gauge({ name: "depth", help: "d" }).set(depth),
    });
    monitor.gauge({
      name: "depth",
      help: "d",
      collect: () => {
        throw new Error("hook broke");
      },
    });
    depth = 9;
    const text = await monitor.metrics();
    expect(text).toContain("depth 9\n");
  });

  it("includes metrics registered directly with prom-client in the exposition", async () => {
    const monitor = monitorOn();
    const legacy = new client.Counter({
      name: "legacy_jobs_total",
      help: "Jobs.",
      labelNames: ["queue"],
      registers: [monitor.registry],
    });
    legacy.inc({ queue: "mail" }, 3);
    const text = await monitor.metrics();
    expect(text).toContain('legacy_jobs_total{queue="mail"} 3\n');
  });

  it("renders OpenMetrics with _total samples and # EOF", async () => {
    const monitor = monitorOn();
    monitor.counter({ name: "events_total", help: "Events." }).inc(2);
    const text = await monitor.metrics("openmetrics");
    expect(text).toContain("# TYPE events counter\n");
    expect(text).toContain("events_total 2\n");
    expect(text.endsWith("# EOF\n")).toBe(true);
  });

  it("estimates quantiles by interpolating inside buckets, like histogram_quantile", () => {
    expect(bucketQuantile([1, 2, 4], [0, 10, 0, 0], 0.5)).toBe(1.5);
    expect(bucketQuantile([1, 2, 4], [10, 0, 0, 0], 0.99)).toBeCloseTo(0.99);
    expect(bucketQuantile([1, 2, 4], [0, 0, 0, 5], 0.5)).toBe(4);
    expect(Number.isNaN(bucketQuantile([1], [0, 0], 0.5))).toBe(true);
  });
});
