import { ts } from "ts-morph";
import { chain, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { findStores, readAndWritten } from "../stores.js";
import type { Store } from "../stores.js";

const CACHE_NAME = /cache|memo|cached/i;
/** Registries of caches (`caches`, `this.#caches`) hold cache objects; they are not caches. */
const REGISTRY_NAME = /caches$/i;

/**
 * `store.size > max` (or `Object.keys(store).length`) with an eviction (`delete`/`clear`) in the same
 * function: a bound enforced by evicting. A comparison with 0 or 1 is an emptiness test, not a cap.
 */
function sizeCap(store: Store): ts.Node | undefined {
  const evictions = [...(store.calls.get("delete") ?? []), ...(store.calls.get("clear") ?? [])];
  if (store.sizeReads.length === 0 || evictions.length === 0) return undefined;
  return store.sizeReads.find((read) => {
    const parent = read.parent;
    if (
      !ts.isBinaryExpression(parent) ||
      ![
        ts.SyntaxKind.GreaterThanToken,
        ts.SyntaxKind.GreaterThanEqualsToken,
        ts.SyntaxKind.LessThanToken,
        ts.SyntaxKind.LessThanEqualsToken,
        ts.SyntaxKind.EqualsEqualsEqualsToken,
      ].includes(parent.operatorToken.kind)
    )
      return false;
    const other = parent.left === read ? parent.right : parent.left;
    if (ts.isNumericLiteral(other) && Number(other.text) <= 1) return false;
    return evictions.some((eviction) => owner(eviction) === owner(read));
  });
}

/** A miss followed by a write of the same key in one function: `if (!c.has(k)) c.set(k, compute())`. */
function readThroughWrite(store: Store): boolean {
  const sets = store.calls.get("set") ?? [];
  const reads = [...(store.calls.get("get") ?? []), ...(store.calls.get("has") ?? [])];
  return sets.some((set) =>
    reads.some((read) => sameFunction(set, read) && sameKey(set.arguments[0], read.arguments[0])),
  );
}

function sameFunction(a: ts.Node, b: ts.Node): boolean {
  const fa = owner(a);
  return fa !== undefined && fa === owner(b);
}

function owner(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (ts.isFunctionLike(current)) return current;
  }
  return undefined;
}

function sameKey(a: ts.Expression | undefined, b: ts.Expression | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const ca = chain(a);
  return ca !== undefined ? ca === chain(b) : a.getText() === b.getText();
}

/**
 * Size-capped Map caches (evict when `size` passes a bound) and unbounded memo caches named as
 * caches (`if (!cache.has(k)) cache.set(k, compute(k))`). Replaced by `@perflayer/cache` caches with
 * `max`, or a `CacheMap` where Map semantics are used.
 */
export const mapCacheDetector: Detector = {
  id: "caching/map-cache",
  category: "caching",
  kinds: ["cache-aside", "memoize"],
  prefilter: /(new Map|= \{\})/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    for (const store of findStores(sourceFile)) {
      if (!readAndWritten(store)) continue;
      const cap = sizeCap(store);
      if (cap !== undefined) {
        let evictsOldest = false;
        walk(store.scope, (node) => {
          if (
            !evictsOldest &&
            ts.isPropertyAccessExpression(node) &&
            node.name.text === "next" &&
            chain(node.expression)?.endsWith(".keys") !== true
          ) {
            evictsOldest = /\.keys\(\)\s*\.next\(\)/.test(node.parent.getText(sourceFile));
          }
        });
        detections.push({
          kind: "cache-aside",
          confidence: evictsOldest || CACHE_NAME.test(store.name) ? 0.9 : 0.75,
          nodes: store.range,
          evidence: [
            `\`${store.name}\` bounded by \`${cap.parent.getText(sourceFile).slice(0, 50)}\``,
            evictsOldest ? "evicts the oldest key" : "evicts entries",
          ],
          name: store.name,
        });
        continue;
      }
      if (
        store.type === "map" &&
        CACHE_NAME.test(store.name) &&
        !REGISTRY_NAME.test(store.name) &&
        readThroughWrite(store)
      ) {
        detections.push({
          kind: "memoize",
          confidence: 0.75,
          nodes: store.range,
          evidence: [
            `Map \`${store.name}\` named as a cache`,
            "read, then written on a miss",
            "no bound and no expiry",
          ],
          name: store.name,
        });
      }
    }
    return detections;
  },
};
