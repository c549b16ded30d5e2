import client from "prom-client";
import {
  WarningLimiter,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  systemClock,
} from "@perflayer/core";
import type {
  Clock,
  Closeable,
  CounterOptions,
  GaugeOptions,
  HistogramOptions,
  Instrumentation,
  TimerHandle,
} from "@perflayer/core";
import { AlertEvaluator } from "./alert-evaluator.js";
import type { AlertStatus } from "./alert-evaluator.js";
import type { AlertEvent, AlertRuleOptions } from "./alert-rule.js";
import type { AlertSink } from "./alert-sinks.js";
import type { CounterMetric } from "./counter-metric.js";
import {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  renderExposition,
} from "./exposition.js";
import type { GaugeMetric } from "./gauge-metric.js";
import type { HistogramMetric } from "./histogram-metric.js";
import { MetricFamilies, linkFamilies } from "./metric-families.js";
import { MetricWindow } from "./metric-window.js";
import { snapshotMetrics } from "./monitor-snapshot.js";
import type { MonitorSnapshot } from "./monitor-snapshot.js";
import { enableRuntimeMetrics } from "./runtime-metrics.js";
import type { RuntimeMetricsOptions } from "./runtime-metrics.js";
import type { Slo, SloOptions } from "./slo.js";

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
  readonly #families: MetricFamilies;
  readonly #window: MetricWindow;
  readonly #alerting: AlertEvaluator;
  readonly #timers: TimerHandle[] = [];
  readonly #warnedOverflow = new Set<string>();
  readonly #warnings: WarningLimiter;
  readonly #dropped: CounterMetric<"metric">;
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
    const evaluationIntervalMs = assertNumber(options.evaluationIntervalMs ?? 15_000, {
      name: "evaluationIntervalMs",
      min: 1,
      context,
    });
    this.#window = new MetricWindow(windowMs, slots, this.#clock.now());
    this.#warnings = new WarningLimiter({ clock: this.#clock });
    this.#families = new MetricFamilies(
      this.registry,
      {
        seriesCap,
        onOverflow: (metric) => this.#onOverflow(metric),
        warn: (code, message, key) => this.#warnings.warn(code, message, key),
      },
      this.#window,
      this.#clock,
    );
    linkFamilies(this, this.#families);

    // The monitor's own metrics are exempt from the cap on the metrics they count.
    this.#dropped = this.#families.counter({
      name: "perflayer_monitor_series_dropped_total",
      help: "Writes redirected to a metric's overflow series because it reached its series cap.",
      labelNames: ["metric"],
    });
    this.#alerting = new AlertEvaluator(
      this.#families,
      this.#clock,
      this.#warnings,
      evaluationIntervalMs,
    );
    for (const sink of options.sinks ?? []) this.addSink(sink);

    this.#timers.push(this.#clock.setInterval(() => this.#families.rotate(), this.#window.slotMs));
    this.#timers.push(
      this.#clock.setInterval(() => {
        this.evaluate().catch(() => undefined); // failures are counted inside
      }, evaluationIntervalMs),
    );
    if (seriesTtlMs > 0) {
      this.#timers.push(this.#clock.setInterval(() => this.#families.expireIdle(), seriesTtlMs));
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
    return this.#families.counter(options);
  }

  /**
   * Defines a gauge, or returns the existing one (another `collect` hook is added to it).
   * @typeParam L - label names
   * @param options - name, help, label names, optional `collect` hook
   * @returns the gauge
   */
  gauge<const L extends string = never>(options: GaugeOptions<L>): GaugeMetric<L> {
    return this.#families.gauge(options);
  }

  /**
   * Defines a histogram, or returns the existing one (same labels and buckets required).
   * @typeParam L - label names
   * @param options - name (with a unit, e.g. `_seconds`), help, label names, buckets
   * @returns the histogram
   */
  histogram<const L extends string = never>(options: HistogramOptions<L>): HistogramMetric<L> {
    return this.#families.histogram(options);
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
    return this.#families.summary(options);
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
    const { ok, error } = this.#families.outcomeHandles(name, labels);
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
    return this.#families.timerHistogram(name, labels, false).startTimer(labels);
  }

  /**
   * Adds an alert rule, evaluated every `evaluationIntervalMs`.
   * @param rule - condition, `forMs`, `keepFiringForMs`, labels and annotations
   */
  alert(rule: AlertRuleOptions): void {
    this.#alerting.alert(rule);
  }

  /**
   * Adds a latency SLO and its multi-window burn-rate alerts.
   * @param options - histogram, objective, threshold and windows
   * @returns the SLO, for `status()`
   */
  slo(options: SloOptions): Slo {
    return this.#alerting.slo(options);
  }

  /**
   * Adds a notification sink.
   * @param sink - e.g. `webhookSink({ url })`
   */
  addSink(sink: AlertSink): void {
    this.#alerting.addSink(sink);
  }

  /**
   * Evaluates every alert rule now (the evaluation timer calls this) and delivers notifications.
   * @returns the notifications, once every sink has been tried
   */
  evaluate(): Promise<AlertEvent[]> {
    return this.#alerting.evaluate();
  }

  /** @returns each alert's state and last value */
  alerts(): Record<string, AlertStatus> {
    return this.#alerting.alerts();
  }

  /**
   * Current values, window rates and percentiles of every metric, and alert states.
   * Percentiles are estimated from bucket counts as PromQL's `histogram_quantile` does: the error
   * is at most the width of the bucket holding the percentile.
   * @returns the snapshot
   */
  snapshot(): MonitorSnapshot {
    return {
      at: this.#clock.wallTime(),
      windowMs: this.#window.slotMs * this.#window.slots,
      metrics: snapshotMetrics(this.#families, this.#clock.now()),
      alerts: this.alerts(),
    };
  }

  /**
   * The exposition of every metric in the registry: perflayer's rendered from precomputed label
   * text, others (default metrics, a service's own prom-client metrics) read through prom-client.
   * @param format - `prometheus` (text 0.0.4) or `openmetrics`
   * @returns the exposition text
   */
  metrics(format: "prometheus" | "openmetrics" = "prometheus"): Promise<string> {
    return renderExposition(this.#families, this.registry, format === "openmetrics");
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
    this.#runtime = enableRuntimeMetrics(this.#families, this.registry, this.#clock, options);
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

  /** Same as {@link PerformanceMonitor.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
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
