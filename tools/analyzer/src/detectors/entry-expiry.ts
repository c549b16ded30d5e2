import { ts } from "ts-morph";
import { chain, isFunctionLike, topStatement, walkKinds } from "../ast.js";
import { isOrdering, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { guardsReuse, isNowValue } from "./expiry-stamps.js";
import { namedNotExpiry } from "./expiry-predicate.js";
import { bindingOf } from "./local-binding.js";
import { timeRead } from "./stale-refill.js";

/** An entry's stored time, put into a keyed store with the entry and checked against the clock on read. */
export interface EntryExpiry {
  /** The comparison's statement on the read path. */
  readonly check: ts.Node;
  /** The puts of the entry with its time into the store, each as its statements. */
  readonly puts: readonly (readonly ts.Node[])[];
  /** The store (`this.state`, `cache`). */
  readonly store: string;
  /** The entry's time (`expiresAt`). */
  readonly stamp: string;
}

/** A keyed store's put and get verbs (a `Map`, a storage adapter, `localStorage`). */
const PUT = /^(set|write|put|setItem)$/;
const GET = /^(get|read|getItem)$/;

/**
 * The record a statement puts into a keyed store: `store.set(k, { value, expiresAt })`,
 * `store[k] = { value, at }`.
 */
function putRecord(
  node: ts.Node,
): { store: string; record: ts.ObjectLiteralExpression } | undefined {
  if (
    ts.isCallExpression(node) &&
    node.arguments.length === 2 &&
    ts.isPropertyAccessExpression(node.expression) &&
    PUT.test(node.expression.name.text)
  ) {
    const store = chain(unwrap(node.expression.expression));
    const record = unwrap(node.arguments[1] as ts.Expression);
    if (store !== undefined && ts.isObjectLiteralExpression(record)) return { store, record };
  }
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isElementAccessExpression(unwrap(node.left))
  ) {
    const left = unwrap(node.left) as ts.ElementAccessExpression;
    const store = chain(unwrap(left.expression));
    const record = unwrap(node.right);
    if (store !== undefined && ts.isObjectLiteralExpression(record)) return { store, record };
  }
  return undefined;
}

/**
 * A member of an object stamped and the object then put into a keyed store in the same block
 * (`v.e = expiry(v); await storage.write(k, v)`): the store, the member and the put's statement.
 */
function stampedThenPut(
  node: ts.BinaryExpression,
): { store: string; stamp: string; put: ts.Node } | undefined {
  if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = unwrap(node.left);
  if (!ts.isPropertyAccessExpression(left)) return undefined;
  const owner = unwrap(left.expression);
  if (!ts.isIdentifier(owner)) return undefined;
  const statement = topStatement(node);
  const block = statement.parent;
  if (!ts.isBlock(block)) return undefined;
  const at = block.statements.indexOf(statement as ts.Statement);
  // The put follows the stamp closely (the next few statements), as the entry is finished.
  for (const next of block.statements.slice(at + 1, at + 4)) {
    let store: string | undefined;
    walkKinds(next, [ts.SyntaxKind.CallExpression], (c) => {
      if (
        store === undefined &&
        ts.isCallExpression(c) &&
        c.arguments.length === 2 &&
        ts.isPropertyAccessExpression(c.expression) &&
        PUT.test(c.expression.name.text) &&
        ts.isIdentifier(unwrap(c.arguments[1] as ts.Expression)) &&
        (unwrap(c.arguments[1] as ts.Expression) as ts.Identifier).text === owner.text
      )
        store = chain(unwrap(c.expression.expression));
    });
    if (store !== undefined) return { store, stamp: left.name.text, put: next };
  }
  return undefined;
}

/** The store a local's value was got from: `store.get(k)`, `await store.get(k)`, `k && store.get(k)`. */
function gotFrom(declaration: ts.Node): string | undefined {
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer === undefined)
    return undefined;
  let v = unwrap(declaration.initializer);
  if (ts.isAwaitExpression(v)) v = unwrap(v.expression);
  if (ts.isBinaryExpression(v) && v.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    v = unwrap(v.right);
  if (
    ts.isCallExpression(v) &&
    v.arguments.length === 1 &&
    ts.isPropertyAccessExpression(v.expression) &&
    GET.test(v.expression.name.text)
  )
    return chain(unwrap(v.expression.expression));
  return undefined;
}

function propertyName(p: ts.ObjectLiteralElementLike): string | undefined {
  if (ts.isShorthandPropertyAssignment(p)) return p.name.text;
  if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
    return p.name.text;
  return undefined;
}

/** `e.stamp` where `e` is a local got from a store: the store and the stamp's name. */
function entryTime(read: ts.Node): { store: string; stamp: string } | undefined {
  const u = timeRead(read);
  if (!ts.isPropertyAccessExpression(u)) return undefined;
  const owner = unwrap(u.expression);
  if (!ts.isIdentifier(owner)) return undefined;
  const d = bindingOf(owner, owner.text);
  const store = d === undefined ? undefined : gotFrom(d);
  return store === undefined ? undefined : { store, stamp: u.name.text };
}

/**
 * Entry expiry over a keyed store: a record put into the store with a time beside its value
 * (`this.state.set(id, { value, expiresAt })`, the time handed in by the caller or worked out
 * elsewhere), and on the read path an entry got from that same store whose time is compared with
 * the clock (`const entry = this.state.get(id); if (Date.now() > entry.expiresAt) {
 * this.state.delete(id); … }`, `const cached = cache.get(k); if (performance.now() < cached.ttl)
 * return …`) where the comparison decides reuse, removal or a validity answer. The store links the
 * put and the check; a time kept without a value (a rate limit's reset) is a record of one field.
 * @param facts - the file's facts
 * @returns the checks, each with the puts of its store's stamp
 */
export function entryExpiries(facts: FileFacts): EntryExpiry[] {
  const puts = new Map<string, Map<string, ts.Node[][]>>();
  const add = (store: string, record: ts.ObjectLiteralExpression, at: ts.Node): void => {
    if (record.properties.length < 2) return;
    let byStamp = puts.get(store);
    if (byStamp === undefined) puts.set(store, (byStamp = new Map<string, ts.Node[][]>()));
    for (const p of record.properties) {
      const name = propertyName(p);
      if (name === undefined) continue;
      let list = byStamp.get(name);
      if (list === undefined) byStamp.set(name, (list = []));
      list.push([topStatement(at)]);
    }
  };
  for (const c of facts.calls) {
    const put = putRecord(c);
    if (put !== undefined) add(put.store, put.record, c);
  }
  for (const b of facts.binaries) {
    const put = putRecord(b);
    if (put !== undefined) add(put.store, put.record, b);
    const stamped = stampedThenPut(b);
    if (stamped !== undefined) {
      let byStamp = puts.get(stamped.store);
      if (byStamp === undefined)
        puts.set(stamped.store, (byStamp = new Map<string, ts.Node[][]>()));
      const list = byStamp.get(stamped.stamp) ?? [];
      byStamp.set(stamped.stamp, [...list, [topStatement(b), stamped.put]]);
    }
  }
  const found: EntryExpiry[] = [];
  if (puts.size === 0) return found;
  const seen = new Set<ts.Node>();
  for (const b of facts.binaries) {
    if (!isOrdering(b.operatorToken.kind)) continue;
    for (const [a, other] of [
      [b.left, b.right],
      [b.right, b.left],
    ] as const) {
      if (!isNowValue(facts, a)) continue;
      const t = entryTime(other);
      if (t === undefined || namedNotExpiry(t.stamp)) continue;
      const written = puts.get(t.store)?.get(t.stamp);
      if (written === undefined) continue;
      if (!guardsReuse(b, true)) continue;
      const check = topStatement(b);
      if (seen.has(check)) continue;
      seen.add(check);
      found.push({ check, puts: written, store: t.store, stamp: t.stamp });
    }
  }
  return found;
}

/** The function around a node (or its source file). */
export function functionAround(node: ts.Node): ts.Node {
  let fn: ts.Node | undefined = node.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  return fn ?? node.getSourceFile();
}

/** Whether a statement holds code of its own (callbacks, methods) beside the record it puts. */
export function holdsCode(statement: ts.Node): boolean {
  let found = false;
  walkKinds(
    statement,
    [
      ts.SyntaxKind.ArrowFunction,
      ts.SyntaxKind.FunctionExpression,
      ts.SyntaxKind.MethodDeclaration,
    ],
    () => {
      found = true;
    },
  );
  return found;
}
