import type client from "prom-client";
import { PerflayerConfigError } from "@perflayer/core";
import type { GaugeHandle, LabelValues } from "@perflayer/core";
import { labelsOf } from "./counter-metric.js";
import { MetricFamily } from "./metric-family.js";
import type { SeriesBase } from "./metric-family.js";
import { escapeHelp, formatValue } from "./metric-names.js";

/** One gauge series. */
export interface GaugeSeries extends SeriesBase {
  value: number;
}

/** Arguments of an unbound gauge write: labels first when the gauge has labels. */
export type GaugeSetArgs<L extends string> = [L] extends [never]
  ? [value: number]
  : [labels: LabelValues<L>, value: number];

function notFinite(name: string, value: unknown): PerflayerConfigError {
  return new PerflayerConfigError(
    "ERR_INVALID_ARGUMENT",
    `metric ${name}: Expected a gauge value to be a finite number, got ${String(value)} (${typeof value}). Check the computation that produced it.`,
  );
}

/**
 * A gauge: a value that goes up and down. `collect` hooks run before every read (scrape or
 * snapshot), so values that are cheap to compute on demand need no updates on hot paths.
 * @typeParam L - label names
 */
export class GaugeMetric<L extends string = never> extends MetricFamily<L, GaugeSeries> {
  readonly #collects: (() => void)[] = [];

  /**
   * Adds a hook run before every read.
   * @param hook - sets the gauge's values
   */
  addCollect(hook: () => void): void {
    this.#collects.push(hook);
  }

  /**
   * Sets the gauge.
   * @param args - `(labels, value)`, or `(value)` without labels
   */
  set(...args: GaugeSetArgs<L>): void {
    const [labels, value] = (this.labelNames.length === 0 ? [undefined, args[0]] : args) as [
      LabelValues<L> | undefined,
      number,
    ];
    if (typeof value !== "number" || !Number.isFinite(value)) throw notFinite(this.name, value);
    const series = this.seriesFor(labels);
    if (series.expired) this.revive(series);
    series.value = value;
    series.touched = true;
  }

  /**
   * A handle for one label combination whose writes do no label work.
   * @param labels - the label values
   * @returns the handle
   */
  bind(labels: LabelValues<L>): GaugeHandle {
    const series = this.seriesFor(labels);
    const name = this.name;
    const revive = (s: GaugeSeries): void => this.revive(s);
    const write = (value: number): void => {
      if (!Number.isFinite(value)) throw notFinite(name, value);
      if (series.expired) revive(series);
      series.value = value;
      series.touched = true;
    };
    return {
      set: write,
      inc: (value = 1): void => write(series.value + value),
      dec: (value = 1): void => write(series.value - value),
    };
  }

  /**
   * The current value of one series after running the collect hooks (0 if never written).
   * @param labels - the label values
   * @returns the value
   */
  get(...labels: [L] extends [never] ? [] : [labels: LabelValues<L>]): number {
    this.collect();
    return this.seriesFor(labels[0]).value;
  }

  /** @internal Runs the collect hooks; a failing hook is reported, never thrown into a scrape. */
  collect(): void {
    for (const hook of this.#collects) {
      try {
        hook();
      } catch (error) {
        this.warn(
          "PERFLAYER_MONITOR_COLLECT",
          `metric ${this.name}: a collect hook failed: ${String(error)}`,
        );
      }
    }
  }

  /** @internal */
  protected createSeries(labelValues: readonly string[], labelText: string): GaugeSeries {
    return { labelValues, labelText, touched: true, expired: false, value: 0 };
  }

  /** @internal */
  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} gauge\n`);
    for (const series of this.series.values())
      out.push(`${this.name}${series.labelText} ${formatValue(series.value)}\n`);
  }

  /** @internal */
  promValues(): client.MetricValue<string>[] {
    const values: client.MetricValue<string>[] = [];
    for (const series of this.series.values())
      values.push({ labels: labelsOf(this.labelNames, series), value: series.value });
    return values;
  }
}
