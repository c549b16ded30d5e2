// A label memoised per node object in a WeakMap.
// expect: caching/memoize 5-14 elim 5 "computed on a miss"
interface Node { readonly kind: string; readonly parent?: Node }

const labels = new WeakMap<Node, string>();
export function labelOf(node: Node): string {
  const known = labels.get(node);
  if (known !== undefined) return known;
  const parts: string[] = [];
  for (let n: Node | undefined = node; n !== undefined; n = n.parent) parts.unshift(n.kind);
  const label = parts.join(" > ");
  labels.set(node, label);
  return label;
}
