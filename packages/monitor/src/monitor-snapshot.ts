import type { AlertStatus } from "./alert-evaluator.js";
import { CounterMetric, labelsOf } from "./counter-metric.js";
import { GaugeMetric } from "./gauge-metric.js";
import type { WindowSummary } from "./histogram-metric.js";
import type { MetricFamilies } from "./metric-families.js";

/** One counter series in a snapshot. */
export interface CounterSeriesSnapshot {
  /** The series' labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Total since start. */
  readonly value: number;
  /** Increase per second over the window. */
  readonly rate: number;
}

/** One gauge series in a snapshot. */
export interface GaugeSeriesSnapshot {
  /** The series' labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Current value. */
  readonly value: number;
}

/** One histogram series in a snapshot. */
export interface HistogramSeriesSnapshot {
  /** The series' labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Observations since start. */
  readonly count: number;
  /** Sum of observations since start. */
  readonly sum: number;
  /** Count, rate and percentiles over the window. */
  readonly window: WindowSummary;
}

/** Snapshot of a counter. */
export interface CounterSnapshot {
  /** Always `counter`. */
  readonly type: "counter";
  /** HELP text. */
  readonly help: string;
  /** Every series. */
  readonly series: readonly CounterSeriesSnapshot[];
}

/** Snapshot of a gauge. */
export interface GaugeSnapshot {
  /** Always `gauge`. */
  readonly type: "gauge";
  /** HELP text. */
  readonly help: string;
  /** Every series. */
  readonly series: readonly GaugeSeriesSnapshot[];
}

/** Snapshot of a histogram. */
export interface HistogramSnapshot {
  /** Always `histogram`. */
  readonly type: "histogram";
  /** HELP text. */
  readonly help: string;
  /** Bucket upper bounds. */
  readonly buckets: readonly number[];
  /** Every series. */
  readonly series: readonly HistogramSeriesSnapshot[];
}

/** Everything the monitor holds, as JSON-ready data. */
export interface MonitorSnapshot {
  /** Wall time (epoch ms) of the snapshot. */
  readonly at: number;
  /** The sliding window in milliseconds. */
  readonly windowMs: number;
  /** Metrics by name. */
  readonly metrics: Readonly<Record<string, CounterSnapshot | GaugeSnapshot | HistogramSnapshot>>;
  /** Alert states by name. */
  readonly alerts: Readonly<Record<string, AlertStatus>>;
}

/**
 * Current values, window rates and percentiles of every family (gauges collected first).
 * @internal
 * @param families - the monitor's metrics
 * @param now - the clock's current time
 * @returns the metrics part of a snapshot
 */
export function snapshotMetrics(
  families: MetricFamilies,
  now: number,
): Record<string, CounterSnapshot | GaugeSnapshot | HistogramSnapshot> {
  const metrics: Record<string, CounterSnapshot | GaugeSnapshot | HistogramSnapshot> = {};
  for (const [name, family] of families.entries()) {
    if (family instanceof CounterMetric) {
      metrics[name] = {
        type: "counter",
        help: family.help,
        series: [...family.allSeries()].map((s) => ({
          labels: labelsOf(family.labelNames, s),
          value: s.value,
          rate: family.rateOf(s, now),
        })),
      };
    } else if (family instanceof GaugeMetric) {
      family.collect();
      metrics[name] = {
        type: "gauge",
        help: family.help,
        series: [...family.allSeries()].map((s) => ({
          labels: labelsOf(family.labelNames, s),
          value: s.value,
        })),
      };
    } else {
      metrics[name] = {
        type: "histogram",
        help: family.help,
        buckets: family.buckets,
        series: [...family.allSeries()].map((s) => ({
          labels: labelsOf(family.labelNames, s),
          count: s.count,
          sum: s.sum,
          window: family.windowOf([s], now),
        })),
      };
    }
  }
  return metrics;
}
