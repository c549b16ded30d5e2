import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PerflayerConfigError, assertKnownKeys, assertNumber } from "@perflayer/core";
import { fingerprint, sortFindings, walkFiles } from "@perflayer/toolkit";
import type { Finding, SkippedFile } from "@perflayer/toolkit";
import { findClones } from "./clones.js";
import type { CloneClass, CloneOptions, TokenStream } from "./clones.js";
import { DETECTOR_CATALOG } from "./detector-catalog.js";
import type * as Examine from "./examine.js";
import type { Category } from "./detector.js";
import type { FileResult } from "./file-result.js";
import { REPLACEMENTS } from "./replacements.js";
import type { Replacement } from "./replacements.js";

/** The version of the JSON report format (see docs/analyzer/report-schema.md). */
export const REPORT_SCHEMA_VERSION = 1;
/** The analyzer's version, recorded in reports. */
export const ANALYZER_VERSION = "0.1.0";
const CACHE_VERSION = 1;

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Folder (or file) to scan. */
  readonly root: string;
  /** Globs relative to root to take. @defaultValue everything */
  readonly include?: readonly string[];
  /** Globs relative to root to leave out. */
  readonly exclude?: readonly string[];
  /** Only these categories. @defaultValue all four */
  readonly categories?: readonly Category[];
  /** Drop findings below this confidence. @defaultValue 0.6 */
  readonly minConfidence?: number;
  /** Also report findings in test and fixture files (listed apart). @defaultValue false */
  readonly includeTests?: boolean;
  /** Clone detection thresholds, or `false` to skip clones. @defaultValue `{ minTokens: 60, minLines: 6 }` */
  readonly clones?: CloneOptions | false;
  /** Reuse results of unchanged files from this folder (content hashes). @defaultValue `<root>/.perflayer-cache` */
  readonly cacheDir?: string | false;
  /** Count references with the type checker for the risk estimate (slower). @defaultValue false */
  readonly deep?: boolean;
  /** Called as files are processed. */
  readonly onProgress?: (done: number, total: number, file: string) => void;
}

/** Risk of replacing one finding. */
export interface Risk {
  /** `low`, `medium` or `high`. */
  readonly level: "low" | "medium" | "high";
  /** Mentions of the construct's name elsewhere in the scanned code. */
  readonly callSites: number;
  /** Whether a test file imports the finding's module. */
  readonly coveredByTests: boolean;
  /** References found by the type checker (`deep` only). */
  readonly references?: number;
}

/** One hand-rolled idiom found. */
export interface AnalyzerFinding extends Finding {
  /** caching, memory, response or monitoring. */
  readonly category: Category;
  /** The idiom in the labelling convention's vocabulary, e.g. `ttl-cache`. */
  readonly kind: string;
  /** 0–1. */
  readonly confidence: number;
  /** Lines of the finding's range (the construct and the code it reaches). */
  readonly lines: number;
  /**
   * Code lines a migration deletes: the construct's own lines, blank and comment lines aside (the
   * replacement then adds `replacement.lines`).
   */
  readonly eliminableLines: number;
  /** What made the detector decide. */
  readonly evidence: readonly string[];
  /** The construct's name, when it has one. */
  readonly name?: string;
  /** The perflayer API that replaces it. */
  readonly replacement: Replacement;
  /** The risk of replacing it. */
  readonly risk: Risk;
  /** Whether it is in test or fixture code. */
  readonly inTests: boolean;
  /** Clone classes it is part of. */
  readonly cloneIds: readonly string[];
}

/** Totals of one category. */
export interface CategoryTotals {
  /** Findings. */
  readonly findings: number;
  /** Lines of hand-rolled code. */
  readonly lines: number;
  /** Lines that could go. */
  readonly eliminableLines: number;
}

/** A clone class with what removing its copies saves. */
export interface ReportedClone extends CloneClass {
  /** (instances − 1) × lines. */
  readonly eliminableLines: number;
  /** Fingerprints of idiom findings it overlaps. */
  readonly findings: readonly string[];
}

/** One step of the elimination roadmap. */
export interface RoadmapStep {
  /** 1-based position. */
  readonly step: number;
  /** The idiom replaced in this step. */
  readonly kind: string;
  /** Its category. */
  readonly category: Category;
  /** The replacing package and API. */
  readonly replacement: Replacement;
  /** Findings migrated in this step. */
  readonly findings: number;
  /** Lines that go. */
  readonly eliminableLines: number;
  /** The highest risk among them. */
  readonly risk: Risk["level"];
  /** Value over risk, the ordering key. */
  readonly score: number;
  /** Files touched. */
  readonly files: readonly string[];
}

/** The totals of a report. */
export interface ReportSummary {
  /** Source files scanned. */
  readonly files: number;
  /** Test and fixture files (their findings are listed apart). */
  readonly testFiles: number;
  /** Lines in source files. */
  readonly linesScanned: number;
  /** Findings in source files. */
  readonly findings: number;
  /** Lines that could go by replacing them. */
  readonly eliminableLines: number;
  /** Totals per category. */
  readonly byCategory: Readonly<Record<Category, CategoryTotals>>;
  /** Clone classes found. */
  readonly cloneClasses: number;
  /** Lines in the extra copies of clones. */
  readonly cloneEliminableLines: number;
  /** Findings in test and fixture files. */
  readonly testFindings: number;
  /**
   * The detectors that ran, with the kinds each recognises: a file without findings holds none of
   * these shapes as the detectors read them — not none of the idioms.
   */
  readonly detectors: readonly {
    /** Detector id, e.g. `caching/keyed-store`. */
    readonly id: string;
    /** The kinds it recognises. */
    readonly kinds: readonly string[];
  }[];
}

/** How a run went. */
export interface ReportTimings {
  /** Wall time of `analyze()`. */
  readonly ms: number;
  /** Files parsed in this run. */
  readonly parsedFiles: number;
  /** Files whose results came from the cache. */
  readonly cachedFiles: number;
}

/** Which tool wrote a report. */
export interface ReportTool {
  /** `perflayer-analyze`. */
  readonly name: string;
  /** Its version. */
  readonly version: string;
}

/** Everything `analyze()` returns (and the JSON report holds). */
export interface AnalysisReport {
  /** {@link REPORT_SCHEMA_VERSION}. */
  readonly schemaVersion: number;
  /** Tool name and version. */
  readonly tool: ReportTool;
  /** The scanned root. */
  readonly root: string;
  /** Totals. */
  readonly summary: ReportSummary;
  /** Findings in source files, sorted by file and line. */
  readonly findings: readonly AnalyzerFinding[];
  /** Findings in test and fixture files (with `includeTests`). */
  readonly testFindings: readonly AnalyzerFinding[];
  /** Clone classes, largest first. */
  readonly clones: readonly ReportedClone[];
  /** The elimination roadmap, in order. */
  readonly roadmap: readonly RoadmapStep[];
  /** Files left out, with reasons. */
  readonly skipped: readonly SkippedFile[];
  /** How long it took. */
  readonly timings: ReportTimings;
}

const CATEGORIES: readonly Category[] = ["caching", "memory", "response", "monitoring"];
const KNOWN: readonly string[] = [
  "root",
  "include",
  "exclude",
  "categories",
  "minConfidence",
  "includeTests",
  "clones",
  "cacheDir",
  "deep",
  "onProgress",
];

function fromBase64(text: string): Int32Array {
  const bytes = Buffer.from(text, "base64");
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function riskOf(callSites: number, covered: boolean, lines: number): Risk["level"] {
  const score =
    (covered ? 0 : 2) + (callSites > 20 ? 2 : callSites > 5 ? 1 : 0) + (lines > 80 ? 1 : 0);
  return score >= 3 ? "high" : score >= 2 ? "medium" : "low";
}

/**
 * Scans a codebase for hand-rolled and duplicated performance code, maps each finding to the
 * perflayer API that replaces it, counts the lines that could go, and orders the work into a
 * roadmap. Read-only: parses with the TypeScript compiler's parser (through ts-morph) without a
 * type checker unless `deep`, and walks raw syntax nodes.
 *
 * @example
 * ```ts
 * const report = await analyze({ root: "src" });
 * console.log(report.summary.eliminableLines, report.roadmap[0]?.replacement.api);
 * ```
 * @param options - root, globs, categories, thresholds, cache
 * @returns the report data
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalysisReport> {
  const started = performance.now();
  assertKnownKeys(options, KNOWN, "analyze()");
  if (typeof options.root !== "string")
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      'analyze(): Expected `root` to be a path string. Pass e.g. { root: "src" }.',
    );
  const root = resolve(options.root);
  const minConfidence = assertNumber(options.minConfidence ?? 0.6, {
    name: "minConfidence",
    min: 0,
    max: 1,
    context: "analyze()",
  });
  const categories = options.categories ?? CATEGORIES;
  for (const category of categories) {
    if (!CATEGORIES.includes(category))
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `analyze(): Expected categories from ${CATEGORIES.join(", ")}, got "${String(category)}".`,
      );
  }
  const detectorIds = DETECTOR_CATALOG.filter((d) => categories.includes(d.category)).map(
    (d) => d.id,
  );
  // The parser (ts-morph's TypeScript) loads only when a file is not in the cache.
  let examiner: typeof Examine | undefined;
  const walked = walkFiles({
    root,
    ...(options.include === undefined ? {} : { include: options.include }),
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
  });
  const skipped: SkippedFile[] = [...walked.skipped];
  const cachePath =
    options.cacheDir === false
      ? undefined
      : join(options.cacheDir ?? root, ".perflayer-cache", `analyzer-v${CACHE_VERSION}.json`);
  // The key covers the analyzer's own code, so a changed detector never serves stale results.
  const cacheKey = `${ANALYZER_VERSION}:${analyzerCodeHash()}:${detectorIds.join(",")}`;
  const cache = readCache(cachePath, cacheKey);
  const results = new Map<string, FileResult>();
  let parsed = 0;
  let cached = 0;
  let index = -1;
  for (const file of walked.files) {
    index++;
    options.onProgress?.(index, walked.files.length, file.relativePath);
    let buffer: Buffer;
    try {
      buffer = readFileSync(file.path);
    } catch (error) {
      skipped.push({
        relativePath: file.relativePath,
        reason: `unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
      continue;
    }
    if (buffer.includes(0)) {
      skipped.push({ relativePath: file.relativePath, reason: "binary content" });
      continue;
    }
    const hash = createHash("sha1").update(buffer).digest("hex");
    const previous = cache.get(file.relativePath);
    let result: FileResult;
    if (previous !== undefined && previous.hash === hash) {
      result = previous;
      cached++;
    } else {
      examiner ??= await import("./examine.js");
      result = examiner.examine(
        file,
        buffer.toString("utf8"),
        hash,
        examiner.detectorsFor(detectorIds),
      );
      parsed++;
    }
    if (result.syntaxErrors > 0)
      skipped.push({
        relativePath: file.relativePath,
        reason: `syntax errors (${result.syntaxErrors}); not analysed for idioms`,
      });
    results.set(file.relativePath, result);
  }
  options.onProgress?.(walked.files.length, walked.files.length, "");
  writeCache(cachePath, cacheKey, results);

  const fileKind = new Map(walked.files.map((f) => [f.relativePath, f.kind]));
  const testImports = new Set<string>();
  const identifierTotals = new Map<string, number>();
  for (const [path, result] of results) {
    if (fileKind.get(path) !== "source")
      for (const imported of result.imports) testImports.add(imported);
    for (const [name, count] of result.identifiers)
      identifierTotals.set(name, (identifierTotals.get(name) ?? 0) + count);
  }

  // Clones over source files (tests copy each other on purpose).
  let clones: CloneClass[] = [];
  if (options.clones !== false) {
    const streams: TokenStream[] = [];
    for (const [path, result] of results) {
      if (fileKind.get(path) === "source" || options.includeTests === true)
        streams.push({
          file: path,
          ids: fromBase64(result.ids),
          lines: fromBase64(result.tokenLines),
        });
    }
    clones = findClones(streams, options.clones ?? {});
  }

  const findings: AnalyzerFinding[] = [];
  const testFindings: AnalyzerFinding[] = [];
  for (const [path, result] of results) {
    const inTests = fileKind.get(path) !== "source";
    if (inTests && options.includeTests !== true) continue;
    const covered = testImports.has(basename(path).replace(/\.[mc]?[jt]sx?$/, ""));
    for (const raw of result.raw) {
      if (raw.confidence < minConfidence) continue;
      const replacement = REPLACEMENTS[raw.kind];
      if (replacement === undefined) continue;
      const lines = raw.endLine - raw.startLine + 1;
      // What a migration deletes: the code lines of the construct's own nodes (see Detection.nodes).
      const eliminableLines = raw.ownLines ?? lines;
      const leaf = raw.name?.split(".").pop()?.replace(/^#/, "");
      const callSites = leaf === undefined ? 0 : Math.max(0, (identifierTotals.get(leaf) ?? 1) - 1);
      const cloneIds = clones
        .filter((c) =>
          c.instances.some(
            (i) => i.file === path && i.startLine <= raw.endLine && raw.startLine <= i.endLine,
          ),
        )
        .map((c) => c.id);
      const finding: AnalyzerFinding = {
        ruleId: raw.ruleId,
        file: path,
        startLine: raw.startLine,
        endLine: raw.endLine,
        message: `Hand-rolled ${raw.kind.replace(/-/g, " ")}${raw.name === undefined ? "" : ` (\`${raw.name}\`)`}: ${eliminableLines} line${eliminableLines === 1 ? "" : "s"} go → ${replacement.package} \`${replacement.api}\` (${replacement.lines} line${replacement.lines === 1 ? "" : "s"}).`,
        severity: raw.confidence >= 0.85 ? "warning" : "note",
        fingerprint: fingerprint(raw.ruleId, path, raw.code),
        category: raw.category,
        kind: raw.kind,
        confidence: raw.confidence,
        lines,
        eliminableLines,
        evidence: raw.evidence,
        ...(raw.name === undefined ? {} : { name: raw.name }),
        replacement,
        risk: { level: riskOf(callSites, covered, lines), callSites, coveredByTests: covered },
        inTests,
        cloneIds,
      };
      (inTests ? testFindings : findings).push(finding);
    }
  }
  if (options.deep === true) await addReferenceCounts(root, findings);

  const reportedClones: ReportedClone[] = clones.map((c) => ({
    ...c,
    eliminableLines: (c.instances.length - 1) * c.lines,
    findings: findings.filter((f) => f.cloneIds.includes(c.id)).map((f) => f.fingerprint),
  }));
  const byCategory = Object.fromEntries(
    CATEGORIES.map((c) => [c, { findings: 0, lines: 0, eliminableLines: 0 }]),
  ) as Record<Category, { findings: number; lines: number; eliminableLines: number }>;
  for (const f of findings) {
    const totals = byCategory[f.category];
    totals.findings++;
    totals.lines += f.lines;
    totals.eliminableLines += f.eliminableLines;
  }
  const sourceFiles = walked.files.filter((f) => f.kind === "source");
  const sorted = sortFindings(findings);
  const cloneEliminableLines = reportedClones.reduce((sum, c) => sum + c.eliminableLines, 0);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "perflayer-analyze", version: ANALYZER_VERSION },
    root,
    summary: {
      files: sourceFiles.length,
      testFiles: walked.files.length - sourceFiles.length,
      linesScanned: sourceFiles.reduce(
        (sum, f) => sum + (results.get(f.relativePath)?.lines ?? 0),
        0,
      ),
      findings: sorted.length,
      eliminableLines: sorted.reduce((sum, f) => sum + f.eliminableLines, 0),
      byCategory,
      cloneClasses: reportedClones.length,
      cloneEliminableLines,
      testFindings: testFindings.length,
      detectors: DETECTOR_CATALOG.filter((d) => detectorIds.includes(d.id)).map((d) => ({
        id: d.id,
        kinds: d.kinds,
      })),
    },
    findings: sorted,
    testFindings: sortFindings(testFindings),
    clones: reportedClones,
    roadmap: buildRoadmap(sorted),
    skipped: skipped.sort((a, b) => a.relativePath.localeCompare(b.relativePath)),
    timings: {
      ms: Math.round(performance.now() - started),
      parsedFiles: parsed,
      cachedFiles: cached,
    },
  };
}

/**
 * Orders the migration: one step per idiom, by eliminable lines over risk (most value for the
 * least risk first).
 * @param findings - source findings
 * @returns the steps
 */
export function buildRoadmap(findings: readonly AnalyzerFinding[]): RoadmapStep[] {
  const weight = { low: 1, medium: 2, high: 4 } as const;
  const groups = new Map<string, AnalyzerFinding[]>();
  for (const f of findings) {
    let list = groups.get(f.kind);
    if (list === undefined) groups.set(f.kind, (list = []));
    list.push(f);
  }
  const steps = [...groups].map(([kind, list]) => {
    const first = list[0] as AnalyzerFinding;
    const risk = list.some((f) => f.risk.level === "high")
      ? "high"
      : list.some((f) => f.risk.level === "medium")
        ? "medium"
        : "low";
    const eliminableLines = list.reduce((sum, f) => sum + f.eliminableLines, 0);
    return {
      kind,
      category: first.category,
      replacement: first.replacement,
      findings: list.length,
      eliminableLines,
      risk,
      score: Math.round((eliminableLines / weight[risk]) * 10) / 10,
      files: [...new Set(list.map((f) => f.file))].sort(),
    } as const;
  });
  steps.sort((a, b) => b.score - a.score || a.kind.localeCompare(b.kind));
  return steps.map((s, i) => ({ step: i + 1, ...s }));
}

let codeHash: string | undefined;

/** A hash of the analyzer's own modules (the folder this file was loaded from), computed once. */
function analyzerCodeHash(): string {
  if (codeHash !== undefined) return codeHash;
  const hash = createHash("sha1");
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        hash.update(entry.name).update(readFileSync(path));
      }
    }
  };
  visit(dirname(fileURLToPath(import.meta.url)));
  codeHash = hash.digest("hex").slice(0, 16);
  return codeHash;
}

function readCache(path: string | undefined, key: string): Map<string, FileResult> {
  if (path === undefined || !existsSync(path)) return new Map();
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as {
      key?: string;
      files?: Record<string, FileResult>;
    };
    if (data.key !== key || data.files === undefined) return new Map();
    return new Map(Object.entries(data.files));
  } catch {
    return new Map(); // a corrupt cache is rebuilt
  }
}

function writeCache(path: string | undefined, key: string, results: Map<string, FileResult>): void {
  if (path === undefined) return;
  try {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, JSON.stringify({ key, files: Object.fromEntries(results) }));
  } catch {
    // A read-only tree still gets its report; only the cache is lost.
  }
}

async function addReferenceCounts(root: string, findings: AnalyzerFinding[]): Promise<void> {
  const { Project, ts } = await import("ts-morph");
  const project = new Project({
    compilerOptions: { allowJs: true, checkJs: false },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  for (const f of new Set(findings.map((x) => x.file)))
    project.addSourceFileAtPathIfExists(join(root, f));
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as AnalyzerFinding;
    const leaf = f.name?.split(".").pop();
    const source = project.getSourceFile(join(root, f.file));
    if (leaf === undefined || source === undefined) continue;
    const declaration = source
      .getDescendantsOfKind(ts.SyntaxKind.Identifier)
      .find(
        (id) =>
          id.getText() === leaf &&
          id.getStartLineNumber() >= f.startLine &&
          id.getStartLineNumber() <= f.endLine,
      );
    if (declaration === undefined) continue;
    const references = declaration.findReferencesAsNodes().length;
    findings[i] = { ...f, risk: { ...f.risk, references } };
  }
}
