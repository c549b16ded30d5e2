// A visited set guards a walk against cycles; it lives for one walk.
// expect: none
function collectNames(root) {
  const seen = new Set();
  const names = [];
  const visit = (node) => {
    if (seen.has(node)) return;
    seen.add(node);
    names.push(node.name);
    for (const child of node.children) visit(child);
  };
  visit(root);
  return names;
}

module.exports = { collectNames };
