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

const BASE = 0x01000193;
/** Copies of one origin sharing this share of the longer one's tokens are one fragment. */
const SAME_FRAGMENT = 0.9;

/** Window hashes of one stream: a polynomial rolling hash in 32-bit integer arithmetic. */
function windowHashes(ids: Int32Array, size: number): Int32Array {
  const count = ids.length - size + 1;
  if (count <= 0) return new Int32Array(0);
  const out = new Int32Array(count);
  let power = 1;
  for (let i = 0; i < size - 1; i++) power = Math.imul(power, BASE);
  let hash = 0;
  for (let i = 0; i < size; i++) hash = (Math.imul(hash, BASE) + (ids[i] as number)) | 0;
  out[0] = hash;
  for (let i = 1; i < count; i++) {
    hash =
      (Math.imul(hash - Math.imul(ids[i - 1] as number, power), BASE) +
        (ids[i + size - 1] as number)) |
      0;
    out[i] = hash;
  }
  return out;
}

/**
 * The first occurrence of every window hash, in an open-addressing table of one typed array: each
 * slot holds the hash and the occurrence's position in all streams (plus one: zero is empty), side
 * by side, so a probe reads one cache line and the table needs no filling. (A `Map` of a million
 * entries costs ten times the memory and time.)
 */
class FirstOccurrences {
  readonly #mask: number;
  readonly #shift: number;
  readonly #slots: Int32Array;

  constructor(windows: number) {
    let bits = 10;
    while (1 << bits < windows + (windows >> 1) && bits < 30) bits++;
    this.#mask = (1 << bits) - 1;
    this.#shift = 32 - bits;
    this.#slots = new Int32Array(2 << bits);
  }

  /** The slot holding `hash`, or the empty slot where it would go. */
  slot(hash: number): number {
    const slots = this.#slots;
    let slot = Math.imul(hash, 0x9e3779b1) >>> this.#shift;
    while (slots[2 * slot + 1] !== 0 && slots[2 * slot] !== hash) slot = (slot + 1) & this.#mask;
    return slot;
  }

  /** The position recorded in `slot`, or -1 when it is empty. */
  occurrence(slot: number): number {
    return (this.#slots[2 * slot + 1] as number) - 1;
  }

  /** Records `hash` first occurring at `position` in the empty `slot`. */
  set(slot: number, hash: number, position: number): void {
    this.#slots[2 * slot] = hash;
    this.#slots[2 * slot + 1] = position + 1;
  }

  /** Records a first occurrence unless the hash is known. */
  add(hash: number, position: number): void {
    const slot = this.slot(hash);
    if (this.occurrence(slot) === -1) this.set(slot, hash, position);
  }
}

/** One copy found: `length` tokens at `at` in `stream` equal those at `originAt` in `origin`. */
interface Copy {
  readonly stream: number;
  readonly at: number;
  readonly origin: number;
  readonly originAt: number;
  readonly length: number;
}

/**
 * Finds clone classes — every group of fragments with the same normalised tokens, all N instances
 * (not pairs) — in time linear in the tokens: one pass over the streams looks each token window up
 * in a table of first occurrences; a hit is checked and extended token by token, and the pass
 * resumes after the copy. The copies of one origin fragment form one class (copies whose extents
 * differ only by a few boundary tokens included, cut to the tokens they share).
 * @param streams - token streams of the files
 * @param options - minimum size
 * @returns clone classes in a deterministic order (largest first)
 */
export function findClones(
  streams: readonly TokenStream[],
  options: CloneOptions = {},
): CloneClass[] {
  const minTokens = Math.max(2, options.minTokens ?? 60);
  const minLines = options.minLines ?? 6;
  // Positions in all streams: stream s starts at starts[s].
  const starts = new Int32Array(streams.length + 1);
  streams.forEach((stream, s) => {
    starts[s + 1] = (starts[s] as number) + stream.ids.length;
  });
  const streamAt = (position: number): number => {
    let low = 0;
    let high = streams.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const first = new FirstOccurrences(starts[streams.length] as number);
  const copies: Copy[] = [];
  streams.forEach((stream, s) => {
    const ids = stream.ids;
    const base = starts[s] as number;
    const hashes = windowHashes(ids, minTokens);
    let p = 0;
    while (p < hashes.length) {
      const hash = hashes[p] as number;
      const slot = first.slot(hash);
      const occurrence = first.occurrence(slot);
      if (occurrence === -1) {
        first.set(slot, hash, base + p);
        p++;
        continue;
      }
      const o = streamAt(occurrence);
      const q = occurrence - (starts[o] as number);
      const limit = o === s ? p - q : Number.POSITIVE_INFINITY; // a copy never overlaps itself
      const other = (streams[o] as TokenStream).ids;
      let length = 0;
      while (
        length < limit &&
        p + length < ids.length &&
        q + length < other.length &&
        ids[p + length] === other[q + length]
      )
        length++;
      if (length < minTokens) {
        p++; // a hash collision, or overlapping repeats: not a copy
        continue;
      }
      copies.push({ stream: s, at: p, origin: o, originAt: q, length });
      // Windows that run past the copy's end may occur here first.
      for (
        let k = Math.max(p + 1, p + length - minTokens + 1);
        k < p + length && k < hashes.length;
        k++
      )
        first.add(hashes[k] as number, base + k);
      p += length;
    }
  });

  // Copies of one origin fragment form a class. Copies whose extents differ by a few boundary tokens
  // (what precedes or follows each copy differs) are the same fragment: they join one class, cut to
  // the tokens all of them share.
  const byOrigin = new Map<number, Copy[]>();
  for (const copy of copies) {
    let list = byOrigin.get(copy.origin);
    if (list === undefined) byOrigin.set(copy.origin, (list = []));
    list.push(copy);
  }
  const groups: { origin: number; start: number; end: number; members: Copy[] }[] = [];
  for (const [origin, list] of byOrigin) {
    list.sort((x, y) => x.originAt - y.originAt || y.length - x.length);
    let current: (typeof groups)[number] | undefined;
    for (const copy of list) {
      const start = copy.originAt;
      const end = copy.originAt + copy.length;
      if (current !== undefined) {
        const shared = Math.min(current.end, end) - Math.max(current.start, start);
        const longer = Math.max(current.end - current.start, end - start);
        if (shared >= minTokens && shared >= SAME_FRAGMENT * longer) {
          current.start = Math.max(current.start, start);
          current.end = Math.min(current.end, end);
          current.members.push(copy);
          continue;
        }
      }
      current = { origin, start, end, members: [copy] };
      groups.push(current);
    }
  }
  const instance = (stream: number, at: number, length: number): CloneInstance => {
    const s = streams[stream] as TokenStream;
    return {
      file: s.file,
      startLine: s.lines[at] as number,
      endLine: s.lines[at + length - 1] as number,
    };
  };
  const found: {
    readonly content: string;
    readonly tokens: number;
    readonly lines: number;
    readonly instances: CloneInstance[];
  }[] = [];
  for (const { origin, start, end, members } of groups) {
    const length = end - start;
    const all = [
      instance(origin, start, length),
      ...members.map((c) => instance(c.stream, c.at + (start - c.originAt), length)),
    ];
    const unique = [...new Map(all.map((x) => [`${x.file}:${x.startLine}`, x])).values()].sort(
      compareInstances,
    );
    const head = unique[0] as CloneInstance;
    const lines = head.endLine - head.startLine + 1;
    if (unique.length < 2 || lines < minLines) continue;
    const originIds = (streams[origin] as TokenStream).ids;
    found.push({
      content: hashKey(originIds.subarray(start, end)),
      tokens: length,
      lines,
      instances: unique,
    });
  }
  found.sort(
    (x, y) =>
      y.lines * y.instances.length - x.lines * x.instances.length ||
      compareInstances(x.instances[0] as CloneInstance, y.instances[0] as CloneInstance),
  );
  // The id is the content's hash; the same content found twice (at other alignments) gets a suffix.
  const seen = new Map<string, number>();
  return found.map(({ content, tokens, lines, instances }) => {
    const n = (seen.get(content) ?? 0) + 1;
    seen.set(content, n);
    return { id: n === 1 ? content : `${content}.${n}`, tokens, lines, instances };
  });
}

function compareInstances(x: CloneInstance, y: CloneInstance): number {
  return x.file < y.file ? -1 : x.file > y.file ? 1 : x.startLine - y.startLine;
}

function hashKey(ids: Int32Array): string {
  let h1 = 0x811c9dc5;
  for (let i = 0; i < ids.length; i++) {
    h1 ^= ids[i] as number;
    h1 = Math.imul(h1, 0x01000193);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0");
}
