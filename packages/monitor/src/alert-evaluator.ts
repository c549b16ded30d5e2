import { PerflayerConfigError, PerflayerError, formatExpected } from "@perflayer/core";
import type { Clock, WarningLimiter } from "@perflayer/core";
import { AlertRule } from "./alert-rule.js";
import type {
  AlertEvent,
  AlertQuery,
  AlertRuleOptions,
  AlertStat,
  AlertState,
} from "./alert-rule.js";
import type { AlertSink } from "./alert-sinks.js";
import { CounterMetric } from "./counter-metric.js";
import type { CounterSeries } from "./counter-metric.js";
import { GaugeMetric } from "./gauge-metric.js";
import { HistogramMetric } from "./histogram-metric.js";
import type { HistogramSeries } from "./histogram-metric.js";
import type { MetricFamilies } from "./metric-families.js";
import type { SeriesBase } from "./metric-family.js";
import { Slo } from "./slo.js";
import type { SloOptions } from "./slo.js";

/** The state of one alert rule. */
export interface AlertStatus {
  /** `inactive`, `pending` or `firing`. */
  readonly state: AlertState;
  /** The value at the last evaluation (undefined without data). */
  readonly value: number | undefined;
}

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
 * A monitor's alerting: rules read the monitor's metrics through an {@link AlertQuery}, SLOs add
 * their burn-rate rules, notifications go to every sink, and the outcome is counted in the
 * monitor's own metrics (`perflayer_monitor_alert_notifications_total`,
 * `perflayer_monitor_rule_evaluation_failures_total`, `ALERTS`).
 * @internal
 */
export class AlertEvaluator {
  readonly #families: MetricFamilies;
  readonly #clock: Clock;
  readonly #warnings: WarningLimiter;
  readonly #evaluationIntervalMs: number;
  readonly #rules = new Map<string, AlertRule>();
  readonly #slos = new Map<string, Slo>();
  readonly #sinks: AlertSink[] = [];
  readonly #notifications: CounterMetric<"sink" | "outcome">;
  readonly #ruleFailures: CounterMetric<"alertname">;
  readonly #alertsGauge: GaugeMetric<"alertname" | "alertstate">;

  /**
   * @param families - the metrics rules read, and where the bookkeeping metrics are defined
   * @param clock - evaluation time
   * @param warnings - the monitor's rate-limited warnings
   * @param evaluationIntervalMs - how often rules are evaluated (SLO sampling period)
   */
  constructor(
    families: MetricFamilies,
    clock: Clock,
    warnings: WarningLimiter,
    evaluationIntervalMs: number,
  ) {
    this.#families = families;
    this.#clock = clock;
    this.#warnings = warnings;
    this.#evaluationIntervalMs = evaluationIntervalMs;
    this.#notifications = families.counter({
      name: "perflayer_monitor_alert_notifications_total",
      help: "Alert notifications delivered to sinks, by outcome (ok, error).",
      labelNames: ["sink", "outcome"],
    });
    this.#ruleFailures = families.counter({
      name: "perflayer_monitor_rule_evaluation_failures_total",
      help: "Alert rule evaluations that threw.",
      labelNames: ["alertname"],
    });
    this.#alertsGauge = families.gauge({
      name: "ALERTS",
      help: "Active alerts (1 while pending or firing), as in Prometheus.",
      labelNames: ["alertname", "alertstate"],
    });
  }

  /** Adds a rule; names are unique. */
  alert(rule: AlertRuleOptions): void {
    const compiled = new AlertRule(rule);
    if (this.#rules.has(compiled.name))
      throw new PerflayerError(
        "ERR_ALERT_EXISTS",
        `alert ${compiled.name} is already defined; give each rule its own name.`,
      );
    this.#rules.set(compiled.name, compiled);
  }

  /** Adds a latency SLO on a histogram, and its burn-rate rules. */
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

  /** Adds a notification sink, checking its shape. */
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

  /** Evaluates every rule now and delivers the notifications. */
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

  #query(): AlertQuery {
    const now = this.#clock.now();
    const families = this.#families;
    return {
      read: (
        metric: string,
        stat: AlertStat,
        labels?: Readonly<Record<string, string>>,
      ): number | undefined => {
        const family = families.get(metric);
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
}
