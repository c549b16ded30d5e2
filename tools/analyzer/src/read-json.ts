import { readFileSync } from "node:fs";
import { PerflayerConfigError } from "@perflayer/core";

/**
 * Reads a JSON file a user passed; a missing file or bad JSON is a usage error that says what to do.
 * @param path - the file
 * @param what - what it is, e.g. `the baseline`
 * @param code - the error code
 * @param fix - how to fix it
 * @returns the parsed value
 */
export function readJson(path: string, what: string, code: string, fix: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PerflayerConfigError(
      code,
      `Could not read ${what} ${path}: ${(error as Error).message}. ${fix}`,
    );
  }
}
