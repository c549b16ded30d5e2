import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Cycle } from "./graph.js";
import type { SourceOutcome } from "./imports.js";

/** What the cache keeps per file: enough to skip reading it when it has not changed. */
interface Entry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly hash: string;
  /** The facts, or why the file was skipped (binary, not UTF-8, syntax error). */
  readonly facts: SourceOutcome;
}

// Bumped whenever what is stored changes shape or meaning.
const VERSION = 3;

/**
 * Per-file facts keyed by path: a file whose size and mtime are unchanged is not even read; one
 * that was touched but not changed is recognised by its content hash (which also works on shallow
 * CI clones without history).
 */
export class FactsCache {
  readonly #path: string | undefined;
  readonly #old: Map<string, Entry>;
  readonly #next = new Map<string, Entry>();
  readonly #oldCycles: Map<string, Cycle[]>;
  readonly #cycles = new Map<string, Cycle[]>();
  #hits = 0;
  #changed = false;

  /** @param path - the cache file, or undefined for none */
  constructor(path: string | undefined) {
    this.#path = path;
    this.#old = new Map();
    this.#oldCycles = new Map();
    if (path === undefined) return;
    try {
      const data = JSON.parse(readFileSync(path, "utf8")) as {
        version?: number;
        files?: Record<string, Entry>;
        cycles?: Record<string, Cycle[]>;
      };
      if (data.version === VERSION) {
        this.#old = new Map(Object.entries(data.files ?? {}));
        this.#oldCycles = new Map(Object.entries(data.cycles ?? {}));
      }
    } catch {
      // no cache yet, or an unreadable one: start afresh
    }
  }

  /**
   * A file's facts: from the cache when unchanged, else computed from its bytes.
   * @param rel - the file's key (path relative to the root)
   * @param stat - its size and mtime
   * @param read - reads its bytes
   * @param compute - computes the outcome from the bytes
   * @returns the outcome
   */
  get(
    rel: string,
    stat: { readonly size: number; readonly mtimeMs: number },
    read: () => Buffer,
    compute: (bytes: Buffer) => SourceOutcome,
  ): SourceOutcome {
    const old = this.#old.get(rel);
    if (old !== undefined && old.size === stat.size && old.mtimeMs === stat.mtimeMs) {
      this.#hits++;
      this.#next.set(rel, old);
      return old.facts;
    }
    const bytes = read();
    const hash = createHash("sha1").update(bytes).digest("hex");
    const facts = old?.hash === hash ? old.facts : compute(bytes);
    if (old?.hash === hash) this.#hits++;
    this.#changed = true;
    this.#next.set(rel, { mtimeMs: stat.mtimeMs, size: stat.size, hash, facts });
    return facts;
  }

  /**
   * The cycles of a graph: from the cache when the graph has not changed, else computed.
   * @param edges - the adjacency
   * @param compute - finds the cycles
   * @returns the cycles
   */
  cycles(
    edges: ReadonlyMap<string, ReadonlySet<string>>,
    compute: (edges: ReadonlyMap<string, ReadonlySet<string>>) => Cycle[],
  ): Cycle[] {
    const hash = createHash("sha1");
    for (const from of [...edges.keys()].sort())
      hash.update(`${from}\u0000${[...(edges.get(from) ?? [])].sort().join("\u0000")}\n`);
    const key = hash.digest("hex");
    const cycles = this.#oldCycles.get(key) ?? compute(edges);
    if (!this.#oldCycles.has(key)) this.#changed = true;
    this.#cycles.set(key, cycles);
    return cycles;
  }

  /** @returns how many files came from the cache */
  get hits(): number {
    return this.#hits;
  }

  /** Writes the cache (entries of files outside this run's scope are kept). A failed write only loses the cache. */
  save(): void {
    if (this.#path === undefined || !this.#changed) return;
    try {
      mkdirSync(dirname(this.#path), { recursive: true });
      writeFileSync(
        this.#path,
        JSON.stringify({
          version: VERSION,
          files: { ...Object.fromEntries(this.#old), ...Object.fromEntries(this.#next) },
          cycles: Object.fromEntries(this.#cycles),
        }),
      );
    } catch {
      // the check still ran; only the cache is lost
    }
  }
}
