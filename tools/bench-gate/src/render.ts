import { plain } from "@perflayer/toolkit";
import type { Paint, Tone } from "@perflayer/toolkit";
import type { Comparison } from "./compare.js";
import type { VerdictKind } from "./verdict.js";

/** One named comparison, for reports. */
export interface NamedComparison {
  /** The benchmark's name. */
  readonly name: string;
  /** Its comparison. */
  readonly comparison: Comparison;
  /** Unit of the samples. @defaultValue "ms" */
  readonly unit?: string;
}

const BADGES: Readonly<Record<VerdictKind, string>> = {
  regression: "REGRESSION",
  "improvement holds": "IMPROVEMENT HOLDS",
  "improvement does not hold": "DOES NOT HOLD",
  improvement: "improvement",
  "no change": "no change",
  inconclusive: "INCONCLUSIVE",
  "target met": "target met",
  "target missed": "TARGET MISSED",
};

const TONES: Readonly<Record<VerdictKind, Tone>> = {
  regression: "error",
  "improvement does not hold": "error",
  "target missed": "error",
  inconclusive: "warning",
  "no change": "dim",
  improvement: "ok",
  "improvement holds": "ok",
  "target met": "ok",
};

/**
 * The tone (colour) of a verdict: failures red, inconclusive yellow, passes green.
 * @param kind - the verdict
 * @returns its tone
 */
export function verdictTone(kind: VerdictKind): Tone {
  return TONES[kind];
}

/**
 * A verdict as a comparison table shows it: its label (failures and inconclusive in capitals),
 * coloured.
 * @param kind - the verdict
 * @param paint - colours @defaultValue none
 * @returns e.g. "REGRESSION"
 */
export function verdictBadge(kind: VerdictKind, paint: Paint = plain): string {
  return paint(TONES[kind], BADGES[kind]);
}

/**
 * A figure with its unit, to about three significant digits.
 * @param value - the figure
 * @param unit - its unit
 * @returns e.g. "26.7 ns/op"
 */
export function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

function fmt(ms: number, unit = "ms"): string {
  if (unit !== "ms") return formatValue(ms, unit);
  return ms >= 1000
    ? `${(ms / 1000).toFixed(2)} s`
    : ms >= 1
      ? `${ms.toFixed(2)} ms`
      : `${(ms * 1000).toFixed(1)} µs`;
}

/**
 * A terminal table: one line per benchmark with medians, ratio and interval, speed-up, p-value and
 * the verdict, then each verdict's explanation (which says when a re-run confirmed it or not).
 * @param results - the comparisons
 * @param paint - colours of the verdicts @defaultValue none
 * @returns text
 */
export function renderText(results: readonly NamedComparison[], paint: Paint = plain): string {
  const lines = [
    "benchmark                         base          head          head/base [95 % CI]        speed-up   p        verdict",
  ];
  for (const { name, comparison, unit } of results) {
    const v = comparison.verdict;
    lines.push(
      `${name.slice(0, 32).padEnd(33)} ${fmt(v.medians.base, unit).padStart(12)}  ${fmt(v.medians.head, unit).padStart(12)}  ${`${v.ratio.estimate.toFixed(3)} [${v.ratio.low.toFixed(3)}, ${v.ratio.high.toFixed(3)}]`.padEnd(25)} ${`${v.speedupPercent >= 0 ? "+" : ""}${v.speedupPercent.toFixed(1)} %`.padStart(9)}  ${v.p.toExponential(1).padEnd(8)} ${verdictBadge(v.kind, paint)}`,
    );
  }
  lines.push("");
  for (const { name, comparison, unit } of results) {
    lines.push(
      `${name}: ${comparison.verdict.explanation} (${comparison.verdict.samples.base}+${comparison.verdict.samples.head} samples; noise ${(comparison.verdict.noise.base * 100).toFixed(1)} % / ${(comparison.verdict.noise.head * 100).toFixed(1)} %)`,
    );
    if (comparison.cpu !== undefined)
      lines.push(
        `  CPU time: ${fmt(comparison.cpu.base, unit)} → ${fmt(comparison.cpu.head, unit)}`,
      );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A Markdown summary for a pull request.
 * @param results - the comparisons
 * @returns Markdown
 */
export function renderMarkdown(results: readonly NamedComparison[]): string {
  const out = [
    "| benchmark | base | head | head/base [95 % CI] | speed-up | verdict |",
    "|---|---:|---:|---|---:|---|",
  ];
  for (const { name, comparison, unit } of results) {
    const v = comparison.verdict;
    out.push(
      `| ${name} | ${fmt(v.medians.base, unit)} | ${fmt(v.medians.head, unit)} | ${v.ratio.estimate.toFixed(3)} [${v.ratio.low.toFixed(3)}, ${v.ratio.high.toFixed(3)}] | ${v.speedupPercent.toFixed(1)} % | **${verdictBadge(v.kind)}** |`,
    );
  }
  out.push(
    "",
    ...results.map(({ name, comparison }) => `- **${name}**: ${comparison.verdict.explanation}`),
  );
  return `${out.join("\n")}\n`;
}
