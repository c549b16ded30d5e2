import { EventEmitter } from "node:events";
import { PerformanceObserver, constants } from "node:perf_hooks";
import type { PerformanceEntry } from "node:perf_hooks";
import { getHeapStatistics, writeHeapSnapshot } from "node:v8";
import { join } from "node:path";
import {
  PerflayerConfigError,
  PerflayerError,
  TimeoutError,
  isResizable,
  assertFunction,
  assertKnownKeys,
  assertNumber,
  assertOneOf,
  detectProfile,
  formatExpected,
  noopInstrumentation,
  systemClock,
} from "@perflayer/core";
import type {
  Clock,
  Closeable,
  CounterHandle,
  EnvironmentProfile,
  GaugeHandle,
  Instrumentation,
  Reclaimer,
  Resizable,
  TimerHandle,
} from "@perflayer/core";
import { BudgetSteering, splitAllowance } from "./budget-steering.js";
import { LeakDetector } from "./leak-detector.js";
import type { LeakDetectorOptions } from "./leak-detector.js";
import { LiveMemory, MAX_HEAP_GROWTH } from "./live-memory.js";
import type { LiveMemoryReading } from "./live-memory.js";
import { effectiveLimit, sampleMemory } from "./memory-sample.js";
import type { EffectiveLimit, MemorySample } from "./memory-sample.js";
import type {
  MemoryOptimizerEvents,
  MemoryStatus,
  ReclaimPriority,
  ReclaimReport,
  ReclaimerOutcome,
} from "./memory-status.js";
import { DEFAULT_THRESHOLDS, PRESSURE_LEVELS, PressureTracker } from "./pressure-level.js";
import type { PressureLevel, PressureThresholds } from "./pressure-level.js";
import { planReclaim } from "./reclaim-plan.js";

/** Options of {@link MemoryOptimizer.register}. */
export interface RegisterOptions {
  /** `low` memory is shed first, `high` last. @defaultValue "normal" */
  readonly priority?: ReclaimPriority;
  /**
   * Steer the size of a reclaimer that can be resized (core's `Resizable`, e.g. a
   * `@perflayer/cache` cache): its capacity grows while the budget has room and shrinks under
   * pressure, never above its own bound nor below `minBytes`. `false` leaves its size alone (it is
   * still asked to reclaim under pressure). Ignored for reclaimers that cannot be resized.
   * @defaultValue true (with `minBytes: 0`)
   */
  readonly steer?: boolean | { readonly minBytes?: number };
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

/** Options of {@link MemoryOptimizer}. */
export interface MemoryOptimizerOptions {
  /**
   * The budget: bytes, or `{ fraction }` of the effective limit (V8's heap limit, or a real cgroup
   * limit when smaller), for heap used + external memory including the garbage V8 lets pile up
   * between collections: levels compare the peak projected from live memory with it.
   * @defaultValue the environment profile's budget: 80 MiB locally, 120 MiB under CI
   */
  readonly budget?: number | BudgetFraction;
  /** @defaultValue `detectProfile()` */
  readonly profile?: EnvironmentProfile;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Reports `perflayer_memory_*` metrics. @defaultValue `noopInstrumentation` */
  readonly instrumentation?: Instrumentation;
  /**
   * How often memory is sampled (one unref'd timer); it is also sampled after every major GC.
   * @defaultValue 1_000
   */
  readonly sampleIntervalMs?: number;
  /**
   * Where levels start, as fractions of the budget (compared with the projected peak).
   * @defaultValue `{ elevated: 0.7, high: 0.85, critical: 0.95 }`
   */
  readonly thresholds?: Partial<PressureThresholds>;
  /** How far below a threshold the projected peak must fall to leave its level. @defaultValue 0.05 */
  readonly hysteresis?: number;
  /**
   * How long a new level must be indicated, sample after sample, before it takes effect (hysteresis
   * in time). Steering does not wait for it: it shrinks caches as soon as the projected peak
   * reaches `thresholds.high`.
   * @defaultValue 5_000
   */
  readonly levelHoldMs?: number;
  /**
   * Steered reclaimers (caches) are sized so that the projected peak sits at this fraction of the
   * budget: a service whose caches could use more than the budget then stays `elevated`, and
   * reclaims (from `high`) are left for what steering cannot hold. At most `thresholds.high`.
   * @defaultValue 0.8
   */
  readonly steerTo?: number;
  /** A reclaim aims to bring the projected peak down to this fraction of the budget. @defaultValue 0.6 */
  readonly reclaimTo?: number;
  /**
   * Least time between two reclaims. A reclaim also waits for a major GC after the previous one
   * (the memory it freed awaits collection) when the optimizer observes GCs.
   * @defaultValue 5_000
   */
  readonly cooldownMs?: number;
  /** Time box of one reclaimer's `reclaim()`; a slower one is skipped next time. @defaultValue 1_000 */
  readonly reclaimTimeoutMs?: number;
  /**
   * Observe GCs (`PerformanceObserver` 'gc'): the live set is read after each major GC, the heap's
   * peak after minor ones. Without it the optimizer sees only timer samples, garbage included, unless
   * `recordMajorGc()` is called.
   * @defaultValue true
   */
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


interface Registration {
  readonly reclaimer: Reclaimer;
  readonly priority: ReclaimPriority;
  readonly rank: number;
  readonly order: number;
  readonly reclaimed: CounterHandle;
  readonly reclaimable: GaugeHandle;
  readonly inUse: GaugeHandle;
  /** Set when the optimizer steers this reclaimer's size. */
  readonly steer: { readonly resizable: Resizable; readonly minBytes: number } | undefined;
  readonly capacity: GaugeHandle | undefined;
  capacityBytes: number | undefined;
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
  "levelHoldMs",
  "steerTo",
  "reclaimTo",
  "cooldownMs",
  "reclaimTimeoutMs",
  "observeGc",
  "sampler",
  "limit",
  "leakDetection",
  "heapSnapshots",
];
const PRIORITY_RANK: Record<ReclaimPriority, number> = { low: 0, normal: 1, high: 2 };
const MiB = 2 ** 20;

/**
 * One memory budget for the process. It decides on live memory, not garbage: the heap after each
 * major GC, carried forward between GCs, times the growth V8 allows before it collects again, gives
 * the peak to expect; levels (with hysteresis in bytes and in time) come from that. It steers the
 * size of registered caches so the steady state fits the budget, and under pressure asks reclaimers
 * for what the live overage needs — bounded by what they can give, spread by priority and size — at
 * most once per cool-down and per major GC. It also watches heap floors for leaks.
 *
 * @example
 * ```ts
 * const memory = new MemoryOptimizer({ budget: 256 * 2 ** 20 });
 * memory.register(caches.cache("users", { max: 1_000_000 }), { priority: "low" }); // size steered
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
  readonly #pressure: PressureTracker;
  readonly #thresholds: PressureThresholds;
  readonly #steerTo: number;
  readonly #reclaimTo: number;
  readonly #cooldownMs: number;
  readonly #reclaimTimeoutMs: number;
  readonly #registrations: Registration[] = [];
  readonly #timers: TimerHandle[] = [];
  readonly #live = new LiveMemory();
  readonly #steering = new BudgetSteering();
  readonly #leaks: LeakDetector | undefined;
  readonly #snapshots: MemoryOptimizerOptions["heapSnapshots"];
  readonly #levelGauge;
  readonly #usedGauges;
  readonly #leakGauge;
  readonly #reclaimedCounter;
  readonly #reclaimerBytes;
  readonly #capacityGauge;
  readonly #observesGc: boolean;
  #observer: PerformanceObserver | undefined;
  #sample: MemorySample | undefined;
  #reading: LiveMemoryReading | undefined;
  #ratio = 0;
  #awaitingCollection = 0;
  #lastReclaim = Number.NEGATIVE_INFINITY;
  #gcSinceReclaim = true;
  #reclaiming: Promise<ReclaimReport> | undefined;
  #warnedChurn = false;
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
    this.budgetBytes = resolveBudget(
      options.budget,
      options.profile ?? detectProfile(),
      this.limit,
    );
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
    const hysteresis = assertNumber(options.hysteresis ?? 0.05, {
      name: "hysteresis",
      min: 0,
      max: 0.5,
      context,
    });
    const levelHoldMs = assertNumber(options.levelHoldMs ?? 5_000, {
      name: "levelHoldMs",
      min: 0,
      fix: "Pass milliseconds, e.g. { levelHoldMs: 5_000 }, or 0 to change levels at once.",
      context,
    });
    this.#thresholds = thresholds;
    this.#pressure = new PressureTracker(thresholds, hysteresis, levelHoldMs);
    this.#steerTo = assertNumber(options.steerTo ?? 0.8, {
      name: "steerTo",
      min: 0,
      minExclusive: true,
      max: thresholds.high,
      fix: "Keep it below thresholds.high, where reclaims begin, e.g. { steerTo: 0.8 }.",
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
      help: "Memory at the last sample: heap and external in use (garbage included), rss, the live set (heap after the last major GC carried forward, plus external in use) and the projected peak before the next major GC.",
      labelNames: ["kind"],
    });
    this.#usedGauges = {
      heap: used.bind({ kind: "heap" }),
      external: used.bind({ kind: "external" }),
      rss: used.bind({ kind: "rss" }),
      live: used.bind({ kind: "live" }),
      projected: used.bind({ kind: "projected_peak" }),
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
    this.#reclaimerBytes = instrumentation.gauge({
      name: "perflayer_memory_reclaimer_bytes",
      help: "Bytes registered reclaimers hold: reclaimable (could be given back) or in_use (lent out to live work).",
      labelNames: ["reclaimer", "state"],
      collect: () => {
        for (const r of this.#registrations) {
          r.reclaimable.set(safeBytes(r.reclaimer));
          r.inUse.set(safeInUse(r.reclaimer));
        }
      },
    });
    this.#capacityGauge = instrumentation.gauge({
      name: "perflayer_memory_reclaimer_capacity_bytes",
      help: "Capacity the budget steers a resizable reclaimer (a cache) to.",
      labelNames: ["reclaimer"],
    });

    this.#timers.push(this.#clock.setInterval(() => void this.sample(), sampleIntervalMs));
    this.#observesGc = options.observeGc !== false;
    if (this.#observesGc) this.#observeGc();
  }

  /** @returns the current pressure level */
  get level(): PressureLevel {
    return this.#pressure.level;
  }

  /**
   * Registers something that can give memory back. A resizable one (a cache) also has its size
   * steered by the budget unless `steer: false`.
   * @param reclaimer - a cache, a pool, or any `Reclaimer`
   * @param options - its priority and whether its size is steered
   * @returns a function that unregisters it
   */
  register(reclaimer: Reclaimer, options: RegisterOptions = {}): () => void {
    const context = "MemoryOptimizer.register()";
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
          context,
        }),
      );
    }
    assertKnownKeys(options, ["priority", "steer"], context);
    const priority = assertOneOf(options.priority ?? "normal", ["low", "normal", "high"], {
      name: "priority",
      context,
    });
    const steer = options.steer ?? true;
    if (typeof steer !== "boolean" && (typeof steer !== "object" || steer === null)) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "steer",
          expected: "a boolean or { minBytes }",
          got: steer,
          fix: "Pass e.g. { steer: false } or { steer: { minBytes: 8 * 2 ** 20 } }.",
          context,
        }),
      );
    }
    const minBytes =
      typeof steer === "object"
        ? assertNumber(steer.minBytes ?? 0, { name: "steer.minBytes", min: 0, context })
        : 0;
    const steered = steer !== false && isResizable(reclaimer);
    const labels = { reclaimer: reclaimer.name };
    const registration: Registration = {
      reclaimer,
      priority,
      rank: PRIORITY_RANK[priority],
      order: this.#order++,
      reclaimed: this.#reclaimedCounter.bind(labels),
      reclaimable: this.#reclaimerBytes.bind({ ...labels, state: "reclaimable" }),
      inUse: this.#reclaimerBytes.bind({ ...labels, state: "in_use" }),
      steer: steered ? { resizable: reclaimer, minBytes } : undefined,
      capacity: steered ? this.#capacityGauge.bind(labels) : undefined,
      capacityBytes: undefined,
      skipNext: false,
    };
    this.#registrations.push(registration);
    this.#registrations.sort((a, b) => a.rank - b.rank || a.order - b.order);
    return () => {
      const index = this.#registrations.indexOf(registration);
      if (index !== -1) this.#registrations.splice(index, 1);
    };
  }

  /**
   * Samples memory now: updates the live reading, the level and the steered sizes and, when
   * elevated or above, out of cool-down and not waiting for V8 to collect what the last reclaim
   * freed, reclaims the live overage. The timer calls this.
   * @returns the reclaim report when one ran, otherwise undefined
   */
  sample(): Promise<ReclaimReport | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    return this.#evaluate(this.#sampler(), false);
  }

  /**
   * Records that a major GC just finished: the heap in use now is the live set. The GC observer
   * calls this; tests and custom GC sources may too.
   * @param sample - memory read right after the GC (default: a sample now)
   * @returns the reclaim report when one ran, otherwise undefined
   */
  recordMajorGc(sample?: MemorySample): Promise<ReclaimReport | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const after = sample ?? this.#sampler();
    this.#live.afterMajorGc(this.#clock.now(), after, this.#trackedBytes());
    this.#awaitingCollection = 0;
    this.#gcSinceReclaim = true;
    if (this.#leaks?.recordFloor(this.#clock.now(), after.heapUsed) === true) {
      const status = this.#leaks.status();
      this.#leakGauge.set(status.suspected ? 1 : 0);
      this.emit("leak", status);
    }
    return this.#evaluate(after, true);
  }

  /**
   * Asks reclaimers for `targetBytes`, bounded by what they can give back: lowest priority first,
   * in proportion to what each holds within a priority (none is asked for more than its share);
   * reclaimers holding nothing reclaimable are not asked. A reclaimer that throws or exceeds
   * `reclaimTimeoutMs` is counted and skipped on the next reclaim; it never stops the others.
   * @param targetBytes - bytes wanted back
   * @returns what each reclaimer gave
   */
  reclaim(targetBytes: number): Promise<ReclaimReport> {
    assertNumber(targetBytes, {
      name: "targetBytes",
      min: 0,
      context: "MemoryOptimizer.reclaim()",
    });
    return this.#startReclaim(targetBytes, true);
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

  /** @returns budget, level, last sample, live reading, reclaimers and leak status */
  status(): MemoryStatus {
    const reclaimers = this.#registrations.map((r) => ({
      name: r.reclaimer.name,
      priority: r.priority,
      estimatedBytes: safeBytes(r.reclaimer),
      inUseBytes: safeInUse(r.reclaimer),
      capacityBytes: r.capacityBytes,
    }));
    return {
      budgetBytes: this.budgetBytes,
      limit: this.limit,
      level: this.#pressure.level,
      sample: this.#sample,
      live: this.#reading,
      ratio: this.#ratio,
      awaitingCollectionBytes: this.#awaitingCollection,
      reclaimableBytes: reclaimers.reduce((sum, r) => sum + r.estimatedBytes, 0),
      inUseBytes: reclaimers.reduce((sum, r) => sum + r.inUseBytes, 0),
      reclaimers,
      leak: this.#leaks?.status(),
    };
  }

  /** Stops sampling and the GC observer. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const timer of this.#timers) timer.cancel();
      this.#observer?.disconnect();
    }
    return Promise.resolve();
  }

  /** Same as {@link MemoryOptimizer.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #evaluate(sample: MemorySample, fresh: boolean): Promise<ReclaimReport | undefined> {
    const now = this.#clock.now();
    const reading = this.#live.read(now, sample, this.#trackedBytes());
    this.#sample = sample;
    this.#reading = reading;
    this.#ratio = reading.projectedPeak / this.budgetBytes;
    this.#usedGauges.heap.set(sample.heapUsed);
    this.#usedGauges.external.set(sample.external);
    this.#usedGauges.rss.set(sample.rss);
    this.#usedGauges.live.set(reading.heapLive + reading.externalLive);
    this.#usedGauges.projected.set(reading.projectedPeak);
    const from = this.#pressure.level;
    const to = this.#pressure.update(now, this.#ratio);
    if (to !== from) {
      this.#levelGauge.set(PRESSURE_LEVELS.indexOf(to));
      this.emit("level", { from, to, ratio: this.#ratio, sample });
    }
    this.#maybeSnapshot(sample);
    // Steering shrinks at once on the indicated ratio: safety does not wait for the level's hold.
    if (reading.majorGcs > 0) this.#steer(reading, fresh, this.#ratio >= this.#thresholds.high);
    // Steering holds `elevated`; reclaims are for what it cannot hold.
    if (to === "normal" || to === "elevated" || this.#reclaiming !== undefined)
      return Promise.resolve(undefined);
    if (now - this.#lastReclaim < this.#cooldownMs) return Promise.resolve(undefined);
    // What the last reclaim freed is garbage until the next major GC: let V8 collect it first.
    if (!this.#gcSinceReclaim && (this.#observesGc || reading.majorGcs > 0))
      return Promise.resolve(undefined);
    const overage = reading.heapLive - this.#heapTarget(reading, this.#reclaimTo);
    if (overage <= 0) this.#warnChurn(reading);
    const unsteered = this.#registrations.some((r) => r.steer === undefined && safeBytes(r.reclaimer) > 0);
    if (overage <= 0 || !unsteered) return Promise.resolve(undefined);
    return this.#startReclaim(overage, false);
  }

  /**
   * The live heap at which the projected peak is `fraction` of the budget, counting external memory
   * in use but not its churn: what reclaimers hold cannot bring dropped Buffers back.
   */
  #heapTarget(reading: LiveMemoryReading, fraction: number, growth = reading.heapGrowth): number {
    const room =
      fraction * this.budgetBytes - reading.externalLive - reading.youngPeak - reading.heapSlack;
    return room / growth;
  }

  #steer(reading: LiveMemoryReading, fresh: boolean, urgent: boolean): void {
    const steered = this.#registrations.filter((r) => r.steer !== undefined);
    if (steered.length === 0) return;
    const holdings = steered.map((r) => ({
      rank: r.rank,
      bytes: safeBytes(r.reclaimer),
      minBytes: r.steer?.minBytes ?? 0,
    }));
    const held = holdings.reduce((sum, h) => sum + h.bytes, 0);
    const others = Math.max(0, reading.heapLive - held);
    // Until a GC cycle has shown V8's growth, steer as if it were the largest.
    const growth = reading.cycles === 0 ? MAX_HEAP_GROWTH : reading.heapGrowth;
    const allowance = this.#steering.next(this.#heapTarget(reading, this.#steerTo, growth) - others, {
      fresh,
      urgent,
      tolerance: (0.01 * this.budgetBytes) / growth,
    });
    const capacities = splitAllowance(allowance, holdings);
    steered.forEach((r, i) => {
      const capacity = Math.round(capacities[i] as number);
      const holding = holdings[i] as { bytes: number };
      const previous = r.capacityBytes;
      const changed =
        previous === undefined ||
        capacity < holding.bytes ||
        Math.abs(capacity - previous) > Math.max(previous * 0.01, 64 * 1024);
      if (!changed || r.steer === undefined) return;
      try {
        this.#awaitingCollection += Math.max(0, r.steer.resizable.resize(capacity));
        r.capacityBytes = capacity;
        r.capacity?.set(capacity);
      } catch (error) {
        process.emitWarning(
          `MemoryOptimizer: resizing "${r.reclaimer.name}" to ${capacity} bytes failed: ${String(error)}.`,
          { code: "PERFLAYER_MEMORY_RECLAIMER" },
        );
      }
    });
  }

  /** Says once that the budget is exceeded by external churn that no reclaimer holds. */
  #warnChurn(reading: LiveMemoryReading): void {
    if (this.#warnedChurn || reading.projectedPeak <= this.budgetBytes) return;
    const churn = reading.externalPeak - reading.externalLive;
    if (churn < 0.25 * this.budgetBytes) return;
    this.#warnedChurn = true;
    process.emitWarning(
      `MemoryOptimizer: heap + external is projected at ${(reading.projectedPeak / MiB).toFixed(0)} MiB, over the ${(this.budgetBytes / MiB).toFixed(0)} MiB budget, because external memory swings by ${(churn / MiB).toFixed(0)} MiB between collections (Buffers allocated and dropped per request, awaiting a GC); no reclaimer holds that memory. Take such buffers from a BufferPool, or raise the budget.`,
      { code: "PERFLAYER_MEMORY_CHURN" },
    );
  }

  #trackedBytes(): number {
    let bytes = 0;
    for (const r of this.#registrations) bytes += safeBytes(r.reclaimer);
    return bytes;
  }

  /** One reclaim at a time; pressure reclaims leave steered reclaimers to the steering. */
  #startReclaim(targetBytes: number, steeredToo: boolean): Promise<ReclaimReport> {
    if (this.#reclaiming !== undefined) return this.#reclaiming;
    this.#lastReclaim = this.#clock.now();
    this.#gcSinceReclaim = false;
    const running = this.#runReclaim(targetBytes, steeredToo).finally(() => {
      this.#reclaiming = undefined;
    });
    this.#reclaiming = running;
    return running;
  }

  async #runReclaim(targetBytes: number, steeredToo: boolean): Promise<ReclaimReport> {
    const candidates = this.#registrations
      .filter((registration) => steeredToo || registration.steer === undefined)
      .map((registration) => ({ registration, held: safeBytes(registration.reclaimer) }))
      .filter(({ registration, held }) => held > 0 || registration.skipNext);
    const reclaimable = candidates.reduce((sum, c) => sum + c.held, 0);
    const asks = planReclaim(
      targetBytes,
      candidates.map(({ registration, held }) => ({
        rank: registration.rank,
        bytes: registration.skipNext ? 0 : held,
      })),
    );
    const reclaimers: ReclaimerOutcome[] = [];
    let freed = 0;
    for (const [i, { registration, held }] of candidates.entries()) {
      const name = registration.reclaimer.name;
      const asked = Math.ceil(asks[i] as number);
      if (registration.skipNext) {
        registration.skipNext = false;
        reclaimers.push({ name, heldBytes: held, askedBytes: 0, bytes: 0, outcome: "skipped" });
        continue;
      }
      if (asked <= 0) continue;
      try {
        const bytes = await this.#timeBoxed(registration.reclaimer, asked);
        const counted = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
        freed += counted;
        registration.reclaimed.inc(counted);
        reclaimers.push({ name, heldBytes: held, askedBytes: asked, bytes: counted, outcome: "ok" });
      } catch (error) {
        registration.skipNext = true;
        const outcome = error instanceof TimeoutError ? "timeout" : "error";
        reclaimers.push({ name, heldBytes: held, askedBytes: asked, bytes: 0, outcome });
        process.emitWarning(
          `MemoryOptimizer: reclaimer "${name}" failed (${outcome}): ${String(error)}; skipped on the next reclaim.`,
          { code: "PERFLAYER_MEMORY_RECLAIMER" },
        );
      }
    }
    this.#awaitingCollection += freed;
    const report: ReclaimReport = {
      level: this.#pressure.level,
      targetBytes: Math.min(targetBytes, reclaimable),
      reclaimableBytes: reclaimable,
      freedBytes: freed,
      reclaimers,
    };
    this.emit("reclaim", report);
    return report;
  }

  #timeBoxed(reclaimer: Reclaimer, target: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = this.#clock.setTimeout(
        () =>
          reject(
            new TimeoutError(
              `reclaimer "${reclaimer.name}" did not finish within ${this.#reclaimTimeoutMs} ms`,
              { timeoutMs: this.#reclaimTimeoutMs },
            ),
          ),
        this.#reclaimTimeoutMs,
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
      let major = false;
      for (const entry of list.getEntries()) {
        const kind = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } })
          .detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) major = true;
      }
      // After a minor GC the heap in use is close to the cycle's peak so far; after a major one it
      // is the live set.
      if (major) void this.recordMajorGc();
      else this.#live.notePeak(getHeapStatistics().used_heap_size);
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
    const bytes = reclaimer.estimatedBytes();
    return Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  } catch {
    return 0;
  }
}

function safeInUse(reclaimer: Reclaimer): number {
  try {
    const bytes = reclaimer.inUseBytes?.() ?? 0;
    return Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  } catch {
    return 0;
  }
}

function resolveBudget(
  budget: MemoryOptimizerOptions["budget"],
  profile: EnvironmentProfile,
  limit: EffectiveLimit,
): number {
  const context = "new MemoryOptimizer()";
  let bytes: number;
  if (budget === undefined) {
    bytes = profile.memoryBudgetBytes;
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
