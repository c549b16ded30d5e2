// Tallies kept in a plugin's closure, counted in one hook and logged together then reset in
// another; a pool's response count read and reset by a health check.
// expect: monitoring/counter 10-13 elim 3 "only incremented"
// expect: monitoring/counter 17-19 elim 3 "read together for a report"
// expect: monitoring/counter 27-31 elim 2 "only incremented"
// expect: monitoring/counter 36-37 elim 2 "read and reset to 0"
function apply(hooks, logger) {
  let realResolves = 0;
  let cachedResolves = 0;
  hooks.resolve.tap((request, cached) => {
    if (cached) cachedResolves++;
    else realResolves++;
  });
  hooks.finish.tap(() => {
    if (realResolves + cachedResolves > 0) {
      logger.log(`${realResolves} real resolves, ${cachedResolves} cached`);
      realResolves = 0;
      cachedResolves = 0;
    }
  });
}

class HostPool {
  constructor(connections) {
    this.connections = connections;
    this.responseCounter = 0;
  }

  onResponse(connection, response) {
    this.responseCounter++;
    connection.handle(response);
  }

  getAndResetResponseCounter() {
    const count = this.responseCounter;
    this.responseCounter = 0;
    return count;
  }
}

module.exports = { apply, HostPool };
