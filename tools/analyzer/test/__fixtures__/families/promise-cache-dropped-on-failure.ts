// Token exchanges kept per account: the promise stays in the map once it is fulfilled, and is
// taken out only when it fails so that a later call tries again — a promise cache that keeps no
// errors, not in-flight sharing (nothing removes the entry when the exchange succeeds).
// expect: caching/promise-cache 5-18 elim 5 "the promise itself is kept"
const tokens = new Map<string, Promise<string>>();
export function tokenFor(
  account: string,
  exchange: (a: string) => Promise<string>,
): Promise<string> {
  const known = tokens.get(account);
  if (known !== undefined) return known;
  const pending = exchange(account).catch((error: unknown) => {
    tokens.delete(account);
    throw error;
  });
  tokens.set(account, pending);
  return pending;
}
