import { createHash } from "node:crypto";

/** How much a finding matters. */
export type Severity = "error" | "warning" | "note";

/** Where a finding is: a file and an inclusive 1-based line range. */
export interface Location {
  /** Path relative to the scanned root, with `/` separators. */
  readonly file: string;
  /** First line (1-based). */
  readonly startLine: number;
  /** Last line (inclusive). */
  readonly endLine: number;
}

/**
 * The one report vocabulary of perflayer's tools: a rule, a location, a message, a severity and a
 * stable fingerprint (it survives unrelated edits that move the code).
 */
export interface Finding extends Location {
  /** Rule id, e.g. `caching/ttl-map-cache` or `arch/forbidden-import`. */
  readonly ruleId: string;
  /** One sentence a person can act on. */
  readonly message: string;
  /** How much it matters. */
  readonly severity: Severity;
  /** Stable identity for baselines and code scanning (`partialFingerprints`). */
  readonly fingerprint: string;
}

/** What a SARIF writer needs to know about a rule. */
export interface RuleDescriptor {
  /** The rule id. */
  readonly id: string;
  /** A short description. */
  readonly description: string;
  /** A link to documentation. */
  readonly helpUri?: string;
}

/**
 * A fingerprint from the rule, the file and the normalised text of the code (whitespace folded),
 * so it does not change when lines above move.
 * @param ruleId - the rule
 * @param file - the relative path
 * @param code - the code the finding is about
 * @returns 16 hex characters
 */
export function fingerprint(ruleId: string, file: string, code: string): string {
  return createHash("sha256")
    .update(`${ruleId}\u0000${file}\u0000${code.replace(/\s+/g, " ").trim()}`)
    .digest("hex")
    .slice(0, 16);
}

/**
 * Sorts findings deterministically: file, line, rule.
 * @param findings - any order
 * @returns a new sorted array
 */
export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.startLine - b.startLine || a.ruleId.localeCompare(b.ruleId),
  );
}
