// The request is made by a plain call and kept in a local that is awaited afterwards: a promise,
// shared while it runs and deleted when it settles — in-flight sharing, not a memo.
// expect: response/dedup 4-16 elim 10 "removed when it settles, so later calls start afresh"
const pending = new Map<string, Promise<string>>();

export async function lookup(id: string, load: (id: string) => Promise<string>): Promise<string> {
  let request = pending.get(id);
  if (!request) {
    request = load(id);
    pending.set(id, request);
  }
  try {
    return await request;
  } finally {
    pending.delete(id);
  }
}
