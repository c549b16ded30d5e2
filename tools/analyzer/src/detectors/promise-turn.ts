import { ts } from "ts-morph";
import { chain, isFunctionLike, topStatement, walkKinds } from "../ast.js";
import type { Detection } from "../detector.js";
import { isNullish, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";

/** `p.catch(…)`, `p.then(…)`, `p.finally(…)` down to `p`. */
function base(node: ts.Node): ts.Node {
  let n = unwrap(node);
  while (
    ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    /^(then|catch|finally)$/.test(n.expression.name.text)
  )
    n = unwrap(n.expression.expression);
  return n;
}

/** Whether a declaration lies inside a function (it is one of its locals or parameters). */
function declaredIn(d: ts.Node | undefined, fn: ts.Node): boolean {
  return d !== undefined && d.pos >= fn.pos && d.end <= fn.end;
}

/**
 * A slot that outlives a call of `fn`: a property of `this`, or a variable of the module or of an
 * enclosing closure (`let lastEmit`, `let current`). Locals and parameters of `fn` are not.
 */
function outlives(node: ts.Node, fn: ts.Node): string | undefined {
  const slot = chain(node);
  if (slot === undefined || slot === "this") return undefined;
  const root = slot.split(".")[0] ?? "";
  if (root === "this") return slot.includes(".") ? slot : undefined;
  const d = bindingOf(node, root);
  return d === undefined || declaredIn(d, fn) ? undefined : slot;
}

/**
 * Whether a statement after `statement` in its block, before `until`, leaves the function
 * (`await this.loading; return this.value`): the caller joins the run instead of taking a turn.
 */
function returnsBefore(statement: ts.Statement, until: ts.Node): boolean {
  const block = statement.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return false;
  const list = block.statements;
  return list
    .slice(list.indexOf(statement) + 1)
    .some((s) => ts.isReturnStatement(s) && s.pos < until.pos);
}

/** Whether a statement is one of the function's own statements, or of a `try` block among them. */
function atTop(statement: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  const block = statement.parent;
  if (block === fn.body) return true;
  return (
    ts.isBlock(block) &&
    ts.isTryStatement(block.parent) &&
    block.parent.tryBlock === block &&
    block.parent.parent === fn.body
  );
}

/**
 * Whether a wait is a turn taken on every call: one of the function's own statements (or of a
 * `try` among them), or the body of a loop that waits while the slot is held (`while (this.lock)
 * await this.lock`). A wait on some path only (`if (!items.length) await this.signal` in a
 * consumer's loop) waits for data, not for a turn.
 */
function takesTurn(statement: ts.ExpressionStatement, fn: ts.FunctionLikeDeclaration): boolean {
  if (atTop(statement, fn)) return true;
  let loop: ts.Node = ts.isBlock(statement.parent) ? statement.parent.parent : statement.parent;
  // (Its failure ignored: `while (this.p) { try { await this.p } catch {} }`.)
  if (ts.isTryStatement(loop) && ts.isBlock(loop.parent)) loop = loop.parent.parent;
  if (!ts.isWhileStatement(loop) || !atTop(loop, fn)) return false;
  const awaited = base((statement.expression as ts.AwaitExpression).expression);
  return chain(unwrap(loop.expression)) === chain(awaited);
}

/** A value that is this call's own run: a new promise, a call, or a local holding one (not an awaited result). */
function ownRun(value: ts.Node, fn: ts.Node): boolean {
  const v = unwrap(value);
  if (isNullish(v) || ts.isAwaitExpression(v)) return false;
  if (ts.isNewExpression(v)) return chain(v.expression) === "Promise";
  if (ts.isCallExpression(v)) return true;
  if (!ts.isIdentifier(v)) return false;
  const d = bindingOf(v, v.text);
  if (!declaredIn(d, fn) || d === undefined || ts.isParameter(d)) return false;
  // `const { promise, resolve } = Promise.withResolvers()` or `const run = work()`.
  const decl = ts.isBindingElement(d) ? d.parent.parent : d;
  return (
    ts.isVariableDeclaration(decl) &&
    decl.initializer !== undefined &&
    !ts.isAwaitExpression(unwrap(decl.initializer)) &&
    (ts.isCallExpression(unwrap(decl.initializer)) || ts.isNewExpression(unwrap(decl.initializer)))
  );
}

/**
 * Calls that take turns through a stored promise: the function waits for the promise a slot holds
 * (the run before it) and stores its own run in the slot for the next caller — `await lastEmit;
 * lastEmit = run()`, `while (this.lock) await this.lock; this.lock = new Promise(…)`, `const
 * previous = current; current = promise; await previous`. Only one run at a time goes ahead. A
 * caller that awaits the slot and then returns (joins the run in flight, a dedup) and a slot
 * emptied or given an awaited result are not turns.
 * @param facts - the file's facts
 * @returns one concurrency-limit detection per function
 */
export function promiseTurns(facts: FileFacts): Detection[] {
  const out: Detection[] = [];
  for (const fn of facts.functions) {
    if (fn.body === undefined || ts.isConstructorDeclaration(fn)) continue;
    let found: Detection | undefined;
    walkKinds(fn.body, [ts.SyntaxKind.AwaitExpression], (a) => {
      if (fn.body === undefined) return;
      if (found !== undefined || !ts.isAwaitExpression(a) || functionOf(a) !== fn) return;
      // The wait's value is dropped: the caller waits its turn, it does not take the result.
      const statement = a.parent;
      if (!ts.isExpressionStatement(statement) || !takesTurn(statement, fn)) return;
      let awaitedNode = base(a.expression);
      let saved: ts.Node | undefined;
      if (ts.isIdentifier(awaitedNode)) {
        const d = bindingOf(awaitedNode, awaitedNode.text);
        if (
          d !== undefined &&
          ts.isVariableDeclaration(d) &&
          declaredIn(d, fn) &&
          d.initializer !== undefined &&
          chain(unwrap(d.initializer)) !== undefined
        ) {
          saved = d;
          awaitedNode = unwrap(d.initializer);
        }
      }
      const slot = outlives(awaitedNode, fn);
      if (slot === undefined) return;
      for (const b of facts.binaries) {
        if (
          b.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
          functionOf(b) !== fn ||
          chain(unwrap(b.left)) !== slot
        )
          continue;
        // Replaced after the wait, or after the old value was saved for it.
        if (saved === undefined ? b.pos < a.end : b.pos < saved.end) continue;
        if (returnsBefore(statement, b)) continue;
        if (!ownRun(b.right, fn) || !ts.isExpressionStatement(b.parent) || !atTop(b.parent, fn))
          continue;
        found = {
          kind: "concurrency-limit",
          confidence: 0.8,
          nodes: [ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn],
          evidence: [
            `\`${slot}\` holds the run in progress: each call waits for it`,
            "then stores its own run there for the next caller: one at a time",
          ],
          name: slot,
        };
        return;
      }
    });
    if (found !== undefined && isFunctionLike(fn)) out.push(found);
  }
  return out;
}
