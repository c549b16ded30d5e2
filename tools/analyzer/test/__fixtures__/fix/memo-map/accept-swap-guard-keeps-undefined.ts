// The guard returns on an empty name but lets `undefined` through: no memo is moved out past it
// (it would take `undefined` as a key); only the store changes.
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
