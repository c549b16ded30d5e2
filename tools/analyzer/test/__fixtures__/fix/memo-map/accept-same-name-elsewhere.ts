// Another function keeps a map named `cache` too, and the memo calls `.map` on an array: the
// memo's map is told apart by its scope, not by its name.
const cache = new Map<string, string[]>();

export function segments(path: string): string[] {
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  const parts = path.split("/").map((p) => p.trim());
  cache.set(path, parts);
  return parts;
}

export function counts(words: readonly string[]): Map<string, number> {
  const cache = new Map<string, number>();
  for (const w of words) cache.set(w, (cache.get(w) ?? 0) + 1);
  return cache;
}
