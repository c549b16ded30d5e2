import type { Cluster, Worker as ClusterWorker } from "node:cluster";
import type { Worker as ThreadWorker } from "node:worker_threads";
import {
  WarningLimiter,
  assertKnownKeys,
  assertNumber,
  assertOneOf,
  systemClock,
} from "@perflayer/core";
import type { Clock, Closeable, TimerHandle } from "@perflayer/core";
import { AggregatedMetric } from "./aggregated-metric.js";
import type { GaugeAggregation } from "./aggregated-metric.js";
import type { CounterMetric } from "./counter-metric.js";
import type { GaugeMetric } from "./gauge-metric.js";
import { familiesOf, familyType } from "./metric-families.js";
import type { Family } from "./metric-families.js";
import { assertMetricsReport, isMetricsReport } from "./metrics-report.js";
import type { ReportedMetric } from "./metrics-report.js";
import { PerformanceMonitor } from "./performance-monitor.js";

/**
 * The rules perflayer's own gauges aggregate by (any other gauge: `defaultGaugeAggregation`).
 * A pressure level or a leak flag is as bad as the worst process; a compliance ratio as the
 * lowest; event-loop utilisation means something only per process.
 */
export const DEFAULT_GAUGE_AGGREGATIONS: Readonly<Record<string, GaugeAggregation>> = Object.freeze(
  {
    perflayer_memory_pressure_level: "max",
    perflayer_memory_leak_suspected: "max",
    perflayer_response_slo_compliance_ratio: "min",
    nodejs_eventloop_utilization_ratio: "worker",
  },
);

/** Options of {@link MetricsAggregator}. */
export interface MetricsAggregatorOptions {
  /**
   * The monitor that holds the aggregate: serve it (`listen(aggregator.monitor)`), and add alert
   * rules and SLOs to it — they evaluate on the whole group. Pass the same `clock` to both.
   * @defaultValue a new `PerformanceMonitor` on `clock`
   */
  readonly monitor?: PerformanceMonitor;
  /**
   * Time source for report ages; tests pass a `ManualClock`.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * A worker not heard from for this long is stale: `perflayer_monitor_worker_up{worker}` reads 0
   * and its gauges leave the aggregate (its counters and histograms stay: they are totals).
   * @defaultValue 5_000
   */
  readonly staleAfterMs?: number;
  /**
   * A worker not heard from for this long is dropped: its `worker_up` and age series go. Counts of
   * a worker that exited stay in the aggregate, so totals never go backwards.
   * @defaultValue 60_000
   */
  readonly dropAfterMs?: number;
  /**
   * Aggregation rule per gauge name, over {@link DEFAULT_GAUGE_AGGREGATIONS}.
   * @defaultValue `{}`
   * @example `{ gauges: { queue_depth: "sum", build_info: "worker" } }`
   */
  readonly gauges?: Readonly<Record<string, GaugeAggregation>>;
  /**
   * Rule for gauges named in neither `gauges` nor the defaults.
   * @defaultValue "sum"
   */
  readonly defaultGaugeAggregation?: GaugeAggregation;
}

/** What the aggregator knows of one worker. */
export interface WorkerStatus {
  /** The worker's id (a cluster worker's `id`, a thread's `threadId`, or what `receive` was given). */
  readonly worker: string;
  /** Heard from within `staleAfterMs`, and not exited. */
  readonly up: boolean;
  /** Reported as exited (`workerExited`, or the cluster's / thread's `exit` event). */
  readonly exited: boolean;
  /** Milliseconds since its last report. */
  readonly ageMs: number;
  /** Reports received from it. */
  readonly reports: number;
}

interface WorkerEntry {
  readonly id: string;
  receivedAt: number;
  up: boolean;
  exited: boolean;
  reports: number;
}

const KNOWN = [
  "monitor",
  "clock",
  "staleAfterMs",
  "dropAfterMs",
  "gauges",
  "defaultGaugeAggregation",
];
const RULES: readonly GaugeAggregation[] = ["sum", "max", "min", "worker"];
const CONTEXT = "new MetricsAggregator()";

/**
 * The primary's side of aggregation across processes (`node:cluster` workers, worker threads, any
 * process with a message channel): workers push {@link MetricsReport}s on an interval (see
 * `MetricsReporter`); the aggregator folds them into one monitor, so a scrape of the primary is
 * answered from memory and never waits on a worker. Counters and histogram buckets are the exact
 * sum of every worker's latest values; gauges follow a declared {@link GaugeAggregation}; each
 * worker's freshness is exposed as `perflayer_monitor_worker_up{worker}` and
 * `perflayer_monitor_worker_report_age_seconds{worker}`.
 *
 * @example
 * ```ts
 * // in the cluster primary
 * const aggregator = new MetricsAggregator();
 * aggregator.attachCluster(cluster);
 * await listen(aggregator.monitor, { port: 9464 });
 * ```
 */
export class MetricsAggregator implements Closeable {
  /** The monitor that holds the aggregate. */
  readonly monitor: PerformanceMonitor;
  readonly #clock: Clock;
  readonly #ownsMonitor: boolean;
  readonly #staleAfterMs: number;
  readonly #dropAfterMs: number;
  readonly #rules: Readonly<Record<string, GaugeAggregation>>;
  readonly #defaultRule: GaugeAggregation;
  readonly #workers = new Map<string, WorkerEntry>();
  readonly #metrics = new Map<string, AggregatedMetric>();
  readonly #refused = new Set<string>();
  readonly #warnings: WarningLimiter;
  readonly #up: GaugeMetric<"worker">;
  readonly #age: GaugeMetric<"worker">;
  readonly #rejected: CounterMetric;
  readonly #sweep: TimerHandle;
  readonly #detach: (() => void)[] = [];
  readonly #isUp = (worker: string): boolean => this.#workers.get(worker)?.up === true;
  #closed = false;

  /** @param options - the aggregating monitor, clock, staleness bounds and gauge rules */
  constructor(options: MetricsAggregatorOptions = {}) {
    assertKnownKeys(options, KNOWN, CONTEXT);
    this.#clock = options.clock ?? systemClock;
    this.#staleAfterMs = assertNumber(options.staleAfterMs ?? 5_000, {
      name: "staleAfterMs",
      min: 1,
      context: CONTEXT,
    });
    this.#dropAfterMs = assertNumber(options.dropAfterMs ?? 60_000, {
      name: "dropAfterMs",
      min: this.#staleAfterMs,
      fix: "A worker is dropped after it went stale: pass at least staleAfterMs.",
      context: CONTEXT,
    });
    this.#defaultRule = assertOneOf(options.defaultGaugeAggregation ?? "sum", RULES, {
      name: "defaultGaugeAggregation",
      context: CONTEXT,
    });
    for (const [name, rule] of Object.entries(options.gauges ?? {}))
      assertOneOf(rule, RULES, { name: `gauges.${name}`, context: CONTEXT });
    this.#rules = { ...DEFAULT_GAUGE_AGGREGATIONS, ...options.gauges };
    this.#ownsMonitor = options.monitor === undefined;
    this.monitor = options.monitor ?? new PerformanceMonitor({ clock: this.#clock });
    familiesOf(this.monitor);
    this.#warnings = new WarningLimiter({ clock: this.#clock });
    this.#up = this.monitor.gauge({
      name: "perflayer_monitor_worker_up",
      help: "1 while a worker's metrics reports arrive within staleAfterMs, 0 once it is stale or exited.",
      labelNames: ["worker"],
      collect: () => this.refresh(),
    });
    this.#age = this.monitor.gauge({
      name: "perflayer_monitor_worker_report_age_seconds",
      help: "Seconds since each worker's last metrics report.",
      labelNames: ["worker"],
      collect: () => {
        const now = this.#clock.now();
        for (const entry of this.#workers.values())
          this.#age.set({ worker: entry.id }, (now - entry.receivedAt) / 1000);
      },
    });
    this.#rejected = this.monitor.counter({
      name: "perflayer_monitor_reports_rejected_total",
      help: "Metrics reports refused as malformed.",
    });
    this.#sweep = this.#clock.setInterval(() => this.refresh(), this.#staleAfterMs / 2);
  }

  /**
   * Folds one worker's report into the aggregate. A malformed report is refused whole.
   * @param worker - the worker's id, stable for its lifetime
   * @param report - what its `MetricsReporter` sent
   * @throws PerflayerConfigError naming the malformed field
   */
  receive(worker: string, report: unknown): void {
    const valid = assertMetricsReport(report);
    const now = this.#clock.now();
    let entry = this.#workers.get(worker);
    if (entry?.exited === true) return; // its counts were retired; a late report must not add them twice
    if (entry === undefined) {
      entry = { id: worker, receivedAt: now, up: true, exited: false, reports: 0 };
      this.#workers.set(worker, entry);
    }
    const wasUp = entry.up;
    entry.receivedAt = now;
    entry.reports++;
    entry.up = true;
    this.#up.set({ worker }, 1);
    for (const reported of valid.metrics)
      this.#metricFor(reported)?.apply(worker, reported, this.#isUp);
    if (!wasUp && entry.up)
      for (const metric of this.#metrics.values()) metric.recomputeGauges(this.#isUp);
    this.refresh();
  }

  /**
   * Marks a worker exited: stale at once; its counts stay in the aggregate; its status series go
   * after `dropAfterMs`. `attachCluster` and `attachWorker` call this on `exit`.
   * @param worker - the worker's id
   */
  workerExited(worker: string): void {
    const entry = this.#workers.get(worker);
    if (entry === undefined || entry.exited) return;
    entry.exited = true;
    entry.up = false;
    this.#up.set({ worker }, 0);
    for (const metric of this.#metrics.values()) metric.retire(worker, this.#isUp);
  }

  /**
   * Applies staleness and drops by the clock. Scrapes, snapshots, reports and a timer call it;
   * it costs a pass over the workers.
   */
  refresh(): void {
    const now = this.#clock.now();
    for (const entry of [...this.#workers.values()]) {
      const age = now - entry.receivedAt;
      if (age >= this.#dropAfterMs) {
        this.#drop(entry);
      } else if (entry.up && age > this.#staleAfterMs) {
        entry.up = false;
        this.#up.set({ worker: entry.id }, 0);
        for (const metric of this.#metrics.values()) metric.recomputeGauges(this.#isUp, entry.id);
      }
    }
  }

  /** @returns every known worker's freshness, after a {@link MetricsAggregator.refresh} */
  workers(): WorkerStatus[] {
    this.refresh();
    const now = this.#clock.now();
    return [...this.#workers.values()].map((entry) => ({
      worker: entry.id,
      up: entry.up,
      exited: entry.exited,
      ageMs: now - entry.receivedAt,
      reports: entry.reports,
    }));
  }

  /**
   * Receives the reports of a `node:cluster` primary's workers (their `MetricsReporter` sends on
   * `process.send`) and marks workers exited on `exit`. Other messages are left alone.
   * @param cluster - `import cluster from "node:cluster"`, in the primary
   */
  attachCluster(cluster: Cluster): void {
    const onMessage = (worker: ClusterWorker, message: unknown): void => {
      if (isMetricsReport(message)) this.#receiveSafely(String(worker.id), message);
    };
    const onExit = (worker: ClusterWorker): void => this.workerExited(String(worker.id));
    cluster.on("message", onMessage).on("exit", onExit);
    this.#detach.push(() => cluster.off("message", onMessage).off("exit", onExit));
  }

  /**
   * Receives the reports of a worker thread (its `MetricsReporter` sends with
   * `parentPort.postMessage`) and marks it exited on `exit`.
   * @param worker - the `Worker` from `node:worker_threads`
   * @param id - its id in the `worker` label
   * @defaultValue id - `String(worker.threadId)`
   */
  attachWorker(worker: ThreadWorker, id: string = String(worker.threadId)): void {
    const onMessage = (message: unknown): void => {
      if (isMetricsReport(message)) this.#receiveSafely(id, message);
    };
    const onExit = (): void => this.workerExited(id);
    worker.on("message", onMessage).on("exit", onExit);
    this.#detach.push(() => worker.off("message", onMessage).off("exit", onExit));
  }

  /** Stops the timer and detaches from clusters and threads (and closes the monitor it made). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sweep.cancel();
    for (const detach of this.#detach) detach();
    this.#warnings.flush();
    if (this.#ownsMonitor) await this.monitor.close();
  }

  /** Same as {@link MetricsAggregator.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #receiveSafely(worker: string, report: unknown): void {
    try {
      this.receive(worker, report);
    } catch (error) {
      this.#rejected.inc();
      this.#warnings.warn(
        "PERFLAYER_MONITOR_REPORT",
        `metrics report of worker ${worker} refused: ${String(error)}`,
        `worker:${worker}`,
      );
    }
  }

  #drop(entry: WorkerEntry): void {
    this.#workers.delete(entry.id);
    this.#up.remove({ worker: entry.id });
    this.#age.remove({ worker: entry.id });
    // A silent worker that never exited keeps its counts (it may report again: its next report
    // replaces them, never adds twice); its gauges are gone with it.
    if (!entry.exited)
      for (const metric of this.#metrics.values()) metric.recomputeGauges(this.#isUp, entry.id);
  }

  /** The aggregate of one reported metric, defined on first sight; undefined when it conflicts. */
  #metricFor(reported: ReportedMetric): AggregatedMetric | undefined {
    const signature = `${reported.type}|${reported.labelNames.join(",")}|${
      reported.type === "histogram" ? reported.buckets.join(",") : ""
    }`;
    const existing = this.#metrics.get(reported.name);
    if (existing !== undefined) {
      if (existing.signature === signature) return existing;
      return this.#refuse(reported, `it was first reported as ${existing.signature}`);
    }
    if (this.#refused.has(reported.name)) return undefined;
    const families = familiesOf(this.monitor);
    const native = families.get(reported.name);
    const rule = this.#rules[reported.name] ?? this.#defaultRule;
    let target: Family;
    if (native !== undefined) {
      // The aggregating monitor's own counters (perflayer_monitor_*) also count its own events:
      // a report's increase is added to them. Anything else of the same name is a conflict.
      if (
        familyType(native) !== "counter" ||
        reported.type !== "counter" ||
        native.labelNames.join() !== reported.labelNames.join()
      )
        return this.#refuse(reported, "the aggregating monitor defines it differently");
      target = native;
    } else if (reported.type === "counter") {
      target = this.monitor.counter({
        name: reported.name,
        help: reported.help,
        labelNames: reported.labelNames,
      });
    } else if (reported.type === "histogram") {
      target = this.monitor.histogram({
        name: reported.name,
        help: reported.help,
        labelNames: reported.labelNames,
        buckets: reported.buckets,
      });
    } else {
      if (rule === "worker" && reported.labelNames.includes("worker"))
        return this.#refuse(reported, 'its rule is "worker" but it already has a worker label');
      const gauge = this.monitor.gauge({
        name: reported.name,
        help: reported.help,
        labelNames: rule === "worker" ? [...reported.labelNames, "worker"] : reported.labelNames,
      });
      gauge.addCollect(() => this.refresh());
      target = gauge;
    }
    const metric = new AggregatedMetric(target, signature, rule, native !== undefined);
    this.#metrics.set(reported.name, metric);
    return metric;
  }

  #refuse(reported: ReportedMetric, why: string): undefined {
    if (!this.#refused.has(reported.name)) {
      this.#refused.add(reported.name);
      this.#warnings.warn(
        "PERFLAYER_MONITOR_AGGREGATE",
        `metric ${reported.name} (${reported.type}) is not aggregated: ${why}. Give it one definition in every process.`,
        `metric:${reported.name}`,
      );
    }
    return undefined;
  }
}
