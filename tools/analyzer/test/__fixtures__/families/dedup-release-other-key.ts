// The `finally` deletes another key of the map (the alias the request was also filed under): not
// this flow's release, so the range stops at the write.
// expect: response/dedup 4-16 elim 5 "removed when it settles, so later calls start afresh"
const pending = new Map<string, Promise<string>>();

export async function fetchAliased(
  url: string,
  alias: string,
  get: (u: string) => Promise<string>,
  record: (m: string) => void,
): Promise<string> {
  const running = pending.get(url);
  if (running !== undefined) return running;
  const request = get(url);
  pending.set(url, request);
  request.finally(() => pending.delete(url));
  try {
    record(alias);
    return await request;
  } finally {
    pending.delete(alias);
  }
}
