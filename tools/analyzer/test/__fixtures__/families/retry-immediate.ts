// Retries at once, a bounded number of times: a loop counting its tries down that leaves on
// success and goes round when an attempt throws; a lookup repeated while attempts time out; a
// commit that calls itself again with one retry fewer; a method that runs itself again with the
// try number raised by one.
// expect: response/retry-backoff 14-22 elim 9 "tries again at once"
// expect: response/retry-backoff 32-41 elim 10 "tries again at once"
// expect: response/retry-backoff 51-58 elim 8 "moved by one"
// expect: response/retry-backoff 63-73 elim 11 "moved by one"
export async function fetchSitemap(
  fetch: (url: string) => Promise<string>,
  url: string,
  retries: number,
): Promise<string | undefined> {
  let retriesLeft = retries + 1;
  while (retriesLeft-- > 0) {
    try {
      const body = await fetch(url);
      if (body.length > 0) return body;
    } catch (error) {
      console.warn(`sitemap ${url}: ${retriesLeft === 0 ? "no retries left" : "retrying"}`, error);
    }
  }
  return undefined;
}

export async function lookup(
  send: (signal: AbortSignal) => Promise<Buffer>,
  retries: number,
  timeoutMs: number,
): Promise<Buffer | undefined> {
  let response: Buffer | undefined;
  for (let i = 0; i <= retries; i++) {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      response = await send(signal);
      break;
    } catch (error) {
      if (signal.aborted) continue;
      throw error;
    }
  }
  return response;
}

interface Session {
  commitTransaction(): Promise<void>;
  endSession(): void;
}

export function commitSession(session: Session, transient: (e: unknown) => boolean): Promise<void> {
  const commit = (retries: number): Promise<void> =>
    session
      .commitTransaction()
      .catch((error: unknown) => {
        if (transient(error) && retries > 0) return commit(retries - 1);
        throw error;
      })
      .then(() => session.endSession());
  return commit(5);
}

export class Crawler {
  async runWithRetries<T>(handler: () => Promise<T>, maxRetries = 3, tried = 1): Promise<T> {
    try {
      return await handler();
    } catch (error) {
      if (tried <= maxRetries) {
        console.warn(`retrying ${String(tried)}/${String(maxRetries)}`);
        return this.runWithRetries(handler, maxRetries, tried + 1);
      }
      throw error;
    }
  }
}
