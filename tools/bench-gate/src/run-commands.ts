import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import { EXIT, defineCommand, emit, outputFlags, painter } from "@perflayer/toolkit";
import type { CliIo, Command, FlagValues } from "@perflayer/toolkit";
import {
  DECISION_FLAGS,
  REPORT_FLAGS,
  SUITE_FLAGS,
  announcer,
  decisionOf,
  formatOf,
  positiveInt,
  suiteFiles,
  unmeasured,
} from "./cli-flags.js";
import { checkSuites } from "./gate.js";
import type { CheckReport } from "./gate.js";
import { renderSvg } from "./render-svg.js";
import { renderRunMarkdown, renderRunText, runComparisons, spliceReport } from "./render-run.js";
import { fingerprintEnvironment, loadResults } from "./results.js";
import type { ResultsFile } from "./results.js";
import { toResultsFile } from "./run-suites.js";
import { commandRunner } from "./runners.js";
import { startupWarning } from "./startup-share.js";

/** The flags of `run` and `check` (with suites). */
const SUITE_RUN_FLAGS = {
  ...SUITE_FLAGS,
  ...DECISION_FLAGS,
  format: REPORT_FLAGS.format,
  json: REPORT_FLAGS.json,
  ...outputFlags("the results (for baseline save and compare --base/--head)"),
  report: {
    type: "string",
    value: "file",
    description:
      "also write a Markdown report; between <!-- bench-gate:start --> and\n<!-- bench-gate:end --> when the file has them, keeping the prose around",
  },
} as const;

/** Runs suites (`run` in full or quick mode, `check` always quick against a baseline). */
async function runSuiteFiles(
  command: "run" | "check",
  values: FlagValues<typeof SUITE_RUN_FLAGS> & {
    readonly quick?: boolean;
    readonly baseline?: string;
  },
  positionals: readonly string[],
  io: CliIo,
): Promise<number> {
  const format = formatOf(values);
  const { threshold } = decisionOf(values, io);
  const timeoutMs = positiveInt("timeout", values.timeout, 120) * 1000;
  const files = suiteFiles(positionals, io);
  if (files.length === 0)
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `${command} needs suite files, e.g. bench-gate ${command} bench/*.bench.ts (or run --cmd name=<cmd> for commands).`,
    );
  const baselinePath =
    command === "check" ? resolve(io.cwd, values.baseline ?? "bench-baseline.json") : undefined;
  if (values.baseline !== undefined && baselinePath !== undefined && !existsSync(baselinePath))
    throw new PerflayerConfigError(
      "ERR_BASELINE",
      `No baseline at ${baselinePath}. Create one with: bench-gate check … --out results.json && bench-gate baseline save --from results.json --to ${values.baseline}`,
    );
  const baseline =
    baselinePath !== undefined && existsSync(baselinePath) ? loadResults(baselinePath) : undefined;
  const checked: CheckReport = await checkSuites({
    files,
    cwd: io.cwd,
    mode: command === "check" || values.quick === true ? "quick" : "full",
    tolerance: threshold,
    threshold,
    timeoutMs,
    ...(values.filter === undefined ? {} : { filter: values.filter }),
    ...(baseline === undefined ? {} : { baseline }),
    onProgress: announcer(io),
  });
  for (const warning of checked.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (baseline === undefined && command === "check")
    io.stderr.write(
      `note: no baseline at ${baselinePath ?? ""}; only the declared targets were judged.\n`,
    );
  if (values.out !== undefined)
    emit(io, `${JSON.stringify(toResultsFile(checked.run), null, 2)}\n`, values.out, {
      mkdir: values.mkdir,
    });
  if (values.report !== undefined) {
    const path = resolve(io.cwd, values.report);
    const existing = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    emit(io, spliceReport(existing, renderRunMarkdown(checked.run, checked.baseline)), path, {
      mkdir: values.mkdir,
      flag: "--report",
    });
  }
  io.stdout.write(
    format === "json"
      ? `${JSON.stringify({ ...checked, baseline: Object.fromEntries(checked.baseline) }, null, 2)}\n`
      : format === "md"
        ? renderRunMarkdown(checked.run, checked.baseline)
        : format === "svg"
          ? renderSvg(runComparisons(checked.run))
          : renderRunText(checked.run, checked.baseline, painter(io)),
  );
  const inconclusive =
    checked.run.results.some((r) => r.verdict?.kind === "inconclusive") ||
    [...checked.baseline.values()].some((b) => "verdict" in b && b.verdict.kind === "inconclusive");
  if (checked.failures.length > 0) {
    io.stderr.write(
      `bench-gate ${command}: ${checked.failures.length} failing:\n${checked.failures.map((f) => `  ${f}`).join("\n")}\n`,
    );
    return EXIT.findings;
  }
  return values.strict === true && inconclusive ? EXIT.findings : EXIT.ok;
}

/** `run --cmd name=<cmd>`: records samples of commands into a results file. */
async function recordCommands(
  specs: readonly string[],
  values: { readonly samples?: string; readonly out?: string; readonly mkdir?: boolean },
  io: CliIo,
): Promise<number> {
  const commands = specs.map((spec) => {
    const eq = spec.indexOf("=");
    if (eq <= 0)
      throw new PerflayerConfigError("ERR_USAGE", `Expected --cmd name=command, got "${spec}".`);
    return { name: spec.slice(0, eq), command: spec.slice(eq + 1) };
  });
  const samples = positiveInt("samples", values.samples, 20);
  const benchmarks: Record<string, number[]> = {};
  let failed = 0;
  for (const { name, command } of commands) {
    const runner = commandRunner(command, { cwd: io.cwd });
    const list = [];
    try {
      await runner(); // warm-up, discarded
      for (let i = 0; i < samples; i++) list.push(await runner());
    } catch (error) {
      failed += unmeasured(error, `bench-gate run: ${name} (left out)`, io);
      continue;
    }
    benchmarks[name] = list.map((s) => s.value);
    const startup = await startupWarning({ side: name, command, cwd: io.cwd, samples: list });
    if (startup !== undefined) io.stderr.write(`warning: ${startup}\n`);
  }
  const file: ResultsFile = {
    format: "perflayer-bench-gate/1",
    environment: fingerprintEnvironment(),
    benchmarks,
    savedAt: new Date().toISOString(),
  };
  emit(io, `${JSON.stringify(file, null, 2)}\n`, values.out, { mkdir: values.mkdir });
  return failed > 0 ? EXIT.findings : EXIT.ok;
}

/** `bench-gate run`: suites (full or quick), or commands with `--cmd`. */
export const runCommand: Command = defineCommand({
  name: "run",
  summary:
    "run benchmark suites (each benchmark in fresh processes, contenders interleaved) and judge\nthe targets declared next to them; or record samples of commands",
  usage: [
    "<suite files…> [--quick] [--filter text] [--out results.json] [--report benchmarks.md]",
    "--cmd <name>=<cmd> [--cmd …] [--samples n] --out results.json",
  ],
  flags: {
    ...SUITE_RUN_FLAGS,
    quick: {
      type: "boolean",
      description: "quick mode (short samples; benchmarks marked quick: false skipped)",
    },
    cmd: {
      type: "string",
      multiple: true,
      value: "name=cmd",
      description: "record samples of a shell command (repeatable)",
    },
    samples: { type: "string", value: "n", description: "samples per --cmd (default 20)" },
  },
  run({ values, positionals }, io) {
    if (values.cmd !== undefined) {
      if (positionals.length > 0)
        throw new PerflayerConfigError(
          "ERR_USAGE",
          "run takes suite files or --cmd, not both: run them as two commands.",
        );
      return recordCommands(values.cmd, values, io);
    }
    return runSuiteFiles("run", values, positionals, io);
  },
});

/** `bench-gate check`: the CI gate. */
export const checkCommand: Command = defineCommand({
  name: "check",
  summary:
    "the CI gate: a quick run, targets judged, compared with the committed baseline;\na missed target or a regression is re-run once before it fails",
  usage: ["<suite files…> [--baseline bench-baseline.json] [--out results.json]"],
  flags: {
    ...SUITE_RUN_FLAGS,
    baseline: {
      type: "string",
      value: "file",
      description: "the baseline (default bench-baseline.json when it exists)",
    },
  },
  run: ({ values, positionals }, io) => runSuiteFiles("check", values, positionals, io),
});
