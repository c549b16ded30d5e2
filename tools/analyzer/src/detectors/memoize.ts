import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, nameOf, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { findStores } from "../stores.js";

/**
 * Memoize wrappers: a function that takes a function and returns one that caches its results in a
 * closure Map keyed by the (serialised) arguments. Replaced by `@perflayer/cache` `memoize(fn, cache)`.
 */
export const memoizeDetector: Detector = {
  id: "caching/memoize-wrapper",
  category: "caching",
  kinds: ["memoize"],
  prefilter: /(new Map|\{\})/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    for (const store of findStores(sourceFile)) {
      const outer = store.scope;
      if (!isFunctionLike(outer)) continue;
      const params = outer.parameters
        .map((p) => (ts.isIdentifier(p.name) ? p.name.text : ""))
        .filter((n) => n !== "");
      if (params.length === 0) continue;
      // The outer function returns an inner function that uses the store and calls a parameter.
      let inner: ts.Node | undefined;
      let serialises = false;
      walk(outer, (node) => {
        if (inner !== undefined || node === outer || !isFunctionLike(node)) return;
        const returned =
          ts.isReturnStatement(node.parent) || (ts.isArrowFunction(outer) && outer.body === node);
        if (!returned) return;
        let usesStore = false;
        let callsParam = false;
        let serialisesArgs = false;
        walk(node, (n) => {
          if (ts.isCallExpression(n)) {
            const name = callee(n) ?? "";
            if (name.startsWith(`${store.name}.`)) usesStore = true;
            const base = name.split(".")[0] ?? "";
            if (params.includes(base) && (name === base || /\.(apply|call)$/.test(name)))
              callsParam = true;
            if (name === "JSON.stringify" || /\.join$/.test(name)) serialisesArgs = true;
          }
          if (ts.isElementAccessExpression(n) && chain(n.expression) === store.name)
            usesStore = true;
        });
        if (usesStore && callsParam) {
          inner = node;
          serialises = serialisesArgs;
        }
      });
      if (inner === undefined) continue;
      const range = ts.isVariableDeclaration(outer.parent) ? outer.parent.parent.parent : outer;
      detections.push({
        kind: "memoize",
        confidence: serialises ? 0.95 : 0.85,
        nodes: [range],
        evidence: [
          `closure ${store.type === "map" ? "Map" : "object"} \`${store.name}\``,
          "returns a function that calls the wrapped function on a miss",
          ...(serialises ? ["key serialised from the arguments"] : []),
        ],
        name: nameOf(outer) ?? nameOf(range),
      });
    }
    return detections;
  },
};
