// Runs every adaptive-limit scenario and prints the report: per scenario and limit, the limit over
// time, how fast it settled after each change, and throughput, client p99 and backend p50 against
// the best fixed limit for each phase.
//
//   pnpm --filter @perflayer/response bench:limits           # print the Markdown report
//   pnpm --filter @perflayer/response bench:limits --write   # also update README.md and the chart
//
// Every figure is simulated on core's ManualClock: deterministic, the same on any machine.
import { readFileSync, writeFileSync } from "node:fs";
import { SAMPLE_MS } from "./limit-simulation.ts";
import type { RunResult, Scenario } from "./limit-simulation.ts";
import { BAR, SCENARIOS, capacityScenario, evaluate, misses } from "./limit-scenarios.ts";
import type { Evaluation } from "./limit-scenarios.ts";

const README = new URL("../README.md", import.meta.url);
const CHART = new URL("../docs/limits-over-time.svg", import.meta.url);
const START = "<!-- adaptive-limits:start -->";
const END = "<!-- adaptive-limits:end -->";

const ms = (value: number | undefined): string =>
  value === undefined ? "never" : `${(value / 1_000).toFixed(2)} s`;

const list = (values: readonly string[]): string => values.join(" / ");

/** One row per scenario and adaptive limit, each cell listing the phases in order. */
function summary(evaluations: readonly Evaluation[]): string {
  const rows = [
    "| scenario (best fixed limits) | limit | limit: mean [min–max] | settled after each change | ok/s: share of the best fixed | client p99 (best fixed) | backend p50 ÷ unloaded |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const { scenario, adaptive, bestFixed } of evaluations) {
    const label = `${scenario.name} (${list(bestFixed.map(({ limit }) => String(limit)))})`;
    for (const judged of adaptive) {
      const phases = judged.run.phases;
      rows.push(
        `| ${label} | \`${judged.name}\` | ${list(phases.map((p) => `${p.limitMean.toFixed(1)} [${p.limitMin}–${p.limitMax}]`))} | ${list(phases.slice(1).map((p) => ms(p.convergeMs)))} | ${list(judged.throughputShare.map((share) => `${(share * 100).toFixed(1)} %`))} | ${list(phases.map((p, i) => `${p.clientP99Ms.toFixed(0)} (${(bestFixed[i]?.phase.clientP99Ms ?? Number.NaN).toFixed(0)}) ms`))} | ${list(phases.map((p) => p.rttP50Ratio.toFixed(2)))} |`,
      );
    }
  }
  return rows.join("\n");
}

function limitOverTime(evaluation: Evaluation, everyMs: number): string {
  const { scenario, adaptive } = evaluation;
  const step = everyMs / SAMPLE_MS;
  const times: number[] = [];
  for (let t = 0; t < scenario.durationMs; t += everyMs) times.push(t);
  const capacity = (t: number): number =>
    [...scenario.phases].reverse().find((phase) => phase.startMs <= t)?.servers ?? 0;
  const rows = [
    `| t (s) | ${times.map((t) => t / 1_000).join(" | ")} |`,
    `|---|${times.map(() => "--:").join("|")}|`,
    `| capacity | ${times.map(capacity).join(" | ")} |`,
  ];
  for (const judged of adaptive)
    rows.push(
      `| \`${judged.name}\` | ${times.map((_, i) => judged.run.limits[i * step] ?? "").join(" | ")} |`,
    );
  return rows.join("\n");
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c"];

/** An SVG of the limit over time: capacity as a grey step line, one line per adaptive limit. */
function chart(evaluations: readonly Evaluation[]): string {
  const width = 760;
  const height = 180;
  const left = 40;
  const top = 24;
  const plotW = width - left - 150;
  const plotH = height - top - 30;
  const panels = evaluations.map((evaluation, index) => {
    const { scenario, adaptive } = evaluation;
    const runs: RunResult[] = adaptive.map((judged) => judged.run);
    const maxLimit = Math.max(
      ...scenario.phases.map((phase) => phase.servers * 1.5),
      ...runs.flatMap((run) => run.limits.slice(1)),
    );
    const x = (t: number): number => left + (t / scenario.durationMs) * plotW;
    const y = (limit: number): number => top + plotH - (limit / maxLimit) * plotH;
    const line = (points: readonly [number, number][]): string =>
      points.map(([t, l]) => `${x(t).toFixed(1)},${y(l).toFixed(1)}`).join(" ");
    const capacity: [number, number][] = scenario.phases.flatMap((phase, i) => {
      const end = scenario.phases[i + 1]?.startMs ?? scenario.durationMs;
      return [
        [phase.startMs, phase.servers],
        [end, phase.servers],
      ];
    });
    const band = scenario.phases
      .map((phase, i) => {
        const end = scenario.phases[i + 1]?.startMs ?? scenario.durationMs;
        const y0 = y(phase.servers * 1.25);
        return `<rect x="${x(phase.startMs).toFixed(1)}" y="${y0.toFixed(1)}" width="${(x(end) - x(phase.startMs)).toFixed(1)}" height="${(y(phase.servers * 0.75) - y0).toFixed(1)}" fill="#eee"/>`;
      })
      .join("");
    const series = runs
      .map((run, i) => {
        const points = run.limits.map((limit, j): [number, number] => [j * SAMPLE_MS, limit]);
        return `<polyline fill="none" stroke="${COLORS[i % COLORS.length] as string}" stroke-width="1.2" points="${line(points)}"/>`;
      })
      .join("");
    const ticks = [0, 20, 40, 60]
      .map(
        (s) =>
          `<text x="${x(s * 1_000).toFixed(1)}" y="${top + plotH + 14}" font-size="10" text-anchor="middle">${s} s</text>`,
      )
      .join("");
    const yTicks = [0, Math.round(maxLimit / 2), Math.round(maxLimit)]
      .map(
        (l) =>
          `<text x="${left - 4}" y="${(y(l) + 3).toFixed(1)}" font-size="10" text-anchor="end">${l}</text>`,
      )
      .join("");
    const legend = adaptive
      .map(
        (judged, i) =>
          `<text x="${left + plotW + 12}" y="${top + 14 + i * 14}" font-size="11" fill="${COLORS[i % COLORS.length] as string}">${judged.name}</text>`,
      )
      .join("");
    return `<g transform="translate(0 ${index * height})"><text x="${left}" y="14" font-size="12" font-weight="bold">${scenario.name}</text>${band}<polyline fill="none" stroke="#888" stroke-dasharray="4 3" points="${line(capacity)}"/>${series}${ticks}${yTicks}${legend}<text x="${left + plotW + 12}" y="${top + 14 + adaptive.length * 14}" font-size="11" fill="#888">capacity (±25 % shaded)</text></g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height * evaluations.length}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${panels.join("")}</svg>\n`;
}

function verdict(evaluation: Evaluation): string {
  const first = evaluation.adaptive[0];
  if (first === undefined) return "";
  const missed = misses(first);
  return missed.length === 0
    ? `\`${first.name}\` meets the bar after every change.`
    : `\`${first.name}\` misses it in ${missed.join("; ")}.`;
}

/**
 * Runs the scenarios and renders the README section.
 * @param scenarios - which ones
 * @returns the Markdown and the evaluations
 */
export async function report(
  scenarios: readonly Scenario[] = SCENARIOS,
): Promise<{ markdown: string; evaluations: Evaluation[] }> {
  const evaluations: Evaluation[] = [];
  for (const scenario of scenarios) {
    process.stderr.write(`simulating ${scenario.name}…\n`);
    evaluations.push(await evaluate(scenario));
  }
  const headline = evaluations.find((e) => e.scenario.name === capacityScenario().name);
  const sections = [
    summary(evaluations),
    ...evaluations.map(verdict).map((line, i) => `- ${evaluations[i]?.scenario.name ?? ""}: ${line}`),
    headline === undefined
      ? ""
      : `\nLimit over time, ${headline.scenario.name} (sampled every 2 s):\n\n${limitOverTime(headline, 2_000)}\n`,
  ];
  const bar = `The bar (issue 27), after each change: settled within ±25 % of capacity in ≤ ${BAR.convergeMs / 1_000} s, ok throughput ≥ ${BAR.throughputShare * 100} % of the best fixed limit for the phase, backend p50 ≤ ${BAR.rttP50Ratio}× its unloaded latency.\n`;
  return { markdown: [bar, ...sections].join("\n"), evaluations };
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const { markdown, evaluations } = await report();
  process.stdout.write(`${markdown}\n`);
  if (process.argv.includes("--write")) {
    const readme = readFileSync(README, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    if (start === -1 || end === -1) throw new Error(`README.md lacks ${START} … ${END}`);
    writeFileSync(
      README,
      `${readme.slice(0, start + START.length)}\n\n${markdown}\n${readme.slice(end)}`,
    );
    const charted = evaluations.filter((e) => e.scenario.timeoutMs === undefined);
    writeFileSync(CHART, chart(charted));
    process.stderr.write("updated README.md and docs/limits-over-time.svg\n");
  }
}
