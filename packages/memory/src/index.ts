export { DEFAULT_BUDGET_FRACTION, MemoryOptimizer } from "./memory-optimizer.js";
export type {
  BudgetFraction,
  HeapSnapshotOptions,
  LevelChange,
  MemoryOptimizerEvents,
  MemoryOptimizerOptions,
  MemoryStatus,
  ReclaimPriority,
  ReclaimReport,
  ReclaimerOutcome,
  ReclaimerStatus,
  RegisterOptions,
} from "./memory-optimizer.js";
export { DEFAULT_THRESHOLDS, PRESSURE_LEVELS, nextLevel } from "./pressure-level.js";
export type { PressureLevel, PressureThresholds } from "./pressure-level.js";
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
