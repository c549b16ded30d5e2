import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { PerflayerConfigError, PerflayerError, detectProfile } from "@perflayer/core";
import { EXIT, emit, oneOf, outputFlags, painter, plain } from "@perflayer/toolkit";
import type { BooleanFlag, CliIo, FlagValues, StringFlag } from "@perflayer/toolkit";
import { renderMarkdown, renderText } from "./render.js";
import type { NamedComparison } from "./render.js";
import { renderSvg } from "./render-svg.js";
import type { DecisionOptions } from "./verdict.js";

// The flags several commands share, declared once (their `--help` lines come from here).

/** `--format`, `--json`, `--out`, `--mkdir`. */
export const REPORT_FLAGS: {
  readonly format: StringFlag;
  readonly json: BooleanFlag;
  readonly out: StringFlag;
  readonly mkdir: BooleanFlag;
} = {
  format: { type: "string", value: "f", description: "text (default), md, json, svg" },
  json: { type: "boolean", description: "same as --format json" },
  ...outputFlags("the report"),
};

/** `--threshold`, `--confidence`, `--strict`. */
export const DECISION_FLAGS = {
  threshold: {
    type: "string",
    value: "p",
    description: "a slowdown beyond p is a regression (default: 5% locally, 10% under CI)",
  },
  confidence: {
    type: "string",
    value: "c",
    description: "confidence of the intervals (default 0.95)",
  },
  strict: { type: "boolean", description: "inconclusive verdicts fail too" },
} as const;

/** `--max-time`, `--min-samples`, `--max-samples` (command comparisons). */
export const SAMPLING_FLAGS = {
  "max-time": {
    type: "string",
    value: "s",
    description: "sampling budget per comparison in seconds (default 60)",
  },
  "min-samples": {
    type: "string",
    value: "n",
    description: "rounds before stopping early (default 10, at least 3)",
  },
  "max-samples": { type: "string", value: "n", description: "most rounds (default 60)" },
} as const;

/** `--filter`, `--timeout` (suites). */
export const SUITE_FLAGS = {
  filter: {
    type: "string",
    value: "text",
    description: 'only benchmarks whose "suite › name" contains text',
  },
  timeout: {
    type: "string",
    value: "s",
    description: "a benchmark process taking longer is killed (default 120)",
  },
} as const;

/**
 * Reads a percentage flag.
 * @param flag - its name
 * @param value - e.g. "30%" or "0.3"
 * @returns the fraction
 */
export function percent(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(value.trim());
  if (match === null)
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --${flag} to be a percentage like 30% or 0.3, got "${value}".`,
    );
  const n = Number(match[1]);
  return value.includes("%") || n > 1 ? n / 100 : n;
}

/**
 * Reads a whole-number flag.
 * @param flag - its name
 * @param value - what was given, if anything
 * @param fallback - the default
 * @param min - the smallest allowed @defaultValue 1
 * @returns the number
 */
export function positiveInt(
  flag: string,
  value: string | undefined,
  fallback: number,
  min = 1,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --${flag} to be a whole number >= ${min}, got "${value}".`,
    );
  return n;
}

/**
 * Reads a duration flag in seconds.
 * @param flag - its name
 * @param value - what was given, if anything
 * @param fallback - the default, in seconds
 * @returns milliseconds
 */
export function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0))
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --${flag} to be a number of seconds > 0, e.g. 30, got "${value}".`,
    );
  return n * 1000;
}

/**
 * The decision rule from `--threshold`, `--confidence` and (for compare) `--expect-faster`.
 * @param values - the flags
 * @param io - the environment (its profile sets the default threshold)
 * @returns the decision options
 */
export function decisionOf(
  values: FlagValues<typeof DECISION_FLAGS> & { readonly "expect-faster"?: string },
  io: CliIo,
): DecisionOptions {
  const threshold =
    values.threshold === undefined
      ? detectProfile(io.env).benchNoiseTolerance
      : percent("threshold", values.threshold);
  const expectFaster =
    values["expect-faster"] === undefined
      ? undefined
      : percent("expect-faster", values["expect-faster"]);
  const confidence = values.confidence === undefined ? undefined : Number(values.confidence);
  if (confidence !== undefined && !(confidence > 0.5 && confidence < 1))
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --confidence to be a number between 0.5 and 1, e.g. 0.99, got "${String(values.confidence)}".`,
    );
  return {
    threshold,
    ...(expectFaster === undefined ? {} : { expectFaster }),
    ...(confidence === undefined ? {} : { confidence }),
  };
}

/**
 * The sampling budget of command comparisons, validated.
 * @param values - the flags
 * @returns time budget and round limits
 */
export function samplingOf(values: FlagValues<typeof SAMPLING_FLAGS>): {
  maxTimeMs: number;
  minSamples: number;
  maxSamples: number;
} {
  const minSamples = positiveInt("min-samples", values["min-samples"], 10, 3);
  const maxSamples = positiveInt("max-samples", values["max-samples"], Math.max(60, minSamples));
  if (maxSamples < minSamples)
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --max-samples (${maxSamples}) to be at least --min-samples (${minSamples}).`,
    );
  return { maxTimeMs: seconds("max-time", values["max-time"], 60), minSamples, maxSamples };
}

/**
 * Suite files from the command line, resolved and checked to exist before anything runs.
 * @param positionals - the paths given
 * @param io - the working directory
 * @returns absolute paths
 */
export function suiteFiles(positionals: readonly string[], io: CliIo): string[] {
  return positionals.map((file) => {
    const path = resolve(io.cwd, file);
    if (!existsSync(path) || !statSync(path).isFile())
      throw new PerflayerConfigError(
        "ERR_USAGE",
        `No suite file at ${path}${existsSync(path) ? " (it is a folder)" : ""}. Pass files that export a suite, e.g. bench/*.bench.ts.`,
      );
    return path;
  });
}

/** The report formats. */
export type ReportFormat = "text" | "md" | "json" | "svg";

/**
 * The report format from `--format`/`--json`.
 * @param values - the flags
 * @returns the format
 */
export function formatOf(values: FlagValues<typeof REPORT_FLAGS>): ReportFormat {
  return values.json === true
    ? "json"
    : oneOf("format", values.format ?? "text", ["text", "md", "json", "svg"] as const);
}

/**
 * Writes comparisons in a format: to `--out`, or to stdout (coloured on a terminal).
 * @param io - streams
 * @param results - the comparisons
 * @param format - text, md, json or svg
 * @param values - `--out` and `--mkdir`
 */
export function report(
  io: CliIo,
  results: readonly NamedComparison[],
  format: ReportFormat,
  values: FlagValues<typeof REPORT_FLAGS>,
): void {
  const text =
    format === "json"
      ? `${JSON.stringify(
          results.map(({ name, comparison, unit }) => ({
            name,
            unit: unit ?? "ms",
            verdict: comparison.verdict,
            ...(comparison.confirmation === undefined
              ? {}
              : { confirmation: comparison.confirmation }),
            base: comparison.base,
            head: comparison.head,
            cpu: comparison.cpu,
          })),
          null,
          2,
        )}\n`
      : format === "md"
        ? renderMarkdown(results)
        : format === "svg"
          ? renderSvg(results)
          : renderText(results, values.out === undefined ? painter(io) : plain);
  emit(io, text, values.out, { mkdir: values.mkdir });
}

/**
 * The exit code of comparisons: 1 for a regression; with an expected speed-up, for anything but
 * "improvement holds"; with `--strict`, for an inconclusive verdict; else 0.
 * @param results - the comparisons
 * @param decision - whether a speed-up was expected
 * @param strict - whether inconclusive fails
 * @returns 0 or 1
 */
export function exitFor(
  results: readonly NamedComparison[],
  decision: DecisionOptions,
  strict: boolean,
): number {
  const failed = results.some(
    ({ comparison: { verdict } }) =>
      verdict.kind === "regression" ||
      (decision.expectFaster !== undefined && verdict.kind !== "improvement holds") ||
      (strict && verdict.kind === "inconclusive"),
  );
  return failed ? EXIT.findings : EXIT.ok;
}

/**
 * Progress of suites, a line per benchmark on stderr — kept out of non-interactive CI logs.
 * @param io - streams and environment
 * @returns the progress callback
 */
export function announcer(io: CliIo): (message: string) => void {
  return (message) => {
    if (io.env["CI"] === undefined || io.stderr.isTTY === true) io.stderr.write(`${message}\n`);
  };
}

/**
 * A command that crashed or hung could not be measured: reported with its reason, exit 1 (as for a
 * benchmark); any other error is passed on.
 * @param error - what the measurement threw
 * @param what - e.g. "bench-gate compare: scenario"
 * @param io - streams
 * @returns exit code 1
 */
export function unmeasured(error: unknown, what: string, io: CliIo): number {
  if (
    !(error instanceof PerflayerError) ||
    (error.code !== "ERR_BENCH_FAILED" && error.code !== "ERR_BENCH_TIMEOUT")
  )
    throw error;
  io.stderr.write(`${what} could not be measured: ${error.message}.\n`);
  return EXIT.findings;
}
