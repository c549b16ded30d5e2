// Near miss of no-memo-random-id: an id worked out from the key (a digest of the path) on a miss
// and kept per key — the same answer every time, a memo.
// expect: caching/memoize 6-15 elim 6 "computed on a miss"
import { createHash } from "node:crypto";

const ids = new Map<string, string>();

export function idFor(path: string): string {
  let id = ids.get(path);
  if (id === undefined) {
    id = createHash("sha1").update(path).digest("hex").slice(0, 12);
    ids.set(path, id);
  }
  return id;
}
