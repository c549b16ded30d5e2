/** Options of {@link burst}. */
export interface BurstOptions {
  /** Requests in the burst. @defaultValue 400 */
  readonly requests?: number;
  /** Requests in flight at once. @defaultValue 32 */
  readonly concurrency?: number;
  /** Distinct hot products in the burst. @defaultValue 40 */
  readonly hotKeys?: number;
  /** Where this burst's keys start: bursts with other offsets read other (cold) products. */
  readonly offset?: number;
}

/**
 * The `i`-th path of the demo's traffic: 80 % `/products/:id` and 20 % `/users/:id`, over `hot`
 * keys starting at `offset`, key k taking a share proportional to 1/(k+1) (deterministic).
 * @param i - the request's index
 * @param hot - distinct hot keys
 * @param offset - where the keys start
 * @returns e.g. `/products/3`
 */
export function catalogPath(i: number, hot: number, offset: number): string {
  const u = ((i * 2654435761) % 1000) / 1000;
  const k = Math.min(hot - 1, Math.floor(Math.expm1(u * Math.log1p(hot))));
  return i % 5 === 4
    ? `/users/${((offset + k) % 1000) + 1}`
    : `/products/${((offset + k) % 5000) + 1}`;
}

/**
 * The demo's load: a burst of requests, 80 % `/products/:id` and 20 % `/users/:id`, drawn from a
 * skewed set of hot keys (a few keys take most requests, as real traffic does), with `concurrency`
 * requests in flight. Every response must be 200; anything else rejects, so an erroring service is
 * never measured as fast.
 * @param baseUrl - the service, e.g. `http://127.0.0.1:3000`
 * @param options - size, concurrency and key set
 * @returns the number of requests made
 */
export async function burst(baseUrl: string, options: BurstOptions = {}): Promise<number> {
  const requests = options.requests ?? 400;
  const concurrency = options.concurrency ?? 32;
  const hot = options.hotKeys ?? 40;
  const offset = options.offset ?? 0;
  let next = 0;
  const path = (i: number): string => catalogPath(i, hot, offset);
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const i = next++;
      const res = await fetch(baseUrl + path(i));
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path(i)} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return requests;
}
