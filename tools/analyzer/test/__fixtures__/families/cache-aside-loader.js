// Host addresses looked up once: a miss resolves the name and hands the answer to a method that
// builds the entry and stores it; the next lookup of the host is served from the map.
// expect: caching/cache-aside 10-24 elim 7 "on a miss calls `#remember`, which makes the value and stores it"
import { lookup } from "node:dns";

export class Resolver {
  #records = new Map();

  resolve(host, callback) {
    const known = this.#records.get(host.name);
    if (known !== undefined) {
      callback(null, known);
      return;
    }
    lookup(host.name, { all: true }, (err, addresses) => {
      if (err) return callback(err);
      this.#remember(host, addresses);
      callback(null, this.#records.get(host.name));
    });
  }

  #remember(host, addresses) {
    const entry = addresses.map((a) => `${a.address}:${host.port}`);
    this.#records.set(host.name, entry);
  }
}
