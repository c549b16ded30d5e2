// Deferreds kept per code while a batch loads; each is replaced by its name, dropped only on failure.
// expect: caching/promise-cache 11-31 elim 7 "the promise itself is kept"
interface Deferred<T> extends Promise<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

declare function defer<T>(): Deferred<T>;
declare function loadNames(ids: number[]): Promise<string[]>;

const names: Record<number, string | Deferred<string> | undefined> = Object.create(null);

export function nameOf(code: number): string | Promise<string> {
  const known = names[code];
  if (known !== undefined) {
    return known;
  }
  const pending = defer<string>();
  names[code] = pending;
  loadNames([code]).then(
    ([name]) => {
      pending.resolve(name as string);
      names[code] = name;
    },
    (error: Error) => {
      pending.reject(error);
      names[code] = undefined;
    },
  );
  return pending;
}
