import { isAbsolute, resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import type { AnalysisReport } from "../analysis-report.js";
import { analyze } from "../analyze.js";
import { projectRootOf } from "../project-root.js";
import { FIXABLE_KINDS } from "./fixable-kinds.js";
import { planFindings } from "./plan-findings.js";
import type { FileFix, PlannedFix } from "./plan-findings.js";
import { codeLines } from "./source-edit.js";

/** Options of {@link planFixes}. */
export interface FixOptions {
  /**
   * The project root paths are read from (with paths: where `analyze` runs; with a report: where
   * its relative paths point).
   * @defaultValue the report's root, or the nearest folder above the first path with `.git` or a workspace declaration
   */
  readonly root?: string;
  /**
   * Only these finding kinds (see {@link FIXABLE_KINDS}).
   * @defaultValue every kind `fix` can rewrite
   */
  readonly kinds?: readonly string[];
  /**
   * With paths: findings below this confidence are not reported, so not fixed.
   * @defaultValue 0.6 (the analyzer's default)
   */
  readonly minConfidence?: number;
  /**
   * Where the project's one `PerformanceMonitor` / `CacheManager` module is (reused when it
   * exists, created when a rewrite needs it), relative to the root.
   * @defaultValue `src/perflayer.ts`, or `perflayer.ts` when the root has no `src` folder
   */
  readonly sharedModule?: string;
}

/** Totals of a plan. */
export interface FixTotals {
  /** Findings of the kinds `fix` rewrites (and `kinds` selects). */
  readonly findings: number;
  /** Of them, rewritten. */
  readonly rewritten: number;
  /** Of them, left alone with a reason. */
  readonly refused: number;
  /**
   * The analyzer's eliminable lines of the rewritten findings (each what its rewrite removes in
   * place, never below 0), less the plan's {@link FixTotals.setupLines}: what the files should lose, net.
   */
  readonly predictedLines: number;
  /**
   * Lines of setup charged to the summary, not to a finding: the files' new imports, the shared
   * modules' new lines, and what a rewrite writes beyond what it removes.
   */
  readonly setupLines: number;
  /** Code lines the rewritten files lose, net (setup counted). */
  readonly removedLines: number;
}

/** What `fix` would do: per finding a rewrite or a refusal, per file the new text. */
export interface FixPlan {
  /** The project root. */
  readonly root: string;
  /** One entry per finding of a fixable kind, in report order. */
  readonly fixes: readonly PlannedFix[];
  /** The files that change. */
  readonly files: readonly FileFix[];
  /** Findings of kinds `fix` does not rewrite (yet), by kind. */
  readonly unsupported: Readonly<Record<string, number>>;
  /** Totals. */
  readonly totals: FixTotals;
}

function checkKinds(kinds: readonly string[]): void {
  for (const kind of kinds)
    if (!FIXABLE_KINDS.includes(kind))
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `Expected \`kinds\` to hold kinds fix rewrites (${FIXABLE_KINDS.join(", ")}), got \`${kind}\` (${typeof kind}). Pass e.g. { kinds: ["timeout-race"] }.`,
      );
}

/**
 * Plans the migration of the findings `fix` can rewrite: for each, the rewrite onto the perflayer
 * API (a unified diff, the lines it removes) or the reason it is left alone. Reads files, writes
 * nothing ({@link applyFixes} writes).
 *
 * @example
 * ```ts
 * const plan = await planFixes(["src"], { kinds: ["timeout-race"] });
 * for (const fix of plan.fixes) console.log(fix.status === "rewrite" ? fix.diff : fix.reason);
 * ```
 * @param input - an analysis report, or paths to analyse first
 * @param options - root, kinds, minimum confidence
 * @returns the plan
 */
export async function planFixes(
  input: AnalysisReport | readonly string[],
  options: FixOptions = {},
): Promise<FixPlan> {
  const kinds = options.kinds ?? FIXABLE_KINDS;
  checkKinds(kinds);
  const shared = options.sharedModule;
  if (shared !== undefined && (isAbsolute(shared) || !/\.[cm]?[jt]s$/.test(shared)))
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      `Expected \`sharedModule\` to be a .ts or .js path relative to the root, got \`${String(shared)}\` (${typeof shared}). Pass e.g. { sharedModule: "src/perflayer.ts" }.`,
    );
  let report: AnalysisReport;
  let root: string;
  if (Array.isArray(input)) {
    const paths = (input as readonly string[]).map((p) => resolve(p));
    root = options.root === undefined ? projectRootOf(paths) : resolve(options.root);
    report = await analyze({
      root,
      paths,
      cacheDir: false,
      ...(options.minConfidence === undefined ? {} : { minConfidence: options.minConfidence }),
    });
  } else {
    report = input as AnalysisReport;
    root = options.root === undefined ? report.root : resolve(options.root);
  }
  const unsupported: Record<string, number> = {};
  for (const finding of report.findings)
    if (!FIXABLE_KINDS.includes(finding.kind))
      unsupported[finding.kind] = (unsupported[finding.kind] ?? 0) + 1;
  const { fixes, files } = planFindings(
    root,
    report.findings.filter((f) => kinds.includes(f.kind)),
    options.sharedModule,
  );
  const rewritten = fixes.filter((f) => f.status === "rewrite");
  const setupLines = files.reduce((sum, f) => sum + f.setupLines, 0);
  return {
    root,
    fixes,
    files,
    unsupported,
    totals: {
      findings: fixes.length,
      rewritten: rewritten.length,
      refused: fixes.length - rewritten.length,
      predictedLines: rewritten.reduce((sum, f) => sum + f.predictedLines, 0) - setupLines,
      setupLines,
      removedLines: files.reduce((sum, f) => sum + codeLines(f.before) - codeLines(f.after), 0),
    },
  };
}
