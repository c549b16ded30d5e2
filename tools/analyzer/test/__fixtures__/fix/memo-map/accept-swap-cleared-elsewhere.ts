// The memo is also cleared elsewhere: the cache clears alike, so the store is swapped and the code stays.
const rates = new Map<string, number>();

export function rate(currency: string): number {
  const hit = rates.get(currency);
  if (hit !== undefined) return hit;
  const value = currency.length * 1.1;
  rates.set(currency, value);
  return value;
}

export function resetRates(): void {
  rates.clear();
}
