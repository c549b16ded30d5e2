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

function hasMember(node) {
  return node.items.some((item) => item.kind === "member" || hasMember(item));
}

function anyMember(refs) {
  for (let i = 0; i < refs.length; i++) {
    const target = refs[i].target;
    if (hasMember(target)) return true;
  }
  return false;
}

module.exports.anyMember = anyMember;
