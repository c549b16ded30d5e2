import { plain } from "@perflayer/toolkit";
import type { Paint } from "@perflayer/toolkit";
import type { BaselineComparison } from "./gate.js";
import { formatValue, verdictTone } from "./render.js";
import type { NamedComparison } from "./render.js";
import type { BenchmarkResult, SuiteRun } from "./run-suites.js";
import type { Sample } from "./runners.js";
import { bootstrapRatio, median } from "./statistics.js";
import type { Interval } from "./statistics.js";
import { describeTarget, isTimeUnit } from "./verdict.js";

/** The ratio's interval: the target verdict's, or computed for an anchor without a target. */
function ratioOf(r: BenchmarkResult): Interval | undefined {
  if (r.verdict !== undefined) return r.verdict.ratio;
  if (r.anchor === undefined || r.anchor.length === 0) return undefined;
  return bootstrapRatio(
    r.anchor.map((s) => s.value),
    r.ours.map((s) => s.value),
  );
}

function ratioText(ratio: Interval | undefined, unit: string): string {
  if (ratio === undefined) return "—";
  const { estimate, low, high } = ratio;
  const interval = `[${low.toFixed(3)}, ${high.toFixed(3)}]`;
  return estimate < 0.95
    ? `${estimate.toFixed(3)} ${interval} (${(1 / estimate).toFixed(1)}× ${isTimeUnit(unit) ? "faster" : "lower"})`
    : `${estimate.toFixed(3)} ${interval}`;
}

function medianOf(
  samples: readonly Sample[] | undefined,
  key: "value" | "gcs" | "peakMb",
): number | undefined {
  const values = (samples ?? []).map((s) => s[key]).filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : median(values);
}

function baselineText(comparison: BaselineComparison | undefined, paint: Paint = plain): string {
  if (comparison === undefined) return "—";
  if ("note" in comparison) return "not compared";
  const { kind } = comparison.verdict;
  return `${paint(verdictTone(kind), kind)} (${comparison.basis})`;
}

function outcome(result: BenchmarkResult, paint: Paint = plain): string {
  if (result.error !== undefined) return paint("error", "ERROR");
  if (result.notRun !== undefined) return paint("error", "NOT RUN");
  const kind = result.verdict?.kind;
  return kind === undefined ? "measured" : paint(verdictTone(kind), kind);
}

/**
 * The run as a terminal report: one block per suite, one line per benchmark, then the explanation
 * of every verdict that is not a plain pass.
 * @param run - the run
 * @param baseline - comparisons with the baseline, by benchmark id
 * @param paint - colours of the verdicts @defaultValue none
 * @returns text
 */
export function renderRunText(
  run: SuiteRun,
  baseline: ReadonlyMap<string, BaselineComparison> = new Map(),
  paint: Paint = plain,
): string {
  const lines: string[] = [];
  let suite = "";
  for (const r of run.results) {
    if (r.suite !== suite) {
      suite = r.suite;
      lines.push("", suite);
    }
    const ours = medianOf(r.ours, "value");
    const anchor = medianOf(r.anchor, "value");
    const figures =
      ours === undefined
        ? ""
        : `${formatValue(ours, r.unit)}${anchor === undefined ? "" : ` vs ${r.anchorName ?? "anchor"} ${formatValue(anchor, r.unit)}`}`;
    const interval = ratioOf(r);
    const ratio = interval === undefined ? "" : `  ratio ${ratioText(interval, r.unit)}`;
    const target = r.target === undefined ? "" : `  target ${describeTarget(r.target, r.unit)}`;
    const base = baseline.has(r.id) ? `  baseline: ${baselineText(baseline.get(r.id), paint)}` : "";
    lines.push(
      `  ${r.name}: ${figures}${ratio}${target}  → ${outcome(r, paint)}${base}${r.measure === "instructions" ? "  [instructions]" : ""}`,
    );
  }
  const notes = explanations(run, baseline);
  if (notes.length > 0) lines.push("", ...notes.map((n) => `- ${n}`));
  lines.push(
    "",
    `${run.results.length} benchmark${run.results.length === 1 ? "" : "s"} (${counted(run)}), ${run.mode} mode, node ${run.environment.node}, ${run.environment.cpu} × ${run.environment.cores}, profile ${run.environment.profile}`,
  );
  return `${lines.join("\n").trimStart()}\n`;
}

/** How many benchmarks were decided on instruction counts, and how many on their own figures. */
function counted(run: SuiteRun): string {
  const instructions = run.results.filter((r) => r.measure === "instructions").length;
  return `${instructions} counted in instructions, ${run.results.length - instructions} timed or in their own unit`;
}

function explanations(run: SuiteRun, baseline: ReadonlyMap<string, BaselineComparison>): string[] {
  const out: string[] = [];
  for (const r of run.results) {
    if (r.error !== undefined) out.push(`${r.id}: could not be measured: ${r.error}`);
    if (r.notRun !== undefined) out.push(`${r.id}: ${r.notRun}.`);
    if (r.verdict !== undefined && r.verdict.kind !== "target met")
      out.push(`${r.id}: ${r.verdict.kind}: ${r.verdict.explanation}`);
    const rss = [medianOf(r.ours, "peakMb"), medianOf(r.anchor, "peakMb")];
    if (rss[0] !== undefined)
      out.push(
        `${r.id}: peak RSS ${formatValue(rss[0], "MiB")}${rss[1] === undefined ? "" : ` vs ${formatValue(rss[1], "MiB")} (${r.anchorName ?? "anchor"})`}.`,
      );
    const b = baseline.get(r.id);
    if (b !== undefined && "note" in b) out.push(`${r.id}: baseline: ${b.note}`);
    else if (b !== undefined && b.verdict.kind !== "no change")
      out.push(`${r.id}: baseline (${b.basis}): ${b.verdict.kind}: ${b.verdict.explanation}`);
  }
  return out;
}

/**
 * The run as Markdown (the body of `docs/benchmarks.md`): the machine fingerprint, one table per
 * suite with medians, the ratio to the anchor and its interval, the target and its verdict, GCs per
 * sample, then every verdict that is not a plain pass, explained.
 * @param run - the run
 * @param baseline - comparisons with the baseline, by benchmark id
 * @returns Markdown
 */
export function renderRunMarkdown(
  run: SuiteRun,
  baseline: ReadonlyMap<string, BaselineComparison> = new Map(),
): string {
  const e = run.environment;
  const out = [
    `Measured ${run.savedAt.slice(0, 10)} in ${run.mode} mode on node ${e.node}, ${e.cpu} × ${e.cores} cores, profile \`${e.profile}\`. Each benchmark runs in several fresh processes (isolated ones: each side in processes of its own, timed in pairs started with the same V8 hash and random seeds); contenders alternate round by round in a random order; figures are medians; benchmarks "measured in" instructions count CPU instructions per call under callgrind (one process per side, load-independent, blind to I/O, GC pauses and memory stalls); the ratio's interval is a 95 % bootstrap interval that resamples processes, then samples.`,
  ];
  const withBaseline = baseline.size > 0;
  let suite = "";
  for (const r of run.results) {
    if (r.suite !== suite) {
      suite = r.suite;
      out.push(
        "",
        `### ${suite}`,
        "",
        `| benchmark | measured in | perflayer | anchor | anchor's figure | ours ÷ anchor [95 % CI] | target | verdict | GCs per sample (ours / anchor) |${withBaseline ? " baseline |" : ""}`,
        `|---|---|---:|---|---:|---|---|---|---:|${withBaseline ? "---|" : ""}`,
      );
    }
    const ours = medianOf(r.ours, "value");
    const anchor = medianOf(r.anchor, "value");
    const gcs = [medianOf(r.ours, "gcs"), medianOf(r.anchor, "gcs")]
      .filter((v) => v !== undefined)
      .join(" / ");
    out.push(
      `| ${r.name} | ${r.measure ?? "time"} | ${ours === undefined ? "—" : formatValue(ours, r.unit)} | ${r.anchorName ?? "—"} | ${anchor === undefined ? "—" : formatValue(anchor, r.unit)} | ${ratioText(ratioOf(r), r.unit)} | ${r.target === undefined ? "—" : describeTarget(r.target, r.unit)} | **${outcome(r)}** | ${gcs === "" ? "—" : gcs} |${withBaseline ? ` ${baselineText(baseline.get(r.id))} |` : ""}`,
    );
  }
  const notes = explanations(run, baseline);
  if (notes.length > 0) out.push("", ...notes.map((n) => `- ${n}`));
  return `${out.join("\n")}\n`;
}

/**
 * The run's anchored benchmarks as comparisons (anchor = base, ours = head), for the SVG plot.
 * @param run - the run
 * @returns one comparison per benchmark with an anchor and a verdict
 */
export function runComparisons(run: SuiteRun): NamedComparison[] {
  return run.results.flatMap((r) =>
    r.anchor === undefined || r.verdict === undefined
      ? []
      : [
          {
            name: r.id,
            unit: r.unit,
            comparison: { verdict: r.verdict, base: r.anchor, head: r.ours },
          },
        ],
  );
}

const START = "<!-- bench-gate:start -->";
const END = "<!-- bench-gate:end -->";

/**
 * Puts a generated report between `<!-- bench-gate:start -->` and `<!-- bench-gate:end -->` in an
 * existing document, keeping the prose around it; without the markers, the report is the document.
 * @param existing - the document's current text, if any
 * @param generated - the report
 * @returns the new document
 */
export function spliceReport(existing: string | undefined, generated: string): string {
  const start = existing?.indexOf(START) ?? -1;
  const end = existing?.indexOf(END) ?? -1;
  if (existing === undefined || start < 0 || end < start) return generated;
  return `${existing.slice(0, start + START.length)}\n\n${generated.trim()}\n\n${existing.slice(end)}`;
}
