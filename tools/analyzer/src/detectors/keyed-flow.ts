import type { ts } from "ts-morph";

/**
 * One get-or-compute flow: a store (any receiver — a `Map`, `WeakMap`, `Set`, plain object, field,
 * parameter or another object's cache) is read under a key, the read is checked, and on a miss the
 * store is written in the same function. The store's type is not needed: the flow is the evidence.
 */
export interface KeyedFlow {
  /** How the code names the store: `cache`, `this.#entries`, `RedisClient.#SingleEntryCache`. */
  readonly store: string;
  /** The function holding the flow. */
  readonly fn: ts.Node;
  /** The read (`s.get(k)`, `s.has(k)`, `s[k]`). */
  readonly read: ts.Node;
  /** The write on a miss (`s.set(k, v)`, `s.add(k, v)`, `s[k] = v`, `s.add(k)`). */
  readonly write: ts.Node;
  /** The value written (undefined for `add`). */
  readonly value?: ts.Expression;
  /** What computes the value on a miss (the value's own initialiser when it is a local). */
  readonly compute?: ts.Node;
  /** The check that makes the write conditional. */
  readonly check: ts.Node;
  /** The statements a migration deletes (lookup, check, write). */
  readonly own: readonly ts.Node[];
  /** `add`-style writes (a set of seen keys). */
  readonly addsKey: boolean;
  /** A list used as the store (`find`/`includes`/`indexOf`, then `push`). */
  readonly list?: true;
  /**
   * The get-or-create helper the flow is handed to (`getOrCreate(map, key, () => compute())`): the
   * read, check and write happen inside it, and `read`, `write` and `check` are the call.
   */
  readonly helper?: string;
  /** The function of the file the miss is handed to, which computes, stores and returns the value. */
  readonly filler?: string;
  /** The filler stores the value without handing it back (a loader called on the miss). */
  readonly fillerStoresOnly?: true;
  /** The function of the file that stores the value, when the miss only computes it. */
  readonly writtenElsewhere?: string;
  /**
   * Read and written through two methods of a store's own API (`lookup(k)`, `store(k, v)`): what
   * the miss does between its check and the write makes the value.
   */
  readonly api?: true;
}
