import client from "prom-client";
import {
  DEFAULT_DURATION_BUCKETS,
  PerflayerConfigError,
  PerflayerError,
  WarningLimiter,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  formatExpected,
  systemClock,
} from "@perflayer/core";
import type {
  Clock,
  Closeable,
  CounterOptions,
  GaugeOptions,
  HistogramHandle,
  HistogramOptions,
  Instrumentation,
  TimerHandle,
} from "@perflayer/core";
import { AlertRule } from "./alert-rule.js";
import type {
  AlertEvent,
  AlertQuery,
  AlertRuleOptions,
  AlertStat,
  AlertState,
} from "./alert-rule.js";
import type { AlertSink } from "./alert-sinks.js";
import { CounterMetric, labelsOf } from "./counter-metric.js";
import type { CounterSeries } from "./counter-metric.js";
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, renderForeign } from "./exposition.js";
import { GaugeMetric } from "./gauge-metric.js";
import { HistogramMetric } from "./histogram-metric.js";
import type { HistogramSeries, WindowSummary } from "./histogram-metric.js";
import type { FamilyContext, SeriesBase } from "./metric-family.js";
import { assertLabelNames, assertMetricName } from "./metric-names.js";
import { MetricWindow } from "./metric-window.js";
import { CounterView, GaugeView, HistogramView } from "./prom-views.js";
import {
  EventLoopDelaySummary,
  resolveRuntimeOptions,
  startRuntimeMetrics,
} from "./runtime-metrics.js";
import type { RuntimeMetricsOptions } from "./runtime-metrics.js";
import { Slo } from "./slo.js";
import type { SloOptions } from "./slo.js";

/** Options of {@link PerformanceMonitor}. */
export interface PerformanceMonitorOptions {
  /**
   * The prom-client registry metrics are registered in. Pass prom-client's global `register` to
   * share it with existing code.
   * @defaultValue a new `Registry`
   */
  readonly registry?: client.Registry;
  /**
   * Time source for timers, windows and alert evaluation; tests pass a `ManualClock`.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * Most series per metric. Further label combinations go to one overflow series (label values
   * `__overflow__`), counted by `perflayer_monitor_series_dropped_total`, with one warning.
   * @defaultValue 1_000
   */
  readonly seriesCap?: number;
  /**
   * Remove series not written for this long (checked every `seriesTtlMs`); `0` keeps them forever.
   * @defaultValue 0
   */
  readonly seriesTtlMs?: number;
  /**
   * Length of the sliding window of snapshots (percentiles, rates) and alert conditions.
   * @defaultValue 60_000
   */
  readonly windowMs?: number;
  /**
   * Sub-windows the window is cut into; it slides by `windowMs / windowSlots`.
   * @defaultValue 6
   */
  readonly windowSlots?: number;
  /**
   * How often alert rules are evaluated (and SLO samples taken).
   * @defaultValue 15_000
   */
  readonly evaluationIntervalMs?: number;
  /** Where alert notifications go. More can be added with `addSink`. */
  readonly sinks?: readonly AlertSink[];
}

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

/** The state of one alert rule. */
export interface AlertStatus {
  /** `inactive`, `pending` or `firing`. */
  readonly state: AlertState;
  /** The value at the last evaluation (undefined without data). */
  readonly value: number | undefined;
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

type Family = CounterMetric<string> | GaugeMetric<string> | HistogramMetric<string>;

const KNOWN: readonly string[] = [
  "registry",
  "clock",
  "seriesCap",
  "seriesTtlMs",
  "windowMs",
  "windowSlots",
  "evaluationIntervalMs",
  "sinks",
];

function matches(
  series: SeriesBase,
  names: readonly string[],
  wanted: Readonly<Record<string, string>> | undefined,
): boolean {
  if (wanted === undefined) return true;
  for (const [name, value] of Object.entries(wanted)) {
    const index = names.indexOf(name);
    if (index === -1 || series.labelValues[index] !== value) return false;
  }
  return true;
}

/**
 * One metrics and alerting system on prom-client: typed counters, gauges and histograms with bound
 * handles, timers, live snapshots with window percentiles, alert rules with sinks, latency SLOs,
 * a cardinality guard, runtime metrics and `/metrics` exposition. Implements core's
 * `Instrumentation` as `monitor.instrumentation`, so cache, memory and response report into it.
 *
 * @example
 * ```ts
 * const monitor = new PerformanceMonitor();
 * const latency = monitor.histogram({ name: "http_request_duration_seconds", help: "Latency.", labelNames: ["route"] });
 * const users = latency.bind({ route: "/users" });
 * users.observe(0.042);
 * console.log(await monitor.metrics());
 * ```
 */
export class PerformanceMonitor implements Closeable {
  /** The prom-client registry behind this monitor. */
  readonly registry: client.Registry;
  /** Core's `Instrumentation`, backed by this monitor: pass it to cache, memory and response. */
  readonly instrumentation: Instrumentation;

  readonly #clock: Clock;
  readonly #families = new Map<string, Family>();
  readonly #context: FamilyContext;
  readonly #window: MetricWindow;
  readonly #timers: TimerHandle[] = [];
  readonly #rules = new Map<string, AlertRule>();
  readonly #slos = new Map<string, Slo>();
  readonly #sinks: AlertSink[] = [];
  readonly #timeHandles = new Map<string, { ok: HistogramHandle; error: HistogramHandle }>();
  readonly #warnedOverflow = new Set<string>();
  readonly #warnings: WarningLimiter;
  readonly #evaluationIntervalMs: number;
  readonly #dropped: CounterMetric<"metric">;
  readonly #notifications: CounterMetric<"sink" | "outcome">;
  readonly #ruleFailures: CounterMetric<"alertname">;
  readonly #alertsGauge: GaugeMetric<"alertname" | "alertstate">;
  #runtime: TimerHandle | undefined;
  #closed = false;

  /** @param options - registry, clock, limits, window and alerting settings */
  constructor(options: PerformanceMonitorOptions = {}) {
    const context = "new PerformanceMonitor()";
    assertKnownKeys(options, KNOWN, context);
    this.registry = options.registry ?? new client.Registry();
    this.#clock = options.clock ?? systemClock;
    const seriesCap = assertInteger(options.seriesCap ?? 1_000, {
      name: "seriesCap",
      min: 1,
      fix: "Pass e.g. { seriesCap: 5_000 }.",
      context,
    });
    const seriesTtlMs = assertNumber(options.seriesTtlMs ?? 0, {
      name: "seriesTtlMs",
      min: 0,
      context,
    });
    const windowMs = assertNumber(options.windowMs ?? 60_000, {
      name: "windowMs",
      min: 1,
      context,
    });
    const slots = assertInteger(options.windowSlots ?? 6, {
      name: "windowSlots",
      min: 2,
      max: 600,
      context,
    });
    this.#evaluationIntervalMs = assertNumber(options.evaluationIntervalMs ?? 15_000, {
      name: "evaluationIntervalMs",
      min: 1,
      context,
    });
    this.#window = new MetricWindow(windowMs, slots, this.#clock.now());
    this.#warnings = new WarningLimiter({ clock: this.#clock });
    this.#context = {
      seriesCap,
      onOverflow: (metric) => this.#onOverflow(metric),
      warn: (code, message, key) => this.#warnings.warn(code, message, key),
    };
    for (const sink of options.sinks ?? []) this.addSink(sink);

    // The monitor's own metrics are exempt from the cap on the metrics they count.
    this.#dropped = this.counter({
      name: "perflayer_monitor_series_dropped_total",
      help: "Writes redirected to a metric's overflow series because it reached its series cap.",
      labelNames: ["metric"],
    });
    this.#notifications = this.counter({
      name: "perflayer_monitor_alert_notifications_total",
      help: "Alert notifications delivered to sinks, by outcome (ok, error).",
      labelNames: ["sink", "outcome"],
    });
    this.#ruleFailures = this.counter({
      name: "perflayer_monitor_rule_evaluation_failures_total",
      help: "Alert rule evaluations that threw.",
      labelNames: ["alertname"],
    });
    this.#alertsGauge = this.gauge({
      name: "ALERTS",
      help: "Active alerts (1 while pending or firing), as in Prometheus.",
      labelNames: ["alertname", "alertstate"],
    });

    this.#timers.push(this.#clock.setInterval(() => this.#rotate(), this.#window.slotMs));
    this.#timers.push(
      this.#clock.setInterval(() => {
        this.evaluate().catch(() => undefined); // failures are counted inside
      }, this.#evaluationIntervalMs),
    );
    if (seriesTtlMs > 0) {
      this.#timers.push(
        this.#clock.setInterval(() => this.#families.forEach((f) => f.expireIdle()), seriesTtlMs),
      );
    }

    this.instrumentation = Object.freeze({
      counter: <L extends string = never>(o: CounterOptions<L>) => this.counter<L>(o),
      gauge: <L extends string = never>(o: GaugeOptions<L>) => this.gauge<L>(o),
      histogram: <L extends string = never>(o: HistogramOptions<L>) => this.histogram<L>(o),
    });
  }

  /**
   * Defines a counter, or returns the existing one of that name (same labels required).
   * @typeParam L - label names
   * @param options - name (ending in `_total`), help, label names
   * @returns the counter
   */
  counter<const L extends string = never>(options: CounterOptions<L>): CounterMetric<L> {
    return this.#define(options, "counter", () => {
      const family = new CounterMetric<L>(
        options.name,
        options.help,
        options.labelNames ?? [],
        this.#context,
        this.#window,
      );
      const view = new CounterView(this.#viewConfig(options));
      view.family = family;
      return family;
    }) as CounterMetric<L>;
  }

  /**
   * Defines a gauge, or returns the existing one (another `collect` hook is added to it).
   * @typeParam L - label names
   * @param options - name, help, label names, optional `collect` hook
   * @returns the gauge
   */
  gauge<const L extends string = never>(options: GaugeOptions<L>): GaugeMetric<L> {
    const gauge = this.#define(options, "gauge", () => {
      const family = new GaugeMetric<L>(
        options.name,
        options.help,
        options.labelNames ?? [],
        this.#context,
      );
      const view = new GaugeView(this.#viewConfig(options));
      view.family = family;
      return family;
    }) as GaugeMetric<L>;
    if (options.collect !== undefined) gauge.addCollect(options.collect);
    return gauge;
  }

  /**
   * Defines a histogram, or returns the existing one (same labels and buckets required).
   * @typeParam L - label names
   * @param options - name (with a unit, e.g. `_seconds`), help, label names, buckets
   * @returns the histogram
   */
  histogram<const L extends string = never>(options: HistogramOptions<L>): HistogramMetric<L> {
    const buckets = this.#buckets(options);
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
      const view = new HistogramView({ ...this.#viewConfig(options), buckets: [...buckets] });
      view.family = family;
      return family;
    }) as HistogramMetric<L>;
  }

  /**
   * Defines a prom-client `Summary` (client-side quantiles) in this monitor's registry. Summaries
   * cannot be aggregated across instances; prefer histograms.
   * @typeParam L - label names
   * @param options - prom-client's summary configuration (its `registers` is set for you)
   * @returns the prom-client summary
   */
  summary<L extends string = string>(
    options: Omit<client.SummaryConfiguration<L>, "registers">,
  ): client.Summary<L> {
    assertMetricName(options.name);
    if (
      this.#families.has(options.name) ||
      this.registry.getSingleMetric(options.name) !== undefined
    ) {
      throw new PerflayerError(
        "ERR_METRIC_EXISTS",
        `metric ${options.name} already exists; define it once, or pick another name.`,
      );
    }
    return new client.Summary<L>({ ...options, registers: [this.registry] });
  }

  /**
   * Times `fn` (sync or async) into the histogram `name`, with an `outcome` label (`ok`/`error`)
   * when the histogram has one. A missing histogram is created with `labels`' names plus
   * `outcome`. Errors are rethrown.
   * @typeParam T - what `fn` returns
   * @param name - histogram name, e.g. `db_query_duration_seconds`
   * @param fn - the work
   * @param labels - label values
   * @returns what `fn` returns
   */
  time<T>(name: string, fn: () => T, labels?: Readonly<Record<string, string>>): T {
    const { ok, error } = this.#outcomeHandles(name, labels);
    const clock = this.#clock;
    const started = clock.now();
    let result: T;
    try {
      result = fn();
    } catch (failure) {
      error.observe((clock.now() - started) / 1000);
      throw failure;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          ok.observe((clock.now() - started) / 1000);
          return value;
        },
        (failure: unknown) => {
          error.observe((clock.now() - started) / 1000);
          throw failure;
        },
      ) as T;
    }
    ok.observe((clock.now() - started) / 1000);
    return result;
  }

  /**
   * Starts a timer on the histogram `name` (created with `labels`' names when missing).
   * @param name - histogram name
   * @param labels - label values known now
   * @returns `end(labels?)`, which observes and returns the elapsed seconds
   */
  startTimer(
    name: string,
    labels: Readonly<Record<string, string>> = {},
  ): (endLabels?: Readonly<Record<string, string>>) => number {
    return this.#timerHistogram(name, labels, false).startTimer(labels);
  }

  /**
   * Adds an alert rule, evaluated every `evaluationIntervalMs`.
   * @param rule - condition, `forMs`, `keepFiringForMs`, labels and annotations
   */
  alert(rule: AlertRuleOptions): void {
    const compiled = new AlertRule(rule);
    if (this.#rules.has(compiled.name))
      throw new PerflayerError(
        "ERR_ALERT_EXISTS",
        `alert ${compiled.name} is already defined; give each rule its own name.`,
      );
    this.#rules.set(compiled.name, compiled);
  }

  /**
   * Adds a latency SLO and its multi-window burn-rate alerts.
   * @param options - histogram, objective, threshold and windows
   * @returns the SLO, for `status()`
   */
  slo(options: SloOptions): Slo {
    const histogram = this.#families.get(options.metric);
    if (!(histogram instanceof HistogramMetric)) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "metric",
          expected: "the name of a histogram defined on this monitor",
          got: options.metric,
          fix: "Define the histogram first with monitor.histogram().",
          context: "PerformanceMonitor.slo()",
        }),
      );
    }
    if (!histogram.buckets.includes(options.thresholdSeconds)) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "thresholdSeconds",
          expected: `one of the bucket bounds of ${options.metric} (${histogram.buckets.join(", ")})`,
          got: options.thresholdSeconds,
          fix: "Add the threshold to the histogram's buckets.",
          context: "PerformanceMonitor.slo()",
        }),
      );
    }
    const read = (): { good: number; total: number } =>
      histogram.countAtOrBelow(
        [...histogram.allSeries()].filter((s) => matches(s, histogram.labelNames, options.labels)),
        options.thresholdSeconds,
      );
    const slo = new Slo(options, read, this.#evaluationIntervalMs);
    if (this.#slos.has(options.name))
      throw new PerflayerError("ERR_SLO_EXISTS", `SLO ${options.name} is already defined.`);
    this.#slos.set(options.name, slo);
    slo.sample(this.#clock.now());
    for (const rule of slo.rules()) this.alert(rule);
    return slo;
  }

  /**
   * Adds a notification sink.
   * @param sink - e.g. `webhookSink({ url })`
   */
  addSink(sink: AlertSink): void {
    if (typeof sink?.notify !== "function" || typeof sink.name !== "string") {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "sink",
          expected: "an AlertSink { name, notify(event) }",
          got: sink,
          fix: "Use callbackSink(), loggerSink() or webhookSink().",
          context: "PerformanceMonitor.addSink()",
        }),
      );
    }
    this.#sinks.push(sink);
  }

  /**
   * Evaluates every alert rule now (the evaluation timer calls this) and delivers notifications.
   * @returns the notifications, once every sink has been tried
   */
  async evaluate(): Promise<AlertEvent[]> {
    const now = this.#clock.now();
    const wall = this.#clock.wallTime();
    for (const slo of this.#slos.values()) slo.sample(now);
    const query = this.#query();
    const events: AlertEvent[] = [];
    for (const rule of this.#rules.values()) {
      const before = rule.state;
      try {
        events.push(...rule.evaluate(query, now, wall));
      } catch (error) {
        this.#ruleFailures.inc({ alertname: rule.name });
        this.#warnings.warn(
          "PERFLAYER_MONITOR_RULE",
          `alert ${rule.name}: evaluation failed: ${String(error)}`,
          `rule:${rule.name}`,
        );
        continue;
      }
      if (before !== rule.state) {
        if (before !== "inactive")
          this.#alertsGauge.remove({ alertname: rule.name, alertstate: before });
        if (rule.state !== "inactive")
          this.#alertsGauge.set({ alertname: rule.name, alertstate: rule.state }, 1);
      }
    }
    await Promise.all(
      events.flatMap((event) => this.#sinks.map((sink) => this.#deliver(sink, event))),
    );
    return events;
  }

  /** @returns each alert's state and last value */
  alerts(): Record<string, AlertStatus> {
    const result: Record<string, AlertStatus> = {};
    for (const rule of this.#rules.values())
      result[rule.name] = { state: rule.state, value: rule.lastValue };
    return result;
  }

  /**
   * Current values, window rates and percentiles of every metric, and alert states.
   * Percentiles are estimated from bucket counts as PromQL's `histogram_quantile` does: the error
   * is at most the width of the bucket holding the percentile.
   * @returns the snapshot
   */
  snapshot(): MonitorSnapshot {
    const now = this.#clock.now();
    const metrics: Record<string, CounterSnapshot | GaugeSnapshot | HistogramSnapshot> = {};
    for (const [name, family] of this.#families) {
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
    return {
      at: this.#clock.wallTime(),
      windowMs: this.#window.slotMs * this.#window.slots,
      metrics,
      alerts: this.alerts(),
    };
  }

  /**
   * The exposition of every metric in the registry: perflayer's rendered from precomputed label
   * text, others (default metrics, a service's own prom-client metrics) read through prom-client.
   * @param format - `prometheus` (text 0.0.4) or `openmetrics`
   * @returns the exposition text
   */
  async metrics(format: "prometheus" | "openmetrics" = "prometheus"): Promise<string> {
    const openMetrics = format === "openmetrics";
    const out: string[] = [];
    for (const family of this.#families.values()) {
      if (family instanceof GaugeMetric) family.collect();
      if (family.seriesCount === 0) continue;
      if (family instanceof CounterMetric) family.render(out, openMetrics);
      else family.render(out);
    }
    for (const metric of this.registry.getMetricsAsArray()) {
      if (
        metric instanceof CounterView ||
        metric instanceof GaugeView ||
        metric instanceof HistogramView
      )
        continue;
      renderForeign(out, await (metric as unknown as client.Metric).get(), openMetrics);
    }
    if (openMetrics) out.push("# EOF\n");
    return out.join("");
  }

  /**
   * @param format - the exposition format
   * @returns its HTTP content type
   */
  contentType(format: "prometheus" | "openmetrics" = "prometheus"): string {
    return format === "openmetrics" ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
  }

  /**
   * Adds runtime metrics: event-loop utilisation (computed on scrape, free), duty-cycled
   * event-loop delay percentiles, and optionally prom-client's default metrics.
   * @param options - what to enable
   */
  enableRuntimeMetrics(options: RuntimeMetricsOptions = {}): void {
    if (this.#runtime !== undefined) return;
    const config = resolveRuntimeOptions(options);
    if (options.defaultMetrics === true) client.collectDefaultMetrics({ register: this.registry });
    this.#runtime = startRuntimeMetrics(
      this.#clock,
      {
        delay: new EventLoopDelaySummary({
          name: "nodejs_eventloop_delay_seconds",
          help: "Event-loop delay beyond the sampler's timer resolution: quantiles over the last sample window, sum and count over every sample.",
          registers: [this.registry],
        }),
        utilization: this.gauge({
          name: "nodejs_eventloop_utilization_ratio",
          help: "Share of time the event loop was busy since the previous scrape.",
        }),
      },
      config,
    );
  }

  /** Stops every timer (window, evaluation, expiry, runtime sampling). Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const timer of this.#timers) timer.cancel();
      this.#runtime?.cancel();
      this.#warnings.flush();
    }
    return Promise.resolve();
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
      registers: [this.registry],
    };
  }

  /** Same as {@link PerformanceMonitor.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #define<L extends string>(
    options: CounterOptions<L>,
    type: "counter" | "gauge" | "histogram",
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
      const existingType =
        existing instanceof CounterMetric
          ? "counter"
          : existing instanceof GaugeMetric
            ? "gauge"
            : "histogram";
      if (existingType !== type || existing.labelNames.join() !== labelNames.join()) {
        throw new PerflayerError(
          "ERR_METRIC_EXISTS",
          `metric ${name} already exists as a ${existingType} with labels [${existing.labelNames.join(", ")}]; asked for a ${type} with [${labelNames.join(", ")}]. Define it once, or pick another name.`,
        );
      }
      return existing;
    }
    if (this.registry.getSingleMetric(name) !== undefined) {
      throw new PerflayerError(
        "ERR_METRIC_EXISTS",
        `metric ${name} is already registered in the prom-client registry by other code; pick another name.`,
      );
    }
    const family = create();
    this.#families.set(name, family);
    return family;
  }

  #buckets(options: HistogramOptions<string>): readonly number[] {
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

  /** Bound handles for `time()`, cached per histogram and label set so a timed call does no label work. */
  #outcomeHandles(
    name: string,
    labels: Readonly<Record<string, string>> | undefined,
  ): { ok: HistogramHandle; error: HistogramHandle } {
    const key = labels === undefined ? name : `${name}\u0000${JSON.stringify(labels)}`;
    let handles = this.#timeHandles.get(key);
    if (handles === undefined) {
      const histogram = this.#timerHistogram(name, labels ?? {}, true);
      const withOutcome = histogram.labelNames.includes("outcome");
      const bind = (outcome: string): HistogramHandle =>
        histogram.bind(withOutcome ? { ...labels, outcome } : { ...labels });
      handles = { ok: bind("ok"), error: bind("error") };
      if (this.#timeHandles.size < 10_000) this.#timeHandles.set(key, handles);
    }
    return handles;
  }

  #timerHistogram(
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

  #rotate(): void {
    const cursor = this.#window.advance(this.#clock.now());
    for (const family of this.#families.values()) {
      if (family instanceof CounterMetric || family instanceof HistogramMetric)
        family.rotate(cursor);
    }
  }

  #query(): AlertQuery {
    const now = this.#clock.now();
    return {
      read: (
        metric: string,
        stat: AlertStat,
        labels?: Readonly<Record<string, string>>,
      ): number | undefined => {
        const family = this.#families.get(metric);
        if (family === undefined) return undefined;
        if (family instanceof HistogramMetric) {
          const series = [...family.allSeries()].filter((s: HistogramSeries) =>
            matches(s, family.labelNames, labels),
          );
          if (series.length === 0) return undefined;
          if (stat === "value") return series.reduce((sum, s) => sum + s.count, 0);
          const window = family.windowOf(series, now);
          const figure =
            stat === "count" ? window.count : stat === "rate" ? window.rate : window[stat];
          return Number.isNaN(figure) ? undefined : figure;
        }
        if (family instanceof GaugeMetric) family.collect();
        const series = [...family.allSeries()].filter((s) => matches(s, family.labelNames, labels));
        if (series.length === 0) return undefined;
        if (stat === "rate" && family instanceof CounterMetric)
          return series.reduce((sum, s) => sum + family.rateOf(s as CounterSeries, now), 0);
        return series.reduce((sum, s) => sum + (s as CounterSeries).value, 0);
      },
    };
  }

  async #deliver(sink: AlertSink, event: AlertEvent): Promise<void> {
    try {
      await sink.notify(event);
      this.#notifications.inc({ sink: sink.name, outcome: "ok" });
    } catch (error) {
      this.#notifications.inc({ sink: sink.name, outcome: "error" });
      this.#warnings.warn(
        "PERFLAYER_MONITOR_SINK",
        `alert sink ${sink.name} failed for ${event.alertname} ${event.status}: ${String(error)}`,
        `sink:${sink.name}`,
      );
    }
  }

  #onOverflow(metric: string): void {
    if (metric === "perflayer_monitor_series_dropped_total") return;
    this.#dropped.inc({ metric });
    if (!this.#warnedOverflow.has(metric)) {
      this.#warnedOverflow.add(metric);
      process.emitWarning(
        `metric ${metric} reached its series cap; further label combinations are counted in one overflow series (label values "__overflow__"). A label probably carries ids or user input.`,
        { code: "PERFLAYER_MONITOR_CARDINALITY" },
      );
    }
  }
}
