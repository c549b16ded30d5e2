const widths = new Map<string, number>();
let empties = 0;

export function widthOf(text: string): number {
  if (text === "") {
    empties += 1;
    return 0;
  }
  const known = widths.get(text);
  if (known !== undefined) return known;
  const width = [...text].length;
  widths.set(text, width);
  return width;
}
