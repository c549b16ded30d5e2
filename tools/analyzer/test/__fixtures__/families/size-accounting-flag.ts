// Keep-alive requests share a cumulative body budget: whether the next body would go over it is
// kept in a local, and only within budget is it added (and released when the request ends).
// expect: memory/size-accounting 12-16 elim 5 "compared with the limit `MAX_KEEPALIVE_BODY_SIZE`"
const MAX_KEEPALIVE_BODY_SIZE = 60_000;
let pendingBodySize = 0;

export async function send(
  data: Uint8Array,
  post: (body: Uint8Array, keepalive: boolean) => Promise<void>,
): Promise<void> {
  const requestSize = data.byteLength;
  const wouldExceed = pendingBodySize + requestSize > MAX_KEEPALIVE_BODY_SIZE;
  const keepalive = !wouldExceed;
  if (keepalive) {
    pendingBodySize += requestSize;
  }
  try {
    await post(data, keepalive);
  } finally {
    if (keepalive) pendingBodySize -= requestSize;
  }
}
