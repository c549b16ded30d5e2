import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import type { EventLoopUtilization, Histogram, IntervalHistogram } from "node:perf_hooks";
import client from "prom-client";
import { assertInteger, assertKnownKeys, assertNumber } from "@perflayer/core";
import type { Clock, TimerHandle } from "@perflayer/core";
import type { GaugeMetric } from "./gauge-metric.js";
import type { MetricFamilies } from "./metric-families.js";

/** Duty cycle of event-loop delay sampling. */
export interface EventLoopDelayOptions {
  /** How long each sample lasts (any length). @defaultValue 1_000 */
  readonly sampleMs?: number;
  /** How often a sample starts (any length; at least `sampleMs`). @defaultValue 10_000 */
  readonly everyMs?: number;
  /**
   * The sampler's timer period (`monitorEventLoopDelay`'s resolution), an integer from 1 to
   * `sampleMs`. The sampler records the time between its timer's ticks, which includes this
   * period; it is subtracted, so an idle loop reports a delay near 0, not the resolution.
   * @defaultValue 20
   */
  readonly resolutionMs?: number;
}

/** Options of `PerformanceMonitor.enableRuntimeMetrics()`. */
export interface RuntimeMetricsOptions {
  /**
   * Also register prom-client's default metrics (CPU, memory, handles, GC, version…). Note that
   * prom-client's set keeps an event-loop-delay monitor and a GC observer running at all times.
   * @defaultValue false
   */
  readonly defaultMetrics?: boolean;
  /**
   * Sample event-loop delay with `monitorEventLoopDelay` for `sampleMs` out of every `everyMs`,
   * instead of always, so the timer it needs costs nothing most of the time.
   * @defaultValue `{ sampleMs: 1_000, everyMs: 10_000, resolutionMs: 20 }`
   */
  readonly eventLoopDelay?: false | EventLoopDelayOptions;
}

/** The quantiles of the delay summary: median, p99 and the maximum of the last sample. */
const QUANTILES = ["0.5", "0.99", "1"] as const;

/**
 * Event-loop delay as a Prometheus summary: quantiles over the last sample window, `_sum` and
 * `_count` over every sample since start — a summary-typed family, so `promtool check metrics`
 * accepts its `quantile` label. prom-client reads it through `get()`, like the other views.
 * @internal
 */
export class EventLoopDelaySummary extends client.Summary {
  /** Delay beyond the timer's resolution at each quantile of the last sample, in seconds. */
  quantiles: Map<string, number> | undefined;
  /** Ticks sampled since start. */
  count = 0;
  /** Total delay beyond the resolution over those ticks, in seconds. */
  sum = 0;
  readonly #name: string;
  readonly #help: string;

  /** @param config - name, help and the registry (no labels: `quantile` is the summary's own) */
  constructor(config: { name: string; help: string; registers: client.Registry[] }) {
    super(config);
    this.#name = config.name;
    this.#help = config.help;
  }

  override get(): Promise<client.MetricObjectWithValues<client.MetricValue<string>>> {
    const values: client.MetricValue<string>[] = [];
    for (const [quantile, value] of this.quantiles ?? [])
      values.push({ labels: { quantile }, value });
    values.push(
      {
        metricName: `${this.#name}_sum`,
        labels: {},
        value: this.sum,
      } as client.MetricValue<string>,
      {
        metricName: `${this.#name}_count`,
        labels: {},
        value: this.count,
      } as client.MetricValue<string>,
    );
    return Promise.resolve({
      name: this.#name,
      help: this.#help,
      type: "summary" as unknown as client.MetricType,
      aggregator: "sum",
      values,
    } as client.MetricObjectWithValues<client.MetricValue<string>>);
  }

  override reset(): void {
    this.quantiles = undefined;
    this.count = 0;
    this.sum = 0;
  }
}

/** What runtime metrics write. */
export interface RuntimeGauges {
  readonly delay: EventLoopDelaySummary;
  readonly utilization: GaugeMetric;
}

const CONTEXT = "PerformanceMonitor.enableRuntimeMetrics()";

/**
 * Validates runtime-metrics options in the house formula.
 * @internal
 * @param options - what the caller passed
 * @returns the event-loop delay settings, or false when off
 */
export function resolveRuntimeOptions(
  options: RuntimeMetricsOptions,
): false | Required<EventLoopDelayOptions> {
  assertKnownKeys(options, ["defaultMetrics", "eventLoopDelay"], CONTEXT);
  const config = options.eventLoopDelay;
  if (config === false) return false;
  assertKnownKeys(
    config ?? {},
    ["sampleMs", "everyMs", "resolutionMs"],
    `${CONTEXT} eventLoopDelay`,
  );
  const sampleMs = assertNumber(config?.sampleMs ?? 1_000, {
    name: "eventLoopDelay.sampleMs",
    min: 1,
    context: CONTEXT,
  });
  const everyMs = assertNumber(config?.everyMs ?? Math.max(10_000, sampleMs), {
    name: "eventLoopDelay.everyMs",
    min: sampleMs,
    fix: "Pass at least sampleMs, e.g. { sampleMs: 1_000, everyMs: 10_000 }.",
    context: CONTEXT,
  });
  const resolutionMs = assertInteger(config?.resolutionMs ?? Math.min(20, Math.floor(sampleMs)), {
    name: "eventLoopDelay.resolutionMs",
    min: 1,
    max: Math.floor(sampleMs),
    fix: "A sample must span several timer ticks; pass e.g. { resolutionMs: 20 }.",
    context: CONTEXT,
  });
  return { sampleMs, everyMs, resolutionMs };
}

/** What {@link recordDelaySample} reads of a closed sample: Node's histograms have it. */
export type DelayHistogram = Pick<Histogram, "count" | "max" | "mean" | "percentile">;

/**
 * Folds one closed sample of tick intervals into the summary. Each recorded value is a tick
 * interval, the sampler's resolution plus the delay; the summary reports the delay alone.
 * @internal
 * @param summary - the delay summary: quantiles replaced, sum and count accumulated
 * @param histogram - the sample's tick intervals, in nanoseconds
 * @param resolutionMs - the sampler's timer period
 */
export function recordDelaySample(
  summary: EventLoopDelaySummary,
  histogram: DelayHistogram,
  resolutionMs: number,
): void {
  const count = histogram.count;
  if (count === 0) return;
  const resolutionNs = resolutionMs * 1e6;
  const beyond = (ns: number): number => Math.max(0, ns - resolutionNs) / 1e9;
  summary.quantiles = new Map(
    QUANTILES.map((q) => [
      q,
      beyond(q === "1" ? histogram.max : histogram.percentile(Number(q) * 100)),
    ]),
  );
  summary.count += count;
  summary.sum += beyond(histogram.mean) * count;
}

/**
 * Starts duty-cycled event-loop delay sampling; event-loop utilisation is computed on read (free).
 * @internal
 * @returns a handle that stops it
 */
export function startRuntimeMetrics(
  clock: Clock,
  gauges: RuntimeGauges,
  config: false | Required<EventLoopDelayOptions>,
): TimerHandle {
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  gauges.utilization.addCollect(() => {
    const now = performance.eventLoopUtilization();
    gauges.utilization.set(performance.eventLoopUtilization(now, lastElu).utilization);
    lastElu = now;
  });
  if (config === false) return { cancel: () => undefined };
  const { sampleMs, everyMs, resolutionMs } = config;
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: resolutionMs });
  let stopSample: TimerHandle | undefined;
  const sample = (): void => {
    histogram.reset();
    histogram.enable();
    stopSample = clock.setTimeout(() => {
      histogram.disable();
      recordDelaySample(gauges.delay, histogram, resolutionMs);
    }, sampleMs);
  };
  sample();
  const interval = clock.setInterval(sample, everyMs);
  return {
    cancel: () => {
      interval.cancel();
      stopSample?.cancel();
      histogram.disable();
    },
  };
}

/**
 * Registers the runtime metrics in a monitor's registry and starts them.
 * @internal
 * @param families - where the utilisation gauge is defined
 * @param registry - where the delay summary (and optionally prom-client's defaults) go
 * @param clock - drives the duty cycle
 * @param options - what to enable, validated here
 * @returns a handle that stops the sampling
 */
export function enableRuntimeMetrics(
  families: MetricFamilies,
  registry: client.Registry,
  clock: Clock,
  options: RuntimeMetricsOptions,
): TimerHandle {
  const config = resolveRuntimeOptions(options);
  if (options.defaultMetrics === true) client.collectDefaultMetrics({ register: registry });
  return startRuntimeMetrics(
    clock,
    {
      delay: new EventLoopDelaySummary({
        name: "nodejs_eventloop_delay_seconds",
        help: "Event-loop delay beyond the sampler's timer resolution: quantiles over the last sample window, sum and count over every sample.",
        registers: [registry],
      }),
      utilization: families.gauge({
        name: "nodejs_eventloop_utilization_ratio",
        help: "Share of time the event loop was busy since the previous scrape.",
      }),
    },
    config,
  );
}
