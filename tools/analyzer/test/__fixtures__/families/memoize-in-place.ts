// Values computed in place — inside a thunk run at once, or by a regular expression — are memos
// (the second's -4: `fix` rewrites it, adding its imports; the shared cache module is charged to
// the first rewrite of the folder that uses it).
// expect: caching/memoize 14-24 elim 5 "computed on a miss"
// expect: caching/memoize 26-33 elim 4 "computed on a miss"
const compiled = new WeakMap<object, { name: string }>();
const versions = new Map<string, number>();
const VERSION = /^v?(\d+)\./;

function run<T>(stage: string, body: () => T): T {
  return body();
}

export function compile(options: { name: string }): { name: string } {
  let result = compiled.get(options);
  if (!result) {
    result = run("init", () => {
      const made = { name: options.name.toUpperCase() };
      compiled.set(options, made);
      return made;
    });
  }
  return result;
}

export function major(tag: string): number {
  const hit = versions.get(tag);
  if (hit !== undefined) return hit;
  const match = VERSION.exec(tag);
  const value = match === null ? 0 : Number(match[1]);
  versions.set(tag, value);
  return value;
}
