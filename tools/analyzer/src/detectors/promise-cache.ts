import { ts } from "ts-morph";
import { chain, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { findStores, writtenValues } from "../stores.js";
import type { Store } from "../stores.js";

const INFLIGHT_NAME = /inflight|in_flight|pending|promises?$|ongoing|running|loading/i;

/** Whether an expression produces a promise without awaiting it. */
function isPromiseValue(value: ts.Expression, scope: ts.Node): boolean {
  if (ts.isAwaitExpression(value)) return false;
  if (ts.isNewExpression(value) && chain(value.expression) === "Promise") return true;
  if (ts.isCallExpression(value)) {
    if (
      ts.isPropertyAccessExpression(value.expression) &&
      /^(then|catch|finally)$/.test(value.expression.name.text)
    )
      return true;
    const text = chain(value.expression) ?? "";
    if (
      /\.(then|catch|finally)$/.test(text) ||
      /^Promise\.(all|race|allSettled|any|resolve)$/.test(text)
    )
      return true;
    if (
      /^(fetch|load|get|request|query|read|download|resolve|compute)/i.test(
        text.split(".").pop() ?? "",
      )
    )
      return true;
    if (
      (ts.isArrowFunction(value.expression) || ts.isFunctionExpression(value.expression)) &&
      value.expression.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) === true
    )
      return true;
    return false;
  }
  if (ts.isIdentifier(value)) {
    // `const p = load(key); pending.set(key, p)`
    let promise = false;
    walk(scope, (node) => {
      if (
        !promise &&
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === value.text &&
        node.initializer !== undefined
      ) {
        promise = isPromiseValue(node.initializer, scope);
      }
    });
    return promise;
  }
  return false;
}

/** `store.delete(k)` inside a `.finally()`/`.then()`/`.catch()` callback or a `finally` block. */
function deletesOnSettle(store: Store): boolean {
  return (store.calls.get("delete") ?? []).some((call) => {
    for (
      let node: ts.Node | undefined = call.parent;
      node !== undefined && node !== store.scope;
      node = node.parent
    ) {
      if (
        ts.isTryStatement(node) &&
        node.finallyBlock !== undefined &&
        call.pos >= node.finallyBlock.pos &&
        call.end <= node.finallyBlock.end
      )
        return true;
      if (ts.isCatchClause(node)) return true;
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        /^(finally|then|catch)$/.test(node.expression.name.text)
      )
        return true;
    }
    return false;
  });
}

/**
 * Promise caches and in-flight de-duplication maps: a Map holding promises so concurrent callers
 * share one call. Replaced by `@perflayer/cache` `getOrLoad` (single-flight, errors not cached,
 * timeouts) or `@perflayer/response` `run(task, { key })` (coalescing).
 */
export const promiseCacheDetector: Detector = {
  id: "caching/promise-cache",
  category: "caching",
  kinds: ["promise-cache"],
  prefilter: /new Map/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    for (const store of findStores(sourceFile)) {
      if (store.type !== "map") continue;
      const values = writtenValues(store);
      if (values.length === 0 || !values.some((v) => isPromiseValue(v, store.scope))) continue;
      const reads = (store.calls.get("get")?.length ?? 0) + (store.calls.get("has")?.length ?? 0);
      if (reads === 0) continue;
      const settles = deletesOnSettle(store);
      const named = INFLIGHT_NAME.test(store.name) || /cache/i.test(store.name);
      if (!settles && !named) continue;
      detections.push({
        kind: "promise-cache",
        confidence: settles ? 0.9 : 0.75,
        nodes: store.range,
        evidence: [
          `Map \`${store.name}\` stores promises`,
          settles
            ? "entry removed when the promise settles (in-flight de-duplication)"
            : "promises kept after they settle (errors cached)",
        ],
        name: store.name,
      });
    }
    return detections;
  },
};
