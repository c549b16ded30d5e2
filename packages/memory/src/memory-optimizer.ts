import { EventEmitter } from "node:events";
import { PerformanceObserver, constants } from "node:perf_hooks";
import type { PerformanceEntry } from "node:perf_hooks";
import { getHeapStatistics, writeHeapSnapshot } from "node:v8";
import { join } from "node:path";
import {
  PerflayerConfigError,
  PerflayerError,
  WarningLimiter,
  isResizable,
  assertFunction,
  assertKnownKeys,
  assertNumber,
  assertOneOf,
  formatExpected,
  noopInstrumentation,
  systemClock,
} from "@perflayer/core";
import type { Clock, Closeable, Reclaimer, TimerHandle } from "@perflayer/core";
import { BudgetSteering, splitAllowance } from "./budget-steering.js";
import { LeakDetector } from "./leak-detector.js";
import { LiveMemory, YOUNG_AT_OLD_PEAK, maxHeapGrowth, oldUsed } from "./live-memory.js";
import type { LiveMemoryReading } from "./live-memory.js";
import { memoryMetrics } from "./memory-metrics.js";
import type { MemoryMetrics } from "./memory-metrics.js";
import {
  MEMORY_OPTIMIZER_OPTIONS,
  resolveBudget,
  resolveSettings,
} from "./memory-optimizer-options.js";
import type {
  MemoryOptimizerOptions,
  MemorySettings,
  RegisterOptions,
} from "./memory-optimizer-options.js";
import { effectiveLimit, heapSpaces, sampleMemory } from "./memory-sample.js";
import type { EffectiveLimit, MemorySample } from "./memory-sample.js";
import type {
  MemoryOptimizerEvents,
  MemoryStatus,
  ReclaimPriority,
  ReclaimReport,
} from "./memory-status.js";
import { PRESSURE_LEVELS, PressureTracker } from "./pressure-level.js";
import type { PressureLevel } from "./pressure-level.js";
import { inUseBytes, reclaimableBytes, runReclaim } from "./reclaim-run.js";
import type { Registration } from "./reclaim-run.js";

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
  readonly #settings: MemorySettings;
  readonly #pressure: PressureTracker;
  readonly #registrations: Registration[] = [];
  readonly #timers: TimerHandle[] = [];
  readonly #live = new LiveMemory();
  readonly #steering: BudgetSteering;
  readonly #leaks: LeakDetector | undefined;
  readonly #snapshots: MemoryOptimizerOptions["heapSnapshots"];
  readonly #metrics: MemoryMetrics;
  readonly #observesGc: boolean;
  readonly #warnings: WarningLimiter;
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
    assertKnownKeys(options, MEMORY_OPTIMIZER_OPTIONS, context);
    this.#clock = options.clock ?? systemClock;
    this.limit = options.limit ?? effectiveLimit();
    this.budgetBytes = resolveBudget(options.budget, options.profile, this.limit);
    this.#warnings = new WarningLimiter({ clock: this.#clock });
    const settings = resolveSettings(options, context);
    this.#settings = settings;
    this.#steering = new BudgetSteering({
      budget: this.budgetBytes,
      growBelow: settings.steerTo * this.budgetBytes,
      shrinkAbove: settings.thresholds.critical * this.budgetBytes,
      growthUntilLearned: maxHeapGrowth(
        this.limit.source === "v8-heap-limit"
          ? this.limit.bytes
          : getHeapStatistics().heap_size_limit,
      ),
    });
    this.#pressure = new PressureTracker(
      settings.thresholds,
      settings.hysteresis,
      settings.levelHoldMs,
      settings.levelReleaseMs,
    );
    this.#sampler =
      options.sampler === undefined
        ? () => sampleMemory()
        : assertFunction<() => MemorySample>(options.sampler, { name: "sampler", context });
    this.#leaks =
      options.leakDetection === false ? undefined : new LeakDetector(options.leakDetection ?? {});
    this.#snapshots = options.heapSnapshots;
    this.#metrics = memoryMetrics(
      options.instrumentation ?? noopInstrumentation,
      this.budgetBytes,
      () => {
        for (const r of this.#registrations) {
          r.reclaimable.set(reclaimableBytes(r.reclaimer));
          r.inUse.set(inUseBytes(r.reclaimer));
        }
      },
    );
    this.#timers.push(this.#clock.setInterval(() => void this.sample(), settings.sampleIntervalMs));
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
      reclaimed: this.#metrics.reclaimed.bind(labels),
      reclaimable: this.#metrics.reclaimerBytes.bind({ ...labels, state: "reclaimable" }),
      inUse: this.#metrics.reclaimerBytes.bind({ ...labels, state: "in_use" }),
      steer: steered ? { resizable: reclaimer, minBytes } : undefined,
      capacity: steered ? this.#metrics.capacity.bind(labels) : undefined,
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
      this.#metrics.leak.set(status.suspected ? 1 : 0);
      this.emit("leak", status);
    }
    return this.#evaluate(after, true);
  }

  /**
   * Records that a minor GC just finished: the old generation in use now is close to the running GC
   * cycle's peak so far (the steering's measured peak and V8's growth read it). Only the old
   * generation counts: the young one holds the scavenge's survivors (5–12 MiB on the catalogue
   * workload), which the peaks count apart, at half the young generation's high. The GC observer
   * calls this; tests and custom GC sources may too.
   * @param sample - the heap read right after the GC, with its young generation (default: V8's
   *   heap spaces now)
   */
  recordMinorGc(sample?: Pick<MemorySample, "heapUsed" | "youngHeapUsed">): void {
    if (this.#closed) return;
    this.#live.notePeak(oldUsed(sample ?? heapSpaces()));
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
      estimatedBytes: reclaimableBytes(r.reclaimer),
      inUseBytes: inUseBytes(r.reclaimer),
      capacityBytes: r.capacityBytes,
    }));
    const reclaimable = reclaimers.reduce((sum, r) => sum + r.estimatedBytes, 0);
    const unreclaimable = this.#unreclaimable(this.#reading, reclaimable);
    return {
      budgetBytes: this.budgetBytes,
      limit: this.limit,
      level: this.#pressure.level,
      sample: this.#sample,
      live: this.#reading,
      ratio: this.#ratio,
      awaitingCollectionBytes: this.#awaitingCollection,
      reclaimableBytes: reclaimable,
      inUseBytes: reclaimers.reduce((sum, r) => sum + r.inUseBytes, 0),
      unreclaimableBytes: unreclaimable.live,
      unreclaimablePeakBytes: unreclaimable.peak,
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
      this.#warnings.flush();
    }
    return Promise.resolve();
  }

  /** Same as {@link MemoryOptimizer.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #evaluate(sample: MemorySample, fresh: boolean): Promise<ReclaimReport | undefined> {
    const now = this.#clock.now();
    const tracked = this.#trackedBytes();
    const reading = this.#live.read(now, sample, tracked);
    this.#sample = sample;
    this.#reading = reading;
    this.#ratio = reading.projectedPeak / this.budgetBytes;
    this.#metrics.used.heap.set(sample.heapUsed);
    this.#metrics.used.external.set(sample.external);
    this.#metrics.used.rss.set(sample.rss);
    this.#metrics.used.live.set(reading.heapLive + reading.externalLive);
    this.#metrics.used.projected.set(reading.projectedPeak);
    const unreclaimable = this.#unreclaimable(reading, tracked);
    this.#metrics.used.unreclaimable.set(unreclaimable.live);
    this.#metrics.used.unreclaimablePeak.set(unreclaimable.peak);
    const from = this.#pressure.level;
    const to = this.#pressure.update(now, this.#ratio, {
      majorGc: fresh,
      inUseRatio: (sample.heapUsed + sample.external) / this.budgetBytes,
    });
    if (to !== from) {
      this.#metrics.level.set(PRESSURE_LEVELS.indexOf(to));
      this.emit("level", { from, to, ratio: this.#ratio, sample });
    }
    this.#maybeSnapshot(sample);
    this.#steer(now, sample, reading, fresh);
    // Reclaims (from `high`) are for what steering does not hold: the reclaimers it does not steer.
    if (to === "normal" || to === "elevated" || this.#reclaiming !== undefined)
      return Promise.resolve(undefined);
    if (now - this.#lastReclaim < this.#settings.cooldownMs) return Promise.resolve(undefined);
    // What the last reclaim freed is garbage until the next major GC: let V8 collect it first.
    if (!this.#gcSinceReclaim && (this.#observesGc || reading.majorGcs > 0))
      return Promise.resolve(undefined);
    // Reclaims count external memory in use, not its churn: what pools give back cannot bring
    // dropped Buffers back.
    const overage =
      reading.heapLive - this.#heapTarget(reading, this.#settings.reclaimTo, reading.externalLive);
    if (overage <= 0) this.#warnChurn(reading);
    const unsteered = this.#registrations.some(
      (r) => r.steer === undefined && reclaimableBytes(r.reclaimer) > 0,
    );
    if (overage <= 0 || !unsteered) return Promise.resolve(undefined);
    return this.#startReclaim(overage, false);
  }

  /**
   * Live memory no reclaimer can give back, and the projected peak with every reclaimer empty (what
   * is reclaimable taken off at V8's current growth: the most giving it back could save).
   */
  #unreclaimable(
    reading: LiveMemoryReading | undefined,
    reclaimable: number,
  ): { live: number; peak: number } {
    if (reading === undefined) return { live: 0, peak: 0 };
    return {
      live: Math.max(0, reading.heapLive + reading.externalLive - reclaimable),
      peak: Math.max(0, reading.projectedPeak - reclaimable * reading.heapGrowth),
    };
  }

  /**
   * The live heap at which the projected peak is `fraction` of the budget, given `external` bytes
   * of external memory.
   */
  #heapTarget(reading: LiveMemoryReading, fraction: number, external: number): number {
    const room =
      fraction * this.budgetBytes -
      external -
      YOUNG_AT_OLD_PEAK * reading.youngPeak -
      reading.heapSlack;
    return room / reading.heapGrowth;
  }

  /** Steers the steered reclaimers' capacities on measured peaks (see `BudgetSteering`). */
  #steer(now: number, sample: MemorySample, reading: LiveMemoryReading, majorGc: boolean): void {
    const steered = this.#registrations.filter((r) => r.steer !== undefined);
    if (steered.length === 0) return;
    const holdings = steered.map((r) => ({
      rank: r.rank,
      bytes: reclaimableBytes(r.reclaimer),
      minBytes: r.steer?.minBytes ?? 0,
    }));
    const allowance = this.#steering.next({
      now,
      majorGc,
      held: holdings.reduce((sum, h) => sum + h.bytes, 0),
      inUse: sample.heapUsed + sample.external,
      old: oldUsed(sample),
      cyclePeak: reading.oldPeak,
      // A major GC ends a cycle whose peak may have come after the last reading.
      endedCyclePeak: majorGc ? this.#live.endedCyclePeak : 0,
      young: sample.youngHeapUsed ?? 0,
      external: sample.external,
      projectedPeak: reading.projectedPeak,
      heapLive: reading.heapLive,
      heapGrowth: reading.heapGrowth,
      heapSlack: reading.heapSlack,
      cycles: reading.cycles,
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
        this.#warnings.warn(
          "PERFLAYER_MEMORY_RECLAIMER",
          `MemoryOptimizer: resizing "${r.reclaimer.name}" to ${capacity} bytes failed: ${String(error)}.`,
          `resize:${r.reclaimer.name}`,
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
    for (const r of this.#registrations) bytes += reclaimableBytes(r.reclaimer);
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
    const run = await runReclaim(
      this.#registrations.filter((r) => steeredToo || r.steer === undefined),
      targetBytes,
      {
        clock: this.#clock,
        timeoutMs: this.#settings.reclaimTimeoutMs,
        warn: (message, name) =>
          this.#warnings.warn("PERFLAYER_MEMORY_RECLAIMER", message, `reclaimer:${name}`),
      },
    );
    this.#awaitingCollection += run.freedBytes;
    const report: ReclaimReport = { level: this.#pressure.level, ...run };
    this.emit("reclaim", report);
    return report;
  }

  #observeGc(): void {
    const observer = new PerformanceObserver((list) => {
      let major = false;
      for (const entry of list.getEntries()) {
        const kind = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } })
          .detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) major = true;
      }
      // After a minor GC the old generation in use is close to the cycle's peak so far; after a
      // major one it is the live set.
      if (major) void this.recordMajorGc();
      else this.recordMinorGc();
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
