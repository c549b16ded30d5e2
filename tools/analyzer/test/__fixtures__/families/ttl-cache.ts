// Exchange rates fetched at most once a minute per currency pair.
// expect: caching/ttl-cache 4-10 elim 4 "stamped with the clock"
const TTL_MS = 60_000;
const rates = new Map<string, { rate: number; expires: number }>();

export async function rate(pair: string, load: (pair: string) => Promise<number>): Promise<number> {
  const entry = rates.get(pair);
  if (entry !== undefined && entry.expires > Date.now()) return entry.rate;
  const fresh = await load(pair);
  rates.set(pair, { rate: fresh, expires: Date.now() + TTL_MS });
  return fresh;
}
