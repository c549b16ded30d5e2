// A count taken while a helper walks one value, then returned with the result: arithmetic of
// one call, not a metric.
// expect: none
function describe(pattern) {
  let wildcards = 0;
  function walk(part) {
    if (part.kind === "star") {
      wildcards++;
      return null;
    }
    return part.children ? part.children.map(walk) : [part.text];
  }
  const parts = walk(pattern);
  return { parts, wildcards };
}

module.exports = { describe };
