// A lookup and another method of the same receiver that are no get-or-compute: a row found or created
// by the repository itself, options prepared and passed on, and an identity map that registers a new
// row under nothing the lookup was asked for.
// expect: none
interface Repo<T> {
  findOne(where: Partial<T>): Promise<T | undefined>;
  create(data: Partial<T>): T;
  persist(entity: T): Promise<void>;
}
interface User {
  readonly email: string;
}
declare const api: { prepare(o: Options): Options; send(o: Options, body: string): Promise<void> };
declare const driver: { insert(data: object): Promise<object> };
declare function render(o: Options): string;
interface Options {
  readonly cached?: string;
}
interface IdentityMap {
  byId(name: string, id: number): object | undefined;
  register(row: object, snapshot: object): void;
}

export async function userFor(users: Repo<User>, email: string): Promise<User> {
  const existing = await users.findOne({ email });
  if (existing) {
    return existing;
  }
  const user = users.create({ email });
  await users.persist(user);
  return user;
}

export async function deliver(options: Options): Promise<string> {
  const prepared = api.prepare(options);
  if (prepared.cached) {
    return prepared.cached;
  }
  const body = render(prepared);
  await api.send(prepared, body);
  return body;
}

export async function upsert(map: IdentityMap, name: string, id: number, data: object) {
  const exists = map.byId(name, id);
  if (exists) {
    return Object.assign(exists, data);
  }
  const row = await driver.insert(data);
  map.register(row, { ...row });
  return row;
}
