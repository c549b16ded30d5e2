import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AnalyzerFinding } from "../analysis-report.js";
import { writeAtomically } from "../analysis-cache.js";
import { packageRoot } from "./package-root.js";

/** Where `analyze()` keeps the last prediction, and what the analyzer's code is (its cache key). */
export interface PredictionCache {
  /** The folder the prediction is kept in (`<cache dir>/fix`). */
  readonly folder: string;
  /** The analyzer's cache key: a changed rewriter never serves a stale prediction. */
  readonly key: string;
}

/** The findings' identity in a prediction: file, lines and kind. */
export const findingKey = (f: AnalyzerFinding): string =>
  `${f.file}:${f.startLine}:${f.endLine}:${f.kind}`;

const SHARED_CANDIDATES = ["src/perflayer.ts", "src/perflayer.js", "perflayer.ts", "perflayer.js"];

/** A file's text, or a marker when it does not exist. */
const textOf = (path: string): string =>
  existsSync(path) ? readFileSync(path, "utf8") : "\u0000absent";

/**
 * What a prediction depends on: the analyzer's code, the fixable findings, the text of each file
 * they are in, the shared module candidates of each package (and whether `src` exists), and the nearest
 * package.json of each JavaScript file (it decides CommonJS).
 * @param root - the project root
 * @param fixable - the findings of the kinds `fix` rewrites
 * @param codeKey - the analyzer's cache key
 * @returns the key
 */
export function predictionKey(
  root: string,
  fixable: readonly AnalyzerFinding[],
  codeKey: string,
): string {
  const hash = createHash("sha1");
  hash.update(`${codeKey}\n`);
  const files = [...new Set(fixable.map((f) => f.file))].sort();
  const homes = new Set([root, ...files.map((file) => packageRoot(root, join(root, file)))]);
  for (const home of [...homes].sort()) {
    hash.update(`${home}\n${existsSync(join(home, "src")) ? "src" : "no src"}\n`);
    for (const candidate of SHARED_CANDIDATES) hash.update(`${textOf(join(home, candidate))}\n`);
  }
  const manifests = new Set<string>();
  for (const file of files) {
    hash.update(`${file}\n${textOf(join(root, file))}\n`);
    if (!/\.[cm]?jsx?$/.test(file)) continue;
    for (let dir = dirname(join(root, file)); ; dir = dirname(dir)) {
      const manifest = join(dir, "package.json");
      if (existsSync(manifest)) {
        manifests.add(manifest);
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  for (const manifest of [...manifests].sort()) hash.update(`${manifest}\n${textOf(manifest)}\n`);
  for (const f of fixable) hash.update(`${findingKey(f)}:${f.eliminableLines}:${f.name ?? ""}\n`);
  return hash.digest("hex");
}

const FILE = "fix-prediction.json";

/** A prediction: the lines `fix` removes per finding, and the setup it charges to no finding. */
export interface KeptPrediction {
  /** Code lines each rewritten finding removes, by {@link findingKey}. */
  readonly removed: ReadonlyMap<string, number>;
  /**
   * Code lines of setup (new imports, the shared module), charged to no finding, by the category
   * they are counted under (a file's: that of its first rewritten finding).
   */
  readonly setup: Readonly<Partial<Record<string, number>>>;
}

/**
 * The lines `fix` removes per finding and its setup, as predicted by the last run with this key.
 * @param cache - the cache folder and code key
 * @param key - from {@link predictionKey}
 * @returns the prediction, or undefined when none was kept for this key
 */
export function cachedPrediction(cache: PredictionCache, key: string): KeptPrediction | undefined {
  try {
    const kept = JSON.parse(readFileSync(join(cache.folder, FILE), "utf8")) as {
      key?: unknown;
      removed?: unknown;
      setup?: unknown;
    };
    if (
      kept.key !== key ||
      typeof kept.removed !== "object" ||
      kept.removed === null ||
      typeof kept.setup !== "object" ||
      kept.setup === null ||
      Object.values(kept.setup).some((n) => typeof n !== "number")
    )
      return undefined;
    return {
      removed: new Map(
        Object.entries(kept.removed).filter((e): e is [string, number] => typeof e[1] === "number"),
      ),
      setup: kept.setup as Record<string, number>,
    };
  } catch {
    return undefined; // none yet, or corrupt: predicted again
  }
}

/**
 * Keeps a prediction for the next run (one: the last key).
 * @param cache - the cache folder and code key
 * @param key - from {@link predictionKey}
 * @param prediction - the lines `fix` removes per finding and its setup
 */
export function keepPrediction(
  cache: PredictionCache,
  key: string,
  { removed, setup }: KeptPrediction,
): void {
  try {
    mkdirSync(cache.folder, { recursive: true });
    writeAtomically(
      join(cache.folder, FILE),
      JSON.stringify({ key, removed: Object.fromEntries(removed), setup }),
    );
  } catch {
    // A read-only tree still gets its report; the next run predicts again.
  }
}
