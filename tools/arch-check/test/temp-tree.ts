import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkArchitecture, validateConfig } from "@perflayer/arch-check";
import type { ArchConfig, ArchReport, CheckOptions } from "@perflayer/arch-check";

/** A fresh temporary folder and a writer of files into it. */
export function tempTree(prefix: string): {
  dir: string;
  write: (path: string, text: string | Uint8Array) => void;
} {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const write = (path: string, text: string | Uint8Array): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  return { dir, write };
}

/** One element holding everything under `src/`: the config of a single-package repository. */
export const SRC_ONLY: ArchConfig = validateConfig(
  { elements: [{ name: "app", paths: ["src/**"], allow: [] }] },
  "inline",
);

/**
 * Checks a single-package repository whose `src/` is one element, without a cache.
 * @param dir - the repository
 * @param options - more check options (e.g. `paths`)
 * @returns the report
 */
export function checkSrc(dir: string, options: Partial<CheckOptions> = {}): ArchReport {
  return checkArchitecture({ root: dir, config: SRC_ONLY, cacheDir: false, ...options });
}
