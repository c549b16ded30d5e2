// Concurrent fetches of one URL share the request in flight; the entry is deleted in the `finally`
// below once it settles — the release is the sharing's too, the log lines between are not.
// expect: response/dedup 4-21 elim 9 "removed when it settles, so later calls start afresh"
const pending = new Map<string, Promise<string>>();

export async function fetchOnce(
  url: string,
  get: (u: string) => Promise<string>,
  log: (m: string) => void,
): Promise<string> {
  log(`fetch ${url}`);
  const running = pending.get(url);
  if (running !== undefined) return running;
  const request = get(url);
  pending.set(url, request);
  log("started");
  try {
    return await request;
  } finally {
    pending.delete(url);
  }
}
