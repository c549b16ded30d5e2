// Many keys read at once: the ids the store lacks are fetched together, each loaded item kept.
// expect: caching/cache-aside 12-18 elim 7 "loads them in one awaited call"
interface User {
  id: string;
  name: string;
}
declare function fetchUsers(ids: string[]): Promise<User[]>;

const users = new Map<string, User>();

export async function usersByIds(ids: string[]): Promise<User[]> {
  const missing = ids.filter((id) => !users.has(id));
  if (missing.length > 0) {
    const loaded = await fetchUsers(missing);
    for (const user of loaded) {
      users.set(user.id, user);
    }
  }
  return ids.map((id) => users.get(id)).filter((u): u is User => u !== undefined);
}
