import { existsSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { PerflayerConfigError, assertKnownKeys, assertNumber, invalid } from "@perflayer/core";
import { fingerprint, sortFindings, walkFiles } from "@perflayer/toolkit";
import type { SkippedFile, WalkedFile } from "@perflayer/toolkit";
import { AnalysisCache, analysisCacheKey } from "./analysis-cache.js";
import { ANALYZER_VERSION, REPORT_SCHEMA_VERSION } from "./analysis-report.js";
import type {
  AnalysisReport,
  AnalyzerFinding,
  ExemptedFinding,
  Exemption,
  ReportedClone,
  Risk,
} from "./analysis-report.js";
import { checkExemptions } from "./analyzer-config.js";
import type { CloneInstance, CloneOptions } from "./clones.js";
import { crossFile } from "./cross-file.js";
import { FACT_KIND, calledFact, storeInFileFact } from "./cross-file-facts.js";
import { DETECTOR_CATALOG } from "./detector-catalog.js";
import { exempts } from "./exemption.js";
import type { Category } from "./detector.js";
import { examineFiles } from "./file-pass.js";
import type { RawFinding } from "./file-result.js";
import { projectRootOf } from "./project-root.js";
import { REPLACEMENTS } from "./replacements.js";
import { CATEGORIES, buildRoadmap, totalsByCategory } from "./roadmap.js";
import { predictFromFix } from "./fix/fix-prediction.js";

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /**
   * The project root: every path in the report (and every glob) is relative to it, so findings,
   * fingerprints and baselines are the same whichever folder is scanned.
   * @defaultValue the nearest folder above the first path with `.git` or a workspace declaration
   * (else a `package.json`), see `findProjectRoot`; the root itself is scanned when `paths` is not
   * given
   */
  readonly root?: string;
  /**
   * Files and folders to scan (absolute, or relative to the working directory), inside the root.
   * @defaultValue `[root]`
   */
  readonly paths?: readonly string[];
  /** Globs relative to the root to take. @defaultValue everything */
  readonly include?: readonly string[];
  /** Globs relative to the root to leave out. @defaultValue nothing */
  readonly exclude?: readonly string[];
  /** Only these categories. @defaultValue all four */
  readonly categories?: readonly Category[];
  /** Drop findings below this confidence. @defaultValue 0.6 */
  readonly minConfidence?: number;
  /** Also report findings in test and fixture files (listed apart). @defaultValue false */
  readonly includeTests?: boolean;
  /**
   * Analyse generated, vendored and minified code too (left out by default, each file listed in
   * `skipped` with its reason; see docs/analyzer/skipped-files.md).
   * @defaultValue false
   */
  readonly includeGenerated?: boolean;
  /** Clone detection thresholds, or `false` to skip clones. @defaultValue `{ minTokens: 60, minLines: 6 }` */
  readonly clones?: CloneOptions | false;
  /**
   * The cache folder (per-file results and cross-file results of unchanged files are reused), or
   * `false` for none.
   * @defaultValue `<root>/node_modules/.cache/perflayer`
   */
  readonly cacheDir?: string | false;
  /**
   * Per category, globs of the code that owns the concern (the package implementing it): findings
   * of that category there are not reported at all.
   * @defaultValue none
   * @example `{ caching: ["packages/cache/**"] }`
   */
  readonly owners?: Readonly<Partial<Record<Category, readonly string[]>>>;
  /**
   * Findings that stay, each with its reason: the source findings an entry matches leave
   * `findings` (and the totals and roadmap) for `exempted`; entries matching nothing are listed in
   * `unusedExemptions`. An entry without a reason is an error (`ERR_EXEMPTION_REASON`).
   * @defaultValue none
   * @example `[{ file: "src/stats.ts", kind: "counter", reason: "the library's own statistics" }]`
   */
  readonly exemptions?: readonly Exemption[];
  /** Count references with the type checker for the risk estimate (slower). @defaultValue false */
  readonly deep?: boolean;
  /**
   * Threads that parse and examine the files the cache cannot answer for: `1` keeps the run on
   * the calling thread; more shard the files over worker threads (the calling one included), each
   * loading its own parser. The report is the same whatever the number.
   * @defaultValue one per core but one (`os.availableParallelism() - 1`, at most 4: V8's own
   * compiler and garbage collector keep a core busy) when there is about 1 MB of code to parse per
   * thread, else 1 — so 1 on a 2-core machine
   */
  readonly jobs?: number;
  /** Called as files are done, and once at the end. @defaultValue none */
  readonly onProgress?: (done: number, total: number, file: string) => void;
}

const KNOWN: readonly string[] = [
  "root",
  "paths",
  "include",
  "exclude",
  "categories",
  "minConfidence",
  "includeTests",
  "includeGenerated",
  "clones",
  "cacheDir",
  "owners",
  "exemptions",
  "deep",
  "jobs",
  "onProgress",
];

function riskOf(callSites: number, covered: boolean, lines: number): Risk["level"] {
  const score =
    (covered ? 0 : 2) + (callSites > 20 ? 2 : callSites > 5 ? 1 : 0) + (lines > 80 ? 1 : 0);
  return score >= 3 ? "high" : score >= 2 ? "medium" : "low";
}

function stringList(value: unknown, name: string, example: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw invalid({
      name,
      expected: "an array of strings",
      got: value,
      fix: `Pass e.g. { ${name}: ${example} }.`,
      context: "analyze()",
    });
  return value as string[];
}

/** Whether a category's findings in a file are the owner's own code (validated `owners`). */
function ownedBy(owners: AnalyzeOptions["owners"]): (category: Category, path: string) => boolean {
  if (owners === undefined) return () => false;
  if (typeof owners !== "object" || owners === null || Array.isArray(owners))
    throw invalid({
      name: "owners",
      expected: "an object of globs per category",
      got: owners,
      fix: 'Pass e.g. { owners: { caching: ["packages/cache/**"] } }.',
      context: "analyze()",
    });
  const matchers = new Map<string, (path: string) => boolean>();
  for (const [category, globs] of Object.entries(owners)) {
    if (!CATEGORIES.includes(category as Category))
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `analyze(): Expected \`owners\` keys from ${CATEGORIES.join(", ")}, got "${category}". Pass e.g. { owners: { caching: ["packages/cache/**"] } }.`,
      );
    const list = stringList(globs, `owners.${category}`, '["packages/cache/**"]') ?? [];
    matchers.set(category, picomatch([...list]));
  }
  return (category, path) => matchers.get(category)?.(path) === true;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** The scanned paths and the project root, validated. */
function locate(options: AnalyzeOptions): { root: string; paths: string[] } {
  if (options.root !== undefined && typeof options.root !== "string")
    throw invalid({
      name: "root",
      expected: "a path string",
      got: options.root,
      fix: 'Pass e.g. { root: "." }.',
      context: "analyze()",
    });
  const given = stringList(options.paths, "paths", '["src"]');
  const paths = (given ?? (options.root === undefined ? [] : [options.root])).map((p) =>
    resolve(p),
  );
  if (paths.length === 0)
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      'analyze(): Expected `paths` or `root`, got neither. Pass e.g. { paths: ["src"] } or { root: "." }.',
    );
  for (const path of paths)
    if (!existsSync(path))
      throw new PerflayerConfigError(
        "ERR_INVALID_ARGUMENT",
        `analyze(): No such file or folder: ${path}. Check the path (relative paths are resolved from the working directory).`,
      );
  const root = options.root === undefined ? projectRootOf(paths) : resolve(options.root);
  for (const path of paths) {
    const rel = relative(root, path);
    if (rel.startsWith(".."))
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `analyze(): Expected every path inside the root ${root}, got ${path}. Pass a root that contains it (or none, to detect it).`,
      );
  }
  return { root, paths };
}

/**
 * Scans a codebase for hand-rolled and duplicated performance code, maps each finding to the
 * perflayer API that replaces it, counts the lines that could go, and orders the work into a
 * roadmap. Read-only: parses with the TypeScript compiler's parser (through ts-morph) without a
 * type checker unless `deep`, and walks raw syntax nodes. Generated, vendored and minified files,
 * and files that cannot be analysed (binary, not UTF-8, nested too deep, syntax errors), are
 * listed in `skipped` with their reasons; the run goes on.
 *
 * @example
 * ```ts
 * const report = await analyze({ paths: ["src"] });
 * console.log(report.summary.eliminableLines, report.roadmap[0]?.replacement.api);
 * ```
 * @param options - paths, root, globs, categories, thresholds, cache
 * @returns the report data
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalysisReport> {
  const started = performance.now();
  assertKnownKeys(options, KNOWN, "analyze()");
  const { root, paths } = locate(options);
  const include = stringList(options.include, "include", '["src/**"]');
  const exclude = stringList(options.exclude, "exclude", '["docs/**"]');
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
  if (
    options.cacheDir !== undefined &&
    options.cacheDir !== false &&
    typeof options.cacheDir !== "string"
  )
    throw invalid({
      name: "cacheDir",
      expected: "a folder path or false",
      got: options.cacheDir,
      fix: 'Pass e.g. { cacheDir: ".cache/perflayer" }.',
      context: "analyze()",
    });
  if (options.jobs !== undefined && !(Number.isInteger(options.jobs) && options.jobs >= 1))
    throw invalid({
      name: "jobs",
      expected: "an integer >= 1",
      got: options.jobs,
      fix: "Pass e.g. { jobs: 2 }, or { jobs: 1 } to stay on one thread.",
      context: "analyze()",
    });
  const includeGenerated = options.includeGenerated === true;
  const includeTests = options.includeTests === true;
  const owned = ownedBy(options.owners);
  const exemptions = checkExemptions(options.exemptions);

  // Walk every path from the one root; a file reached twice (`. src`) counts once.
  const walkedByPath = new Map<string, WalkedFile>();
  const walkSkipped = new Map<string, SkippedFile>();
  for (const path of paths) {
    const walked = walkFiles({
      root: path,
      base: root,
      includeGenerated,
      ...(include === undefined ? {} : { include }),
      ...(exclude === undefined ? {} : { exclude }),
    });
    for (const file of walked.files) walkedByPath.set(file.relativePath, file);
    for (const skip of walked.skipped) walkSkipped.set(skip.relativePath, skip);
  }
  const walkedFiles = [...walkedByPath.values()].sort((a, b) =>
    a.relativePath < b.relativePath ? -1 : 1,
  );
  const cacheRoot =
    options.cacheDir === false
      ? undefined
      : resolve(options.cacheDir ?? join(root, "node_modules", ".cache", "perflayer"));
  const cacheKey = analysisCacheKey(includeGenerated);
  const cache = new AnalysisCache(
    cacheRoot === undefined ? undefined : join(cacheRoot, "analyzer"),
    cacheKey,
    Date.now(),
  );
  const pass = await examineFiles(walkedFiles, cache, {
    includeGenerated,
    onProgress: options.onProgress,
    jobs: options.jobs,
  });
  const files = walkedFiles.filter((f) => pass.results.has(f.relativePath));

  const kept = (raw: RawFinding): boolean =>
    categories.includes(raw.category) &&
    raw.confidence >= minConfidence &&
    REPLACEMENTS[raw.kind] !== undefined;
  const leafOf = (raw: RawFinding): string | undefined =>
    raw.name?.split(".").pop()?.replace(/^#/, "");
  // Every construct's name, whatever the filters: the cross-file result then serves any of them.
  const names: string[] = [];
  for (const result of pass.results.values())
    for (const raw of result.raw) {
      const leaf = leafOf(raw);
      if (leaf !== undefined) names.push(leaf);
    }
  const {
    clones,
    mentions,
    sourceMentions,
    cached: cachedCrossFile,
  } = await crossFile(files, pass.results, cache, {
    clones: options.clones ?? {},
    includeTests,
    names,
    includeGenerated,
  });
  const scanned = paths.map((p) => toPosix(relative(root, p)));
  cache.save((path) => scanned.some((s) => s === "" || path === s || path.startsWith(`${s}/`)));

  const testImports = new Set<string>();
  for (const file of files)
    if (file.kind !== "source")
      for (const imported of pass.results.get(file.relativePath)?.imports ?? [])
        testImports.add(imported);
  const clonesByFile = new Map<string, { id: string; instance: CloneInstance }[]>();
  for (const clone of clones)
    for (const instance of clone.instances) {
      let list = clonesByFile.get(instance.file);
      if (list === undefined) clonesByFile.set(instance.file, (list = []));
      list.push({ id: clone.id, instance });
    }

  // Stores some file's caching finding fills on a miss, by last name: a held invalidation of a
  // store filled in another file stands when one does. With them, the facts files state for the
  // others (cross-file-facts.ts: a get-or-insert helper, a method filling a member store): a memo
  // handed to a helper, or filled through a method, stands when the fact it names is stated.
  const filled = new Set<string>();
  const fills = (path: string, raw: RawFinding): void => {
    if (raw.name === undefined) return;
    filled.add(raw.name);
    // A store's name (not a fact's) also stands for its own file's invalidations of that store.
    if (raw.kind !== FACT_KIND && /^[\w$#.]+$/.test(raw.name))
      filled.add(storeInFileFact(path, raw.name));
  };
  // A name some source file mentions besides its declaration: an exported reset held on it (one
  // its own file never uses) is called by the program, not only by tests.
  for (const [name, count] of Object.entries(sourceMentions ?? mentions))
    if (count > 1) filled.add(calledFact(name));
  const filling = (raw: RawFinding): boolean =>
    raw.category === "caching" && raw.kind !== "cache-invalidate";
  for (const [path, result] of pass.results)
    for (const raw of result.raw) if (filling(raw) && raw.needs === undefined) fills(path, raw);
  // A fill that stands on another file's fact (a read-through through an inherited method) names
  // its store too, for the invalidations held on it.
  for (const [path, result] of pass.results)
    for (const raw of result.raw)
      if (filling(raw) && raw.needs !== undefined && filled.has(raw.needs)) fills(path, raw);
  const findings: AnalyzerFinding[] = [];
  const testFindings: AnalyzerFinding[] = [];
  for (const file of files) {
    const path = file.relativePath;
    const inTests = file.kind !== "source";
    if (inTests && !includeTests) continue;
    const covered = testImports.has(basename(path).replace(/\.[mc]?[jt]sx?$/, ""));
    for (const raw of pass.results.get(path)?.raw ?? []) {
      if (raw.kind === FACT_KIND || !kept(raw) || owned(raw.category, path)) continue;
      if (raw.needs !== undefined && !filled.has(raw.needs)) continue;
      const replacement = REPLACEMENTS[raw.kind];
      if (replacement === undefined) continue;
      const lines = raw.endLine - raw.startLine + 1;
      // What a migration deletes: the code lines of the construct's own nodes (see Detection.nodes).
      const eliminableLines = raw.ownLines ?? lines;
      const leaf = leafOf(raw);
      const callSites = leaf === undefined ? 0 : Math.max(0, (mentions[leaf] ?? 1) - 1);
      const cloneIds = [
        ...new Set(
          (clonesByFile.get(path) ?? [])
            .filter(({ instance: i }) => i.startLine <= raw.endLine && raw.startLine <= i.endLine)
            .map((c) => c.id),
        ),
      ];
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
  if (options.deep === true) {
    // The type checker's counts load TypeScript: only a deep run imports them.
    const { addReferenceCounts } = await import("./reference-counts.js");
    await addReferenceCounts(root, findings);
  }

  const reportedClones: ReportedClone[] = clones.map((c) => ({
    ...c,
    eliminableLines: (c.instances.length - 1) * c.lines,
    findings: findings.filter((f) => f.cloneIds.includes(c.id)).map((f) => f.fingerprint),
  }));
  const sourceFiles = files.filter((f) => f.kind === "source");
  const exempted: ExemptedFinding[] = [];
  const used = new Set<Exemption>();
  const reported = sortFindings(findings).filter((finding) => {
    const exemption = exemptions.find((e) => exempts(e, finding));
    if (exemption === undefined) return true;
    used.add(exemption);
    exempted.push({ ...finding, exemption });
    return false;
  });
  // For the kinds `fix` rewrites, what its rewrite removes (`fixRemovesLines`, beside the eliminable
  // lines a migration deletes).
  const { findings: sorted, setupLines: fixSetupLines } = await predictFromFix(
    root,
    reported,
    cacheRoot === undefined ? undefined : { folder: join(cacheRoot, "fix"), key: cacheKey },
    pass.trees,
  );
  const unusedExemptions = exemptions.filter((e) => !used.has(e));
  const skipped = [...walkSkipped.values(), ...pass.skipped].sort((a, b) =>
    a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0,
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "perflayer-analyze", version: ANALYZER_VERSION },
    root,
    paths: scanned.map((p) => (p === "" ? "." : p)),
    summary: {
      files: sourceFiles.length,
      testFiles: files.length - sourceFiles.length,
      linesScanned: sourceFiles.reduce(
        (sum, f) => sum + (pass.results.get(f.relativePath)?.lines ?? 0),
        0,
      ),
      findings: sorted.length,
      eliminableLines: sorted.reduce((sum, f) => sum + f.eliminableLines, 0),
      fixSetupLines,
      // What `fix --write` removes: its setup is charged here, once.
      fixRemovesLines: sorted.reduce((sum, f) => sum + (f.fixRemovesLines ?? 0), 0) - fixSetupLines,
      byCategory: totalsByCategory(sorted),
      cloneClasses: reportedClones.length,
      cloneEliminableLines: reportedClones.reduce((sum, c) => sum + c.eliminableLines, 0),
      testFindings: testFindings.length,
      exempted: exempted.length,
      unusedExemptions: unusedExemptions.length,
      // Every detector runs (the cache serves any filter); these are the ones whose findings count.
      detectors: DETECTOR_CATALOG.filter((d) => categories.includes(d.category)).map((d) => ({
        id: d.id,
        kinds: d.kinds,
      })),
    },
    findings: sorted,
    testFindings: sortFindings(testFindings),
    exempted,
    unusedExemptions,
    clones: reportedClones,
    roadmap: buildRoadmap(sorted),
    skipped,
    detectorFailures: pass.failures,
    timings: {
      ms: Math.round(performance.now() - started),
      parsedFiles: pass.parsed,
      cachedFiles: pass.cached,
      cachedCrossFile,
      threads: pass.threads,
    },
  };
}
