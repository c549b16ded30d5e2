import type { Clock } from "./clock.js";
import { invalid } from "./validation.js";

/**
 * An absolute deadline: a `Date` (wall-clock time), or a number on the clock's monotonic scale —
 * the units of `clock.now()` (`performance.now()` for the real clock), e.g. `clock.now() + 2_000`.
 * Epoch milliseconds (`Date.now() + 2_000`) are not a clock-domain value: pass a `Date` for them.
 */
export type Deadline = number | Date;

/** Where a deadline was passed, for the error message. */
export interface DeadlineRule {
  /** The option's name, e.g. `deadline`. */
  readonly name: string;
  /** Where it happened, e.g. `retry()`. */
  readonly context?: string;
}

/**
 * Whether a number is much nearer the wall clock than the monotonic clock: then it is epoch
 * milliseconds (`Date.now()` arithmetic), not a `clock.now()` value. With the real clock the two
 * are decades apart, so the test has no grey zone.
 */
function looksLikeEpoch(value: number, clock: Clock): boolean {
  return Math.abs(value - clock.wallTime()) < Math.abs(value - clock.now());
}

/**
 * Turns a {@link Deadline} into a time on `clock`'s monotonic scale (`clock.now()` units). A `Date`
 * is mapped through the wall clock; a number is taken as a `clock.now()` value. A number that is
 * clearly epoch milliseconds, an invalid `Date`, `NaN` or anything else throws a
 * `PerflayerConfigError` that says what to pass instead.
 *
 * @example
 * ```ts
 * resolveDeadline(new Date(Date.now() + 2_000), systemClock, { name: "deadline" }); // performance.now() + ~2000
 * resolveDeadline(systemClock.now() + 2_000, systemClock, { name: "deadline" });    // as is
 * resolveDeadline(Date.now() + 2_000, systemClock, { name: "deadline" });          // throws: pass a Date
 * ```
 * @param deadline - the value received
 * @param clock - the clock the deadline is measured on
 * @param rule - the option's name and context, for the message
 * @returns the deadline in `clock.now()` units
 */
export function resolveDeadline(deadline: unknown, clock: Clock, rule: DeadlineRule): number {
  if (deadline instanceof Date) {
    const at = deadline.getTime();
    if (Number.isFinite(at)) return clock.now() + (at - clock.wallTime());
  } else if (typeof deadline === "number" && Number.isFinite(deadline)) {
    if (!looksLikeEpoch(deadline, clock)) return deadline;
    throw invalid({
      ...rule,
      expected: "a Date or a time on the clock's monotonic scale (clock.now() units)",
      got: deadline,
      fix: `That number looks like epoch milliseconds (Date.now()). Pass { ${rule.name}: new Date(${String(deadline)}) }, or { ${rule.name}: clock.now() + ms } (performance.now() for the real clock).`,
    });
  }
  throw invalid({
    ...rule,
    expected: "a Date or a finite number on the clock's monotonic scale (clock.now() units)",
    got: deadline,
    fix: `Pass e.g. { ${rule.name}: new Date(Date.now() + 2_000) } or { ${rule.name}: clock.now() + 2_000 }.`,
  });
}
