// expect: caching/ttl-map-cache
const TTL_MS = 60_000;
const userCache = new Map<string, { value: unknown; expires: number }>();

export async function getUser(id: string): Promise<unknown> {
  const entry = userCache.get(id);
  if (entry && entry.expires > Date.now()) {
    return entry.value;
  }
  const value = await fetch(`/users/${id}`).then((r) => r.json());
  userCache.set(id, { value, expires: Date.now() + TTL_MS });
  return value;
}
