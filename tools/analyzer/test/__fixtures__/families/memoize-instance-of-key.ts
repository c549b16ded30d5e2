// One wrapper instance per raw object, made from it, kept in a WeakMap.
// expect: caching/memoize 8-15 elim 5 "writes `this.#wrappers.set(raw, wrapped)` on a miss"
import { Wrapped } from "./wrapped.js";

export class Driver {
  readonly #wrappers = new WeakMap<object, Wrapped>();

  wrap(raw: object, config: unknown): Wrapped {
    let wrapped = this.#wrappers.get(raw);
    if (!wrapped) {
      wrapped = new Wrapped(raw, config);
      this.#wrappers.set(raw, wrapped);
    }
    return wrapped;
  }
}
