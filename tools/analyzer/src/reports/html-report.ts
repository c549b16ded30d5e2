import type { AnalysisReport } from "../analysis-report.js";
import { DEFAULT_LINK_TEMPLATE, linkTo } from "./link-template.js";
import { coverage } from "./coverage-note.js";
import { describeExemption } from "../exemption.js";

function esc(text: string | number): string {
  return String(text).replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}

/** Escapes text and renders its `code spans` as code. */
function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/**
 * A self-contained HTML page: totals, a bar chart of eliminable lines per category (inline SVG),
 * the roadmap, the findings (each location a link: `linkTemplate`, by default a `vscode://` link
 * that opens the file at the line) and the skipped files by reason. No scripts, no external assets.
 * @param report - from `analyze()`
 * @param linkTemplate - where file:line links point (see `checkLinkTemplate`)
 * @returns the page
 */
export function renderHtml(
  report: AnalysisReport,
  linkTemplate: string = DEFAULT_LINK_TEMPLATE,
): string {
  const s = report.summary;
  const categories = ["caching", "memory", "response", "monitoring"] as const;
  const max = Math.max(1, ...categories.map((c) => s.byCategory[c].eliminableLines));
  const colors = {
    caching: "#2b6cb0",
    memory: "#2f855a",
    response: "#c05621",
    monitoring: "#6b46c1",
  };
  const bars = categories
    .map((c, i) => {
      const t = s.byCategory[c];
      const width = Math.max(0, Math.round((t.eliminableLines / max) * 420));
      const y = 10 + i * 34;
      return `<text x="0" y="${y + 17}" font-size="13">${c}</text><rect x="100" y="${y}" width="${width}" height="24" fill="${colors[c]}" rx="3"/><text x="${106 + width}" y="${y + 17}" font-size="13">${t.eliminableLines} lines · ${t.findings} findings</text>`;
    })
    .join("");
  const roadmap = report.roadmap
    .map(
      (step) =>
        `<tr><td>${step.step}</td><td>${esc(step.kind)}</td><td><code>${esc(step.replacement.package)}</code> ${esc(step.replacement.api)}</td><td>${step.findings}</td><td>${step.eliminableLines}</td><td class="risk-${step.risk}">${step.risk}</td></tr>`,
    )
    .join("");
  const where = (f: { file: string; startLine: number; endLine: number }): string =>
    `<a href="${esc(linkTo(linkTemplate, { root: report.root, path: f.file, line: f.startLine, endLine: f.endLine }))}"><code>${esc(f.file)}:${f.startLine}-${f.endLine}</code></a>`;
  const findings = report.findings
    .map(
      (f) =>
        `<tr><td>${where(f)}</td><td>${esc(f.kind)}</td><td>${Math.round(f.confidence * 100)} %</td><td>${f.lines} → ${f.replacement.lines}</td><td>${f.evidence.map(inline).join("; ")}</td></tr>`,
    )
    .join("");
  const exempted =
    report.exempted.length === 0 && report.unusedExemptions.length === 0
      ? ""
      : `<h2>Exempted</h2><p>Findings an exemption in the config covers: not counted above, listed with the reason.</p>${report.exempted.length === 0 ? "" : `<table><tr><th>where</th><th>idiom</th><th>reason</th></tr>${report.exempted.map((f) => `<tr><td>${where(f)}</td><td>${esc(f.kind)}</td><td>${inline(f.exemption.reason)}</td></tr>`).join("")}</table>`}${report.unusedExemptions.length === 0 ? "" : `<p class="risk-medium">Unused exemptions (matched no finding; remove or correct them):</p><ul>${report.unusedExemptions.map((e) => `<li><code>${esc(describeExemption(e))}</code> — ${inline(e.reason)}</li>`).join("")}</ul>`}`;
  const reasons = new Map<string, number>();
  for (const skip of report.skipped) reasons.set(skip.code, (reasons.get(skip.code) ?? 0) + 1);
  const skipped =
    report.skipped.length === 0
      ? ""
      : `<h2>Skipped files</h2><p>${[...reasons].map(([code, n]) => `${n} ${esc(code)}`).join(", ")}</p><details><summary>${report.skipped.length} files and why</summary><table><tr><th>file</th><th>reason</th></tr>${report.skipped.map((sk) => `<tr><td><code>${esc(sk.relativePath)}</code></td><td>${inline(sk.reason)}</td></tr>`).join("")}</table></details>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>perflayer analysis</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1a202c}table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border-bottom:1px solid #e2e8f0;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f7fafc}.big{font-size:2rem;font-weight:700}.risk-high{color:#c53030}.risk-medium{color:#b7791f}.risk-low{color:#2f855a}code{font-size:12px}</style></head>
<body><h1>perflayer analysis</h1>
<p><span class="big">${s.eliminableLines.toLocaleString("en-US")}</span> lines could go — ${s.findings} hand-rolled idioms in ${s.files} files (${s.linesScanned.toLocaleString("en-US")} lines), plus ${s.cloneEliminableLines.toLocaleString("en-US")} lines in ${s.cloneClasses} clone classes.</p>
<p>${coverage(report)
    .map((line) => esc(line))
    .join(" ")}</p>
<h2>Eliminable lines by category</h2>
<svg width="760" height="150" role="img" aria-label="eliminable lines by category">${bars}</svg>
<h2>Roadmap</h2><table><tr><th>step</th><th>replace</th><th>with</th><th>findings</th><th>eliminable</th><th>risk</th></tr>${roadmap}</table>
<h2>Findings</h2><table><tr><th>where</th><th>idiom</th><th>confidence</th><th>lines</th><th>evidence</th></tr>${findings}</table>
${exempted}
${skipped}
<p>Generated by ${esc(report.tool.name)} ${esc(report.tool.version)} in ${report.timings.ms} ms.</p>
</body></html>
`;
}
