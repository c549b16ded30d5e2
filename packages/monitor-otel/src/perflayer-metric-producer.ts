import { ValueType } from "@opentelemetry/api";
import { emptyResource } from "@opentelemetry/resources";
import { AggregationTemporality, DataPointType } from "@opentelemetry/sdk-metrics";
import type {
  CollectionResult,
  DataPoint,
  MetricData,
  MetricProducer,
} from "@opentelemetry/sdk-metrics";
import { assertKnownKeys, systemClock } from "@perflayer/core";
import type { Clock } from "@perflayer/core";
import { metricsReport } from "@perflayer/monitor";
import type { PerformanceMonitor } from "@perflayer/monitor";
import { otelName } from "./otel-names.js";

/** Options of {@link PerflayerMetricProducer}. */
export interface PerflayerMetricProducerOptions {
  /**
   * The instrumentation scope the metrics are reported under.
   * @defaultValue "@perflayer/monitor"
   */
  readonly scopeName?: string;
  /**
   * Where the wall time of data points comes from (`clock.wallTime()`); tests pass a `ManualClock`.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * Start of the cumulative data points, in epoch milliseconds: when the monitor started counting.
   * @defaultValue the time the producer is created (create it with the monitor)
   */
  readonly startTimeMs?: number;
}

type HrTime = [seconds: number, nanoseconds: number];

function hrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)];
}

function attributes(names: readonly string[], values: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) result[names[i] as string] = values[i] as string;
  return result;
}

/**
 * Hands a `PerformanceMonitor`'s metrics — cache, memory, response, the service's own, or a
 * `MetricsAggregator`'s whole process group — to the OpenTelemetry SDK at each collection: pass
 * it to a metric reader's `metricProducers`, and every exporter of that reader (OTLP, Prometheus,
 * console) gets them beside the SDK's own instruments, with no second instrumentation. Counters
 * become monotonic cumulative sums, gauges gauges, histograms explicit-bucket histograms with the
 * same bounds; names and units follow {@link otelName}.
 *
 * @example
 * ```ts
 * const producer = new PerflayerMetricProducer(monitor);
 * const reader = new PeriodicExportingMetricReader({ exporter, metricProducers: [producer] });
 * const provider = new MeterProvider({ readers: [reader] });
 * ```
 */
export class PerflayerMetricProducer implements MetricProducer {
  readonly #monitor: PerformanceMonitor;
  readonly #scope: { name: string };
  readonly #clock: Clock;
  readonly #start: HrTime;

  /**
   * @param monitor - the monitor whose metrics are produced
   * @param options - scope name, clock and start time
   */
  constructor(monitor: PerformanceMonitor, options: PerflayerMetricProducerOptions = {}) {
    assertKnownKeys(
      options,
      ["scopeName", "clock", "startTimeMs"],
      "new PerflayerMetricProducer()",
    );
    metricsReport(monitor); // a clear error now if this is not a monitor
    this.#monitor = monitor;
    this.#scope = { name: options.scopeName ?? "@perflayer/monitor" };
    this.#clock = options.clock ?? systemClock;
    this.#start = hrTime(options.startTimeMs ?? this.#clock.wallTime());
  }

  /**
   * Reads the monitor now (gauge `collect` hooks run) and returns its metrics as OpenTelemetry data.
   * @returns the metrics of one scope, and no errors
   */
  collect(): Promise<CollectionResult> {
    const startTime = this.#start;
    const endTime = hrTime(this.#clock.wallTime());
    const metrics: MetricData[] = [];
    for (const metric of metricsReport(this.#monitor).metrics) {
      const { name, unit } = otelName(metric.name, metric.type);
      const descriptor = { name, unit, description: metric.help, valueType: ValueType.DOUBLE };
      const point = <T>(labelValues: readonly string[], value: T): DataPoint<T> => ({
        startTime,
        endTime,
        attributes: attributes(metric.labelNames, labelValues),
        value,
      });
      const aggregationTemporality = AggregationTemporality.CUMULATIVE;
      if (metric.type === "counter") {
        metrics.push({
          descriptor,
          aggregationTemporality,
          dataPointType: DataPointType.SUM,
          isMonotonic: true,
          dataPoints: metric.series.map(([labels, value]) => point(labels, value)),
        });
      } else if (metric.type === "gauge") {
        metrics.push({
          descriptor,
          aggregationTemporality,
          dataPointType: DataPointType.GAUGE,
          dataPoints: metric.series.map(([labels, value]) => point(labels, value)),
        });
      } else {
        const boundaries = [...metric.buckets];
        metrics.push({
          descriptor,
          aggregationTemporality,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints: metric.series.map(([labels, counts, sum]) =>
            point(labels, {
              buckets: { boundaries, counts: [...counts] },
              sum,
              count: counts.reduce((total, c) => total + c, 0),
            }),
          ),
        });
      }
    }
    return Promise.resolve({
      resourceMetrics: {
        resource: emptyResource(),
        scopeMetrics: [{ scope: this.#scope, metrics }],
      },
      errors: [],
    });
  }
}
