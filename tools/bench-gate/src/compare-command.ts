import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import { EXIT, defineCommand, progress } from "@perflayer/toolkit";
import type { CliIo, Command } from "@perflayer/toolkit";
import { checkoutBase } from "./base-tree.js";
import type { BaseTree } from "./base-tree.js";
import {
  DECISION_FLAGS,
  REPORT_FLAGS,
  SAMPLING_FLAGS,
  SUITE_FLAGS,
  announcer,
  decisionOf,
  exitFor,
  formatOf,
  positiveInt,
  report,
  samplingOf,
  suiteFiles,
  unmeasured,
} from "./cli-flags.js";
import { compareRunners } from "./compare.js";
import type { Comparison } from "./compare.js";
import { compareSuites } from "./compare-suites.js";
import type { NamedComparison } from "./render.js";
import { fingerprintDifferences, loadResults } from "./results.js";
import { commandRunner } from "./runners.js";
import type { Sample } from "./runners.js";
import { startupWarning } from "./startup-share.js";
import { decide } from "./verdict.js";

/** What `--base` names: a results file (any `.json`), a folder, or (neither) a git ref. */
function kindOfBase(path: string): "results" | "dir" | "ref" {
  if (path.endsWith(".json")) return "results";
  if (!existsSync(path)) return "ref";
  return statSync(path).isDirectory() ? "dir" : "results";
}

/** Notes of a checkout: the stale ones it removed first. */
function checkedOut(tree: BaseTree, io: CliIo): BaseTree {
  for (const path of tree.pruned)
    io.stderr.write(`note: removed ${path}, a base checkout left behind by a killed run.\n`);
  return tree;
}

/** The comparisons of two stored results files, benchmark by benchmark. */
function compareFiles(
  basePath: string,
  headPath: string,
  decision: ReturnType<typeof decisionOf>,
  io: CliIo,
): NamedComparison[] {
  const base = loadResults(basePath);
  const head = loadResults(headPath);
  if (base.environment !== undefined && head.environment !== undefined) {
    const diff = fingerprintDifferences(base.environment, head.environment);
    if (diff.length > 0)
      io.stderr.write(
        `warning: base and head were measured on different environments (${diff.join("; ")}); verdicts may reflect the machine, not the code.\n`,
      );
  }
  const results: NamedComparison[] = [];
  const toSamples = (list: readonly number[]): Sample[] => list.map((value) => ({ value }));
  for (const name of Object.keys(head.benchmarks).sort()) {
    const b = base.benchmarks[name];
    const h = head.benchmarks[name] as number[];
    if (b === undefined) {
      io.stderr.write(`warning: ${name} is only in head; not compared.\n`);
      continue;
    }
    const comparison: Comparison = {
      verdict: decide(b, h, decision),
      base: toSamples(b),
      head: toSamples(h),
    };
    results.push({ name, comparison });
  }
  for (const name of Object.keys(base.benchmarks))
    if (head.benchmarks[name] === undefined)
      io.stderr.write(`warning: ${name} is only in base; not compared.\n`);
  return results;
}

/** `bench-gate compare`: two commands, two trees or two results files. */
export const compareCommand: Command = defineCommand({
  name: "compare",
  summary:
    "run base and head interleaved in fresh processes and decide (commands, suites in two trees, or stored results)",
  usage: [
    "--base-cmd <cmd> --head-cmd <cmd> [options]",
    "--base-ref <git-ref> [--setup <cmd>] (--head-cmd <cmd> | <suite files…> [--quick]) [options]",
    "--base-dir <dir> (--head-cmd <cmd> | <suite files…>) [options]",
    "--base <results.json> --head <results.json> [options]",
  ],
  description: `With --base-ref, the same command (or the suites' own side) runs on a temporary git worktree of
<git-ref>, prepared with --setup (e.g. "pnpm install && pnpm build"), and on this tree; the
worktree is removed on every way out, Ctrl-C included. --base also takes a folder or a git ref.
Stored results may come from bench-gate, hyperfine, tinybench, vitest bench or mitata.`,
  flags: {
    "base-cmd": { type: "string", value: "cmd", description: "the base command (a shell command)" },
    "head-cmd": {
      type: "string",
      value: "cmd",
      description: "the head command (with --base-ref/--base-dir: both sides' command)",
    },
    "base-ref": {
      type: "string",
      value: "git-ref",
      description: "measure the base on a temporary git worktree of this ref",
    },
    "base-dir": { type: "string", value: "dir", description: "measure the base in this folder" },
    setup: {
      type: "string",
      value: "cmd",
      description: "prepare the --base-ref checkout with this shell command",
    },
    base: {
      type: "string",
      value: "file",
      description: "stored base results (or a folder, or a git ref)",
    },
    head: { type: "string", value: "file", description: "stored head results" },
    name: {
      type: "string",
      value: "name",
      description: "the scenario's name in reports (default scenario)",
    },
    "expect-faster": {
      type: "string",
      value: "p",
      description:
        "pass only if head is at least p faster across the whole interval (e.g. 30%):\nimprovement holds / does not hold / inconclusive",
    },
    ...DECISION_FLAGS,
    ...SAMPLING_FLAGS,
    quick: { type: "boolean", description: "suites: quick mode (short samples)" },
    ...SUITE_FLAGS,
    ...REPORT_FLAGS,
  },
  async run({ values, positionals }, io) {
    // Every option is read and checked before anything is created or run.
    const format = formatOf(values);
    const decision = decisionOf(values, io);
    const sampling = samplingOf(values);
    const timeoutMs = positiveInt("timeout", values.timeout, 120) * 1000;
    const strict = values.strict === true;
    const baseKind =
      values.base === undefined ? undefined : kindOfBase(resolve(io.cwd, values.base));
    const baseRef = values["base-ref"] ?? (baseKind === "ref" ? values.base : undefined);
    const baseDirFlag = values["base-dir"] ?? (baseKind === "dir" ? values.base : undefined);
    const baseDir = baseDirFlag === undefined ? undefined : resolve(io.cwd, baseDirFlag);
    if (baseRef !== undefined && baseDir !== undefined)
      throw new PerflayerConfigError(
        "ERR_USAGE",
        "Pass one of --base-ref and --base-dir, not both.",
      );
    if (baseDir !== undefined && !(existsSync(baseDir) && statSync(baseDir).isDirectory()))
      throw new PerflayerConfigError(
        "ERR_USAGE",
        `--base-dir: no folder at ${baseDir}. Pass the base tree's folder, e.g. a second checkout.`,
      );
    const otherTree = baseRef !== undefined || baseDir !== undefined;
    const files = suiteFiles(positionals, io);

    if (files.length > 0) {
      // Suites in two trees: the base tree (a checkout of --base-ref, or --base-dir) and this one.
      if (!otherTree)
        throw new PerflayerConfigError(
          "ERR_USAGE",
          "compare <suite files…> needs the base tree: --base-ref <git-ref> (checked out for you) or --base-dir <dir>.",
        );
      const tree =
        baseRef === undefined
          ? undefined
          : checkedOut(await checkoutBase(baseRef, io.cwd, values.setup), io);
      const locate = (file: string): string =>
        tree?.locate(file) ?? join(baseDir as string, relative(io.cwd, file));
      let compared;
      try {
        compared = await compareSuites({
          suites: files.map((head) => ({ base: locate(head), head })),
          cwd: io.cwd,
          mode: values.quick === true ? "quick" : "full",
          decision,
          timeoutMs,
          ...(values.filter === undefined ? {} : { filter: values.filter }),
          onProgress: announcer(io),
        });
      } finally {
        tree?.dispose();
      }
      for (const note of compared.notes) io.stderr.write(`note: ${note}\n`);
      report(io, compared.results, format, values);
      const unmeasurable = compared.notes.some((n) => n.includes("could not be"));
      return unmeasurable ? EXIT.findings : exitFor(compared.results, decision, strict);
    }

    if (values["base-cmd"] !== undefined || values["head-cmd"] !== undefined || otherTree) {
      // With --base-ref/--base-dir one command may serve both sides: base there, head here.
      const baseCmd = values["base-cmd"] ?? (otherTree ? values["head-cmd"] : undefined);
      const headCmd = values["head-cmd"] ?? (otherTree ? values["base-cmd"] : undefined);
      if (baseCmd === undefined || headCmd === undefined)
        throw new PerflayerConfigError(
          "ERR_USAGE",
          otherTree
            ? "compare --base-ref/--base-dir needs the command to measure: --head-cmd <cmd> (used for both sides) or --base-cmd and --head-cmd, or suite files."
            : "compare needs both --base-cmd and --head-cmd.",
        );
      const name = values.name ?? "scenario";
      const tree =
        baseRef === undefined
          ? undefined
          : checkedOut(await checkoutBase(baseRef, io.cwd, values.setup), io);
      const baseCwd = tree?.locate(io.cwd) ?? baseDir ?? io.cwd;
      const bar = progress(io);
      let comparison: Comparison;
      let startup: string | undefined;
      try {
        comparison = await compareRunners({
          base: commandRunner(baseCmd, { cwd: baseCwd, timeoutMs }),
          head: commandRunner(headCmd, { cwd: io.cwd, timeoutMs }),
          decision,
          ...sampling,
          onRound: (round) => bar.update(round, sampling.maxSamples, name),
        });
        // Start-up weighs most on the faster side; it is measured after the comparison.
        const headFaster = comparison.verdict.medians.head <= comparison.verdict.medians.base;
        startup = await startupWarning(
          headFaster
            ? { side: "head", command: headCmd, cwd: io.cwd, samples: comparison.head }
            : { side: "base", command: baseCmd, cwd: baseCwd, samples: comparison.base },
        );
      } catch (error) {
        return unmeasured(error, `bench-gate compare: ${name}`, io);
      } finally {
        bar.end();
        tree?.dispose();
      }
      if (startup !== undefined) io.stderr.write(`warning: ${startup}\n`);
      const results = [{ name, comparison }];
      report(io, results, format, values);
      return exitFor(results, decision, strict);
    }

    if (values.base === undefined || values.head === undefined || baseKind !== "results")
      throw new PerflayerConfigError(
        "ERR_USAGE",
        "compare needs --base-cmd and --head-cmd, --base-ref or --base-dir with a command or suite files, or --base and --head results files. See bench-gate compare --help.",
      );
    const results = compareFiles(
      resolve(io.cwd, values.base),
      resolve(io.cwd, values.head),
      decision,
      io,
    );
    report(io, results, format, values);
    return exitFor(results, decision, strict);
  },
});
