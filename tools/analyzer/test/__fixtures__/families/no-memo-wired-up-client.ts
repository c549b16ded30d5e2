// A live client per address, wired up with methods before it is kept: a registry of connections
// (it is handed out to share one client per address), not a value worked out from the key.
// expect: none
interface Handle {
  readonly id: number;
  ping?: () => Promise<void>;
  close?: () => void;
}

declare function open(address: string): { readonly handle: Handle };
declare function send(id: number, message: string): Promise<void>;

export class Clients {
  readonly #byAddress: Record<string, Handle | undefined> = {};

  clientFor(address: string): Handle {
    let client = this.#byAddress[address];
    if (client === undefined) {
      client = open(address).handle;
      const id = client.id;
      client.ping = () => send(id, "ping");
      client.close = () => {
        this.#byAddress[address] = undefined;
      };
      this.#byAddress[address] = client;
    }
    return client;
  }
}
