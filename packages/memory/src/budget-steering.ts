import { planReclaim } from "./reclaim-plan.js";
import type { PlanHolding } from "./reclaim-plan.js";

/** A steered reclaimer as the steering sees it. */
export interface SteeredHolding extends PlanHolding {
  /** The least capacity it is ever steered to. */
  readonly minBytes: number;
}

/** What a reading tells the steering. */
export interface SteeringReading {
  /** Whether the reading follows a major GC (the live set is known). */
  readonly fresh: boolean;
  /** Whether the projected peak is at `high` or above. */
  readonly urgent: boolean;
  /** Whether heap + external in use is over the budget now. */
  readonly over: boolean;
  /** The change below which nothing moves, in bytes. */
  readonly tolerance: number;
  /** Clock time of the reading (ms). */
  readonly now: number;
  /** The projected peak of this reading, in bytes. */
  readonly projectedPeak: number;
  /** Bytes of projected peak that count as a real change of conditions (e.g. 5 % of the budget). */
  readonly significant: number;
}

/** A shrink being judged: the allowance before it and the projected peak that asked for it. */
interface Trial {
  readonly from: number;
  readonly projectedPeak: number;
  readonly at: number;
  fresh: number;
}

/** A shrink that did not lower the projected peak: no shrinking below `allowance` under it. */
interface Knee {
  readonly allowance: number;
  readonly projectedPeak: number;
}

/**
 * The byte allowance of the steered reclaimers taken together. It moves when the live set is known
 * — right after a major GC: it grows halfway towards what the budget leaves them (an estimate that
 * is off by a factor then converges instead of overshooting) and shrinks to it at once, unless the
 * shrink is within a quarter of the allowance (the noise of an estimate made of differences: such a
 * shrink would swing a small cache to empty and back); changes within `tolerance` are ignored.
 * Under pressure (`urgent`: the projected peak at `high` or above) it shrinks at any reading, by at
 * most half while memory in use is still within the budget, and to the target at once when it is
 * over (`over`). The first steering sets it outright.
 *
 * **A shrink must pay for itself.** The projection counts what V8 and the service do now — the
 * growth V8 allows, the young generation, the garbage of each cache miss — as if they did not
 * depend on the cache's size; they do: a smaller cache misses more, every miss allocates, and on a
 * large heap V8 then lets the heap grow further (measured on the catalogue workload: a cache shrunk
 * towards empty projected a higher peak than one of 3,000 entries). So a shrink is judged before
 * the allowance moves again: once `judgeReadings` readings after major GCs and `judgeMs` have
 * passed (the projection has forgotten what preceded it), a projected peak that did not fall marks
 * the allowance before the shrink as a knee — the allowance goes back to it, and nothing shrinks
 * below it while the projected peak stays within `significant` of what it was then. Memory in use
 * over the budget under pressure shrinks to the target at once, whatever is judged, and forgets
 * the knee.
 */
export class BudgetSteering {
  readonly #judgeReadings: number;
  readonly #judgeMs: number;
  #allowance = Number.POSITIVE_INFINITY;
  #trial: Trial | undefined;
  #knee: Knee | undefined;

  /**
   * @param judgeReadings - readings after major GCs before a shrink is judged
   * @param judgeMs - time before a shrink is judged, in milliseconds
   */
  constructor(judgeReadings: number, judgeMs: number) {
    this.#judgeReadings = judgeReadings;
    this.#judgeMs = judgeMs;
  }

  /** @returns the allowance in force (`Infinity` before the first steering) */
  get allowance(): number {
    return this.#allowance;
  }

  /**
   * Moves the allowance towards what the budget leaves the steered reclaimers.
   * @param desired - bytes the budget leaves them now
   * @param when - the reading: after a major GC or not, pressing or not, over the budget or not
   * @returns the new allowance
   */
  next(desired: number, when: SteeringReading): number {
    const target = Math.max(0, desired);
    if (
      !Number.isFinite(this.#allowance) ||
      (when.urgent && when.over && target < this.#allowance)
    ) {
      this.#allowance = target;
      this.#trial = undefined;
      this.#knee = undefined;
      return target;
    }
    // One shrink at a time, and nothing moves while it is judged (a growth would blur the verdict).
    if (this.#judge(when)) return this.#allowance;
    const current = this.#allowance;
    const knee = this.#knee;
    if (knee !== undefined && when.projectedPeak > knee.projectedPeak + when.significant)
      this.#knee = undefined; // conditions changed: shrinking may pay again
    const floor = Math.min(current, this.#knee?.allowance ?? 0);
    let next = current;
    if (when.urgent && target < current) {
      next = Math.max(target, current / 2, floor);
    } else if (when.fresh && current - target > Math.max(when.tolerance, current / 4)) {
      next = Math.max(target, floor);
    } else if (when.fresh && target - current > when.tolerance) {
      next = current + (target - current) / 2;
    }
    if (next < current)
      this.#trial = { from: current, projectedPeak: when.projectedPeak, at: when.now, fresh: 0 };
    this.#allowance = next;
    return next;
  }

  /**
   * Judges the shrink in trial once enough has passed.
   * @returns whether a shrink is still being judged, or was just undone
   */
  #judge(when: SteeringReading): boolean {
    const trial = this.#trial;
    if (trial === undefined) return false;
    if (when.fresh) trial.fresh++;
    if (trial.fresh < this.#judgeReadings || when.now - trial.at < this.#judgeMs) return true;
    this.#trial = undefined;
    if (when.projectedPeak < trial.projectedPeak) return false; // it paid
    this.#knee = { allowance: trial.from, projectedPeak: when.projectedPeak };
    this.#allowance = Math.max(this.#allowance, trial.from);
    return true;
  }
}

/**
 * Splits an allowance into capacities. With room to spare, each holding keeps what it holds and
 * gets an equal share of the spare (so one that was emptied can grow again); short of room, the
 * shortfall is taken as a reclaim would be (`planReclaim`: lowest priority first, in proportion
 * within a priority). No capacity goes below its holding's `minBytes`.
 * @param allowance - bytes for all holdings together
 * @param holdings - what each holds, its priority rank and floor
 * @returns one capacity per holding, in order
 */
export function splitAllowance(allowance: number, holdings: readonly SteeredHolding[]): number[] {
  const held = holdings.reduce((sum, h) => sum + h.bytes, 0);
  let capacities: number[];
  if (allowance >= held) {
    const share = (allowance - held) / holdings.length;
    capacities = holdings.map((h) => h.bytes + share);
  } else {
    const takes = planReclaim(held - allowance, holdings);
    capacities = holdings.map((h, i) => h.bytes - (takes[i] as number));
  }
  return capacities.map((c, i) => Math.max(c, (holdings[i] as SteeredHolding).minBytes));
}
