// A memo of resolved paths and the function that drops it when the file system changes.
// expect: caching/memoize 4-9 elim 4 "computed on a miss"
// expect: caching/cache-invalidate 13-15 elim 3 "a store this code fills on a miss"
const resolved = new Map<string, string>();
export function resolvePath(request: string, resolve: (request: string) => string): string {
  const hit = resolved.get(request);
  if (hit !== undefined) return hit;
  const path = resolve(request);
  resolved.set(request, path);
  return path;
}

export function onFilesChanged(): void {
  resolved.clear();
}
