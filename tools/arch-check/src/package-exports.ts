/** A key of an `exports`/`imports` map matched against a subpath. */
interface KeyMatch {
  /** The map's value for the key. */
  readonly target: unknown;
  /** What `*` stands for (undefined for an exact key). */
  readonly star: string | undefined;
}

/** `exports` in its expanded form: subpath → target (sugar like `"exports": "./x.js"` unfolded). */
function expand(map: unknown): Record<string, unknown> | undefined {
  if (typeof map === "string" || Array.isArray(map)) return { ".": map };
  if (typeof map !== "object" || map === null) return undefined;
  const keys = Object.keys(map);
  // Conditions at the top level (`{ "import": …, "require": … }`) describe ".".
  if (keys.length > 0 && !keys.some((k) => k.startsWith(".") || k.startsWith("#")))
    return { ".": map };
  return map as Record<string, unknown>;
}

/**
 * Node's PATTERN_KEY_COMPARE: an exact key first, then the pattern with the longest prefix before
 * `*`, then the longer key.
 */
function matchKey(map: Record<string, unknown>, subpath: string): KeyMatch | undefined {
  if (Object.hasOwn(map, subpath) && !subpath.includes("*"))
    return { target: map[subpath], star: undefined };
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(map)) {
    const at = key.indexOf("*");
    if (at === -1 || key.indexOf("*", at + 1) !== -1) continue;
    const prefix = key.slice(0, at);
    const suffix = key.slice(at + 1);
    if (
      subpath.length >= key.length &&
      subpath.startsWith(prefix) &&
      subpath.endsWith(suffix) &&
      (best === undefined ||
        prefix.length > best.key.indexOf("*") ||
        (prefix.length === best.key.indexOf("*") && key.length > best.key.length))
    )
      best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
  }
  return best === undefined ? undefined : { target: map[best.key], star: best.star };
}

/** Targets in priority order: conditions in the map's key order, arrays as fallbacks. */
function targets(
  target: unknown,
  star: string | undefined,
  conditions: ReadonlySet<string>,
  out: string[],
): void {
  if (typeof target === "string") {
    out.push(star === undefined ? target : target.replaceAll("*", star));
  } else if (Array.isArray(target)) {
    for (const t of target) targets(t, star, conditions, out);
  } else if (typeof target === "object" && target !== null) {
    for (const [condition, value] of Object.entries(target))
      if (condition === "default" || conditions.has(condition))
        targets(value, star, conditions, out);
  }
}

/**
 * The targets a package's `exports` (or `imports`) map gives a subpath under a set of
 * conditions, in the order they are tried (a later one is used when an earlier file is missing).
 * @param map - the `exports` or `imports` field
 * @param subpath - `.`, `./plugin/x`, or `#x`
 * @param conditions - active conditions (`types`, `import`/`require`, `node`, custom ones)
 * @returns targets as written (with `*` filled in), `[]` when the key is matched but blocked (null)
 *   or no condition applies, undefined when no key matches
 */
export function mapTargets(
  map: unknown,
  subpath: string,
  conditions: ReadonlySet<string>,
): string[] | undefined {
  const expanded = expand(map);
  if (expanded === undefined) return undefined;
  const match = matchKey(expanded, subpath);
  if (match === undefined) return undefined;
  const out: string[] = [];
  targets(match.target, match.star, conditions, out);
  return out;
}

/**
 * Whether a subpath is public: some key of the `exports` map matches it (exactly or through a `*`
 * pattern) and does not block it with `null`.
 * @param map - the `exports` field
 * @param subpath - `.` or `./x`
 * @returns true when another package may import it
 */
export function isExported(map: unknown, subpath: string): boolean {
  const expanded = expand(map);
  if (expanded === undefined) return true;
  const match = matchKey(expanded, subpath);
  return match !== undefined && match.target !== null;
}

/**
 * The keys of an `exports` map, for messages.
 * @param map - the `exports` field
 * @returns its subpaths (`.`, `./plugin/*`, …)
 */
export function exportedKeys(map: unknown): string[] {
  return Object.keys(expand(map) ?? {});
}
