// A client given back to the pool gets an idle timer that removes it while the pool is above its
// floor; the timer's handle goes on the idle list with it, to be cleared when it is reused.
// expect: memory/pool-idle-expiry 14-19 elim 4 "idle for the delay"
class IdleItem {
  constructor(client, timeoutId) {
    this.client = client;
    this.timeoutId = timeoutId;
  }
}

function release(pool, client) {
  let tid;
  if (pool.idleTimeoutMillis && pool.size > pool.min) {
    tid = setTimeout(() => {
      if (pool.size > pool.min) pool.remove(client);
    }, pool.idleTimeoutMillis);
    tid.unref();
  }
  pool.idle.push(new IdleItem(client, tid));
}

module.exports = { release };
