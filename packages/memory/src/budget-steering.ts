import { MAX_HEAP_GROWTH, YOUNG_AT_OLD_PEAK } from "./live-memory.js";
import { planReclaim } from "./reclaim-plan.js";
import type { PlanHolding } from "./reclaim-plan.js";
import { theilSenSlope } from "./theil-sen.js";

/** A steered reclaimer as the steering sees it. */
export interface SteeredHolding extends PlanHolding {
  /** The least capacity it is ever steered to. */
  readonly minBytes: number;
}

/** What the steering reads at each sample or major GC, in bytes. */
export interface SteeringReading {
  /** Clock time (ms). */
  readonly now: number;
  /** Whether a major GC has just finished. */
  readonly majorGc: boolean;
  /** What the steered reclaimers hold now. */
  readonly held: number;
  /** Heap + external memory in use now (garbage included). */
  readonly inUse: number;
  /** The old generation in use now. */
  readonly old: number;
  /**
   * The old generation's highest use so far in the running GC cycle (read after minor GCs too):
   * counted only when that cycle began at a major GC the steering saw while measuring.
   */
  readonly cyclePeak: number;
  /** At a major GC: the old generation's highest use in the cycle it ended (else 0). */
  readonly endedCyclePeak: number;
  /** The young generation in use now. */
  readonly young: number;
  /** External memory in use now. */
  readonly external: number;
  /**
   * The peak projected now (`LiveMemoryReading.projectedPeak`, which the level comes from): the
   * live heap at the largest growth V8 showed over the last GC cycles. Growth aims below it too.
   */
  readonly projectedPeak: number;
  /** The live heap the projection counts (`LiveMemoryReading.heapLive`). */
  readonly heapLive: number;
  /** V8's growth the projection counts (`LiveMemoryReading.heapGrowth`: the largest of late). */
  readonly heapGrowth: number;
  /** The slack the projection counts beyond that growth (`LiveMemoryReading.heapSlack`). */
  readonly heapSlack: number;
  /** GC cycles of the process completed so far (`LiveMemoryReading.cycles`). */
  readonly cycles: number;
}

/** One completed measurement: what the steered reclaimers held at its end and the peak measured. */
interface CostPoint {
  readonly held: number;
  readonly peak: number;
}

/** The limits the steering keeps measured peaks between, in bytes, and how long it measures. */
export interface SteeringLimits {
  /** The budget: heap + external in use above it shrinks at once. */
  readonly budget: number;
  /**
   * The band's lower edge (`steerTo`): the first allowance is the headroom below it ÷ V8's largest
   * growth, and growth and shrinks aim mid-band, halfway from it to `shrinkAbove`.
   */
  readonly growBelow: number;
  /** Shrink when the measured peak goes above this. */
  readonly shrinkAbove: number;
  /**
   * What a byte held is assumed to add to the peak until the cost is learned: V8's largest heap
   * growing factor for this heap (`maxHeapGrowth`: 4 on a heap of 2 GiB and more, 1.3 at 256 MiB).
   * The first allowance and growth steps divide the headroom by it.
   * @defaultValue 4
   */
  readonly growthUntilLearned?: number;
}

/** GC cycles after which growth steps no longer assume V8's largest growth (`#largestGrowthPeak`). */
const GUARD_CYCLES = 10;
/** Major GCs (whole GC cycles) measured at one allowance before it moves. */
const STEER_WINDOW_GCS = 2;
/** Least time measured at one allowance before it moves, in milliseconds. */
const STEER_WINDOW_MS = 5_000;
/** When major GCs are rarer, the allowance moves on this much time of samples alone (ms). */
const STEER_WINDOW_MAX_MS = 30_000;
/** The most one step shrinks the allowance by: a quarter. */
const MAX_SHRINK = 0.25;
/**
 * Holdings measured before the cost of a byte is learned: three, so that the median of the pairwise
 * slopes can outvote one measurement the peaks' noise moved. From two, one slope is all there is:
 * on the catalogue workload with a pool, external memory falling by 12 MiB between two measurements
 * (lru-cache's start-up reservation collected) read as a byte held costing nothing (1, the clamp),
 * and the next growth step doubled the cache into a peak of 124 MiB of 96.
 */
const COST_MIN_POINTS = 3;
/** Holdings (each with its latest measured peak) the cost of a byte is learned from. */
const COST_POINTS = 5;
/**
 * Two measurements teach the cost only when what the reclaimers held differs by at least this share
 * of the budget between them: a smaller change drowns in the peaks' noise from cycle to cycle.
 */
const COST_MIN_DELTA = 1 / 64;

/**
 * The byte allowance of the steered reclaimers taken together, steered on **measured peaks**, not
 * on a model of V8. Each allowance is measured: from the first major GC after it was set (which
 * collects what a shrink freed), the highest heap + external reached — the old generation's peak
 * in each GC cycle plus the highest young generation and external memory, all as read at this
 * allowance — over at least `STEER_WINDOW_GCS` whole GC cycles and `STEER_WINDOW_MS`. The old
 * generation's peak is the steering's own: the readings since the measurement began, and a GC
 * cycle's peak only for cycles that began after it (a peak from before is not measured again). Then:
 *
 * - measured peak below mid-band (halfway from `growBelow` to `shrinkAbove`): grow to what the
 *   reclaimers hold plus the headroom below mid-band ÷ the cost of a byte (until it is learned,
 *   V8's largest heap growth for the heap — 4 on a large one, 1.3 at 256 MiB —: a byte of cache
 *   costs at most that many bytes of peak), at most doubling what they hold (or by 1/32 of the
 *   budget when they hold less), and only when the peaks measured over the last 30 s (and readings
 *   over the budget) were below mid-band too, and the projected peak now and as read at the major GC
 *   before the latest (one GC cycle that read V8's growth low is no room); over the process's first
 *   ten GC cycles, until a measured peak reached `growBelow`, also never past what a GC cycle at
 *   V8's largest growth for the heap would put above mid-band (see `#largestGrowthPeak`);
 * - above `shrinkAbove`: shrink what they hold by the excess over mid-band ÷ the cost — until it
 *   is learned, by the overage of the measured or the projected peak (the higher) over
 *   `shrinkAbove` ÷ V8's largest growth for the heap —, at most a quarter;
 * - between: hold.
 *
 * The measured peak counts the young generation at half its high (see `YOUNG_AT_OLD_PEAK`).
 *
 * Without major GCs, a measurement begins and ends after `STEER_WINDOW_MAX_MS` each.
 * Every decision starts a new measurement. Heap + external in use above the budget shrinks by a
 * quarter at once, at most once per major GC (what a shrink freed is garbage until then). What a
 * shrink costs (a smaller cache misses more and allocates more; V8 may grow the heap faster) shows
 * in the next measurement instead of being assumed away. The first reading sets the allowance to
 * the headroom below `growBelow` ÷ V8's largest growth with the rest of the old generation counted
 * at that growth too (see `#firstAllowance`), whatever the reclaimers hold then: the caches grow
 * from below, by measurement. (Keeping what a warm cache held at the first reading, before V8's growth could be
 * measured, overshot the budget on the catalogue workload: peaks of 162–169 MiB of 96, 20–22 % of
 * samples over, against 99 MiB and 0 % when growing from below.)
 */
export class BudgetSteering {
  readonly #limits: SteeringLimits;
  #allowance = Number.POSITIVE_INFINITY;
  /** Whether the measurement of the current allowance has begun (the first major GC after it). */
  #measuring = false;
  #since = 0;
  #gcs = 0;
  #oldPeak = 0;
  /** When the running GC cycle began (the last major GC seen), or -Infinity before the first. */
  #cycleBegan = Number.NEGATIVE_INFINITY;
  #youngPeak = 0;
  #externalPeak = 0;
  #inUsePeak = 0;
  #gcSinceShrink = true;
  /** The latest completed measurement at each of the last few holdings (see `#learn`). */
  #points: CostPoint[] = [];
  /** Measurements completed over the last `STEER_WINDOW_MAX_MS`: when, and the peak measured. */
  #recent: { readonly at: number; readonly peak: number }[] = [];
  /** The projected peak as read at the latest major GC, and at the one before it. */
  #gcProjected = 0;
  #gcProjectedBefore = 0;
  /** The largest slack V8 added beyond its growth factor in any GC cycle read so far. */
  #slackSeen = 0;
  /** Whether a measured peak has come near the budget (see `#largestGrowthPeak`). */
  #nearBudget = false;
  readonly #growth: number;

  /** @param limits - the budget and the band measured peaks are kept in */
  constructor(limits: SteeringLimits) {
    this.#limits = limits;
    this.#growth = Math.min(
      MAX_HEAP_GROWTH,
      Math.max(1, limits.growthUntilLearned ?? MAX_HEAP_GROWTH),
    );
  }

  /** @returns the allowance in force (`Infinity` before the first reading) */
  get allowance(): number {
    return this.#allowance;
  }

  /** @returns the peak measured so far at the current allowance (0 until its measurement began) */
  get measuredPeak(): number {
    if (!this.#measuring) return 0;
    return Math.max(
      this.#inUsePeak,
      this.#oldPeak + YOUNG_AT_OLD_PEAK * this.#youngPeak + this.#externalPeak,
    );
  }

  /**
   * The peak cost of a byte the steered reclaimers hold, learned from completed measurements: the
   * Theil–Sen slope of measured peak over what they held, across the last few holdings at least
   * 1/64 of the budget apart (the latest measurement at each), within [1, 4] (V8's largest heap
   * growth). The median of pairwise slopes outvotes one measurement that caught garbage, and a
   * steady allowance keeps what the steps before it taught.
   * @returns the cost, or undefined until three holdings far enough apart were measured
   */
  get peakPerByte(): number | undefined {
    const points = this.#points;
    if (points.length < COST_MIN_POINTS) return undefined;
    const slope = theilSenSlope(
      points.map((p) => p.held),
      points.map((p) => p.peak),
    );
    return Math.min(MAX_HEAP_GROWTH, Math.max(1, slope));
  }

  /**
   * Takes a reading and moves the allowance when its measurement is complete.
   * @param reading - memory now and what the steered reclaimers hold
   * @returns the allowance in force
   */
  next(reading: SteeringReading): number {
    const { budget, growBelow, shrinkAbove } = this.#limits;
    const endedCycleBegan = this.#cycleBegan;
    if (reading.majorGc) {
      this.#gcSinceShrink = true;
      this.#cycleBegan = reading.now;
      this.#gcProjectedBefore = this.#gcProjected;
      this.#gcProjected = reading.projectedPeak;
      this.#slackSeen = Math.max(this.#slackSeen, reading.heapSlack);
    }
    if (!Number.isFinite(this.#allowance)) return this.#set(reading, this.#firstAllowance(reading));
    const base = Math.min(this.#allowance, reading.held);
    if (reading.inUse > budget && this.#gcSinceShrink) {
      this.#gcSinceShrink = false;
      // Over the budget is a peak the growth look-back must see, as a measured one: on the bursty
      // workload below, measurements between bursts grew the cache back after each such shrink.
      this.#recent.push({ at: reading.now, peak: reading.inUse });
      return this.#set(reading, base * (1 - MAX_SHRINK));
    }
    this.#measure(reading, endedCycleBegan);
    if (!this.#complete(reading.now)) return this.#allowance;
    const peak = this.measuredPeak;
    if (peak >= growBelow) this.#nearBudget = true;
    this.#learn({ held: reading.held, peak });
    // Growth looks back over the measurements of the last STEER_WINDOW_MAX_MS: one that fell between
    // two bursts of a service's own memory (a report every 15 s) does not grow the caches into the
    // next burst.
    this.#recent = this.#recent.filter((m) => m.at > reading.now - STEER_WINDOW_MAX_MS);
    // And the projected peak: a measurement of two GC cycles in which V8 happened to grow the heap
    // less than it did in the cycles before (3.2× against 4× and a 10 MiB step, on the catalogue
    // workload with a pool) read as room, the next step took the cache to a peak over the budget,
    // the level walked up to `critical` and the shrinks after it took the cache below where it
    // started. Aiming the projection — the level's signal — at mid-band keeps the level at `high`.
    // A growth step takes the larger of the projections at the last two major GCs: one GC cycle
    // in which V8 grew the heap less (the first cycle, 4× from a small floor, leaving the three
    // remembered: 4 read as 2.3, 86 MiB as 54 at 9 s on the catalogue workload with a pool) is
    // no room until the next GC cycle agrees (see README, "Budget-steered sizes").
    const lookback = Math.max(
      peak,
      reading.projectedPeak,
      this.#gcProjectedBefore,
      ...this.#recent.map((m) => m.peak),
    );
    this.#recent.push({ at: reading.now, peak });
    // Until the cost of a byte is learned, a growth step assumes the most (V8's largest growth for
    // this heap), and so does a shrink, which then takes only the overage over `shrinkAbove`.
    const cost = this.peakPerByte;
    // Steps aim mid-band: a shrink takes back only what puts the peak inside the band (not all
    // the way down to growBelow, which left room unused: a peak between growBelow and mid-band
    // was held there), and a growth step lands there at the learned cost (short of it at 4).
    const settle = (growBelow + shrinkAbove) / 2;
    if (peak > shrinkAbove) {
      this.#gcSinceShrink = false;
      // Until the cost is learned, a shrink takes the overage over `shrinkAbove` at V8's largest
      // growth for the heap — what a byte held adds to the peak at most — not the excess over
      // mid-band byte for byte: that is at least (shrinkAbove − mid-band) of peak (7.2 MiB of 96),
      // more than a quarter of any cache under 4× that, so the quarter cap decided the first
      // shrink of every traced catalogue run (see README, "Budget-steered sizes").
      // The overage is read off the higher of the measured peak and the projected peak (the
      // level's signal: the live heap at V8's largest growth of late), as growth steps read room:
      // off the measured peak alone, the shrink after an early growth step on the catalogue
      // workload (traced: 17.9 MiB held, the projection at 121 MiB) took 2.8 MiB where the
      // projection asked for the quarter, and the next GC cycle, at 4×, peaked at 121 MiB of 96.
      const over = Math.max(peak, reading.projectedPeak);
      const excess =
        cost === undefined ? (over - shrinkAbove) / this.#growth : (peak - settle) / cost;
      return this.#set(reading, base - Math.min(MAX_SHRINK * base, excess));
    }
    // And the peak a GC cycle at V8's largest growth for the heap would reach on the live heap
    // now (see `#largestGrowthPeak`): a growth step never takes the caches past what such a cycle
    // would put above mid-band, whatever growth V8 showed of late.
    const largest = this.#largestGrowthPeak(reading);
    if (Math.max(lookback, largest ?? 0) < settle) {
      const step = Math.min(
        (settle - lookback) / (cost ?? this.#growth),
        largest === undefined ? Number.POSITIVE_INFINITY : (settle - largest) / this.#growth,
        Math.max(reading.held, budget / 32),
      );
      return this.#set(reading, Math.max(this.#allowance, reading.held + step));
    }
    return this.#set(reading, this.#allowance);
  }

  /**
   * The allowance at the first reading, before any peak was measured: the headroom below
   * `growBelow` ÷ V8's largest growth, where the heap the reclaimers do not hold counts at that
   * growth too — it is live, and V8 grows the old generation over all of it, not only over the
   * caches. Counted once (as heap + external in use), it left the first allowance 1.5× too large on
   * the bursty workload once `@perflayer/cache` stopped reserving ~26 MiB of slot arrays for `max:
   * 1e6` at construction: that reservation, in use at the first reading and given back by the first
   * resize, was what had kept it small (traced: 21 MiB instead of 15 MiB, the cache full by the end
   * of the first burst, V8's next limit set over that live set and a peak of 246 MiB of 128). At
   * least `budget / 32` (a growth step's least) and never more than the headroom ÷ the growth.
   */
  #firstAllowance(reading: SteeringReading): number {
    const { budget, growBelow } = this.#limits;
    const headroom = Math.max(0, growBelow - reading.inUse) / this.#growth;
    // The old generation beyond what the reclaimers hold, and the young one at half (as peaks
    // count it), grow by V8's factor; external memory does not.
    const others = Math.max(0, reading.old - reading.held);
    const fixed = reading.external + YOUNG_AT_OLD_PEAK * reading.young;
    const counted = Math.max(0, growBelow - fixed) / this.#growth - others;
    return Math.min(headroom, Math.max(budget / 32, counted));
  }

  /**
   * The early growth step's guard: the projected peak with the live heap at V8's largest growth
   * for the heap (`growthUntilLearned`: 4 on a heap of 2 GiB and more) where V8 showed less of
   * late, plus the largest slack V8 added in any GC cycle read so far. V8 grows the heap by a
   * factor it chooses per GC cycle (on the catalogue workload ~1.5–2.9× or ~4×, switching within
   * a run), so a run of small factors is no room: on the catalogue workload with a pool, V8
   * collected every 2–3 s at 28–40 MiB from 3.6–5.3 s (growth read 1.9–2.9), the projection fell
   * to 47–68 MiB, a growth step took the cache from ~11 to 15.6–20 MiB at 15.6–17.3 s, and V8,
   * back at 4× over the larger live set, took the peak to 102–127 MiB of 96. Only over the
   * process's first `GUARD_CYCLES` GC cycles and until a measured peak reached `growBelow` (V8's
   * growth then read at a heap near the budget); before the steering saw a major GC, none.
   * @returns the peak, or undefined when the guard is off
   */
  #largestGrowthPeak(reading: SteeringReading): number | undefined {
    if (!Number.isFinite(this.#cycleBegan) || this.#nearBudget || reading.cycles > GUARD_CYCLES)
      return undefined;
    const growth = Math.max(0, this.#growth - reading.heapGrowth);
    const slack = Math.max(0, this.#slackSeen - reading.heapSlack);
    return reading.projectedPeak + reading.heapLive * growth + slack;
  }

  /**
   * Keeps a completed measurement for learning the cost of a byte (see `peakPerByte`): it replaces
   * those at a holding less than 1/64 of the budget away, and the last few holdings are kept.
   */
  #learn(point: CostPoint): void {
    const minDelta = COST_MIN_DELTA * this.#limits.budget;
    const kept = this.#points.filter((p) => Math.abs(p.held - point.held) >= minDelta);
    kept.push(point);
    this.#points = kept.slice(-COST_POINTS);
  }

  /**
   * Adds a reading to the measurement (or begins it).
   * @param reading - memory now
   * @param endedCycleBegan - when the GC cycle a major GC in this reading ended had begun
   */
  #measure(reading: SteeringReading, endedCycleBegan: number): void {
    if (reading.majorGc || (!this.#measuring && reading.now - this.#since >= STEER_WINDOW_MAX_MS)) {
      if (!this.#measuring) {
        // The first major GC at this allowance: what was freed before it is collected now (or,
        // when major GCs are that rare, STEER_WINDOW_MAX_MS without one).
        this.#measuring = true;
        this.#since = reading.now;
        this.#oldPeak = this.#youngPeak = this.#externalPeak = this.#inUsePeak = 0;
        return;
      }
      this.#gcs++;
    }
    if (!this.#measuring) return;
    // A GC cycle's peak counts only when the cycle began inside this measurement; before the
    // first major GC in it, the old generation as read now.
    if (reading.majorGc && endedCycleBegan >= this.#since)
      this.#oldPeak = Math.max(this.#oldPeak, reading.endedCyclePeak);
    const cycleMeasured = this.#cycleBegan >= this.#since;
    this.#oldPeak = Math.max(this.#oldPeak, cycleMeasured ? reading.cyclePeak : reading.old);
    this.#youngPeak = Math.max(this.#youngPeak, reading.young);
    this.#externalPeak = Math.max(this.#externalPeak, reading.external);
    this.#inUsePeak = Math.max(this.#inUsePeak, reading.inUse);
  }

  #complete(now: number): boolean {
    if (!this.#measuring) return false;
    const elapsed = now - this.#since;
    return (
      (this.#gcs >= STEER_WINDOW_GCS && elapsed >= STEER_WINDOW_MS) ||
      elapsed >= STEER_WINDOW_MAX_MS
    );
  }

  /** Sets the allowance and starts measuring it afresh at the next major GC. */
  #set(reading: SteeringReading, allowance: number): number {
    this.#allowance = Math.max(0, allowance);
    this.#measuring = false;
    this.#gcs = 0;
    this.#since = reading.now;
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
