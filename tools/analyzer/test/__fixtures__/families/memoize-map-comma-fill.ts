// A Map filled in one expression: the lookup's local is given the compiled value on a miss.
// expect: caching/memoize 4-7 elim 3 "writes `compiled.set(src, (v = compile(src)))` on a miss"
import { compile } from "./compile.js";
const compiled = new Map<string, () => void>();
export function compiledFor(src: string): () => void {
  let v = compiled.get(src);
  return v ?? (compiled.set(src, (v = compile(src))), v);
}
