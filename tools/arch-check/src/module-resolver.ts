import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { mapTargets } from "./package-exports.js";
import type { TsSettings } from "./tsconfig.js";
import type { Workspace } from "./workspace.js";

/** How an import is written: it decides `import` vs `require` resolution under node16/nodenext. */
export type ImportKind = "static" | "dynamic" | "require";

/** Where a specifier leads. */
export type Resolution =
  | {
      /** A file. */
      readonly kind: "file";
      /** Its absolute path. */
      readonly file: string;
    }
  | {
      /** A workspace package whose entry file is not there (e.g. `exports` into an unbuilt `dist`). */
      readonly kind: "package";
      /** The package's name. */
      readonly name: string;
    }
  | {
      /** A bare specifier outside the workspace (not looked up in node_modules). */
      readonly kind: "external";
      /** The package's name. */
      readonly name: string;
    }
  | {
      /** Nothing. */
      readonly kind: "unresolved";
      /** Why, e.g. `no such file` or `./x is not in pkg's exports`. */
      readonly reason: string;
    };

/** A bare specifier split into its package and subpath. */
export interface PackageSpecifier {
  /** e.g. `@scope/pkg`. */
  readonly name: string;
  /** `.` or `./sub/path`. */
  readonly subpath: string;
}

/** Which kinds of file one resolution pass may land on. */
interface Pass {
  readonly ts: boolean;
  readonly js: boolean;
  readonly extensions: readonly string[];
}
const TS: Pass = { ts: true, js: false, extensions: [".ts", ".tsx", ".d.ts"] };
const JS: Pass = { ts: false, js: true, extensions: [".js", ".jsx"] };
const BOTH: Pass = { ts: true, js: true, extensions: [...TS.extensions, ...JS.extensions] };
/** `.js` → `.ts` and friends: what TypeScript tries for a written JavaScript extension, per pass. */
const REPLACEMENTS: Record<string, readonly [readonly string[], readonly string[]]> = {
  ".js": [
    [".ts", ".tsx", ".d.ts"],
    [".js", ".jsx"],
  ],
  ".jsx": [[".tsx", ".d.ts"], [".jsx"]],
  ".mjs": [[".mts", ".d.mts"], [".mjs"]],
  ".cjs": [[".cts", ".d.cts"], [".cjs"]],
};
const LOADABLE = /\.(d\.[mc]?ts|[mc]?tsx?)$/;
const NODE16: ReadonlySet<string> = new Set(["node16", "nodenext"]);

/**
 * The split of a bare specifier into its package name and subpath.
 * @param specifier - e.g. `@scope/pkg/sub/path`
 * @returns `{ name: "@scope/pkg", subpath: "./sub/path" }`
 */
export function packageOf(specifier: string): PackageSpecifier {
  const parts = specifier.split("/");
  const take = specifier.startsWith("@") ? 2 : 1;
  const rest = parts.slice(take).join("/");
  return { name: parts.slice(0, take).join("/"), subpath: rest === "" ? "." : `./${rest}` };
}

/**
 * Resolves import specifiers to files the way TypeScript does for the file's `moduleResolution`
 * (node10, node16/nodenext, bundler): relative paths with `.js`→`.ts` rewrites, extension probing
 * and folder `index` files where the mode allows them, `paths` and `baseUrl`, package `imports`
 * (`#x`) and `exports` (subpath patterns, conditions incl. `customConditions`). Bare specifiers
 * resolve through the workspace's packages; other packages are reported as external without a
 * node_modules lookup. File-system answers are cached per folder listing.
 */
export class ModuleResolver {
  readonly #workspace: Workspace;
  readonly #listings = new Map<string, Map<string, "file" | "dir">>();
  readonly #manifests = new Map<string, Record<string, unknown> | undefined>();
  readonly #esmFolders = new Map<string, boolean>();

  /** @param workspace - the packages bare specifiers may name */
  constructor(workspace: Workspace) {
    this.#workspace = workspace;
  }

  /**
   * Resolves one import.
   * @param specifier - as written
   * @param fromFile - the importing file (absolute)
   * @param settings - the compiler settings that apply to it
   * @param kind - how it is imported
   * @returns where it leads
   */
  resolve(specifier: string, fromFile: string, settings: TsSettings, kind: ImportKind): Resolution {
    const mode = this.#mode(fromFile, settings, kind);
    const esmStrict = mode === "import" && NODE16.has(settings.moduleResolution);
    const conditions = this.#conditions(settings, mode);
    if (specifier.startsWith(".") || isAbsolute(specifier)) {
      const file = this.#fileOrFolder(resolve(dirname(fromFile), specifier), esmStrict, settings);
      return file === undefined
        ? { kind: "unresolved", reason: "no such file" }
        : { kind: "file", file };
    }
    if (specifier.startsWith("#")) {
      if (!settings.resolvePackageJsonImports)
        return {
          kind: "unresolved",
          reason: `\`imports\` are not read under moduleResolution ${settings.moduleResolution}`,
        };
      return this.#viaImports(specifier, fromFile, settings, conditions);
    }
    for (const alias of settings.paths) {
      const matches = alias.wildcard
        ? specifier.length >= alias.prefix.length + alias.suffix.length &&
          specifier.startsWith(alias.prefix) &&
          specifier.endsWith(alias.suffix)
        : specifier === alias.prefix;
      if (!matches) continue;
      const star = specifier.slice(alias.prefix.length, specifier.length - alias.suffix.length);
      for (const target of alias.targets) {
        const file = this.#fileOrFolder(
          alias.wildcard ? target.replace("*", star) : target,
          esmStrict,
          settings,
        );
        if (file !== undefined) return { kind: "file", file };
      }
      break; // only the best-matching pattern is tried, then node_modules (as tsc does)
    }
    if (settings.baseUrl !== undefined) {
      const file = this.#fileOrFolder(resolve(settings.baseUrl, specifier), esmStrict, settings);
      if (file !== undefined) return { kind: "file", file };
    }
    return this.#bare(specifier, settings, conditions, esmStrict);
  }

  #bare(
    specifier: string,
    settings: TsSettings,
    conditions: ReadonlySet<string>,
    esmStrict: boolean,
  ): Resolution {
    const { name, subpath } = packageOf(specifier);
    const pkg = this.#workspace.packages.get(name);
    if (pkg === undefined) return { kind: "external", name };
    const exportsField = pkg.manifest["exports"];
    if (settings.resolvePackageJsonExports && exportsField !== undefined) {
      const candidates = mapTargets(exportsField, subpath, conditions);
      if (candidates === undefined || candidates.length === 0)
        return { kind: "unresolved", reason: `${subpath} is not in ${name}'s exports` };
      for (const target of candidates) {
        const file = this.#target(pkg.dir, target, settings);
        if (file !== undefined) return { kind: "file", file };
      }
      return { kind: "package", name };
    }
    const base = subpath === "." ? pkg.dir : join(pkg.dir, subpath);
    const file = this.#fileOrFolder(base, esmStrict && subpath !== ".", settings);
    return file === undefined ? { kind: "package", name } : { kind: "file", file };
  }

  #viaImports(
    specifier: string,
    fromFile: string,
    settings: TsSettings,
    conditions: ReadonlySet<string>,
  ): Resolution {
    for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
      const manifest = this.#manifest(dir);
      if (manifest !== undefined) {
        const candidates = mapTargets(manifest["imports"] ?? {}, specifier, conditions);
        if (candidates === undefined || candidates.length === 0)
          return {
            kind: "unresolved",
            reason: `${specifier} is not in ${join(dir, "package.json")}'s imports`,
          };
        for (const target of candidates) {
          if (!target.startsWith("./")) return this.#bare(target, settings, conditions, false);
          const file = this.#target(dir, target, settings);
          if (file !== undefined) return { kind: "file", file };
        }
        return { kind: "unresolved", reason: `${specifier} maps to files that do not exist` };
      }
      if (dirname(dir) === dir)
        return { kind: "unresolved", reason: "no package.json with imports" };
    }
  }

  /** A file named by an `exports`/`imports` target: as written, or its `.js`→`.ts` twin. */
  #target(dir: string, target: string, settings: TsSettings): string | undefined {
    const path = resolve(dir, target);
    const ext = /\.[mc]?jsx?$/.exec(path)?.[0];
    if (ext !== undefined) {
      const stem = path.slice(0, -ext.length);
      const [ts, js] = REPLACEMENTS[ext] as readonly [readonly string[], readonly string[]];
      return [...ts, ...js].map((e) => stem + e).find((p) => this.#isFile(p));
    }
    return this.#isFile(path) && (!path.endsWith(".json") || settings.resolveJsonModule)
      ? path
      : undefined;
  }

  /**
   * A relative or mapped path as a file, else (outside ESM-strict node16) with extensions probed,
   * else as a folder (its package.json `types`/`main`, then `index`). node10 tries every TypeScript
   * candidate before any JavaScript one; the newer modes take both kinds in one pass.
   */
  #fileOrFolder(path: string, esmStrict: boolean, settings: TsSettings): string | undefined {
    const passes: readonly Pass[] = settings.moduleResolution === "node10" ? [TS, JS] : [BOTH];
    for (const pass of passes) {
      const file = this.#file(path, pass, esmStrict, settings);
      if (file !== undefined) return file;
      if (esmStrict) continue;
      const folder = this.#folder(path, pass, settings);
      if (folder !== undefined) return folder;
    }
    return undefined;
  }

  #file(path: string, pass: Pass, esmStrict: boolean, settings: TsSettings): string | undefined {
    const ext = /\.[mc]?jsx?$/.exec(path)?.[0];
    if (ext !== undefined) {
      const stem = path.slice(0, -ext.length);
      const [ts, js] = REPLACEMENTS[ext] as readonly [readonly string[], readonly string[]];
      const found = [...(pass.ts ? ts : []), ...(pass.js ? js : [])]
        .map((e) => stem + e)
        .find((p) => this.#isFile(p));
      if (found !== undefined) return found;
    } else if (
      pass.ts &&
      (LOADABLE.test(path) || (settings.resolveJsonModule && path.endsWith(".json"))) &&
      this.#isFile(path)
    ) {
      return path;
    }
    if (esmStrict) return undefined;
    return pass.extensions.map((e) => path + e).find((p) => this.#isFile(p));
  }

  #folder(path: string, pass: Pass, settings: TsSettings): string | undefined {
    if (!this.#isDir(path)) return undefined;
    const manifest = this.#manifest(path);
    if (manifest !== undefined) {
      const fields = pass.ts ? ["types", "typings", "main"] : ["main"];
      for (const field of fields) {
        const value = manifest[field];
        if (typeof value !== "string") continue;
        const target = resolve(path, value);
        const found =
          this.#file(target, pass, false, settings) ??
          (target !== path ? this.#folderIndex(target, pass) : undefined);
        if (found !== undefined) return found;
      }
    }
    return this.#folderIndex(path, pass);
  }

  #folderIndex(path: string, pass: Pass): string | undefined {
    return pass.extensions.map((e) => join(path, `index${e}`)).find((p) => this.#isFile(p));
  }

  /** `import` or `require` semantics for this import, as node16/nodenext decide it. */
  #mode(fromFile: string, settings: TsSettings, kind: ImportKind): "import" | "require" {
    if (kind === "dynamic") return "import";
    if (kind === "require") return "require";
    if (settings.moduleResolution === "node10") return "require";
    if (/\.m[jt]s$/.test(fromFile)) return "import";
    if (/\.c[jt]s$/.test(fromFile)) return "require";
    if (settings.moduleResolution === "bundler") return "import";
    return this.#isEsmFolder(dirname(fromFile)) ? "import" : "require";
  }

  #conditions(settings: TsSettings, mode: "import" | "require"): ReadonlySet<string> {
    const set = new Set(["types", mode, ...settings.customConditions]);
    if (NODE16.has(settings.moduleResolution)) set.add("node");
    return set;
  }

  /** Whether the nearest package.json says `"type": "module"`. */
  #isEsmFolder(dir: string): boolean {
    const known = this.#esmFolders.get(dir);
    if (known !== undefined) return known;
    const manifest = this.#manifest(dir);
    const esm =
      manifest !== undefined
        ? manifest["type"] === "module"
        : dirname(dir) !== dir && this.#isEsmFolder(dirname(dir));
    this.#esmFolders.set(dir, esm);
    return esm;
  }

  #manifest(dir: string): Record<string, unknown> | undefined {
    if (this.#manifests.has(dir)) return this.#manifests.get(dir);
    let manifest: Record<string, unknown> | undefined;
    if (this.#isFile(join(dir, "package.json"))) {
      try {
        manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<
          string,
          unknown
        >;
      } catch {
        manifest = {};
      }
    }
    this.#manifests.set(dir, manifest);
    return manifest;
  }

  #entry(path: string): "file" | "dir" | undefined {
    const dir = dirname(path);
    let listing = this.#listings.get(dir);
    if (listing === undefined) {
      listing = new Map();
      try {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          let type: "file" | "dir" | undefined = entry.isFile()
            ? "file"
            : entry.isDirectory()
              ? "dir"
              : undefined;
          if (entry.isSymbolicLink()) {
            try {
              const stat = statSync(join(dir, entry.name));
              type = stat.isDirectory() ? "dir" : stat.isFile() ? "file" : undefined;
            } catch {
              type = undefined;
            }
          }
          if (type !== undefined) listing.set(entry.name, type);
        }
      } catch {
        // a missing folder lists nothing
      }
      this.#listings.set(dir, listing);
    }
    return listing.get(basename(path));
  }

  #isFile(path: string): boolean {
    return this.#entry(path) === "file";
  }

  #isDir(path: string): boolean {
    return this.#entry(path) === "dir";
  }
}
