import { ts } from "ts-morph";

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

const vocabulary = new Map<string, number>();
const IDENTIFIER = 1;
const LITERAL = 2;

function idOf(text: string): number {
  let id = vocabulary.get(text);
  if (id === undefined) vocabulary.set(text, (id = vocabulary.size + 10));
  return id;
}

/**
 * Scans a file into normalised tokens (no parse: the scanner only), skipping comments and trivia.
 * Identifiers become one id and literals another, so renamed copies still match (Type-2).
 * @param file - relative path
 * @param text - source text
 * @param variant - TS or JSX flavour
 * @returns the stream
 */
export function tokenize(
  file: string,
  text: string,
  variant: ts.LanguageVariant = ts.LanguageVariant.Standard,
): TokenStream {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const ids: number[] = [];
  const lines: number[] = [];
  let line = 1;
  let lastPos = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const start = scanner.getTokenStart();
    for (let i = lastPos; i < start; i++) if (text.charCodeAt(i) === 10) line++;
    lastPos = start;
    let id: number;
    if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.PrivateIdentifier)
      id = IDENTIFIER;
    else if (
      kind === ts.SyntaxKind.StringLiteral ||
      kind === ts.SyntaxKind.NumericLiteral ||
      kind === ts.SyntaxKind.BigIntLiteral ||
      kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
      kind === ts.SyntaxKind.TemplateHead ||
      kind === ts.SyntaxKind.TemplateMiddle ||
      kind === ts.SyntaxKind.TemplateTail ||
      kind === ts.SyntaxKind.RegularExpressionLiteral
    )
      id = LITERAL;
    else id = idOf(ts.SyntaxKind[kind] ?? String(kind));
    ids.push(id);
    lines.push(line);
  }
  return { file, ids: Int32Array.from(ids), lines: Int32Array.from(lines) };
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
  // Maximal matches between pairs of positions sharing a window, then grouped by their token text.
  const regions = new Map<string, { tokens: number; instances: Map<string, CloneInstance> }>();
  const covered = streams.map((s) => new Uint8Array(s.ids.length));
  streams.forEach((stream, a) => {
    const list = hashes[a] as Int32Array;
    for (let i = 0; i < list.length; i++) {
      if ((covered[a] as Uint8Array)[i] === 1) continue;
      const bucket = index.get(list[i] as number);
      if (bucket === undefined || bucket.length < 2) continue;
      for (const packed of bucket) {
        const b = Math.floor(packed / 2 ** 24);
        const j = packed % 2 ** 24;
        if (b === a && j === i) continue;
        const other = streams[b] as TokenStream;
        let length = 0;
        while (
          i + length < stream.ids.length &&
          j + length < other.ids.length &&
          stream.ids[i + length] === other.ids[j + length] &&
          !(b === a && i + length === j)
        )
          length++;
        if (length < minTokens) continue;
        const lines = (stream.lines[i + length - 1] as number) - (stream.lines[i] as number) + 1;
        if (lines < minLines) continue;
        const key = Array.prototype.join.call(stream.ids.subarray(i, i + length), ",");
        let region = regions.get(key);
        if (region === undefined)
          regions.set(key, (region = { tokens: length, instances: new Map() }));
        const add = (s: TokenStream, at: number): void => {
          const inst = {
            file: s.file,
            startLine: s.lines[at] as number,
            endLine: s.lines[at + length - 1] as number,
          };
          region?.instances.set(`${inst.file}:${inst.startLine}`, inst);
        };
        add(stream, i);
        add(other, j);
        (covered[a] as Uint8Array).fill(1, i, i + length - minTokens + 1);
        (covered[b] as Uint8Array).fill(1, j, j + length - minTokens + 1);
      }
    }
  });
  const classes: CloneClass[] = [];
  for (const [key, region] of regions) {
    const instances = [...region.instances.values()].sort(
      (x, y) => x.file.localeCompare(y.file) || x.startLine - y.startLine,
    );
    if (instances.length < 2) continue;
    const first = instances[0] as CloneInstance;
    classes.push({
      id: hashKey(key),
      tokens: region.tokens,
      lines: first.endLine - first.startLine + 1,
      instances,
    });
  }
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
