// A greedy pick of nodes to drop until the bytes the caller asked to remove are reached: a local
// sum toward a requested amount, no total kept under a limit.
// expect: none
function selectNodesToPrune(leaves, bytesToRemove) {
  const pruned = new Set();
  const queue = [...leaves].sort((a, b) => b.size - a.size);
  let bytesRemoved = 0;
  while (queue.length > 0 && bytesRemoved < bytesToRemove) {
    const node = queue.shift();
    pruned.add(node);
    bytesRemoved += node.size - 2;
  }
  return pruned;
}

module.exports = { selectNodesToPrune };
