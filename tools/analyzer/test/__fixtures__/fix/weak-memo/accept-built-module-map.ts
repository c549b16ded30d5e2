// A value built up after it is made, kept in a module Map: memoize over a named cache is not
// given that compute, so only the store changes (the code that builds and stores it stays).
const indexCache = new Map<string, Map<string, number>>();

export function indexOf(text: string): Map<string, number> {
  let index = indexCache.get(text);
  if (index === undefined) {
    index = new Map<string, number>();
    for (const word of text.split(" ")) index.set(word, (index.get(word) ?? 0) + 1);
    indexCache.set(text, index);
  }
  return index;
}
