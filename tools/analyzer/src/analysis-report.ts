import type { Finding, SkippedFile } from "@perflayer/toolkit";
import type { CloneClass } from "./clones.js";
import type { Category } from "./detector.js";
import type { Replacement } from "./replacements.js";

/** The version of the JSON report format (see docs/analyzer/report-schema.md). */
export const REPORT_SCHEMA_VERSION = 1;
/** The analyzer's version, recorded in reports. */
export const ANALYZER_VERSION = "0.1.0";

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
  /**
   * For a finding `perflayer-analyze fix` rewrites: the code lines its rewrite removes in place, net
   * of what it writes there, never below 0 (its imports and shared module are
   * {@link ReportSummary.fixSetupLines}). `fix` may keep more than a migration by hand would (a
   * memo's store swapped, its code kept), so this is apart from `eliminableLines`.
   */
  readonly fixRemovesLines?: number;
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

/**
 * A reasoned exemption (`exemptions` in `perflayer.analyzer.json`): the findings it matches leave
 * the failing set and are listed apart, each with the reason.
 */
export interface Exemption {
  /** Glob of the file(s), relative to the project root. */
  readonly file: string;
  /** Only findings of this kind (`counter`), rule id (`monitoring/counter`) or category. */
  readonly kind?: string;
  /** Only findings inside these lines: `"120-160"`, or one line `"120"`. */
  readonly lines?: string;
  /**
   * Only findings of this construct: the finding's `name` or its last part (`#hits` matches
   * `this.#hits`), or a name its evidence quotes (`` `#hits` ``).
   */
  readonly symbol?: string;
  /** Why the findings stay: shown beside them in every report. Required, never blank. */
  readonly reason: string;
}

/** A finding an exemption covers: out of the failing set, listed apart with the reason. */
export interface ExemptedFinding extends AnalyzerFinding {
  /** The exemption that covers it (the first that matches, in config order). */
  readonly exemption: Exemption;
}

/** Totals of one category. */
export interface CategoryTotals {
  /** Findings. */
  readonly findings: number;
  /** Lines of hand-rolled code. */
  readonly lines: number;
  /** Lines that could go: the findings' eliminable lines. */
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

/** A detector that threw on a file (the file was analysed by the other detectors). */
export interface DetectorFailureReport {
  /** Path relative to the root. */
  readonly file: string;
  /** Detector id. */
  readonly detector: string;
  /** The error's name and message. */
  readonly message: string;
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
  /**
   * Lines that could go by replacing them: the findings' eliminable lines (what a migration
   * deletes; the replacements add their own lines).
   */
  readonly eliminableLines: number;
  /**
   * Code lines `fix` writes once for the findings it rewrites — new imports, the shared monitor /
   * cache manager module's new lines, what a rewrite writes beyond what it removes — charged to no
   * finding (0 when it rewrites none).
   */
  readonly fixSetupLines: number;
  /**
   * What `perflayer-analyze fix --write` removes: its rewritten findings' `fixRemovesLines` less
   * {@link ReportSummary.fixSetupLines} (0 when it rewrites none).
   */
  readonly fixRemovesLines: number;
  /** Totals per category. */
  readonly byCategory: Readonly<Record<Category, CategoryTotals>>;
  /** Clone classes found. */
  readonly cloneClasses: number;
  /** Lines in the extra copies of clones. */
  readonly cloneEliminableLines: number;
  /** Findings in test and fixture files. */
  readonly testFindings: number;
  /** Findings covered by an exemption (not in `findings`, nor in the totals above). */
  readonly exempted: number;
  /** Exemptions that matched no finding (stale: the code changed, or the entry is wrong). */
  readonly unusedExemptions: number;
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
  /** Analysed files parsed in this run (skipped files are counted in `skipped`). */
  readonly parsedFiles: number;
  /** Analysed files whose results came from the cache. */
  readonly cachedFiles: number;
  /**
   * Whether the cross-file results (clones, name mentions) came from the cache: no analysed file
   * changed since a run with the same options.
   */
  readonly cachedCrossFile: boolean;
  /**
   * Threads that examined at least one file (`jobs`; 0 when the cache answered for every file, 1
   * when the calling thread examined them alone).
   */
  readonly threads: number;
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
  /** The project root (absolute): every path in the report is relative to it. */
  readonly root: string;
  /** The scanned files and folders, relative to the root (`.` for the root itself). */
  readonly paths: readonly string[];
  /** Totals. */
  readonly summary: ReportSummary;
  /** Findings in source files, sorted by file and line. */
  readonly findings: readonly AnalyzerFinding[];
  /** Findings in test and fixture files (with `includeTests`). */
  readonly testFindings: readonly AnalyzerFinding[];
  /** Source findings an exemption covers, each with its exemption and reason. */
  readonly exempted: readonly ExemptedFinding[];
  /** Exemptions that matched no finding. */
  readonly unusedExemptions: readonly Exemption[];
  /** Clone classes, largest first. */
  readonly clones: readonly ReportedClone[];
  /** The elimination roadmap, in order. */
  readonly roadmap: readonly RoadmapStep[];
  /** Files left out, each with a code and a reason. */
  readonly skipped: readonly SkippedFile[];
  /** Detectors that threw on a file; the run went on without them there. */
  readonly detectorFailures: readonly DetectorFailureReport[];
  /** How long it took. */
  readonly timings: ReportTimings;
}
