// Schema documents loaded once per URL; the promise itself is kept, so callers share one load.
// expect: caching/promise-cache 3-11 elim 6 "the promise itself is kept"
const schemas = new Map<string, Promise<unknown>>();
export function schema(url: string): Promise<unknown> {
  let pending = schemas.get(url);
  if (pending === undefined) {
    pending = fetch(url).then((response) => response.json());
    schemas.set(url, pending);
  }
  return pending;
}
