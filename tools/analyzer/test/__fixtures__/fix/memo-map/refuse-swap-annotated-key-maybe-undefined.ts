// As refuse-swap-key-maybe-undefined.ts, the key type written on the declaration instead of on
// `new Map()`: the store is not swapped either.
const labels: Map<string | undefined, string> = new Map();

export function labelFor(name: string | undefined): string {
  if (name === "") {
    return "(empty)";
  }
  let label = labels.get(name);
  if (label === undefined) {
    label = `<${name ?? "anonymous"}>`;
    labels.set(name, label);
  }
  return label;
}
