interface Dialect {
  readonly name: string;
}

const supportedCache = new WeakMap<Dialect, Map<string, Set<string>>>();

export function supportedOptions(
  dialect: Dialect,
  method: string,
  raw: readonly string[],
): Set<string> {
  let byMethod = supportedCache.get(dialect);
  if (!byMethod) {
    byMethod = new Map();
    supportedCache.set(dialect, byMethod);
  }
  const known = byMethod.get(method);
  if (known !== undefined) return known;
  const options = new Set(raw.filter((o) => o.startsWith(dialect.name)));
  byMethod.set(method, options);
  return options;
}
