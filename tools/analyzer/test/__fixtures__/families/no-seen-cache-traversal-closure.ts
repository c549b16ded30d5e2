// A traversal's visited set in the enclosing call: per call, not kept — no seen-cache.
// expect: none
interface Node {
  readonly children: Node[];
}
export function countReachable(root: Node): number {
  const visited = new Set<Node>();
  function visit(n: Node): void {
    if (visited.has(n)) return;
    visited.add(n);
    n.children.forEach(visit);
  }
  visit(root);
  return visited.size;
}
