import type { Comparison } from "./compare.js";

/** One named comparison, for reports. */
export interface NamedComparison {
  /** The benchmark's name. */
  readonly name: string;
  /** Its comparison. */
  readonly comparison: Comparison;
  /** Unit of the samples. @defaultValue "ms" */
  readonly unit?: string;
}

const badge: Record<string, string> = {
  regression: "REGRESSION",
  "improvement holds": "IMPROVEMENT HOLDS",
  improvement: "improvement",
  "no change": "no change",
  inconclusive: "INCONCLUSIVE",
};

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
 * the verdict, then each verdict's explanation.
 * @param results - the comparisons
 * @returns text
 */
export function renderText(results: readonly NamedComparison[]): string {
  const lines = [
    "benchmark                         base          head          head/base [95 % CI]        speed-up   p        verdict",
  ];
  for (const { name, comparison, unit } of results) {
    const v = comparison.verdict;
    lines.push(
      `${name.slice(0, 32).padEnd(33)} ${fmt(v.medians.base, unit).padStart(12)}  ${fmt(v.medians.head, unit).padStart(12)}  ${`${v.ratio.estimate.toFixed(3)} [${v.ratio.low.toFixed(3)}, ${v.ratio.high.toFixed(3)}]`.padEnd(25)} ${`${v.speedupPercent >= 0 ? "+" : ""}${v.speedupPercent.toFixed(1)} %`.padStart(9)}  ${v.p.toExponential(1).padEnd(8)} ${badge[v.kind] ?? v.kind}`,
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
      `| ${name} | ${fmt(v.medians.base, unit)} | ${fmt(v.medians.head, unit)} | ${v.ratio.estimate.toFixed(3)} [${v.ratio.low.toFixed(3)}, ${v.ratio.high.toFixed(3)}] | ${v.speedupPercent.toFixed(1)} % | **${badge[v.kind] ?? v.kind}** |`,
    );
  }
  out.push(
    "",
    ...results.map(({ name, comparison }) => `- **${name}**: ${comparison.verdict.explanation}`),
  );
  return `${out.join("\n")}\n`;
}

/**
 * An SVG of each benchmark's base and head samples (dots), medians (bars) and the ratio's interval.
 * @param results - the comparisons
 * @returns a standalone SVG document
 */
export function renderSvg(results: readonly NamedComparison[]): string {
  const rowHeight = 70;
  const width = 760;
  const plot = { left: 200, right: 560 };
  const parts: string[] = [];
  results.forEach(({ name, comparison }, row) => {
    const y = 20 + row * rowHeight;
    const all = [...comparison.base, ...comparison.head].map((s) => s.value);
    const min = Math.min(...all);
    const max = Math.max(...all);
    const x = (ms: number): number =>
      plot.left + ((ms - min) / (max - min || 1)) * (plot.right - plot.left);
    parts.push(`<text x="8" y="${y + 24}" font-size="13">${name.replace(/[<&]/g, "")}</text>`);
    for (const [label, samples, color, dy] of [
      ["base", comparison.base, "#4a5568", 10],
      ["head", comparison.head, "#2b6cb0", 36],
    ] as const) {
      parts.push(`<text x="160" y="${y + dy + 4}" font-size="11" fill="${color}">${label}</text>`);
      for (const s of samples)
        parts.push(
          `<circle cx="${x(s.value).toFixed(1)}" cy="${y + dy}" r="2.5" fill="${color}" fill-opacity="0.5"/>`,
        );
      const m =
        label === "base" ? comparison.verdict.medians.base : comparison.verdict.medians.head;
      parts.push(
        `<line x1="${x(m).toFixed(1)}" x2="${x(m).toFixed(1)}" y1="${y + dy - 8}" y2="${y + dy + 8}" stroke="${color}" stroke-width="2"/>`,
      );
    }
    const v = comparison.verdict;
    parts.push(
      `<text x="575" y="${y + 18}" font-size="12">ratio ${v.ratio.estimate.toFixed(3)}</text><text x="575" y="${y + 34}" font-size="11">[${v.ratio.low.toFixed(3)}, ${v.ratio.high.toFixed(3)}]</text><text x="575" y="${y + 50}" font-size="12" font-weight="bold">${v.kind}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${20 + results.length * rowHeight}" font-family="system-ui, sans-serif">${parts.join("")}</svg>\n`;
}
