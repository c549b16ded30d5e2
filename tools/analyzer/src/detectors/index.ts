import type { Detector } from "../detector.js";
import { consoleTimeDetector } from "./console-time.js";
import { concurrencyDetector } from "./concurrency.js";
import { countersDetector } from "./counters.js";
import { dedupDetector } from "./dedup.js";
import { cacheInvalidateDetector } from "./cache-invalidate.js";
import { keyedStoreDetector } from "./keyed-store.js";
import { getOrInsertHelpersDetector } from "./get-or-insert-helpers.js";
import { memberReadThroughDetector } from "./member-read-through.js";
import { batchReadThroughDetector } from "./batch-read-through.js";
import { splitFlowDetector } from "./split-flow.js";
import { singleSlotDetector } from "./single-slot.js";
import { keptPromiseDetector } from "./kept-promise.js";
import { manualGcDetector } from "./manual-gc.js";
import { memoryPollingDetector } from "./memory-polling.js";
import { objectPoolDetector } from "./object-pool.js";
import { percentileMathDetector } from "./percentile-math.js";
import { retryDetector } from "./retry.js";
import { sampleWindowDetector } from "./sample-window.js";
import { sizeAccountingDetector } from "./size-accounting.js";
import { throttleDetector } from "./throttle.js";
import { timeoutDetector } from "./timeout.js";
import { timerDetector } from "./timer.js";
import { timeBucketsDetector } from "./time-buckets.js";

/**
 * Every idiom detector, in precedence order: when two detections of one category overlap, the
 * earlier detector's wins (a memoize wrapper is not also reported as a map cache).
 */
export const DETECTORS: readonly Detector[] = Object.freeze([
  // Before keyed-store, whose kinds then keep their rank (see get-or-insert-helpers below).
  memberReadThroughDetector,
  batchReadThroughDetector,
  keyedStoreDetector,
  // After keyed-store: a flow found whole in one function is not reported again in halves.
  splitFlowDetector,
  // Before single-slot: precedence is by kind (the last detector reporting one sets its rank).
  getOrInsertHelpersDetector,
  // Before single-slot, which then keeps `promise-cache`'s rank.
  keptPromiseDetector,
  singleSlotDetector,
  cacheInvalidateDetector,
  objectPoolDetector,
  sizeAccountingDetector,
  memoryPollingDetector,
  manualGcDetector,
  timeoutDetector,
  retryDetector,
  dedupDetector,
  concurrencyDetector,
  throttleDetector,
  timerDetector,
  consoleTimeDetector,
  percentileMathDetector,
  sampleWindowDetector,
  // Beside sample-window: `rolling-window` keeps its rank (the last detector of a kind sets it).
  timeBucketsDetector,
  countersDetector,
]);
