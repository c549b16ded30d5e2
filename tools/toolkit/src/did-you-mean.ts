/**
 * Edit distance with adjacent swaps (optimal string alignment): "comapre" is one edit from
 * "compare".
 */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate `word` was most likely meant to be: the nearest by edit distance when it is close
 * enough (one edit for words up to four letters, a third of the length beyond), else the only
 * candidate that starts with `word` (at least three letters), else nothing.
 *
 * @example
 * ```ts
 * didYouMean("comapre", ["run", "check", "compare"]); // "compare"
 * didYouMean("expect", ["expect-faster", "threshold"]); // "expect-faster"
 * didYouMean("zzz", ["run"]); // undefined
 * ```
 * @param word - what was typed
 * @param candidates - what exists
 * @returns the likely candidate, or undefined when none is close
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  const limit = typed.length <= 4 ? 1 : Math.floor(typed.length / 3);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(typed, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= limit) return best;
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(typed));
  return typed.length >= 3 && prefixed.length === 1 ? prefixed[0] : undefined;
}
