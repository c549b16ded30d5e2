import {
  PerflayerConfigError,
  WarningLimiter,
  assertKnownKeys,
  assertNumber,
  formatExpected,
  systemClock,
} from "@perflayer/core";
import type { Clock, Closeable, TimerHandle } from "@perflayer/core";
import { familiesOf } from "./metric-families.js";
import { metricsReport } from "./metrics-report.js";
import type { MetricsReport } from "./metrics-report.js";

/** Options of {@link MetricsReporter}. */
export interface MetricsReporterOptions {
  /**
   * Delivers a report to the process that aggregates: `(r) => parentPort.postMessage(r)` in a
   * worker thread, or an in-process `(r) => aggregator.receive("primary", r)`.
   * @defaultValue `process.send` (a `node:cluster` worker or any child process with an IPC channel)
   */
  readonly send?: (report: MetricsReport) => void;
  /**
   * How often a report is sent. The aggregator marks a worker stale when it has not heard from it
   * for its `staleAfterMs`, so keep this well under that.
   * @defaultValue 1_000
   */
  readonly intervalMs?: number;
  /**
   * Time source of the interval; tests pass a `ManualClock`.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
}

const KNOWN = ["send", "intervalMs", "clock"];

/**
 * The worker side of aggregation: sends what a monitor holds ({@link metricsReport}) to the
 * aggregating process, at once and then every `intervalMs` on an unref'd timer, and once more on
 * `close()`. Sending never blocks the worker: a failing channel (the primary gone) is warned
 * about at most once a minute.
 *
 * @example
 * ```ts
 * // in a cluster worker
 * const monitor = new PerformanceMonitor();
 * const reporter = new MetricsReporter(monitor); // process.send, every second
 * ```
 */
export class MetricsReporter implements Closeable {
  readonly #monitor: object;
  readonly #send: (report: MetricsReport) => void;
  readonly #timer: TimerHandle;
  readonly #warnings: WarningLimiter;
  #sent = 0;
  #closed = false;

  /**
   * @param monitor - the `PerformanceMonitor` to report
   * @param options - channel, interval and clock
   */
  constructor(monitor: object, options: MetricsReporterOptions = {}) {
    const context = "new MetricsReporter()";
    familiesOf(monitor); // a clear error now, not at the first tick
    assertKnownKeys(options, KNOWN, context);
    const intervalMs = assertNumber(options.intervalMs ?? 1_000, {
      name: "intervalMs",
      min: 1,
      context,
    });
    const clock = options.clock ?? systemClock;
    this.#monitor = monitor;
    this.#warnings = new WarningLimiter({ clock });
    this.#send = options.send ?? processSend(context, (error) => this.#failed(error));
    this.report();
    this.#timer = clock.setInterval(() => this.report(), intervalMs);
  }

  /** @returns how many reports were handed to the channel */
  get sent(): number {
    return this.#sent;
  }

  /** Sends a report now (the interval does this on its own). */
  report(): void {
    try {
      this.#send(metricsReport(this.#monitor));
      this.#sent++;
    } catch (error) {
      this.#failed(error);
    }
  }

  /** Stops the interval after one last report. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#timer.cancel();
      this.report();
      this.#warnings.flush();
    }
    return Promise.resolve();
  }

  /** Same as {@link MetricsReporter.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #failed(error: unknown): void {
    this.#warnings.warn(
      "PERFLAYER_MONITOR_REPORT",
      `metrics report could not be sent: ${String(error)}`,
      "send",
    );
  }
}

function processSend(
  context: string,
  onError: (error: Error) => void,
): (report: MetricsReport) => void {
  if (typeof process.send !== "function") {
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      formatExpected({
        name: "send",
        expected: "a function, as this process has no IPC channel (process.send)",
        got: undefined,
        fix: "Pass e.g. { send: (report) => parentPort.postMessage(report) } in a worker thread.",
        context,
      }),
    );
  }
  return (report) => {
    // A closed channel is reported through the callback (an 'error' event without one).
    process.send?.(report, undefined, {}, (error: Error | null) => {
      if (error !== null) onError(error);
    });
  };
}
