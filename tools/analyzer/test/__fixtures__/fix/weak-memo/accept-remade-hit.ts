// The hit's `let` made again on a miss: the memo declares it.
type Comparator<T> = (a: T, b: T) => number;

const sortedCopies = new WeakMap<Comparator<number>, (items: Set<number>) => number[]>();

export function sortedCopy(comparator: Comparator<number>): (items: Set<number>) => number[] {
  let fn = sortedCopies.get(comparator);
  if (fn !== undefined) return fn;
  fn = (items) => [...items].sort(comparator);
  sortedCopies.set(comparator, fn);
  return fn;
}
