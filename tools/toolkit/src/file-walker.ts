import { readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import type { Dirent, Stats } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ignore from "ignore";
import type { Ignore } from "ignore";
import picomatch from "picomatch";
import { PerflayerConfigError } from "@perflayer/core";
import { docSiteGenerator } from "./doc-site.js";
import { generatedPathReason } from "./generated-path.js";
import { GitAttributes, linguistReason } from "./git-attributes.js";
import { describeTooLarge } from "./skipped-file.js";
import type { SkipReason, SkippedFile } from "./skipped-file.js";

/** What a walked file is. */
export type FileKind = "source" | "test" | "fixture";

/** One file found. */
export interface WalkedFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the walk's base, `/` separators. */
  readonly relativePath: string;
  /** `test` and `fixture` files are reported separately by the tools. */
  readonly kind: FileKind;
  /** Size in bytes. */
  readonly size: number;
  /** Last modification time (epoch milliseconds), for caches that skip unchanged files. */
  readonly mtimeMs: number;
}

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Where to start (a folder or a single file). */
  readonly root: string;
  /**
   * The folder paths are relative to (the project root); its `.gitignore` and `.gitattributes`
   * files and those on the way down to `root` apply too. Must contain `root`.
   * @defaultValue `root` (its folder when `root` is a file)
   */
  readonly base?: string;
  /** File name endings to take. @defaultValue `[".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]` */
  readonly extensions?: readonly string[];
  /** Globs (relative to the base) to take; default all. */
  readonly include?: readonly string[];
  /** Globs (relative to the base) to leave out. */
  readonly exclude?: readonly string[];
  /** Read `.gitignore` files on the way down. @defaultValue true */
  readonly respectGitignore?: boolean;
  /**
   * Take generated and vendored files too (generator names such as `.min.js` and `.d.ts`, vendor
   * folders, well-known library files, `.gitattributes` linguist marks, generated documentation
   * sites). Content checks are {@link inspectSource}'s.
   * @defaultValue false
   */
  readonly includeGenerated?: boolean;
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
const DEFAULT_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
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

/** The rules in force in one folder: ignore files, attribute files, an enclosing doc site. */
interface FolderRules {
  readonly ignores: readonly { readonly rules: Ignore; readonly from: string }[];
  readonly attributes: readonly GitAttributes[];
  readonly docSite: SkipReason | undefined;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

function toRel(base: string, path: string): string {
  const rel = relative(base, path).split(sep).join("/");
  return rel === "" ? "." : rel;
}

/**
 * Walks a tree the way perflayer's tools do: honours `.gitignore` files, never enters
 * `node_modules` (unless a `.gitignore` re-includes that folder with a negative rule, as projects
 * that keep their own packages there do), VCS or build output, leaves out generated, vendored and
 * oversized files, survives symlink loops and unreadable entries, and says why each skipped file
 * was skipped (a {@link SkipCode} and a sentence).
 * @param options - root, base, extensions, globs, limits
 * @returns the files and the skipped ones
 */
export function walkFiles(options: WalkOptions): WalkResult {
  const root = resolve(options.root);
  let rootStat;
  try {
    rootStat = statSync(root); // a linked root is followed
  } catch {
    throw new PerflayerConfigError(
      "ERR_INVALID_ARGUMENT",
      `Expected a path that exists, got \`${options.root}\`. Check the path (relative paths are resolved from the current directory).`,
    );
  }
  const rootFolder = rootStat.isDirectory() ? root : dirname(root);
  const base = options.base === undefined ? rootFolder : resolve(options.base);
  const fromBase = relative(base, root);
  if (fromBase.startsWith("..") || isAbsolute(fromBase)) {
    throw new PerflayerConfigError(
      "ERR_INVALID_ARGUMENT",
      `Expected \`base\` to contain the walked path, got base \`${base}\` for \`${root}\`. Pass the project root as base.`,
    );
  }
  const extensions = options.extensions ?? DEFAULT_EXTENSIONS;
  const maxBytes = options.maxFileBytes ?? 1_048_576;
  const keepGenerated = options.includeGenerated === true;
  const matcher = (
    globs: readonly string[] | undefined,
  ): ((path: string) => boolean) | undefined =>
    globs !== undefined && globs.length > 0 ? picomatch([...globs], { dot: true }) : undefined;
  const include = matcher(options.include);
  const exclude = matcher(options.exclude);
  const files: WalkedFile[] = [];
  const skipped: SkippedFile[] = [];
  const visited = new Set<string>();

  /** The rules a folder adds to its parent's: its own ignore and attribute files, a doc site. */
  const enter = (
    dir: string,
    rel: string,
    names: ReadonlySet<string>,
    parent: FolderRules,
  ): FolderRules => {
    let { ignores, attributes, docSite } = parent;
    if (options.respectGitignore !== false && names.has(".gitignore")) {
      try {
        ignores = [
          ...ignores,
          { rules: ignore().add(readFileSync(join(dir, ".gitignore"), "utf8")), from: rel },
        ];
      } catch {
        // An unreadable .gitignore is ignored, like git does.
      }
    }
    if (!keepGenerated && names.has(".gitattributes")) {
      try {
        const parsed = GitAttributes.parse(readFileSync(join(dir, ".gitattributes"), "utf8"), rel);
        if (parsed !== undefined) attributes = [...attributes, parsed];
      } catch {
        // Likewise for an unreadable .gitattributes.
      }
    }
    if (!keepGenerated && docSite === undefined) {
      const generator = docSiteGenerator(dir, rel, names);
      if (generator !== undefined)
        docSite = {
          code: "generated",
          reason: `generated documentation site (${generator === "website" ? "a website in a documentation folder" : generator}: ${rel === "" ? "." : rel}/)`,
        };
    }
    return { ignores, attributes, docSite };
  };

  /** Whether a `.gitignore` on the way down ignores the path (relative to the base). */
  const ignored = (rules: FolderRules, rel: string, isDir: boolean): boolean => {
    for (const { rules: set, from } of rules.ignores) {
      let sub = rel;
      if (from !== "") {
        if (!rel.startsWith(`${from}/`)) continue;
        sub = rel.slice(from.length + 1);
      }
      if (set.ignores(isDir ? `${sub}/` : sub)) return true;
    }
    return false;
  };

  /**
   * Whether a `.gitignore` on the way down names this `node_modules` folder in a negative rule
   * (`!packages/node_modules`): the project keeps its own sources there (node-red does), so it is
   * walked like any folder; every other `node_modules` holds installed dependencies.
   */
  const declaredSource = (rules: FolderRules, rel: string): boolean => {
    for (const { rules: set, from } of rules.ignores) {
      if (from !== "" && !rel.startsWith(`${from}/`)) continue;
      if (set.test(`${from === "" ? rel : rel.slice(from.length + 1)}/`).unignored) return true;
    }
    return false;
  };

  const candidate = (name: string): boolean => extensions.some((ext) => name.endsWith(ext));

  const consider = (
    path: string,
    rel: string,
    size: number,
    mtimeMs: number,
    rules: FolderRules,
  ): void => {
    if (include !== undefined && !include(rel)) return;
    if (exclude?.(rel) === true) return;
    const generated = keepGenerated
      ? undefined
      : (rules.docSite ?? generatedPathReason(rel) ?? linguistReason(rules.attributes, rel));
    if (generated !== undefined) {
      skipped.push({ relativePath: rel, ...generated });
      return;
    }
    if (size > maxBytes) {
      skipped.push({
        relativePath: rel,
        code: "too-large",
        reason: describeTooLarge(size, maxBytes),
      });
      return;
    }
    files.push({ path, relativePath: rel, kind: classifyFile(rel), size, mtimeMs });
  };

  const unreadable = (rel: string, error: unknown): void => {
    skipped.push({
      relativePath: rel === "" ? "." : rel,
      code: "unreadable",
      reason: `unreadable: ${errorCode(error)}`,
    });
  };

  const listing = (dir: string, rel: string): Dirent[] | undefined => {
    try {
      return readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    } catch (error) {
      unreadable(rel, error);
      return undefined;
    }
  };

  // Iterative, so a deep tree cannot overflow the stack. Only folders and files with a wanted
  // ending are stat'ed (a warm run of a tool is mostly this walk).
  const walk = (start: string, startRel: string, startRules: FolderRules): void => {
    const stack: [string, string, FolderRules][] = [[start, startRel, startRules]];
    while (stack.length > 0) {
      const [dir, dirRel, parentRules] = stack.pop() as [string, string, FolderRules];
      let real: string;
      try {
        real = realpathSync.native(dir);
      } catch (error) {
        unreadable(dirRel, error);
        continue;
      }
      if (visited.has(real)) {
        skipped.push({
          relativePath: dirRel === "" ? "." : dirRel,
          code: "symlink",
          reason: "symlink loop (already visited)",
        });
        continue;
      }
      visited.add(real);
      const entries = listing(dir, dirRel);
      if (entries === undefined) continue;
      const rules = enter(dir, dirRel, new Set(entries.map((e) => e.name)), parentRules);
      const folders: [string, string][] = [];
      for (const entry of entries) {
        const name = entry.name;
        const rel = dirRel === "" ? name : `${dirRel}/${name}`;
        if (ALWAYS_SKIPPED.has(name) && !(name === "node_modules" && declaredSource(rules, rel)))
          continue;
        const path = `${dir}${sep}${name}`;
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        let stat: Stats | undefined;
        if (entry.isSymbolicLink()) {
          try {
            stat = statSync(path);
            isDir = stat.isDirectory();
            isFile = stat.isFile();
          } catch {
            skipped.push({ relativePath: rel, code: "symlink", reason: "broken symlink" });
            continue;
          }
        }
        if (!isDir && !(isFile && candidate(name))) continue;
        if (ignored(rules, rel, isDir)) continue;
        if (isDir) {
          folders.push([path, rel]);
          continue;
        }
        try {
          stat ??= statSync(path);
        } catch (error) {
          unreadable(rel, error);
          continue;
        }
        consider(path, rel, stat.size, stat.mtimeMs, rules);
      }
      for (let i = folders.length - 1; i >= 0; i--) {
        const [path, rel] = folders[i] as [string, string];
        stack.push([path, rel, rules]);
      }
    }
  };

  // The rules of the folders between the base and the root apply inside the root too.
  let rules: FolderRules = { ignores: [], attributes: [], docSite: undefined };
  const rootRel = relative(base, rootFolder).split(sep).join("/");
  if (base !== rootFolder) {
    const between = rootRel.split("/").slice(0, -1);
    let dir = base;
    let rel = "";
    for (const folder of [undefined, ...between]) {
      if (folder !== undefined) {
        dir = join(dir, folder);
        rel = rel === "" ? folder : `${rel}/${folder}`;
      }
      const entries = listing(dir, rel);
      if (entries !== undefined)
        rules = enter(dir, rel, new Set(entries.map((e) => e.name)), rules);
    }
  }
  if (rootStat.isDirectory()) walk(root, rootRel, rules);
  else {
    const entries = listing(rootFolder, rootRel);
    if (entries !== undefined)
      rules = enter(rootFolder, rootRel, new Set(entries.map((e) => e.name)), rules);
    const rel = toRel(base, root);
    if (candidate(rel)) consider(root, rel, rootStat.size, rootStat.mtimeMs, rules);
  }
  files.sort((a, b) =>
    a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0,
  );
  return { files, skipped };
}
