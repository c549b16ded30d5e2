interface Group {
  readonly key: string;
}

export function keysOf(groups: readonly Group[], rounds: readonly string[]): string[] {
  const keyCache = new WeakMap<Group, Map<string, string>>();
  const out: string[] = [];
  for (const round of rounds) {
    const keyOf = (group: Group, chunks: string): string => {
      let byChunks = keyCache.get(group);
      if (byChunks === undefined) {
        byChunks = new Map();
        keyCache.set(group, byChunks);
      }
      let key = byChunks.get(chunks);
      if (key === undefined) {
        key = `${group.key} ${round}:${chunks}`;
        byChunks.set(chunks, key);
      }
      return key;
    };
    out.push(...groups.map((g) => keyOf(g, "a")));
  }
  return out;
}
