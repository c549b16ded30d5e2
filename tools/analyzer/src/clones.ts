/** A file's normalised token stream for clone detection. */
export interface TokenStream {
  /** Path relative to the root. */
  readonly file: string;
  /** Token ids: identifiers and literals collapse to one id each (Type-2 clones). */
  readonly ids: Int32Array;
  /** The 1-based line of each token. */
  readonly lines: Int32Array;
}

/** One occurrence of a clone class. */
export interface CloneInstance {
  /** Path relative to the root. */
  readonly file: string;
  /** First line (1-based). */
  readonly startLine: number;
  /** Last line. */
  readonly endLine: number;
}

/** A group of code fragments that are the same up to names and literals. */
export interface CloneClass {
  /** Stable id (hash of the normalised tokens). */
  readonly id: string;
  /** Tokens in each instance. */
  readonly tokens: number;
  /** Lines of the first instance. */
  readonly lines: number;
  /** Every instance, sorted by file and line. */
  readonly instances: readonly CloneInstance[];
}

/** Options of {@link findClones}. */
export interface CloneOptions {
  /** Smallest clone in tokens. @defaultValue 60 */
  readonly minTokens?: number;
  /** Smallest clone in lines. @defaultValue 6 */
  readonly minLines?: number;
}

const BASE = 1_000_003;
const MOD = 2 ** 31 - 1;

function windowHashes(ids: Int32Array, size: number): Int32Array {
  const count = ids.length - size + 1;
  if (count <= 0) return new Int32Array(0);
  const out = new Int32Array(count);
  let power = 1;
  for (let i = 0; i < size - 1; i++) power = (power * BASE) % MOD;
  let hash = 0;
  for (let i = 0; i < size; i++) hash = (hash * BASE + (ids[i] as number)) % MOD;
  out[0] = hash;
  for (let i = 1; i < count; i++) {
    hash = (hash - (((ids[i - 1] as number) * power) % MOD) + MOD) % MOD;
    hash = (hash * BASE + (ids[i + size - 1] as number)) % MOD;
    out[i] = hash;
  }
  return out;
}

/**
 * Finds clone classes — every group of fragments with the same normalised tokens, all N instances
 * (not pairs) — with a rolling hash over token windows, extended to maximal matches.
 * @param streams - token streams of the files
 * @param options - minimum size
 * @returns clone classes in a deterministic order (largest first)
 */
export function findClones(
  streams: readonly TokenStream[],
  options: CloneOptions = {},
): CloneClass[] {
  const minTokens = options.minTokens ?? 60;
  const minLines = options.minLines ?? 6;
  const index = new Map<number, number[]>(); // hash → packed (stream, position)
  const hashes = streams.map((s) => windowHashes(s.ids, minTokens));
  hashes.forEach((list, streamIndex) => {
    for (let pos = 0; pos < list.length; pos++) {
      const h = list[pos] as number;
      let bucket = index.get(h);
      if (bucket === undefined) index.set(h, (bucket = []));
      bucket.push(streamIndex * 2 ** 24 + pos);
    }
  });
  // Seed at each uncovered position whose window occurs elsewhere; the class is every uncovered
  // occurrence that matches for at least `minTokens`, cut to the shortest match, and all its
  // instances are marked covered so overlapping sub-matches are not reported again.
  const classes: CloneClass[] = [];
  const covered = streams.map((s) => new Uint8Array(s.ids.length));
  streams.forEach((stream, a) => {
    const list = hashes[a] as Int32Array;
    for (let i = 0; i < list.length; i++) {
      if ((covered[a] as Uint8Array)[i] === 1) continue;
      const bucket = index.get(list[i] as number);
      if (bucket === undefined || bucket.length < 2) continue;
      const members: { stream: number; at: number; length: number }[] = [];
      let length = Number.POSITIVE_INFINITY;
      for (const packed of bucket) {
        const b = Math.floor(packed / 2 ** 24);
        const j = packed % 2 ** 24;
        if ((b === a && j === i) || (covered[b] as Uint8Array)[j] === 1) continue;
        if (b === a && Math.abs(j - i) < minTokens) continue; // overlapping with itself
        const other = streams[b] as TokenStream;
        let matched = 0;
        const limit = b === a ? Math.abs(j - i) : Number.POSITIVE_INFINITY;
        while (
          matched < limit &&
          i + matched < stream.ids.length &&
          j + matched < other.ids.length &&
          stream.ids[i + matched] === other.ids[j + matched]
        )
          matched++;
        if (matched < minTokens) continue;
        members.push({ stream: b, at: j, length: matched });
        length = Math.min(length, matched);
        if (members.length >= 50) break;
      }
      if (members.length === 0) continue;
      const instances: CloneInstance[] = [
        {
          file: stream.file,
          startLine: stream.lines[i] as number,
          endLine: stream.lines[i + length - 1] as number,
        },
      ];
      for (const m of members) {
        const other = streams[m.stream] as TokenStream;
        instances.push({
          file: other.file,
          startLine: other.lines[m.at] as number,
          endLine: other.lines[m.at + length - 1] as number,
        });
      }
      const first = instances[0] as CloneInstance;
      const lines = first.endLine - first.startLine + 1;
      if (lines < minLines) continue;
      (covered[a] as Uint8Array).fill(1, i, i + length);
      for (const m of members) (covered[m.stream] as Uint8Array).fill(1, m.at, m.at + length);
      const unique = [
        ...new Map(instances.map((x) => [`${x.file}:${x.startLine}`, x])).values(),
      ].sort((x, y) => x.file.localeCompare(y.file) || x.startLine - y.startLine);
      if (unique.length < 2) continue;
      classes.push({
        id: hashKey(Array.prototype.join.call(stream.ids.subarray(i, i + length), ",")),
        tokens: length,
        lines,
        instances: unique,
      });
    }
  });
  return classes.sort(
    (x, y) =>
      y.lines * y.instances.length - x.lines * x.instances.length || x.id.localeCompare(y.id),
  );
}

function hashKey(key: string): string {
  let h1 = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h1 ^= key.charCodeAt(i);
    h1 = Math.imul(h1, 0x01000193);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0");
}
