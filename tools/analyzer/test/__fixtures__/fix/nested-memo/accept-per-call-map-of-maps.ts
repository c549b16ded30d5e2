interface Group {
  readonly key: string;
}

export class KeyPlugin {
  apply(groups: readonly Group[]): string[] {
    const prefix = "chunks:";
    const keyCache = new Map<Group, Map<string, string>>();
    const keyOf = (group: Group, chunks: string): string => {
      let byChunks = keyCache.get(group);
      if (byChunks === undefined) {
        byChunks = new Map();
        keyCache.set(group, byChunks);
      }
      let key = byChunks.get(chunks);
      if (key === undefined) {
        key = `${group.key} ${prefix}${chunks}`;
        byChunks.set(chunks, key);
      }
      return key;
    };
    return groups.map((g) => keyOf(g, "a"));
  }
}
