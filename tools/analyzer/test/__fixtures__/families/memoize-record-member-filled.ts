// A resolution record whose lists are filled through its members before it is stored.
// expect: caching/memoize 5-20 elim 7 "writes `resolved.set(spec, res)` on a miss"
import { resolveOne } from "./resolve.js";

const resolved = new Map<string, { files: string[]; missing: string[] }>();

export function resolveAll(spec: string, names: readonly string[]) {
  const hit = resolved.get(spec);
  if (hit) {
    return hit;
  }
  const res = { files: [] as string[], missing: [] as string[] };
  for (const name of names) {
    const file = resolveOne(spec, name);
    if (file === undefined) res.missing.push(name);
    else res.files.push(file);
  }
  resolved.set(spec, res);
  return res;
}
