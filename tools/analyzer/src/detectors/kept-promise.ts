import type { Detector } from "../detector.js";
import { keptSharedPromises } from "./dedup.js";

/**
 * A promise slot handed to every caller and kept once its work succeeds — dropped only when it
 * fails (so a later call tries again) or by a method that resets fields: later callers get the
 * settled result, a promise cache. The slot sharing is found by the dedup detector's analysis,
 * which leaves these out (in-flight sharing drops the promise when it settles). Replaced by
 * `cache.getOrLoad(key, load)`.
 */
export const keptPromiseDetector: Detector = {
  id: "caching/kept-promise",
  category: "caching",
  kinds: ["promise-cache"],
  prefilter: /romise|\.then\(|\.finally\(|push\(|\bdelete\b/,
  detect({ sourceFile }) {
    return keptSharedPromises(sourceFile);
  },
};
