import { createHash } from "node:crypto";
import type { WalkedFile } from "@perflayer/toolkit";
import type { AnalysisCache, CrossFileResult } from "./analysis-cache.js";
import { findClones } from "./clones.js";
import type { CloneOptions, TokenStream } from "./clones.js";
import type { FileResult } from "./file-result.js";
import { tokensOf } from "./file-pass.js";
import { textId } from "./token-id.js";

/** Options of {@link crossFile}. */
export interface CrossFileOptions {
  /** Clone thresholds, or `false` for no clones. */
  readonly clones: CloneOptions | false;
  /** Whether test and fixture files take part in clones. */
  readonly includeTests: boolean;
  /** Names whose mentions are counted across all files (the findings' constructs). */
  readonly names: readonly string[];
  /** As in the per-file pass (a file re-read for lost tokens is classified alike). */
  readonly includeGenerated: boolean;
}

/**
 * The work that spans files — clone classes and mentions of the findings' names — computed once
 * per set of file contents: a run whose files, contents and options match a previous run's takes
 * the cached result and never loads a token; otherwise it runs in time linear in the tokens.
 * @param files - the analysed files (not skipped)
 * @param results - their results
 * @param cache - the analysis cache
 * @param options - clone thresholds, tests, names
 * @returns clones and mentions, and whether they came from the cache
 */
export async function crossFile(
  files: readonly WalkedFile[],
  results: ReadonlyMap<string, FileResult>,
  cache: AnalysisCache,
  options: CrossFileOptions,
): Promise<CrossFileResult & { readonly cached: boolean }> {
  const names = [...new Set(options.names)].sort();
  const digest = createHash("sha1")
    .update(JSON.stringify([options.clones, options.includeTests, names]))
    .update(
      files
        .map(
          (f) => `${f.relativePath}\u0000${f.kind}\u0000${results.get(f.relativePath)?.hash ?? ""}`,
        )
        .join("\n"),
    )
    .digest("hex");
  const known = cache.crossFile(digest);
  if (known !== undefined) return { ...known, cached: true };

  const wanted = new Map<number, string>();
  for (const name of names) {
    wanted.set(textId(name), name);
    wanted.set(textId(`#${name}`), name);
  }
  const mentions: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const sourceMentions: Record<string, number> = {};
  const streams: TokenStream[] = [];
  for (const file of files) {
    const tokens = await tokensOf(file, cache, options.includeGenerated);
    if (tokens === undefined) continue;
    if (wanted.size > 0)
      for (const id of tokens.ids) {
        const name = wanted.get(id);
        if (name === undefined) continue;
        mentions[name] = (mentions[name] ?? 0) + 1;
        if (file.kind === "source") sourceMentions[name] = (sourceMentions[name] ?? 0) + 1;
      }
    if (options.clones !== false && (file.kind === "source" || options.includeTests))
      streams.push({ file: file.relativePath, ...tokens });
  }
  const result: CrossFileResult = {
    clones: options.clones === false ? [] : findClones(streams, options.clones),
    mentions,
    sourceMentions,
  };
  cache.storeCrossFile(digest, result);
  return { ...result, cached: false };
}
