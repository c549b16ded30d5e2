// The wait honours the server's Retry-After, read from the error of the failed attempt.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface HttpError extends Error {
  readonly retryAfterMs?: number;
}

export async function send(post: () => Promise<Response>): Promise<Response> {
  for (let i = 1; i <= 4; i++) {
    try {
      return await post();
    } catch (err) {
      if (i === 4) throw err;
      await sleep((err as HttpError).retryAfterMs ?? 250 * i);
    }
  }
  throw new Error("unreachable");
}
