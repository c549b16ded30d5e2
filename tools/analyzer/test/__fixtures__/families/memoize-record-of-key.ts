// An attribute record made from the name once and handed out again (no allocation per call).
// expect: caching/memoize 3-12 elim 6 "writes `ATTRS.set(name, attr)` on a miss"
const ATTRS = new Map<string, { "space.name": string }>();

export function attrsFor(name: string): { "space.name": string } {
  let attr = ATTRS.get(name);
  if (!attr) {
    attr = { "space.name": name };
    ATTRS.set(name, attr);
  }
  return attr;
}
