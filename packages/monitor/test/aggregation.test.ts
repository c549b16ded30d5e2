import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError } from "@perflayer/core";
import {
  MetricsAggregator,
  MetricsReporter,
  PerformanceMonitor,
  callbackSink,
  metricsReport,
} from "@perflayer/monitor";
import type { AlertEvent } from "@perflayer/monitor";
import { promtoolCheck } from "./promtool.ts";

/** A worker's own monitor, with the metrics a service would have. */
function workerMonitor(clock: ManualClock) {
  const monitor = new PerformanceMonitor({ clock });
  return {
    monitor,
    requests: monitor.counter({
      name: "http_requests_total",
      help: "Requests.",
      labelNames: ["route"],
    }),
    latency: monitor.histogram({
      name: "http_request_duration_seconds",
      help: "Latency.",
      labelNames: ["route"],
      buckets: [0.01, 0.1, 1],
    }),
    inflight: monitor.gauge({ name: "http_inflight_requests", help: "In flight." }),
    pressure: monitor.gauge({ name: "perflayer_memory_pressure_level", help: "Pressure." }),
    utilization: monitor.gauge({ name: "nodejs_eventloop_utilization_ratio", help: "ELU." }),
  };
}

/** The value of the one sample line starting with `prefix` (name and labels), or undefined. */
function sample(text: string, prefix: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${prefix} `));
  return line === undefined ? undefined : Number(line.slice(prefix.length + 1));
}

function setup(options: { staleAfterMs?: number; dropAfterMs?: number } = {}) {
  const clock = new ManualClock();
  const aggregator = new MetricsAggregator({ clock, staleAfterMs: 5_000, ...options });
  const workers = ["1", "2", "3"].map((id) => ({ id, ...workerMonitor(clock) }));
  const report = (worker: (typeof workers)[number]): void =>
    aggregator.receive(worker.id, metricsReport(worker.monitor));
  return { clock, aggregator, workers, report };
}

describe("MetricsAggregator", () => {
  it("sums counters and histogram buckets of every worker into one exposition", async () => {
    const { aggregator, workers, report } = setup();
    workers.forEach((w, i) => {
      w.requests.inc({ route: "/a" }, i + 1);
      w.latency.observe({ route: "/a" }, 0.05);
      if (i === 2) w.latency.observe({ route: "/b" }, 5);
      report(w);
    });
    const text = await aggregator.monitor.metrics();
    expect(sample(text, 'http_requests_total{route="/a"}')).toBe(6);
    expect(sample(text, 'http_request_duration_seconds_bucket{route="/a",le="0.01"}')).toBe(0);
    expect(sample(text, 'http_request_duration_seconds_bucket{route="/a",le="0.1"}')).toBe(3);
    expect(sample(text, 'http_request_duration_seconds_count{route="/a"}')).toBe(3);
    expect(sample(text, 'http_request_duration_seconds_bucket{route="/b",le="+Inf"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_bucket{route="/b",le="1"}')).toBe(0);
    for (const id of ["1", "2", "3"])
      expect(sample(text, `perflayer_monitor_worker_up{worker="${id}"}`)).toBe(1);
    await aggregator.close();
  });

  it("replaces a worker's previous report instead of adding it again (reports are idempotent)", () => {
    const { aggregator, workers, report } = setup();
    const [w] = workers;
    if (w === undefined) throw new Error("no worker");
    w.requests.inc({ route: "/a" }, 2);
    report(w);
    report(w);
    w.requests.inc({ route: "/a" }, 3);
    report(w);
    const agg = aggregator.monitor.snapshot().metrics["http_requests_total"];
    expect(agg?.series).toEqual([expect.objectContaining({ value: 5 })]);
  });

  it("aggregates gauges by their rule: sum by default, max for pressure, one series per worker for utilisation, and a declared rule", async () => {
    const clock = new ManualClock();
    const aggregator = new MetricsAggregator({ clock, gauges: { http_inflight_requests: "min" } });
    const a = workerMonitor(clock);
    const b = workerMonitor(clock);
    const queue = (m: PerformanceMonitor) => m.gauge({ name: "queue_depth", help: "Depth." });
    queue(a.monitor).set(4);
    queue(b.monitor).set(6);
    a.inflight.set(7);
    b.inflight.set(3);
    a.pressure.set(1);
    b.pressure.set(3);
    a.utilization.set(0.25);
    b.utilization.set(0.75);
    aggregator.receive("a", metricsReport(a.monitor));
    aggregator.receive("b", metricsReport(b.monitor));
    const text = await aggregator.monitor.metrics();
    expect(sample(text, "queue_depth")).toBe(10);
    expect(sample(text, "http_inflight_requests")).toBe(3);
    expect(sample(text, "perflayer_memory_pressure_level")).toBe(3);
    expect(sample(text, 'nodejs_eventloop_utilization_ratio{worker="a"}')).toBe(0.25);
    expect(sample(text, 'nodejs_eventloop_utilization_ratio{worker="b"}')).toBe(0.75);
  });

  it("marks a silent worker stale (worker_up 0, its gauges out of the aggregate, its counts kept), then drops it after the grace period", async () => {
    const { clock, aggregator, workers, report } = setup({
      staleAfterMs: 5_000,
      dropAfterMs: 30_000,
    });
    workers.forEach((w, i) => {
      w.requests.inc({ route: "/a" }, 10);
      w.inflight.set(i + 1);
      w.utilization.set(0.5);
      report(w);
    });
    const [, , silent] = workers;
    clock.advance(6_000);
    for (const w of workers) if (w !== silent) report(w);
    let text = await aggregator.monitor.metrics();
    expect(sample(text, 'perflayer_monitor_worker_up{worker="3"}')).toBe(0);
    expect(sample(text, 'perflayer_monitor_worker_up{worker="1"}')).toBe(1);
    expect(sample(text, 'perflayer_monitor_worker_report_age_seconds{worker="3"}')).toBe(6);
    expect(sample(text, 'perflayer_monitor_worker_report_age_seconds{worker="1"}')).toBe(0);
    expect(sample(text, "http_inflight_requests")).toBe(1 + 2);
    expect(sample(text, 'nodejs_eventloop_utilization_ratio{worker="3"}')).toBeUndefined();
    expect(sample(text, 'http_requests_total{route="/a"}')).toBe(30);
    expect(aggregator.workers().find((w) => w.worker === "3")).toMatchObject({
      up: false,
      ageMs: 6_000,
    });

    clock.advance(25_000); // 31 s since the silent worker's last report
    for (const w of workers) if (w !== silent) report(w);
    text = await aggregator.monitor.metrics();
    expect(sample(text, 'perflayer_monitor_worker_up{worker="3"}')).toBeUndefined();
    expect(sample(text, 'perflayer_monitor_worker_report_age_seconds{worker="3"}')).toBeUndefined();
    expect(sample(text, 'http_requests_total{route="/a"}')).toBe(30);

    // It comes back: up again, and its totals replace what was kept instead of adding twice.
    silent?.requests.inc({ route: "/a" }, 1);
    if (silent !== undefined) report(silent);
    text = await aggregator.monitor.metrics();
    expect(sample(text, 'perflayer_monitor_worker_up{worker="3"}')).toBe(1);
    expect(sample(text, 'http_requests_total{route="/a"}')).toBe(31);
    expect(sample(text, "http_inflight_requests")).toBe(6);
  });

  it("keeps the counts of an exited worker, so totals never go backwards, and ignores a late report from it", async () => {
    const { aggregator, workers, report } = setup();
    for (const w of workers) {
      w.requests.inc({ route: "/a" }, 5);
      w.latency.observe({ route: "/a" }, 0.5);
      report(w);
    }
    aggregator.workerExited("2");
    const text = await aggregator.monitor.metrics();
    expect(sample(text, 'http_requests_total{route="/a"}')).toBe(15);
    expect(sample(text, 'http_request_duration_seconds_count{route="/a"}')).toBe(3);
    expect(sample(text, 'perflayer_monitor_worker_up{worker="2"}')).toBe(0);
    const exited = workers[1];
    exited?.requests.inc({ route: "/a" }, 100);
    if (exited !== undefined) report(exited);
    expect(sample(await aggregator.monitor.metrics(), 'http_requests_total{route="/a"}')).toBe(15);
  });

  it("treats a worker whose totals went down as restarted: what it had counted stays in the aggregate", async () => {
    const { clock, aggregator, workers, report } = setup();
    const [w] = workers;
    if (w === undefined) throw new Error("no worker");
    w.requests.inc({ route: "/a" }, 7);
    report(w);
    const restarted = workerMonitor(clock);
    restarted.requests.inc({ route: "/a" }, 2);
    aggregator.receive(w.id, metricsReport(restarted.monitor));
    expect(sample(await aggregator.monitor.metrics(), 'http_requests_total{route="/a"}')).toBe(9);
  });

  it("evaluates alert rules and window percentiles on the aggregate", async () => {
    const clock = new ManualClock();
    const events: AlertEvent[] = [];
    const aggregator = new MetricsAggregator({ clock });
    aggregator.monitor.addSink(callbackSink((e) => void events.push(e)));
    aggregator.monitor.alert({
      name: "GroupErrors",
      expr: { metric: "http_requests_total", stat: "value" },
      threshold: 10,
    });
    const a = workerMonitor(clock);
    const b = workerMonitor(clock);
    a.requests.inc({ route: "/a" }, 6);
    b.requests.inc({ route: "/a" }, 5);
    for (let i = 0; i < 98; i++) a.latency.observe({ route: "/a" }, 0.005);
    b.latency.observe({ route: "/a" }, 0.5);
    b.latency.observe({ route: "/a" }, 0.5);
    aggregator.receive("a", metricsReport(a.monitor));
    aggregator.receive("b", metricsReport(b.monitor));
    await aggregator.monitor.evaluate();
    // 6 and 5 alone are under the threshold; together they fire.
    expect(events.map((e) => [e.alertname, e.status])).toEqual([["GroupErrors", "firing"]]);
    const window = aggregator.monitor.snapshot().metrics["http_request_duration_seconds"];
    expect(window?.type === "histogram" && window.series[0]?.window.count).toBe(100);
    expect(window?.type === "histogram" && window.series[0]?.window.p99).toBeGreaterThan(0.01);
  });

  it("receives from a MetricsReporter on its interval (in-process channel, manual clock)", () => {
    const clock = new ManualClock();
    const aggregator = new MetricsAggregator({ clock });
    const w = workerMonitor(clock);
    const reporter = new MetricsReporter(w.monitor, {
      clock,
      intervalMs: 1_000,
      send: (r) => aggregator.receive("primary", r),
    });
    w.requests.inc({ route: "/" }, 4);
    expect(aggregator.monitor.snapshot().metrics["http_requests_total"]?.series).toEqual([]);
    clock.advance(1_000);
    expect(reporter.sent).toBe(2);
    expect(aggregator.monitor.snapshot().metrics["http_requests_total"]?.series).toEqual([
      expect.objectContaining({ labels: { route: "/" }, value: 4 }),
    ]);
    void reporter.close();
    expect(reporter.sent).toBe(3);
    clock.advance(10_000);
    expect(reporter.sent).toBe(3);
  });

  it("adds workers' increases to the aggregating monitor's own counters", async () => {
    const clock = new ManualClock();
    const aggregator = new MetricsAggregator({ clock });
    const w = new PerformanceMonitor({ clock, seriesCap: 1 });
    const byUser = w.counter({ name: "by_user_total", help: "u", labelNames: ["user"] });
    byUser.inc({ user: "a" });
    byUser.inc({ user: "b" }); // over the cap: counted in perflayer_monitor_series_dropped_total
    aggregator.receive("1", metricsReport(w));
    const text = await aggregator.monitor.metrics();
    expect(sample(text, 'perflayer_monitor_series_dropped_total{metric="by_user_total"}')).toBe(1);
  });

  it("refuses a malformed report whole, naming the field", () => {
    const { aggregator, workers } = setup();
    const good = metricsReport(workers[0]?.monitor ?? new PerformanceMonitor());
    expect(() => aggregator.receive("1", { kind: "other" })).toThrow(PerflayerConfigError);
    expect(() =>
      aggregator.receive("1", {
        ...good,
        metrics: [
          { type: "counter", name: "x_total", help: "x", labelNames: [], series: [[[], -1]] },
        ],
      }),
    ).toThrow(/Expected `metrics\[0\]\.series\[0\]\[1\]` to be a finite counter value, got `-1`/);
    expect(aggregator.workers()).toEqual([]);
  });

  it("leaves a metric defined differently by two workers out of the aggregate, with one warning", async () => {
    const clock = new ManualClock();
    const aggregator = new MetricsAggregator({ clock });
    const a = new PerformanceMonitor({ clock });
    const b = new PerformanceMonitor({ clock });
    a.counter({ name: "jobs_total", help: "j", labelNames: ["queue"] }).inc({ queue: "q" });
    b.counter({ name: "jobs_total", help: "j", labelNames: ["kind"] }).inc({ kind: "k" });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on("warning", onWarning);
    aggregator.receive("a", metricsReport(a));
    aggregator.receive("b", metricsReport(b));
    aggregator.receive("b", metricsReport(b));
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
    expect(warnings.filter((m) => m.includes("jobs_total"))).toHaveLength(1);
    expect(sample(await aggregator.monitor.metrics(), 'jobs_total{queue="q"}')).toBe(1);
  });

  it("validates its options in the house formula", () => {
    expect(() => new MetricsAggregator({ staleAfterMs: 10_000, dropAfterMs: 5_000 })).toThrow(
      /Expected `dropAfterMs` to be a finite number >= 10000, got `5000` \(number\)/,
    );
    expect(() => new MetricsAggregator({ gauges: { depth: "avg" as never } })).toThrow(
      /Expected `gauges.depth` to be one of "sum", "max", "min", "worker", got `"avg"`/,
    );
    expect(
      () => new MetricsReporter(new PerformanceMonitor(), { intervalMs: 0, send: () => undefined }),
    ).toThrow(/intervalMs/);
    expect(() => new MetricsReporter({}, { send: () => undefined })).toThrow(
      /a PerformanceMonitor/,
    );
  });

  it("writes an aggregated exposition that passes promtool", async () => {
    const { aggregator, workers, report } = setup();
    for (const w of workers) {
      w.requests.inc({ route: "/a" });
      w.latency.observe({ route: "/a" }, 0.2);
      w.inflight.set(1);
      w.utilization.set(0.1);
      report(w);
    }
    const lint = promtoolCheck(await aggregator.monitor.metrics());
    if (lint !== undefined) expect(lint).toEqual({ output: "", status: 0 });
  });
});
