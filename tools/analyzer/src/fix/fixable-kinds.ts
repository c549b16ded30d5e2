/**
 * The finding kinds `fix` rewrites, kept apart from the rewriters (which load the TypeScript
 * parser) so that a warm `analyze()` can tell them without loading it; `plan-findings.ts` maps
 * each one to its rewriter (the compiler checks that the two lists agree).
 */
const KINDS = [
  "timeout-race",
  "retry-poll",
  "retry-backoff",
  "timer-delta",
  "memoize",
  "cache-aside",
  "ttl-cache",
] as const;

/** A finding kind `fix` rewrites. */
export type FixableKind = (typeof KINDS)[number];

/** The finding kinds `fix` can rewrite. */
export const FIXABLE_KINDS: readonly string[] = KINDS;
