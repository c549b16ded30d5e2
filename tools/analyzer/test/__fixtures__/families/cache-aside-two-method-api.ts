// Get-or-compute through a store's own API of two methods, whatever they are called: a lookup whose
// answer is handed out on a hit, and on a miss a value loaded by other work handed to another method
// of the same receiver, with the lookup's answer (which carries the key) or the same key.
// expect: caching/cache-aside 22-32 elim 5 "writes `results.keep(cached, () =>"
// expect: caching/cache-aside 36-45 elim 6 "writes `pages.store(url, page)` on a miss"
interface Entry<T> {
  readonly key: string;
  readonly data?: T;
}
interface ResultStore {
  lookup<T>(name: string, key: string): Promise<Entry<T>>;
  keep<T>(entry: Entry<T>, data: () => T): Promise<void>;
}
interface PageStore {
  match(url: string): Promise<string | undefined>;
  store(url: string, page: string): Promise<void>;
}
declare const db: { query(sql: string): Promise<{ id: number }[]> };
declare function download(url: string): Promise<string>;

export async function ids(results: ResultStore, sql: string): Promise<number[]> {
  const cached = await results.lookup<number[]>("ids", sql);

  if (cached.data !== undefined) {
    return cached.data;
  }

  const rows = await db.query(sql);
  if (rows.length === 0) {
    return [];
  }
  await results.keep(cached, () => rows.map((r) => r.id));
  return rows.map((r) => r.id);
}

export async function page(pages: PageStore, url: string): Promise<string> {
  const hit = await pages.match(url);
  if (hit) {
    return hit.trim();
  }
  const body = await download(url);
  const page = body.trim();
  await pages.store(url, page);
  return page;
}
