import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { inspectSource } from "@perflayer/toolkit";
import type { SkippedFile, WalkedFile } from "@perflayer/toolkit";
import type { AnalysisCache, Tokens } from "./analysis-cache.js";
import type { DetectorFailureReport } from "./analysis-report.js";
import type * as Examine from "./examine.js";
import type { FileResult } from "./file-result.js";

/** What the per-file pass found. */
export interface FilePass {
  /** Results of the files that were analysed, by relative path. */
  readonly results: Map<string, FileResult>;
  /** Files whose content could not or should not be analysed. */
  readonly skipped: SkippedFile[];
  /** Detectors that threw. */
  readonly failures: DetectorFailureReport[];
  /** Analysed files parsed in this run. */
  readonly parsed: number;
  /** Analysed files whose results came from the cache. */
  readonly cached: number;
}

/** Options of {@link examineFiles}. */
export interface FilePassOptions {
  /** Analyse generated, vendored and minified content too. */
  readonly includeGenerated: boolean;
  /** Called before each file and once at the end. */
  readonly onProgress?: ((done: number, total: number, file: string) => void) | undefined;
}

// The parser and the detectors load only when a file is not in the cache: a warm run through the
// CLI never loads TypeScript (the package's entry still does, through \`DETECTORS\` and \`tokenize\`).
let examiner: typeof Examine | undefined;

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Reads, classifies and examines one file the cache cannot answer for.
 * @returns the result and tokens, or a skip reason as the result
 */
async function examineFile(
  file: WalkedFile,
  bytes: Buffer,
  hash: string,
  includeGenerated: boolean,
): Promise<{ result: FileResult; tokens?: Tokens }> {
  const inspected = inspectSource(bytes, { includeGenerated });
  if (inspected.skip !== undefined)
    return { result: { hash, lines: 0, raw: [], imports: [], skip: inspected.skip } };
  examiner ??= await import("./examine.js");
  return examiner.examine(file, inspected.text, hash);
}

/**
 * The per-file pass: each file's result from the cache when its size and time (or its content
 * hash) are unchanged, otherwise read, classified ({@link inspectSource}) and examined. A file
 * that cannot be read, analysed — or that makes the analyzer itself fail — is skipped with its
 * reason and the pass goes on.
 * @param files - the walked files
 * @param cache - the analysis cache
 * @param options - generated code, progress
 * @returns results, skipped files, detector failures and counts
 */
export async function examineFiles(
  files: readonly WalkedFile[],
  cache: AnalysisCache,
  options: FilePassOptions,
): Promise<FilePass> {
  const results = new Map<string, FileResult>();
  const skipped: SkippedFile[] = [];
  let parsed = 0;
  let cached = 0;
  for (let index = 0; index < files.length; index++) {
    const file = files[index] as WalkedFile;
    options.onProgress?.(index, files.length, file.relativePath);
    let result = cache.unchanged(file);
    let fresh = false;
    if (result === undefined) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file.path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? errorText(error);
        skipped.push({
          relativePath: file.relativePath,
          code: "unreadable",
          reason: `unreadable: ${code}`,
        });
        continue;
      }
      const hash = createHash("sha1").update(bytes).digest("hex");
      result = cache.sameContent(file, hash);
      if (result === undefined) {
        fresh = true;
        try {
          const examined = await examineFile(file, bytes, hash, options.includeGenerated);
          result = examined.result;
          cache.record(file, result, examined.tokens);
        } catch (error) {
          // Not cached: a fixed analyzer (a new cache key) retries the file.
          result = {
            hash,
            lines: 0,
            raw: [],
            imports: [],
            skip: {
              code: "failed",
              reason: `the analyzer failed on this file (${errorText(error)}); please report it`,
            },
          };
        }
      }
    }
    if (result.skip !== undefined) {
      skipped.push({ relativePath: file.relativePath, ...result.skip });
      continue;
    }
    results.set(file.relativePath, result);
    if (fresh) parsed++;
    else cached++;
  }
  options.onProgress?.(files.length, files.length, "");
  const failures: DetectorFailureReport[] = [];
  for (const [file, result] of results)
    for (const failure of result.failures ?? []) failures.push({ file, ...failure });
  return { results, skipped, failures, parsed, cached };
}

/**
 * A file's tokens: from this run or the cache's pack, or — when another run repacked the cache
 * meanwhile — read and examined again.
 * @param file - the walked file
 * @param cache - the analysis cache
 * @param includeGenerated - as in the pass
 * @returns the tokens, or undefined when the file cannot be read any more
 */
export async function tokensOf(
  file: WalkedFile,
  cache: AnalysisCache,
  includeGenerated: boolean,
): Promise<Tokens | undefined> {
  const known = cache.tokens(file.relativePath);
  if (known !== undefined) return known;
  try {
    const bytes = readFileSync(file.path);
    const hash = createHash("sha1").update(bytes).digest("hex");
    const examined = await examineFile(file, bytes, hash, includeGenerated);
    cache.record(file, examined.result, examined.tokens);
    return examined.tokens;
  } catch {
    return undefined;
  }
}
