// What an installed perflayer package must carry besides its code: the MIT LICENSE of the
// workspace, and source and declaration maps that resolve to the TypeScript source shipped with it
// (so stack traces and go-to-definition land in `src/*.ts`). Used by `pnpm release:check` and by
// the packed-packages test.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Every `*.map` under a folder, recursively. */
function mapsIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? mapsIn(join(dir, entry.name))
      : entry.name.endsWith(".map")
        ? [join(dir, entry.name)]
        : [],
  );
}

/**
 * Checks an installed package's licence and maps.
 * @param installed - the package's folder in node_modules
 * @param licence - the workspace's LICENSE text
 * @returns the problems found (empty when all is well) and how many maps were checked
 */
export function checkPackageContents(
  installed: string,
  licence: string,
): { problems: string[]; maps: number } {
  const problems: string[] = [];
  const shipped = join(installed, "LICENSE");
  if (!existsSync(shipped) || readFileSync(shipped, "utf8") !== licence)
    problems.push("the package has no LICENSE, or not the workspace's");
  const maps = existsSync(join(installed, "dist")) ? mapsIn(join(installed, "dist")) : [];
  if (maps.length === 0) problems.push("no source maps in dist/");
  for (const map of maps) {
    const { sources = [], sourceRoot = "" } = JSON.parse(readFileSync(map, "utf8")) as {
      sources?: string[];
      sourceRoot?: string;
    };
    if (sources.length === 0) problems.push(`${relative(installed, map)} has no sources`);
    for (const source of sources) {
      const target = resolve(dirname(map), sourceRoot, source);
      if (!target.startsWith(`${installed}/`) || !existsSync(target))
        problems.push(
          `${relative(installed, map)} points at ${source}, which is not in the package`,
        );
    }
  }
  return { problems, maps: maps.length };
}
