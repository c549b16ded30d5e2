import { PerflayerConfigError, assertNumber, formatExpected } from "@perflayer/core";
import type { Clock, EnvironmentProfile, Instrumentation } from "@perflayer/core";
import type { LeakDetectorOptions } from "./leak-detector.js";
import type { EffectiveLimit, MemorySample } from "./memory-sample.js";
import type { ReclaimPriority } from "./memory-status.js";
import { DEFAULT_THRESHOLDS } from "./pressure-level.js";
import type { PressureThresholds } from "./pressure-level.js";

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
  readonly steer?:
    | boolean
    | {
        /** The least capacity it is steered to, in bytes. @defaultValue 0 */
        readonly minBytes?: number;
      };
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

/**
 * The default budget as a share of the effective limit (the smaller of V8's heap limit and a real
 * cgroup limit): half, so a service on a 4 GiB heap gets 2 GiB, one in a 512 MiB container 256 MiB.
 */
export const DEFAULT_BUDGET_FRACTION: number = 0.5;

/** Options of {@link MemoryOptimizer}. */
export interface MemoryOptimizerOptions {
  /**
   * The budget: bytes, or `{ fraction }` of the effective limit (V8's heap limit, or a real cgroup
   * limit when smaller), for heap used + external memory including the garbage V8 lets pile up
   * between collections: levels compare the peak projected from live memory with it.
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
  /**
   * Where levels start, as fractions of the budget (compared with the projected peak).
   * @defaultValue `{ elevated: 0.7, high: 0.85, critical: 0.95 }`
   */
  readonly thresholds?: Partial<PressureThresholds>;
  /** How far below a threshold the projected peak must fall to leave its level. @defaultValue 0.05 */
  readonly hysteresis?: number;
  /**
   * How long a new level must be indicated, sample after sample, before it takes effect (hysteresis
   * in time). Steering does not wait for it: it moves on measured peaks (see `steerTo`).
   * @defaultValue 5_000
   */
  readonly levelHoldMs?: number;
  /**
   * How long a lower level must be indicated, sample after sample, before it takes effect: pressure
   * is left more slowly than it is entered, so a level entered while the heap swung high is not
   * left and re-entered GC cycle after GC cycle.
   * @defaultValue 6 × `levelHoldMs` (30_000)
   */
  readonly levelReleaseMs?: number;
  /**
   * Steered reclaimers (caches) grow while the heap + external peaks measured at their current
   * size stay below this fraction of the budget, and shrink when they go above
   * `thresholds.critical`; in between they hold. At most `thresholds.high`.
   * @defaultValue 0.8 (`thresholds.high` when that is lower)
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

/** The option names `MemoryOptimizer` knows. */
export const MEMORY_OPTIMIZER_OPTIONS: readonly string[] = [
  "budget",
  "profile",
  "clock",
  "instrumentation",
  "sampleIntervalMs",
  "thresholds",
  "hysteresis",
  "levelHoldMs",
  "levelReleaseMs",
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

/** Validated settings of a `MemoryOptimizer`, defaults applied. */
export interface MemorySettings {
  readonly thresholds: PressureThresholds;
  readonly hysteresis: number;
  readonly levelHoldMs: number;
  readonly levelReleaseMs: number;
  readonly steerTo: number;
  readonly reclaimTo: number;
  readonly cooldownMs: number;
  readonly reclaimTimeoutMs: number;
  readonly sampleIntervalMs: number;
}

/**
 * Validates the thresholds, fractions and timings of `MemoryOptimizerOptions`, in the house formula.
 * @param options - the options
 * @param context - where, for messages
 * @returns the settings with defaults
 */
export function resolveSettings(options: MemoryOptimizerOptions, context: string): MemorySettings {
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
  const levelHoldMs = assertNumber(options.levelHoldMs ?? 5_000, {
    name: "levelHoldMs",
    min: 0,
    fix: "Pass milliseconds, e.g. { levelHoldMs: 5_000 }, or 0 to change levels at once.",
    context,
  });
  return {
    thresholds,
    hysteresis: assertNumber(options.hysteresis ?? 0.05, {
      name: "hysteresis",
      min: 0,
      max: 0.5,
      context,
    }),
    levelHoldMs,
    levelReleaseMs: assertNumber(options.levelReleaseMs ?? 6 * levelHoldMs, {
      name: "levelReleaseMs",
      min: 0,
      fix: "Pass milliseconds, e.g. { levelReleaseMs: 30_000 }, or 0 to leave levels at once.",
      context,
    }),
    steerTo: assertNumber(options.steerTo ?? Math.min(0.8, thresholds.high), {
      name: "steerTo",
      min: 0,
      minExclusive: true,
      max: thresholds.high,
      fix: "Keep it below thresholds.high, where reclaims begin, e.g. { steerTo: 0.8 }.",
      context,
    }),
    reclaimTo: assertNumber(options.reclaimTo ?? 0.6, {
      name: "reclaimTo",
      min: 0,
      minExclusive: true,
      max: thresholds.elevated,
      fix: "Keep it below thresholds.elevated.",
      context,
    }),
    cooldownMs: assertNumber(options.cooldownMs ?? 5_000, { name: "cooldownMs", min: 0, context }),
    reclaimTimeoutMs: assertNumber(options.reclaimTimeoutMs ?? 1_000, {
      name: "reclaimTimeoutMs",
      min: 1,
      context,
    }),
    sampleIntervalMs: assertNumber(options.sampleIntervalMs ?? 1_000, {
      name: "sampleIntervalMs",
      min: 1,
      context,
    }),
  };
}

/**
 * The budget in bytes: given, a fraction of the limit, the profile's, or half the limit; never
 * above the limit.
 * @param budget - the option
 * @param profile - the environment profile, when passed
 * @param limit - the effective limit
 * @returns bytes
 */
export function resolveBudget(
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
