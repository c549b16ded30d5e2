import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError } from "@perflayer/core";
import type { Gauge, Instrumentation } from "@perflayer/core";
import { PerformanceMonitor, callbackSink, listen } from "@perflayer/monitor";
import type { AlertEvent, HistogramSnapshot } from "@perflayer/monitor";
import { promtoolCheck } from "./promtool.ts";

describe("PerformanceMonitor", () => {
  it("times sync and async functions with an outcome label, rethrowing errors", async () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({ clock });
    const value = monitor.time(
      "db_query_duration_seconds",
      () => {
        clock.advance(30);
        return 7;
      },
      { table: "users" },
    );
    expect(value).toBe(7);
    await expect(
      monitor.time(
        "db_query_duration_seconds",
        async () => {
          clock.advance(50);
          await Promise.resolve();
          throw new Error("deadlock");
        },
        { table: "users" },
      ),
    ).rejects.toThrow("deadlock");
    expect(() =>
      monitor.time(
        "db_query_duration_seconds",
        () => {
          throw new Error("sync");
        },
        { table: "users" },
      ),
    ).toThrow("sync");
    const histogram = monitor.histogram({
      name: "db_query_duration_seconds",
      help: "x",
      labelNames: ["table", "outcome"],
    });
    expect(histogram.get({ table: "users", outcome: "ok" })).toMatchObject({ count: 1, sum: 0.03 });
    expect(histogram.get({ table: "users", outcome: "error" })).toMatchObject({
      count: 2,
      sum: 0.05,
    });
  });

  it("starts timers that observe on end, merging labels known at the end", () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({ clock });
    const latency = monitor.histogram({
      name: "http_seconds",
      help: "h",
      labelNames: ["route", "status"],
    });
    const end = latency.startTimer({ route: "/a" });
    clock.advance(120);
    expect(end({ status: "200" })).toBeCloseTo(0.12);
    expect(latency.get({ route: "/a", status: "200" }).count).toBe(1);
    const stop = monitor.startTimer("job_seconds");
    clock.advance(2_000);
    expect(stop()).toBe(2);
  });

  it("gives a JSON snapshot with values, window rates and percentiles", () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({ clock, windowMs: 60_000, windowSlots: 6 });
    const requests = monitor.counter({ name: "req_total", help: "r", labelNames: ["route"] });
    const latency = monitor.histogram({
      name: "lat_seconds",
      help: "l",
      buckets: [0.01, 0.02, 0.05, 0.1, 0.2],
    });
    clock.advance(60_000);
    for (let i = 0; i < 1_000; i++) {
      latency.observe(0.001 + (i / 1_000) * 0.099); // uniform on (0, 0.1]
      requests.inc({ route: "/" });
    }
    const snapshot = monitor.snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    const counter = snapshot.metrics["req_total"];
    expect(counter?.type).toBe("counter");
    const series = counter?.type === "counter" ? counter.series[0] : undefined;
    expect(series?.value).toBe(1_000);
    expect(series?.rate).toBeGreaterThan(1_000 / 60);
    expect(series?.rate).toBeLessThanOrEqual(1_000 / 50);
    const window = (snapshot.metrics["lat_seconds"] as HistogramSnapshot).series[0]?.window;
    expect(window?.count).toBe(1_000);
    // True p50 is 0.0505, p99 is 0.099; the estimate is exact up to the bucket width.
    expect(window?.p50).toBeGreaterThan(0.05);
    expect(window?.p50).toBeLessThanOrEqual(0.1);
    expect(window?.p99).toBeGreaterThan(0.05);
    expect(window?.p99).toBeLessThanOrEqual(0.1);
  });

  it("implements core's Instrumentation: packages report through monitor.instrumentation", async () => {
    const monitor = new PerformanceMonitor({ clock: new ManualClock() });
    const instrumentation: Instrumentation = monitor.instrumentation;
    const hits = instrumentation
      .counter({
        name: "perflayer_cache_requests_total",
        help: "Lookups.",
        labelNames: ["cache", "result"],
      })
      .bind({ cache: "users", result: "hit" });
    hits.inc();
    hits.inc();
    let entries = 0;
    const gauge: Gauge<"cache"> = instrumentation.gauge({
      name: "perflayer_cache_entries",
      help: "Entries.",
      labelNames: ["cache"],
      collect: (): void => gauge.bind({ cache: "users" }).set(entries),
    });
    instrumentation.gauge({
      name: "perflayer_cache_entries",
      help: "Entries.",
      labelNames: ["cache"],
      collect: () => gauge.bind({ cache: "posts" }).set(2),
    });
    entries = 42;
    instrumentation
      .histogram({
        name: "perflayer_cache_load_duration_seconds",
        help: "Loads.",
        labelNames: ["cache"],
      })
      .bind({ cache: "users" })
      .observe(0.003);
    const text = await monitor.metrics();
    expect(text).toContain('perflayer_cache_requests_total{cache="users",result="hit"} 2\n');
    expect(text).toContain('perflayer_cache_entries{cache="users"} 42\n');
    expect(text).toContain('perflayer_cache_entries{cache="posts"} 2\n');
    expect(text).toContain('perflayer_cache_load_duration_seconds_count{cache="users"} 1\n');
  });

  it("serves /metrics over real HTTP on 127.0.0.1 with content negotiation, and /snapshot as JSON", async () => {
    const monitor = new PerformanceMonitor({ clock: new ManualClock() });
    monitor
      .counter({ name: "served_total", help: "Served.", labelNames: ["route"] })
      .inc({ route: '/a"b' }, 3);
    monitor.histogram({ name: "served_seconds", help: "S." }).observe(0.2);
    const server = await listen(monitor, { port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const text = await fetch(server.url);
      expect(text.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const body = await text.text();
      const samples = new Map(
        body
          .split("\n")
          .filter((line) => line !== "" && !line.startsWith("#"))
          .map((line) => [
            line.slice(0, line.lastIndexOf(" ")),
            Number(line.slice(line.lastIndexOf(" ") + 1)),
          ]),
      );
      expect(samples.get('served_total{route="/a\\"b"}')).toBe(3);
      expect(samples.get("served_seconds_count")).toBe(1);
      expect(samples.get('served_seconds_bucket{le="0.25"}')).toBe(1);
      const om = await fetch(server.url, {
        headers: { accept: "application/openmetrics-text; version=1.0.0" },
      });
      expect(om.headers.get("content-type")).toContain("application/openmetrics-text");
      expect((await om.text()).endsWith("# EOF\n")).toBe(true);
      const snapshot = (await (
        await fetch(server.url.replace("/metrics", "/snapshot"))
      ).json()) as { metrics: Record<string, unknown> };
      expect(Object.keys(snapshot.metrics)).toContain("served_total");
      expect((await fetch(server.url.replace("/metrics", "/nope"))).status).toBe(404);
      expect((await fetch(server.url, { method: "POST" })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it("passes `promtool check metrics` (installed by .ci/run)", async () => {
    const monitor = new PerformanceMonitor({ clock: new ManualClock() });
    monitor
      .counter({ name: "lint_requests_total", help: "Requests served.", labelNames: ["route"] })
      .inc({ route: "/x" });
    monitor
      .histogram({
        name: "lint_duration_seconds",
        help: "Request duration.",
        labelNames: ["route"],
      })
      .observe({ route: "/x" }, 0.1);
    monitor.gauge({ name: "lint_queue_depth", help: "Queue depth." }).set(3);
    monitor.enableRuntimeMetrics({ eventLoopDelay: false });
    monitor.alert({
      name: "Lint",
      expr: { metric: "lint_queue_depth", stat: "value" },
      threshold: 1,
    });
    await monitor.evaluate();
    // prom-client's own default metrics are left out: promtool flags its nodejs_active_*_total gauges.
    const text = await monitor.metrics();
    expect(text).toContain("ALERTS{");
    await monitor.close();
    const lint = promtoolCheck(text);
    if (lint !== undefined) expect(lint).toEqual({ output: "", status: 0 });
  });

  it("defines a latency SLO whose burn-rate alerts fire on a bad spell and report the budget", async () => {
    const clock = new ManualClock();
    const events: AlertEvent[] = [];
    const monitor = new PerformanceMonitor({
      clock,
      evaluationIntervalMs: 10_000,
      sinks: [callbackSink((e) => void events.push(e))],
    });
    const latency = monitor.histogram({
      name: "checkout_seconds",
      help: "Checkout latency.",
      buckets: [0.05, 0.1, 0.25, 1],
    });
    const slo = monitor.slo({
      name: "checkout_latency",
      metric: "checkout_seconds",
      objective: 0.99,
      thresholdSeconds: 0.1,
      windows: [{ longMs: 60_000, shortMs: 20_000, burnRate: 10 }],
    });
    for (let tick = 0; tick < 6; tick++) {
      for (let i = 0; i < 100; i++) latency.observe(0.03);
      await clock.advanceAsync(10_000);
    }
    expect(events).toHaveLength(0);
    expect(slo.status().compliance).toBe(1);
    for (let tick = 0; tick < 3; tick++) {
      for (let i = 0; i < 100; i++) latency.observe(i < 30 ? 0.5 : 0.03); // 30 % slow: burn rate 30
      await clock.advanceAsync(10_000);
    }
    expect(events.map((e) => [e.alertname, e.status])).toContainEqual([
      "checkout_latency_burn_rate_1m",
      "firing",
    ]);
    const status = slo.status();
    expect(status.total).toBe(900);
    expect(status.good).toBe(810);
    expect(status.errorBudgetRemaining).toBeLessThan(0);
    expect(status.burnRates["20s"]).toBeGreaterThan(10);
  });

  it("rejects an SLO on a missing histogram or a threshold that is not a bucket bound", () => {
    const monitor = new PerformanceMonitor({ clock: new ManualClock() });
    expect(() =>
      monitor.slo({ name: "x", metric: "nope_seconds", objective: 0.99, thresholdSeconds: 0.1 }),
    ).toThrow(PerflayerConfigError);
    monitor.histogram({ name: "h_seconds", help: "h", buckets: [0.05, 0.2] });
    expect(() =>
      monitor.slo({ name: "x", metric: "h_seconds", objective: 0.99, thresholdSeconds: 0.1 }),
    ).toThrow("one of the bucket bounds of h_seconds (0.05, 0.2)");
  });

  it("rejects unknown options and closes idempotently, stopping its timers", async () => {
    expect(() => new PerformanceMonitor({ seriesLimit: 5 } as never)).toThrow(
      "Unknown option `seriesLimit`",
    );
    expect(() => new PerformanceMonitor({ seriesCap: 0 })).toThrow(
      "Expected `seriesCap` to be an integer >= 1",
    );
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({ clock });
    expect(clock.pendingTimers).toBe(2);
    await monitor.close();
    await monitor.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
