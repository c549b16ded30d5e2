import { ts } from "ts-morph";
import { chain, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, unwrap } from "../file-facts.js";
import { functionOf, isFreshObject, keyedFlows } from "./keyed-flows.js";
import { flowKind } from "./keyed-store.js";
import { expiryKeys, slotMemos } from "./single-slot.js";

/** Stores named as caches — a weak signal, enough only for a store whose reads live in another file. */
const CACHE_NAME = /cach|memo/i;

function leaf(store: string): string {
  return (store.split(".").pop() ?? store).replace(/^#/, "");
}

function isNothing(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    n.kind === ts.SyntaxKind.NullKeyword ||
    n.kind === ts.SyntaxKind.UndefinedKeyword ||
    (ts.isIdentifier(n) && n.text === "undefined")
  );
}

/** The store an invalidation empties, when `node` is one: `s.clear()`, `s.delete(k)`, `delete s[k]`, `s = new Map()`, `slot = null`. */
function invalidated(node: ts.Node): string | undefined {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    if (method === "clear" || method === "delete") return chain(node.expression.expression);
  }
  if (ts.isDeleteExpression(node)) {
    const target = unwrap(node.expression);
    if (ts.isElementAccessExpression(target)) return chain(target.expression);
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    if (isFreshObject(node.right) || isNothing(node.right)) return chain(node.left);
  }
  return undefined;
}

/**
 * Invalidation by hand: emptying a store this code uses as a cache (`clear()`, `delete`, a fresh
 * `new Map()`, a memo slot or expiry stamp set to `null`), outside the function that fills it and
 * outside constructors. A small function that only invalidates is the construct; otherwise the
 * statements are. Replaced by `cache.delete` / `invalidateTag` / `clear`.
 */
export const cacheInvalidateDetector: Detector = {
  id: "caching/cache-invalidate",
  category: "caching",
  kinds: ["cache-invalidate"],
  prefilter: /\.clear\(|\.delete\(|delete |= (null|undefined|new (Weak)?Map|\{\})/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const caches = new Map<string, ts.Node[]>(); // store leaf → functions that fill it
    const note = (store: string, fn: ts.Node): void => {
      const list = caches.get(leaf(store)) ?? [];
      list.push(fn);
      caches.set(leaf(store), list);
    };
    for (const flow of keyedFlows(sourceFile))
      if (flowKind(sourceFile, flow) !== undefined) note(flow.store, flow.fn);
    for (const memo of slotMemos(sourceFile)) note(memo.slot, memo.fn);
    for (const key of expiryKeys(facts).keys())
      caches.set(key.replace(/^\./, ""), caches.get(key.replace(/^\./, "")) ?? []);
    const byFunction = new Map<ts.Node, ts.Node[]>();
    const candidates: ts.Node[] = [...facts.calls, ...facts.binaries];
    walk(sourceFile, (n) => {
      if (ts.isDeleteExpression(n)) candidates.push(n);
    });
    for (const node of candidates) {
      const store = invalidated(node);
      if (store === undefined) continue;
      const fillers = caches.get(leaf(store));
      if (fillers === undefined && !CACHE_NAME.test(leaf(store))) continue;
      const fn = functionOf(node);
      if (ts.isConstructorDeclaration(fn) || fillers?.includes(fn) === true) continue;
      if (ts.isVariableDeclaration(node.parent) || ts.isPropertyDeclaration(node.parent)) continue;
      let list = byFunction.get(fn);
      if (list === undefined) byFunction.set(fn, (list = []));
      list.push(topStatement(node));
    }
    const detections: Detection[] = [];
    for (const [fn, statements] of byFunction) {
      const unique = [...new Set(statements)];
      const body = ts.isSourceFile(fn) ? undefined : (fn as ts.FunctionLikeDeclaration).body;
      const size = body !== undefined && ts.isBlock(body) ? body.statements.length : 0;
      // A function that exists to invalidate: the function is the construct.
      const whole = size > 0 && size <= 4 && unique.length * 2 >= size;
      detections.push({
        kind: "cache-invalidate",
        confidence: 0.75,
        nodes: whole ? [fn] : unique.sort((a, b) => a.pos - b.pos),
        evidence: [
          `empties ${unique
            .map((s) => `\`${s.getText(sourceFile).replace(/\s+/g, " ").slice(0, 40)}\``)
            .slice(0, 3)
            .join(", ")}`,
          "a store this code fills on a miss (or names as a cache)",
        ],
      });
    }
    return detections;
  },
};
