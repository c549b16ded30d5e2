// Buffer lengths summed and written as parts of at most 2 GiB each: the total is cut into pieces
// for framing, nothing is bounded.
// expect: none
function partLengths(items) {
  const lengths = [];
  for (const item of items) {
    let l = 0;
    for (const b of item) l += b.length;
    while (l > 0x7fffffff) {
      lengths.push(0x7fffffff);
      l -= 0x7fffffff;
    }
    lengths.push(l);
  }
  return lengths;
}

module.exports = { partLengths };
