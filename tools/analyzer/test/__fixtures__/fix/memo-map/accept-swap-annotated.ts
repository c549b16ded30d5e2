// The map is typed on its declaration (`const m: Map<K, V> = new Map()`): that annotation becomes
// the cache's type, so code that reads the store keeps its types.
const widths: Map<string, number> = new Map();

export function width(text: string): number {
  const key = text.trim();
  const hit = widths.get(key);
  if (hit !== undefined) return hit;
  const value = key.length * 7;
  widths.set(key, value);
  return value;
}
