// A sync TTL memo: each entry stamped with the time it was stored, its age tested on reuse.
const parsed = new Map<string, { at: number; value: string[] }>();

export function parseList(text: string): string[] {
  const hit = parsed.get(text);
  if (hit !== undefined && Date.now() - hit.at < 30_000) return hit.value;
  const value = text.split(",").map((s) => s.trim());
  parsed.set(text, { at: Date.now(), value });
  return value;
}
