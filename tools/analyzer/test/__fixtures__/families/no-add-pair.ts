// `add(a, b)` that stores nothing read back under the same key: a sum and a list of pairs.
// expect: none
interface Pairs {
  has(name: string): boolean;
  add(name: string, value: number): void;
}

export function tally(pairs: Pairs, name: string, values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  if (pairs.has("total")) pairs.add(name, total);
  return total;
}
