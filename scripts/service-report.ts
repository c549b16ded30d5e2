// Renders the scenario comparisons of `service-scenarios.ts` as Markdown and as terminal text.
import { cpus } from "node:os";
import { median } from "@perflayer/bench-gate";
import type { Verdict } from "@perflayer/bench-gate";
import { SERVICE_NAMES } from "./service-scenarios.ts";
import type { Notes, ScenarioResult } from "./service-scenarios.ts";

const figure = (value: number, unit: string): string =>
  `${Number.isInteger(value) || value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`.trim();

/** The verdict's kind, and what it means for perflayer when that is not the same words. */
const verdictText = (verdict: Verdict): string => {
  const plain = plainVerdict(verdict);
  return plain === verdict.kind ? verdict.kind : `${verdict.kind} (${plain})`;
};

/** bench-gate's verdict, said from perflayer's side (head is perflayer; lower is better). */
export function plainVerdict(verdict: Verdict): string {
  switch (verdict.kind) {
    case "improvement":
    case "improvement holds":
      return "perflayer lower";
    case "regression":
      return "perflayer HIGHER";
    case "no change":
      return "no difference";
    default:
      return verdict.kind;
  }
}

/** The ratio with its interval, e.g. `0.412 [0.380, 0.450]`. */
export function ratioText(verdict: Verdict): string {
  const { estimate, low, high } = verdict.ratio;
  return `${estimate.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`;
}

function medianNotes(notes: readonly Notes[]): Map<string, number> {
  const keys = [...new Set(notes.flatMap((n) => Object.keys(n)))];
  return new Map(keys.map((k) => [k, median(notes.map((n) => n[k] ?? Number.NaN))]));
}

/**
 * The results as Markdown: one table of verdicts, then each scenario's side figures.
 * @param results - comparisons, in order
 * @returns the Markdown
 */
export function renderServicesMarkdown(results: readonly ScenarioResult[]): string {
  const cpu = cpus();
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on node ${process.version}, ${cpu[0]?.model.trim() ?? "?"} × ${cpu.length} cores; the machine's 1-minute load average when each comparison started is in the last column. Two services at a time, each in a process of its own on 127.0.0.1, alternating round by round in a random order (bench-gate's \`compareRunners\`); figures are medians of the samples; the interval is bench-gate's 95 % bootstrap interval on the ratio of medians (below 1 = perflayer lower). Verdicts use a 5 % threshold (widened to 3× the observed noise when the noise is larger).`,
    "",
    "| scenario | figure (lower is better) | compared with | its figure | perflayer | perflayer ÷ it [95 % CI] | verdict | samples | load |",
    "| --- | --- | --- | ---: | ---: | --- | --- | ---: | ---: |",
  ];
  for (const r of results) {
    const head = `| ${r.scenario.id} | ${r.scenario.measure} | ${SERVICE_NAMES[r.base]} |`;
    if ("error" in r.comparison) {
      lines.push(
        `${head} — | — | — | not measured: ${r.comparison.error} | — | ${r.load.toFixed(1)} |`,
      );
      continue;
    }
    const { verdict } = r.comparison;
    lines.push(
      `${head} ${figure(verdict.medians.base, r.scenario.unit)} | ${figure(verdict.medians.head, r.scenario.unit)} | ${ratioText(verdict)} | **${verdictText(verdict)}** | ${verdict.samples.base} + ${verdict.samples.head} | ${r.load.toFixed(1)} |`,
    );
  }
  for (const id of [...new Set(results.map((r) => r.scenario.id))]) {
    const ofScenario = results.filter((r) => r.scenario.id === id);
    const first = ofScenario[0];
    if (first === undefined) continue;
    const sides: [string, Notes[]][] = [];
    for (const r of ofScenario) {
      if (!sides.some(([name]) => name === SERVICE_NAMES[r.base]))
        sides.push([SERVICE_NAMES[r.base], r.notes.base]);
      sides.push([`${SERVICE_NAMES[r.head]} (run with ${r.base})`, r.notes.head]);
    }
    const keys = [...new Set(sides.flatMap(([, notes]) => notes.flatMap((n) => Object.keys(n))))];
    if (keys.length === 0) continue;
    lines.push("", `**${id}** — ${first.scenario.title}. Side figures, medians per sample:`, "");
    lines.push(`| service | ${keys.join(" | ")} |`, `| --- |${" ---: |".repeat(keys.length)}`);
    for (const [name, notes] of sides) {
      const medians = medianNotes(notes);
      const cells = keys.map((k) => {
        const v = medians.get(k);
        return v === undefined || Number.isNaN(v) ? "—" : figure(v, "");
      });
      lines.push(`| ${name} | ${cells.join(" | ")} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * One line per comparison for the terminal.
 * @param results - comparisons
 * @returns the text
 */
export function renderServicesText(results: readonly ScenarioResult[]): string {
  return results
    .map((r) => {
      const name = `${r.scenario.id}: perflayer vs ${SERVICE_NAMES[r.base]}`.padEnd(42);
      if ("error" in r.comparison) return `${name} not measured: ${r.comparison.error}`;
      const { verdict } = r.comparison;
      return `${name} ${figure(verdict.medians.head, r.scenario.unit).padStart(10)} vs ${figure(verdict.medians.base, r.scenario.unit).padStart(10)}  ratio ${ratioText(verdict)}  ${verdictText(verdict)}`;
    })
    .join("\n")
    .concat("\n");
}
