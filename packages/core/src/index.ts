export type { Clock, TimerHandle, TimerOptions } from "./clock.js";
export { MAX_TIMER_DELAY_MS, systemClock } from "./clock.js";
export type { Deadline, DeadlineRule } from "./deadline.js";
export { resolveDeadline } from "./deadline.js";
export type { WarningLimiterOptions } from "./warning-limiter.js";
export { WarningLimiter } from "./warning-limiter.js";
export type { ManualClockOptions } from "./manual-clock.js";
export { ManualClock } from "./manual-clock.js";
export type {
  Counter,
  CounterHandle,
  CounterOptions,
  Gauge,
  GaugeHandle,
  GaugeOptions,
  Histogram,
  HistogramHandle,
  HistogramOptions,
  Instrumentation,
  LabelValues,
  MetricOptions,
} from "./instrumentation.js";
export { DEFAULT_DURATION_BUCKETS, isRecording, noopInstrumentation } from "./instrumentation.js";
export type { EstimateSizeOptions } from "./estimate-size.js";
export { estimateSize } from "./estimate-size.js";
export { RecordingInstrumentation } from "./recording-instrumentation.js";
export { raceSignal } from "./race-signal.js";
export type { Reclaimer, Resizable } from "./reclaimer.js";
export { isResizable } from "./reclaimer.js";
export type { Closeable } from "./closeable.js";
export { closeAll } from "./closeable.js";
export type { EnvironmentMap, EnvironmentProfile, ProfileName } from "./environment-profile.js";
export { PROFILE_DEFAULTS, detectProfile } from "./environment-profile.js";
export type { PerflayerErrorCode, PerflayerErrorOptions } from "./perflayer-error.js";
export {
  AbortError,
  OverloadError,
  PerflayerConfigError,
  PerflayerError,
  TimeoutError,
  abortReason,
  throwIfAborted,
} from "./perflayer-error.js";
export type { ExpectedMessage, NumberRule } from "./validation.js";
export {
  assertAbortSignal,
  assertFunction,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  assertOneOf,
  describeValue,
  formatExpected,
  invalid,
} from "./validation.js";
