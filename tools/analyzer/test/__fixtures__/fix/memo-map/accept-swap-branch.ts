// A memo filled in a branch, its map untyped: the value stored is the one assigned just before.
const patterns = new Map();

export function matches(pattern: string, text: string): boolean {
  let regex = patterns.get(pattern);
  if (regex === undefined) {
    const source = "^" + pattern.replace(/\*/g, ".*") + "$";
    regex = new RegExp(source);
    patterns.set(pattern, regex);
  }
  return regex.test(text);
}
