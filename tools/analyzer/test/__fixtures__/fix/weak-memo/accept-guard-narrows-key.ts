const ABSENT = "\u0002";
const arrayKeys = new WeakMap<ReadonlyArray<string>, string>();

export function keyForArray(array: ReadonlyArray<string> | undefined): string {
  if (array == null) {
    return ABSENT;
  }
  let key = arrayKeys.get(array);
  if (key === undefined) {
    key = JSON.stringify(array);
    arrayKeys.set(array, key);
  }
  return key;
}
