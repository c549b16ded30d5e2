// A client opened on first use by another method: a resource made once, not a value computed and
// kept (lazy initialisation is left out by the labelling convention).
// expect: none
interface Client {
  connect(): Promise<void>;
}

declare function createClient(url: string): Client;

export class Database {
  #client: Client | undefined;

  constructor(private readonly url: string) {}

  async client(): Promise<Client | undefined> {
    if (!this.#client) {
      await this.#open();
    }
    return this.#client;
  }

  async #open(): Promise<void> {
    this.#client = createClient(this.url);
    await this.#client.connect();
  }
}
