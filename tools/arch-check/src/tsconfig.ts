import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parseJsonc } from "./jsonc.js";

/** How TypeScript resolves modules (`compilerOptions.moduleResolution`, lower-cased). */
export type ModuleResolutionKind = "node10" | "node16" | "nodenext" | "bundler";

/** `compilerOptions.paths`, compiled. */
export interface PathAlias {
  /** The pattern before `*` (the whole pattern when there is no `*`). */
  readonly prefix: string;
  /** The pattern after `*`. */
  readonly suffix: string;
  /** Whether the pattern has a `*`. */
  readonly wildcard: boolean;
  /** Absolute targets, `*` kept. */
  readonly targets: readonly string[];
}

/** The compiler settings that decide how a file's imports resolve and what they mean at runtime. */
export interface TsSettings {
  /** The tsconfig.json these come from; undefined when no tsconfig applies (TypeScript's defaults). */
  readonly configFile: string | undefined;
  /** The resolution algorithm. */
  readonly moduleResolution: ModuleResolutionKind;
  /** `customConditions` (bundler and node16/nodenext only). */
  readonly customConditions: readonly string[];
  /** Whether `exports` maps are honoured. */
  readonly resolvePackageJsonExports: boolean;
  /** Whether `imports` (`#x`) maps are honoured. */
  readonly resolvePackageJsonImports: boolean;
  /** Path aliases, most specific first. */
  readonly paths: readonly PathAlias[];
  /** `baseUrl`, absolute. */
  readonly baseUrl: string | undefined;
  /** Whether `.json` files resolve. */
  readonly resolveJsonModule: boolean;
  /** `verbatimModuleSyntax`: `import { type X } from "m"` stays as `import {} from "m"` at runtime. */
  readonly verbatimModuleSyntax: boolean;
}

/** A tsconfig that could not be used as written. */
export interface TsconfigProblem {
  /** The tsconfig file at fault (absolute). */
  readonly file: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** What {@link loadTsSettings} returns. */
export interface LoadedTsSettings {
  /** The settings, TypeScript's defaults where the files say nothing or could not be read. */
  readonly settings: TsSettings;
  /** What could not be used as written. */
  readonly problems: TsconfigProblem[];
}

interface RawOptions {
  moduleResolution?: unknown;
  module?: unknown;
  customConditions?: unknown;
  resolvePackageJsonExports?: unknown;
  resolvePackageJsonImports?: unknown;
  paths?: unknown;
  baseUrl?: unknown;
  verbatimModuleSyntax?: unknown;
  resolveJsonModule?: unknown;
}

/** Options merged along `extends`, each path option already absolute. */
interface Merged {
  options: RawOptions;
  pathsBase?: string;
}

const MODULE_RESOLUTIONS: Record<string, ModuleResolutionKind> = {
  node: "node10",
  node10: "node10",
  node16: "node16",
  nodenext: "nodenext",
  bundler: "bundler",
  classic: "node10",
};

/** Finds the file an `extends` entry names: a relative path, or a package's tsconfig. */
function findExtended(from: string, spec: string): string | undefined {
  if (spec.startsWith(".") || isAbsolute(spec)) {
    const path = resolve(dirname(from), spec);
    return [path, `${path}.json`].find((p) => existsSync(p) && p.endsWith(".json"));
  }
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const base = join(dir, "node_modules", spec);
    const candidates = [base, `${base}.json`, join(base, "tsconfig.json")];
    const manifest = join(base, "package.json");
    if (existsSync(manifest)) {
      try {
        const field = (JSON.parse(readFileSync(manifest, "utf8")) as { tsconfig?: unknown })
          .tsconfig;
        if (typeof field === "string") candidates.unshift(join(base, field));
      } catch {
        // a broken manifest: the plain candidates still apply
      }
    }
    const found = candidates.find((p) => p.endsWith(".json") && existsSync(p));
    if (found !== undefined) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Reads one tsconfig and what it extends, later files overriding earlier ones key by key (as tsc
 * does); `paths` stay relative to the file that declares them (or its `baseUrl`).
 */
function readChain(
  file: string,
  problems: TsconfigProblem[],
  seen: ReadonlySet<string> = new Set(),
): Merged {
  if (seen.has(file)) {
    problems.push({ file, message: `${file} extends itself (circular \`extends\`)` });
    return { options: {} };
  }
  let data: { extends?: unknown; compilerOptions?: RawOptions };
  try {
    data = parseJsonc(readFileSync(file, "utf8")) as typeof data;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push({
      file,
      message:
        code === undefined
          ? `not valid JSON: ${(error as Error).message}; fix it so its compilerOptions (paths, moduleResolution) apply`
          : `could not be read (${code}); its compilerOptions (paths, moduleResolution) were not applied`,
    });
    return { options: {} };
  }
  if (typeof data !== "object" || data === null) return { options: {} };
  const parents =
    typeof data.extends === "string"
      ? [data.extends]
      : Array.isArray(data.extends)
        ? data.extends.filter((e): e is string => typeof e === "string")
        : [];
  let merged: Merged = { options: {} };
  for (const parent of parents) {
    const path = findExtended(file, parent);
    if (path === undefined) {
      problems.push({
        file,
        message: `extends "${parent}", which was not found${parent.startsWith(".") ? "" : " in node_modules (install it)"}; the inherited compilerOptions were not applied`,
      });
      continue;
    }
    const inherited = readChain(path, problems, new Set([...seen, file]));
    merged = {
      options: { ...merged.options, ...inherited.options },
      ...((inherited.pathsBase ?? merged.pathsBase) === undefined
        ? {}
        : { pathsBase: inherited.pathsBase ?? merged.pathsBase }),
    };
  }
  const own = typeof data.compilerOptions === "object" ? (data.compilerOptions ?? {}) : {};
  const dir = dirname(file);
  const options: RawOptions = { ...merged.options, ...own };
  if (typeof own.baseUrl === "string") options.baseUrl = resolve(dir, own.baseUrl);
  return {
    options,
    ...(own.paths !== undefined
      ? { pathsBase: dir }
      : merged.pathsBase === undefined
        ? {}
        : { pathsBase: merged.pathsBase }),
  };
}

function compilePaths(paths: unknown, base: string, configDir: string): PathAlias[] {
  if (typeof paths !== "object" || paths === null) return [];
  const entries: PathAlias[] = [];
  for (const [pattern, targets] of Object.entries(paths)) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf("*");
    entries.push({
      prefix: star === -1 ? pattern : pattern.slice(0, star),
      suffix: star === -1 ? "" : pattern.slice(star + 1),
      wildcard: star !== -1,
      targets: targets
        .filter((t): t is string => typeof t === "string")
        .map((t) => resolve(base, t.replace("${configDir}", configDir))),
    });
  }
  // TypeScript picks the pattern with the longest prefix; exact patterns before wildcards.
  return entries.sort(
    (a, b) => Number(a.wildcard) - Number(b.wildcard) || b.prefix.length - a.prefix.length,
  );
}

/**
 * Loads the settings of one tsconfig.json, following `extends` (relative files and packages), with
 * TypeScript's defaults for what it leaves out. Problems (unreadable, invalid JSON, an `extends`
 * that is not there, circular `extends`) are returned, never thrown: the check goes on with what
 * could be read.
 * @param file - an absolute tsconfig path, or undefined for TypeScript's defaults
 * @returns the settings and any problems
 */
export function loadTsSettings(file: string | undefined): LoadedTsSettings {
  const problems: TsconfigProblem[] = [];
  const merged = file === undefined ? { options: {} } : readChain(file, problems);
  const o = merged.options;
  const lower = (v: unknown): string => (typeof v === "string" ? v.toLowerCase() : "");
  const moduleKind = lower(o.module);
  // TypeScript 6's defaults: node16/nodenext follow `module`, everything else is bundler.
  const moduleResolution =
    MODULE_RESOLUTIONS[lower(o.moduleResolution)] ??
    (moduleKind === "nodenext"
      ? "nodenext"
      : moduleKind.startsWith("node1")
        ? "node16"
        : "bundler");
  const modern = moduleResolution !== "node10";
  const configDir = file === undefined ? "" : dirname(file);
  const baseUrl = typeof o.baseUrl === "string" ? o.baseUrl : undefined;
  return {
    settings: {
      configFile: file,
      moduleResolution,
      customConditions:
        modern && Array.isArray(o.customConditions)
          ? o.customConditions.filter((c): c is string => typeof c === "string")
          : [],
      resolvePackageJsonExports:
        modern &&
        (typeof o.resolvePackageJsonExports === "boolean" ? o.resolvePackageJsonExports : true),
      resolvePackageJsonImports:
        modern &&
        (typeof o.resolvePackageJsonImports === "boolean" ? o.resolvePackageJsonImports : true),
      paths: compilePaths(o.paths, baseUrl ?? merged.pathsBase ?? configDir, configDir),
      baseUrl,
      resolveJsonModule:
        typeof o.resolveJsonModule === "boolean"
          ? o.resolveJsonModule
          : moduleKind === "nodenext" || moduleKind === "node20" || moduleResolution === "bundler",
      verbatimModuleSyntax: o.verbatimModuleSyntax === true,
    },
    problems,
  };
}
