import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { SkippedFile, WalkedFile } from "@perflayer/toolkit";
import type { AnalysisCache, Tokens } from "./analysis-cache.js";
import type { DetectorFailureReport } from "./analysis-report.js";
import { errorText, examineFile } from "./examine-file.js";
import type { ExaminedFile } from "./examine-file.js";
import type { KeptTree } from "./examine.js";
import { examineOnThreads, threadsFor } from "./examine-pool.js";
import type { ExamineTask } from "./examine-pool.js";
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
  /** Threads that examined at least one file (0 when the cache answered for every file). */
  readonly threads: number;
  /**
   * The trees of the files examined on this thread that the fix prediction will plan, by relative
   * path (see `Examined.tree`): it reads them instead of parsing the files again.
   */
  readonly trees: ReadonlyMap<string, KeptTree>;
}

/** Options of {@link examineFiles}. */
export interface FilePassOptions {
  /** Analyse generated, vendored and minified content too. */
  readonly includeGenerated: boolean;
  /** Called as files are done, and once at the end. */
  readonly onProgress?: ((done: number, total: number, file: string) => void) | undefined;
  /** Threads to examine files on (1: this one only), or undefined to choose by the work. */
  readonly jobs?: number | undefined;
}

/**
 * The per-file pass: each file's result from the cache when its size and time (or its content
 * hash) are unchanged, otherwise read, classified and examined — on several threads when there
 * is enough to examine (see {@link threadsFor}); results are put back in file order, so the
 * report does not depend on the threads. A file that cannot be read, analysed — or that makes the
 * analyzer itself fail — is skipped with its reason and the pass goes on.
 * @param files - the walked files
 * @param cache - the analysis cache
 * @param options - generated code, progress, threads
 * @returns results, skipped files, detector failures and counts
 */
export async function examineFiles(
  files: readonly WalkedFile[],
  cache: AnalysisCache,
  options: FilePassOptions,
): Promise<FilePass> {
  // Per file: its result from the cache, why it could not be read, or its task's index.
  const known: (FileResult | SkippedFile | number)[] = [];
  const tasks: ExamineTask[] = [];
  for (const file of files) {
    const unchanged = cache.unchanged(file);
    if (unchanged !== undefined) {
      known.push(unchanged);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(file.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? errorText(error);
      known.push({
        relativePath: file.relativePath,
        code: "unreadable",
        reason: `unreadable: ${code}`,
      });
      continue;
    }
    const hash = createHash("sha1").update(bytes).digest("hex");
    const same = cache.sameContent(file, hash);
    if (same !== undefined) known.push(same);
    else {
      known.push(tasks.length);
      tasks.push({ file, bytes, hash });
    }
  }
  let doneFiles = files.length - tasks.length;
  options.onProgress?.(doneFiles, files.length, "");
  const examined: ExaminedFile[] = [];
  const { threads } = await examineOnThreads(
    tasks,
    threadsFor(tasks, options.jobs),
    options.includeGenerated,
    (index, result) => {
      examined[index] = result;
      options.onProgress?.(
        ++doneFiles,
        files.length,
        (tasks[index] as ExamineTask).file.relativePath,
      );
    },
  );

  const results = new Map<string, FileResult>();
  const skipped: SkippedFile[] = [];
  const trees = new Map<string, KeptTree>();
  let parsed = 0;
  let cached = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as WalkedFile;
    const entry = known[i] as FileResult | SkippedFile | number;
    let result: FileResult;
    if (typeof entry === "number") {
      const fresh = examined[entry] as ExaminedFile;
      result = fresh.result;
      // Not cached when the analyzer failed: a fixed analyzer (a new cache key) retries the file.
      if (fresh.cacheable) cache.record(file, result, fresh.tokens);
      if (result.skip === undefined) parsed++;
      if (fresh.tree !== undefined) trees.set(file.relativePath, fresh.tree);
    } else if ("relativePath" in entry) {
      skipped.push(entry);
      continue;
    } else {
      result = entry;
      if (result.skip === undefined) cached++;
    }
    if (result.skip !== undefined) {
      skipped.push({ relativePath: file.relativePath, ...result.skip });
      continue;
    }
    results.set(file.relativePath, result);
  }
  const failures: DetectorFailureReport[] = [];
  for (const [file, result] of results)
    for (const failure of result.failures ?? []) failures.push({ file, ...failure });
  return { results, skipped, failures, parsed, cached, threads, trees };
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
    if (!examined.cacheable) return undefined;
    cache.record(file, examined.result, examined.tokens);
    return examined.tokens;
  } catch {
    return undefined;
  }
}
