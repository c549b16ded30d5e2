import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Compiled `compilerOptions.paths` of one tsconfig. */
export interface PathAliases {
  /** The folder `paths` targets are relative to (`baseUrl`, or the tsconfig's folder). */
  readonly base: string;
  /** Alias patterns (`@app/*`) and their targets (`src/*`), most specific first. */
  readonly entries: readonly {
    readonly prefix: string;
    readonly suffix: string;
    readonly wildcard: boolean;
    readonly targets: readonly string[];
  }[];
}

function readTsconfig(
  path: string,
  depth = 0,
): { paths?: Record<string, string[]>; baseUrl?: string; dir: string } | undefined {
  if (!existsSync(path) || depth > 5) return undefined;
  let data: {
    extends?: string | string[];
    compilerOptions?: { paths?: Record<string, string[]>; baseUrl?: string };
  };
  try {
    // tsconfig allows comments and trailing commas.
    data = JSON.parse(
      readFileSync(path, "utf8")
        .replace(/\/\*[\s\S]*?\*\/|(^|[^:"])\/\/.*$/gm, "$1")
        .replace(/,(\s*[}\]])/g, "$1"),
    ) as typeof data;
  } catch {
    return undefined;
  }
  const dir = dirname(path);
  const parents = typeof data.extends === "string" ? [data.extends] : (data.extends ?? []);
  let inherited: { paths?: Record<string, string[]>; baseUrl?: string; dir: string } | undefined;
  for (const parent of parents) {
    if (!parent.startsWith(".")) continue; // package-provided bases carry no workspace paths
    inherited =
      readTsconfig(resolve(dir, parent.endsWith(".json") ? parent : `${parent}.json`), depth + 1) ??
      inherited;
  }
  const own = data.compilerOptions ?? {};
  return {
    ...(own.paths !== undefined
      ? { paths: own.paths }
      : inherited?.paths !== undefined
        ? { paths: inherited.paths }
        : {}),
    ...(own.baseUrl !== undefined
      ? { baseUrl: resolve(dir, own.baseUrl) }
      : inherited?.baseUrl !== undefined
        ? { baseUrl: inherited.baseUrl }
        : {}),
    dir: own.paths !== undefined || inherited === undefined ? dir : inherited.dir,
  };
}

/**
 * Loads the path aliases that apply to a folder's code (its `tsconfig.json`, following relative
 * `extends`).
 * @param dir - a package folder (or the workspace root)
 * @returns the aliases, or undefined when there are none
 */
export function loadPathAliases(dir: string): PathAliases | undefined {
  const config = readTsconfig(join(dir, "tsconfig.json"));
  if (config?.paths === undefined) return undefined;
  const entries = Object.entries(config.paths).map(([pattern, targets]) => {
    const star = pattern.indexOf("*");
    return {
      prefix: star === -1 ? pattern : pattern.slice(0, star),
      suffix: star === -1 ? "" : pattern.slice(star + 1),
      wildcard: star !== -1,
      targets,
    };
  });
  entries.sort((a, b) => b.prefix.length - a.prefix.length);
  return { base: config.baseUrl ?? config.dir, entries };
}

/**
 * Maps a specifier through path aliases to candidate absolute paths (without extension probing).
 * @param aliases - the aliases
 * @param specifier - e.g. `@app/users/service`
 * @returns candidate paths, or undefined when no alias matches
 */
export function mapAlias(aliases: PathAliases, specifier: string): string[] | undefined {
  for (const entry of aliases.entries) {
    if (entry.wildcard) {
      if (
        !specifier.startsWith(entry.prefix) ||
        !specifier.endsWith(entry.suffix) ||
        specifier.length < entry.prefix.length + entry.suffix.length
      )
        continue;
      const middle = specifier.slice(entry.prefix.length, specifier.length - entry.suffix.length);
      return entry.targets.map((t) => resolve(aliases.base, t.replace("*", middle)));
    }
    if (specifier === entry.prefix) return entry.targets.map((t) => resolve(aliases.base, t));
  }
  return undefined;
}
