// Tallies kept in a plugin's closure, counted in one hook and logged together then reset in
// another; a pool's response count read and reset by a health check.
// expect: monitoring/counter 9-12 elim 3 "only incremented"
// expect: monitoring/counter 18-20 elim 3 "read together for a report"
// expect: monitoring/counter 28-32 elim 2 "only incremented"
// expect: monitoring/counter 37-38 elim 2 "read and reset to 0"
function apply(hooks, logger) {
  let realResolves = 0;
  let cachedResolves = 0;
  hooks.resolve.tap((request, cached) => {
    if (cached) cachedResolves++;
    else realResolves++;
  });
  // Once a build ends, the tallies are printed with the other statistics of the run and start
  // again for the next one.
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
