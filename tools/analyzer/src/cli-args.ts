import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import { projectRootOf } from "./project-root.js";

/** `--min-confidence`: undefined when not given, else a number from 0 to 1 (a usage error otherwise). */
export function minConfidenceFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1))
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --min-confidence to be a number from 0 to 1, got "${value}".`,
    );
  return n;
}

/** `--jobs`: undefined when not given, else an integer >= 1 (a usage error otherwise). */
export function jobsFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= 1))
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --jobs to be an integer >= 1, got "${value}". Pass e.g. --jobs 2, or --jobs 1 to stay on one thread.`,
    );
  return n;
}

/** The positional paths (default `.`) resolved from `cwd`; a missing one is a usage error. */
export function existingPaths(positionals: readonly string[], cwd: string): string[] {
  return (positionals.length > 0 ? positionals : ["."]).map((p) => {
    const path = resolve(cwd, p);
    if (!existsSync(path))
      throw new PerflayerConfigError("ERR_USAGE", `No such file or folder: ${p}.`);
    return path;
  });
}

/** `--root` resolved and checked to be a folder, or the project root of the paths. */
export function rootFlag(value: string | undefined, cwd: string, paths: readonly string[]): string {
  if (value === undefined) return projectRootOf(paths);
  const root = resolve(cwd, value);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected --root to be a folder, got "${value}". Pass the project root, e.g. --root .`,
    );
  return root;
}
