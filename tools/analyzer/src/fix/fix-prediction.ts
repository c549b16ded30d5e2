import type { AnalyzerFinding } from "../analysis-report.js";
import type { KeptTree } from "../examine.js";
import { FIXABLE_KINDS } from "./fixable-kinds.js";
import { cachedPrediction, findingKey, keepPrediction, predictionKey } from "./prediction-cache.js";
import type { PredictionCache } from "./prediction-cache.js";

/**
 * The analyzer's eliminable lines, for the findings `fix` rewrites, become what the rewrite removes:
 * its own lines, net of what it writes, with the file's new imports (charged to the file's first
 * rewrite) and the lines the shared monitor / cache manager module gains (charged to the first
 * rewrite that uses it), so that the report's figure and `fix --write`'s count agree. A finding
 * `fix` leaves alone keeps the detector's count (what a migration by hand would delete). The
 * figure can be negative: a rewrite that adds lines (a timer's shared monitor) still says so.
 * @param root - the project root the findings' paths are relative to
 * @param findings - the report's findings
 * @param cache - where the last prediction is kept (a warm run with the same files and findings
 *   reads it instead of planning the rewrites again, without loading the TypeScript parser)
 * @param trees - trees of the files, by relative path, from the per-file pass of this run: a file
 *   whose text is still the same is planned on its tree instead of being parsed again
 * @returns the findings, those `fix` rewrites with its count
 */
export async function predictFromFix(
  root: string,
  findings: readonly AnalyzerFinding[],
  cache?: PredictionCache,
  trees?: ReadonlyMap<string, KeptTree>,
): Promise<AnalyzerFinding[]> {
  const fixable = findings.filter((f) => FIXABLE_KINDS.includes(f.kind));
  const key = cache === undefined ? undefined : predictionKey(root, fixable, cache.key);
  let removed = cache === undefined || key === undefined ? undefined : cachedPrediction(cache, key);
  if (removed === undefined) {
    removed = new Map();
    // The rewriters load the parser: only a prediction that is not cached needs them.
    const { planFindings } = await import("./plan-findings.js");
    for (const fix of planFindings(root, fixable, undefined, trees).fixes)
      if (fix.status === "rewrite") removed.set(findingKey(fix.finding), fix.removedLines);
    if (cache !== undefined && key !== undefined) keepPrediction(cache, key, removed);
  }
  return findings.map((finding) => {
    const lines = removed.get(findingKey(finding));
    if (lines === undefined) return finding;
    return {
      ...finding,
      eliminableLines: lines,
      message: finding.message.replace(
        /: -?\d+ lines? go →/,
        lines >= 0
          ? `: ${lines} line${lines === 1 ? "" : "s"} go (what perflayer-analyze fix removes) →`
          : `: perflayer-analyze fix adds ${-lines} line${lines === -1 ? "" : "s"} (its imports and the shared module) →`,
      ),
    };
  });
}
