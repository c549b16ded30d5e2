import type { AnalyzerFinding, CategoryTotals, RoadmapStep } from "./analysis-report.js";
import type { Category } from "./detector.js";

/** The four categories, in report order. */
export const CATEGORIES: readonly Category[] = ["caching", "memory", "response", "monitoring"];

/**
 * Totals per category of a list of findings.
 * @param findings - the findings
 * @returns findings, lines and eliminable lines per category
 */
export function totalsByCategory(
  findings: readonly AnalyzerFinding[],
): Record<Category, CategoryTotals> {
  const totals = Object.fromEntries(
    CATEGORIES.map((c) => [c, { findings: 0, lines: 0, eliminableLines: 0 }]),
  ) as Record<Category, { findings: number; lines: number; eliminableLines: number }>;
  for (const f of findings) {
    const t = totals[f.category];
    t.findings++;
    t.lines += f.lines;
    t.eliminableLines += f.eliminableLines;
  }
  return totals;
}

/**
 * Orders the migration: one step per idiom, by eliminable lines over risk (most value for the
 * least risk first).
 * @param findings - source findings
 * @returns the steps
 */
export function buildRoadmap(findings: readonly AnalyzerFinding[]): RoadmapStep[] {
  const weight = { low: 1, medium: 2, high: 4 } as const;
  const groups = new Map<string, AnalyzerFinding[]>();
  for (const f of findings) {
    let list = groups.get(f.kind);
    if (list === undefined) groups.set(f.kind, (list = []));
    list.push(f);
  }
  const steps = [...groups].map(([kind, list]) => {
    const first = list[0] as AnalyzerFinding;
    const risk = list.some((f) => f.risk.level === "high")
      ? "high"
      : list.some((f) => f.risk.level === "medium")
        ? "medium"
        : "low";
    const eliminableLines = list.reduce((sum, f) => sum + f.eliminableLines, 0);
    return {
      kind,
      category: first.category,
      replacement: first.replacement,
      findings: list.length,
      eliminableLines,
      risk,
      score: Math.round((eliminableLines / weight[risk]) * 10) / 10,
      files: [...new Set(list.map((f) => f.file))].sort(),
    } as const;
  });
  steps.sort((a, b) => b.score - a.score || a.kind.localeCompare(b.kind));
  return steps.map((s, i) => ({ step: i + 1, ...s }));
}
