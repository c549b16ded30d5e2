import { existsSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import picomatch from "picomatch";
import { PerflayerConfigError } from "@perflayer/core";
import { EXIT, emit, oneOf, parseFlags, progress, withErrorBoundary } from "@perflayer/toolkit";
import type { CliIo } from "@perflayer/toolkit";
import { analyze, buildRoadmap } from "./analyze.js";
import type { AnalysisReport, AnalyzerFinding } from "./analyze.js";
import type { Category } from "./detector.js";
import { renderReport } from "./reports/render-report.js";
import type { ReportFormat } from "./reports/render-report.js";

const USAGE =
  "perflayer-analyze [paths…] [--format text|md|json|sarif|html] [--out file] [--category c] [--min-confidence n] [--baseline report.json] [--fail-on new|any|none] [--include-tests] [--deep] [--config file]";

const HELP = `Finds hand-rolled caching, memory, response and monitoring code, counts the lines that could go,
maps each finding to the perflayer API that replaces it, and writes a roadmap.

Usage: ${USAGE}

  paths                 folders or files to scan (default: .)
  --format <f>          text (default), md, json, sarif, html
  --json                same as --format json
  --out <file>          write the report to a file instead of stdout
  --category <c>        only caching, memory, response or monitoring (repeatable, or comma-separated)
  --min-confidence <n>  drop findings below n (0–1, default 0.6)
  --baseline <file>     a previous --format json report: findings in it are not "new"
  --fail-on <mode>      exit 1 on: new (findings not in the baseline), any, none
                        (default: new with --baseline, none without)
  --include-tests       also report findings in test and fixture files (listed apart)
  --deep                count references with the type checker for the risk estimate (slower)
  --no-cache            do not read or write .perflayer-cache
  --config <file>       JSON: { "include", "exclude", "owners": { "caching": ["packages/cache/**"] } }
  --help                this text

Exit codes: 0 clean, 1 findings over the --fail-on threshold, 2 usage or internal error.
`;

interface AnalyzerConfig {
  readonly include?: string[];
  readonly exclude?: string[];
  /** Globs where each category's code is owned (e.g. the package that implements it): not reported. */
  readonly owners?: Partial<Record<Category, string[]>>;
}

function readConfig(path: string): AnalyzerConfig {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PerflayerConfigError(
      "ERR_CONFIG",
      `Could not read the analyzer config ${path}: ${(error as Error).message}. Pass a JSON file with "include", "exclude" and "owners".`,
    );
  }
  if (typeof data !== "object" || data === null)
    throw new PerflayerConfigError("ERR_CONFIG", `${path}: Expected a JSON object.`);
  const known = ["$schema", "include", "exclude", "owners"];
  for (const key of Object.keys(data))
    if (!known.includes(key))
      throw new PerflayerConfigError(
        "ERR_CONFIG",
        `${path}: unknown key "${key}"; expected ${known.join(", ")}.`,
      );
  return data;
}

function readBaseline(path: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PerflayerConfigError(
      "ERR_BASELINE",
      `Could not read the baseline ${path}: ${(error as Error).message}. Create one with --format json --out ${path}.`,
    );
  }
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

/** Drops findings inside the paths that own their category. */
function withoutOwned(
  report: AnalysisReport,
  owners: AnalyzerConfig["owners"],
  base: string,
): AnalysisReport {
  if (owners === undefined) return report;
  const matchers = Object.fromEntries(
    Object.entries(owners).map(([c, globs]) => [c, picomatch(globs ?? [])]),
  ) as Partial<Record<Category, (path: string) => boolean>>;
  const kept = (f: AnalyzerFinding): boolean => {
    const match = matchers[f.category];
    return (
      match === undefined ||
      !match(relative(base, resolve(report.root, f.file)).split("\\").join("/"))
    );
  };
  return withFindings(report, report.findings.filter(kept));
}

/** The report with another set of findings: totals and roadmap recomputed. */
function withFindings(report: AnalysisReport, findings: AnalyzerFinding[]): AnalysisReport {
  const byCategory = Object.fromEntries(
    Object.keys(report.summary.byCategory).map((c) => [
      c,
      { findings: 0, lines: 0, eliminableLines: 0 },
    ]),
  ) as Record<Category, { findings: number; lines: number; eliminableLines: number }>;
  for (const f of findings) {
    byCategory[f.category].findings++;
    byCategory[f.category].lines += f.lines;
    byCategory[f.category].eliminableLines += f.eliminableLines;
  }
  return {
    ...report,
    findings,
    roadmap: buildRoadmap(findings),
    summary: {
      ...report.summary,
      findings: findings.length,
      eliminableLines: findings.reduce((s, f) => s + f.eliminableLines, 0),
      byCategory,
    },
  };
}

/**
 * The `perflayer-analyze` command: parses flags, runs `analyze()` per path, renders, and decides
 * the exit code. Only `bin/perflayer-analyze.js` sets `process.exitCode`.
 * @param argv - arguments after the command name
 * @param io - streams and environment
 * @returns 0 clean, 1 findings over the threshold, 2 usage or internal error
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return withErrorBoundary("perflayer-analyze", io, async () => {
    const { values, positionals } = parseFlags(
      argv,
      {
        format: { type: "string" },
        json: { type: "boolean" },
        out: { type: "string" },
        category: { type: "string", multiple: true },
        "min-confidence": { type: "string" },
        baseline: { type: "string" },
        "fail-on": { type: "string" },
        "include-tests": { type: "boolean" },
        deep: { type: "boolean" },
        "no-cache": { type: "boolean" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      USAGE,
    );
    if (values.help === true) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
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
    const minConfidence =
      values["min-confidence"] === undefined ? undefined : Number(values["min-confidence"]);
    if (minConfidence !== undefined && !(minConfidence >= 0 && minConfidence <= 1)) {
      throw new PerflayerConfigError(
        "ERR_USAGE",
        `Expected --min-confidence to be a number from 0 to 1, got "${values["min-confidence"]}".`,
      );
    }
    const baseline =
      values.baseline === undefined ? undefined : readBaseline(resolve(io.cwd, values.baseline));
    const failOn = oneOf(
      "fail-on",
      values["fail-on"] ?? (baseline === undefined ? "none" : "new"),
      ["new", "any", "none"] as const,
    );
    if (failOn === "new" && baseline === undefined)
      throw new PerflayerConfigError("ERR_USAGE", "--fail-on new needs --baseline <report.json>.");
    const configPath =
      values.config ??
      (existsSync(resolve(io.cwd, "perflayer.analyzer.json"))
        ? "perflayer.analyzer.json"
        : undefined);
    const config = configPath === undefined ? {} : readConfig(resolve(io.cwd, configPath));
    const paths = positionals.length > 0 ? positionals : ["."];
    const bar = progress(io);
    let report: AnalysisReport | undefined;
    for (const path of paths) {
      const root = resolve(io.cwd, path);
      if (!existsSync(root))
        throw new PerflayerConfigError("ERR_USAGE", `No such file or folder: ${path}.`);
      const one = await analyze({
        root,
        ...(config.include === undefined ? {} : { include: config.include }),
        ...(config.exclude === undefined ? {} : { exclude: config.exclude }),
        ...(categories.length > 0 ? { categories } : {}),
        ...(minConfidence === undefined ? {} : { minConfidence }),
        includeTests: values["include-tests"] === true,
        deep: values.deep === true,
        ...(values["no-cache"] === true ? { cacheDir: false as const } : {}),
        onProgress: (done, total, file) => bar.update(done, total, file),
      });
      report = report === undefined ? one : merge(report, one);
    }
    bar.end();
    const final = withoutOwned(report as AnalysisReport, config.owners, io.cwd);
    const fresh =
      baseline === undefined
        ? undefined
        : new Set(
            final.findings.filter((f) => !baseline.has(f.fingerprint)).map((f) => f.fingerprint),
          );
    emit(io, renderReport(final, format, fresh), values.out);
    if (failOn === "any" && final.findings.length > 0) return EXIT.findings;
    if (failOn === "new" && (fresh?.size ?? 0) > 0) {
      io.stderr.write(`${fresh?.size ?? 0} new finding(s) not in the baseline.\n`);
      return EXIT.findings;
    }
    return EXIT.ok;
  });
}

function merge(a: AnalysisReport, b: AnalysisReport): AnalysisReport {
  const findings = [...a.findings, ...b.findings];
  const byCategory = { ...a.summary.byCategory };
  for (const key of Object.keys(byCategory) as Category[]) {
    const x = a.summary.byCategory[key];
    const y = b.summary.byCategory[key];
    byCategory[key] = {
      findings: x.findings + y.findings,
      lines: x.lines + y.lines,
      eliminableLines: x.eliminableLines + y.eliminableLines,
    };
  }
  return {
    ...a,
    summary: {
      files: a.summary.files + b.summary.files,
      testFiles: a.summary.testFiles + b.summary.testFiles,
      linesScanned: a.summary.linesScanned + b.summary.linesScanned,
      findings: findings.length,
      eliminableLines: a.summary.eliminableLines + b.summary.eliminableLines,
      byCategory,
      cloneClasses: a.summary.cloneClasses + b.summary.cloneClasses,
      cloneEliminableLines: a.summary.cloneEliminableLines + b.summary.cloneEliminableLines,
      testFindings: a.summary.testFindings + b.summary.testFindings,
      detectors: a.summary.detectors, // both runs use the same categories
    },
    findings,
    testFindings: [...a.testFindings, ...b.testFindings],
    clones: [...a.clones, ...b.clones],
    roadmap: buildRoadmap(findings),
    skipped: [...a.skipped, ...b.skipped],
    timings: {
      ms: a.timings.ms + b.timings.ms,
      parsedFiles: a.timings.parsedFiles + b.timings.parsedFiles,
      cachedFiles: a.timings.cachedFiles + b.timings.cachedFiles,
    },
  };
}
