import { PerflayerConfigError, describeValue } from "@perflayer/core";
import { CounterMetric } from "./counter-metric.js";
import { GaugeMetric } from "./gauge-metric.js";
import { familiesOf } from "./metric-families.js";

/** The `kind` every metrics report carries, so a message channel can tell reports apart. */
export const METRICS_REPORT_KIND = "perflayer.metrics/1";

/** One counter in a report: each series as `[labelValues, value]`. */
export interface ReportedCounter {
  /** Always `counter`. */
  readonly type: "counter";
  /** Metric name. */
  readonly name: string;
  /** HELP text. */
  readonly help: string;
  /** Label names, in the order of each series' label values. */
  readonly labelNames: readonly string[];
  /** Every series: label values and the total since the process started. */
  readonly series: readonly (readonly [labelValues: readonly string[], value: number])[];
}

/** One gauge in a report: each series as `[labelValues, value]`. */
export interface ReportedGauge {
  /** Always `gauge`. */
  readonly type: "gauge";
  /** Metric name. */
  readonly name: string;
  /** HELP text. */
  readonly help: string;
  /** Label names, in the order of each series' label values. */
  readonly labelNames: readonly string[];
  /** Every series: label values and the current value. */
  readonly series: readonly (readonly [labelValues: readonly string[], value: number])[];
}

/** One histogram in a report: each series as `[labelValues, bucketCounts, sum]`. */
export interface ReportedHistogram {
  /** Always `histogram`. */
  readonly type: "histogram";
  /** Metric name. */
  readonly name: string;
  /** HELP text. */
  readonly help: string;
  /** Label names, in the order of each series' label values. */
  readonly labelNames: readonly string[];
  /** Bucket upper bounds, ascending, without +Inf. */
  readonly buckets: readonly number[];
  /**
   * Every series: label values, per-bucket (not cumulative) counts since start with +Inf last
   * (`buckets.length + 1` numbers; their total is the count), and the sum of observations.
   */
  readonly series: readonly (readonly [
    labelValues: readonly string[],
    counts: readonly number[],
    sum: number,
  ])[];
}

/** Any metric in a report. */
export type ReportedMetric = ReportedCounter | ReportedGauge | ReportedHistogram;

/**
 * What one process holds, as plain data that crosses a process or thread boundary (JSON or
 * structured clone): cumulative counters and histogram buckets since the process started, and
 * current gauge values. Reports are idempotent — the latest one replaces the previous — so a lost
 * or repeated report never miscounts.
 */
export interface MetricsReport {
  /** Always {@link METRICS_REPORT_KIND}. */
  readonly kind: typeof METRICS_REPORT_KIND;
  /** The metrics. */
  readonly metrics: readonly ReportedMetric[];
}

/**
 * Families left out of reports: alert states belong to the process that evaluates them; in a
 * process group the primary evaluates its rules on the aggregate.
 */
const UNREPORTED = new Set(["ALERTS"]);

/**
 * Everything a monitor's metrics hold now, as a {@link MetricsReport} (gauge `collect` hooks run
 * first). Metrics registered directly in prom-client (default metrics, summaries) are not included.
 * @param monitor - a `PerformanceMonitor`
 * @returns the report
 */
export function metricsReport(monitor: object): MetricsReport {
  const metrics: ReportedMetric[] = [];
  for (const family of familiesOf(monitor).values()) {
    if (UNREPORTED.has(family.name)) continue;
    const head = { name: family.name, help: family.help, labelNames: family.labelNames };
    if (family instanceof CounterMetric) {
      const series = [...family.allSeries()].map((s) => [s.labelValues, s.value] as const);
      metrics.push({ type: "counter", ...head, series });
    } else if (family instanceof GaugeMetric) {
      family.collect();
      const series = [...family.allSeries()].map((s) => [s.labelValues, s.value] as const);
      metrics.push({ type: "gauge", ...head, series });
    } else {
      const series = [...family.allSeries()].map(
        (s) => [s.labelValues, Array.from(s.counts), s.sum] as const,
      );
      metrics.push({ type: "histogram", ...head, buckets: family.buckets, series });
    }
  }
  return { kind: METRICS_REPORT_KIND, metrics };
}

/**
 * @param message - anything received on a message channel
 * @returns whether it is a metrics report (by its `kind`; the content is checked on receipt)
 */
export function isMetricsReport(message: unknown): message is MetricsReport {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as { kind?: unknown }).kind === METRICS_REPORT_KIND
  );
}

function invalid(where: string, expected: string, got: unknown): PerflayerConfigError {
  return new PerflayerConfigError(
    "ERR_INVALID_ARGUMENT",
    `metrics report: Expected \`${where}\` to be ${expected}, got ${describeValue(got)}. Send what metricsReport(monitor) returns.`,
  );
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");

/**
 * Checks a report received from another process, so that a malformed one is refused whole with a
 * message naming the field, never half-applied.
 * @internal
 * @param report - what was received
 * @returns the same report, typed
 */
export function assertMetricsReport(report: unknown): MetricsReport {
  if (!isMetricsReport(report)) throw invalid("kind", `"${METRICS_REPORT_KIND}"`, report);
  if (!Array.isArray(report.metrics)) throw invalid("metrics", "an array", report.metrics);
  report.metrics.forEach((metric: unknown, m) => {
    const where = `metrics[${m}]`;
    if (typeof metric !== "object" || metric === null) throw invalid(where, "an object", metric);
    const { type, name, help, labelNames, series } = metric as Record<string, unknown>;
    if (type !== "counter" && type !== "gauge" && type !== "histogram")
      throw invalid(`${where}.type`, "counter, gauge or histogram", type);
    if (typeof name !== "string" || typeof help !== "string")
      throw invalid(`${where}.name and help`, "strings", { name, help });
    if (!isStringArray(labelNames)) throw invalid(`${where}.labelNames`, "string[]", labelNames);
    if (!Array.isArray(series)) throw invalid(`${where}.series`, "an array", series);
    const buckets = (metric as Record<string, unknown>)["buckets"];
    if (
      type === "histogram" &&
      !(
        Array.isArray(buckets) &&
        buckets.length > 0 &&
        buckets.every((b, i) => Number.isFinite(b) && (i === 0 || b > (buckets[i - 1] as number)))
      )
    )
      throw invalid(`${where}.buckets`, "ascending finite numbers", buckets);
    series.forEach((entry: unknown, i) => {
      const at = `${where}.series[${i}]`;
      const row = entry as readonly unknown[];
      if (!Array.isArray(row) || !isStringArray(row[0]) || row[0].length !== labelNames.length)
        throw invalid(at, `[labelValues (${String(labelNames.length)} strings), …]`, entry);
      if (type !== "histogram") {
        const value: unknown = row[1];
        const ok =
          typeof value === "number" && Number.isFinite(value) && (type === "gauge" || value >= 0);
        if (!ok) throw invalid(`${at}[1]`, `a finite ${type} value`, value);
        return;
      }
      const counts: unknown = row[1];
      const width = (buckets as readonly number[]).length + 1;
      if (
        !Array.isArray(counts) ||
        counts.length !== width ||
        !counts.every((c) => Number.isInteger(c) && (c as number) >= 0)
      )
        throw invalid(`${at}[1]`, `${width} bucket counts (whole numbers >= 0)`, counts);
      if (typeof row[2] !== "number" || !Number.isFinite(row[2]))
        throw invalid(`${at}[2]`, "a finite sum", row[2]);
    });
  });
  return report;
}
