import { inspectSource } from "@perflayer/toolkit";
import type { WalkedFile } from "@perflayer/toolkit";
import type { Tokens } from "./analysis-cache.js";
import type * as Examine from "./examine.js";
import type { KeptTree } from "./examine.js";
import type { FileResult } from "./file-result.js";

/** One file examined, on whichever thread: its result and tokens, and whether to cache them. */
export interface ExaminedFile {
  /** The result (a skip reason when the file was not analysed). */
  readonly result: FileResult;
  /** Its tokens (none when the file was skipped). */
  readonly tokens?: Tokens;
  /** False when the analyzer itself failed on the file: a fixed analyzer retries it. */
  readonly cacheable: boolean;
  /** Its tree, for the fix prediction (see `Examined.tree`); examined on this thread only. */
  readonly tree?: KeptTree;
}

// The parser and the detectors load only when a file is not in the cache: a warm run through the
// CLI never loads TypeScript (the package's entry still does, through `DETECTORS` and `tokenize`).
let examiner: typeof Examine | undefined;

/** Loads the parser and the detectors (once per thread). */
export async function loadExaminer(): Promise<typeof Examine> {
  examiner ??= await import("./examine.js");
  return examiner;
}

/** An error's name and message, as reports quote it. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Classifies ({@link inspectSource}) and examines one file the cache cannot answer for. A file
 * that makes the analyzer itself fail comes back skipped with the error, not cacheable.
 * @param file - the walked file
 * @param bytes - its content
 * @param hash - the content's hash
 * @param includeGenerated - analyse generated, vendored and minified content too
 * @returns the result and tokens
 */
export async function examineFile(
  file: WalkedFile,
  bytes: Uint8Array,
  hash: string,
  includeGenerated: boolean,
): Promise<ExaminedFile> {
  try {
    const inspected = inspectSource(bytes, { includeGenerated });
    if (inspected.skip !== undefined)
      return {
        result: { hash, lines: 0, raw: [], imports: [], skip: inspected.skip },
        cacheable: true,
      };
    const examined = (await loadExaminer()).examine(file, inspected.text, hash);
    return { ...examined, cacheable: true };
  } catch (error) {
    return {
      result: {
        hash,
        lines: 0,
        raw: [],
        imports: [],
        skip: {
          code: "failed",
          reason: `the analyzer failed on this file (${errorText(error)}); please report it`,
        },
      },
      cacheable: false,
    };
  }
}
