import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, parse, relative, resolve } from "node:path";

const WORKSPACE_FILES = ["pnpm-workspace.yaml", "lerna.json", "rush.json", "nx.json"];

function declaresWorkspaces(folder: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as {
      workspaces?: unknown;
    };
    return manifest.workspaces !== undefined;
  } catch {
    return false;
  }
}

/**
 * The project root of a path: the nearest folder at or above it that holds `.git` (a folder, or a
 * file in worktrees and submodules) or declares a workspace (`pnpm-workspace.yaml`, `lerna.json`,
 * `rush.json`, `nx.json`, a `package.json` with `workspaces`); failing that, the nearest folder
 * with a `package.json`; failing that, the path itself (its folder for a file). Reports are
 * relative to it, so `perflayer-analyze src` and `perflayer-analyze .` name files alike.
 * @param path - a file or folder (absolute, or relative to the working directory)
 * @returns the absolute project root
 */
export function findProjectRoot(path: string): string {
  const start = resolve(path);
  let folder = statSync(start).isDirectory() ? start : dirname(start);
  const top = parse(folder).root;
  let nearestPackage: string | undefined;
  for (;;) {
    if (
      existsSync(join(folder, ".git")) ||
      WORKSPACE_FILES.some((name) => existsSync(join(folder, name))) ||
      declaresWorkspaces(folder)
    )
      return folder;
    if (nearestPackage === undefined && existsSync(join(folder, "package.json")))
      nearestPackage = folder;
    if (folder === top) break;
    folder = dirname(folder);
  }
  return nearestPackage ?? (statSync(start).isDirectory() ? start : dirname(start));
}

/**
 * The project root of several scanned paths: their roots' common ancestor (one root when they
 * share it).
 * @param paths - absolute paths
 * @returns the absolute project root
 */
export function projectRootOf(paths: readonly string[]): string {
  return commonAncestor(paths.map(findProjectRoot));
}

/**
 * The folder that contains every given folder.
 * @param folders - absolute paths
 * @returns their deepest common ancestor
 */
function commonAncestor(folders: readonly string[]): string {
  let common = folders[0] ?? resolve(".");
  for (const folder of folders.slice(1)) {
    for (let rel = relative(common, folder); rel.startsWith("..") || isAbsolute(rel);) {
      common = dirname(common);
      rel = relative(common, folder);
    }
  }
  return common;
}
