// A parse cache that may be switched off: the read sits behind a guard of its store.
// expect: caching/memoize 6-15 elim 5 "reads `lru.get(source)` and checks it"
import { parse } from "./parser.js";

export function makeRunner(limit: number) {
  const lru = limit > 0 ? new Map<string, { doc: unknown }>() : null;
  return function run(source: string): unknown {
    const cached = lru !== null && lru.get(source);
    let doc = null;
    if (!cached) {
      doc = parse(source);
      if (lru) {
        lru.set(source, { doc });
      }
    } else {
      doc = cached.doc;
    }
    return doc;
  };
}
