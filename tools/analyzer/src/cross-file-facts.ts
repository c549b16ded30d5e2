/**
 * What a file tells the other files without being a finding itself: the kind of a detection that
 * states a fact (never reported, no eliminable lines) and the names such facts go by. The
 * cross-file step in `analyze` reads facts like store names of caching findings: a held detection
 * (`Detection.needs`) stands when some file states the fact it names. Kept apart from the detectors
 * so that `analyze` reads it without loading the parser.
 */

/** The kind of a detection that only states a fact for other files (see {@link helperFact}). */
export const FACT_KIND = "cross-file-fact";

/**
 * The fact that a file defines `name(store, key, factory)`: a function that reads the store under
 * the key, calls the factory on a miss and writes its result (a get-or-insert helper).
 * @param name - the helper's name
 * @returns the fact's name
 */
export function helperFact(name: string): string {
  return `${name}(store, key, factory)`;
}

/**
 * The fact that some class's method `method` writes the member store `store` (`this.cache.set(…)`)
 * with what it is handed: a caller's miss filled through it is a read-through.
 * @param method - the method's name (`_add`)
 * @param store - the member store written, without `this.` (`cache`)
 * @returns the fact's name
 */
export function fillerFact(method: string, store: string): string {
  return `this.${method}() fills this.${store}`;
}

/**
 * The fact that a caching finding of `file` fills the store it names `store` (`this.cache`): an
 * invalidation of that store elsewhere in the file stands on it, whatever detector found the fill.
 * @param file - the file's path, relative to the root
 * @param store - the store as the finding names it
 * @returns the fact's name
 */
export function storeInFileFact(file: string, store: string): string {
  return `store ${file}: ${store}`;
}

/**
 * The fact that a file that is not a test mentions `name` (imports, calls or re-exports it; the
 * cross-file step states it from the files' tokens): an exported reset its own file never uses is
 * held on it, since a reset only tests call is test scaffolding, not an invalidation.
 * @param name - the exported reset's name
 * @returns the fact's name
 */
export function calledFact(name: string): string {
  return `mentioned outside tests: ${name}`;
}
