// Chunks that no longer hold every module are dropped from the used set; when fewer are left than
// the item had, it goes back on the queue. A set compared with another set's size, not a count of
// running work.
// expect: none
function recheck(item, usedChunks, holds, requeue) {
  for (const chunk of [...usedChunks]) {
    item.modules.forEach((module) => {
      if (!holds(chunk, module)) usedChunks.delete(chunk);
    });
  }
  if (usedChunks.size < item.chunks.size) {
    item.extra.forEach((chunk) => usedChunks.add(chunk));
    requeue(item);
  }
}

module.exports = { recheck };
