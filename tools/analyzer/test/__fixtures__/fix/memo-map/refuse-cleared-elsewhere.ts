// The map is also cleared elsewhere: a rewrite would have to move that too.
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
