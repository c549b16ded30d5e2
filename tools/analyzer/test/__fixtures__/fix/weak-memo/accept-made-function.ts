// The memo's value is a function the compute makes: its own `return` is not the compute's.
type Comparator<T> = (a: T, b: T) => number;

const orderedArrayFunctions = new WeakMap<Comparator<string>, (set: Set<string>) => string[]>();

export function orderedArrayFunction(
  comparator: Comparator<string>,
): (set: Set<string>) => string[] {
  const cached = orderedArrayFunctions.get(comparator);
  if (cached !== undefined) return cached;
  const fn = (set: Set<string>): string[] => {
    return [...set].sort(comparator);
  };
  orderedArrayFunctions.set(comparator, fn);
  return fn;
}
