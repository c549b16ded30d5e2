// Connections per host: a miss opens a connection in a method that registers the new instance.
// A registry of live objects, not a cache.
// expect: none
import { Connection } from "./connection.js";

export class Hosts {
  #open = new Map();

  connection(host, callback) {
    const current = this.#open.get(host.id);
    if (current !== undefined) {
      callback(null, current);
      return;
    }
    host.ready(() => {
      this.#connect(host);
      callback(null, this.#open.get(host.id));
    });
  }

  #connect(host) {
    const connection = new Connection(host.address);
    this.#open.set(host.id, connection);
  }
}
