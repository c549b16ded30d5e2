import type { Detector } from "../detector.js";
import { concurrencyLimiterDetector } from "./concurrency-limiter.js";
import { consoleTimeDetector } from "./console-time.js";
import { countersDetector } from "./counters.js";
import { cacheInvalidateDetector } from "./cache-invalidate.js";
import { keyedStoreDetector } from "./keyed-store.js";
import { singleSlotDetector } from "./single-slot.js";
import { debounceThrottleDetector } from "./debounce-throttle.js";
import { manualGcDetector } from "./manual-gc.js";
import { memoryPollingDetector } from "./memory-polling.js";
import { objectPoolDetector } from "./object-pool.js";
import { percentileMathDetector } from "./percentile-math.js";
import { promiseRaceTimeoutDetector } from "./promise-race-timeout.js";
import { retryLoopDetector } from "./retry-loop.js";
import { timerDetector } from "./timer.js";

/**
 * Every idiom detector, in precedence order: when two detections of one category overlap, the
 * earlier detector's wins (a memoize wrapper is not also reported as a map cache).
 */
export const DETECTORS: readonly Detector[] = Object.freeze([
  keyedStoreDetector,
  singleSlotDetector,
  cacheInvalidateDetector,
  objectPoolDetector,
  memoryPollingDetector,
  manualGcDetector,
  promiseRaceTimeoutDetector,
  retryLoopDetector,
  concurrencyLimiterDetector,
  debounceThrottleDetector,
  timerDetector,
  consoleTimeDetector,
  percentileMathDetector,
  countersDetector,
]);
