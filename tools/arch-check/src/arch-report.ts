import type { FileKind, Finding } from "@perflayer/toolkit";
import type { Cycle } from "./graph.js";
import type { ImportRef } from "./imports.js";

/** An actual dependency between two elements. */
export interface ElementEdge {
  /** The importing element. */
  readonly from: string;
  /** The imported element. */
  readonly to: string;
  /** How many imports make it. */
  readonly imports: number;
  /** Whether the config allows it (for src files). */
  readonly declared: boolean;
}

/** One import of one file, resolved (for `explain`). */
export interface ResolvedImport extends ImportRef {
  /** What the specifier is. */
  readonly target: "builtin" | "relative" | "workspace" | "external" | "unresolved";
  /** The file (relative to the root), package, or — when unresolved — the specifier it reaches. */
  readonly resolved: string;
  /** The element it reaches, for workspace and in-package targets. */
  readonly element?: string;
  /** Rule ids it broke. */
  readonly violations: readonly string[];
}

/** A checked file. */
export interface CheckedFile {
  /** Path relative to the root. */
  readonly file: string;
  /** Its element, if any. */
  readonly element: string | undefined;
  /** Its package, if any. */
  readonly package: string | undefined;
  /** source, test or fixture. */
  readonly kind: FileKind;
  /** Its imports, resolved. */
  readonly imports: readonly ResolvedImport[];
}

/** An element of the report. */
export interface ElementSummary {
  /** Its name. */
  readonly name: string;
  /** Its workspace packages. */
  readonly packages: readonly string[];
  /** Its path globs (for path elements). */
  readonly paths: readonly string[];
  /** Files checked in it. */
  readonly files: number;
}

/** A file left out of the check, and why. */
export interface SkippedFile {
  /** Path relative to the root. */
  readonly file: string;
  /** e.g. `too large (3.1 MB > 1.0 MB)`, `symlink loop`, `binary`, `syntax error: …`. */
  readonly reason: string;
}

/** An import that resolved to nothing. */
export interface UnresolvedImport {
  /** The importing file, relative to the root. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** The specifier as written. */
  readonly specifier: string;
  /** Why it did not resolve. */
  readonly reason: string;
}

/** A finding that a suppression comment or a config exception accepted. */
export interface SuppressedFinding {
  /** The finding. */
  readonly finding: Finding;
  /** `comment` (`// arch-check-ignore-next-line`) or `config` (`exceptions` in the config). */
  readonly by: "comment" | "config";
  /** The reason given. */
  readonly reason: string;
}

/** A dynamic import of a module the config declares optional. */
export interface OptionalImport {
  /** The importing file, relative to the root. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** The module. */
  readonly module: string;
  /** The config's reason. */
  readonly reason: string;
}

/** Counts and time of a check. */
export interface CheckStats {
  /** Files checked. */
  readonly files: number;
  /** Imports seen. */
  readonly imports: number;
  /** Imports that resolved to nothing. */
  readonly unresolved: number;
  /** Files left out (see {@link ArchReport.skipped}). */
  readonly skipped: number;
  /** Files whose imports came from the cache. */
  readonly cachedFiles: number;
  /** Wall time in milliseconds. */
  readonly ms: number;
}

/** What `checkArchitecture()` returns. */
export interface ArchReport {
  /** Report format version. */
  readonly schemaVersion: 2;
  /** The workspace root. */
  readonly root: string;
  /** The folders or files checked, relative to the root (`["."]` for all). */
  readonly scope: readonly string[];
  /** Elements with their packages and file counts. */
  readonly elements: readonly ElementSummary[];
  /** Actual element dependencies. */
  readonly edges: readonly ElementEdge[];
  /** Violations, sorted. */
  readonly findings: readonly Finding[];
  /** Findings accepted by a suppression comment or a config exception, with the reason. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Runtime cycles (strongly connected components of the runtime import graph). */
  readonly cycles: readonly Cycle[];
  /** Tangles that exist only when type-only imports count (components of the whole graph). */
  readonly typeOnlyCycles: readonly Cycle[];
  /** Imports that resolved to nothing. */
  readonly unresolved: readonly UnresolvedImport[];
  /** Dynamic imports of modules declared optional. */
  readonly optionalImports: readonly OptionalImport[];
  /** Files left out, with the reason. */
  readonly skipped: readonly SkippedFile[];
  /** Every file checked. */
  readonly files: readonly CheckedFile[];
  /** Counts and time. */
  readonly stats: CheckStats;
}
