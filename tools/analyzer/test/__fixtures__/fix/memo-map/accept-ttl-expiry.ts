// A TTL memo over a load: each entry stamped with its expiry, tested against the clock on reuse.
interface Rate {
  currency: string;
  value: number;
}
const TTL_MS = 5 * 60_000;
const rates = new Map<string, { rate: Rate; expires: number }>();

export async function rateOf(currency: string): Promise<Rate> {
  const hit = rates.get(currency);
  if (hit && hit.expires > Date.now()) return hit.rate;
  const rate = await fetchRate(currency);
  rates.set(currency, { rate, expires: Date.now() + TTL_MS });
  return rate;
}

async function fetchRate(currency: string): Promise<Rate> {
  return { currency, value: currency.length };
}
