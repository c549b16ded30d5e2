// A tree walked by index: each call gets its own child, nothing is shared or limited.
// expect: none
function visit(node, seen) {
  seen.push(node.name);
  for (let i = 0; i < node.children.length; i++) {
    visit(node.children[i], seen);
  }
  return seen;
}

async function visitAll(roots, load, seen) {
  for (let i = 0; i < roots.length; i++) {
    await load(roots[i]).then((tree) => visit(tree, seen));
  }
}

module.exports = { visit, visitAll };
