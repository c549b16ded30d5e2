const wordIndexes = new Map<string, Map<string, number>>();

// A memo whose values are maps built by the compute: two maps in the lines, one of them the memo.
export function wordIndex(text: string): Map<string, number> {
  const hit = wordIndexes.get(text);
  if (hit !== undefined) return hit;
  const index = new Map<string, number>();
  for (const word of text.split(" ")) index.set(word, word.length);
  wordIndexes.set(text, index);
  return index;
}
