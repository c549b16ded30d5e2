// The map is filled in the call that made it: a store for one call, not a memo across calls.
export function splitAll(keys: readonly string[]): (readonly string[])[] {
  const parts = new Map<string, readonly string[]>();
  const out: (readonly string[])[] = [];
  for (const key of keys) {
    let found = parts.get(key);
    if (found === undefined) {
      found = key.split(".");
      parts.set(key, found);
    }
    out.push(found);
  }
  return out;
}
