import { EventEmitter } from "node:events";
import { PerformanceObserver, constants } from "node:perf_hooks";
import type { PerformanceEntry } from "node:perf_hooks";
import { getHeapStatistics, writeHeapSnapshot } from "node:v8";
import { join } from "node:path";
import {
  PerflayerConfigError,
  PerflayerError,
  TimeoutError,
  WarningLimiter,
  assertFunction,
  assertKnownKeys,
  assertNumber,
  assertOneOf,
  formatExpected,
  noopInstrumentation,
  systemClock,
} from "@perflayer/core";
import type {
  Clock,
  Closeable,
  CounterHandle,
  EnvironmentProfile,
  Instrumentation,
  Reclaimer,
  TimerHandle,
} from "@perflayer/core";
import { LeakDetector } from "./leak-detector.js";
import type { LeakDetectorOptions, LeakStatus } from "./leak-detector.js";
import { effectiveLimit, sampleMemory } from "./memory-sample.js";
import type { EffectiveLimit, MemorySample } from "./memory-sample.js";
import { DEFAULT_THRESHOLDS, PRESSURE_LEVELS, nextLevel } from "./pressure-level.js";
import type { PressureLevel, PressureThresholds } from "./pressure-level.js";

/** How much a reclaimer's memory matters: `low` is shed first. */
export type ReclaimPriority = "low" | "normal" | "high";

/** Options of {@link MemoryOptimizer.register}. */
export interface RegisterOptions {
  /** `low` memory is shed first, `high` last. @defaultValue "normal" */
  readonly priority?: ReclaimPriority;
}

/** A budget given as a share of the effective limit. */
export interface BudgetFraction {
  /** In (0, 1], e.g. 0.5 for half of the heap limit. */
  readonly fraction: number;
}

/** Opt-in heap snapshots near the limit. */
export interface HeapSnapshotOptions {
  /** Where snapshot files are written. */
  readonly dir: string;
  /** Heap used / effective limit at which a snapshot is written. @defaultValue 0.95 */
  readonly nearLimitRatio?: number;
  /** Most snapshots per process (each pauses it while writing). @defaultValue 1 */
  readonly max?: number;
}

/** What one reclaimer gave back in a reclaim. */
export interface ReclaimerOutcome {
  /** The reclaimer's name. */
  readonly name: string;
  /** Bytes it reported freeing. */
  readonly bytes: number;
  /** `ok`, `error` (threw), `timeout` (exceeded the time box) or `skipped` (failed last time). */
  readonly outcome: "ok" | "error" | "timeout" | "skipped";
}

/** A registered reclaimer in {@link MemoryStatus}. */
export interface ReclaimerStatus {
  /** The reclaimer's name. */
  readonly name: string;
  /** Its priority. */
  readonly priority: ReclaimPriority;
  /** What it holds now (its estimate). */
  readonly estimatedBytes: number;
}

/**
 * The default budget as a share of the effective limit (the smaller of V8's heap limit and a real
 * cgroup limit): half, so a service on a 4 GiB heap gets 2 GiB, one in a 512 MiB container 256 MiB.
 */
export const DEFAULT_BUDGET_FRACTION: number = 0.5;

/** Options of {@link MemoryOptimizer}. */
export interface MemoryOptimizerOptions {
  /**
   * The budget: bytes, or `{ fraction }` of the effective limit (V8's heap limit, or a real cgroup
   * limit when smaller). Compared with heap used + external memory.
   * @defaultValue `profile.memoryBudgetBytes` when a `profile` is passed, otherwise
   * `{ fraction: 0.5 }` (`DEFAULT_BUDGET_FRACTION`) of the effective limit
   */
  readonly budget?: number | BudgetFraction;
  /**
   * An environment profile whose `memoryBudgetBytes` becomes the default budget — 80 MiB locally,
   * 120 MiB under CI from core's `detectProfile()`: the budgets perflayer's own tests run under,
   * not a default for a service.
   * @defaultValue none (the default budget is a fraction of the effective limit)
   */
  readonly profile?: EnvironmentProfile;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Reports `perflayer_memory_*` metrics. @defaultValue `noopInstrumentation` */
  readonly instrumentation?: Instrumentation;
  /**
   * How often memory is sampled (one unref'd timer, any length); it is also sampled after every
   * major GC.
   * @defaultValue 1_000
   */
  readonly sampleIntervalMs?: number;
  /** Where levels start, as fractions of the budget. @defaultValue `{ elevated: 0.7, high: 0.85, critical: 0.95 }` */
  readonly thresholds?: Partial<PressureThresholds>;
  /** How far below a threshold usage must fall to leave its level. @defaultValue 0.05 */
  readonly hysteresis?: number;
  /** A reclaim aims to bring usage down to this fraction of the budget. @defaultValue 0.6 */
  readonly reclaimTo?: number;
  /** Least time between two reclaims. @defaultValue 5_000 */
  readonly cooldownMs?: number;
  /** Time box of one reclaimer's `reclaim()`; a slower one is skipped next time. @defaultValue 1_000 */
  readonly reclaimTimeoutMs?: number;
  /** Sample after major GCs (`PerformanceObserver` 'gc'). @defaultValue true */
  readonly observeGc?: boolean;
  /** Where samples come from (tests pass synthetic ones). @defaultValue `sampleMemory()` */
  readonly sampler?: () => MemorySample;
  /** The memory limit (tests pass one). @defaultValue `effectiveLimit()` */
  readonly limit?: EffectiveLimit;
  /** Leak detection from heap floors, or `false`. @defaultValue `{}` (on, with its defaults) */
  readonly leakDetection?: LeakDetectorOptions | false;
  /**
   * Opt-in heap snapshots when the heap nears the effective limit.
   * @defaultValue off
   */
  readonly heapSnapshots?: HeapSnapshotOptions;
}

/** What the optimizer did in one reclaim. */
export interface ReclaimReport {
  /** The level that triggered it. */
  readonly level: PressureLevel;
  /** Bytes asked for. */
  readonly targetBytes: number;
  /** Bytes the reclaimers reported freeing. */
  readonly freedBytes: number;
  /** What each reclaimer gave back, in the order asked. */
  readonly reclaimers: readonly ReclaimerOutcome[];
}

/** A level change. */
export interface LevelChange {
  /** The previous level. */
  readonly from: PressureLevel;
  /** The new level. */
  readonly to: PressureLevel;
  /** used / budget at the change. */
  readonly ratio: number;
  /** The sample that caused it. */
  readonly sample: MemorySample;
}

/** Events of {@link MemoryOptimizer}. */
export interface MemoryOptimizerEvents {
  /** The pressure level changed. */
  level: [change: LevelChange];
  /** A reclaim finished. */
  reclaim: [report: ReclaimReport];
  /** A leak became suspected, or stopped being. */
  leak: [status: LeakStatus];
  /** A heap snapshot was written. */
  snapshot: [path: string];
}

/** The optimizer's current figures. */
export interface MemoryStatus {
  /** The budget in bytes. */
  readonly budgetBytes: number;
  /** The effective limit. */
  readonly limit: EffectiveLimit;
  /** The current level. */
  readonly level: PressureLevel;
  /** The last sample. */
  readonly sample: MemorySample | undefined;
  /** used / budget at the last sample. */
  readonly ratio: number;
  /** Registered reclaimers and what each holds. */
  readonly reclaimers: readonly ReclaimerStatus[];
  /** Leak detection, when on. */
  readonly leak: LeakStatus | undefined;
}

interface Registration {
  readonly reclaimer: Reclaimer;
  readonly priority: ReclaimPriority;
  readonly order: number;
  readonly reclaimed: CounterHandle;
  skipNext: boolean;
}

const KNOWN: readonly string[] = [
  "budget",
  "profile",
  "clock",
  "instrumentation",
  "sampleIntervalMs",
  "thresholds",
  "hysteresis",
  "reclaimTo",
  "cooldownMs",
  "reclaimTimeoutMs",
  "observeGc",
  "sampler",
  "limit",
  "leakDetection",
  "heapSnapshots",
];
const PRIORITY_ORDER: Record<ReclaimPriority, number> = { low: 0, normal: 1, high: 2 };

/**
 * One memory budget for the process: samples cheap signals, turns them into a pressure level with
 * hysteresis, asks registered reclaimers (caches, pools) for a byte target in priority order — at
 * most once per cool-down — and watches heap floors for leaks.
 *
 * @example
 * ```ts
 * const memory = new MemoryOptimizer({ budget: 256 * 2 ** 20 });
 * memory.register(caches.cache("users", { maxSize: 50_000_000 }), { priority: "low" });
 * memory.on("level", ({ from, to }) => console.log(`memory ${from} → ${to}`));
 * ```
 */
export class MemoryOptimizer extends EventEmitter<MemoryOptimizerEvents> implements Closeable {
  /** The budget in bytes. */
  readonly budgetBytes: number;
  /** The effective memory limit. */
  readonly limit: EffectiveLimit;

  readonly #clock: Clock;
  readonly #sampler: () => MemorySample;
  readonly #thresholds: PressureThresholds;
  readonly #hysteresis: number;
  readonly #reclaimTo: number;
  readonly #cooldownMs: number;
  readonly #reclaimTimeoutMs: number;
  readonly #registrations: Registration[] = [];
  readonly #timers: TimerHandle[] = [];
  readonly #leaks: LeakDetector | undefined;
  readonly #snapshots: MemoryOptimizerOptions["heapSnapshots"];
  readonly #levelGauge;
  readonly #usedGauges;
  readonly #leakGauge;
  readonly #reclaimedCounter;
  readonly #warnings: WarningLimiter;
  #observer: PerformanceObserver | undefined;
  #level: PressureLevel = "normal";
  #sample: MemorySample | undefined;
  #ratio = 0;
  #lastReclaim = Number.NEGATIVE_INFINITY;
  #reclaiming: Promise<ReclaimReport> | undefined;
  #snapshotsWritten = 0;
  #order = 0;
  #closed = false;

  /** @param options - budget, clock, instrumentation, thresholds and timings */
  constructor(options: MemoryOptimizerOptions = {}) {
    super();
    const context = "new MemoryOptimizer()";
    assertKnownKeys(options, KNOWN, context);
    this.#clock = options.clock ?? systemClock;
    this.limit = options.limit ?? effectiveLimit();
    this.budgetBytes = resolveBudget(options.budget, options.profile, this.limit);
    this.#warnings = new WarningLimiter({ clock: this.#clock });
    const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
    for (const key of ["elevated", "high", "critical"] as const) {
      assertNumber(thresholds[key], {
        name: `thresholds.${key}`,
        min: 0,
        minExclusive: true,
        max: 2,
        context,
      });
    }
    if (!(thresholds.elevated < thresholds.high && thresholds.high < thresholds.critical)) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${context}: Expected thresholds elevated < high < critical, got ${JSON.stringify(thresholds)}. Pass e.g. { elevated: 0.7, high: 0.85, critical: 0.95 }.`,
      );
    }
    this.#thresholds = thresholds;
    this.#hysteresis = assertNumber(options.hysteresis ?? 0.05, {
      name: "hysteresis",
      min: 0,
      max: 0.5,
      context,
    });
    this.#reclaimTo = assertNumber(options.reclaimTo ?? 0.6, {
      name: "reclaimTo",
      min: 0,
      minExclusive: true,
      max: thresholds.elevated,
      fix: "Keep it below thresholds.elevated.",
      context,
    });
    this.#cooldownMs = assertNumber(options.cooldownMs ?? 5_000, {
      name: "cooldownMs",
      min: 0,
      context,
    });
    this.#reclaimTimeoutMs = assertNumber(options.reclaimTimeoutMs ?? 1_000, {
      name: "reclaimTimeoutMs",
      min: 1,
      context,
    });
    const sampleIntervalMs = assertNumber(options.sampleIntervalMs ?? 1_000, {
      name: "sampleIntervalMs",
      min: 1,
      context,
    });
    this.#sampler =
      options.sampler === undefined
        ? () => sampleMemory()
        : assertFunction<() => MemorySample>(options.sampler, { name: "sampler", context });
    this.#leaks =
      options.leakDetection === false ? undefined : new LeakDetector(options.leakDetection ?? {});
    this.#snapshots = options.heapSnapshots;

    const instrumentation = options.instrumentation ?? noopInstrumentation;
    this.#levelGauge = instrumentation
      .gauge({
        name: "perflayer_memory_pressure_level",
        help: "Memory pressure level: 0 normal, 1 elevated, 2 high, 3 critical.",
      })
      .bind({});
    const budget = instrumentation.gauge({
      name: "perflayer_memory_budget_bytes",
      help: "Memory budget of the MemoryOptimizer.",
      labelNames: ["kind"],
    });
    budget.bind({ kind: "heap" }).set(this.budgetBytes);
    const used = instrumentation.gauge({
      name: "perflayer_memory_used_bytes",
      help: "Memory in use at the last sample.",
      labelNames: ["kind"],
    });
    this.#usedGauges = {
      heap: used.bind({ kind: "heap" }),
      external: used.bind({ kind: "external" }),
      rss: used.bind({ kind: "rss" }),
    };
    this.#leakGauge = instrumentation
      .gauge({
        name: "perflayer_memory_leak_suspected",
        help: "1 while the heap floor keeps rising across windows.",
      })
      .bind({});
    this.#reclaimedCounter = instrumentation.counter({
      name: "perflayer_memory_reclaimed_bytes_total",
      help: "Bytes reclaimers reported freeing under pressure.",
      labelNames: ["reclaimer"],
    });

    this.#timers.push(this.#clock.setInterval(() => void this.sample(), sampleIntervalMs));
    if (options.observeGc !== false) this.#observeGc();
  }

  /** @returns the current pressure level */
  get level(): PressureLevel {
    return this.#level;
  }

  /**
   * Registers something that can give memory back.
   * @param reclaimer - a cache, a pool, or any `Reclaimer`
   * @param options - its priority
   * @returns a function that unregisters it
   */
  register(reclaimer: Reclaimer, options: RegisterOptions = {}): () => void {
    if (
      typeof reclaimer?.reclaim !== "function" ||
      typeof reclaimer.estimatedBytes !== "function" ||
      typeof reclaimer.name !== "string"
    ) {
      throw new PerflayerConfigError(
        "ERR_INVALID_ARGUMENT",
        formatExpected({
          name: "reclaimer",
          expected: "a Reclaimer { name, estimatedBytes(), reclaim(targetBytes) }",
          got: reclaimer,
          fix: "Register a Cache, an ObjectPool, a BufferPool or your own Reclaimer.",
          context: "MemoryOptimizer.register()",
        }),
      );
    }
    const priority = assertOneOf(options.priority ?? "normal", ["low", "normal", "high"], {
      name: "priority",
      context: "MemoryOptimizer.register()",
    });
    const registration: Registration = {
      reclaimer,
      priority,
      order: this.#order++,
      reclaimed: this.#reclaimedCounter.bind({ reclaimer: reclaimer.name }),
      skipNext: false,
    };
    this.#registrations.push(registration);
    this.#registrations.sort(
      (a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.order - b.order,
    );
    return () => {
      const index = this.#registrations.indexOf(registration);
      if (index !== -1) this.#registrations.splice(index, 1);
    };
  }

  /**
   * Samples memory now, updates the level and, when elevated or above and out of cool-down,
   * reclaims. The timer and the GC observer call this.
   * @returns the reclaim report when one ran, otherwise undefined
   */
  async sample(): Promise<ReclaimReport | undefined> {
    if (this.#closed) return undefined;
    const sample = this.#sampler();
    this.#sample = sample;
    const used = sample.heapUsed + sample.external;
    this.#ratio = used / this.budgetBytes;
    this.#usedGauges.heap.set(sample.heapUsed);
    this.#usedGauges.external.set(sample.external);
    this.#usedGauges.rss.set(sample.rss);
    const to = nextLevel(this.#level, this.#ratio, this.#thresholds, this.#hysteresis);
    if (to !== this.#level) {
      const from = this.#level;
      this.#level = to;
      this.#levelGauge.set(PRESSURE_LEVELS.indexOf(to));
      this.emit("level", { from, to, ratio: this.#ratio, sample });
    }
    this.#maybeSnapshot(sample);
    if (to === "normal" || this.#reclaiming !== undefined) return undefined;
    if (this.#clock.now() - this.#lastReclaim < this.#cooldownMs) return undefined;
    return this.reclaim(Math.max(0, used - this.#reclaimTo * this.budgetBytes));
  }

  /**
   * Asks reclaimers, `low` priority first, for `targetBytes` until met. A reclaimer that throws or
   * exceeds `reclaimTimeoutMs` is counted and skipped on the next reclaim; it never stops the others.
   * @param targetBytes - bytes wanted back
   * @returns what each reclaimer gave
   */
  reclaim(targetBytes: number): Promise<ReclaimReport> {
    assertNumber(targetBytes, {
      name: "targetBytes",
      min: 0,
      context: "MemoryOptimizer.reclaim()",
    });
    if (this.#reclaiming !== undefined) return this.#reclaiming;
    this.#lastReclaim = this.#clock.now();
    const running = this.#runReclaim(targetBytes).finally(() => {
      this.#reclaiming = undefined;
    });
    this.#reclaiming = running;
    return running;
  }

  /**
   * Watches an object that should be freed soon (a request context, a closed connection); reported
   * in `status().leak.survivors` if still alive after a few major GCs.
   * @param object - the object (held weakly)
   * @param label - how to report it
   */
  track(object: object, label: string): void {
    if (this.#leaks === undefined)
      throw new PerflayerError(
        "ERR_INVALID_OPTION",
        "MemoryOptimizer.track(): leak detection is off (leakDetection: false).",
      );
    this.#leaks.track(object, label);
  }

  /**
   * Records a heap floor (the GC observer calls this after each major GC).
   * @param heapUsed - heap used right after a major GC
   */
  recordHeapFloor(heapUsed: number): void {
    if (this.#leaks === undefined) return;
    if (this.#leaks.recordFloor(this.#clock.now(), heapUsed)) {
      const status = this.#leaks.status();
      this.#leakGauge.set(status.suspected ? 1 : 0);
      this.emit("leak", status);
    }
  }

  /**
   * Writes a heap snapshot (opt-in forensics; it pauses the process while writing).
   * @param dir - target directory
   * @returns the file path
   */
  writeHeapSnapshot(dir: string): string {
    const path = writeHeapSnapshot(
      join(dir, `perflayer-${process.pid}-${Date.now()}.heapsnapshot`),
    );
    this.emit("snapshot", path);
    return path;
  }

  /** @returns budget, level, last sample, reclaimers and leak status */
  status(): MemoryStatus {
    return {
      budgetBytes: this.budgetBytes,
      limit: this.limit,
      level: this.#level,
      sample: this.#sample,
      ratio: this.#ratio,
      reclaimers: this.#registrations.map((r) => ({
        name: r.reclaimer.name,
        priority: r.priority,
        estimatedBytes: safeBytes(r.reclaimer),
      })),
      leak: this.#leaks?.status(),
    };
  }

  /** Stops sampling and the GC observer. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const timer of this.#timers) timer.cancel();
      this.#observer?.disconnect();
      this.#warnings.flush();
    }
    return Promise.resolve();
  }

  /** Same as {@link MemoryOptimizer.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #runReclaim(targetBytes: number): Promise<ReclaimReport> {
    const reclaimers: ReclaimerOutcome[] = [];
    let freed = 0;
    for (const registration of [...this.#registrations]) {
      const name = registration.reclaimer.name;
      if (freed >= targetBytes) break;
      if (registration.skipNext) {
        registration.skipNext = false;
        reclaimers.push({ name, bytes: 0, outcome: "skipped" });
        continue;
      }
      try {
        const bytes = await this.#timeBoxed(registration.reclaimer, targetBytes - freed);
        const counted = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
        freed += counted;
        registration.reclaimed.inc(counted);
        reclaimers.push({ name, bytes: counted, outcome: "ok" });
      } catch (error) {
        registration.skipNext = true;
        const outcome = error instanceof TimeoutError ? "timeout" : "error";
        reclaimers.push({ name, bytes: 0, outcome });
        this.#warnings.warn(
          "PERFLAYER_MEMORY_RECLAIMER",
          `MemoryOptimizer: reclaimer "${name}" failed (${outcome}): ${String(error)}; skipped on the next reclaim.`,
          `reclaimer:${name}`,
        );
      }
    }
    const report: ReclaimReport = {
      level: this.#level,
      targetBytes,
      freedBytes: freed,
      reclaimers,
    };
    this.emit("reclaim", report);
    return report;
  }

  #timeBoxed(reclaimer: Reclaimer, target: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      // Ref'd: `reclaim()` is awaited (by callers and by the sampler); see core's TimerOptions.
      const timer = this.#clock.setTimeout(
        () =>
          reject(
            new TimeoutError(
              `reclaimer "${reclaimer.name}" did not finish within ${this.#reclaimTimeoutMs} ms`,
              { timeoutMs: this.#reclaimTimeoutMs },
            ),
          ),
        this.#reclaimTimeoutMs,
        { ref: true },
      );
      try {
        Promise.resolve(reclaimer.reclaim(target)).then(
          (bytes) => {
            timer.cancel();
            resolve(bytes);
          },
          (error: unknown) => {
            timer.cancel();
            reject(error);
          },
        );
      } catch (error) {
        timer.cancel();
        reject(error);
      }
    });
  }

  #observeGc(): void {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } })
          .detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
          this.recordHeapFloor(getHeapStatistics().used_heap_size);
          void this.sample();
        }
      }
    });
    observer.observe({ entryTypes: ["gc"] });
    this.#observer = observer;
  }

  #maybeSnapshot(sample: MemorySample): void {
    const config = this.#snapshots;
    if (config === undefined || this.#snapshotsWritten >= (config.max ?? 1)) return;
    if (sample.heapUsed / this.limit.bytes < (config.nearLimitRatio ?? 0.95)) return;
    this.#snapshotsWritten++;
    this.writeHeapSnapshot(config.dir);
  }
}

function safeBytes(reclaimer: Reclaimer): number {
  try {
    return reclaimer.estimatedBytes();
  } catch {
    return 0;
  }
}

function resolveBudget(
  budget: MemoryOptimizerOptions["budget"],
  profile: EnvironmentProfile | undefined,
  limit: EffectiveLimit,
): number {
  const context = "new MemoryOptimizer()";
  let bytes: number;
  if (budget === undefined) {
    bytes =
      profile === undefined
        ? Math.floor(limit.bytes * DEFAULT_BUDGET_FRACTION)
        : profile.memoryBudgetBytes;
  } else if (typeof budget === "number") {
    bytes = assertNumber(budget, {
      name: "budget",
      min: 0,
      minExclusive: true,
      fix: "Pass bytes, e.g. { budget: 256 * 2 ** 20 }, or { budget: { fraction: 0.5 } }.",
      context,
    });
  } else if (typeof budget === "object" && budget !== null) {
    const fraction = assertNumber(budget.fraction, {
      name: "budget.fraction",
      min: 0,
      minExclusive: true,
      max: 1,
      fix: "Pass a fraction of the limit in (0, 1], e.g. { budget: { fraction: 0.5 } }.",
      context,
    });
    bytes = Math.floor(limit.bytes * fraction);
  } else {
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      formatExpected({ name: "budget", expected: "bytes or { fraction }", got: budget, context }),
    );
  }
  if (bytes > limit.bytes) {
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      formatExpected({
        name: "budget",
        expected: `at most the effective limit (${limit.bytes} bytes, from the ${limit.source})`,
        got: bytes,
        fix: "Lower the budget, or raise the limit (--max-old-space-size or the container's memory).",
        context,
      }),
    );
  }
  return bytes;
}
