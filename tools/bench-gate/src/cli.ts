import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { PerflayerConfigError, detectProfile } from "@perflayer/core";
import { EXIT, emit, oneOf, parseFlags, withErrorBoundary } from "@perflayer/toolkit";
import type { CliIo } from "@perflayer/toolkit";
import { compareRunners } from "./compare.js";
import type { Comparison } from "./compare.js";
import { renderMarkdown, renderSvg, renderText } from "./render.js";
import type { NamedComparison } from "./render.js";
import {
  fingerprintDifferences,
  fingerprintEnvironment,
  loadResults,
  mergeResults,
} from "./results.js";
import type { ResultsFile } from "./results.js";
import { checkoutBase } from "./base-tree.js";
import { compareSuites } from "./compare-suites.js";
import { checkSuites } from "./gate.js";
import type { CheckReport } from "./gate.js";
import { renderRunMarkdown, renderRunText, runComparisons, spliceReport } from "./render-run.js";
import { toResultsFile } from "./run-suites.js";
import { commandRunner } from "./runners.js";
import type { Runner, Sample } from "./runners.js";
import { decide } from "./verdict.js";

const USAGE =
  "bench-gate run <suite files…> | check <suite files…> [--baseline f] | compare (--base-cmd <cmd> --head-cmd <cmd> | (--base-ref <git-ref> | --base-dir <dir>) (--head-cmd <cmd> | <suite files…>) | --base <results.json> --head <results.json>) [--expect-faster 30%] [--threshold 5%] | run --cmd name=<cmd> | calibrate --cmd <cmd> | baseline save|show";

const HELP = `A benchmark gate that gives honest verdicts on noisy machines.

Usage:
  bench-gate run <suite files…> [--quick] [--filter text] [--out results.json] [--report benchmarks.md]
                      run benchmark suites (each benchmark in a fresh process, contenders
                      interleaved) and judge the targets declared next to them
  bench-gate check <suite files…> [--baseline bench-baseline.json] [--out results.json]
                      the CI gate: a quick run, targets judged, compared with the committed
                      baseline; a missed target or a regression is re-run once before it fails
  bench-gate compare --base-cmd <cmd> --head-cmd <cmd> [options]
                      run both commands interleaved in fresh processes and decide
  bench-gate compare --base-ref <git-ref> --head-cmd <cmd> [--setup <cmd>] [options]
                      the same command on a checkout of <git-ref> (a temporary git worktree,
                      prepared with --setup, e.g. "pnpm install && pnpm build") and on this tree
  bench-gate compare --base-ref <git-ref> [--setup <cmd>] <suite files…> [--quick] [options]
                      the suites' benchmarks on a checkout of <git-ref> and on this tree, our side
                      only, in fresh processes taken alternately from each tree
  bench-gate compare --base-dir <dir> (--head-cmd <cmd> | <suite files…>)
                      the same with another folder (e.g. a second checkout) as the base
  bench-gate compare --base <results.json> --head <results.json> [options]
                      decide from stored samples (bench-gate, hyperfine, tinybench, vitest bench,
                      mitata); --base also takes a folder or a git ref, as --base-dir/--base-ref do
  bench-gate run --cmd <name>=<cmd> [--cmd …] [--samples n] --out results.json
                      record samples of commands
  bench-gate calibrate --cmd <cmd> [--repeats n]
                      run a command against itself n times: the empirical false-positive rate
  bench-gate baseline save --from <results.json> [--from …] [--to bench-baseline.json]
                      keep a baseline (several --from pool runs: the variation between runs is
                      then part of the baseline, not the luck of one)
  bench-gate baseline show [bench-baseline.json]

Options:
  --quick               quick mode (short samples; benchmarks marked quick: false skipped); check
                        always runs quick
  --filter <text>       only benchmarks whose "suite › name" contains text
  --timeout <s>         a benchmark process taking longer is killed (default 120)
  --baseline <file>     baseline of check (default bench-baseline.json when it exists)
  --report <file>       write a Markdown report; between <!-- bench-gate:start --> and
                        <!-- bench-gate:end --> when the file has them, keeping the prose around
  --strict              inconclusive verdicts fail too
  --expect-faster <p>   pass only if head is at least p faster across the whole interval (e.g. 30%)
  --threshold <p>       a slowdown beyond p is a regression (default: 5% locally, 10% under CI)
  --confidence <c>      confidence of the intervals of compare (default 0.95)
  --max-time <s>        sampling budget per comparison in seconds (default 60)
  --min-samples <n>     rounds before stopping early (default 10); --max-samples <n> (default 60)
  --format <f>          text (default), md, json, svg;  --json = --format json
  --out <file>          write the report to a file
  --help                this text

Exit codes: 0 pass (no change, improvement, improvement holds, target met), 1 regression or missed
target (each confirmed by a re-run), an expected improvement that does not hold, or a benchmark
that could not be measured (threw, crashed, timed out), 2 usage or internal error. "inconclusive"
is printed plainly with its reason and exits 0, unless --strict (or --expect-faster) is given.
`;

function percent(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(value.trim());
  if (match === null)
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --${flag} to be a percentage like 30% or 0.3, got "${value}".`,
    );
  const n = Number(match[1]);
  return value.includes("%") || n > 1 ? n / 100 : n;
}

/** What `--base` names: a results file (any `.json`), a folder, or (neither) a git ref. */
function kindOfBase(path: string): "results" | "dir" | "ref" {
  if (path.endsWith(".json")) return "results";
  if (!existsSync(path)) return "ref";
  return statSync(path).isDirectory() ? "dir" : "results";
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --${flag} to be a whole number >= 1, got "${value}".`,
    );
  return n;
}

function report(
  io: CliIo,
  results: NamedComparison[],
  format: string,
  out: string | undefined,
): void {
  const text =
    format === "json"
      ? `${JSON.stringify(
          results.map(({ name, comparison, unit }) => ({
            name,
            unit: unit ?? "ms",
            verdict: comparison.verdict,
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
          : renderText(results);
  emit(io, text, out);
}

function exitFor(results: NamedComparison[], expectFaster: number | undefined): number {
  const failed = results.some(
    ({ comparison }) =>
      comparison.verdict.kind === "regression" ||
      (expectFaster !== undefined && comparison.verdict.kind !== "improvement holds"),
  );
  return failed ? EXIT.findings : EXIT.ok;
}

/**
 * The `bench-gate` command. Only `bin/bench-gate.js` sets the exit code.
 * @param argv - arguments after the command name
 * @param io - streams and environment
 * @returns 0 pass, 1 regression or expected improvement missing, 2 usage or internal error
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return withErrorBoundary("bench-gate", io, async () => {
    const { values, positionals } = parseFlags(
      argv,
      {
        "base-cmd": { type: "string" },
        "base-ref": { type: "string" },
        "base-dir": { type: "string" },
        setup: { type: "string" },
        "head-cmd": { type: "string" },
        base: { type: "string" },
        head: { type: "string" },
        cmd: { type: "string", multiple: true },
        name: { type: "string" },
        "expect-faster": { type: "string" },
        threshold: { type: "string" },
        confidence: { type: "string" },
        "max-time": { type: "string" },
        "min-samples": { type: "string" },
        "max-samples": { type: "string" },
        samples: { type: "string" },
        repeats: { type: "string" },
        from: { type: "string", multiple: true },
        to: { type: "string" },
        format: { type: "string" },
        json: { type: "boolean" },
        out: { type: "string" },
        quick: { type: "boolean" },
        filter: { type: "string" },
        timeout: { type: "string" },
        baseline: { type: "string" },
        report: { type: "string" },
        strict: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      USAGE,
    );
    if (values.help === true || positionals.length === 0) {
      io.stdout.write(HELP);
      return values.help === true ? EXIT.ok : EXIT.error;
    }
    const format =
      values.json === true
        ? "json"
        : oneOf("format", values.format ?? "text", ["text", "md", "json", "svg"] as const);
    const profile = detectProfile(io.env);
    const threshold =
      values.threshold === undefined
        ? profile.benchNoiseTolerance
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
    const decision = {
      threshold,
      ...(expectFaster === undefined ? {} : { expectFaster }),
      ...(confidence === undefined ? {} : { confidence }),
    };
    const sampling = {
      maxTimeMs: values["max-time"] === undefined ? 60_000 : Number(values["max-time"]) * 1000,
      minSamples: positiveInt("min-samples", values["min-samples"], 10),
      maxSamples: positiveInt("max-samples", values["max-samples"], 60),
    };
    const command = positionals[0];
    // Which benchmark is being measured: a line each, kept out of non-interactive CI logs.
    const say = (message: string): void => {
      if (io.env["CI"] === undefined || io.stderr.isTTY === true) io.stderr.write(`${message}\n`);
    };
    const progress = (label: string) => (round: number) => {
      if (io.stderr.isTTY === true && io.env["CI"] === undefined)
        io.stderr.write(`\r${label}: round ${round}   `);
    };

    if (command === "compare") {
      // --base takes a results file, a folder (another tree) or a git ref, like the explicit flags.
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
      const suiteFiles = positionals.slice(1).map((file) => resolve(io.cwd, file));
      if (suiteFiles.length > 0) {
        // Suites in two trees: the base tree (a checkout of --base-ref, or --base-dir) and this one.
        if (baseRef === undefined && baseDir === undefined)
          throw new PerflayerConfigError(
            "ERR_USAGE",
            "compare <suite files…> needs the base tree: --base-ref <git-ref> (checked out for you) or --base-dir <dir>.",
          );
        const tree =
          baseRef === undefined ? undefined : checkoutBase(baseRef, io.cwd, values.setup);
        const locate = (file: string): string =>
          tree?.locate(file) ?? join(baseDir as string, relative(io.cwd, file));
        let compared;
        try {
          compared = await compareSuites({
            suites: suiteFiles.map((head) => ({ base: locate(head), head })),
            cwd: io.cwd,
            mode: values.quick === true ? "quick" : "full",
            decision,
            timeoutMs: positiveInt("timeout", values.timeout, 120) * 1000,
            ...(values.filter === undefined ? {} : { filter: values.filter }),
            onProgress: say,
          });
        } finally {
          tree?.dispose();
        }
        for (const note of compared.notes) io.stderr.write(`note: ${note}\n`);
        report(io, compared.results, format, values.out);
        const unmeasured = compared.notes.some((n) => n.includes("could not be"));
        return unmeasured ? EXIT.findings : exitFor(compared.results, expectFaster);
      }
      const otherTree = baseRef !== undefined || baseDir !== undefined;
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
          baseRef === undefined ? undefined : checkoutBase(baseRef, io.cwd, values.setup);
        let comparison;
        try {
          comparison = await compareRunners({
            base: commandRunner(baseCmd, { cwd: tree?.locate(io.cwd) ?? baseDir ?? io.cwd }),
            head: commandRunner(headCmd, { cwd: io.cwd }),
            decision,
            ...sampling,
            onRound: progress(name),
          });
        } finally {
          tree?.dispose();
        }
        const results = [{ name, comparison }];
        report(io, results, format, values.out);
        return exitFor(results, expectFaster);
      }
      if (values.base === undefined || values.head === undefined || baseKind !== "results")
        throw new PerflayerConfigError(
          "ERR_USAGE",
          `compare needs --base-cmd/--head-cmd or --base/--head results files. Usage: ${USAGE}`,
        );
      const base = loadResults(resolve(io.cwd, values.base));
      const head = loadResults(resolve(io.cwd, values.head));
      if (base.environment !== undefined && head.environment !== undefined) {
        const diff = fingerprintDifferences(base.environment, head.environment);
        if (diff.length > 0)
          io.stderr.write(
            `warning: base and head were measured on different environments (${diff.join("; ")}); verdicts may reflect the machine, not the code.\n`,
          );
      }
      const results: NamedComparison[] = [];
      for (const name of Object.keys(head.benchmarks).sort()) {
        const b = base.benchmarks[name];
        const h = head.benchmarks[name] as number[];
        if (b === undefined) {
          io.stderr.write(`warning: ${name} is only in head; not compared.\n`);
          continue;
        }
        const toSamples = (list: readonly number[]): Sample[] => list.map((value) => ({ value }));
        results.push({
          name,
          comparison: {
            verdict: decide(b, h, decision),
            base: toSamples(b),
            head: toSamples(h),
          } satisfies Comparison,
        });
      }
      for (const name of Object.keys(base.benchmarks))
        if (head.benchmarks[name] === undefined)
          io.stderr.write(`warning: ${name} is only in base; not compared.\n`);
      report(io, results, format, values.out);
      return exitFor(results, expectFaster);
    }

    if ((command === "run" && values.cmd === undefined) || command === "check") {
      const files = positionals.slice(1);
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
        baselinePath !== undefined && existsSync(baselinePath)
          ? loadResults(baselinePath)
          : undefined;
      const checked: CheckReport = await checkSuites({
        files,
        cwd: io.cwd,
        mode: command === "check" || values.quick === true ? "quick" : "full",
        tolerance: threshold,
        threshold,
        timeoutMs: positiveInt("timeout", values.timeout, 120) * 1000,
        ...(values.filter === undefined ? {} : { filter: values.filter }),
        ...(baseline === undefined ? {} : { baseline }),
        onProgress: say,
      });
      for (const warning of checked.warnings) io.stderr.write(`warning: ${warning}\n`);
      if (baseline === undefined && command === "check")
        io.stderr.write(
          `note: no baseline at ${baselinePath ?? ""}; only the declared targets were judged.\n`,
        );
      if (values.out !== undefined)
        emit(io, `${JSON.stringify(toResultsFile(checked.run), null, 2)}\n`, values.out);
      if (values.report !== undefined) {
        const path = resolve(io.cwd, values.report);
        const existing = existsSync(path) ? readFileSync(path, "utf8") : undefined;
        emit(io, spliceReport(existing, renderRunMarkdown(checked.run, checked.baseline)), path);
      }
      io.stdout.write(
        format === "json"
          ? `${JSON.stringify({ ...checked, baseline: Object.fromEntries(checked.baseline) }, null, 2)}\n`
          : format === "md"
            ? renderRunMarkdown(checked.run, checked.baseline)
            : format === "svg"
              ? renderSvg(runComparisons(checked.run))
              : renderRunText(checked.run, checked.baseline),
      );
      const inconclusive =
        checked.run.results.some((r) => r.verdict?.kind === "inconclusive") ||
        [...checked.baseline.values()].some(
          (b) => "verdict" in b && b.verdict.kind === "inconclusive",
        );
      if (checked.failures.length > 0) {
        io.stderr.write(
          `bench-gate ${command}: ${checked.failures.length} failing:\n${checked.failures.map((f) => `  ${f}`).join("\n")}\n`,
        );
        return EXIT.findings;
      }
      return values.strict === true && inconclusive ? EXIT.findings : EXIT.ok;
    }

    if (command === "run") {
      const commands = (values.cmd ?? []).map((spec) => {
        const eq = spec.indexOf("=");
        if (eq <= 0)
          throw new PerflayerConfigError(
            "ERR_USAGE",
            `Expected --cmd name=command, got "${spec}".`,
          );
        return {
          name: spec.slice(0, eq),
          runner: commandRunner(spec.slice(eq + 1), { cwd: io.cwd }),
        };
      });
      if (commands.length === 0)
        throw new PerflayerConfigError("ERR_USAGE", "run needs at least one --cmd name=command.");
      const samples = positiveInt("samples", values.samples, 20);
      const benchmarks: Record<string, number[]> = {};
      for (const { name, runner } of commands) {
        await runner(); // warm-up, discarded
        const list: number[] = [];
        for (let i = 0; i < samples; i++) {
          try {
            list.push((await runner()).value);
          } catch (error) {
            io.stderr.write(`${name}: ${(error as Error).message}; this benchmark is left out.\n`);
            break;
          }
        }
        if (list.length === samples) benchmarks[name] = list;
      }
      const file: ResultsFile = {
        format: "perflayer-bench-gate/1",
        environment: fingerprintEnvironment(),
        benchmarks,
        savedAt: new Date().toISOString(),
      };
      emit(io, `${JSON.stringify(file, null, 2)}\n`, values.out);
      return EXIT.ok;
    }

    if (command === "calibrate") {
      const cmd = values.cmd?.[0];
      if (cmd === undefined)
        throw new PerflayerConfigError(
          "ERR_USAGE",
          "calibrate needs --cmd <command> (run against itself).",
        );
      const repeats = positiveInt("repeats", values.repeats, 20);
      const runner: Runner = commandRunner(cmd.replace(/^[\w-]+=/, ""), { cwd: io.cwd });
      let falsePositives = 0;
      let inconclusive = 0;
      for (let i = 0; i < repeats; i++) {
        const { verdict } = await compareRunners({
          base: runner,
          head: runner,
          decision: { threshold },
          ...sampling,
          confirmRegression: true,
          seed: i + 1,
        });
        if (verdict.kind === "regression" || verdict.kind === "improvement") falsePositives++;
        if (verdict.kind === "inconclusive") inconclusive++;
      }
      io.stdout.write(
        `calibrate: ${repeats} A/A comparisons at a ${(threshold * 100).toFixed(1)} % threshold: ${falsePositives} false positive(s) (${((falsePositives / repeats) * 100).toFixed(1)} %), ${inconclusive} inconclusive.\n`,
      );
      return falsePositives / repeats > 0.05 ? EXIT.findings : EXIT.ok;
    }

    if (command === "baseline") {
      const action = positionals[1];
      if (action === "save") {
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
        const file: ResultsFile = {
          format: "perflayer-bench-gate/1",
          environment: loaded.environment ?? fingerprintEnvironment(),
          ...(loaded.mode === undefined ? {} : { mode: loaded.mode }),
          benchmarks: loaded.benchmarks,
          ...(loaded.anchors === undefined || Object.keys(loaded.anchors).length === 0
            ? {}
            : { anchors: loaded.anchors }),
          ...(loaded.units === undefined || Object.keys(loaded.units).length === 0
            ? {}
            : { units: loaded.units }),
          ...(loaded.processes === undefined || Object.keys(loaded.processes).length === 0
            ? {}
            : { processes: loaded.processes }),
          ...(loaded.anchorProcesses === undefined ||
          Object.keys(loaded.anchorProcesses).length === 0
            ? {}
            : { anchorProcesses: loaded.anchorProcesses }),
          savedAt: new Date().toISOString(),
        };
        emit(io, `${JSON.stringify(file, null, 2)}\n`, values.to ?? "bench-baseline.json");
        return EXIT.ok;
      }
      if (action === "show") {
        const path = resolve(io.cwd, positionals[2] ?? "bench-baseline.json");
        if (!existsSync(path))
          throw new PerflayerConfigError(
            "ERR_BASELINE",
            `No baseline at ${path}. Create one with: bench-gate run … --out results.json && bench-gate baseline save --from results.json`,
          );
        const loaded = loadResults(path);
        const here = fingerprintEnvironment();
        const lines = Object.entries(loaded.benchmarks).map(
          ([name, list]) =>
            `  ${name}: ${list.length} samples, median ${[...list].sort((a, b) => a - b)[list.length >> 1]?.toFixed(3)} ms`,
        );
        io.stdout.write(`${path}\n${lines.join("\n")}\n`);
        if (loaded.environment !== undefined) {
          const diff = fingerprintDifferences(loaded.environment, here);
          if (diff.length > 0)
            io.stderr.write(`warning: the baseline was recorded elsewhere (${diff.join("; ")}).\n`);
        }
        return EXIT.ok;
      }
      throw new PerflayerConfigError("ERR_USAGE", "baseline needs save or show.");
    }
    throw new PerflayerConfigError("ERR_USAGE", `Unknown command "${command}". Usage: ${USAGE}`);
  });
}
