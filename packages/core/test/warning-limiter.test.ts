import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError, WarningLimiter } from "@perflayer/core";

function limiter(intervalMs = 60_000) {
  const clock = new ManualClock();
  const lines: string[] = [];
  const warnings = new WarningLimiter({
    clock,
    intervalMs,
    emit: (message, code) => lines.push(`${code}: ${message}`),
  });
  return { clock, lines, warnings };
}

describe("WarningLimiter", () => {
  it("emits the first of 2,000 repeats at once and the rest as one counted summary", () => {
    const { clock, lines, warnings } = limiter();
    for (let i = 1; i <= 2_000; i++) warnings.warn("PERFLAYER_X", `sink failed (#${i})`);
    expect(lines).toEqual(["PERFLAYER_X: sink failed (#1)"]);
    expect(warnings.suppressed).toBe(1_999);
    clock.advance(60_000);
    expect(lines).toEqual([
      "PERFLAYER_X: sink failed (#1)",
      "PERFLAYER_X: 1999 more warnings like this were suppressed (at most one a 60 s); the last: sink failed (#2000)",
    ]);
  });

  it("keeps steady repeats at one line per window, and goes quiet when they stop", () => {
    const { clock, lines, warnings } = limiter(1_000);
    for (let second = 0; second < 5; second++) {
      for (let i = 0; i < 10; i++) warnings.warn("C", "again");
      clock.advance(1_000);
    }
    expect(lines).toHaveLength(6); // the first, then one summary per window
    clock.advance(10_000);
    expect(lines).toHaveLength(6);
    expect(clock.pendingTimers).toBe(0);
    warnings.warn("C", "later");
    expect(lines.at(-1)).toBe("C: later");
  });

  it("limits each kind on its own and flushes pending summaries", () => {
    const { lines, warnings } = limiter();
    warnings.warn("SINK", "a failed", "SINK:a");
    warnings.warn("SINK", "b failed", "SINK:b");
    warnings.warn("SINK", "a failed again", "SINK:a");
    expect(lines).toEqual(["SINK: a failed", "SINK: b failed"]);
    warnings.flush();
    expect(lines.at(-1)).toBe(
      "SINK: 1 more warning like this was suppressed (at most one a 60 s); the last: a failed again",
    );
  });

  it("rejects bad options in the house formula", () => {
    expect(() => new WarningLimiter({ intervalMs: 0 })).toThrow(PerflayerConfigError);
    expect(() => new WarningLimiter({ intervalMs: 0 })).toThrow(
      "Expected `intervalMs` to be a finite number > 0, got `0` (number)",
    );
  });

  it("takes a 30-day intervalMs: repeats within 30 days are summarised when they end", () => {
    const thirtyDays = 30 * 86_400_000;
    const { clock, lines, warnings } = limiter(thirtyDays);
    warnings.warn("C", "first");
    warnings.warn("C", "again");
    clock.advance(thirtyDays - 1);
    expect(lines).toEqual(["C: first"]);
    clock.advance(1);
    expect(lines[1]).toBe(
      "C: 1 more warning like this was suppressed (at most one a 2592000 s); the last: again",
    );
  });
});
