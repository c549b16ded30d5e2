// Named parameters numbered in order of first use: a name seen again gets the number it was given
// (an index being assigned, not a value worked out from the name). The widths beside it are a memo:
// the stored number is measured from the key.
// expect: caching/memoize 18-25 elim 4 "computed on a miss"
export function numberParameters(sql: string, parameters: Record<string, unknown>) {
  const values: unknown[] = [];
  const numbers = new Map<string, number>();
  const text = sql.replace(/:(\w+)/g, (whole, name: string) => {
    if (!(name in parameters)) return whole;
    if (numbers.has(name)) return `$${String(numbers.get(name))}`;
    values.push(parameters[name]);
    numbers.set(name, values.length - 1);
    return `$${String(values.length - 1)}`;
  });
  return { text, values };
}

const widths = new Map<string, number>();
const segmenter = new Intl.Segmenter();

export function width(text: string): number {
  const known = widths.get(text);
  if (known !== undefined) return known;
  const graphemes = [...segmenter.segment(text)];
  widths.set(text, graphemes.length);
  return graphemes.length;
}
