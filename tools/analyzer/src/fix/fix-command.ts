import { PerflayerConfigError } from "@perflayer/core";
import { EXIT, defineCommand, oneOf } from "@perflayer/toolkit";
import type { Command } from "@perflayer/toolkit";
import { existingPaths, minConfidenceFlag, rootFlag } from "../cli-args.js";
import type { ApplyFixesResult } from "./apply-fixes.js";
import { FIXABLE_KINDS } from "./fixable-kinds.js";
import type { FixPlan } from "./fix-plan.js";

const percent = (removed: number, predicted: number): string =>
  predicted === 0
    ? ""
    : ` (${removed >= predicted ? "+" : ""}${(((removed - predicted) / predicted) * 100).toFixed(1)} %)`;

/** The setup the net figures include, charged to the summary rather than to a finding. */
const setup = (lines: number): string =>
  lines === 0
    ? ""
    : `; net of ${lines} line(s) of setup (new imports, the shared module) charged to no finding`;

/**
 * The text of a plan: per finding the diff or the refusal, then a summary.
 * @param plan - from `planFixes`
 * @returns the text
 */
export function renderFixPlan(plan: FixPlan): string {
  const out: string[] = [];
  for (const fix of plan.fixes) {
    const where = `${fix.finding.file}:${fix.finding.startLine}-${fix.finding.endLine} ${fix.finding.kind}`;
    if (fix.status === "refused") {
      out.push(`${where}: left alone: ${fix.reason}`, "");
      continue;
    }
    out.push(
      `${where} → ${fix.api}: ${fix.removedLines} line(s) removed (predicted ${fix.predictedLines})`,
      ...fix.notes.map((n) => `  note: ${n}`),
      fix.diff,
    );
  }
  const t = plan.totals;
  out.push(
    `${t.findings} finding(s) of the kinds fix rewrites (${FIXABLE_KINDS.join(", ")}): ${t.rewritten} rewritten, ${t.refused} left alone`,
    `lines: ${t.removedLines} removed (net) vs ${t.predictedLines} predicted${percent(t.removedLines, t.predictedLines)}${setup(t.setupLines)}`,
  );
  const other = Object.entries(plan.unsupported);
  if (other.length > 0)
    out.push(`not rewritten by fix yet: ${other.map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
  const modules = [...new Set(plan.files.flatMap((f) => f.modules))];
  if (modules.length > 0)
    out.push(`the rewritten code imports ${modules.join(", ")}: the project must depend on it`);
  return `${out.join("\n")}\n`;
}

/**
 * The text of a write: what was kept, rolled back and restored, and the lines.
 * @param result - from `applyFixes`
 * @returns the text
 */
export function renderFixResult(result: ApplyFixesResult): string {
  const out = [
    `written: ${result.written.length} file(s)${result.written.length > 0 ? ` (${result.written.join(", ")})` : ""}`,
  ];
  for (const r of result.rolledBack)
    out.push(
      `rolled back ${r.file}: the rewrite does not type-check:`,
      ...r.diagnostics.map((d) => `  ${r.file}:${d}`),
    );
  if (result.test !== undefined)
    out.push(
      `test command \`${result.test.command}\` exited ${String(result.test.exitCode)}${result.restored ? ": every written file restored" : ""}`,
      ...(result.restored ? [result.test.output.trimEnd()] : []),
    );
  out.push(
    `lines: ${result.removedLines} removed vs ${result.predictedLines} predicted${percent(result.removedLines, result.predictedLines)}${setup(result.setupLines)}`,
  );
  return `${out.join("\n")}\n`;
}

/** `perflayer-analyze fix`: plans (and with `--write` applies) the rewrites onto perflayer. */
export const fixCommand: Command = defineCommand({
  name: "fix",
  summary: "Rewrites the findings it can prove safe onto the perflayer APIs (dry run by default).",
  usage: ["[paths…] [--write] [--kind k] [--test cmd] [--shared-module path] [--json]"],
  description:
    'Analyses each path (default: .), then per finding of a kind it rewrites prints a unified diff,\nor the reason it is left alone, and a summary. --write type-checks each rewritten file, writes\nthe ones that still type-check, runs --test, and restores everything when the tests fail.\nTimers and caches go through one shared module (src/perflayer.ts: its PerformanceMonitor and\nCacheManager), reused when it exists. Exit 1 when a rewrite was rolled back or the tests failed.\n\nExample: perflayer-analyze fix src --kind timer-delta,retry-poll --write --test "npm test"',
  flags: {
    write: { type: "boolean", description: "write the rewrites (verified; default: dry run)" },
    kind: {
      type: "string",
      multiple: true,
      value: "k",
      description: `only these kinds: ${FIXABLE_KINDS.join(", ")} (repeatable, or comma-separated)`,
    },
    test: {
      type: "string",
      value: "cmd",
      description:
        "with --write: a shell command run in the root after writing (the tests);\nevery written file is restored when it fails",
    },
    "min-confidence": {
      type: "string",
      value: "n",
      description: "skip findings below n (0–1, default 0.6)",
    },
    "shared-module": {
      type: "string",
      value: "path",
      description:
        "the project's PerformanceMonitor / CacheManager module, relative to the root\n(default: src/perflayer.ts, or perflayer.ts without a src folder)",
    },
    root: {
      type: "string",
      value: "dir",
      description: "the project root (default: as perflayer-analyze)",
    },
    json: { type: "boolean", description: "print the plan (and the write's result) as JSON" },
  },
  async run({ values, positionals }, io) {
    const kinds = (values.kind ?? [])
      .flatMap((k) => k.split(","))
      .map((k) => oneOf("kind", k.trim(), FIXABLE_KINDS));
    const minConfidence = minConfidenceFlag(values["min-confidence"]);
    if (values.test !== undefined && values.write !== true)
      throw new PerflayerConfigError("ERR_USAGE", "--test runs after writing: pass --write too.");
    const paths = existingPaths(positionals, io.cwd);
    // The rewriters load the parser: the CLI imports them only when `fix` runs.
    const [{ planFixes }, { applyFixes }] = await Promise.all([
      import("./fix-plan.js"),
      import("./apply-fixes.js"),
    ]);
    const plan = await planFixes(paths, {
      root: rootFlag(values.root, io.cwd, paths),
      ...(kinds.length > 0 ? { kinds } : {}),
      ...(minConfidence === undefined ? {} : { minConfidence }),
      ...(values["shared-module"] === undefined ? {} : { sharedModule: values["shared-module"] }),
    });
    const result =
      values.write === true
        ? applyFixes(plan, values.test === undefined ? {} : { test: values.test })
        : undefined;
    if (values.json === true)
      io.stdout.write(
        `${JSON.stringify({ plan: { ...plan, files: plan.files.map(({ before: _b, after: _a, ...f }) => f) }, result }, null, 2)}\n`,
      );
    else
      io.stdout.write(renderFixPlan(plan) + (result === undefined ? "" : renderFixResult(result)));
    return result !== undefined && (result.rolledBack.length > 0 || result.restored)
      ? EXIT.findings
      : EXIT.ok;
  },
});
