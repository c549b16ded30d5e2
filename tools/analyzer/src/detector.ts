import type { ts } from "ts-morph";

/** The four concerns perflayer consolidates. */
export type Category = "caching" | "memory" | "response" | "monitoring";

/** What a detector reports, before accounting. */
export interface Detection {
  /** The idiom in the labelling convention's vocabulary, e.g. `ttl-cache`. */
  readonly kind: string;
  /** 0–1: how sure the detector is that this is the idiom. */
  readonly confidence: number;
  /**
   * The construct's own code: a migration deletes these nodes' code lines (blank and comment lines
   * aside), which are the finding's eliminable lines.
   */
  readonly nodes: readonly ts.Node[];
  /**
   * Code the construct reaches that stays after a migration (the log line that reports an elapsed
   * time, the call a timer guards): it widens the range, not the eliminable lines.
   */
  readonly context?: readonly ts.Node[];
  /** What made the detector decide, one short phrase each. */
  readonly evidence: readonly string[];
  /** The name of the construct (class, function or variable), when it has one. */
  readonly name?: string;
  /**
   * A store this construct needs another file to fill on a miss (its last name, `_statements`):
   * the finding is held back after the per-file pass and reported only when some file's caching
   * finding names a store of that name (an invalidation of a cache filled elsewhere).
   */
  readonly needs?: string;
}

/** What a detector sees of a file. */
export interface DetectorContext {
  /** The parsed file. */
  readonly sourceFile: ts.SourceFile;
  /** Path relative to the root. */
  readonly file: string;
}

/** One small idiom detector. */
export interface Detector {
  /** Detector id, e.g. `caching/keyed-store`. */
  readonly id: string;
  /** Its category. */
  readonly category: Category;
  /** The kinds it reports. */
  readonly kinds: readonly string[];
  /**
   * A cheap test on the file's text: when it fails, the file cannot hold the idiom and is not
   * walked (most files hold none of them, so this is where the analyzer's speed comes from).
   */
  readonly prefilter: RegExp;
  /**
   * Finds the idiom in one file.
   * @param context - the parsed file
   * @returns detections
   */
  detect(context: DetectorContext): Detection[];
}
