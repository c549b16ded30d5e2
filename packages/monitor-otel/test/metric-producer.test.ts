import { PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
} from "@opentelemetry/sdk-metrics";
import type { MetricData, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { CacheManager } from "@perflayer/cache";
import { ManualClock, PerflayerConfigError } from "@perflayer/core";
import { MetricsAggregator, PerformanceMonitor, metricsReport } from "@perflayer/monitor";
import { PerflayerMetricProducer, otelName } from "@perflayer/monitor-otel";

/** A pull reader, as the Prometheus exporter is: `collect()` reads every producer now. */
class PullReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function collect(monitor: PerformanceMonitor, clock: ManualClock) {
  const reader = new PullReader({
    metricProducers: [new PerflayerMetricProducer(monitor, { clock })],
  });
  const provider = new MeterProvider({ readers: [reader] });
  const { resourceMetrics, errors } = await reader.collect();
  await provider.shutdown();
  return { resourceMetrics, errors };
}

function byName(resourceMetrics: ResourceMetrics): Map<string, MetricData> {
  return new Map(
    resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]),
  );
}

describe("PerflayerMetricProducer", () => {
  it(
    "P0 «OpenTelemetry bridge»: a service's cache metrics reach an OpenTelemetry reader beside the SDK's own instruments, with no second instrumentation",
    { tags: ["p0"] },
    async () => {
      const clock = new ManualClock();
      const monitor = new PerformanceMonitor({ clock });
      const caches = new CacheManager({ clock, instrumentation: monitor.instrumentation });
      const users = caches.cache<string, string>("users", { max: 100 });
      users.set("1", "ada");
      users.get("1");
      users.get("2");
      const reader = new PullReader({
        metricProducers: [new PerflayerMetricProducer(monitor, { clock })],
      });
      const provider = new MeterProvider({ readers: [reader] });
      provider.getMeter("service").createCounter("orders").add(3);
      const { resourceMetrics, errors } = await reader.collect();
      expect(errors).toEqual([]);
      const metrics = byName(resourceMetrics);
      expect(metrics.get("orders")?.dataPoints[0]?.value).toBe(3);
      const requests = metrics.get("perflayer_cache_requests");
      expect(requests).toMatchObject({
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
      });
      const points = (requests?.dataPoints ?? []).map((p) => [p.attributes, p.value]);
      expect(points).toEqual(
        expect.arrayContaining([
          [{ cache: "users", result: "hit" }, 1],
          [{ cache: "users", result: "miss" }, 1],
        ]),
      );
      expect(metrics.get("perflayer_cache_entries")?.dataPointType).toBe(DataPointType.GAUGE);
      await provider.shutdown();
      await caches.close();
      await monitor.close();
    },
  );

  it("turns histograms into explicit-bucket histograms with the same bounds, counts, sum and unit", async () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({ clock });
    const latency = monitor.histogram({
      name: "http_request_duration_seconds",
      help: "Latency.",
      labelNames: ["route"],
      buckets: [0.1, 1],
    });
    for (const v of [0.05, 0.5, 0.5, 3]) latency.observe({ route: "/" }, v);
    const { resourceMetrics } = await collect(monitor, clock);
    const metric = byName(resourceMetrics).get("http_request_duration_seconds");
    expect(metric?.descriptor).toMatchObject({ unit: "s", description: "Latency." });
    expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(metric?.dataPoints[0]).toMatchObject({
      attributes: { route: "/" },
      value: { buckets: { boundaries: [0.1, 1], counts: [1, 2, 1] }, sum: 4.05, count: 4 },
    });
  });

  it("serialised by OpenTelemetry's Prometheus exporter, gives every perflayer metric back its own name, type and samples", async () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({ clock });
    monitor
      .counter({ name: "jobs_total", help: "Jobs.", labelNames: ["kind"] })
      .inc({ kind: "a" }, 2);
    monitor.gauge({ name: "memory_used_bytes", help: "Bytes." }).set(1024);
    monitor.gauge({ name: "pool_usage_ratio", help: "Usage." }).set(0.5);
    monitor
      .histogram({ name: "job_duration_seconds", help: "Duration.", buckets: [0.1, 1] })
      .observe(0.5);
    const { resourceMetrics } = await collect(monitor, clock);
    const otel = new PrometheusSerializer(undefined, false, undefined, true, true).serialize(
      resourceMetrics,
    );
    const names = ["jobs_total", "memory_used_bytes", "pool_usage_ratio", "job_duration_seconds"];
    const ofOurs = (line: string) =>
      names.some((n) => line.startsWith(n) || line.includes(` ${n} `));
    const types = (text: string) =>
      text
        .split("\n")
        .filter((l) => l.startsWith("# TYPE") && ofOurs(l))
        .sort();
    const samples = (text: string) =>
      text
        .split("\n")
        .filter((l) => !l.startsWith("#") && ofOurs(l))
        .map((l) => l.replace(/\.0+$/, "")) // 2 and 2.0 are one value
        .sort();
    const ours = await monitor.metrics();
    expect(types(otel)).toHaveLength(4);
    expect(types(otel)).toEqual(types(ours));
    expect(samples(otel)).toEqual(samples(ours));
  });

  it("maps names and units by the Prometheus compatibility rules", () => {
    expect(otelName("perflayer_cache_requests_total", "counter")).toEqual({
      name: "perflayer_cache_requests",
      unit: "",
    });
    expect(otelName("perflayer_memory_reclaimed_bytes_total", "counter")).toEqual({
      name: "perflayer_memory_reclaimed_bytes",
      unit: "By",
    });
    expect(otelName("perflayer_response_slo_compliance_ratio", "gauge")).toEqual({
      name: "perflayer_response_slo_compliance_ratio",
      unit: "1",
    });
    expect(otelName("perflayer_memory_pressure_level", "gauge")).toEqual({
      name: "perflayer_memory_pressure_level",
      unit: "",
    });
  });

  it("produces a MetricsAggregator's process-group totals like any monitor", async () => {
    const clock = new ManualClock();
    const aggregator = new MetricsAggregator({ clock });
    for (const id of ["1", "2"]) {
      const worker = new PerformanceMonitor({ clock });
      worker.counter({ name: "jobs_total", help: "Jobs." }).inc(5);
      aggregator.receive(id, metricsReport(worker));
    }
    const { resourceMetrics } = await collect(aggregator.monitor, clock);
    const metrics = byName(resourceMetrics);
    expect(metrics.get("jobs")?.dataPoints[0]?.value).toBe(10);
    expect(metrics.get("perflayer_monitor_worker_up")?.dataPoints).toHaveLength(2);
    await aggregator.close();
  });

  it("refuses something that is not a monitor, and unknown options, in the house formula", () => {
    expect(() => new PerflayerMetricProducer({} as PerformanceMonitor)).toThrow(
      PerflayerConfigError,
    );
    expect(
      () => new PerflayerMetricProducer(new PerformanceMonitor(), { scope: "x" } as never),
    ).toThrow(/scope/);
  });
});
