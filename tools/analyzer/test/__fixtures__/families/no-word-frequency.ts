// Counting words is not a metric: the name says what the map is for.
// expect: none
export function frequencies(words: string[]): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const word of words) seen[word] = (seen[word] ?? 0) + 1;
  return seen;
}
