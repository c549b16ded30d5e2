interface CacheGroup {
  readonly key: string;
}

const unnamedKeyCache = new WeakMap<CacheGroup, Map<string, string>>();

export function unnamedKey(group: CacheGroup, chunksKey: string): string {
  let byChunksKey = unnamedKeyCache.get(group);
  if (byChunksKey === undefined) {
    byChunksKey = new Map();
    unnamedKeyCache.set(group, byChunksKey);
  }
  let key = byChunksKey.get(chunksKey);
  if (key === undefined) {
    key = `${group.key} chunks:${chunksKey.toUpperCase()}`;
    byChunksKey.set(chunksKey, key);
  }
  return key;
}
