import type {
  Counter,
  CounterHandle,
  CounterOptions,
  Gauge,
  GaugeHandle,
  GaugeOptions,
  Histogram,
  HistogramHandle,
  HistogramOptions,
  Instrumentation,
  LabelValues,
} from "./instrumentation.js";

type Kind = "counter" | "gauge" | "histogram";

interface RecordedMetric {
  readonly kind: Kind;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly series: Map<string, { value: number; observations: number[] }>;
  readonly collects: (() => void)[];
}

function seriesKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((name) => [name, labels[name]]),
  );
}

/**
 * An in-memory {@link Instrumentation} that keeps every value, for tests and debugging: read back
 * counters and gauges with {@link RecordingInstrumentation.value} and histogram observations with
 * {@link RecordingInstrumentation.observations}. Not for production (it keeps every observation).
 *
 * @example
 * ```ts
 * const recording = new RecordingInstrumentation();
 * const caches = new CacheManager({ instrumentation: recording });
 * // …
 * recording.value("perflayer_cache_requests_total", { cache: "users", result: "hit" }); // 3
 * ```
 */
export class RecordingInstrumentation implements Instrumentation {
  readonly #metrics = new Map<string, RecordedMetric>();

  /**
   * Defines or returns a counter.
   * @typeParam L - label names
   * @param options - definition
   * @returns the counter
   */
  counter<L extends string = never>(options: CounterOptions<L>): Counter<L> {
    const metric = this.#define("counter", options);
    return {
      bind: (labels: LabelValues<L>): CounterHandle => {
        const series = this.#series(metric, options.name, labels);
        return {
          inc: (value = 1): void => {
            if (!(value >= 0))
              throw new RangeError(`${options.name}: a counter cannot decrease (got ${value})`);
            series.value += value;
          },
        };
      },
    };
  }

  /**
   * Defines or returns a gauge; another `collect` hook for the same name is added.
   * @typeParam L - label names
   * @param options - definition
   * @returns the gauge
   */
  gauge<L extends string = never>(options: GaugeOptions<L>): Gauge<L> {
    const metric = this.#define("gauge", options);
    if (options.collect !== undefined) metric.collects.push(options.collect);
    return {
      bind: (labels: LabelValues<L>): GaugeHandle => {
        const series = this.#series(metric, options.name, labels);
        return {
          set: (value: number): void => void (series.value = value),
          inc: (value = 1): void => void (series.value += value),
          dec: (value = 1): void => void (series.value -= value),
        };
      },
    };
  }

  /**
   * Defines or returns a histogram.
   * @typeParam L - label names
   * @param options - definition
   * @returns the histogram
   */
  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L> {
    const metric = this.#define("histogram", options);
    return {
      bind: (labels: LabelValues<L>): HistogramHandle => {
        const series = this.#series(metric, options.name, labels);
        return {
          observe: (value: number): void => {
            series.observations.push(value);
            series.value += value;
          },
        };
      },
    };
  }

  /** Runs every gauge's `collect` hooks, as a scrape would. */
  collect(): void {
    for (const metric of this.#metrics.values()) for (const hook of metric.collects) hook();
  }

  /** @returns the names of every metric defined so far */
  names(): string[] {
    return [...this.#metrics.keys()];
  }

  /**
   * The current value of a counter or gauge series (a histogram's sum), after running the
   * `collect` hooks; 0 for a series never written.
   * @param name - metric name
   * @param labels - the series' labels
   * @returns the value
   */
  value(name: string, labels: Readonly<Record<string, string>> = {}): number {
    const metric = this.#metrics.get(name);
    if (metric === undefined)
      throw new RangeError(`no metric named ${name}; defined: ${this.names().join(", ")}`);
    for (const hook of metric.collects) hook();
    return metric.series.get(seriesKey(labels))?.value ?? 0;
  }

  /**
   * Every observation of a histogram series, in order.
   * @param name - metric name
   * @param labels - the series' labels
   * @returns the observations
   */
  observations(name: string, labels: Readonly<Record<string, string>> = {}): readonly number[] {
    return this.#metrics.get(name)?.series.get(seriesKey(labels))?.observations ?? [];
  }

  #define(kind: Kind, options: CounterOptions<string>): RecordedMetric {
    const existing = this.#metrics.get(options.name);
    if (existing !== undefined) {
      if (existing.kind !== kind)
        throw new TypeError(`${options.name} is already a ${existing.kind}`);
      return existing;
    }
    const metric: RecordedMetric = {
      kind,
      help: options.help,
      labelNames: [...(options.labelNames ?? [])],
      series: new Map(),
      collects: [],
    };
    this.#metrics.set(options.name, metric);
    return metric;
  }

  #series(
    metric: RecordedMetric,
    name: string,
    labels: Readonly<Record<string, string>>,
  ): { value: number; observations: number[] } {
    const given = Object.keys(labels).sort();
    const expected = [...metric.labelNames].sort();
    if (given.join(",") !== expected.join(",")) {
      throw new TypeError(
        `${name}: expected labels [${expected.join(", ")}], got [${given.join(", ")}]`,
      );
    }
    const key = seriesKey(labels);
    let series = metric.series.get(key);
    if (series === undefined) metric.series.set(key, (series = { value: 0, observations: [] }));
    return series;
  }
}
