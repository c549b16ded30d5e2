// Entries stamped as they are stored, dropped by a filter whose callback finds the stamp too old.
// expect: caching/ttl-cache 15-17 elim 3 "stamp `stampedAt` written from the clock"
// expect: caching/ttl-cache 28-28 elim 1 "stamp `stampedAt` written from the clock with the entry it dates"
interface Item {
  stampedAt: number;
  value: string;
}

export function makeStore(ttl: number) {
  let items: Record<string, Item> = {};
  function fresh(): Record<string, Item> {
    const current = new Date().getTime();
    return Object.fromEntries(
      Object.entries(items).filter(([, item]) => {
        if (item.stampedAt + ttl < current) {
          return false;
        }
        return true;
      }),
    );
  }
  return {
    get(key: string): string | undefined {
      items = fresh();
      return items[key]?.value;
    },
    set(key: string, value: string): void {
      items[key] = { stampedAt: new Date().getTime(), value };
    },
  };
}
