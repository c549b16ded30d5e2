// A define-once registry beside a memo: a named definition is made on first request, handed out
// by identity; a later request under the name with another shape throws on the hit path. Not a
// memo (nothing is recomputed) nor a cache (an entry may never be dropped); the memo below is.
// expect: caching/memoize 27-36 elim 5 "computed on a miss"
interface Definition {
  readonly name: string;
  readonly fields: readonly string[];
}

declare function build(name: string, fields: readonly string[]): Definition;
const definitions = new Map<string, Definition>();

export function define(name: string, fields: readonly string[]): Definition {
  const existing = definitions.get(name);
  if (existing !== undefined) {
    if (existing.fields.join() !== fields.join()) {
      throw new Error(`${name} is already defined with fields ${existing.fields.join(", ")}`);
    }
    return existing;
  }
  const made = build(name, fields);
  definitions.set(name, made);
  return made;
}

// The near miss: a store whose hit is served as it is — a memo, still reported.
const shapes = new Map<string, string>();

export function shapeOf(fields: readonly string[]): string {
  const key = fields.join("|");
  const hit = shapes.get(key);
  if (hit !== undefined) return hit;
  const shape = [...fields].sort().join(",");
  shapes.set(key, shape);
  return shape;
}
