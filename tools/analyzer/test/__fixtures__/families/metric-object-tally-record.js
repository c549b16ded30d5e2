// A tally record declared at the top of a helper and counted in handlers far below: the zeroed
// literal is a construct of its own, the counting another.
// expect: monitoring/metric-object 6-11 elim 6 "declared together as zeroed fields"
// expect: monitoring/metric-object 34-42 elim 4 "only incremented"
function bulk(client, items, onDone) {
  const stats = {
    total: 0,
    failed: 0,
    successful: 0,
    aborted: false,
  };
  let index = 0;
  const started = new Set();

  function nextBatch() {
    const batch = [];
    while (index < items.length && batch.length < 100) {
      const item = items[index];
      index += 1;
      if (started.has(item.id)) continue;
      started.add(item.id);
      batch.push(item);
    }
    return batch;
  }

  function send() {
    const batch = nextBatch();
    if (batch.length === 0) {
      onDone(stats);
      return;
    }
    client.write(batch, (err, result) => {
      stats.total += batch.length;
      if (err) {
        stats.failed += batch.length;
        stats.aborted = true;
        return;
      }
      for (const r of result.items) {
        if (r.ok) stats.successful++;
        else stats.failed++;
      }
      send();
    });
  }

  send();
}

module.exports = { bulk };
