// A traversal's work stack: popped and pushed, nothing reused.
// expect: none
interface Tree { readonly children: readonly Tree[] }
export function count(root: Tree): number {
  const work: Tree[] = [root];
  let total = 0;
  while (work.length > 0) {
    const node = work.pop() as Tree;
    total++;
    for (const child of node.children) work.push(child);
  }
  return total;
}
