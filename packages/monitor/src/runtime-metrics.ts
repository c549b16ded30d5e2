import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import type { IntervalHistogram, EventLoopUtilization } from "node:perf_hooks";
import type { Clock, TimerHandle } from "@perflayer/core";
import type { GaugeMetric } from "./gauge-metric.js";

/** Duty cycle of event-loop delay sampling. */
export interface EventLoopDelayOptions {
  /** How long each sample lasts. @defaultValue 1_000 */
  readonly sampleMs?: number;
  /** How often a sample starts. @defaultValue 10_000 */
  readonly everyMs?: number;
  /** `monitorEventLoopDelay` resolution. @defaultValue 20 */
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

/** The gauges runtime metrics write. */
export interface RuntimeGauges {
  readonly delay: GaugeMetric<"quantile">;
  readonly utilization: GaugeMetric;
}

/**
 * Starts duty-cycled event-loop delay sampling; event-loop utilisation is computed on read (free).
 * @internal
 * @returns a handle that stops it
 */
export function startRuntimeMetrics(
  clock: Clock,
  gauges: RuntimeGauges,
  options: RuntimeMetricsOptions,
): TimerHandle {
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  gauges.utilization.addCollect(() => {
    const now = performance.eventLoopUtilization();
    gauges.utilization.set(performance.eventLoopUtilization(now, lastElu).utilization);
    lastElu = now;
  });
  const config = options.eventLoopDelay;
  if (config === false) return { cancel: () => undefined };
  const sampleMs = config?.sampleMs ?? 1_000;
  const everyMs = Math.max(config?.everyMs ?? 10_000, sampleMs);
  const histogram: IntervalHistogram = monitorEventLoopDelay({
    resolution: config?.resolutionMs ?? 20,
  });
  let stopSample: TimerHandle | undefined;
  const sample = (): void => {
    histogram.reset();
    histogram.enable();
    stopSample = clock.setTimeout(() => {
      histogram.disable();
      if (histogram.count > 0) {
        gauges.delay.set({ quantile: "0.5" }, histogram.percentile(50) / 1e9);
        gauges.delay.set({ quantile: "0.99" }, histogram.percentile(99) / 1e9);
        gauges.delay.set({ quantile: "1" }, histogram.max / 1e9);
      }
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
