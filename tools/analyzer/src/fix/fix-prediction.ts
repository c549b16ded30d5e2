import type { AnalyzerFinding } from "../analysis-report.js";
import type { Category } from "../detector.js";
import type { KeptTree } from "../examine.js";
import { FIXABLE_KINDS } from "./fixable-kinds.js";
import { cachedPrediction, findingKey, keepPrediction, predictionKey } from "./prediction-cache.js";
import type { PredictionCache } from "./prediction-cache.js";

/** The findings with `fix`'s figures, and the setup it charges to no finding. */
export interface FixPrediction {
  /** The findings, those `fix` rewrites with the lines its rewrite removes in place (`fixRemovesLines`). */
  readonly findings: AnalyzerFinding[];
  /**
   * Code lines of setup `fix` writes once for those rewrites (new imports, the shared module's new
   * lines, what a rewrite writes beyond what it removes), charged to no finding: the findings'
   * figures less this are what the files lose.
   */
  readonly setupLines: number;
  /**
   * The same setup by the category it is counted under: a file's under the category of its first
   * rewritten finding, the shared module's under that of the first rewritten finding of a file that
   * imports it.
   */
  readonly setupByCategory: Readonly<Partial<Record<Category, number>>>;
}

/**
 * For the findings `fix` rewrites, what the rewrite removes in place: its own lines, net of what it
 * writes in their place, never below 0 (`fixRemovesLines`, beside the finding's eliminable lines —
 * what a migration deletes, which `fix` may not: it can swap a memo's store and keep its code). The
 * setup a rewrite needs once — a file's new imports, the lines the shared monitor / cache manager
 * module gains, and what a rewrite writes beyond what it removes — is charged to `fix`'s summary,
 * not to a finding (the rewritten findings' figures less that setup are what `fix --write`
 * removes).
 * @param root - the project root the findings' paths are relative to
 * @param findings - the report's findings
 * @param cache - where the last prediction is kept (a warm run with the same files and findings
 *   reads it instead of planning the rewrites again, without loading the TypeScript parser)
 * @param trees - trees of the files, by relative path, from the per-file pass of this run: a file
 *   whose text is still the same is planned on its tree instead of being parsed again
 * @returns the findings, those `fix` rewrites with its count, and the setup lines `fix` writes once
 */
export async function predictFromFix(
  root: string,
  findings: readonly AnalyzerFinding[],
  cache?: PredictionCache,
  trees?: ReadonlyMap<string, KeptTree>,
): Promise<FixPrediction> {
  const fixable = findings.filter((f) => FIXABLE_KINDS.includes(f.kind));
  const key = cache === undefined ? undefined : predictionKey(root, fixable, cache.key);
  let kept = cache === undefined || key === undefined ? undefined : cachedPrediction(cache, key);
  if (kept === undefined) {
    const removed = new Map<string, number>();
    // The rewriters load the parser: only a prediction that is not cached needs them.
    const { planFindings } = await import("./plan-findings.js");
    const plan = planFindings(root, fixable, undefined, trees);
    for (const fix of plan.fixes)
      if (fix.status === "rewrite") removed.set(findingKey(fix.finding), fix.removedLines);
    const setup: Partial<Record<string, number>> = {};
    const rewritten = plan.fixes.filter((f) => f.status === "rewrite");
    for (const file of plan.files) {
      if (file.setupLines === 0) continue;
      const usesIt =
        file.shared === true
          ? new Set(plan.files.filter((f) => f.usesShared === true).map((f) => f.file))
          : new Set([file.file]);
      const category = rewritten.find((f) => usesIt.has(f.finding.file))?.finding.category;
      if (category !== undefined) setup[category] = (setup[category] ?? 0) + file.setupLines;
    }
    kept = { removed, setup };
    if (cache !== undefined && key !== undefined) keepPrediction(cache, key, kept);
  }
  const { removed, setup } = kept;
  const setupLines = Object.values(setup).reduce((sum: number, n) => sum + (n ?? 0), 0);
  const predicted = findings.map((finding) => {
    const lines = removed.get(findingKey(finding));
    if (lines === undefined) return finding;
    return {
      ...finding,
      fixRemovesLines: lines,
      message: `${finding.message} perflayer-analyze fix rewrites it: ${lines} line${lines === 1 ? "" : "s"} fewer in place (its imports and shared module are counted once, in its summary).`,
    };
  });
  return {
    findings: predicted,
    setupLines,
    setupByCategory: setup,
  };
}
