/** Memory pressure levels, from no concern to act-now. */
export type PressureLevel = "normal" | "elevated" | "high" | "critical";

/** The levels in order; a level's index is its gauge value (0 normal … 3 critical). */
export const PRESSURE_LEVELS: readonly PressureLevel[] = Object.freeze([
  "normal",
  "elevated",
  "high",
  "critical",
]);

/** Where levels start, as fractions of the budget. */
export interface PressureThresholds {
  /** @defaultValue 0.7 */
  readonly elevated: number;
  /** @defaultValue 0.85 */
  readonly high: number;
  /** @defaultValue 0.95 */
  readonly critical: number;
}

/** The default thresholds. */
export const DEFAULT_THRESHOLDS: PressureThresholds = Object.freeze({
  elevated: 0.7,
  high: 0.85,
  critical: 0.95,
});

/**
 * The next level for a usage ratio, with hysteresis: a level is entered at its threshold but left
 * only once the ratio falls `hysteresis` below it, so a ratio hovering at a threshold does not flap.
 * @param current - the current level
 * @param ratio - used / budget
 * @param thresholds - level thresholds
 * @param hysteresis - fraction of the budget (e.g. 0.05)
 * @returns the new level
 */
export function nextLevel(
  current: PressureLevel,
  ratio: number,
  thresholds: PressureThresholds,
  hysteresis: number,
): PressureLevel {
  const bounds = [0, thresholds.elevated, thresholds.high, thresholds.critical];
  let level = PRESSURE_LEVELS.indexOf(current);
  // Go up as far as the ratio reaches.
  while (level < 3 && ratio >= (bounds[level + 1] as number)) level++;
  // Go down only past the threshold minus the hysteresis band.
  while (level > 0 && ratio < (bounds[level] as number) - hysteresis) level--;
  return PRESSURE_LEVELS[level] as PressureLevel;
}

/** What one reading of the ratio rests on, besides the ratio (see `PressureTracker.update`). */
export interface LevelEvidence {
  /** Whether the reading was taken right after a major GC (a new live set). @defaultValue false */
  readonly majorGc?: boolean;
  /**
   * Heap + external memory in use now ÷ the budget (garbage included): a level it reaches is no
   * forecast. @defaultValue 0
   */
  readonly inUseRatio?: number;
}

/**
 * Levels with hysteresis in bytes (`nextLevel`) and in time: a higher level takes effect only once
 * it has been indicated continuously for `holdMs`, a lower one for `releaseMs` (a sample that points
 * back to the current level, or the other way, cancels it). Pressure is entered quickly and left
 * slowly, as the kubelet leaves an eviction pressure condition only after a transition period: a
 * level entered while V8's heap swung high (the first GC cycles of a process) is not left and
 * re-entered cycle by cycle.
 *
 * Once a major GC was seen, a higher level indicated by the projection alone also waits for the
 * **next major GC to indicate it again**: the projection's live set moves only at major GCs, and
 * when V8 collects less often than `holdMs` (every 6–9 s in most runs of the catalogue workload
 * with a `BufferPool`, against a hold of 5 s) one GC cycle's reading, 0.1 MiB over `critical`,
 * held through the whole hold and changed the level — and the next cycle read below it. Memory in
 * use reaching the level (`inUseRatio`) is no forecast and needs no second GC; before the first
 * major GC (no GC observer) time alone decides, as before.
 */
export class PressureTracker {
  readonly #thresholds: PressureThresholds;
  readonly #hysteresis: number;
  readonly #holdMs: number;
  readonly #releaseMs: number;
  #level: PressureLevel = "normal";
  #pendingSince: number | undefined;
  #pendingUp = false;
  /** Major GCs whose reading still indicated the pending level, after the reading that began it. */
  #pendingGcs = 0;
  /** Whether a major GC was seen (the projection then moves at major GCs). */
  #gcSeen = false;

  /**
   * @param thresholds - level thresholds (fractions of the budget)
   * @param hysteresis - band below a threshold before its level is left
   * @param holdMs - how long a higher level must be indicated before it takes effect
   * @param releaseMs - how long a lower level must be indicated before it takes effect (default:
   * `holdMs`)
   */
  constructor(
    thresholds: PressureThresholds,
    hysteresis: number,
    holdMs: number,
    releaseMs: number = holdMs,
  ) {
    this.#thresholds = thresholds;
    this.#hysteresis = hysteresis;
    this.#holdMs = holdMs;
    this.#releaseMs = releaseMs;
  }

  /** @returns the level in effect */
  get level(): PressureLevel {
    return this.#level;
  }

  /**
   * Feeds one ratio.
   * @param now - clock time (ms)
   * @param ratio - projected use ÷ budget
   * @param evidence - whether the reading follows a major GC, and memory in use ÷ budget
   * @returns the level in effect after it (changed when it differs from before)
   */
  update(now: number, ratio: number, evidence: LevelEvidence = {}): PressureLevel {
    const majorGc = evidence.majorGc ?? false;
    const indicated = nextLevel(this.#level, ratio, this.#thresholds, this.#hysteresis);
    if (indicated === this.#level) {
      this.#pendingSince = undefined;
      if (majorGc) this.#gcSeen = true;
      return this.#level;
    }
    const rank = PRESSURE_LEVELS.indexOf(indicated);
    const up = rank > PRESSURE_LEVELS.indexOf(this.#level);
    if (this.#pendingSince === undefined || this.#pendingUp !== up) {
      this.#pendingSince = now;
      this.#pendingUp = up;
      this.#pendingGcs = 0;
    } else if (majorGc) {
      this.#pendingGcs++;
    }
    // The projection is confirmed by the next GC's reading; memory in use at the level is a fact.
    const inUse = nextLevel(
      this.#level,
      evidence.inUseRatio ?? 0,
      this.#thresholds,
      this.#hysteresis,
    );
    const confirmed =
      !up || !this.#gcSeen || this.#pendingGcs > 0 || PRESSURE_LEVELS.indexOf(inUse) >= rank;
    if (majorGc) this.#gcSeen = true;
    if (confirmed && now - this.#pendingSince >= (up ? this.#holdMs : this.#releaseMs)) {
      this.#level = indicated;
      this.#pendingSince = undefined;
    }
    return this.#level;
  }
}
