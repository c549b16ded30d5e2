// expect: caching/promise-cache
const inflight = new Map<string, Promise<string>>();

export function loadConfig(name: string): Promise<string> {
  const pending = inflight.get(name);
  if (pending) return pending;
  const promise = fetch(`/config/${name}`)
    .then((r) => r.text())
    .finally(() => inflight.delete(name));
  inflight.set(name, promise);
  return promise;
}
