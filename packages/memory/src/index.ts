export { MemoryOptimizer } from "./memory-optimizer.js";
export { DEFAULT_BUDGET_FRACTION } from "./memory-optimizer-options.js";
export type {
  BudgetFraction,
  HeapSnapshotOptions,
  MemoryOptimizerOptions,
  RegisterOptions,
} from "./memory-optimizer-options.js";
export type {
  LevelChange,
  MemoryOptimizerEvents,
  MemoryStatus,
  ReclaimPriority,
  ReclaimReport,
  ReclaimerOutcome,
  ReclaimerStatus,
} from "./memory-status.js";
export { LiveMemory } from "./live-memory.js";
export type { LiveMemoryOptions, LiveMemoryReading } from "./live-memory.js";
export { planReclaim } from "./reclaim-plan.js";
export type { PlanHolding } from "./reclaim-plan.js";
export {
  DEFAULT_THRESHOLDS,
  PRESSURE_LEVELS,
  PressureTracker,
  nextLevel,
} from "./pressure-level.js";
export type { LevelEvidence, PressureLevel, PressureThresholds } from "./pressure-level.js";
export { effectiveLimit, readPsi, sampleMemory } from "./memory-sample.js";
export type { EffectiveLimit, MemorySample } from "./memory-sample.js";
export { ObjectPool } from "./object-pool.js";
export type { AcquireOptions, Lease, ObjectPoolOptions } from "./object-pool.js";
export { BufferPool } from "./buffer-pool.js";
export type { BufferPoolOptions } from "./buffer-pool.js";
export { LeakDetector } from "./leak-detector.js";
export type { LeakDetectorOptions, LeakStatus } from "./leak-detector.js";
export { theilSenSlope } from "./theil-sen.js";
export { estimateSize } from "@perflayer/core";
