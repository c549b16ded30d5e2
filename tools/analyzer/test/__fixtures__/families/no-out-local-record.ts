// A value per key put in a store and on a record the function made itself: nothing is handed to
// the caller, so the store is bookkeeping of this call, not a cache it serves from.
// expect: none
interface Store {
  has(key: string): boolean;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}
declare function describeKey(key: string): string;

export function index(store: Store, keys: readonly string[]): number {
  let described = 0;
  for (const key of keys) {
    const record: { text?: string } = {};
    let text: string;
    if (store.has(key)) {
      text = store.get(key) ?? "";
    } else {
      text = describeKey(key);
      store.set(key, text);
    }
    record.text = text;
    described += 1;
  }
  return described;
}

// A parameter's member set before the write, from items whose property is spelled like the value:
// not the value handed out.
export function label(store: Store, ctx: { labels?: string[] }, items: { text: string }[]): void {
  ctx.labels = items.map((item) => item.text);
  for (const item of items) {
    let text: string;
    if (store.has(item.text)) {
      text = store.get(item.text) ?? "";
    } else {
      text = describeKey(item.text);
      store.set(item.text, text);
    }
  }
}
