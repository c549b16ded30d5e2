import { PerflayerConfigError, describeValue } from "@perflayer/core";
import type { LabelValues } from "@perflayer/core";
import { labelBlock } from "./metric-names.js";

/** What every series holds besides its values. */
export interface SeriesBase {
  /** Label values in the family's label-name order. */
  readonly labelValues: readonly string[];
  /** Pre-rendered `{a="x"}` block (no braces when the family has no labels). */
  readonly labelText: string;
  /** Written since the last idle check. */
  touched: boolean;
  /** Removed as idle; a write brings it back. */
  expired: boolean;
}

/** Limits and callbacks a family gets from its monitor. */
export interface FamilyContext {
  /** Most series per metric; further label combinations go to one overflow series. */
  readonly seriesCap: number;
  /** Called when a write is redirected to the overflow series. */
  readonly onOverflow: (metric: string) => void;
  /** Reports a warning through the monitor's rate limit. */
  readonly warn: (code: string, message: string, key: string) => void;
}

/** The label value every label of the overflow series carries. */
export const OVERFLOW_LABEL_VALUE = "__overflow__";

/**
 * A metric's series, keyed by label values: lookup, validation of unbound labels, the cardinality
 * cap with its overflow series, and idle expiry. Subclasses add values and rendering.
 * @typeParam L - label names
 * @typeParam S - the series type
 */
export abstract class MetricFamily<L extends string, S extends SeriesBase> {
  /** Metric name. */
  readonly name: string;
  /** HELP text. */
  readonly help: string;
  /** Label names, in declaration order. */
  readonly labelNames: readonly L[];
  /**
   * Series by key (label values joined by NUL).
   * @internal
   */
  protected readonly series: Map<string, S> = new Map();
  readonly #context: FamilyContext;
  #overflow: S | undefined;

  /**
   * Metrics are created by `PerformanceMonitor`.
   * @internal
   * @param name - metric name
   * @param help - HELP text
   * @param labelNames - label names
   * @param context - cap and overflow callback
   */
  constructor(name: string, help: string, labelNames: readonly L[], context: FamilyContext) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.#context = context;
  }

  /**
   * Creates the storage of one series.
   * @internal
   */
  protected abstract createSeries(labelValues: readonly string[], labelText: string): S;

  /**
   * Reports a warning through the monitor's rate limit (one per kind a minute, with a count).
   * @internal
   */
  protected warn(code: string, message: string): void {
    this.#context.warn(code, message, `${code}:${this.name}`);
  }

  /** @returns the number of live series (the overflow series included once used) */
  get seriesCount(): number {
    return this.series.size;
  }

  /**
   * @internal
   * The series for `labels`, validated (every declared label, nothing else), created on first use.
   * @param labels - label values by name
   * @returns the series
   */
  seriesFor(labels: LabelValues<L> | undefined): S {
    const names = this.labelNames;
    const count = names.length;
    if (count === 0) {
      if (labels !== undefined && Object.keys(labels).length > 0) throw this.#labelError(labels);
      return this.#lookup("", []);
    }
    if (labels === undefined || labels === null || typeof labels !== "object")
      throw this.#labelError(labels);
    let key: string;
    let values: string[] | undefined;
    if (count === 1) {
      const value = (labels as Record<string, unknown>)[names[0] as string];
      if (typeof value !== "string") throw this.#labelError(labels);
      key = value;
    } else {
      values = new Array<string>(count);
      for (let i = 0; i < count; i++) {
        const value = (labels as Record<string, unknown>)[names[i] as string];
        if (typeof value !== "string") throw this.#labelError(labels);
        values[i] = value;
      }
      key = values.join("\u0000");
    }
    const found = this.series.get(key);
    if (found !== undefined) {
      if (Object.keys(labels).length !== count) throw this.#labelError(labels);
      return found;
    }
    if (Object.keys(labels).length !== count) throw this.#labelError(labels);
    return this.#lookup(key, values ?? [key]);
  }

  /**
   * @internal
   * The series for label values already validated elsewhere (in the family's label-name order),
   * created on first use and brought back if it had expired; the cap applies as for any write.
   * @param values - label values
   * @returns the series
   */
  seriesAt(values: readonly string[]): S {
    const series = this.#lookup(values.join("\u0000"), values);
    if (series.expired) this.revive(series);
    return series;
  }

  /**
   * Marks idle series: series not written since the previous call are removed (they come back on
   * their next write).
   * @returns how many series were removed
   */
  expireIdle(): number {
    let removed = 0;
    for (const [key, series] of this.series) {
      if (series.touched) {
        series.touched = false;
      } else if (series !== this.#overflow) {
        series.expired = true;
        this.series.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /**
   * Re-inserts an expired series on its next write (bound handles keep their series object).
   * @internal
   * @param series - the series written to
   */
  protected revive(series: S): void {
    series.expired = false;
    const key = series.labelValues.join("\u0000");
    if (!this.series.has(key) && this.series.size < this.#context.seriesCap)
      this.series.set(key, series);
  }

  /**
   * Removes one series (a bound handle to it keeps working and brings it back on write).
   * @param labels - the label values
   * @returns whether it existed
   */
  remove(labels: LabelValues<L>): boolean {
    const key = this.labelNames
      .map((name) => (labels as Record<string, string>)[name])
      .join("\u0000");
    const series = this.series.get(key);
    if (series === undefined) return false;
    series.expired = true;
    return this.series.delete(key);
  }

  /** Forgets every series. */
  clear(): void {
    this.series.clear();
    this.#overflow = undefined;
  }

  /**
   * @internal
   * @returns the live series
   */
  allSeries(): IterableIterator<S> {
    return this.series.values();
  }

  #lookup(key: string, values: readonly string[]): S {
    const found = this.series.get(key);
    if (found !== undefined) return found;
    if (this.series.size >= this.#context.seriesCap) {
      this.#context.onOverflow(this.name);
      if (this.#overflow === undefined) {
        const overflowValues = this.labelNames.map(() => OVERFLOW_LABEL_VALUE);
        this.#overflow = this.createSeries(
          overflowValues,
          labelBlock(this.labelNames, overflowValues),
        );
        this.series.set(overflowValues.join("\u0000"), this.#overflow);
      }
      return this.#overflow;
    }
    const series = this.createSeries(values, labelBlock(this.labelNames, values));
    this.series.set(key, series);
    return series;
  }

  #labelError(labels: unknown): PerflayerConfigError {
    const expected =
      this.labelNames.length === 0
        ? "no labels"
        : `exactly the labels ${this.labelNames.map((l) => `"${l}"`).join(", ")} with string values`;
    const got =
      labels !== null && typeof labels === "object"
        ? `{ ${Object.entries(labels)
            .map(([k, v]) => `${k}: ${describeValue(v)}`)
            .join(", ")} }`
        : describeValue(labels);
    return new PerflayerConfigError(
      "ERR_INVALID_ARGUMENT",
      `metric ${this.name}: Expected labels to be ${expected}, got ${got}. Pass every declared label, and nothing else.`,
    );
  }
}
