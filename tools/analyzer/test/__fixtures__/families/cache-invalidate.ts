// A memo of resolved paths and the function that drops it when the file system changes (the
// memo's -3: `fix` swaps its Map for a named cache, adding an import and the shared cache module).
// expect: caching/memoize 5-12 elim 5 "computed on a miss"
// expect: caching/cache-invalidate 14-16 elim 3 "a store this code fills on a miss"
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
