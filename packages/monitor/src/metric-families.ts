import client from "prom-client";
import {
  DEFAULT_DURATION_BUCKETS,
  PerflayerConfigError,
  PerflayerError,
  formatExpected,
} from "@perflayer/core";
import type {
  Clock,
  CounterOptions,
  GaugeOptions,
  HistogramHandle,
  HistogramOptions,
} from "@perflayer/core";
import { CounterMetric } from "./counter-metric.js";
import { GaugeMetric } from "./gauge-metric.js";
import { HistogramMetric } from "./histogram-metric.js";
import type { FamilyContext } from "./metric-family.js";
import { assertLabelNames, assertMetricName } from "./metric-names.js";
import type { MetricWindow } from "./metric-window.js";
import { CounterView, GaugeView, HistogramView } from "./prom-views.js";

/** Any metric a monitor holds. */
export type Family = CounterMetric<string> | GaugeMetric<string> | HistogramMetric<string>;

/** The type name of a family. */
export type FamilyType = "counter" | "gauge" | "histogram";

/**
 * @param family - a metric
 * @returns its type name
 */
export function familyType(family: Family): FamilyType {
  return family instanceof CounterMetric
    ? "counter"
    : family instanceof GaugeMetric
      ? "gauge"
      : "histogram";
}

/**
 * The metrics of one monitor, by name: how they are defined (validated, deduplicated, registered
 * with a prom-client view), and what every family shares (window rotation, idle expiry).
 * @internal
 */
export class MetricFamilies {
  readonly #families = new Map<string, Family>();
  readonly #registry: client.Registry;
  readonly #context: FamilyContext;
  readonly #window: MetricWindow;
  readonly #clock: Clock;
  readonly #timeHandles = new Map<string, { ok: HistogramHandle; error: HistogramHandle }>();

  /**
   * @param registry - where each family's prom-client view is registered
   * @param context - series cap and callbacks
   * @param window - the monitor's sliding window
   * @param clock - for histogram timers
   */
  constructor(
    registry: client.Registry,
    context: FamilyContext,
    window: MetricWindow,
    clock: Clock,
  ) {
    this.#registry = registry;
    this.#context = context;
    this.#window = window;
    this.#clock = clock;
  }

  /**
   * @param name - metric name
   * @returns the family of that name
   */
  get(name: string): Family | undefined {
    return this.#families.get(name);
  }

  /** @returns every family, in definition order */
  values(): IterableIterator<Family> {
    return this.#families.values();
  }

  /** @returns every family by name, in definition order */
  entries(): IterableIterator<[string, Family]> {
    return this.#families.entries();
  }

  /** Defines a counter, or returns the existing one. */
  counter<L extends string>(options: CounterOptions<L>): CounterMetric<L> {
    return this.#define(options, "counter", () => {
      const family = new CounterMetric<L>(
        options.name,
        options.help,
        options.labelNames ?? [],
        this.#context,
        this.#window,
      );
      new CounterView(this.#viewConfig(options)).family = family;
      return family;
    }) as CounterMetric<L>;
  }

  /** Defines a gauge, or returns the existing one (another `collect` hook is added to it). */
  gauge<L extends string>(options: GaugeOptions<L>): GaugeMetric<L> {
    const gauge = this.#define(options, "gauge", () => {
      const family = new GaugeMetric<L>(
        options.name,
        options.help,
        options.labelNames ?? [],
        this.#context,
      );
      new GaugeView(this.#viewConfig(options)).family = family;
      return family;
    }) as GaugeMetric<L>;
    if (options.collect !== undefined) gauge.addCollect(options.collect);
    return gauge;
  }

  /** Defines a histogram, or returns the existing one (same labels and buckets required). */
  histogram<L extends string>(options: HistogramOptions<L>): HistogramMetric<L> {
    const buckets = validBuckets(options);
    const existing = this.#families.get(options.name);
    if (existing instanceof HistogramMetric && existing.buckets.join() !== buckets.join()) {
      throw new PerflayerError(
        "ERR_METRIC_EXISTS",
        `metric ${options.name} already exists with buckets [${existing.buckets.join(", ")}]; define it once, or pick another name.`,
      );
    }
    return this.#define(options, "histogram", () => {
      const family = new HistogramMetric<L>(
        options.name,
        options.help,
        options.labelNames ?? [],
        buckets,
        this.#context,
        this.#window,
        this.#clock,
      );
      new HistogramView({ ...this.#viewConfig(options), buckets: [...buckets] }).family = family;
      return family;
    }) as HistogramMetric<L>;
  }

  /** Defines a prom-client `Summary` in the registry, refusing a name already taken. */
  summary<L extends string>(
    options: Omit<client.SummaryConfiguration<L>, "registers">,
  ): client.Summary<L> {
    assertMetricName(options.name);
    if (
      this.#families.has(options.name) ||
      this.#registry.getSingleMetric(options.name) !== undefined
    ) {
      throw new PerflayerError(
        "ERR_METRIC_EXISTS",
        `metric ${options.name} already exists; define it once, or pick another name.`,
      );
    }
    return new client.Summary<L>({ ...options, registers: [this.#registry] });
  }

  /**
   * Bound handles for `time()`, cached per histogram and label set so a timed call does no label
   * work.
   */
  outcomeHandles(
    name: string,
    labels: Readonly<Record<string, string>> | undefined,
  ): { ok: HistogramHandle; error: HistogramHandle } {
    const key = labels === undefined ? name : `${name}\u0000${JSON.stringify(labels)}`;
    let handles = this.#timeHandles.get(key);
    if (handles === undefined) {
      const histogram = this.timerHistogram(name, labels ?? {}, true);
      const withOutcome = histogram.labelNames.includes("outcome");
      const bind = (outcome: string): HistogramHandle =>
        histogram.bind(withOutcome ? { ...labels, outcome } : { ...labels });
      handles = { ok: bind("ok"), error: bind("error") };
      if (this.#timeHandles.size < 10_000) this.#timeHandles.set(key, handles);
    }
    return handles;
  }

  /** The histogram a timer writes to, created with the labels' names (and `outcome`) when missing. */
  timerHistogram(
    name: string,
    labels: Readonly<Record<string, string>>,
    outcome: boolean,
  ): HistogramMetric<string> {
    const existing = this.#families.get(name);
    if (existing !== undefined) {
      if (!(existing instanceof HistogramMetric))
        throw new PerflayerError(
          "ERR_METRIC_EXISTS",
          `metric ${name} is not a histogram; time into a histogram.`,
        );
      return existing;
    }
    const labelNames = [...Object.keys(labels), ...(outcome ? ["outcome"] : [])];
    return this.histogram({
      name,
      help: `Duration of ${name.replace(/_seconds$/, "").replace(/_/g, " ")} in seconds.`,
      labelNames,
    });
  }

  /** Starts a new window slot in every counter and histogram. */
  rotate(): void {
    const cursor = this.#window.advance(this.#clock.now());
    for (const family of this.#families.values()) {
      if (family instanceof CounterMetric || family instanceof HistogramMetric)
        family.rotate(cursor);
    }
  }

  /** Removes series idle since the previous call, in every family. */
  expireIdle(): void {
    for (const family of this.#families.values()) family.expireIdle();
  }

  /** What every prom-client view of a perflayer metric is registered with. */
  #viewConfig(options: { name: string; help: string; labelNames?: readonly string[] }): {
    name: string;
    help: string;
    labelNames: string[];
    registers: client.Registry[];
  } {
    return {
      name: options.name,
      help: options.help,
      labelNames: [...(options.labelNames ?? [])],
      registers: [this.#registry],
    };
  }

  #define<L extends string>(
    options: CounterOptions<L>,
    type: FamilyType,
    create: () => Family,
  ): Family {
    if (typeof options !== "object" || options === null) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "options",
          expected: "{ name, help, labelNames? }",
          got: options,
          context: `PerformanceMonitor.${type}()`,
        }),
      );
    }
    const name = assertMetricName(options.name);
    if (typeof options.help !== "string" || options.help.length === 0) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "help",
          expected: "a non-empty sentence",
          got: options.help,
          context: `metric ${name}`,
        }),
      );
    }
    const labelNames = assertLabelNames(
      name,
      options.labelNames,
      type === "histogram" ? ["le"] : [],
    );
    const existing = this.#families.get(name);
    if (existing !== undefined) {
      const existingType = familyType(existing);
      if (existingType !== type || existing.labelNames.join() !== labelNames.join()) {
        throw new PerflayerError(
          "ERR_METRIC_EXISTS",
          `metric ${name} already exists as a ${existingType} with labels [${existing.labelNames.join(", ")}]; asked for a ${type} with [${labelNames.join(", ")}]. Define it once, or pick another name.`,
        );
      }
      return existing;
    }
    if (this.#registry.getSingleMetric(name) !== undefined) {
      throw new PerflayerError(
        "ERR_METRIC_EXISTS",
        `metric ${name} is already registered in the prom-client registry by other code; pick another name.`,
      );
    }
    const family = create();
    this.#families.set(name, family);
    return family;
  }
}

function validBuckets(options: HistogramOptions<string>): readonly number[] {
  const buckets: unknown = options.buckets ?? DEFAULT_DURATION_BUCKETS;
  const list: readonly unknown[] = Array.isArray(buckets) ? (buckets as readonly unknown[]) : [];
  const ok =
    list.length > 0 &&
    list.every(
      (b, i) =>
        typeof b === "number" && Number.isFinite(b) && (i === 0 || b > (list[i - 1] as number)),
    );
  if (!ok) {
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      formatExpected({
        name: "buckets",
        expected: "a non-empty array of finite, strictly ascending numbers",
        got: buckets,
        fix: "Pass e.g. buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1].",
        context: `metric ${String(options.name)}`,
      }),
    );
  }
  return Object.freeze([...(list as readonly number[])]);
}

const familiesByMonitor = new WeakMap<object, MetricFamilies>();

/**
 * Links a monitor to its families, so the package's own modules (aggregation, reports) reach them
 * without a public accessor.
 * @internal
 */
export function linkFamilies(monitor: object, families: MetricFamilies): void {
  familiesByMonitor.set(monitor, families);
}

/**
 * @internal
 * @param monitor - a `PerformanceMonitor`
 * @returns its families
 */
export function familiesOf(monitor: object): MetricFamilies {
  const families = familiesByMonitor.get(monitor);
  if (families === undefined)
    throw new PerflayerConfigError(
      "ERR_INVALID_ARGUMENT",
      formatExpected({
        name: "monitor",
        expected: "a PerformanceMonitor",
        got: monitor,
        fix: "Pass the monitor itself, e.g. new PerformanceMonitor().",
      }),
    );
  return families;
}
