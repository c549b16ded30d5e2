// Latency state per host: a record with an empty sample list made for a new host and handed out to
// be filled as pings come back — state kept per key, not a value computed from it.
// expect: none
class LatencyTable {
  constructor() {
    this.hosts = new Map();
  }

  getHost(node) {
    let info = this.hosts.get(node.hostname);
    if (typeof info === "undefined") {
      info = {
        samples: [],
        nodes: [node.id],
      };
      this.hosts.set(node.hostname, info);
    }
    return info;
  }

  record(node, ms) {
    const info = this.getHost(node);
    info.samples.push(ms);
    if (info.samples.length > 10) info.samples.shift();
  }
}

module.exports = { LatencyTable };
