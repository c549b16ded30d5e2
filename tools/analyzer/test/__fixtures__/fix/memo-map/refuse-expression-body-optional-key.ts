// A memo written as an arrow with an expression body whose key may be undefined: planning it must
// not assume a block body (it once threw reading the body's statements on real code), and the
// store keyed by `string | undefined` is not swapped for a cache (which takes no undefined key).
const widths = new Map<string | undefined, number>();

function measure(text: string | undefined): number {
  return (text ?? "").length * 7;
}

export const widthOf = (text?: string): number =>
  widths.has(text)
    ? (widths.get(text) as number)
    : (widths.set(text, measure(text)), measure(text));
