import type { SkipReason } from "@perflayer/toolkit";
import type { Category } from "./detector.js";

/** A detection made serialisable (it is cached by content hash). */
export interface RawFinding {
  readonly ruleId: string;
  readonly category: Category;
  readonly kind: string;
  readonly confidence: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly evidence: readonly string[];
  readonly name?: string;
  readonly code: string;
  /** Code lines (not blank, not comment) of the construct's own nodes: what a migration deletes. */
  readonly ownLines?: number;
  /** Held until another file is found filling this store (see `Detection.needs`). */
  readonly needs?: string;
}

/** A detector that threw on a file: the file is still analysed by the others. */
export interface DetectorFailure {
  /** Detector id. */
  readonly detector: string;
  /** The error's name and message. */
  readonly message: string;
}

/** Everything the analyzer keeps of one file between runs (cached by content hash). */
export interface FileResult {
  /** SHA-1 of the content. */
  readonly hash: string;
  /** Lines of text. */
  readonly lines: number;
  /** Detections of every detector. */
  readonly raw: readonly RawFinding[];
  /** Base names of the modules it imports (tests covering a file are found by these). */
  readonly imports: readonly string[];
  /** Why its content cannot be analysed, when it cannot (it then has no tokens). */
  readonly skip?: SkipReason;
  /** Detectors that threw on it. */
  readonly failures?: readonly DetectorFailure[];
}
