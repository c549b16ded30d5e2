import type client from "prom-client";
import { PerflayerConfigError } from "@perflayer/core";
import type { Clock, HistogramHandle, LabelValues } from "@perflayer/core";
import { labelsOf } from "./counter-metric.js";
import { MetricFamily } from "./metric-family.js";
import type { FamilyContext, SeriesBase } from "./metric-family.js";
import { escapeHelp, formatValue, labelBlock } from "./metric-names.js";
import type { MetricWindow } from "./metric-window.js";

/** One histogram series. */
export interface HistogramSeries extends SeriesBase {
  /** Per-bucket (not cumulative) counts since start; the last slot is +Inf. */
  readonly counts: Float64Array;
  /** Per-bucket counts of the current window slot. */
  current: Float64Array;
  /** Per-bucket counts per window slot. */
  readonly slots: Float64Array[];
  sum: number;
  count: number;
  /** Pre-rendered `name_bucket{…,le="…"} ` prefixes. */
  bucketPrefixes: string[] | undefined;
}

/** Arguments of an unbound observation: labels first when the histogram has labels. */
export type ObserveArgs<L extends string> = [L] extends [never]
  ? [value: number]
  : [labels: LabelValues<L>, value: number];

/** Percentiles and counts of one histogram series over the sliding window. */
export interface WindowSummary {
  /** Observations in the window. */
  readonly count: number;
  /** Observations per second over the window. */
  readonly rate: number;
  /** Estimated median, in the metric's unit. */
  readonly p50: number;
  /** Estimated 90th percentile. */
  readonly p90: number;
  /** Estimated 99th percentile. */
  readonly p99: number;
}

/** Count, sum and window figures of one histogram series. */
export interface HistogramFigures {
  /** Observations since start. */
  readonly count: number;
  /** Sum of observations since start. */
  readonly sum: number;
  /** Count, rate and percentiles over the window. */
  readonly window: WindowSummary;
}

function notFinite(name: string, value: unknown): PerflayerConfigError {
  return new PerflayerConfigError(
    "ERR_INVALID_ARGUMENT",
    `metric ${name}: Expected an observation to be a finite number, got ${String(value)} (${typeof value}). Check the measurement that produced it.`,
  );
}

/**
 * Estimates a quantile from per-bucket counts by linear interpolation inside the bucket that holds
 * it — the method of PromQL's `histogram_quantile`, so the error is bounded by the bucket width.
 * @param bounds - bucket upper bounds, ascending
 * @param counts - per-bucket (not cumulative) counts, +Inf last
 * @param q - quantile in [0, 1]
 * @returns the estimate, or NaN without observations
 */
export function bucketQuantile(
  bounds: readonly number[],
  counts: ArrayLike<number>,
  q: number,
): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i] as number;
    if (cumulative + inBucket >= rank && inBucket > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] as number; // +Inf bucket
      const lower = i === 0 ? Math.min(0, bounds[0] as number) : (bounds[i - 1] as number);
      const upper = bounds[i] as number;
      return lower + ((upper - lower) * (rank - cumulative)) / inBucket;
    }
    cumulative += inBucket;
  }
  return bounds[bounds.length - 1] as number;
}

/**
 * A histogram with fixed buckets. `bind(labels)` returns a handle whose `observe` writes straight
 * into preallocated bucket arrays; the window slots give live percentiles for snapshots and alerts.
 * @typeParam L - label names
 */
export class HistogramMetric<L extends string = never> extends MetricFamily<L, HistogramSeries> {
  /** Bucket upper bounds, ascending (without +Inf). */
  readonly buckets: readonly number[];
  readonly #bounds: Float64Array;
  readonly #window: MetricWindow;
  readonly #clock: Clock;

  /**
   * @internal
   * @param name - metric name
   * @param help - HELP text
   * @param labelNames - label names
   * @param buckets - validated bucket bounds
   * @param context - cap and overflow callback
   * @param window - the monitor's sliding window
   * @param clock - for timers
   */
  constructor(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: readonly number[],
    context: FamilyContext,
    window: MetricWindow,
    clock: Clock,
  ) {
    super(name, help, labelNames, context);
    this.buckets = buckets;
    this.#bounds = Float64Array.from(buckets);
    this.#window = window;
    this.#clock = clock;
  }

  /**
   * Records one observation.
   * @param args - `(labels, value)`, or `(value)` without labels
   */
  observe(...args: ObserveArgs<L>): void {
    const [labels, value] = (this.labelNames.length === 0 ? [undefined, args[0]] : args) as [
      LabelValues<L> | undefined,
      number,
    ];
    if (typeof value !== "number" || !Number.isFinite(value)) throw notFinite(this.name, value);
    const series = this.seriesFor(labels);
    if (series.expired) this.revive(series);
    record(series, this.#bounds, value);
  }

  /**
   * A handle for one label combination whose `observe` does no label work.
   * @param labels - the label values
   * @returns the handle
   */
  bind(labels: LabelValues<L>): HistogramHandle {
    const series = this.seriesFor(labels);
    const bounds = this.#bounds;
    const name = this.name;
    const revive = (s: HistogramSeries): void => this.revive(s);
    return {
      observe(value: number): void {
        if (!Number.isFinite(value)) throw notFinite(name, value);
        if (series.expired) revive(series);
        record(series, bounds, value);
      },
    };
  }

  /**
   * Starts a timer; the returned function observes the elapsed seconds and returns them.
   * @param labels - label values known at the start (merged with those given at the end)
   * @returns `end(labels?)`
   */
  startTimer(labels?: Partial<LabelValues<L>>): (endLabels?: Partial<LabelValues<L>>) => number {
    const started = this.#clock.now();
    return (endLabels) => {
      const seconds = (this.#clock.now() - started) / 1000;
      const merged = { ...labels, ...endLabels } as LabelValues<L>;
      if (this.labelNames.length === 0) (this.observe as (value: number) => void)(seconds);
      else (this.observe as (labels: LabelValues<L>, value: number) => void)(merged, seconds);
      return seconds;
    };
  }

  /**
   * Count, sum and window percentiles of one series.
   * @param labels - the label values
   * @returns the figures
   */
  get(...labels: [L] extends [never] ? [] : [labels: LabelValues<L>]): HistogramFigures {
    const series = this.seriesFor(labels[0]);
    return {
      count: series.count,
      sum: series.sum,
      window: this.windowOf([series], this.#clock.now()),
    };
  }

  /** @internal */
  protected createSeries(labelValues: readonly string[], labelText: string): HistogramSeries {
    const width = this.buckets.length + 1;
    const slots: Float64Array[] = [];
    for (let i = 0; i < this.#window.slots; i++) slots.push(new Float64Array(width));
    return {
      labelValues,
      labelText,
      touched: true,
      expired: false,
      counts: new Float64Array(width),
      current: slots[this.#window.cursor] as Float64Array,
      slots,
      sum: 0,
      count: 0,
      bucketPrefixes: undefined,
    };
  }

  /** @internal Starts a new window slot. */
  rotate(cursor: number): void {
    for (const series of this.series.values()) {
      const slot = series.slots[cursor] as Float64Array;
      slot.fill(0);
      series.current = slot;
    }
  }

  /**
   * @internal
   * Window figures merged over several series (e.g. every route).
   */
  windowOf(series: Iterable<HistogramSeries>, now: number): WindowSummary {
    const merged = new Float64Array(this.buckets.length + 1);
    for (const s of series)
      for (const slot of s.slots)
        for (let i = 0; i < merged.length; i++)
          merged[i] = (merged[i] as number) + (slot[i] as number);
    let count = 0;
    for (const c of merged) count += c;
    return {
      count,
      rate: (count * 1000) / this.#window.span(now),
      p50: bucketQuantile(this.buckets, merged, 0.5),
      p90: bucketQuantile(this.buckets, merged, 0.9),
      p99: bucketQuantile(this.buckets, merged, 0.99),
    };
  }

  /**
   * @internal
   * Observations at or below `bound` (must be a bucket bound) since start, over all given series.
   */
  countAtOrBelow(
    series: Iterable<HistogramSeries>,
    bound: number,
  ): { good: number; total: number } {
    const index = this.buckets.indexOf(bound);
    let good = 0;
    let total = 0;
    for (const s of series) {
      total += s.count;
      for (let i = 0; i <= index; i++) good += s.counts[i] as number;
    }
    return { good, total };
  }

  /** @internal */
  render(out: string[]): void {
    const name = this.name;
    out.push(`# HELP ${name} ${escapeHelp(this.help)}\n# TYPE ${name} histogram\n`);
    for (const series of this.series.values()) {
      const prefixes = (series.bucketPrefixes ??= this.#prefixes(series));
      let cumulative = 0;
      const counts = series.counts;
      for (let i = 0; i < counts.length; i++) {
        cumulative += counts[i] as number;
        out.push(`${prefixes[i] as string}${cumulative}\n`);
      }
      out.push(
        `${name}_sum${series.labelText} ${formatValue(series.sum)}\n${name}_count${series.labelText} ${series.count}\n`,
      );
    }
  }

  /** @internal */
  promValues(): client.MetricValue<string>[] {
    const values: client.MetricValue<string>[] = [];
    for (const series of this.series.values()) {
      const labels = labelsOf(this.labelNames, series);
      let cumulative = 0;
      for (let i = 0; i < series.counts.length; i++) {
        cumulative += series.counts[i] as number;
        const le = i < this.buckets.length ? (this.buckets[i] as number) : "+Inf";
        values.push({
          labels: { ...labels, le },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        } as client.MetricValue<string>);
      }
      values.push({
        labels,
        value: series.sum,
        metricName: `${this.name}_sum`,
      } as client.MetricValue<string>);
      values.push({
        labels,
        value: series.count,
        metricName: `${this.name}_count`,
      } as client.MetricValue<string>);
    }
    return values;
  }

  #prefixes(series: HistogramSeries): string[] {
    const prefixes: string[] = [];
    for (const bound of this.buckets)
      prefixes.push(
        `${this.name}_bucket${labelBlock(this.labelNames, series.labelValues, `le="${formatValue(bound)}"`)} `,
      );
    prefixes.push(
      `${this.name}_bucket${labelBlock(this.labelNames, series.labelValues, 'le="+Inf"')} `,
    );
    return prefixes;
  }
}

function record(series: HistogramSeries, bounds: Float64Array, value: number): void {
  // Binary search for the first bound >= value (the `le` bucket); the +Inf slot is bounds.length.
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value > (bounds[mid] as number)) lo = mid + 1;
    else hi = mid;
  }
  const i = lo;
  (series.counts[i] as number)++;
  (series.current[i] as number)++;
  series.sum += value;
  series.count++;
  series.touched = true;
}
