import { CounterMetric } from "./counter-metric.js";
import { GaugeMetric } from "./gauge-metric.js";
import { HistogramMetric } from "./histogram-metric.js";
import type { HistogramSeries } from "./histogram-metric.js";
import type { Family } from "./metric-families.js";
import type { ReportedMetric } from "./metrics-report.js";

/**
 * How the gauges of several processes combine into one: `sum` (e.g. bytes in use), `max` or `min`
 * (e.g. a pressure level, a compliance ratio), or `worker` — one series per process, with a `worker`
 * label added.
 */
export type GaugeAggregation = "sum" | "max" | "min" | "worker";

/** What a counter or histogram series of one worker holds. */
interface Cell {
  /** The counter's value, or the histogram's per-bucket counts. */
  readonly counts: readonly number[];
  /** The histogram's sum (0 for counters). */
  readonly sum: number;
}

interface AggregatedSeries {
  readonly labelValues: readonly string[];
  /** Each worker's latest cumulative values, in the order workers first reported the series. */
  readonly cells: Map<string, Cell>;
  /** What exited (or restarted) workers had counted; kept so the aggregate never decreases. */
  retired: Cell | undefined;
}

interface GaugeSeries {
  readonly labelValues: readonly string[];
  readonly cells: Map<string, number>;
}

function add(a: Cell | undefined, b: Cell): Cell {
  if (a === undefined) return b;
  return { counts: a.counts.map((c, i) => c + (b.counts[i] as number)), sum: a.sum + b.sum };
}

const key = (labelValues: readonly string[]): string => labelValues.join("\u0000");

/**
 * One metric of a process group, held in the aggregating monitor: counters and histogram buckets
 * are recomputed as the sum of every worker's latest cumulative values (so they are exact, and a
 * lost report never miscounts), histogram window slots get each report's increase (so window
 * percentiles, rates and alert rules work on the aggregate), and gauges follow their
 * {@link GaugeAggregation} over the workers that are up.
 * @internal
 */
export class AggregatedMetric {
  /** The definition the first report gave; later reports must match it. */
  readonly signature: string;
  readonly #target: Family;
  readonly #rule: GaugeAggregation;
  readonly #additive: boolean;
  readonly #series = new Map<string, AggregatedSeries>();
  readonly #gauges = new Map<string, GaugeSeries>();

  /**
   * @param target - the family in the aggregating monitor (for `worker` gauges: with the label)
   * @param signature - type, labels and buckets of the definition
   * @param rule - how gauges combine
   * @param additive - the target is a counter the aggregating monitor writes too (its own
   * `perflayer_monitor_*` counters): add each report's increase instead of setting the sum
   */
  constructor(target: Family, signature: string, rule: GaugeAggregation, additive: boolean) {
    this.#target = target;
    this.signature = signature;
    this.#rule = rule;
    this.#additive = additive;
  }

  /**
   * Applies one worker's latest values of this metric.
   * @param worker - the worker's id
   * @param reported - the metric from its report
   * @param isUp - which workers' gauges count
   */
  apply(worker: string, reported: ReportedMetric, isUp: (worker: string) => boolean): void {
    if (reported.type === "gauge") {
      const seen = new Set<string>();
      for (const [labelValues, value] of reported.series) {
        const k = key(labelValues);
        seen.add(k);
        let series = this.#gauges.get(k);
        if (series === undefined) this.#gauges.set(k, (series = { labelValues, cells: new Map() }));
        series.cells.set(worker, value);
      }
      for (const [k, series] of this.#gauges)
        if (!seen.has(k) && series.cells.delete(worker) && series.cells.size === 0)
          this.#gauges.delete(k);
      this.recomputeGauges(isUp, worker);
      return;
    }
    for (const row of reported.series) {
      const labelValues = row[0];
      const cell: Cell =
        reported.type === "counter"
          ? { counts: [row[1] as number], sum: 0 }
          : { counts: row[1] as readonly number[], sum: row[2] as number };
      const k = key(labelValues);
      let series = this.#series.get(k);
      if (series === undefined)
        this.#series.set(k, (series = { labelValues, cells: new Map(), retired: undefined }));
      const before = series.cells.get(worker);
      const restarted = before?.counts.some((c, i) => (cell.counts[i] as number) < c) === true;
      if (restarted) series.retired = add(series.retired, before);
      series.cells.set(worker, cell);
      this.#write(series, restarted ? undefined : before, cell);
    }
  }

  /**
   * A worker exited: its counts move to the retired total (the sum does not change), its gauges go.
   * @param worker - the worker's id
   * @param isUp - which workers' gauges count
   */
  retire(worker: string, isUp: (worker: string) => boolean): void {
    for (const series of this.#series.values()) {
      const cell = series.cells.get(worker);
      if (cell === undefined) continue;
      series.cells.delete(worker);
      series.retired = add(series.retired, cell);
    }
    for (const [k, series] of this.#gauges)
      if (series.cells.delete(worker) && series.cells.size === 0) this.#gauges.delete(k);
    this.recomputeGauges(isUp, worker);
  }

  /**
   * Recomputes every gauge series from the workers that are up; series no such worker holds are
   * removed.
   * @param isUp - which workers' gauges count
   * @param changed - a worker whose per-worker series must go when it is not up
   */
  recomputeGauges(isUp: (worker: string) => boolean, changed?: string): void {
    const target = this.#target;
    if (!(target instanceof GaugeMetric)) return;
    const names = target.labelNames;
    const labels = (values: readonly string[]): Record<string, string> =>
      Object.fromEntries(names.map((n, i) => [n, values[i] as string]));
    if (this.#rule === "worker") {
      if (changed !== undefined && !isUp(changed))
        for (const series of this.#gauges.values())
          target.remove(labels([...series.labelValues, changed]));
      for (const series of this.#gauges.values())
        for (const [worker, value] of series.cells)
          if (isUp(worker)) setGauge(target, [...series.labelValues, worker], value);
      return;
    }
    for (const series of [...target.allSeries()])
      if (!this.#gauges.has(key(series.labelValues))) target.remove(labels(series.labelValues));
    for (const series of this.#gauges.values()) {
      let result: number | undefined;
      for (const [worker, value] of series.cells) {
        if (!isUp(worker)) continue;
        result =
          result === undefined
            ? value
            : this.#rule === "sum"
              ? result + value
              : this.#rule === "max"
                ? Math.max(result, value)
                : Math.min(result, value);
      }
      if (result === undefined) target.remove(labels(series.labelValues));
      else setGauge(target, series.labelValues, result);
    }
  }

  /** Writes the recomputed sum of a counter or histogram series into the aggregating monitor. */
  #write(series: AggregatedSeries, before: Cell | undefined, after: Cell): void {
    const target = this.#target;
    let total = series.retired;
    for (const cell of series.cells.values()) total = add(total, cell);
    const sum = total as Cell;
    if (target instanceof CounterMetric) {
      const s = target.seriesAt(series.labelValues);
      s.value = this.#additive
        ? s.value + (after.counts[0] as number) - (before?.counts[0] ?? 0)
        : (sum.counts[0] as number);
      s.touched = true;
    } else if (target instanceof HistogramMetric) {
      const s: HistogramSeries = target.seriesAt(series.labelValues);
      let count = 0;
      for (let i = 0; i < s.counts.length; i++) {
        const c = sum.counts[i] as number;
        s.counts[i] = c;
        count += c;
        // The window gets what this report added, so window percentiles follow the aggregate.
        s.current[i] =
          (s.current[i] as number) + (after.counts[i] as number) - (before?.counts[i] ?? 0);
      }
      s.count = count;
      s.sum = sum.sum;
      s.touched = true;
    }
  }
}

function setGauge(
  target: GaugeMetric<string>,
  labelValues: readonly string[],
  value: number,
): void {
  const series = target.seriesAt(labelValues);
  series.value = value;
  series.touched = true;
}
