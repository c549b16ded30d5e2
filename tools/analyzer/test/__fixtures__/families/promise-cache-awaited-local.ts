// Near miss of the shared request: the promise kept in a local and awaited is never deleted, so the
// map keeps every result — a promise cache.
// expect: caching/promise-cache 4-13 elim 6 "the promise itself is kept"
const loaded = new Map<string, Promise<string>>();

export async function lookup(id: string, load: (id: string) => Promise<string>): Promise<string> {
  let request = loaded.get(id);
  if (!request) {
    request = load(id);
    loaded.set(id, request);
  }
  return await request;
}
