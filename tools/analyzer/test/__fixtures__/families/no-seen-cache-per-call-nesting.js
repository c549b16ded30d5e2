// Sets per group built inside one call: the outer map is a local of the call — no seen-cache.
// expect: none
function groupUnique(items) {
  const byGroup = new Map();
  const out = [];
  for (const item of items) {
    let names = byGroup.get(item.group);
    if (!names) {
      names = new Set();
      byGroup.set(item.group, names);
    }
    if (!names.has(item.name)) {
      names.add(item.name);
      out.push(item);
    }
  }
  return out;
}
module.exports = { groupUnique };
