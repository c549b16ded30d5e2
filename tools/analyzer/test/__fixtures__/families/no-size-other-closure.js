// Lengths added up in one closure and a same-named local compared in another: two totals.
// expect: none
function collect(stream, done) {
  let total = 0;
  stream.on("data", (chunk) => {
    total += chunk.length;
  });
  stream.on("end", () => done(total));
}

function within(items, limit) {
  const total = items.reduce((n, item) => n + item.weight, 0);
  if (total > limit) throw new Error(`Expected at most ${limit}, got ${total}.`);
  return items;
}

module.exports = { collect, within };
