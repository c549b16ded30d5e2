// A memo keyed by a key computed first, after an early return: only the store changes.
export interface WatchOptions {
  timeout: number;
  poll: boolean;
  ignored?: string;
}
const canonical = new Map<string, WatchOptions>();

export function canonicalOptions(options: WatchOptions): WatchOptions {
  if (options.ignored === undefined) return options;
  const key = `${options.timeout}|${options.poll}|${options.ignored}`;
  const hit = canonical.get(key);
  if (hit !== undefined) return hit;
  const copy = { ...options };
  canonical.set(key, copy);
  return copy;
}
