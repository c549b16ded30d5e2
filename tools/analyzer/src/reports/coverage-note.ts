import type { AnalysisReport } from "../analysis-report.js";

/**
 * What the run looked at and what it can see: the files read and the detectors (with their kinds)
 * that ran. The analyzer recognises shapes; code it does not recognise is not reported, so no
 * findings never means the code holds none of these idioms.
 * @param report - from `analyze()`
 * @returns two sentences: what was read and by which detectors, and what they recognise
 */
export function coverage(report: AnalysisReport): string[] {
  const s = report.summary;
  const kinds = [...new Set(s.detectors.flatMap((d) => d.kinds))];
  return [
    `${s.findings === 0 ? "No findings" : `${s.findings} finding(s)`} in ${s.files} source file(s) read (${s.linesScanned.toLocaleString("en-US")} lines), by ${s.detectors.length} detector(s): ${s.detectors.map((d) => d.id).join(", ")}.`,
    `They recognise these shapes only: ${kinds.join(", ")}. Code written another way is not reported${s.findings === 0 ? "; this is not a statement that the code is free of hand-rolled caching, memory, response or monitoring code" : ""}.`,
  ];
}
