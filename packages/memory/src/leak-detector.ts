import { assertInteger, assertNumber, assertKnownKeys } from "@perflayer/core";
import { theilSenSlope } from "./theil-sen.js";

/** Options of the leak detector. */
export interface LeakDetectorOptions {
  /**
   * Heap floors (heap used right after a major GC) per evaluation window.
   * @defaultValue 8
   */
  readonly windowSize?: number;
  /**
   * Consecutive windows whose floor rises before a leak is suspected (one rising window is noise:
   * memwatch's "5 GCs in a row" rule proved too eager).
   * @defaultValue 3
   */
  readonly confirmWindows?: number;
  /**
   * Floor growth that counts as rising, in bytes per minute (Theil–Sen slope over a window).
   * @defaultValue 1_048_576 (1 MiB/min)
   */
  readonly minSlopeBytesPerMinute?: number;
  /**
   * Major GCs after which a `track()`ed object still alive is reported.
   * @defaultValue 3
   */
  readonly trackedAfterGcs?: number;
}

/** What the detector concluded. */
export interface LeakStatus {
  /** Whether the heap floor kept rising across `confirmWindows` windows. */
  readonly suspected: boolean;
  /** Theil–Sen slope of the last complete window, in bytes per minute. */
  readonly slopeBytesPerMinute: number;
  /** Consecutive rising windows so far. */
  readonly risingWindows: number;
  /** Heap floors recorded (most recent last, at most two windows). */
  readonly floors: readonly number[];
  /** Labels of tracked objects still alive after `trackedAfterGcs` major GCs. */
  readonly survivors: readonly string[];
}

interface Tracked {
  readonly ref: WeakRef<object>;
  readonly label: string;
  gcs: number;
}

const KNOWN: readonly string[] = [
  "windowSize",
  "confirmWindows",
  "minSlopeBytesPerMinute",
  "trackedAfterGcs",
];

/**
 * Finds leaks from heap floors: after each major GC the heap in use is the live set; a floor that
 * keeps rising over several windows (robust slope, not a single outlier) is a suspected leak, while
 * a sawtooth that returns to its floor is not.
 */
export class LeakDetector {
  readonly #windowSize: number;
  readonly #confirmWindows: number;
  readonly #minSlope: number;
  readonly #trackedAfter: number;
  readonly #times: number[] = [];
  readonly #floors: number[] = [];
  #sinceWindow = 0;
  #rising = 0;
  #slope = 0;
  readonly #tracked = new Set<Tracked>();
  readonly #survivors = new Set<string>();

  /** @param options - window, confirmation and slope threshold */
  constructor(options: LeakDetectorOptions = {}) {
    const context = "leakDetection";
    assertKnownKeys(options, KNOWN, context);
    this.#windowSize = assertInteger(options.windowSize ?? 8, {
      name: "windowSize",
      min: 3,
      context,
    });
    this.#confirmWindows = assertInteger(options.confirmWindows ?? 3, {
      name: "confirmWindows",
      min: 1,
      context,
    });
    this.#minSlope = assertNumber(options.minSlopeBytesPerMinute ?? 1_048_576, {
      name: "minSlopeBytesPerMinute",
      min: 0,
      context,
    });
    this.#trackedAfter = assertInteger(options.trackedAfterGcs ?? 3, {
      name: "trackedAfterGcs",
      min: 1,
      context,
    });
  }

  /**
   * Records the heap floor after a major GC.
   * @param atMs - monotonic time in milliseconds
   * @param heapUsed - heap in use right after the GC
   * @returns true when this floor changed the suspicion (raised or cleared it)
   */
  recordFloor(atMs: number, heapUsed: number): boolean {
    const before = this.suspected;
    this.#times.push(atMs);
    this.#floors.push(heapUsed);
    if (this.#floors.length > 2 * this.#windowSize) {
      this.#times.shift();
      this.#floors.shift();
    }
    if (++this.#sinceWindow >= this.#windowSize) {
      this.#sinceWindow = 0;
      const xs = this.#times.slice(-this.#windowSize).map((t) => t / 60_000);
      const ys = this.#floors.slice(-this.#windowSize);
      this.#slope = theilSenSlope(xs, ys);
      this.#rising = this.#slope > this.#minSlope ? this.#rising + 1 : 0;
    }
    for (const tracked of this.#tracked) {
      if (tracked.ref.deref() === undefined) {
        this.#tracked.delete(tracked);
      } else if (++tracked.gcs >= this.#trackedAfter) {
        this.#survivors.add(tracked.label);
        this.#tracked.delete(tracked);
      }
    }
    return before !== this.suspected;
  }

  /**
   * Watches an object expected to be freed soon; it is reported if still alive after
   * `trackedAfterGcs` major GCs. Holds it weakly.
   * @param object - the object
   * @param label - how to report it, e.g. `request 42 context`
   */
  track(object: object, label: string): void {
    this.#tracked.add({ ref: new WeakRef(object), label, gcs: 0 });
  }

  /** @returns whether a leak is suspected now */
  get suspected(): boolean {
    return this.#rising >= this.#confirmWindows;
  }

  /** @returns the detector's current figures */
  status(): LeakStatus {
    return {
      suspected: this.suspected,
      slopeBytesPerMinute: this.#slope,
      risingWindows: this.#rising,
      floors: [...this.#floors],
      survivors: [...this.#survivors],
    };
  }
}
