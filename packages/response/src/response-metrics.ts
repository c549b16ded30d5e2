import type {
  CounterHandle,
  Gauge,
  GaugeHandle,
  HistogramHandle,
  Instrumentation,
} from "@perflayer/core";

/** How a task ended. */
export type TaskOutcome = "ok" | "error" | "timeout" | "shed" | "aborted";

/** The handles of one priority label, bound once. */
export interface PriorityMetrics {
  /** The priority label. */
  readonly label: string;
  readonly outcomes: Readonly<Record<TaskOutcome, CounterHandle>>;
  readonly queueWait: HistogramHandle;
  readonly runDuration: HistogramHandle;
  readonly compliance: GaugeHandle;
  /** Ring of the last results: 1 within the SLO, 0 not. */
  readonly window: Uint8Array;
  cursor: number;
  filled: number;
  within: number;
}

/**
 * Binds the `perflayer_response_*` metrics per priority label, lazily.
 * @internal
 */
export class ResponseMetrics {
  readonly #tasks;
  readonly #wait;
  readonly #run;
  readonly #compliance;
  readonly #callbackErrors;
  readonly #byLabel = new Map<string, PriorityMetrics>();

  readonly #optimizer: string;

  constructor(
    instrumentation: Instrumentation,
    optimizer: string,
    collect: { depth: (label: string) => number; limit: () => number },
  ) {
    this.#optimizer = optimizer;
    this.#tasks = instrumentation.counter({
      name: "perflayer_response_tasks_total",
      help: "Tasks submitted to the ResponseOptimizer, by priority and outcome (ok, error, timeout, shed, aborted).",
      labelNames: ["optimizer", "priority", "outcome"],
    });
    this.#wait = instrumentation.histogram({
      name: "perflayer_response_queue_wait_seconds",
      help: "Time tasks waited in the queue before running.",
      labelNames: ["optimizer", "priority"],
    });
    this.#run = instrumentation.histogram({
      name: "perflayer_response_run_duration_seconds",
      help: "Time tasks ran.",
      labelNames: ["optimizer", "priority"],
    });
    this.#compliance = instrumentation.gauge({
      name: "perflayer_response_slo_compliance_ratio",
      help: "Share of the last 1,000 tasks per priority that finished ok within the response-time objective.",
      labelNames: ["optimizer", "priority"],
    });
    this.#callbackErrors = instrumentation.counter({
      name: "perflayer_response_callback_errors_total",
      help: "User callbacks (limit algorithm, HTTP adapter functions) that threw or returned something invalid; the scheduler carried on.",
      labelNames: ["optimizer", "callback"],
    });
    const depth: Gauge<"optimizer" | "priority"> = instrumentation.gauge({
      name: "perflayer_response_queue_depth",
      help: "Tasks waiting in the queue, by priority.",
      labelNames: ["optimizer", "priority"],
      // Every priority that has seen a task reports, 0 included, so dashboards always have a series.
      collect: (): void => {
        for (const label of this.#byLabel.keys())
          depth.bind({ optimizer, priority: label }).set(collect.depth(label));
      },
    });
    const limit: Gauge<"optimizer"> = instrumentation.gauge({
      name: "perflayer_response_concurrency_limit",
      help: "The ResponseOptimizer's current concurrency limit.",
      labelNames: ["optimizer"],
      collect: (): void => limit.bind({ optimizer }).set(collect.limit()),
    });
  }

  /**
   * @param label - a priority label
   * @returns its handles
   */
  for(label: string): PriorityMetrics {
    let metrics = this.#byLabel.get(label);
    if (metrics === undefined) {
      const outcome = (o: TaskOutcome): CounterHandle =>
        this.#tasks.bind({ optimizer: this.#optimizer, priority: label, outcome: o });
      metrics = {
        label,
        outcomes: {
          ok: outcome("ok"),
          error: outcome("error"),
          timeout: outcome("timeout"),
          shed: outcome("shed"),
          aborted: outcome("aborted"),
        },
        queueWait: this.#wait.bind({ optimizer: this.#optimizer, priority: label }),
        runDuration: this.#run.bind({ optimizer: this.#optimizer, priority: label }),
        compliance: this.#compliance.bind({ optimizer: this.#optimizer, priority: label }),
        window: new Uint8Array(1_000),
        cursor: 0,
        filled: 0,
        within: 0,
      };
      this.#byLabel.set(label, metrics);
    }
    return metrics;
  }

  /**
   * Counts one failed user callback.
   * @param callback - which one, e.g. `limit` or `priority`
   */
  callbackError(callback: string): void {
    this.#callbackErrors.bind({ optimizer: this.#optimizer, callback }).inc();
  }

  /**
   * Records one finished task against the SLO.
   * @param metrics - the priority's handles
   * @param within - finished ok within the objective
   * @returns the new compliance ratio
   */
  recordSlo(metrics: PriorityMetrics, within: boolean): number {
    const bit = within ? 1 : 0;
    if (metrics.filled === metrics.window.length)
      metrics.within -= metrics.window[metrics.cursor] as number;
    else metrics.filled++;
    metrics.window[metrics.cursor] = bit;
    metrics.within += bit;
    metrics.cursor = (metrics.cursor + 1) % metrics.window.length;
    const ratio = metrics.within / metrics.filled;
    metrics.compliance.set(ratio);
    return ratio;
  }

  /** @returns compliance ratios by priority label */
  compliance(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [label, metrics] of this.#byLabel)
      if (metrics.filled > 0) result[label] = metrics.within / metrics.filled;
    return result;
  }
}
