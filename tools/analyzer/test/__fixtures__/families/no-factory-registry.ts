// A client made by a factory per address and kept in a map whose entries are walked to close
// them: a registry of live objects, not a cache.
// expect: none
interface Client {
  close(): void;
}

function createClient(address: string): Client {
  return { close: () => console.log(`closed ${address}`) };
}

export class Clients {
  readonly #byAddress = new Map<string, Client>();

  clientFor(address: string): Client {
    const found = this.#byAddress.get(address);
    if (found) {
      return found;
    }
    const client = createClient(address);
    this.#byAddress.set(address, client);
    return client;
  }

  closeAll(): void {
    for (const client of this.#byAddress.values()) client.close();
    this.#byAddress.clear();
  }
}
