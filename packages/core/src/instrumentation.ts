/**
 * Label values for a metric whose label names are `L`: every name present, values as strings.
 * Labels must be low-cardinality (cache names, outcomes, priorities — never keys or user input).
 */
export type LabelValues<L extends string> = { readonly [K in L]: string };

/** What every metric definition has. */
export interface MetricOptions<L extends string> {
  /**
   * Prometheus name: snake_case, `perflayer_<package>_` prefix, base units, counters end in `_total`.
   * @example "perflayer_cache_requests_total"
   */
  readonly name: string;
  /** One sentence for `# HELP`. */
  readonly help: string;
  /**
   * The fixed label names; every observation supplies exactly these.
   * @defaultValue []
   */
  readonly labelNames?: readonly L[];
}

/** A counter definition. */
export type CounterOptions<L extends string> = MetricOptions<L>;

/** A gauge definition. */
export interface GaugeOptions<L extends string> extends MetricOptions<L> {
  /**
   * Called just before the gauge is read (a scrape or snapshot), so values that are cheap to
   * compute on demand (cache entry counts, queue depth) are not updated on every operation.
   * Asking again for the same gauge with another `collect` adds that hook: every hook runs.
   */
  readonly collect?: () => void;
}

/** A histogram definition. */
export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /**
   * Upper bounds of the buckets, ascending, in the metric's base unit (seconds for durations).
   * @defaultValue {@link DEFAULT_DURATION_BUCKETS}
   */
  readonly buckets?: readonly number[];
}

/** A counter bound to one set of label values: no label work per call. */
export interface CounterHandle {
  /**
   * Adds `value` to the counter.
   * @param value - amount to add (>= 0), 1 when omitted
   */
  inc(value?: number): void;
}

/** A gauge bound to one set of label values. */
export interface GaugeHandle {
  /**
   * Sets the gauge.
   * @param value - the new value
   */
  set(value: number): void;
  /**
   * Adds to the gauge.
   * @param value - amount to add, 1 when omitted
   */
  inc(value?: number): void;
  /**
   * Subtracts from the gauge.
   * @param value - amount to subtract, 1 when omitted
   */
  dec(value?: number): void;
}

/** A histogram bound to one set of label values. */
export interface HistogramHandle {
  /**
   * Records one observation.
   * @param value - an observation in the metric's base unit (seconds for durations)
   */
  observe(value: number): void;
}

/** A counter with label names `L`. Bind once per label combination on hot paths. */
export interface Counter<L extends string> {
  /**
   * @param labels - the label values
   * @returns a handle that increments this series without per-call label work
   */
  bind(labels: LabelValues<L>): CounterHandle;
}

/** A gauge with label names `L`. */
export interface Gauge<L extends string> {
  /**
   * @param labels - the label values
   * @returns a handle for this series
   */
  bind(labels: LabelValues<L>): GaugeHandle;
}

/** A histogram with label names `L`. */
export interface Histogram<L extends string> {
  /**
   * @param labels - the label values
   * @returns a handle for this series
   */
  bind(labels: LabelValues<L>): HistogramHandle;
}

/**
 * How a perflayer package reports what it does. Cache, memory and response take an
 * `instrumentation` option (default {@link noopInstrumentation}); `@perflayer/monitor` provides one
 * backed by prom-client. Asking twice for the same metric name returns the same metric.
 *
 * @example
 * ```ts
 * const requests = instrumentation.counter({
 *   name: "perflayer_cache_requests_total", help: "Cache lookups.", labelNames: ["cache", "result"],
 * });
 * const hit = requests.bind({ cache: "users", result: "hit" });
 * hit.inc();
 * ```
 */
export interface Instrumentation {
  /**
   * Defines (or returns the existing) counter.
   * @typeParam L - the label names
   * @param options - name, help and label names
   */
  counter<L extends string = never>(options: CounterOptions<L>): Counter<L>;
  /**
   * Defines (or returns the existing) gauge.
   * @typeParam L - the label names
   * @param options - name, help, label names and an optional `collect` hook
   */
  gauge<L extends string = never>(options: GaugeOptions<L>): Gauge<L>;
  /**
   * Defines (or returns the existing) histogram.
   * @typeParam L - the label names
   * @param options - name, help, label names and buckets
   */
  histogram<L extends string = never>(options: HistogramOptions<L>): Histogram<L>;
}

/**
 * Default duration buckets in seconds: 0.5 ms to 10 s, dense around a 100 ms response budget.
 */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10,
]);

const noopCounterHandle: CounterHandle = Object.freeze({ inc(): void {} });
const noopGaugeHandle: GaugeHandle = Object.freeze({
  set(): void {},
  inc(): void {},
  dec(): void {},
});
const noopHistogramHandle: HistogramHandle = Object.freeze({ observe(): void {} });
const noopCounter: Counter<string> = Object.freeze({
  bind: (): CounterHandle => noopCounterHandle,
});
const noopGauge: Gauge<string> = Object.freeze({ bind: (): GaugeHandle => noopGaugeHandle });
const noopHistogram: Histogram<string> = Object.freeze({
  bind: (): HistogramHandle => noopHistogramHandle,
});

/**
 * Instrumentation that records nothing. Its handles are shared frozen singletons with empty
 * methods, which V8 inlines away, so instrumented hot paths cost nothing measurable by default.
 */
export const noopInstrumentation: Instrumentation = Object.freeze({
  counter: <L extends string>(): Counter<L> => noopCounter,
  gauge: <L extends string>(): Gauge<L> => noopGauge,
  histogram: <L extends string>(): Histogram<L> => noopHistogram,
});

/**
 * Tells whether an instrumentation records anything, so a package can skip work that only feeds
 * metrics (such as reading the clock around a call) when it does not.
 * @param instrumentation - the instrumentation in use
 * @returns false for {@link noopInstrumentation}
 */
export function isRecording(instrumentation: Instrumentation): boolean {
  return instrumentation !== noopInstrumentation;
}
