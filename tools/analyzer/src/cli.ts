import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import {
  EXIT,
  defineCommand,
  emit,
  oneOf,
  outputFlags,
  packageVersion,
  painter,
  runCli,
} from "@perflayer/toolkit";
import type { CliIo, CliSpec } from "@perflayer/toolkit";
import { analyze } from "./analyze.js";
import type { AnalysisReport } from "./analysis-report.js";
import { readAnalyzerConfig } from "./analyzer-config.js";
import { existingPaths, jobsFlag, minConfidenceFlag, rootFlag } from "./cli-args.js";
import { describeExemption } from "./exemption.js";
import { fixCommand } from "./fix/fix-command.js";
import { checkLinkTemplate } from "./reports/link-template.js";
import { renderReport } from "./reports/render-report.js";
import type { ReportFormat } from "./reports/render-report.js";
import { readJson } from "./read-json.js";
import { RunProgress } from "./run-progress.js";

function readBaseline(path: string): Set<string> {
  const data = readJson(
    path,
    "the baseline",
    "ERR_BASELINE",
    `Create one with --format json --out ${path}.`,
  );
  const findings = (data as { findings?: { fingerprint?: unknown }[] }).findings;
  if (!Array.isArray(findings))
    throw new PerflayerConfigError(
      "ERR_BASELINE",
      `${path} is not a perflayer-analyze JSON report (no "findings" array).`,
    );
  return new Set(
    findings.map((f) => f.fingerprint).filter((f): f is string => typeof f === "string"),
  );
}

/** Says on stderr what the report would otherwise only hold: nothing analysed, tool failures. */
function warnings(io: CliIo, report: AnalysisReport): void {
  if (report.summary.files + report.summary.testFiles === 0)
    io.stderr.write(
      `perflayer-analyze: warning: no files were analysed in ${report.paths.join(", ")} (${report.skipped.length} skipped). Check the paths, the config's include/exclude, or pass --include-generated.\n`,
    );
  const failed = report.skipped.filter((s) => s.code === "failed");
  for (const f of failed)
    io.stderr.write(`perflayer-analyze: warning: ${f.relativePath}: ${f.reason}\n`);
  for (const f of report.detectorFailures)
    io.stderr.write(
      `perflayer-analyze: warning: detector ${f.detector} failed on ${f.file} (${f.message}); please report it\n`,
    );
  for (const e of report.unusedExemptions)
    io.stderr.write(
      `perflayer-analyze: warning: the exemption of ${describeExemption(e)} matched no finding; remove it, or correct its file, kind, lines or symbol\n`,
    );
}

const analyzeCommand = defineCommand({
  name: "",
  summary:
    "Finds hand-rolled caching, memory, response and monitoring code, counts the lines that could go,\nmaps each finding to the perflayer API that replaces it, and writes a roadmap.",
  usage: ["[paths…] [options]"],
  description: "Scans each path (default: .) from one project root and renders one report.",
  flags: {
    format: {
      type: "string",
      value: "f",
      description: "text (default), md, json, sarif, html",
    },
    json: { type: "boolean", description: "same as --format json" },
    ...outputFlags("the report"),
    root: {
      type: "string",
      value: "dir",
      description:
        "the project root paths are reported from (default: the nearest folder above\nthe first path with .git or a workspace declaration)",
    },
    category: {
      type: "string",
      multiple: true,
      value: "c",
      description: "only caching, memory, response or monitoring (repeatable, or comma-separated)",
    },
    "min-confidence": {
      type: "string",
      value: "n",
      description: "drop findings below n (0–1, default 0.6)",
    },
    baseline: {
      type: "string",
      value: "file",
      description: 'a previous --format json report: findings in it are not "new"',
    },
    "fail-on": {
      type: "string",
      multiple: true,
      value: "mode",
      description:
        "exit 1 on: new (findings not in the baseline), any, unused (exemptions that\nmatched nothing), none; combine with commas (any,unused)\n(default: new with --baseline, none without)",
    },
    "include-tests": {
      type: "boolean",
      description: "also report findings in test and fixture files (listed apart)",
    },
    "include-generated": {
      type: "boolean",
      description: "also analyse generated, vendored and minified files (skipped by default)",
    },
    deep: {
      type: "boolean",
      description: "count references with the type checker for the risk estimate (slower)",
    },
    "cache-dir": {
      type: "string",
      value: "dir",
      description: "the cache folder (default: <root>/node_modules/.cache/perflayer)",
    },
    "no-cache": { type: "boolean", description: "neither read nor write the cache" },
    jobs: {
      type: "string",
      value: "n",
      description:
        "threads that parse files (1: the main thread only; default: one per core\nbut one when there is enough to parse, at most 4)",
    },
    quiet: {
      type: "boolean",
      description: "no progress and no closing timing line on stderr",
    },
    "link-template": {
      type: "string",
      value: "url",
      description:
        "HTML file:line links, e.g. https://github.com/o/r/blob/main/{path}#L{line}\n(placeholders {path} {line} {endLine} {root}; default: a vscode:// link)",
    },
    config: {
      type: "string",
      value: "file",
      description:
        "JSON config (default: perflayer.analyzer.json in the root), schema:\n@perflayer/analyzer/schema.json",
    },
  },
  async run({ values, positionals }, io) {
    const format: ReportFormat =
      values.json === true
        ? "json"
        : oneOf("format", values.format ?? "text", [
            "text",
            "md",
            "json",
            "sarif",
            "html",
          ] as const);
    const categories = (values.category ?? [])
      .flatMap((c) => c.split(","))
      .map((c) =>
        oneOf("category", c.trim(), ["caching", "memory", "response", "monitoring"] as const),
      );
    const minConfidence = minConfidenceFlag(values["min-confidence"]);
    const baseline =
      values.baseline === undefined ? undefined : readBaseline(resolve(io.cwd, values.baseline));
    const failOn = new Set(
      (values["fail-on"] ?? [baseline === undefined ? "none" : "new"])
        .flatMap((m) => m.split(","))
        .map((m) => oneOf("fail-on", m.trim(), ["new", "any", "unused", "none"] as const)),
    );
    if (failOn.has("none") && failOn.size > 1)
      throw new PerflayerConfigError(
        "ERR_USAGE",
        `Expected --fail-on none alone, got "${[...failOn].join(",")}". Pass e.g. --fail-on any,unused.`,
      );
    if (failOn.has("new") && baseline === undefined)
      throw new PerflayerConfigError("ERR_USAGE", "--fail-on new needs --baseline <report.json>.");
    const jobs = jobsFlag(values.jobs);
    const paths = existingPaths(positionals, io.cwd);
    const root = rootFlag(values.root, io.cwd, paths);
    const configPath =
      values.config === undefined
        ? existsSync(join(root, "perflayer.analyzer.json"))
          ? join(root, "perflayer.analyzer.json")
          : undefined
        : resolve(io.cwd, values.config);
    const config = configPath === undefined ? {} : readAnalyzerConfig(configPath);
    const linkTemplate = values["link-template"] ?? config.linkTemplate;
    if (linkTemplate !== undefined) checkLinkTemplate(linkTemplate);
    const progress = new RunProgress(io, { quiet: values.quiet === true });
    const report = await analyze({
      root,
      paths,
      ...(config.include === undefined ? {} : { include: config.include }),
      ...(config.exclude === undefined ? {} : { exclude: config.exclude }),
      ...(categories.length > 0 ? { categories } : {}),
      ...(minConfidence === undefined ? {} : { minConfidence }),
      ...(config.owners === undefined ? {} : { owners: config.owners }),
      ...(config.exemptions === undefined ? {} : { exemptions: config.exemptions }),
      includeTests: values["include-tests"] === true,
      includeGenerated: values["include-generated"] === true || config.includeGenerated === true,
      deep: values.deep === true,
      ...(jobs === undefined ? {} : { jobs }),
      ...(values["no-cache"] === true
        ? { cacheDir: false as const }
        : values["cache-dir"] === undefined
          ? {}
          : { cacheDir: resolve(io.cwd, values["cache-dir"]) }),
      onProgress: (done, total, file) => progress.update(done, total, file),
    });
    progress.finish({
      files: report.summary.files + report.summary.testFiles,
      parsed: report.timings.parsedFiles,
      cached: report.timings.cachedFiles,
      skipped: report.skipped.length,
    });
    warnings(io, report);
    const fresh =
      baseline === undefined
        ? undefined
        : new Set(
            report.findings.filter((f) => !baseline.has(f.fingerprint)).map((f) => f.fingerprint),
          );
    const paint = values.out === undefined ? painter(io) : undefined;
    emit(
      io,
      renderReport(report, format, fresh, {
        ...(linkTemplate === undefined ? {} : { linkTemplate }),
        ...(paint === undefined ? {} : { paint }),
      }),
      values.out,
      { mkdir: values.mkdir },
    );
    let over = false;
    if (failOn.has("any") && report.findings.length > 0) over = true;
    if (failOn.has("new") && (fresh?.size ?? 0) > 0) {
      io.stderr.write(`${fresh?.size ?? 0} new finding(s) not in the baseline.\n`);
      over = true;
    }
    if (failOn.has("unused") && report.unusedExemptions.length > 0) {
      io.stderr.write(`${report.unusedExemptions.length} exemption(s) matched no finding.\n`);
      over = true;
    }
    return over ? EXIT.findings : EXIT.ok;
  },
});

const CLI: CliSpec = {
  name: "perflayer-analyze",
  version: packageVersion(import.meta.url),
  summary: analyzeCommand.summary,
  commands: [analyzeCommand, fixCommand],
  footer:
    "Exit codes: 0 clean, 1 findings over the --fail-on threshold, 2 usage or internal error.",
};

/**
 * The `perflayer-analyze` command: parses flags, reads the config, runs `analyze()` over the
 * paths from one project root, renders, and decides the exit code. Only
 * `bin/perflayer-analyze.js` sets `process.exitCode`.
 * @param argv - arguments after the command name
 * @param io - streams and environment
 * @returns 0 clean, 1 findings over the threshold, 2 usage or internal error
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runCli(CLI, argv, io);
}
