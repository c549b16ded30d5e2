// Look-alike: a module variable given a call's result made from the first caller's argument and
// handed to every later caller (whatever they pass): a lazily made singleton, not a memo.
// expect: none
interface Formatter {
  format(n: number): string;
}

function buildFormatter(locale: string): Formatter {
  const nf = new Intl.NumberFormat(locale);
  return { format: (n) => nf.format(n) };
}

let formatter: Formatter | undefined;

export function formatterFor(locale: string): Formatter {
  if (!formatter) {
    formatter = buildFormatter(locale);
  }
  return formatter;
}
