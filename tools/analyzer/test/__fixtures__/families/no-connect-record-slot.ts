// A client made by another method and kept with its pending connection in a record: in-flight work
// and a live resource, not a computed value kept.
// expect: none
interface Client {
  connect(): Promise<Client>;
}

declare function createClient(address: string): Client;

export class Subscriber {
  #state: { client: Client; ready: Promise<Client> } | undefined;

  constructor(private readonly address: string) {}

  client(): Promise<Client> {
    if (!this.#state) return this.#start();
    return this.#state.ready;
  }

  #start(): Promise<Client> {
    const client = createClient(this.address);
    const ready = client.connect();
    this.#state = { client, ready };
    return ready;
  }
}
