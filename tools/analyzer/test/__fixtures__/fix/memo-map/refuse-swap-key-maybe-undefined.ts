// The guard returns on an empty name but lets `undefined` through, and the Map's keys are typed to
// hold it: no memo is moved out past the guard, and the store is not swapped either (the cache
// takes no `undefined` key; the swap once planned here did not type-check).
const labels = new Map<string | undefined, string>();

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
