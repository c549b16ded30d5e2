// Get-or-load over an LRU whose API stores with `add(key, value)`: the file read on a miss, and a
// fetched document kept per origin behind an early return.
// expect: caching/cache-aside 16-23 elim 5 "loaded (I/O or a callback)"
// expect: caching/cache-aside 25-32 elim 4 "loaded (I/O or a callback)"
import { readFile } from "node:fs/promises";

interface Lru<V> {
  get(key: string): V | undefined;
  add(key: string, value: V): void;
}

declare const scripts: Lru<string>;
declare const documents: Lru<string>;
declare function fetchDocument(origin: string): Promise<string>;

export async function scriptFor(path: string): Promise<string> {
  let contents = scripts.get(path);
  if (!contents) {
    contents = await readFile(path, "utf8");
    scripts.add(path, contents);
  }
  return contents;
}

export async function documentFor(url: string): Promise<string> {
  const origin = new URL(url).origin;
  const cached = documents.get(origin);
  if (cached) return cached;
  const doc = await fetchDocument(url);
  documents.add(origin, doc);
  return doc;
}
