// A record per options object built on the miss: an empty object filled in a loop, then stored.
// expect: caching/memoize 7-19 elim 6 "writes `indexes.set(options, byName)` on a miss"
interface Options {
  readonly entries: readonly { readonly name: string; readonly file: string }[];
}

const indexes = new WeakMap<Options, Record<string, string>>();

export function indexOf(options: Options): Record<string, string> {
  if (indexes.has(options)) {
    return indexes.get(options) as Record<string, string>;
  }
  const byName: Record<string, string> = {};
  for (const entry of options.entries) {
    byName[entry.name] = entry.file.toLowerCase();
  }
  indexes.set(options, byName);
  return byName;
}
