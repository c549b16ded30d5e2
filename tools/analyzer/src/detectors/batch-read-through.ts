import { ts } from "ts-morph";
import { isFunctionLike, statementsBetween, walkKinds } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, isOrdering, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { isNowValue } from "./expiry-stamps.js";

/**
 * Batch read-through: the keys a store lacks are gathered — `ids.filter((id) => !store.has(id))`,
 * or pushed to a list where a per-key read of the store misses — handed together to one awaited
 * load, and each loaded item is written back into the same store under its key
 * (`loaded.forEach((x) => store.set(x.id, x))`). The hits are served from the store, only the
 * misses are fetched: a cache-aside over many keys at once (a TTL cache when the per-key test
 * compares a stored time with the clock).
 */

/** The innermost function around a node. */
function functionAround(node: ts.Node): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
}

/** The store a per-key read names (`s.get(k)`, `s.has(k)`, `s[k]`), as its text. */
function keyedRead(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (
    ts.isCallExpression(n) &&
    n.arguments.length === 1 &&
    ts.isPropertyAccessExpression(n.expression) &&
    /^(get|has)$/.test(n.expression.name.text)
  )
    return unwrap(n.expression.expression).getText();
  if (ts.isElementAccessExpression(n) && !ts.isLiteralExpression(unwrap(n.argumentExpression)))
    return unwrap(n.expression).getText();
  return undefined;
}

/** The store a test finds lacking a key: `!s.has(k)`, `!s.get(k)`, `!s[k]`, `s.get(k) === undefined`. */
function absentFrom(test: ts.Node): string | undefined {
  const t = unwrap(test);
  if (ts.isPrefixUnaryExpression(t) && t.operator === ts.SyntaxKind.ExclamationToken)
    return keyedRead(t.operand);
  if (
    ts.isBinaryExpression(t) &&
    (t.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      t.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken) &&
    /^(undefined|null)$/.test(unwrap(t.right).getText())
  )
    return keyedRead(t.left);
  // `!cache || !cache.has(k)`: either side.
  if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    return absentFrom(t.right) ?? absentFrom(t.left);
  return undefined;
}

/** Whether a test compares a value with the clock (`hit.e > now`). */
function comparesClock(facts: FileFacts, test: ts.Node): boolean {
  let found = false;
  walkKinds(test, [ts.SyntaxKind.BinaryExpression], (n) => {
    if (
      ts.isBinaryExpression(n) &&
      isOrdering(n.operatorToken.kind) &&
      (isNowValue(facts, n.left) || isNowValue(facts, n.right))
    )
      found = true;
  });
  return found;
}

interface MissList {
  /** The local holding the keys the store lacks. */
  readonly name: string;
  /** The store's text. */
  readonly store: string;
  /** The statement that starts the gathering. */
  readonly from: ts.Node;
  /** Whether the per-key test compares a stored time with the clock. */
  readonly clock: boolean;
}

/** The local a `filter` over keys is bound to when its callback finds the key absent from a store. */
function filteredMisses(
  facts: FileFacts,
  declaration: ts.VariableDeclaration,
): MissList | undefined {
  if (!ts.isIdentifier(declaration.name) || declaration.initializer === undefined) return undefined;
  let found: MissList | undefined;
  walkKinds(declaration.initializer, [ts.SyntaxKind.CallExpression], (n) => {
    if (found !== undefined || !ts.isCallExpression(n)) return;
    if (!ts.isPropertyAccessExpression(n.expression) || n.expression.name.text !== "filter") return;
    const callback = n.arguments[0];
    if (callback === undefined || !ts.isArrowFunction(callback) || ts.isBlock(callback.body))
      return;
    const store = absentFrom(callback.body);
    if (store !== undefined)
      found = {
        name: (declaration.name as ts.Identifier).text,
        store,
        from: declaration,
        clock: comparesClock(facts, callback.body),
      };
  });
  return found;
}

/**
 * The list a key is pushed to where a per-key read of a store misses: `const hit = s.get(k); if
 * (hit) { … } else { missing.push(k) }` (or `if (!hit) missing.push(k)`).
 */
function pushedMisses(facts: FileFacts, push: ts.CallExpression): MissList | undefined {
  const target = push.expression;
  if (!ts.isPropertyAccessExpression(target) || target.name.text !== "push") return undefined;
  const list = unwrap(target.expression);
  if (!ts.isIdentifier(list)) return undefined;
  for (let c: ts.Node = push; c.parent !== undefined && !isFunctionLike(c.parent); c = c.parent) {
    const gate = c.parent;
    if (!ts.isIfStatement(gate) || gate.expression === c) continue;
    const negated = ts.isPrefixUnaryExpression(unwrap(gate.expression));
    if ((gate.elseStatement === c) === negated) return undefined;
    // The local the test reads, bound from a keyed read of the store in the same body.
    let store: string | undefined;
    walkKinds(gate.expression, [ts.SyntaxKind.Identifier], (id) => {
      if (store !== undefined || !ts.isIdentifier(id)) return;
      const block = gate.parent;
      if (block === undefined) return;
      for (const s of ts.isBlock(block) ? block.statements : [])
        if (s.end <= gate.pos && ts.isVariableStatement(s))
          for (const d of s.declarationList.declarations)
            if (ts.isIdentifier(d.name) && d.name.text === id.text && d.initializer !== undefined)
              store ??= keyedRead(d.initializer);
    });
    if (store === undefined) return undefined;
    const declared = declarationOf(push, list.text);
    if (declared === undefined) return undefined;
    return { name: list.text, store, from: declared, clock: comparesClock(facts, gate.expression) };
  }
  return undefined;
}

/**
 * The declaration of a list `[]` a push at `at` fills: a local of the function around it, or of a
 * function around that (the push in a `forEach` callback, the list outside it).
 */
function declarationOf(at: ts.Node, name: string): ts.Node | undefined {
  for (let fn = functionAround(at); fn !== undefined; fn = functionAround(fn)) {
    const scope = fn;
    let found: ts.Node | undefined;
    walkKinds(scope, [ts.SyntaxKind.VariableDeclaration], (d) => {
      if (
        found === undefined &&
        ts.isVariableDeclaration(d) &&
        ts.isIdentifier(d.name) &&
        d.name.text === name &&
        d.initializer !== undefined &&
        ts.isArrayLiteralExpression(unwrap(d.initializer)) &&
        functionAround(d) === scope
      )
        found = d;
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether `node` mentions the identifier `name` (not as a property name). */
function mentions(node: ts.Node, name: string): boolean {
  let found = false;
  walkKinds(node, [ts.SyntaxKind.Identifier], (n) => {
    if (!ts.isIdentifier(n) || n.text !== name) return;
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return;
    found = true;
  });
  return found;
}

/** A write of a value under a key into `store` (`store.set(k, v)`, `store[k] = v`). */
function writesStore(node: ts.Node, store: string): boolean {
  if (
    ts.isCallExpression(node) &&
    node.arguments.length === 2 &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === "set"
  )
    return unwrap(node.expression.expression).getText() === store;
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isElementAccessExpression(unwrap(node.left))
  )
    return unwrap((unwrap(node.left) as ts.ElementAccessExpression).expression).getText() === store;
  return false;
}

/** Whether a write runs once per item of `loaded`: in `loaded.forEach(…)` / `.map(…)`, or `for (… of loaded)`. */
function perLoadedItem(write: ts.Node, loaded: string, stop: ts.Node): ts.Node | undefined {
  for (let c = write.parent; c !== undefined && c !== stop; c = c.parent) {
    if (ts.isForOfStatement(c) && unwrap(c.expression).getText() === loaded) return c;
    if (
      ts.isCallExpression(c) &&
      ts.isPropertyAccessExpression(c.expression) &&
      /^(forEach|map)$/.test(c.expression.name.text) &&
      unwrap(c.expression.expression).getText() === loaded
    )
      return c;
  }
  return undefined;
}

/** The gathered misses, their load and the write back, when `list` is handed to an awaited load. */
function batchFill(miss: MissList): { load: ts.Node; loop: ts.Node } | undefined {
  const fn = functionAround(miss.from);
  if (fn === undefined) return undefined;
  let result: { load: ts.Node; loop: ts.Node } | undefined;
  walkKinds(fn, [ts.SyntaxKind.AwaitExpression], (n) => {
    if (result !== undefined || !ts.isAwaitExpression(n) || n.pos < miss.from.end) return;
    const call = unwrap(n.expression);
    if (!ts.isCallExpression(call) || !call.arguments.some((a) => mentions(a, miss.name))) return;
    const holder = n.parent;
    if (!ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return;
    const loaded = holder.name.text;
    const scope = functionAround(n);
    if (scope === undefined) return;
    walkKinds(scope, [ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression], (w) => {
      if (result !== undefined || w.pos < n.end || !writesStore(w, miss.store)) return;
      const loop = perLoadedItem(w, loaded, scope);
      if (loop !== undefined) result = { load: n, loop };
    });
  });
  return result;
}

export const batchReadThroughDetector: Detector = {
  id: "caching/batch-read-through",
  category: "caching",
  kinds: ["cache-aside", "ttl-cache"],
  prefilter: /\.push\(|\.filter\(/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const misses: MissList[] = [];
    walkKinds(sourceFile, [ts.SyntaxKind.VariableDeclaration], (d) => {
      if (!ts.isVariableDeclaration(d)) return;
      const miss = filteredMisses(facts, d);
      if (miss !== undefined) misses.push(miss);
    });
    for (const call of facts.calls) {
      const miss = pushedMisses(facts, call);
      if (miss !== undefined && !misses.some((m) => m.from === miss.from)) misses.push(miss);
    }
    const detections: Detection[] = [];
    for (const miss of misses) {
      const fill = batchFill(miss);
      if (fill === undefined) continue;
      const nodes = statementsBetween(miss.from, fill.loop);
      if (nodes.length === 0) continue;
      detections.push({
        kind: miss.clock ? "ttl-cache" : "cache-aside",
        confidence: 0.75,
        nodes,
        name: miss.store,
        evidence: [
          `gathers the keys \`${miss.store}\` lacks into \`${miss.name}\`${miss.clock ? " (or holds past their time)" : ""}`,
          "loads them in one awaited call and writes each loaded item back into the store",
          "loaded (I/O or a callback) on a miss and kept",
        ],
      });
    }
    return detections;
  },
};
