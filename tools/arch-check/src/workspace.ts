import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** A package of the workspace. */
export interface WorkspacePackage {
  /** Its `name`. */
  readonly name: string;
  /** Absolute folder. */
  readonly dir: string;
  /** Folder relative to the workspace root, `/` separators. */
  readonly relativeDir: string;
  /** `dependencies` + `peerDependencies` + `optionalDependencies` (what src may import). */
  readonly runtimeDependencies: ReadonlySet<string>;
  /** `dependencies` alone: the ones reported when unused (peer and optional ones never are). */
  readonly dependencies: ReadonlySet<string>;
  /** `devDependencies`. */
  readonly devDependencies: ReadonlySet<string>;
  /** The raw manifest. */
  readonly manifest: Record<string, unknown>;
}

/** The workspace: its root manifest and packages. */
export interface Workspace {
  /** Absolute root. */
  readonly root: string;
  /** Packages by name. */
  readonly packages: ReadonlyMap<string, WorkspacePackage>;
  /** The root `devDependencies` (shared tooling test files may use). */
  readonly rootDevDependencies: ReadonlySet<string>;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

function keys(value: unknown): string[] {
  return typeof value === "object" && value !== null ? Object.keys(value) : [];
}

/** Workspace globs from pnpm-workspace.yaml (the `packages:` list) or package.json `workspaces`. */
function workspaceGlobs(root: string, manifest: Record<string, unknown>): string[] {
  const yaml = join(root, "pnpm-workspace.yaml");
  if (existsSync(yaml)) {
    const globs: string[] = [];
    let inPackages = false;
    for (const line of readFileSync(yaml, "utf8").split("\n")) {
      if (/^packages\s*:/.test(line)) inPackages = true;
      else if (/^\S/.test(line)) inPackages = false;
      else if (inPackages) {
        const match = /^\s*-\s*["']?([^"'#]+?)["']?\s*(#.*)?$/.exec(line);
        if (match?.[1] !== undefined) globs.push(match[1]);
      }
    }
    return globs;
  }
  const field = manifest["workspaces"];
  // npm: an array; yarn classic also allows { packages: [...] }.
  const workspaces =
    typeof field === "object" && field !== null && !Array.isArray(field)
      ? (field as { packages?: unknown }).packages
      : field;
  return Array.isArray(workspaces)
    ? workspaces.filter((w): w is string => typeof w === "string")
    : [];
}

/** Expands simple workspace globs (`dir/*`, `dir/**`, `dir`, `./dir`). */
function expand(root: string, glob: string): string[] {
  const clean = glob.replace(/\/\*\*?$/, "").replace(/^\.\//, "");
  const base = join(root, clean);
  if (!existsSync(base)) return [];
  if (!glob.endsWith("*")) return existsSync(join(base, "package.json")) ? [base] : [];
  // existsSync follows symlinks, so linked package folders count too.
  return readdirSync(base)
    .filter((name) => existsSync(join(base, name, "package.json")))
    .sort()
    .map((name) => join(base, name));
}

/**
 * Discovers the workspace's packages and what each declares.
 * @param root - the workspace root (holding pnpm-workspace.yaml or package.json workspaces)
 * @returns the workspace
 */
export function loadWorkspace(root: string): Workspace {
  const manifest = existsSync(join(root, "package.json"))
    ? readJson(join(root, "package.json"))
    : {};
  const packages = new Map<string, WorkspacePackage>();
  const globs = workspaceGlobs(root, manifest);
  // A repository without workspaces is one package: the root.
  const dirs =
    globs.length === 0 && existsSync(join(root, "package.json"))
      ? [root]
      : globs.flatMap((glob) => expand(root, glob));
  for (const dir of dirs) {
    const pkg = readJson(join(dir, "package.json"));
    const name = typeof pkg["name"] === "string" ? pkg["name"] : relative(root, dir);
    packages.set(name, {
      name,
      dir,
      relativeDir: relative(root, dir).split(sep).join("/"),
      runtimeDependencies: new Set([
        ...keys(pkg["dependencies"]),
        ...keys(pkg["peerDependencies"]),
        ...keys(pkg["optionalDependencies"]),
      ]),
      dependencies: new Set(keys(pkg["dependencies"])),
      devDependencies: new Set(keys(pkg["devDependencies"])),
      manifest: pkg,
    });
  }
  return { root, packages, rootDevDependencies: new Set(keys(manifest["devDependencies"])) };
}
