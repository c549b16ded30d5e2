// Concurrent lookups of one user share the request in flight; the entry goes when it settles. The
// map beside the function that exists for the sharing, and the function, are the range.
// expect: response/dedup 4-13 elim 8 "removed when it settles"
const inFlight = new Map<string, Promise<unknown>>();
export function lookupUser(id: string, load: (id: string) => Promise<unknown>): Promise<unknown> {
  const running = inFlight.get(id);
  if (running !== undefined) return running;
  const request = load(id).finally(() => {
    inFlight.delete(id);
  });
  inFlight.set(id, request);
  return request;
}
