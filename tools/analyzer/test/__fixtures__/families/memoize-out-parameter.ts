// A value per key kept in an LRU handed in by the owner and given to the caller through a member of
// its context object (no return): looked up, generated on a miss, stored, put on the context.
// expect: caching/memoize 18-23 elim 6 "computed on a miss"
interface Lru<V> {
  has(key: string): boolean;
  get(key: string): V | undefined;
  set(key: string, value: V): void;
}
interface LaunchContext {
  readonly sessionId?: string;
  fingerprint?: string;
}
declare function generateFingerprint(seed: string): string;

export function preLaunch(cache: Lru<string>, context: LaunchContext): void {
  const key = context.sessionId ?? "default";
  let fingerprint: string;
  if (cache.has(key)) {
    fingerprint = cache.get(key) ?? "";
  } else {
    fingerprint = generateFingerprint(key);
    cache.set(key, fingerprint);
  }
  context.fingerprint = fingerprint;
}
