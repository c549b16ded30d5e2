import { planReclaim } from "./reclaim-plan.js";
import type { PlanHolding } from "./reclaim-plan.js";

/** A steered reclaimer as the steering sees it. */
export interface SteeredHolding extends PlanHolding {
  /** The least capacity it is ever steered to. */
  readonly minBytes: number;
}

/**
 * The byte allowance of the steered reclaimers taken together. It moves when the live set is known
 * — right after a major GC: it grows halfway towards what the budget leaves them (an estimate that
 * is off by a factor then converges instead of overshooting) and shrinks to it at once, unless the
 * shrink is within a quarter of the allowance (the noise of an estimate made of differences: such a
 * shrink would swing a small cache to empty and back); changes within `tolerance` are ignored.
 * Under pressure (`urgent`: the projected peak at `high` or above) it shrinks at any reading, by at
 * most half at a time while memory in use is still within the budget (a projection that errs high
 * then costs half a cache, not all of it) and at once when it is over (`over`). The first steering
 * sets it outright.
 */
export class BudgetSteering {
  #allowance = Number.POSITIVE_INFINITY;

  /** @returns the allowance in force (`Infinity` before the first steering) */
  get allowance(): number {
    return this.#allowance;
  }

  /**
   * Moves the allowance towards what the budget leaves the steered reclaimers.
   * @param desired - bytes the budget leaves them now
   * @param when - whether the reading follows a major GC, whether the level is pressing, whether
   *   memory in use is over the budget now, and the change below which nothing moves
   * @returns the new allowance
   */
  next(
    desired: number,
    when: {
      readonly fresh: boolean;
      readonly urgent: boolean;
      readonly over: boolean;
      readonly tolerance: number;
    },
  ): number {
    const target = Math.max(0, desired);
    const current = this.#allowance;
    if (!Number.isFinite(current) || (when.urgent && when.over && target < current)) {
      this.#allowance = target;
    } else if (when.urgent && target < current) {
      this.#allowance = Math.max(target, current / 2);
    } else if (when.fresh && current - target > Math.max(when.tolerance, current / 4)) {
      this.#allowance = target;
    } else if (when.fresh && target - current > when.tolerance) {
      this.#allowance = current + (target - current) / 2;
    }
    return this.#allowance;
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
