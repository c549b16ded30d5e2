// Memos handed to an imported get-or-insert helper: a module WeakMap declared right above the
// function that uses it (one range with it), and a member store of a class.
// expect: caching/memoize 8-10 elim 2 "a helper that reads the store, computes on a miss"
// expect: caching/memoize 19-19 elim 1 "a helper that reads the store, computes on a miss"
import { computeMissing, mergeInto } from "./memoize-helper-utility.js";
import { outline } from "./shapes.js";

const outlineCache = new WeakMap();
function outlineOf(shape) {
  return computeMissing(outlineCache, shape, outline);
}

export class Planner {
  constructor() {
    this.routes = new Map();
  }

  routeFor(stop) {
    return computeMissing(this.routes, stop, () => this.solve(stop));
  }
}

export { outlineOf };
