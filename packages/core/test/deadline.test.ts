import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError, resolveDeadline, systemClock } from "@perflayer/core";

describe("resolveDeadline", () => {
  it("takes a number as a time on the clock's monotonic scale", () => {
    const clock = new ManualClock({ startAt: 1_000 });
    expect(resolveDeadline(1_500, clock, { name: "deadline" })).toBe(1_500);
    expect(resolveDeadline(systemClock.now() + 200, systemClock, { name: "deadline" })).toBeCloseTo(
      systemClock.now() + 200,
      -2,
    );
  });

  it("maps a Date through the wall clock", () => {
    const clock = new ManualClock({ startAt: 1_000, wallStart: 1_700_000_000_000 });
    expect(resolveDeadline(new Date(1_700_000_000_250), clock, { name: "deadline" })).toBe(1_250);
  });

  it("rejects epoch milliseconds with a typed error that says to pass a Date", () => {
    const clock = new ManualClock();
    const epoch = clock.wallTime() + 200;
    expect(() => resolveDeadline(epoch, clock, { name: "deadline", context: "retry()" })).toThrow(
      PerflayerConfigError,
    );
    expect(() => resolveDeadline(epoch, clock, { name: "deadline", context: "retry()" })).toThrow(
      `retry(): Expected \`deadline\` to be a Date or a time on the clock's monotonic scale (clock.now() units), got \`${epoch}\` (number). That number looks like epoch milliseconds (Date.now()). Pass { deadline: new Date(${epoch}) }`,
    );
    expect(() => resolveDeadline(Date.now() + 200, systemClock, { name: "deadline" })).toThrow(
      "looks like epoch milliseconds",
    );
  });

  it.each([[Number.NaN], ["soon"], [new Date("not a date")], [null], [Infinity]])(
    "rejects %j in the house formula",
    (value) => {
      expect(() => resolveDeadline(value, new ManualClock(), { name: "deadline" })).toThrow(
        /Expected `deadline` to be a Date or a finite number on the clock's monotonic scale \(clock.now\(\) units\), got .*\. Pass e\.g\. \{ deadline: new Date\(Date\.now\(\) \+ 2_000\) \}/,
      );
    },
  );
});
