// A promise parameter defaulted when absent, and a loader function kept once: no promise is cached.
// expect: none
declare function deferred<T>(): Promise<T> & { resolve(value: T): void };

const pongs: Promise<void>[] = [];

export function flush(p?: Promise<void>): Promise<void> {
  if (!p) {
    p = deferred<void>();
  }
  pongs.push(p);
  return p;
}

let importer: ((specifier: string) => Promise<unknown>) | undefined;

export function getImporter(): (specifier: string) => Promise<unknown> {
  if (importer === undefined) {
    importer = new Function("specifier", "return import(specifier)") as typeof importer;
  }
  return importer as (specifier: string) => Promise<unknown>;
}
