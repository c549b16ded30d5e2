// One compiled hydrator per class, in one of several stores picked by kind.
// expect: caching/memoize 11-19 elim 6 "reads `this.#byKind[kind].get(cls)` and checks it"
import { compile } from "./compile.js";

export class Hydrators {
  readonly #byKind = {
    full: new Map<object, () => void>(),
    partial: new Map<object, () => void>(),
  };

  hydratorFor(kind: "full" | "partial", cls: object): () => void {
    const found = this.#byKind[kind].get(cls);
    if (found) {
      return found;
    }
    const hydrator = compile(kind, cls);
    this.#byKind[kind].set(cls, hydrator);
    return hydrator;
  }
}
