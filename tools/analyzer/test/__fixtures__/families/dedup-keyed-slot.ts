// A reconnect in flight is kept on the client under a symbol and awaited by every caller.
// expect: response/dedup 10-14 elim 5 "emptied when it settles"
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
