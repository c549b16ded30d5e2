import { describe, expect, it } from "vitest";
import {
  PerflayerConfigError,
  assertAbortSignal,
  assertFunction,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  assertOneOf,
  describeValue,
  formatExpected,
} from "@perflayer/core";

describe("validation helpers", () => {
  it("formats the house message: what, expected, got, how to fix", () => {
    expect(
      formatExpected({
        name: "max",
        expected: "an integer >= 1",
        got: 0,
        fix: "Pass e.g. { max: 500 }.",
        context: 'cache "users"',
      }),
    ).toBe(
      'cache "users": Expected `max` to be an integer >= 1, got `0` (number). Pass e.g. { max: 500 }.',
    );
  });

  it.each([
    [null, "`null` (null)"],
    [undefined, "`undefined` (undefined)"],
    ["x", '`"x"` (string)'],
    [[1, 2], "`[array(2)]` (array)"],
    [{ a: 1 }, "`[object]` (object)"],
    [NaN, "`NaN` (number)"],
    [function load() {}, "`[function load]` (function)"],
  ])("describes %s", (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it("truncates long strings", () => {
    expect(describeValue("a".repeat(100))).toBe(`\`"${"a".repeat(40)}…"\` (string)`);
  });

  it("asserts integers with bounds and optional Infinity", () => {
    expect(assertInteger(5, { name: "max", min: 1 })).toBe(5);
    expect(() => assertInteger(0, { name: "max", min: 1 })).toThrow(
      "Expected `max` to be an integer >= 1, got `0` (number).",
    );
    expect(() => assertInteger(1.5, { name: "max", min: 1 })).toThrow(PerflayerConfigError);
    expect(() => assertInteger(Infinity, { name: "max" })).toThrow(PerflayerConfigError);
    expect(assertInteger(Infinity, { name: "max", allowInfinity: true })).toBe(Infinity);
    expect(() => assertInteger(11, { name: "n", min: 1, max: 10 })).toThrow(
      "an integer >= 1 and <= 10",
    );
  });

  it("asserts finite numbers with exclusive minimum", () => {
    expect(assertNumber(0.5, { name: "fraction", min: 0, minExclusive: true, max: 1 })).toBe(0.5);
    expect(() => assertNumber(0, { name: "fraction", min: 0, minExclusive: true })).toThrow(
      "a finite number > 0",
    );
    expect(() => assertNumber(NaN, { name: "ttl", min: 0 })).toThrow("got `NaN` (number)");
    expect(() => assertNumber("5", { name: "ttl" })).toThrow('got `"5"` (string)');
  });

  it("asserts functions and enumerations", () => {
    const load = (): number => 1;
    expect(assertFunction(load, { name: "loader" })).toBe(load);
    expect(() => assertFunction(42, { name: "loader", fix: "Pass an async function." })).toThrow(
      "Expected `loader` to be a function, got `42` (number). Pass an async function.",
    );
    expect(assertOneOf("high", ["high", "low"], { name: "priority" })).toBe("high");
    expect(() => assertOneOf("urgent", ["high", "low"], { name: "priority" })).toThrow(
      'one of "high", "low"',
    );
  });

  it("rejects unknown option keys, naming the typo and the accepted keys", () => {
    expect(() => assertKnownKeys({ tll: 5 }, ["ttl", "max"], "new CacheManager()")).toThrow(
      "new CacheManager(): Unknown option `tll`. Expected one of `ttl`, `max`; check the spelling.",
    );
    expect(() => assertKnownKeys({ ttl: 5 }, ["ttl"], "x")).not.toThrow();
  });

  it("asserts an optional AbortSignal", () => {
    const signal = new AbortController().signal;
    expect(assertAbortSignal(signal, { name: "signal" })).toBe(signal);
    expect(assertAbortSignal(undefined, { name: "signal" })).toBeUndefined();
    expect(() =>
      assertAbortSignal({ aborted: false }, { name: "signal", context: "retry()" }),
    ).toThrow("retry(): Expected `signal` to be an AbortSignal, got `[object]` (object).");
  });
});
