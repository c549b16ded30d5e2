import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import { EXIT, defineCommand, emit, outputFlags } from "@perflayer/toolkit";
import type { Command } from "@perflayer/toolkit";
import {
  fingerprintDifferences,
  fingerprintEnvironment,
  loadResults,
  mergeResults,
} from "./results.js";
import type { ResultsFile } from "./results.js";

/** A record of lists when it has any, else nothing (so the baseline file stays small). */
function some<K extends string>(
  key: K,
  value: Readonly<Record<string, unknown>> | undefined,
): Partial<Record<K, Readonly<Record<string, unknown>>>> {
  return value === undefined || Object.keys(value).length === 0
    ? {}
    : ({ [key]: value } as Record<K, Readonly<Record<string, unknown>>>);
}

/** `bench-gate baseline save`. */
export const baselineSaveCommand: Command = defineCommand({
  name: "baseline save",
  summary:
    "keep a baseline (several --from pool runs: the variation between runs is then part of the\nbaseline, not the luck of one)",
  usage: ["--from <results.json> [--from …] [--to bench-baseline.json]"],
  maxArguments: 0,
  flags: {
    from: {
      type: "string",
      multiple: true,
      value: "results.json",
      description: "a results file of bench-gate run/check (repeatable)",
    },
    to: {
      type: "string",
      value: "file",
      description: "where to write the baseline (default bench-baseline.json)",
    },
    mkdir: outputFlags("").mkdir,
  },
  run({ values }, io) {
    if (values.from === undefined)
      throw new PerflayerConfigError(
        "ERR_USAGE",
        "baseline save needs --from <results.json> (repeat it to pool several runs).",
      );
    const { merged: loaded, differences } = mergeResults(
      values.from.map((from) => loadResults(resolve(io.cwd, from))),
    );
    if (differences.length > 0)
      io.stderr.write(
        `warning: the pooled runs differ (${differences.join("; ")}); a baseline should come from one kind of machine and mode.\n`,
      );
    const file = {
      format: "perflayer-bench-gate/1",
      environment: loaded.environment ?? fingerprintEnvironment(),
      ...(loaded.mode === undefined ? {} : { mode: loaded.mode }),
      benchmarks: loaded.benchmarks,
      ...some("anchors", loaded.anchors),
      ...some("units", loaded.units),
      ...some("processes", loaded.processes),
      ...some("anchorProcesses", loaded.anchorProcesses),
      savedAt: new Date().toISOString(),
    } as ResultsFile;
    emit(io, `${JSON.stringify(file, null, 2)}\n`, values.to ?? "bench-baseline.json", {
      mkdir: values.mkdir,
      flag: "--to",
    });
    return Promise.resolve(EXIT.ok);
  },
});

/** `bench-gate baseline show`. */
export const baselineShowCommand: Command = defineCommand({
  name: "baseline show",
  summary: "print a baseline, and warn when this machine differs from where it was recorded",
  usage: ["[bench-baseline.json]"],
  maxArguments: 1,
  flags: {},
  run({ positionals }, io) {
    const path = resolve(io.cwd, positionals[0] ?? "bench-baseline.json");
    if (!existsSync(path))
      throw new PerflayerConfigError(
        "ERR_BASELINE",
        `No baseline at ${path}. Create one with: bench-gate run … --out results.json && bench-gate baseline save --from results.json`,
      );
    const loaded = loadResults(path);
    const lines = Object.entries(loaded.benchmarks).map(
      ([name, list]) =>
        `  ${name}: ${list.length} samples, median ${[...list].sort((a, b) => a - b)[list.length >> 1]?.toFixed(3)} ms`,
    );
    io.stdout.write(`${path}\n${lines.join("\n")}\n`);
    if (loaded.environment !== undefined) {
      const diff = fingerprintDifferences(loaded.environment, fingerprintEnvironment());
      if (diff.length > 0)
        io.stderr.write(`warning: the baseline was recorded elsewhere (${diff.join("; ")}).\n`);
    }
    return Promise.resolve(EXIT.ok);
  },
});
