// A memo that drops its oldest entry by hand (insertion order, read through `keys()`): the cache
// evicts by recency instead, and the code reads the map's order — not carried over.
const LIMIT = 100;
const lowered = new Map<string, string>();

export function lower(text: string): string {
  const hit = lowered.get(text);
  if (hit !== undefined) return hit;
  const value = text.toLowerCase();
  lowered.set(text, value);
  if (lowered.size > LIMIT) {
    const oldest = lowered.keys().next().value;
    if (oldest !== undefined) lowered.delete(oldest);
  }
  return value;
}
