import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { WalkedFile } from "@perflayer/toolkit";
import type { CloneClass } from "./clones.js";
import type { FileResult } from "./file-result.js";

/** A file's token ids and their lines. */
export interface Tokens {
  readonly ids: Int32Array;
  readonly lines: Int32Array;
}

/** What the cross-file step computed for one set of files: clones and name mentions. */
export interface CrossFileResult {
  /** Clone classes over the files. */
  readonly clones: readonly CloneClass[];
  /** How often each name of interest occurs as an identifier in all files. */
  readonly mentions: Readonly<Record<string, number>>;
  /** The same counts over source files only (tests and fixtures left out). */
  readonly sourceMentions?: Readonly<Record<string, number>>;
}

interface Entry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly result: FileResult;
  /** Where the tokens start in the pack (in 32-bit words), and how many there are. */
  readonly offset?: number;
  readonly count?: number;
}

interface Index {
  readonly key: string;
  readonly startedAt: number;
  readonly pack?: string;
  readonly files: Record<string, Entry>;
  readonly crossFile: readonly (CrossFileResult & { readonly digest: string })[];
}

let codeHash: string | undefined;

/**
 * Hashes the names, sizes and modification times of the `.js`/`.ts` modules under a folder
 * (declarations left out): any rebuild or edit changes the key, for the price of a stat per module.
 */
function hashModules(hash: ReturnType<typeof createHash>, folder: string): void {
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) hashModules(hash, path);
    else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      const { size, mtimeMs } = statSync(path);
      hash.update(`${entry.name}:${size}:${mtimeMs}\n`);
    }
  }
}

/**
 * What cached results depend on: the analyzer's own modules (the folder this file was loaded
 * from) and the toolkit's (whose content rules decide what is skipped), stat'ed once per process;
 * the three packages' versions; the options that change a file's result. A changed detector
 * or rule therefore never serves stale results.
 * @param includeGenerated - whether generated content is analysed
 * @returns the key
 */
export function analysisCacheKey(includeGenerated: boolean): string {
  if (codeHash === undefined) {
    const hash = createHash("sha1");
    hashModules(hash, dirname(fileURLToPath(import.meta.url)));
    const require = createRequire(import.meta.url);
    const toolkitManifest = require.resolve("@perflayer/toolkit/package.json");
    const toolkit = dirname(toolkitManifest);
    const built = join(toolkit, "dist");
    hashModules(hash, existsSync(built) ? built : join(toolkit, "src"));
    // Versions too: npm gives every installed file the same modification time.
    const version = (manifest: string): string =>
      (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
    const own = fileURLToPath(new URL("../package.json", import.meta.url));
    codeHash = [
      hash.digest("hex").slice(0, 16),
      `analyzer@${version(own)}`,
      `toolkit@${version(toolkitManifest)}`,
      `ts-morph@${version(require.resolve("ts-morph/package.json"))}`,
    ].join(":");
  }
  return `${codeHash}:${includeGenerated ? "with-generated" : "hand-written"}`;
}

/** A file written this long before the previous run started is trusted by its size and time. */
const RACY_MS = 2000;
const CROSS_FILE_ENTRIES = 4;

/**
 * The analyzer's cache between runs, in one folder: `index.json` (per file: size, modification
 * time and the results; the cross-file results of the last few file sets) and a token pack read
 * only when clones must be recomputed. A warm run therefore stats files, reads the index and
 * nothing else; a file whose size and time changed is re-read and kept when its content hash is
 * unchanged. Files modified within two seconds of the previous run are re-hashed (the "racily
 * clean" rule git uses for the same shortcut). Writes are atomic (write, then rename); a missing
 * or corrupt cache is rebuilt.
 */
export class AnalysisCache {
  readonly #folder: string | undefined;
  readonly #key: string;
  readonly #startedAt: number;
  readonly #previous: Index | undefined;
  readonly #entries = new Map<string, Entry>();
  readonly #fresh = new Map<string, Tokens>();
  #crossFile: (CrossFileResult & { readonly digest: string })[];
  #pack: Int32Array | null | undefined;
  #dirty = false;

  /**
   * @param folder - the cache folder, or undefined for a run without a cache
   * @param key - what the results depend on (analyzer code, options); another key starts empty
   * @param startedAt - wall time of this run, for the racy-file rule
   */
  constructor(folder: string | undefined, key: string, startedAt: number) {
    this.#folder = folder;
    this.#key = key;
    this.#startedAt = startedAt;
    this.#previous = folder === undefined ? undefined : read(join(folder, "index.json"), key);
    this.#crossFile = [...(this.#previous?.crossFile ?? [])];
  }

  /**
   * The cached result of a file whose size and modification time are those recorded (and old
   * enough to trust).
   * @param file - the walked file
   * @returns the result, or undefined when the file must be read
   */
  unchanged(file: WalkedFile): FileResult | undefined {
    const entry = this.#previous?.files[file.relativePath];
    if (
      entry === undefined ||
      entry.size !== file.size ||
      entry.mtimeMs !== file.mtimeMs ||
      file.mtimeMs >= (this.#previous?.startedAt ?? 0) - RACY_MS
    )
      return undefined;
    this.#entries.set(file.relativePath, entry);
    return entry.result;
  }

  /**
   * The cached result of a file's content.
   * @param file - the walked file
   * @param hash - the content hash
   * @returns the result, or undefined when the content changed
   */
  sameContent(file: WalkedFile, hash: string): FileResult | undefined {
    const entry = this.#previous?.files[file.relativePath];
    if (entry?.result.hash !== hash) return undefined;
    this.#entries.set(file.relativePath, { ...entry, size: file.size, mtimeMs: file.mtimeMs });
    this.#dirty ||= entry.size !== file.size || entry.mtimeMs !== file.mtimeMs;
    return entry.result;
  }

  /**
   * Records a file examined in this run.
   * @param file - the walked file
   * @param result - its result
   * @param tokens - its tokens (none for a skipped file)
   */
  record(file: WalkedFile, result: FileResult, tokens: Tokens | undefined): void {
    this.#entries.set(file.relativePath, { size: file.size, mtimeMs: file.mtimeMs, result });
    if (tokens !== undefined) this.#fresh.set(file.relativePath, tokens);
    this.#dirty = true;
  }

  /**
   * The tokens of a file seen in this run: examined now, or from the pack.
   * @param path - relative path
   * @returns the tokens, or undefined when the pack has lost them
   */
  tokens(path: string): Tokens | undefined {
    const fresh = this.#fresh.get(path);
    if (fresh !== undefined) return fresh;
    const entry = this.#entries.get(path) ?? this.#previous?.files[path];
    if (entry?.offset === undefined || entry.count === undefined) return undefined;
    const pack = this.#loadPack();
    if (pack === null || entry.offset + 2 * entry.count > pack.length) return undefined;
    return {
      ids: pack.subarray(entry.offset, entry.offset + entry.count),
      lines: pack.subarray(entry.offset + entry.count, entry.offset + 2 * entry.count),
    };
  }

  /**
   * Cross-file results computed before for the same files and options.
   * @param digest - a hash of the file set, contents and options
   * @returns the results, or undefined
   */
  crossFile(digest: string): CrossFileResult | undefined {
    return this.#crossFile.find((c) => c.digest === digest);
  }

  /**
   * Keeps cross-file results for a digest (the last few are kept, so alternating scans stay warm).
   * @param digest - a hash of the file set, contents and options
   * @param result - clones and mentions
   */
  storeCrossFile(digest: string, result: CrossFileResult): void {
    this.#crossFile = [{ digest, ...result }, ...this.#crossFile].slice(0, CROSS_FILE_ENTRIES);
    this.#dirty = true;
  }

  /**
   * Writes the cache when anything changed. Entries of files outside this run's scan are kept.
   * @param scanned - whether a relative path lies inside what this run scanned
   */
  save(scanned: (path: string) => boolean): void {
    const folder = this.#folder;
    if (folder === undefined) return;
    const entries = new Map(this.#entries);
    for (const [path, entry] of Object.entries(this.#previous?.files ?? {}))
      if (!entries.has(path) && !scanned(path)) entries.set(path, entry);
    const dropped = Object.keys(this.#previous?.files ?? {}).some((p) => !entries.has(p));
    if (!this.#dirty && !dropped) return;
    try {
      mkdirSync(folder, { recursive: true });
      let pack = this.#previous?.pack;
      const files: Record<string, Entry> = {};
      if (this.#fresh.size > 0 || pack === undefined) {
        // Repack: every entry's tokens, from this run or from the old pack.
        const chunks: Int32Array[] = [];
        let offset = 0;
        for (const [path, entry] of entries) {
          const { offset: _o, count: _c, ...rest } = entry;
          const tokens = entry.result.skip === undefined ? this.tokens(path) : undefined;
          if (tokens === undefined) {
            files[path] = rest;
            continue;
          }
          chunks.push(tokens.ids, tokens.lines);
          files[path] = { ...rest, offset, count: tokens.ids.length };
          offset += 2 * tokens.ids.length;
        }
        pack = `tokens-${randomBytes(6).toString("hex")}.bin`;
        const data = new Int32Array(offset);
        let at = 0;
        for (const chunk of chunks) {
          data.set(chunk, at);
          at += chunk.length;
        }
        writeAtomically(
          join(folder, pack),
          Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        );
      } else {
        for (const [path, entry] of entries) files[path] = entry;
      }
      const index: Index = {
        key: this.#key,
        startedAt: this.#startedAt,
        pack,
        files,
        crossFile: this.#crossFile,
      };
      writeAtomically(join(folder, "index.json"), JSON.stringify(index));
      for (const name of readdirSync(folder))
        if (name.startsWith("tokens-") && name.endsWith(".bin") && name !== pack)
          rmSync(join(folder, name), { force: true });
    } catch {
      // A read-only tree still gets its report; only the cache is lost.
    }
  }

  #loadPack(): Int32Array | null {
    if (this.#pack !== undefined) return this.#pack;
    const name = this.#previous?.pack;
    this.#pack = null;
    if (this.#folder === undefined || name === undefined) return null;
    try {
      const bytes = readFileSync(join(this.#folder, name));
      const copy = new Uint8Array(bytes.byteLength - (bytes.byteLength % 4));
      copy.set(bytes.subarray(0, copy.byteLength));
      this.#pack = new Int32Array(copy.buffer);
    } catch {
      // Lost (another run repacked): the caller re-reads those files.
    }
    return this.#pack;
  }
}

function read(path: string, key: string): Index | undefined {
  try {
    const index = JSON.parse(readFileSync(path, "utf8")) as Partial<Index>;
    if (index.key !== key || typeof index.files !== "object" || index.files === null)
      return undefined;
    return {
      key,
      startedAt: typeof index.startedAt === "number" ? index.startedAt : 0,
      ...(typeof index.pack === "string" ? { pack: index.pack } : {}),
      files: index.files,
      crossFile: Array.isArray(index.crossFile) ? index.crossFile : [],
    };
  } catch {
    return undefined; // none yet, or corrupt: rebuilt
  }
}

/**
 * Writes a file atomically: a temporary file, then a rename.
 * @param path - the file
 * @param data - its content
 */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
