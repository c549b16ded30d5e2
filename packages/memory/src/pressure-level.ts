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
