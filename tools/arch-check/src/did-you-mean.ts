function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length] as number;
}

/**
 * The closest known name to a misspelt one, when it is close enough to be a likely typo.
 * @param wrong - what was written
 * @param known - the valid names
 * @returns `; did you mean "x"?`, or an empty string
 */
export function didYouMean(wrong: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = wrong.toLowerCase();
  for (const name of known) {
    const n = name.toLowerCase();
    // A prefix either way ("warning" for "warn") counts as one edit.
    const d = w !== "" && (w.startsWith(n) || n.startsWith(w)) ? 1 : distance(w, n);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(wrong.length / 3))
    ? `; did you mean "${best}"?`
    : "";
}
