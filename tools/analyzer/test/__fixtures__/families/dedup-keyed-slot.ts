// A reconnect in flight, kept under a symbol and awaited by every caller: the function is its range.
// expect: response/dedup 9-16 elim 6 "emptied when it settles"
const reconnecting = Symbol("reconnecting");

interface Client {
  [reconnecting]?: Promise<void> | null;
}

export async function reconnect(client: Client, run: () => Promise<void>): Promise<void> {
  if (!client[reconnecting]) {
    client[reconnecting] = run().finally(() => {
      client[reconnecting] = null;
    });
  }
  await client[reconnecting];
}
