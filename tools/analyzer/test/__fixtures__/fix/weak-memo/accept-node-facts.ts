interface Node {
  readonly kind: string;
  readonly children: readonly Node[];
}

const depths = new WeakMap<Node, number>();

export function depthOf(node: Node): number {
  const known = depths.get(node);
  if (known !== undefined) return known;
  let deepest = 0;
  for (const child of node.children) deepest = Math.max(deepest, child.kind.length);
  const depth = deepest + 1;
  depths.set(node, depth);
  return depth;
}
