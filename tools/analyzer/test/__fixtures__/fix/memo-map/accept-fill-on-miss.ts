const widthCache = new Map<string, number>();

// The slot is filled on a miss and returned after the branch.
export function widthOf(text: string): number {
  let width = widthCache.get(text);
  if (width === undefined) {
    const chars = Array.from(text.normalize("NFC"));
    width = chars.length;
    widthCache.set(text, width);
  }
  return width;
}
