export { ResponseOptimizer } from "./response-optimizer.js";
export type {
  CodelOptions,
  ResponseOptimizerOptions,
  ResponseSlo,
  ResponseStats,
  RunOptions,
  Task,
  TaskContext,
} from "./response-optimizer.js";
export { PRIORITY_VALUES, priorityLabel, priorityValue } from "./priority.js";
export type { Priority, PriorityName } from "./priority.js";
export { AimdLimit, GradientLimit } from "./limit-algorithm.js";
export type {
  AimdLimitOptions,
  GradientLimitOptions,
  LimitAlgorithm,
  LimitBounds,
} from "./limit-algorithm.js";
export type { TaskOutcome } from "./response-metrics.js";
export { retry } from "./retry.js";
export type { BackoffOptions, RetryOptions } from "./retry.js";
export { withTimeout } from "./with-timeout.js";
export type { WithTimeoutOptions } from "./with-timeout.js";
export { responseMiddleware, wrapHandler } from "./http-adapters.js";
export type { HttpAdapterOptions, RequestHandler } from "./http-adapters.js";
