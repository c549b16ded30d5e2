// Two bulkheads made by two factories, each with its own running count of the same name: two
// limiters, reported apart.
// expect: response/concurrency-limit 5-19 elim 15 "counts running tasks"
// expect: response/concurrency-limit 21-35 elim 15 "counts running tasks"
function actionBulkhead(handler, limit) {
  let inFlight = 0;
  const queue = [];
  const next = () => {
    if (queue.length === 0 || inFlight >= limit) return;
    const item = queue.shift();
    inFlight++;
    handler(item.ctx).then((res) => {
      inFlight--;
      item.resolve(res);
      next();
    });
  };
  return (ctx) => new Promise((resolve) => { queue.push({ ctx, resolve }); next(); });
}

function eventBulkhead(handler, limit) {
  let inFlight = 0;
  const queue = [];
  const next = () => {
    if (queue.length === 0 || inFlight >= limit) return;
    const item = queue.shift();
    inFlight++;
    handler(item.ctx).then((res) => {
      inFlight--;
      item.resolve(res);
      next();
    });
  };
  return (ctx) => new Promise((resolve) => { queue.push({ ctx, resolve }); next(); });
}

module.exports = { actionBulkhead, eventBulkhead };
