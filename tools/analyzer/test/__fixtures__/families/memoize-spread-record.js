// An object with one property set, made once per object, property and value and reused: a
// two-level memo of a derived object (the input spread into a new one).
// expect: caching/memoize 6-17 elim 5 "computed on a miss"
const byObject = new WeakMap();

export function withProperty(obj, property, value) {
  let byProperty = byObject.get(obj);
  if (byProperty === undefined) {
    byProperty = new Map();
    byObject.set(obj, byProperty);
  }
  let result = byProperty.get(property + "=" + String(value));
  if (result) return result;
  result = { ...obj, [property]: value };
  byProperty.set(property + "=" + String(value), result);
  return result;
}
