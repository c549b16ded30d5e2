const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

/** Spreads the bits of a 32-bit integer (the murmur3 finaliser), so nearby keys land far apart. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** FNV-1a over the UTF-16 code units, then mixed. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}

/**
 * A non-negative 30-bit hash of a cache key for the frequency sketch (30 bits keep it a small
 * integer in V8, stored unboxed in the policy node). Strings and numbers hash by content, objects
 * and functions by identity (as `Map` compares them), everything else by its string form. A
 * collision only blurs two keys' frequency estimates; it never decides which value a key maps to.
 * @internal
 * @param key - any cache key
 * @returns the hash, in [0, 2³⁰)
 */
export function hashKey(key: unknown): number {
  let h: number;
  if (typeof key === "string") {
    h = hashString(key);
  } else if (typeof key === "number") {
    h = key === (key | 0) ? mix(key) : hashString(String(key));
  } else if ((typeof key === "object" || typeof key === "function") && key !== null) {
    let id = objectIds.get(key);
    if (id === undefined) objectIds.set(key, (id = nextObjectId++));
    h = mix(id);
  } else {
    h = hashString(String(key));
  }
  return h & 0x3fffffff;
}
