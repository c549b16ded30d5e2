// Feature checks memoised per name: the lookup falls back to a method that detects, stores and
// returns the result (written without semicolons, as in real code).
// expect: caching/memoize 8-29 elim 18 "on a miss calls `#detect`, which computes, stores and returns the value"
import { detectFeature } from "./detect.js";

const known = ["sqlite", "crypto", "zstd"];

export class RuntimeFeatures {
  #map = new Map();

  clear() {
    this.#map.clear();
  }

  has(feature) {
    return this.#map.get(feature) ?? this.#detect(feature);
  }

  set(feature, value) {
    if (!known.includes(feature)) throw new TypeError(`unknown feature: ${feature}`);
    this.#map.set(feature, value);
  }

  #detect(feature) {
    const result = detectFeature(feature)
    this.#map.set(feature, result)
    return result
  }
}
