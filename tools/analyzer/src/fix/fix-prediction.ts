import type { AnalyzerFinding } from "../analysis-report.js";
import { planFindings } from "./plan-findings.js";

/**
 * The analyzer's eliminable lines, for the findings `fix` rewrites, become what the rewrite removes:
 * its own lines, net of what it writes, with the file's new imports (charged to the file's first
 * rewrite) and the lines the shared monitor / cache manager module gains (charged to the first
 * rewrite that uses it), so that the report's figure and `fix --write`'s count agree. A finding
 * `fix` leaves alone keeps the detector's count (what a migration by hand would delete). The
 * figure can be negative: a rewrite that adds lines (a timer's shared monitor) still says so.
 * @param root - the project root the findings' paths are relative to
 * @param findings - the report's findings
 * @returns the findings, those `fix` rewrites with its count
 */
export function predictFromFix(
  root: string,
  findings: readonly AnalyzerFinding[],
): AnalyzerFinding[] {
  const { fixes } = planFindings(root, findings);
  const removed = new Map<AnalyzerFinding, number>();
  for (const fix of fixes) if (fix.status === "rewrite") removed.set(fix.finding, fix.removedLines);
  return findings.map((finding) => {
    const lines = removed.get(finding);
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
