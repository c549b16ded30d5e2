// Runs every adaptive-limit scenario and prints the report: per scenario and limit, the limit over
// time, how fast it settled after each change, and throughput, client p99 and backend p50 against
// the best fixed limit for each phase.
//
//   pnpm --filter @perflayer/response bench:limits           # print the Markdown report
//   pnpm --filter @perflayer/response bench:limits --write   # also update README.md and the chart
//
// Every figure is simulated on core's ManualClock: deterministic, the same on any machine.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SAMPLE_MS } from "./limit-simulation.ts";
import type { Scenario } from "./limit-simulation.ts";
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
    "| scenario (best fixed limits: their ok/s) | limit | limit: mean [min–max] | settled after each change | ok/s: share of the best fixed | client p99 (best fixed) | backend p50 ÷ unloaded |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const { scenario, adaptive, bestFixed } of evaluations) {
    const label = `${scenario.name} (${list(bestFixed.map(({ limit }) => String(limit)))}: ${list(bestFixed.map(({ phase }) => phase.throughput.toFixed(0)))} ok/s)`;
    for (const judged of adaptive) {
      const phases = judged.run.phases;
      rows.push(
        `| ${label} | \`${judged.name}\` | ${list(phases.map((p) => `${p.limitMean.toFixed(1)} [${p.limitMin}–${p.limitMax}]`))} | ${list(phases.slice(1).map((p) => ms(p.convergeMs)))} | ${list(judged.throughputShare.map((share) => `${(share * 100).toFixed(1)} %`))} | ${list(phases.map((p, i) => `${p.clientP99Ms.toFixed(0)} (${(bestFixed[i]?.phase.clientP99Ms ?? Number.NaN).toFixed(0)}) ms`))} | ${list(phases.map((p) => p.rttP50Ratio.toFixed(2)))} |`,
      );
    }
  }
  return rows.join("\n");
}

const percent = (part: number, whole: number): string =>
  `${whole === 0 ? "0.0" : ((part / whole) * 100).toFixed(1)} %`;

/**
 * For the scenarios with deadlines and the default adaptive limit: where each task's budget went —
 * tasks started with no more time left than the backend's unloaded service time, backend time
 * spent on callers that had timed out, and the optimizer's queue wait.
 */
function deadlineFigures(evaluations: readonly Evaluation[]): string {
  const rows = [
    "| scenario | limit | started with ≤ the service time left | backend time for callers that timed out | queue wait p50 (p99) |",
    "|---|---|---|---|---|",
  ];
  for (const { scenario, adaptive } of evaluations) {
    const judged = adaptive[0];
    if (scenario.timeoutMs === undefined || judged === undefined) continue;
    const phases = judged.run.phases;
    rows.push(
      `| ${scenario.name} | \`${judged.name}\` | ${list(phases.map((p) => percent(p.startsShort, p.starts)))} | ${list(phases.map((p) => percent(p.lateWorkShare, 1)))} | ${list(phases.map((p) => `${p.queueWaitP50Ms.toFixed(0)} (${p.queueWaitP99Ms.toFixed(0)}) ms`))} |`,
    );
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

/** An SVG grid of the limit over time: a row per scenario, a column per algorithm. */
export function chart(evaluations: readonly Evaluation[]): string {
  const panelW = 290;
  const panelH = 130;
  const left = 34;
  const top = 40;
  const plotW = panelW - left - 12;
  const plotH = panelH - 42;
  const names = evaluations[0]?.adaptive.map((judged) => judged.name) ?? [];
  const panels = evaluations.flatMap(({ scenario, adaptive }, row) => {
    const maxLimit = Math.ceil(
      Math.max(
        ...scenario.phases.map((phase) => phase.servers * 1.5),
        ...adaptive.flatMap((judged) => judged.run.limits.slice(1)),
      ),
    );
    const x = (t: number): number => left + (t / scenario.durationMs) * plotW;
    const y = (limit: number): number => panelH - 22 - (limit / maxLimit) * plotH;
    const line = (points: readonly (readonly [number, number])[]): string =>
      points.map(([t, l]) => `${x(t).toFixed(1)},${y(l).toFixed(1)}`).join(" ");
    const ends = scenario.phases.map((phase, i) => ({
      phase,
      end: scenario.phases[i + 1]?.startMs ?? scenario.durationMs,
    }));
    const band = ends
      .map(
        ({ phase, end }) =>
          `<rect x="${x(phase.startMs).toFixed(1)}" y="${y(phase.servers * 1.25).toFixed(1)}" width="${(x(end) - x(phase.startMs)).toFixed(1)}" height="${(y(phase.servers * 0.75) - y(phase.servers * 1.25)).toFixed(1)}" fill="#e8e8e8"/>`,
      )
      .join("");
    const capacity = line(
      ends.flatMap(({ phase, end }) => [
        [phase.startMs, phase.servers] as const,
        [end, phase.servers] as const,
      ]),
    );
    const axes =
      [0, 20, 40, 60]
        .map(
          (s) =>
            `<text x="${x(s * 1_000).toFixed(1)}" y="${panelH - 8}" font-size="9" text-anchor="middle">${s} s</text>`,
        )
        .join("") +
      [0, maxLimit]
        .map(
          (l) =>
            `<text x="${left - 4}" y="${(y(l) + 3).toFixed(1)}" font-size="9" text-anchor="end">${l}</text>`,
        )
        .join("");
    return adaptive.map((judged, column) => {
      // Every other sample (100 ms) is plenty for a panel this wide; a probe lasts two windows.
      const points = judged.run.limits
        .map((limit, i) => [i * SAMPLE_MS, limit] as const)
        .filter((_, i) => i % 2 === 0);
      const title =
        row === 0
          ? `<text x="${left}" y="12" font-size="12" font-weight="bold">${judged.name}</text>`
          : "";
      return `<g transform="translate(${column * panelW} ${row * panelH + 16})">${title}<text x="${left + 6}" y="${top - 12}" font-size="10" fill="#555">${scenario.name}</text>${band}<polyline fill="none" stroke="#999" stroke-dasharray="4 3" points="${capacity}"/><polyline fill="none" stroke="#1f77b4" stroke-width="1.2" points="${line(points)}"/>${axes}</g>`;
    });
  });
  const height = evaluations.length * panelH + 36;
  const legend = `<text x="${left}" y="${height - 6}" font-size="10" fill="#555">blue: the limit; dashed: the backend's capacity; grey: ±25 % of it</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${names.length * panelW}" height="${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${panels.join("")}${legend}</svg>\n`;
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
    ...evaluations
      .map(verdict)
      .map((line, i) => `- ${evaluations[i]?.scenario.name ?? ""}: ${line}`),
    `\nWith deadlines, where the budget went (the default limit, phase by phase):\n\n${deadlineFigures(evaluations)}`,
    headline === undefined
      ? ""
      : `\nLimit over time, ${headline.scenario.name} (sampled every 2 s):\n\n${limitOverTime(headline, 2_000)}\n`,
  ];
  const bar = `The bar (issue 27), after each change: settled within ±25 % of capacity in ≤ ${BAR.convergeMs / 1_000} s, ok throughput ≥ ${BAR.throughputShare * 100} % of the best fixed limit for the phase, backend p50 ≤ ${BAR.rttP50Ratio}× its unloaded latency.\n`;
  return { markdown: [bar, ...sections].join("\n"), evaluations };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
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
    // The generated tables in the house format (pnpm puts the workspace's prettier on the PATH).
    execFileSync("prettier", ["--write", fileURLToPath(README)], { stdio: "inherit" });
    process.stderr.write("updated README.md and docs/limits-over-time.svg\n");
  }
}
