import type { LeakStatus } from "./leak-detector.js";
import type { LiveMemoryReading } from "./live-memory.js";
import type { EffectiveLimit, MemorySample } from "./memory-sample.js";
import type { PressureLevel } from "./pressure-level.js";

/** How much a reclaimer's memory matters: `low` is shed first. */
export type ReclaimPriority = "low" | "normal" | "high";

/** What one reclaimer gave back in a reclaim. */
export interface ReclaimerOutcome {
  /** The reclaimer's name. */
  readonly name: string;
  /** Bytes it could give back when the reclaim began (its `estimatedBytes()`). */
  readonly heldBytes: number;
  /** Bytes it was asked for: its share of the target. */
  readonly askedBytes: number;
  /** Bytes it reported freeing. */
  readonly bytes: number;
  /** `ok`, `error` (threw), `timeout` (exceeded the time box) or `skipped` (failed last time). */
  readonly outcome: "ok" | "error" | "timeout" | "skipped";
}

/** What the optimizer did in one reclaim. */
export interface ReclaimReport {
  /** The level that triggered it. */
  readonly level: PressureLevel;
  /** Bytes asked for: the overage of the live heap, bounded by what the reclaimers can give. */
  readonly targetBytes: number;
  /** Bytes the reclaimers could give back when it began. */
  readonly reclaimableBytes: number;
  /** Bytes the reclaimers reported freeing. */
  readonly freedBytes: number;
  /** What each reclaimer asked gave back, in the order asked (reclaimers holding nothing are not asked). */
  readonly reclaimers: readonly ReclaimerOutcome[];
}

/** A registered reclaimer in {@link MemoryStatus}. */
export interface ReclaimerStatus {
  /** The reclaimer's name. */
  readonly name: string;
  /** Its priority. */
  readonly priority: ReclaimPriority;
  /** What it could give back now (its `estimatedBytes()`). */
  readonly estimatedBytes: number;
  /** What it holds in use and cannot give back now (its `inUseBytes()`, 0 when it has none). */
  readonly inUseBytes: number;
  /** Its steered capacity, when the optimizer steers its size; otherwise undefined. */
  readonly capacityBytes: number | undefined;
}

/** A level change. */
export interface LevelChange {
  /** The previous level. */
  readonly from: PressureLevel;
  /** The new level. */
  readonly to: PressureLevel;
  /** Projected peak ÷ budget at the change. */
  readonly ratio: number;
  /** The sample that caused it. */
  readonly sample: MemorySample;
}

/** Events of `MemoryOptimizer`. */
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
  /** The last sample (heap in use includes garbage awaiting collection). */
  readonly sample: MemorySample | undefined;
  /** Live memory: the signal levels, steering and reclaims are decided on. */
  readonly live: LiveMemoryReading | undefined;
  /** Projected peak ÷ budget at the last sample. */
  readonly ratio: number;
  /** Bytes reclaims and steering freed since the last major GC: garbage V8 has yet to collect. */
  readonly awaitingCollectionBytes: number;
  /** What registered reclaimers could give back now, together. */
  readonly reclaimableBytes: number;
  /** What registered reclaimers hold in use (e.g. pooled buffers of live requests), together. */
  readonly inUseBytes: number;
  /**
   * Live memory (live heap + external in use) that no registered reclaimer can give back: the
   * service's own objects and the work in flight, pooled buffers lent out included. 0 before the
   * first sample.
   */
  readonly unreclaimableBytes: number;
  /**
   * The projected peak less what giving back everything reclaimable could save at most (each byte
   * at V8's current heap growth): the peak to expect with every reclaimer empty. When it is above
   * the budget, no reclaim and no cache size can hold the budget; the memory that makes it is the
   * service's own (`unreclaimableBytes`, and the garbage V8 lets it grow to). 0 before the first
   * sample.
   */
  readonly unreclaimablePeakBytes: number;
  /** Registered reclaimers and what each holds. */
  readonly reclaimers: readonly ReclaimerStatus[];
  /** Leak detection, when on. */
  readonly leak: LeakStatus | undefined;
}
