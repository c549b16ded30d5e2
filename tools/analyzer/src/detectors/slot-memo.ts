import type { ts } from "ts-morph";

/** A single-slot memo: one field or closure variable filled on first use and returned after. */
export interface SlotMemo {
  /** `this._cache`, `parsedData`. */
  readonly slot: string;
  readonly fn: ts.Node;
  /** The check and the fill (the statements a migration deletes). */
  readonly own: readonly ts.Node[];
  readonly why: string;
  /**
   * `memoize`; `promise-cache` when the slot keeps the promise of a one-time async job;
   * `cache-aside` when a loaded result is kept and served on request.
   */
  readonly kind: "memoize" | "promise-cache" | "cache-aside";
  /** Code the memo wraps that stays after a migration (the function the slot serves). */
  readonly context: readonly ts.Node[];
}
