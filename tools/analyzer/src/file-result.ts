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
}

/** Everything the analyzer keeps of one file (cached by content hash). */
export interface FileResult {
  readonly hash: string;
  readonly lines: number;
  readonly raw: RawFinding[];
  readonly ids: string;
  readonly tokenLines: string;
  readonly identifiers: [string, number][];
  readonly imports: string[];
  readonly syntaxErrors: number;
}
