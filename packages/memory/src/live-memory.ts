import type { MemorySample } from "./memory-sample.js";

/**
 * What the optimizer knows of live memory at one moment, in bytes: the signal levels, steering and
 * reclaims are decided on. Garbage awaiting collection is not in it.
 */
export interface LiveMemoryReading {
  /**
   * The live heap: what registered reclaimers hold now plus the rest of the live set as measured
   * in the old generation right after recent major GCs (the lowest of the last few: a GC that runs while the service
   * allocates keeps what was allocated during its marking, so floors err only upwards), less the
   * external memory in use. Never above the heap in use. Before the first major GC, the
   * heap in use.
   */
  readonly heapLive: number;
  /** The lowest external memory over the window: buffers in use, not freed ones awaiting a GC. */
  readonly externalLive: number;
  /** The highest external memory over the window. */
  readonly externalPeak: number;
  /**
   * How much the old generation's peak grows per byte of live heap: the largest peak ÷ floor ratio
   * of the last GC cycles, at most 4 (V8's largest heap growing factor). Until a cycle completes,
   * what the running cycle has shown so far (1 before the first major GC).
   */
  readonly heapGrowth: number;
  /** GC cycles (major GC to major GC) completed so far. */
  readonly cycles: number;
  /**
   * What the old generation's peaks held beyond `heapGrowth ×` their floors (V8 grows a small heap
   * by a minimum step): the largest over the last GC cycles.
   */
  readonly heapSlack: number;
  /**
   * The old generation's highest use so far in the running GC cycle (read at samples and after
   * minor GCs); before the first major GC, the old generation's highest use so far.
   */
  readonly oldPeak: number;
  /** The young generation's highest use over the window: it fills and empties whatever lives. */
  readonly youngPeak: number;
  /**
   * The heap + external expected just before the next major GC: `heapLive × heapGrowth + heapSlack
   * + youngPeak ÷ 2 + externalPeak` (the young generation at half its high: see `YOUNG_AT_OLD_PEAK`),
   * or more when the old generation has already grown past that in
   * this cycle. Before the first major GC, the heap in use + `externalPeak`.
   */
  readonly projectedPeak: number;
  /** Major GCs seen so far. */
  readonly majorGcs: number;
}

/** Tuning of {@link LiveMemory}. */
export interface LiveMemoryOptions {
  /** GC cycles (and major GCs' floors) remembered. @defaultValue 3 */
  readonly cycles?: number;
  /**
   * How long samples of external memory and the young generation are remembered, in milliseconds.
   * @defaultValue 10_000
   */
  readonly windowMs?: number;
}

/**
 * The share of the young generation's high counted on top of the old generation's peak. The old
 * generation peaks right after a minor GC (when it is read), with the young generation just
 * emptied; it refills before the next one, so heap + external as sampled at any moment holds the
 * old generation's peak and a full young generation together only for an instant before a minor
 * GC. Counting all of it (a sum of highs reached at different moments) put the steering's measured
 * peak 8–10 MiB above every 100 ms sample on the catalogue workload, and the projected peak (which
 * the level comes from) 10–13 MiB above the highest sample: levels read `critical` in a steady
 * state whose peak was 0.85 of the budget. Half is what such samples see on average. The steering
 * still counts any reading of heap + external in use above it in full.
 */
export const YOUNG_AT_OLD_PEAK = 0.5;

/** V8's largest heap growing factor (heap-controller: kMaxHeapGrowingFactor). */
export const MAX_HEAP_GROWTH = 4;

const MiB = 2 ** 20;
/** What V8 adds to the old generation's limit for the young generation (3 × 16 MiB semispaces). */
const YOUNG_RESERVE = 48 * MiB;

/**
 * The largest factor V8 grows the old generation by before a major GC, for a heap limit: 4 for an
 * old generation of 2 GiB and more, else 2 down to 1.3 at 256 MiB and below, linearly (V8's
 * heap-controller `MaxGrowingFactor` on 64-bit: 1.3 + 0.7 × (old − 256 MiB) ÷ (2048 − 256 MiB)).
 * A byte of live heap adds at most this many bytes to the peak (V8 also adds a minimum step, a
 * constant that measured peaks include).
 * @param heapLimitBytes - V8's `heap_size_limit` (old generation + 48 MiB of young generation)
 * @returns the factor: 1.3–2, or 4
 */
export function maxHeapGrowth(heapLimitBytes: number): number {
  const old = Math.max(0, heapLimitBytes - YOUNG_RESERVE);
  if (old >= 2048 * MiB) return MAX_HEAP_GROWTH;
  return 1.3 + (0.7 * (Math.max(old, 256 * MiB) - 256 * MiB)) / (1792 * MiB);
}

/** One completed GC cycle: the old generation right after the major GC that began it, and its peak. */
interface Cycle {
  readonly floor: number;
  readonly peak: number;
}

/**
 * The old generation in use: the heap in use less its young generation.
 * @param sample - a heap reading with its young generation (absent counts as 0)
 * @returns bytes
 */
export function oldUsed(sample: Pick<MemorySample, "heapUsed" | "youngHeapUsed">): number {
  return sample.heapUsed - (sample.youngHeapUsed ?? 0);
}

/**
 * Turns timer samples of a heap full of garbage into live memory. Right after each major GC the
 * old generation in use plus the external memory in use is the live set (its floor; the young
 * generation, refilled by then, is counted at its high instead). The floor is split into
 * what registered reclaimers report holding (`estimatedBytes()`) and the rest; between GCs the
 * reclaimers' part is read afresh (so memory a reclaim or resize freed counts as gone at once,
 * while it awaits collection) and the rest is the lowest of the last few floors (a floor errs only
 * upwards: what the service allocated while V8 was marking survives that GC). It is not carried
 * forward by a slope: in a long GC cycle a slope over the last floors extrapolated a live set twice
 * the heap in use.
 *
 * The old generation's peak within each GC cycle against the floor that began it gives V8's growth
 * (a factor, plus a slack a small heap grows by); with the young generation's and external memory's
 * highs it gives the peak to expect before the next collection.
 */
export class LiveMemory {
  readonly #cycles: number;
  readonly #windowMs: number;
  readonly #completed: Cycle[] = [];
  readonly #window: { readonly at: number; readonly external: number; readonly young: number }[] =
    [];
  /** The live set less what reclaimers held, right after each of the last few major GCs. */
  readonly #floors: number[] = [];
  #floorOld = 0;
  #cyclePeak = 0;
  #endedCyclePeak = 0;
  #majorGcs = 0;

  /** @param options - cycles and window remembered */
  constructor(options: LiveMemoryOptions = {}) {
    this.#cycles = options.cycles ?? 3;
    this.#windowMs = options.windowMs ?? 10_000;
  }

  /**
   * Records a major GC.
   * @param now - clock time of the sample (ms)
   * @param sample - memory read right after the GC
   * @param trackedBytes - what registered reclaimers hold at that moment
   */
  afterMajorGc(now: number, sample: MemorySample, trackedBytes: number): void {
    if (this.#majorGcs > 0 && this.#floorOld > 0) {
      this.#completed.push({ floor: this.#floorOld, peak: this.#cyclePeak });
      if (this.#completed.length > this.#cycles) this.#completed.shift();
    }
    this.#majorGcs++;
    this.#endedCyclePeak = this.#cyclePeak;
    this.#floorOld = oldUsed(sample);
    this.#cyclePeak = this.#floorOld;
    this.#note(now, sample);
    // The old generation only: the young one refills at once and is counted at its high.
    this.#floors.push(this.#floorOld + this.#range().externalLive - trackedBytes);
    if (this.#floors.length > this.#cycles) this.#floors.shift();
  }

  /** @returns the old generation's highest use in the GC cycle the latest major GC ended */
  get endedCyclePeak(): number {
    return this.#endedCyclePeak;
  }

  /**
   * Records the old generation's use at a moment that is no sample — right after a minor GC, when
   * the heap in use is nearly all old generation — for the cycle's peak.
   * @param oldBytes - old generation in use (`oldUsed` of a reading, after a minor GC)
   */
  notePeak(oldBytes: number): void {
    if (oldBytes > this.#cyclePeak) this.#cyclePeak = oldBytes;
  }

  /**
   * Reads live memory now.
   * @param now - clock time (ms)
   * @param sample - memory now
   * @param trackedBytes - what registered reclaimers hold now
   * @returns the reading
   */
  read(now: number, sample: MemorySample, trackedBytes: number): LiveMemoryReading {
    this.notePeak(oldUsed(sample));
    this.#note(now, sample);
    const { externalLive, externalPeak, youngPeak } = this.#range();
    let heapLive = sample.heapUsed;
    let heapGrowth = 1;
    let heapSlack = 0;
    if (this.#majorGcs > 0) {
      const live = Math.min(...this.#floors) + trackedBytes;
      heapLive = Math.max(0, Math.min(sample.heapUsed, live - externalLive));
      const cycles = this.#completed;
      heapGrowth =
        cycles.length === 0
          ? Math.max(1, this.#cyclePeak / Math.max(this.#floorOld, 1))
          : Math.min(MAX_HEAP_GROWTH, Math.max(1, ...cycles.map((c) => c.peak / c.floor)));
      heapSlack = Math.max(0, ...cycles.map((c) => c.peak - heapGrowth * c.floor));
    }
    const projectedPeak =
      this.#majorGcs === 0
        ? sample.heapUsed + externalPeak
        : Math.max(heapLive * heapGrowth + heapSlack, this.#cyclePeak) +
          YOUNG_AT_OLD_PEAK * youngPeak +
          externalPeak;
    return {
      heapLive,
      externalLive,
      externalPeak,
      heapGrowth,
      cycles: Math.max(0, this.#majorGcs - 1),
      heapSlack,
      oldPeak: this.#cyclePeak,
      youngPeak,
      projectedPeak,
      majorGcs: this.#majorGcs,
    };
  }

  /** Lowest and highest external memory and the young generation's high over the window. */
  #range(): { externalLive: number; externalPeak: number; youngPeak: number } {
    let externalLive = Number.POSITIVE_INFINITY;
    let externalPeak = 0;
    let youngPeak = 0;
    for (const { external, young } of this.#window) {
      if (external < externalLive) externalLive = external;
      if (external > externalPeak) externalPeak = external;
      if (young > youngPeak) youngPeak = young;
    }
    return {
      externalLive: Number.isFinite(externalLive) ? externalLive : 0,
      externalPeak,
      youngPeak,
    };
  }

  #note(now: number, sample: MemorySample): void {
    const window = this.#window;
    window.push({ at: now, external: sample.external, young: sample.youngHeapUsed ?? 0 });
    while (window.length > 1 && (window[0]?.at as number) < now - this.#windowMs) window.shift();
  }
}
