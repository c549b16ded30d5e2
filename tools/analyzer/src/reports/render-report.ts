import { plain, toSarif } from "@perflayer/toolkit";
import type { Paint } from "@perflayer/toolkit";
import type { AnalysisReport, AnalyzerFinding } from "../analysis-report.js";
import { DETECTOR_CATALOG } from "../detector-catalog.js";
import { coverage } from "./coverage-note.js";
import { renderHtml } from "./html-report.js";
import { checkLinkTemplate } from "./link-template.js";
import { describeExemption } from "../exemption.js";

/** The report formats. */
export type ReportFormat = "text" | "md" | "json" | "sarif" | "html";

/** Options of {@link renderReport}. */
export interface RenderOptions {
  /**
   * Where the HTML report's file:line links point; placeholders `{path}` (relative to the root),
   * `{line}`, `{endLine}`, `{root}` (the absolute root).
   * @defaultValue `vscode://file/{root}/{path}:{line}`
   * @example `https://github.com/org/repo/blob/main/{path}#L{line}-L{endLine}`
   */
  readonly linkTemplate?: string;
  /**
   * Colours of the text format (severities, new findings); `painter(io)` from the toolkit.
   * @defaultValue no colour
   */
  readonly paint?: Paint;
}

const CATEGORY_ORDER = ["caching", "memory", "response", "monitoring"] as const;

/**
 * Renders a report in one format.
 * @param report - from `analyze()`
 * @param format - text, md, json, sarif or html
 * @param newFingerprints - findings not in the baseline (marked in text and Markdown)
 * @param options - links of the HTML report, colours of the text format
 * @returns the report text
 */
export function renderReport(
  report: AnalysisReport,
  format: ReportFormat,
  newFingerprints?: ReadonlySet<string>,
  options: RenderOptions = {},
): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(sarifOf(report), null, 2)}\n`;
    case "md":
      return markdown(report, newFingerprints);
    case "html":
      return renderHtml(
        report,
        options.linkTemplate === undefined ? undefined : checkLinkTemplate(options.linkTemplate),
      );
    case "text":
      return text(report, newFingerprints, options.paint ?? plain);
  }
}

function sarifOf(report: AnalysisReport): ReturnType<typeof toSarif> {
  const rules = DETECTOR_CATALOG.flatMap((d) =>
    d.kinds.map((k) => ({
      id: `${d.category}/${k}`,
      description: `Hand-rolled ${k.replace(/-/g, " ")}; replace with perflayer.`,
      helpUri: "https://github.com/perflayer/perflayer/blob/main/docs/analyzer/rules.md",
    })),
  );
  const all = [...report.findings, ...report.exempted];
  const extra = new Map(
    all.map((f) => [
      f.fingerprint,
      {
        confidence: f.confidence,
        eliminableLines: f.eliminableLines,
        replacement: `${f.replacement.package} ${f.replacement.api}`,
        risk: f.risk.level,
      },
    ]),
  );
  const log = toSarif(
    {
      name: report.tool.name,
      version: report.tool.version,
      informationUri: "https://github.com/perflayer/perflayer/tree/main/tools/analyzer",
    },
    rules,
    all,
    extra,
  );
  // Exempted findings stay in the log as suppressed results (SARIF §3.35), with the reason; unused
  // exemptions are configuration notifications of the run (§3.20.21).
  const reasons = new Map(report.exempted.map((f) => [f.fingerprint, f.exemption.reason]));
  const run = log.runs[0] as SarifRun;
  return {
    ...log,
    runs: [
      {
        ...run,
        results: run.results.map((r) => {
          const reason = reasons.get(r.partialFingerprints["perflayer/v1"] ?? "");
          return reason === undefined
            ? r
            : {
                ...r,
                suppressions: [{ kind: "external", status: "accepted", justification: reason }],
              };
        }),
        invocations: [
          {
            executionSuccessful: true,
            toolConfigurationNotifications: report.unusedExemptions.map((e) => ({
              level: "warning",
              descriptor: { id: "unused-exemption" },
              message: {
                text: `The exemption of ${describeExemption(e)} matched no finding (reason given: ${e.reason}); remove it, or correct its file, kind, lines or symbol.`,
              },
            })),
          },
        ],
      },
    ],
  };
}

/** The parts of a SARIF run this writer adds to. */
interface SarifRun {
  readonly results: readonly { readonly partialFingerprints: Record<string, string> }[];
}

/** What `fix` itself removes of the total, when it rewrites anything. */
function fixNote(summary: AnalysisReport["summary"]): string {
  const { fixRemovesLines: removes, fixSetupLines: setup } = summary;
  return removes === 0 && setup === 0
    ? ""
    : `; perflayer-analyze fix removes ${removes} line${removes === 1 ? "" : "s"} by itself (net of ${setup} line${setup === 1 ? "" : "s"} it writes once: imports, the shared module)`;
}

function pct(part: number, whole: number): string {
  return whole === 0 ? "0 %" : `${((part / whole) * 100).toFixed(1)} %`;
}

function text(
  report: AnalysisReport,
  fresh: ReadonlySet<string> | undefined,
  paint: Paint,
): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(
    `perflayer-analyze: ${s.files} source files, ${s.linesScanned.toLocaleString("en-US")} lines (${s.testFiles} test/fixture files apart)`,
  );
  out.push(
    `${s.findings} hand-rolled performance idioms; ${s.eliminableLines.toLocaleString("en-US")} lines could go (${pct(s.eliminableLines, s.linesScanned)} of the code)${fixNote(s)}`,
  );
  out.push("");
  out.push("category     findings   lines   eliminable");
  for (const c of CATEGORY_ORDER) {
    const t = s.byCategory[c];
    out.push(
      `${c.padEnd(12)} ${String(t.findings).padStart(8)} ${String(t.lines).padStart(7)} ${String(t.eliminableLines).padStart(12)}`,
    );
  }
  out.push(
    `clones       ${String(s.cloneClasses).padStart(8)} classes ${String(s.cloneEliminableLines).padStart(9)} lines in copies`,
  );
  if (report.roadmap.length > 0) {
    out.push("", "Roadmap (value over risk):");
    for (const step of report.roadmap) {
      out.push(
        `  ${step.step}. ${step.kind} → ${step.replacement.package} ${step.replacement.api}: ${step.findings} finding(s), ${step.eliminableLines < 0 ? "+" : "−"}${Math.abs(step.eliminableLines)} lines, ${step.risk} risk`,
      );
    }
  }
  if (report.findings.length > 0) {
    out.push("", "Findings:");
    for (const f of report.findings)
      out.push(
        `  ${fresh?.has(f.fingerprint) === true ? paint("strong", "[new] ") : ""}${f.file}:${f.startLine}-${f.endLine} ${paint(f.severity, f.ruleId)} (${Math.round(f.confidence * 100)} %) — ${f.message}`,
      );
  }
  if (report.exempted.length > 0) {
    out.push("", "Exempted (not counted above; each with its reason):");
    for (const f of report.exempted)
      out.push(
        `  ${f.file}:${f.startLine}-${f.endLine} ${f.ruleId} — exempted: ${f.exemption.reason}`,
      );
  }
  if (report.unusedExemptions.length > 0) {
    out.push("", "Unused exemptions (matched no finding; remove or correct them):");
    for (const e of report.unusedExemptions)
      out.push(`  ${paint("warning", describeExemption(e))} — ${e.reason}`);
  }
  out.push("", ...coverage(report));
  if (report.skipped.length > 0) {
    const reasons = new Map<string, number>();
    for (const skip of report.skipped) reasons.set(skip.code, (reasons.get(skip.code) ?? 0) + 1);
    out.push(
      "",
      `${report.skipped.length} file(s) skipped: ${[...reasons].map(([code, n]) => `${n} ${code}`).join(", ")} (reasons: --format json or md).`,
    );
  }
  out.push(
    `\nDone in ${report.timings.ms} ms (${report.timings.parsedFiles} parsed, ${report.timings.cachedFiles} from cache).`,
  );
  return `${out.join("\n")}\n`;
}

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
}

function markdown(report: AnalysisReport, fresh: ReadonlySet<string> | undefined): string {
  const s = report.summary;
  const out: string[] = [];
  out.push("# perflayer analysis", "");
  out.push(
    `**${s.findings}** hand-rolled performance idioms in **${s.files}** source files (${s.linesScanned.toLocaleString("en-US")} lines): **${s.eliminableLines.toLocaleString("en-US")} lines** could go (${pct(s.eliminableLines, s.linesScanned)})${fixNote(s)}, plus **${s.cloneEliminableLines.toLocaleString("en-US")}** lines in ${s.cloneClasses} clone classes.`,
    "",
  );
  out.push(...coverage(report), "");
  out.push(
    "## By category",
    "",
    row(["category", "findings", "lines", "eliminable lines"]),
    row(["---", "---:", "---:", "---:"]),
  );
  for (const c of CATEGORY_ORDER) {
    const t = s.byCategory[c];
    out.push(row([c, t.findings, t.lines, t.eliminableLines]));
  }
  out.push(
    "",
    "## Elimination roadmap",
    "",
    "Ordered by eliminable lines over risk: do step 1 first.",
    "",
  );
  out.push(
    row(["step", "replace", "with", "findings", "eliminable lines", "risk"]),
    row(["---:", "---", "---", "---:", "---:", "---"]),
  );
  for (const step of report.roadmap)
    out.push(
      row([
        step.step,
        step.kind,
        `\`${step.replacement.package}\` ${step.replacement.api}`,
        step.findings,
        step.eliminableLines,
        step.risk,
      ]),
    );
  out.push("", "## Integration strategy", "");
  out.push(
    "1. Add one `CacheManager`, `PerformanceMonitor`, `MemoryOptimizer` and `ResponseOptimizer` per process (wire `monitor.instrumentation` into the others).",
  );
  out.push(
    "2. Migrate one roadmap step at a time; each finding lists its replacement snippet. Keep behaviour tests green between steps.",
  );
  out.push(
    "3. Re-run the analyzer with `--baseline` so new hand-rolled code fails CI while the backlog shrinks.",
    "",
  );
  out.push("## Findings", "");
  const byFile = new Map<string, AnalyzerFinding[]>();
  for (const f of report.findings) {
    let list = byFile.get(f.file);
    if (list === undefined) byFile.set(f.file, (list = []));
    list.push(f);
  }
  for (const [file, list] of byFile) {
    out.push(`### ${file}`, "");
    for (const f of list) {
      out.push(
        `- ${fresh?.has(f.fingerprint) === true ? "**new** " : ""}lines ${f.startLine}–${f.endLine}: **${f.kind}**${f.name === undefined ? "" : ` \`${f.name}\``} (confidence ${Math.round(f.confidence * 100)} %, risk ${f.risk.level}) — ${f.lines} lines → ${f.replacement.lines}; evidence: ${f.evidence.join("; ")}`,
      );
      out.push("", "  ```ts", ...f.replacement.after.split("\n").map((l) => `  ${l}`), "  ```", "");
    }
  }
  if (report.exempted.length > 0 || report.unusedExemptions.length > 0) {
    out.push(
      "## Exempted",
      "",
      "Findings an exemption in the config covers: not counted above, listed with the reason.",
      "",
    );
    if (report.exempted.length > 0)
      out.push(
        row(["where", "kind", "reason"]),
        row(["---", "---", "---"]),
        ...report.exempted.map((f) =>
          row([`${f.file}:${f.startLine}-${f.endLine}`, f.kind, f.exemption.reason]),
        ),
        "",
      );
    if (report.unusedExemptions.length > 0)
      out.push(
        "**Unused exemptions** (matched no finding; remove or correct them):",
        "",
        ...report.unusedExemptions.map((e) => `- ${describeExemption(e)} — ${e.reason}`),
        "",
      );
  }
  if (report.clones.length > 0) {
    out.push(
      "## Clone classes",
      "",
      row(["class", "instances", "lines each", "eliminable", "where"]),
      row(["---", "---:", "---:", "---:", "---"]),
    );
    for (const c of report.clones.slice(0, 50))
      out.push(
        row([
          c.id,
          c.instances.length,
          c.lines,
          c.eliminableLines,
          c.instances.map((i) => `${i.file}:${i.startLine}`).join(", "),
        ]),
      );
    out.push("");
  }
  if (report.testFindings.length > 0)
    out.push(
      `${report.testFindings.length} finding(s) in test and fixture code are listed in the JSON report.`,
      "",
    );
  if (report.skipped.length > 0) {
    out.push("## Skipped files", "");
    for (const sk of report.skipped) out.push(`- ${sk.relativePath}: ${sk.code} — ${sk.reason}`);
    out.push("");
  }
  return out.join("\n");
}
