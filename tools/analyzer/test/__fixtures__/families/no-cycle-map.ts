// A deep copy that remembers objects already copied in a map handed down the recursion: a guard
// against cycles for one traversal, not a cache kept across calls.
// expect: none
export function deepCopy<T>(value: T, cycles = new WeakMap<object, unknown>()): T {
  if (typeof value !== "object" || value === null) return value;
  if (cycles.has(value)) return cycles.get(value) as T;
  return copyObject(value, cycles);
}

function copyObject<T extends object>(source: T, cycles: WeakMap<object, unknown>): T {
  const copy = Object.create(Object.getPrototypeOf(source)) as T;
  cycles.set(source, copy);
  for (const key of Object.keys(source) as (keyof T)[]) copy[key] = deepCopy(source[key], cycles);
  return copy;
}
