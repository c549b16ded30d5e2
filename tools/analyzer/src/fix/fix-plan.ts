import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import { ts } from "ts-morph";
import type { AnalysisReport, AnalyzerFinding } from "../analysis-report.js";
import { analyze } from "../analyze.js";
import { projectRootOf } from "../project-root.js";
import { applyEdits, codeLines, importEdits, lineSpan, namesIn, overlaps } from "./source-edit.js";
import type { NeededImport, TextEdit } from "./source-edit.js";
import type { Rewrite, Rewriter } from "./rewrite.js";
import { rewriteRetryLoop } from "./rewrite-retry-loop.js";
import { rewriteTimeoutRace } from "./rewrite-timeout-race.js";
import { unifiedDiff } from "./unified-diff.js";

/** The rewriters by finding kind. */
const REWRITERS: Readonly<Record<string, Rewriter>> = {
  "timeout-race": rewriteTimeoutRace,
  "retry-poll": rewriteRetryLoop,
  "retry-backoff": rewriteRetryLoop,
};

/** The finding kinds `fix` can rewrite. */
export const FIXABLE_KINDS: readonly string[] = Object.keys(REWRITERS);

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
}

/** A finding `fix` rewrites. */
export interface RewrittenFix {
  /** Rewritten. */
  readonly status: "rewrite";
  /** The finding. */
  readonly finding: AnalyzerFinding;
  /** The perflayer API the code now calls. */
  readonly api: string;
  /** A unified diff of this finding's rewrite alone (its imports included). */
  readonly diff: string;
  /** Behaviour that changes on purpose. */
  readonly notes: readonly string[];
  /** The analyzer's eliminable lines for the finding. */
  readonly predictedLines: number;
  /** Code lines the rewrite removes, net of the lines it adds (imports apart). */
  readonly removedLines: number;
}

/** A finding `fix` leaves alone. */
export interface RefusedFix {
  /** Left alone. */
  readonly status: "refused";
  /** The finding. */
  readonly finding: AnalyzerFinding;
  /** Why the rewrite could not be proven safe. */
  readonly reason: string;
  /** The analyzer's eliminable lines for the finding. */
  readonly predictedLines: number;
}

/** What `fix` decided for one finding. */
export type PlannedFix = RewrittenFix | RefusedFix;

/** One file's text before and after all its rewrites. */
export interface FileFix {
  /** The path relative to the root. */
  readonly file: string;
  /** The absolute path. */
  readonly path: string;
  /** The text now. */
  readonly before: string;
  /** The text with every rewrite of the file and its imports. */
  readonly after: string;
  /** The modules the new imports name (the project must depend on them). */
  readonly modules: readonly string[];
}

/** Totals of a plan. */
export interface FixTotals {
  /** Findings of the kinds `fix` rewrites (and `kinds` selects). */
  readonly findings: number;
  /** Of them, rewritten. */
  readonly rewritten: number;
  /** Of them, left alone with a reason. */
  readonly refused: number;
  /** The analyzer's eliminable lines of the rewritten findings. */
  readonly predictedLines: number;
  /** Code lines the rewritten files lose, net (new imports counted). */
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

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (path.endsWith(".jsx")) return ts.ScriptKind.JSX;
  return /\.[cm]?js$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

function checkKinds(kinds: readonly string[]): void {
  for (const kind of kinds)
    if (!FIXABLE_KINDS.includes(kind))
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `Expected \`kinds\` to hold kinds fix rewrites (${FIXABLE_KINDS.join(", ")}), got \`${kind}\` (${typeof kind}). Pass e.g. { kinds: ["timeout-race"] }.`,
      );
}

/** Plans the fixes of one file's findings: rewrites that do not overlap, imports once. */
function planFile(
  root: string,
  file: string,
  findings: readonly AnalyzerFinding[],
): { fixes: PlannedFix[]; fileFix?: FileFix } {
  const path = join(root, file);
  const before = readFileSync(path, "utf8");
  const source = ts.createSourceFile(path, before, ts.ScriptTarget.Latest, true, scriptKind(path));
  const names = namesIn(source);
  const accepted: { finding: AnalyzerFinding; rewrite: Rewrite }[] = [];
  const fixes: PlannedFix[] = [];
  for (const finding of findings) {
    const rewriter = REWRITERS[finding.kind] as Rewriter;
    const result = rewriter({ file: source, names, finding });
    const clash = result.ok
      ? accepted.find((a) => a.rewrite.edits.some((e) => result.edits.some((f) => overlaps(e, f))))
      : undefined;
    if (!result.ok || clash !== undefined) {
      fixes.push({
        status: "refused",
        finding,
        reason: result.ok
          ? `its code overlaps the rewrite of the ${clash?.finding.kind} finding at line ${clash?.finding.startLine}`
          : result.reason,
        predictedLines: finding.eliminableLines,
      });
      continue;
    }
    accepted.push({ finding, rewrite: result });
    const own = importEdits(source, result.imports);
    fixes.push({
      status: "rewrite",
      finding,
      api: result.api,
      diff: unifiedDiff(file, before, applyEdits(before, [...result.edits, ...own])),
      notes: result.notes,
      predictedLines: finding.eliminableLines,
      removedLines: result.edits.reduce((sum, edit) => {
        const span = lineSpan(before, edit);
        return sum + codeLines(span.before) - codeLines(span.after);
      }, 0),
    });
  }
  if (accepted.length === 0) return { fixes };
  const imports: NeededImport[] = accepted.flatMap((a) => a.rewrite.imports);
  const edits: TextEdit[] = [
    ...accepted.flatMap((a) => a.rewrite.edits),
    ...importEdits(source, imports),
  ];
  return {
    fixes,
    fileFix: {
      file,
      path,
      before,
      after: applyEdits(before, edits),
      modules: [...new Set(imports.map((i) => i.module))],
    },
  };
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
  const byFile = new Map<string, AnalyzerFinding[]>();
  for (const finding of report.findings) {
    if (!kinds.includes(finding.kind)) {
      if (!FIXABLE_KINDS.includes(finding.kind))
        unsupported[finding.kind] = (unsupported[finding.kind] ?? 0) + 1;
      continue;
    }
    byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  }
  const planned = new Map<AnalyzerFinding, PlannedFix>();
  const files: FileFix[] = [];
  for (const [file, findings] of byFile) {
    const { fixes, fileFix } = planFile(root, file, findings);
    for (const fix of fixes) planned.set(fix.finding, fix);
    if (fileFix !== undefined) files.push(fileFix);
  }
  const fixes = report.findings.flatMap((f) => {
    const fix = planned.get(f);
    return fix === undefined ? [] : [fix];
  });
  const rewritten = fixes.filter((f) => f.status === "rewrite");
  return {
    root,
    fixes,
    files,
    unsupported,
    totals: {
      findings: fixes.length,
      rewritten: rewritten.length,
      refused: fixes.length - rewritten.length,
      predictedLines: rewritten.reduce((sum, f) => sum + f.predictedLines, 0),
      removedLines: files.reduce((sum, f) => sum + codeLines(f.before) - codeLines(f.after), 0),
    },
  };
}
