import type client from "prom-client";
import { PerflayerConfigError } from "@perflayer/core";
import type { CounterHandle, LabelValues } from "@perflayer/core";
import { MetricFamily } from "./metric-family.js";
import type { FamilyContext, SeriesBase } from "./metric-family.js";
import { escapeHelp, formatValue } from "./metric-names.js";
import type { MetricWindow } from "./metric-window.js";

/** One counter series. */
export interface CounterSeries extends SeriesBase {
  value: number;
  /** The value at the start of each window slot. */
  readonly history: Float64Array;
}

/** Arguments of an unbound counter write: labels first when the counter has labels. */
export type CounterIncArgs<L extends string> = [L] extends [never]
  ? [value?: number]
  : [labels: LabelValues<L>, value?: number];

function negative(name: string, value: unknown): PerflayerConfigError {
  return new PerflayerConfigError(
    "ERR_INVALID_ARGUMENT",
    `metric ${name}: Expected a counter increment to be a finite number >= 0, got ${String(value)} (${typeof value}). Use a gauge for values that go down.`,
  );
}

/**
 * A counter: only goes up. `bind(labels)` returns a handle that writes straight into the series
 * (no label validation or hashing per call); `inc(labels, value)` works unbound too.
 * @typeParam L - label names
 */
export class CounterMetric<L extends string = never> extends MetricFamily<L, CounterSeries> {
  readonly #window: MetricWindow;

  /**
   * @internal
   * @param name - metric name
   * @param help - HELP text
   * @param labelNames - label names
   * @param context - cap and overflow callback
   * @param window - the monitor's sliding window
   */
  constructor(
    name: string,
    help: string,
    labelNames: readonly L[],
    context: FamilyContext,
    window: MetricWindow,
  ) {
    super(name, help, labelNames, context);
    this.#window = window;
  }

  /**
   * Adds to the counter.
   * @param args - `(labels, value = 1)`, or `(value = 1)` without labels
   */
  inc(...args: CounterIncArgs<L>): void {
    const [labels, value] = (this.labelNames.length === 0 ? [undefined, args[0]] : args) as [
      LabelValues<L> | undefined,
      number | undefined,
    ];
    const amount = value ?? 1;
    if (!(amount >= 0) || amount === Infinity) throw negative(this.name, value);
    const series = this.seriesFor(labels);
    if (series.expired) this.revive(series);
    series.value += amount;
    series.touched = true;
  }

  /**
   * A handle for one label combination whose `inc` does no label work.
   * @param labels - the label values
   * @returns the handle
   */
  bind(labels: LabelValues<L>): CounterHandle {
    const series = this.seriesFor(labels);
    const name = this.name;
    const revive = (s: CounterSeries): void => this.revive(s);
    return {
      inc(value = 1): void {
        if (!(value >= 0) || value === Infinity) throw negative(name, value);
        if (series.expired) revive(series);
        series.value += value;
        series.touched = true;
      },
    };
  }

  /**
   * The current value of one series (0 if never written).
   * @param labels - the label values
   * @returns the value
   */
  get(...labels: [L] extends [never] ? [] : [labels: LabelValues<L>]): number {
    return this.seriesFor(labels[0]).value;
  }

  /** @internal */
  protected createSeries(labelValues: readonly string[], labelText: string): CounterSeries {
    const history = new Float64Array(this.#window.slots);
    return { labelValues, labelText, touched: true, expired: false, value: 0, history };
  }

  /**
   * @internal
   * Records each series' value at the start of the new slot.
   */
  rotate(cursor: number): void {
    for (const series of this.series.values()) series.history[cursor] = series.value;
  }

  /**
   * @internal
   * Rate per second over the window.
   */
  rateOf(series: CounterSeries, now: number): number {
    const start = series.history[this.#window.oldest] as number;
    return ((series.value - start) * 1000) / this.#window.span(now);
  }

  /** @internal */
  render(out: string[], openMetrics: boolean): void {
    const family = openMetrics ? this.name.replace(/_total$/, "") : this.name;
    const sample = openMetrics ? `${family}_total` : this.name;
    out.push(`# HELP ${family} ${escapeHelp(this.help)}\n# TYPE ${family} counter\n`);
    for (const series of this.series.values())
      out.push(`${sample}${series.labelText} ${formatValue(series.value)}\n`);
  }

  /** @internal */
  promValues(): client.MetricValue<string>[] {
    const values: client.MetricValue<string>[] = [];
    for (const series of this.series.values())
      values.push({ labels: labelsOf(this.labelNames, series), value: series.value });
    return values;
  }
}

/**
 * Label values of a series as a labels object.
 * @internal
 */
export function labelsOf(names: readonly string[], series: SeriesBase): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let i = 0; i < names.length; i++)
    labels[names[i] as string] = series.labelValues[i] as string;
  return labels;
}
