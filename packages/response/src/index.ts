export { ResponseOptimizer } from "./response-optimizer.js";
export type { DeadlineAwareOptions } from "./run-time-estimate.js";
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
export { AimdLimit } from "./aimd-limit.js";
export type { AimdLimitOptions } from "./aimd-limit.js";
export { GradientLimit } from "./gradient-limit.js";
export type { GradientLimitOptions } from "./gradient-limit.js";
export { VegasLimit } from "./vegas-limit.js";
export type { VegasLimitOptions } from "./vegas-limit.js";
export type { AdaptiveLimitOptions, LimitAlgorithm, LimitBounds } from "./limit-algorithm.js";
export type { TaskOutcome } from "./response-metrics.js";
export { retry } from "./retry.js";
export type { BackoffOptions, RetryOptions } from "./retry.js";
export { withTimeout } from "./with-timeout.js";
export type { WithTimeoutOptions } from "./with-timeout.js";
export { responseMiddleware, wrapHandler } from "./http-adapters.js";
export type { HttpAdapterOptions, RequestHandler } from "./http-adapters.js";
