// A listening client made once and kept for the life of the connection; close() waits for it and
// empties the slot. A lazily made handle, not work shared while it runs.
// expect: none
interface Client {
  connect(): Promise<void>;
  end(): Promise<void>;
}

export class Listener {
  private clientPromise: Promise<Client> | undefined;

  constructor(private readonly make: () => Client) {}

  getClient(): Promise<Client> {
    if (!this.clientPromise) {
      this.clientPromise = (async () => {
        const client = this.make();
        await client.connect();
        return client;
      })();
    }
    return this.clientPromise;
  }

  async close(): Promise<void> {
    const client = await this.clientPromise?.catch((): undefined => undefined);
    this.clientPromise = undefined;
    await client?.end();
  }
}
