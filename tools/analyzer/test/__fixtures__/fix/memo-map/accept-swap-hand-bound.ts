// A memo emptied by hand when it is full: the cache's `max` keeps the bound, the test goes.
const segments = new Map<string, string[]>();
const MAX_SEGMENTS = 2_048;

export function segmentsOf(path: string): string[] {
  let found = segments.get(path);
  if (found === undefined) {
    if (segments.size >= MAX_SEGMENTS) segments.clear();
    found = path.replace(/^\.\//, "").split("/");
    segments.set(path, found);
  }
  return found;
}
