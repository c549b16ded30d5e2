import type { NamedComparison } from "./render.js";
import { isTimeUnit } from "./verdict.js";
import type { VerdictKind } from "./verdict.js";

const WIDTH = 900;
const ROW = 150;
const TOP = 44;
/** The samples panel and the ratio panel, in x. */
const SAMPLES = { left: 150, right: 500 };
const RATIO = { left: 560, right: 860 };

const COLOURS = { base: "#4a5568", head: "#2b6cb0", bound: "#c05621", axis: "#718096" };

const VERDICT_COLOURS: Readonly<Record<VerdictKind, string>> = {
  regression: "#c53030",
  "improvement does not hold": "#c53030",
  "target missed": "#c53030",
  inconclusive: "#b7791f",
  "no change": "#4a5568",
  improvement: "#2f855a",
  "improvement holds": "#2f855a",
  "target met": "#2f855a",
};

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Three significant digits, without trailing zeros. */
function short(value: number): string {
  return Number(value.toPrecision(3)).toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/**
 * Round tick values covering [low, high]: steps of 1, 2 or 5 × 10ⁿ, about `count` of them.
 * @param low - the smallest value to cover
 * @param high - the largest value to cover
 * @param count - about how many ticks
 * @returns the domain (widened to whole steps) and the ticks
 */
export function niceTicks(
  low: number,
  high: number,
  count = 5,
): { min: number; max: number; ticks: number[] } {
  const span = high - low || Math.abs(high) * 0.1 || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const min = Math.floor((high - low === 0 ? low - span / 2 : low) / step) * step;
  const max = Math.ceil((high - low === 0 ? high + span / 2 : high) / step) * step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { min, max, ticks };
}

function axis(
  x: (v: number) => number,
  ticks: readonly number[],
  y: number,
  title: string,
  span: { left: number; right: number },
): string {
  const parts = [
    `<line x1="${span.left}" x2="${span.right}" y1="${y}" y2="${y}" stroke="${COLOURS.axis}"/>`,
  ];
  for (const t of ticks)
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y}" y2="${y + 4}" stroke="${COLOURS.axis}"/>`,
      `<text x="${x(t).toFixed(1)}" y="${y + 15}" font-size="10" text-anchor="middle" fill="${COLOURS.axis}">${short(t)}</text>`,
    );
  parts.push(
    `<text x="${(span.left + span.right) / 2}" y="${y + 29}" font-size="10" text-anchor="middle" fill="${COLOURS.axis}">${escape(title)}</text>`,
  );
  return `<g class="axis">${parts.join("")}</g>`;
}

function scale(
  min: number,
  max: number,
  span: { left: number; right: number },
): (v: number) => number {
  return (v) => span.left + ((v - min) / (max - min || 1)) * (span.right - span.left);
}

function row(result: NamedComparison, top: number): string {
  const { name, comparison, unit = "ms" } = result;
  const v = comparison.verdict;
  const parts: string[] = [
    `<text x="8" y="${top + 14}" font-size="13" font-weight="bold">${escape(name)}</text>`,
    `<text x="${RATIO.right}" y="${top + 14}" font-size="12" font-weight="bold" text-anchor="end" fill="${VERDICT_COLOURS[v.kind]}">${escape(v.kind)}</text>`,
  ];
  // Samples: each side's dots and median on an axis in the benchmark's unit.
  const values = [...comparison.base, ...comparison.head].map((s) => s.value);
  const samples = niceTicks(Math.min(...values), Math.max(...values));
  const sx = scale(samples.min, samples.max, SAMPLES);
  for (const [label, list, median, dy] of [
    ["base", comparison.base, v.medians.base, 40],
    ["head", comparison.head, v.medians.head, 68],
  ] as const) {
    const colour = COLOURS[label];
    parts.push(
      `<text x="${SAMPLES.left - 10}" y="${top + dy + 4}" font-size="11" text-anchor="end" fill="${colour}">${label}</text>`,
      ...list.map(
        (s) =>
          `<circle cx="${sx(s.value).toFixed(1)}" cy="${top + dy}" r="2.5" fill="${colour}" fill-opacity="0.5"/>`,
      ),
      `<line class="median" x1="${sx(median).toFixed(1)}" x2="${sx(median).toFixed(1)}" y1="${top + dy - 9}" y2="${top + dy + 9}" stroke="${colour}" stroke-width="2"/>`,
    );
  }
  const quantity = isTimeUnit(unit) ? "time per sample" : "per sample";
  parts.push(axis(sx, samples.ticks, top + 88, `${quantity} (${unit}); bars: medians`, SAMPLES));
  // Ratio: the interval, the estimate, no change (1) and every bound the verdict was judged by.
  const marks = [v.ratio.low, v.ratio.high, 1, ...v.bounds.map((b) => b.ratio)];
  const ratio = niceTicks(Math.min(...marks), Math.max(...marks), 4);
  const rx = scale(ratio.min, ratio.max, RATIO);
  const y = top + 54;
  parts.push(
    `<line x1="${rx(1).toFixed(1)}" x2="${rx(1).toFixed(1)}" y1="${top + 26}" y2="${top + 88}" stroke="${COLOURS.axis}" stroke-dasharray="2 2"/>`,
  );
  v.bounds.forEach((b, i) => {
    const bx = rx(b.ratio).toFixed(1);
    parts.push(
      `<line class="bound" data-ratio="${b.ratio.toFixed(4)}" x1="${bx}" x2="${bx}" y1="${top + 26}" y2="${top + 88}" stroke="${COLOURS.bound}" stroke-dasharray="5 3"/>`,
      `<text x="${bx}" y="${top + 34 + i * 10}" font-size="9" text-anchor="${b.ratio < 1 ? "end" : "start"}" dx="${b.ratio < 1 ? -3 : 3}" fill="${COLOURS.bound}">${escape(b.label)}</text>`,
    );
  });
  parts.push(
    `<line class="interval" x1="${rx(v.ratio.low).toFixed(1)}" x2="${rx(v.ratio.high).toFixed(1)}" y1="${y}" y2="${y}" stroke="${COLOURS.head}" stroke-width="6" stroke-linecap="round" stroke-opacity="0.6"/>`,
    `<circle cx="${rx(v.ratio.estimate).toFixed(1)}" cy="${y}" r="4" fill="${COLOURS.head}"/>`,
    `<text x="${rx(v.ratio.estimate).toFixed(1)}" y="${y + 18}" font-size="10" text-anchor="middle">${v.ratio.estimate.toFixed(3)} [${v.ratio.low.toFixed(3)}, ${v.ratio.high.toFixed(3)}]</text>`,
    axis(rx, ratio.ticks, top + 88, "head/base ratio (below 1: head faster); bar: interval", RATIO),
  );
  return `<g class="benchmark">${parts.join("")}</g>`;
}

/**
 * An SVG of each benchmark: base and head samples (dots) and medians (bars) on an axis in the
 * benchmark's unit, and the head/base ratio's interval on a ratio axis with the line of no change
 * and every bound the verdict was judged against (threshold, expected speed-up or target), drawn
 * and labelled.
 * @param results - the comparisons
 * @returns a standalone SVG document
 */
export function renderSvg(results: readonly NamedComparison[]): string {
  const height = TOP + results.length * ROW;
  const body = results.map((r, i) => row(r, TOP + i * ROW)).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif"><rect width="100%" height="100%" fill="white"/><text x="8" y="24" font-size="15" font-weight="bold">bench-gate: head against base (lower is better)</text>${body}</svg>\n`;
}
