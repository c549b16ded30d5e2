import { ts } from "ts-morph";
import { chain, enclosing, inside, topStatement, walk } from "../ast.js";
import { functionName, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { isPromise } from "./keyed-flows.js";
import type { SlotMemo } from "./slot-memo.js";
import {
  emptiedInFlight,
  isParameterOf,
  mentionsDeclaration,
  releasedElsewhere,
  resetElsewhere,
  returnsSlot,
} from "./slot-facts.js";

/** Teardown methods and their promises — their run-once guards are lifecycle, not caching. */
const TEARDOWN =
  /^[_#]?(close|closing|destroy|disconnect|shutdown|shuttingDown|quit|stop|stopping|dispose|terminate|teardown|end|drain)(Raw|Promise|ing|ed)?$/i;

/** The declaration of a slot: a module-level `let` or a class property (`this.x`). */
function slotDeclaration(
  sourceFile: ts.SourceFile,
  slot: string,
  fn: ts.Node,
): ts.Node | undefined {
  if (!slot.includes(".")) {
    for (const st of sourceFile.statements)
      if (
        ts.isVariableStatement(st) &&
        st.declarationList.declarations.length === 1 &&
        st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === slot)
      )
        return st;
    return undefined;
  }
  const field = /^this\.(#?[\w$]+)$/.exec(slot)?.[1];
  const cls = fn.parent;
  if (field === undefined || cls === undefined || !ts.isClassLike(cls)) return undefined;
  return cls.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText() === field);
}

/**
 * Whether a slot is typed as a promise (`let p: Promise<T> | undefined`); a function returning one
 * (`let load: (s: string) => Promise<T>`) is not.
 */
function typedPromise(declaration: ts.Node | undefined): boolean {
  let typed = false;
  if (declaration !== undefined)
    walk(declaration, (n) => {
      if (
        ts.isTypeReferenceNode(n) &&
        n.typeName.getText() === "Promise" &&
        enclosing(n, (c) => ts.isFunctionTypeNode(c) || ts.isConstructorTypeNode(c)) === undefined
      )
        typed = true;
    });
  return typed;
}

/** Event subscriptions: handing `resolve` to one of these waits for an event, it starts nothing. */
const SUBSCRIBE =
  /^[_#]?(on|once|addListener|addEventListener|prependListener|prependOnceListener)$/;

/**
 * `new Promise((resolve, reject) => { emitter.once("end", resolve); emitter.once("error", reject) })`:
 * a promise that only listens for the outcome of something already under way — an adapter of
 * events kept so every caller gets the same one, not work run once.
 */
function awaitsEvents(value: ts.Node): boolean {
  if (!ts.isNewExpression(value) || chain(value.expression) !== "Promise") return false;
  let executor: ts.Node | undefined = value.arguments?.[0];
  // `function (resolve, reject) { … }.bind(this)`
  if (
    executor !== undefined &&
    ts.isCallExpression(executor) &&
    ts.isPropertyAccessExpression(executor.expression) &&
    executor.expression.name.text === "bind"
  )
    executor = unwrap(executor.expression.expression);
  if (
    executor === undefined ||
    !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) ||
    !ts.isBlock(executor.body) ||
    executor.body.statements.length === 0
  )
    return false;
  const settlers = new Set(
    executor.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  return executor.body.statements.every(
    (s) =>
      ts.isExpressionStatement(s) &&
      ts.isCallExpression(s.expression) &&
      ts.isPropertyAccessExpression(s.expression.expression) &&
      SUBSCRIBE.test(s.expression.expression.name.text) &&
      s.expression.arguments.some(
        (a) => (ts.isIdentifier(a) && settlers.has(a.text)) || settlesOnly(a, settlers),
      ),
  );
}

/**
 * A listener that only settles: `({ data }) => data.ok ? resolve() : reject(new Error(…))`, with at
 * most a log beside — a function whose every call of a settler is its own, and that calls nothing
 * else but the settlers, an error's constructor or a logger's method (a member call whose value is
 * dropped).
 */
function settlesOnly(listener: ts.Node, settlers: ReadonlySet<string>): boolean {
  if (!ts.isArrowFunction(listener) && !ts.isFunctionExpression(listener)) return false;
  let settles = false;
  let other = false;
  walk(listener.body, (n) => {
    if (!ts.isCallExpression(n)) return;
    const callee = unwrap(n.expression);
    if (ts.isIdentifier(callee) && settlers.has(callee.text)) settles = true;
    else if (!ts.isPropertyAccessExpression(callee) || !ts.isExpressionStatement(topOf(n)))
      other = true;
  });
  return settles && !other;
}

/** The outermost expression a node is part of, up to its statement (`a && b(c)` for `c`). */
function topOf(node: ts.Node): ts.Node {
  let n = node;
  while (
    n.parent !== undefined &&
    (ts.isBinaryExpression(n.parent) ||
      ts.isConditionalExpression(n.parent) ||
      ts.isParenthesizedExpression(n.parent))
  )
    n = n.parent;
  return n.parent ?? n;
}

/**
 * Whether a method is how its object settles as a promise: the class defines `then` (a thenable,
 * awaited by its users) and `then` is this method or calls it. The promise kept there is the
 * object's own outcome, made on the first `await` so a second one does not run the work again —
 * the thenable's contract, not a result kept for later callers.
 */
function thenableOutcome(fn: ts.Node): boolean {
  const cls = fn.parent;
  if (cls === undefined || !ts.isClassLike(cls)) return false;
  const then = cls.members.find(
    (m) => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === "then",
  );
  if (then === undefined || !ts.isMethodDeclaration(then) || then.body === undefined) return false;
  if (then === fn) return true;
  const name = functionName(fn);
  if (name === undefined) return false;
  let calls = false;
  walk(then.body, (n) => {
    if (ts.isCallExpression(n) && chain(n.expression) === `this.${name}`) calls = true;
  });
  return calls;
}

/** Whether a value starts asynchronous work: a promise, or a call of an `async` function of the file. */
export function startsAsync(facts: FileFacts, value: ts.Node, fn: ts.Node): boolean {
  if (isPromise(value, fn)) return true;
  const v = unwrap(value);
  if (!ts.isCallExpression(v)) return false;
  const name = (chain(v.expression) ?? "").replace(/^this\./, "");
  return facts.functions.some(
    (f) =>
      f.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) === true &&
      functionName(f) === name,
  );
}

/**
 * A promise kept once and handed to every caller: `if (!slot) slot = start(); return slot` or
 * `slot ??= start(); return slot`, where `start()` is asynchronous work (not a module load) and
 * the slot is never emptied (emptied when it settles, it is in-flight sharing: `dedup`).
 */
export function promiseOnce(
  facts: FileFacts,
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.Statement,
  slot: string,
  fill: ts.BinaryExpression,
): SlotMemo | undefined {
  const sourceFile = facts.sourceFile;
  const value = unwrap(fill.right);
  if (ts.isCallExpression(value) && /^(import|require)$/.test(value.expression.getText()))
    return undefined;
  if (!returnsSlot(fn, slot) || resetElsewhere(sourceFile, slot, fn)) return undefined;
  // Emptied where the object it holds is told to finish: a live handle kept for its owner's life.
  if (releasedElsewhere(sourceFile, slot, fn)) return undefined;
  // A parameter or a local lives for one call: defaulting it (`p ??= defer()`) keeps nothing.
  if (!slot.includes(".") && (isParameterOf(fn, slot) || mentionsDeclaration(fn, slot)))
    return undefined;
  if (emptiedInFlight(fn, slot)) return undefined;
  // `close()` keeping its promise so a second call waits for the same teardown is a run-once
  // guard of a lifecycle, not a cached result.
  if (TEARDOWN.test(functionName(fn) ?? "") || TEARDOWN.test(slot.split(".").pop() ?? slot))
    return undefined;
  const declaration = slotDeclaration(sourceFile, slot, fn);
  if (!startsAsync(facts, value, fn) && !typedPromise(declaration)) return undefined;
  if (awaitsEvents(value) || thenableOutcome(fn)) return undefined;
  const back = fn.body.statements.find(
    (st) =>
      ts.isReturnStatement(st) && st.expression !== undefined && chain(st.expression) === slot,
  );
  if (back === undefined) return undefined;
  // The slot's declaration is part of the construct when it sits next to the function (a field
  // declared above a constructor and other members belongs to the class, not to this memo).
  const lineOf = (pos: number): number => sourceFile.getLineAndCharacterOfPosition(pos).line;
  const adjacent =
    declaration !== undefined &&
    (inside(declaration, fn) ||
      (declaration.end <= fn.pos &&
        lineOf(fn.getStart(sourceFile)) - lineOf(declaration.end) <= 8));
  const own = new Set<ts.Node>([
    ...(adjacent ? [declaration] : []),
    ts.isIfStatement(statement) && inside(fill, statement) ? statement.expression : statement,
    fill.left,
    back,
  ]);
  return {
    slot,
    fn,
    own: [...own].sort((a, b) => a.pos - b.pos),
    why: "the promise of a one-time job is kept and handed to every later caller",
    kind: "promise-cache",
    context: [ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn],
  };
}
