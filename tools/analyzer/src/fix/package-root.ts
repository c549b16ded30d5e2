import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The folder of the nearest package.json above a file, up to the root (else the root): where the
 * file's shared module is.
 * @param root - the project root
 * @param path - the file's absolute path
 * @returns the package's folder
 */
export function packageRoot(root: string, path: string): string {
  for (let dir = dirname(path); dir.startsWith(root) && dir !== root; dir = dirname(dir))
    if (existsSync(join(dir, "package.json"))) return dir;
  return root;
}
