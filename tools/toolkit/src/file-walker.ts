import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ignore from "ignore";
import picomatch from "picomatch";
import { PerflayerConfigError } from "@perflayer/core";

/** What a walked file is. */
export type FileKind = "source" | "test" | "fixture";

/** One file found. */
export interface WalkedFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the root, `/` separators. */
  readonly relativePath: string;
  /** `test` and `fixture` files are reported separately by the tools. */
  readonly kind: FileKind;
  /** Size in bytes. */
  readonly size: number;
}

/** A file or folder left out, and why. */
export interface SkippedFile {
  /** Path relative to the root. */
  readonly relativePath: string;
  /** e.g. `too large (3.1 MB > 1 MB)`, `symlink loop`, `unreadable: EACCES`. */
  readonly reason: string;
}

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Where to start (a folder or a single file). */
  readonly root: string;
  /** File name endings to take. @defaultValue `[".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]` */
  readonly extensions?: readonly string[];
  /** Globs (relative to root) to take; default all. */
  readonly include?: readonly string[];
  /** Globs (relative to root) to leave out. */
  readonly exclude?: readonly string[];
  /** Read `.gitignore` files on the way down. @defaultValue true */
  readonly respectGitignore?: boolean;
  /** Larger files are skipped. @defaultValue 1_048_576 */
  readonly maxFileBytes?: number;
}

/** What a walk found. */
export interface WalkResult {
  /** Files to process, sorted by relative path. */
  readonly files: readonly WalkedFile[];
  /** Files and folders left out with a reason (build output and `node_modules` are not listed). */
  readonly skipped: readonly SkippedFile[];
}

const ALWAYS_SKIPPED = new Set([
  "node_modules",
  ".git",
  "dist",
  "build",
  "out",
  "coverage",
  ".turbo",
  ".next",
  ".cache",
  ".bench-cache",
  ".perflayer-cache",
]);
const GENERATED = /(\.min\.js|\.d\.[mc]?ts|\.generated\.[jt]sx?|\.bundle\.js)$/;
const TEST = /(^|\/)(__tests__|tests?|spec|e2e)\/|\.(test|spec|bench|e2e)\.[mc]?[jt]sx?$/;
const FIXTURE = /(^|\/)(__fixtures__|fixtures?|__mocks__|mocks?|testdata|examples?)\//;

/**
 * Classifies a relative path.
 * @param relativePath - `/`-separated path
 * @returns `fixture`, `test` or `source`
 */
export function classifyFile(relativePath: string): FileKind {
  if (FIXTURE.test(relativePath)) return "fixture";
  if (TEST.test(relativePath)) return "test";
  return "source";
}

/**
 * Walks a tree the way perflayer's tools do: honours `.gitignore` files, never enters
 * `node_modules`, VCS or build output, skips generated and oversized files, survives symlink
 * loops and unreadable entries, and says why each skipped file was skipped.
 * @param options - root, extensions, globs, limits
 * @returns the files and the skipped ones
 */
export function walkFiles(options: WalkOptions): WalkResult {
  const root = options.root;
  if (!existsSync(root)) {
    throw new PerflayerConfigError(
      "ERR_INVALID_ARGUMENT",
      `Expected a path that exists, got \`${root}\`. Check the path (relative paths are resolved from the current directory).`,
    );
  }
  const extensions = options.extensions ?? [
    ".ts",
    ".tsx",
    ".mts",
    ".cts",
    ".js",
    ".jsx",
    ".mjs",
    ".cjs",
  ];
  const maxBytes = options.maxFileBytes ?? 1_048_576;
  const include =
    options.include !== undefined && options.include.length > 0
      ? picomatch([...options.include], { dot: true })
      : undefined;
  const exclude =
    options.exclude !== undefined && options.exclude.length > 0
      ? picomatch([...options.exclude], { dot: true })
      : undefined;
  const files: WalkedFile[] = [];
  const skipped: SkippedFile[] = [];
  const visited = new Set<string>();
  const rootStat = statSync(root); // a linked root is followed
  const base = rootStat.isDirectory() ? root : join(root, "..");

  const consider = (path: string, rel: string, size: number): void => {
    if (!extensions.some((ext) => rel.endsWith(ext))) return;
    if (include !== undefined && !include(rel)) return;
    if (exclude?.(rel) === true) return;
    if (GENERATED.test(rel)) {
      skipped.push({ relativePath: rel, reason: "generated file" });
      return;
    }
    if (size > maxBytes) {
      skipped.push({
        relativePath: rel,
        reason: `too large (${(size / 1_048_576).toFixed(1)} MB > ${(maxBytes / 1_048_576).toFixed(1)} MB)`,
      });
      return;
    }
    files.push({ path, relativePath: rel, kind: classifyFile(rel), size });
  };

  const walk = (dir: string, rules: ReturnType<typeof ignore>[]): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (error) {
      skipped.push({
        relativePath: toRel(base, dir),
        reason: `unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
      return;
    }
    if (visited.has(real)) {
      skipped.push({ relativePath: toRel(base, dir), reason: "symlink loop (already visited)" });
      return;
    }
    visited.add(real);
    let active = rules;
    if (options.respectGitignore !== false) {
      const gitignore = join(dir, ".gitignore");
      if (existsSync(gitignore)) {
        try {
          active = [...rules, ignore().add(readFileSync(gitignore, "utf8"))];
          gitignoreBases.set(active[active.length - 1] as ReturnType<typeof ignore>, dir);
        } catch {
          // An unreadable .gitignore is ignored, like git does.
        }
      }
    }
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (error) {
      skipped.push({
        relativePath: toRel(base, dir),
        reason: `unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      });
      return;
    }
    for (const name of entries) {
      if (ALWAYS_SKIPPED.has(name)) continue;
      const path = join(dir, name);
      const rel = toRel(base, path);
      let stat;
      try {
        stat = lstatSync(path);
      } catch (error) {
        skipped.push({
          relativePath: rel,
          reason: `unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        });
        continue;
      }
      let isDir = stat.isDirectory();
      let size = stat.size;
      if (stat.isSymbolicLink()) {
        try {
          const target = lstatSync(realpathSync(path));
          isDir = target.isDirectory();
          size = target.size;
        } catch {
          skipped.push({ relativePath: rel, reason: "broken symlink" });
          continue;
        }
      }
      if (ignoredBy(active, path, isDir)) continue;
      if (isDir) walk(path, active);
      else if (stat.isFile() || stat.isSymbolicLink()) consider(path, rel, size);
    }
  };

  const gitignoreBases = new Map<ReturnType<typeof ignore>, string>();
  const ignoredBy = (rules: ReturnType<typeof ignore>[], path: string, isDir: boolean): boolean => {
    for (const rule of rules) {
      const from = gitignoreBases.get(rule);
      if (from === undefined) continue;
      const rel = relative(from, path).split(sep).join("/");
      if (rel === "" || rel.startsWith("..")) continue;
      if (rule.ignores(isDir ? `${rel}/` : rel)) return true;
    }
    return false;
  };

  if (rootStat.isDirectory()) walk(root, []);
  else consider(root, toRel(base, root), rootStat.size);
  files.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
  return { files, skipped };
}

function toRel(base: string, path: string): string {
  const rel = relative(base, path).split(sep).join("/");
  return rel === "" ? "." : rel;
}
