import { ts } from "ts-morph";
import { chain, isFunctionLike, moduleVariable, walk } from "../ast.js";
import { isNullish, unwrap } from "../file-facts.js";
import { declarationIn } from "../scope-declarations.js";
import type { KeyedFlow } from "./keyed-flow.js";

/**
 * Where a set of handled keys that is a local of its function is kept beyond the call: the seen
 * sets a module variable or a field does not name. Two shapes, both by data flow:
 *
 * - **nested**: the set is the entry of a kept store (`let done = byClient.get(c); if (!done) {
 *   done = new Set(); byClient.set(c, done) }`) — a set per client, socket or document, held as
 *   long as the store holding it;
 * - **closure**: the set is declared in an enclosing function whose inner function or class
 *   escapes it onto an object (`this.Command = class { … primed.has(s) … }`),
 *   so it lives as long as what escapes, across calls.
 *
 * A set declared in an enclosing function that only runs its inner function itself (a traversal's
 * `visited` set) is per call and stays out.
 */

/** The function-like node around a node, or the file. */
function functionAround(node: ts.Node): ts.Node {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return node.getSourceFile();
}

/** Whether a store outlives one call by itself: a member, a module variable, or a closure variable. */
function keptStore(store: string, at: ts.Node): boolean {
  if (store.includes(".")) return true;
  if (moduleVariable(at.getSourceFile(), store) !== undefined) return true;
  return closureHeld(store, at);
}

/** The statement that declares `name` where `at` sees it, with the function-like scope declaring it. */
function declarationOf(name: string, at: ts.Node): { decl: ts.Node; scope: ts.Node } | undefined {
  for (let c = at.parent; c !== undefined; c = c.parent) {
    const decl = declarationIn(c, name);
    if (decl !== undefined) {
      let scope: ts.Node = c;
      while (!isFunctionLike(scope) && !ts.isSourceFile(scope) && scope.parent !== undefined)
        scope = scope.parent;
      return { decl, scope };
    }
  }
  return undefined;
}

/**
 * Whether a function or class outlives the call it is made in on an object: kept on a member
 * (`this.Command = class { … }`). One returned from a factory is not enough: a JSON replacer's
 * `seen` set made per `stringify` is a traversal's visited set.
 */
function escapes(node: ts.Node): boolean {
  let c = node;
  while (c.parent !== undefined && ts.isParenthesizedExpression(c.parent)) c = c.parent;
  const parent = c.parent;
  if (parent === undefined) return false;
  return (
    ts.isBinaryExpression(parent) &&
    parent.right === c &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    (ts.isPropertyAccessExpression(parent.left) || ts.isElementAccessExpression(parent.left))
  );
}

/**
 * Whether `name`, seen at `at`, is a variable of an enclosing function (not the one `at` runs in)
 * that an escaping inner function or class holds: it lives across the calls of what escaped.
 */
function closureHeld(name: string, at: ts.Node): boolean {
  const own = functionAround(at);
  const found = declarationOf(name, at);
  if (found === undefined || ts.isSourceFile(found.scope) || found.scope === own) return false;
  if (!ts.isVariableDeclaration(found.decl)) return false;
  // Between the set's function and the use: some function or class on the way escapes.
  for (let c: ts.Node | undefined = own; c !== undefined && c !== found.scope; c = c.parent)
    if ((isFunctionLike(c) || ts.isClassLike(c)) && escapes(c)) return true;
  return false;
}

/**
 * The kept store a local set is the entry of: `s = kept.get(x)` (or `kept[x]`) read into it, and
 * on a miss `kept.set(x, s)` (or `kept[x] = s`) in the same function.
 */
function nestingStore(flow: KeyedFlow): string | undefined {
  const name = flow.store;
  let outer: string | undefined;
  let stored = false;
  const entryOf = (value: ts.Node | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const v = unwrap(value);
    if (
      ts.isCallExpression(v) &&
      ts.isPropertyAccessExpression(v.expression) &&
      v.expression.name.text === "get" &&
      v.arguments.length === 1
    )
      return chain(v.expression.expression);
    if (ts.isElementAccessExpression(v)) return chain(v.expression);
    return undefined;
  };
  walk(flow.fn, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name)
      outer ??= entryOf(n.initializer);
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      n.left.text === name
    )
      outer ??= entryOf(n.right);
  });
  if (outer === undefined || !keptStore(outer, flow.read)) return undefined;
  walk(flow.fn, (n) => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === "set" &&
      chain(n.expression.expression) === outer &&
      n.arguments[1] !== undefined &&
      ts.isIdentifier(unwrap(n.arguments[1])) &&
      unwrap(n.arguments[1]).getText() === name
    )
      stored = true;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isElementAccessExpression(n.left) &&
      chain(n.left.expression) === outer &&
      ts.isIdentifier(unwrap(n.right)) &&
      unwrap(n.right).getText() === name
    )
      stored = true;
  });
  return stored ? outer : undefined;
}

/**
 * Whether a seen set that is a plain local of its function's scope is kept beyond the call: the
 * entry of a kept store (a set per object), or a variable of an enclosing function an escaping
 * function or class holds.
 * @param flow - a keyed flow whose write adds the key (`s.add(k)`)
 * @returns whether the set outlives the call
 */
export function keptLocalSet(flow: KeyedFlow): boolean {
  if (flow.store.includes(".")) return false;
  return nestingStore(flow) !== undefined || closureHeld(flow.store, flow.read);
}

/**
 * Whether a bare reference to a per-object set is part of its nesting, not a use of its contents:
 * the set handed to the store that keeps it (`byClient.set(c, s)`, `byClient[c] = s`), or tested
 * for absence before it is created (`if (!s)`, `s === undefined`).
 * @param ref - an identifier naming the set
 * @returns whether the reference only nests the set
 */
export function nestingUse(ref: ts.Node): boolean {
  let c = ref;
  while (c.parent !== undefined && ts.isParenthesizedExpression(c.parent)) c = c.parent;
  const parent = c.parent;
  if (parent === undefined) return false;
  if (
    ts.isCallExpression(parent) &&
    parent.arguments.length === 2 &&
    parent.arguments[1] === c &&
    ts.isPropertyAccessExpression(parent.expression) &&
    parent.expression.name.text === "set"
  )
    return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken)
      return parent.right === c && ts.isElementAccessExpression(parent.left);
    const other = parent.left === c ? parent.right : parent.left;
    return (
      (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) &&
      isNullish(other) &&
      ts.isIfStatement(parent.parent)
    );
  }
  return (
    ts.isPrefixUnaryExpression(parent) &&
    parent.operator === ts.SyntaxKind.ExclamationToken &&
    ts.isIfStatement(parent.parent)
  );
}
