import { ts } from "ts-morph";
import { chain, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { count, findStores, readAndWritten } from "../stores.js";
import type { Store } from "../stores.js";

const CACHE_NAME = /cache|memo|cached/i;

/** `store.size > max` (or `Object.keys(store).length`) followed by evicting a key. */
function sizeCap(store: Store): ts.Node | undefined {
  if (store.sizeReads.length === 0) return undefined;
  const evicts = count(store, "delete") > 0 || store.calls.has("clear");
  if (!evicts) return undefined;
  return store.sizeReads.find((read) => {
    const parent = read.parent;
    return (
      ts.isBinaryExpression(parent) &&
      [
        ts.SyntaxKind.GreaterThanToken,
        ts.SyntaxKind.GreaterThanEqualsToken,
        ts.SyntaxKind.LessThanToken,
        ts.SyntaxKind.LessThanEqualsToken,
        ts.SyntaxKind.EqualsEqualsEqualsToken,
      ].includes(parent.operatorToken.kind)
    );
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
  kinds: ["size-capped-cache", "map-cache"],
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
          kind: "size-capped-cache",
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
      if (store.type === "map" && CACHE_NAME.test(store.name) && readThroughWrite(store)) {
        detections.push({
          kind: "map-cache",
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
