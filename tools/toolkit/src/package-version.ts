import { readFileSync } from "node:fs";

/**
 * The version in the `package.json` one folder above a module (`src/cli.ts` and `dist/cli.js` both
 * sit there), for `--version` and report metadata.
 * @param moduleUrl - `import.meta.url` of a module in the package's `src/` or `dist/`
 * @returns the version, e.g. "0.1.0"
 */
export function packageVersion(moduleUrl: string): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", moduleUrl), "utf8")) as {
    version?: unknown;
  };
  if (typeof manifest.version !== "string")
    throw new Error(`No version in the package.json above ${moduleUrl}.`);
  return manifest.version;
}
