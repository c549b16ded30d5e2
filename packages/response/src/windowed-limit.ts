import { assertInteger, assertNumber, invalid } from "@perflayer/core";
import type { AdaptiveLimitOptions } from "./limit-algorithm.js";

/** What one closed window of completed tasks saw. */
export interface RttWindow {
  /** How long it lasted, in ms. */
  readonly durationMs: number;
  /** Drops of tasks that started after the limit was last cut. */
  readonly drops: number;
  /** The short-term RTT: mean run time of the samples, in ms (`NaN` with none). */
  readonly shortRtt: number;
  /** The long-term RTT after this window, in ms (`NaN` until the first sample). */
  readonly longRtt: number;
  /** Most tasks in flight seen in the window. */
  readonly maxInflight: number;
}

/** While probing, the limit is held at this share of the tasks in flight. */
const PROBE_RATIO = 0.75;
/**
 * A probe whose RTT fell about in proportion to the tasks in flight (within this factor) found
 * queueing still, and is repeated at once, 1/4 lower.
 */
const STILL_QUEUEING = 1.05;
/** Probes run only while the short-term RTT exceeds the long-term one by this factor. */
const PROBE_ABOVE = 1.05;

/**
 * An algorithm's rule for a window without drops.
 * @param window - what the window saw
 * @param estimate - the (fractional) limit now
 * @returns the new estimate; the caller clamps it, and ignores growth while the limit is unused
 */
export type WindowRule = (window: RttWindow, estimate: number) => number;

/**
 * What the adaptive limits share: completed tasks become per-window latency signals, and once per
 * window the limit moves — by the back-off after drops, else by the algorithm's {@link WindowRule}.
 *
 * - The **short-term RTT** is the mean run time of a window of completed tasks.
 * - The **long-term RTT** stands for the backend's latency without queueing. It rises as a
 *   time-based exponential average, so latency that grows without queueing is followed, and falls
 *   at once to a lower short-term RTT (latency recovered).
 * - Holding a limit above capacity makes every RTT include queueing, which the average would
 *   absorb, letting the limit creep up (Gradient2's drift). So while queueing shows, every
 *   `probeIntervalMs` it **probes**: the limit is held at 3/4 of the tasks in flight for
 *   two windows (one to drain, one to measure) and the long-term RTT is set to what the second one
 *   saw. If that RTT fell in proportion to the tasks in flight, the probe's level still queued, and
 *   the probe repeats 1/4 lower. The first probe comes after the first window, since there is no
 *   long-term RTT yet; drops end a probe at once.
 * - The limit grows only while at least half of it is in flight (too little demand says nothing
 *   about the room above it); nothing stops it from shrinking. Drops of tasks that started before
 *   the last cut count no more.
 *
 * @internal
 */
export class WindowedLimit {
  readonly #rule: WindowRule;
  readonly #min: number;
  readonly #max: number;
  readonly #backoff: number;
  #estimate: number;
  readonly #windowMs: number;
  readonly #minSamples: number;
  readonly #longMs: number;
  readonly #probeIntervalMs: number;
  #start = Number.NaN;
  #sum = 0;
  #samples = 0;
  #drops = 0;
  #maxInflight = 0;
  #short = Number.NaN;
  #long = Number.NaN;
  #nextProbe = Number.NEGATIVE_INFINITY;
  #measured = false;
  /** What the probe holds 3/4 of: the tasks in flight when it started (or at the last repeat). */
  #probeBase = 0;
  /** The short-term RTT at that level. */
  #probeShort = 0;
  /** 0: not probing; 1: draining; 2: measuring. */
  #probe: 0 | 1 | 2 = 0;
  /** Drops of tasks that started before this time were caused by an older, higher limit. */
  #cutAt = Number.NEGATIVE_INFINITY;

  /**
   * @param options - bounds, windows, probes and back-off (defaults applied here)
   * @param context - where the options were passed, for error messages
   * @param rule - the algorithm's rule for a window without drops
   */
  constructor(options: AdaptiveLimitOptions, context: string, rule: WindowRule) {
    this.#rule = rule;
    this.#min = assertNumber(options.min ?? 1, { name: "min", min: 1, context });
    this.#max = assertNumber(options.max ?? 200, { name: "max", min: this.#min, context });
    this.#estimate = assertNumber(options.initial ?? Math.min(10, this.#max), {
      name: "initial",
      min: this.#min,
      max: this.#max,
      context,
    });
    this.#backoff = assertNumber(options.backoffRatio ?? 0.9, {
      name: "backoffRatio",
      min: 0.1,
      max: 0.99,
      fix: "Pass e.g. { backoffRatio: 0.9 }: the limit is multiplied by it after a window with drops.",
      context,
    });
    this.#windowMs = assertNumber(options.windowMs ?? 100, {
      name: "windowMs",
      min: 1,
      context,
    });
    this.#minSamples = assertInteger(options.minSamples ?? 10, {
      name: "minSamples",
      min: 1,
      context,
    });
    this.#longMs = assertNumber(options.longWindowMs ?? 30_000, {
      name: "longWindowMs",
      min: 1,
      context,
    });
    const probe = options.probeIntervalMs ?? 5_000;
    this.#probeIntervalMs =
      probe === Number.POSITIVE_INFINITY
        ? probe
        : assertNumber(probe, {
            name: "probeIntervalMs",
            min: 0,
            fix: "Pass e.g. { probeIntervalMs: 5_000 }, or Infinity to turn probes off.",
            context,
          });
  }

  /** @returns the multiplier applied after a window with drops */
  get backoffRatio(): number {
    return this.#backoff;
  }

  /**
   * The limit in force: the estimate's floor, or during a probe 3/4 of the estimate or of the tasks
   * that were in flight, whichever is lower (a limit above demand holds nothing back).
   * @returns a whole limit
   */
  get limit(): number {
    if (this.#probe === 0) return Math.floor(this.#estimate);
    return Math.floor(Math.max(this.#min, Math.min(this.#estimate, this.#probeBase) * PROBE_RATIO));
  }

  /**
   * Feeds one completed task; at the end of a window, moves the limit.
   * @param rttMs - its run time
   * @param inflight - tasks in flight when it completed
   * @param dropped - whether it was a drop
   * @param now - when it completed, in ms
   * @returns the limit in force
   */
  update(rttMs: number, inflight: number, dropped: boolean, now: number): number {
    const window = this.#add(rttMs, inflight, dropped, now);
    if (window !== undefined) this.#adjust(window, now);
    return this.limit;
  }

  #adjust(window: RttWindow, now: number): void {
    const estimate = this.#estimate;
    const next = window.drops > 0 ? estimate * this.#backoff : this.#rule(window, estimate);
    if (next > estimate && window.maxInflight < estimate / 2) return;
    this.#estimate = Math.max(this.#min, Math.min(this.#max, next));
    if (this.#estimate < estimate) this.#cutAt = now;
  }

  /**
   * Adds one completed task.
   * @returns the window's signals when this task closed a window the limit should move on (one
   *   with drops, or one outside a probe that does not start one), else `undefined`
   */
  #add(rttMs: number, inflight: number, dropped: boolean, now: number): RttWindow | undefined {
    if (!Number.isFinite(now) || !Number.isFinite(rttMs))
      throw invalid({
        name: "update(rttMs, inflight, dropped, now)",
        expected: "finite rttMs and now (ms)",
        got: [rttMs, now],
        fix: "Pass the task's run time and the clock's now(); ResponseOptimizer does.",
        context: "LimitAlgorithm",
      });
    if (Number.isNaN(this.#start)) this.#start = now;
    if (dropped) {
      if (now - rttMs < this.#cutAt) return undefined;
      this.#drops++;
    } else {
      this.#sum += rttMs;
      this.#samples++;
    }
    if (inflight > this.#maxInflight) this.#maxInflight = inflight;
    const elapsed = now - this.#start;
    const shortest = Number.isNaN(this.#short)
      ? this.#windowMs
      : Math.max(this.#windowMs, 2 * this.#short);
    if (elapsed < shortest || this.#samples + this.#drops < this.#minSamples) return undefined;
    return this.#close(now, elapsed);
  }

  #close(now: number, elapsed: number): RttWindow | undefined {
    const short = this.#samples === 0 ? Number.NaN : this.#sum / this.#samples;
    const probed = this.#probe !== 0;
    let reprobe = false;
    if (!Number.isNaN(short)) {
      this.#short = short;
      if (this.#probe === 2) {
        // Queueing makes the RTT proportional to the tasks in flight; without it, it stays put.
        reprobe =
          this.#maxInflight > 1 &&
          this.#maxInflight < this.#probeBase &&
          short <= this.#probeShort * (this.#maxInflight / this.#probeBase) * STILL_QUEUEING;
        this.#long = short;
      } else if (Number.isNaN(this.#long) || short < this.#long) this.#long = short;
      else this.#long += (short - this.#long) * (1 - Math.exp(-elapsed / this.#longMs));
    }
    if (this.#drops > 0) {
      // Drops come first: a probe gives way, so the algorithm can back off at once.
      if (probed) this.#nextProbe = now + this.#probeIntervalMs;
      this.#probe = 0;
    } else if (this.#probe === 2) {
      this.#measured = true;
      if (reprobe) {
        // Latency fell with the tasks in flight: the probe's level still queued. Probe lower.
        this.#probe = 1;
        this.#probeBase = this.#maxInflight;
        this.#probeShort = short;
      } else {
        this.#probe = 0;
        this.#nextProbe = now + this.#probeIntervalMs;
      }
    } else if (this.#probe === 1) this.#probe = 2;
    else if (
      now >= this.#nextProbe &&
      this.#probeIntervalMs !== Number.POSITIVE_INFINITY &&
      !Number.isNaN(short) &&
      (!this.#measured || short > this.#long * PROBE_ABOVE)
    ) {
      this.#probe = 1;
      this.#probeBase = this.#maxInflight;
      this.#probeShort = short;
    }
    const window: RttWindow = {
      durationMs: elapsed,
      drops: this.#drops,
      shortRtt: short,
      longRtt: this.#long,
      maxInflight: this.#maxInflight,
    };
    this.#start = now;
    this.#sum = 0;
    this.#samples = 0;
    this.#drops = 0;
    this.#maxInflight = 0;
    return window.drops > 0 || (!probed && this.#probe === 0) ? window : undefined;
  }
}
