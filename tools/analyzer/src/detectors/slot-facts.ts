import { ts } from "ts-morph";
import { chain, isFunctionLike, walk, walkKinds } from "../ast.js";
import { isNullish, unwrap } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";

/** `null`, `undefined` or `false`: what an empty slot holds. */
export function isNothing(node: ts.Node): boolean {
  return isNullish(node) || unwrap(node).kind === ts.SyntaxKind.FalseKeyword;
}

/** Whether a node mentions the slot (an identifier or a property chain spelled the same). */
export function mentions(root: ts.Node, slot: string): boolean {
  let hit = false;
  walk(root, (n) => {
    if (!hit && (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && chain(n) === slot)
      hit = true;
  });
  return hit;
}

/** Assignments `slot = value` in a node. */
export function assignmentsTo(root: ts.Node, slot: string): ts.BinaryExpression[] {
  const found: ts.BinaryExpression[] = [];
  walk(root, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken) &&
      chain(n.left) === slot
    )
      found.push(n);
  });
  return found;
}

/**
 * Whether the object a slot holds is told to finish in the function that empties the slot: a call
 * on the slot before the emptying (`await this.#client?.destroy(); this.#client = undefined`,
 * `lease.revoke(); lease = null`), or a call on a local taken from the slot, before or after it
 * (`const c = await this.clientPromise; this.clientPromise = undefined; await c?.end()`): a live
 * handle released, not a kept value dropped. Store calls (`clear`, `delete`, …) do not count.
 */
export function releasesHandle(emptying: ts.Node, slot: string): boolean {
  const fn = functionOf(emptying);
  const taken = new Set<string>();
  walkKinds(fn, [ts.SyntaxKind.VariableDeclaration], (n) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      mentions(n.initializer, slot)
    )
      taken.add(n.name.text);
  });
  let released = false;
  walkKinds(fn, [ts.SyntaxKind.CallExpression], (n) => {
    if (released || !ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
    if (STORE_CALL.test(n.expression.name.text)) return;
    const receiver = chain(n.expression.expression);
    if (receiver === undefined) return;
    if ((receiver === slot && n.end <= emptying.pos) || taken.has(receiver)) released = true;
  });
  return released;
}

const STORE_CALL =
  /^(clear|delete|set|get|has|add|keys|values|entries|forEach|then|catch|finally)$/;

/** Whether the slot is emptied somewhere outside its fill (`this._cache = null`, `delete this.x`). */
export function resetElsewhere(sourceFile: ts.SourceFile, slot: string, fn: ts.Node): boolean {
  let reset = false;
  walkKinds(sourceFile, [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.DeleteExpression], (n) => {
    if (reset || (n.pos >= fn.pos && n.end <= fn.end)) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      chain(n.left) === slot &&
      isNothing(n.right)
    ) {
      // An assignment in a constructor is an initialisation, not an invalidation; one after the
      // held object was told to finish releases a handle.
      if (!ts.isConstructorDeclaration(functionOf(n)) && !releasesHandle(n, slot)) reset = true;
    }
    if (ts.isDeleteExpression(n) && chain(n.expression) === slot) reset = true;
  });
  return reset;
}

/**
 * Whether the slot is emptied outside its fill right where the object it holds is told to finish
 * (see {@link releasesHandle}): the slot keeps a live handle for its owner's life, not a result.
 */
export function releasedElsewhere(sourceFile: ts.SourceFile, slot: string, fn: ts.Node): boolean {
  let released = false;
  walkKinds(sourceFile, [ts.SyntaxKind.BinaryExpression], (n) => {
    if (released || (n.pos >= fn.pos && n.end <= fn.end)) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      chain(n.left) === slot &&
      isNothing(n.right) &&
      releasesHandle(n, slot)
    )
      released = true;
  });
  return released;
}

/** Whether a function hands the slot out: `return slot` (or the arrow's value). */
export function returnsSlot(fn: ts.Node, slot: string): boolean {
  let returns = false;
  walk(fn, (n) => {
    if (ts.isReturnStatement(n) && n.expression !== undefined && mentions(n.expression, slot))
      returns = true;
  });
  return returns;
}

/** How an `if` tests a slot: present (`slot`, `slot !== undefined`) or absent (`!slot`, `slot == null`). */
export interface SlotTest {
  readonly slot: string;
  readonly absent: boolean;
}

/**
 * The slot a condition tests, alone or as one operand of `&&` (`if (ready && !this.#memo)`), or
 * tested empty as one operand of `||` (`if (!this.#token || expired(this.#token))`).
 */
export function slotTests(cond: ts.Node): SlotTest[] {
  const c = unwrap(cond);
  if (ts.isBinaryExpression(c) && c.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    return [...slotTests(c.left), ...slotTests(c.right)];
  // `if (!slot || stale(slot)) { … }`: the branch is taken when the slot is empty (or stale).
  if (ts.isBinaryExpression(c) && c.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    return [...slotTests(c.left), ...slotTests(c.right)].filter((t) => t.absent);
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) {
    const slot = chain(unwrap(c.operand));
    return slot === undefined ? [] : [{ slot, absent: true }];
  }
  if (ts.isBinaryExpression(c) && isNothing(c.right)) {
    const slot = chain(unwrap(c.left));
    const op = c.operatorToken.kind;
    if (slot === undefined) return [];
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken)
      return [{ slot, absent: true }];
    if (
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken
    )
      return [{ slot, absent: false }];
    return [];
  }
  const slot = chain(c);
  return slot === undefined ? [] : [{ slot, absent: false }];
}

/** Whether a function returns a function (a memoize or once helper keeps its slot in the closure). */
export function returnsFunction(fn: ts.Node): boolean {
  if (!isFunctionLike(fn) || fn.body === undefined) return false;
  if (!ts.isBlock(fn.body)) return ts.isArrowFunction(fn.body) || ts.isFunctionExpression(fn.body);
  return fn.body.statements.some(
    (s) =>
      ts.isReturnStatement(s) &&
      s.expression !== undefined &&
      (ts.isArrowFunction(s.expression) || ts.isFunctionExpression(s.expression)),
  );
}

/**
 * Whether the slot is emptied in a callback of the function that fills it (`.finally(() => (slot =
 * undefined))`): work in flight shared until it settles (`dedup`), not a result kept.
 */
export function emptiedInFlight(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  slot: string,
): boolean {
  return assignmentsTo(fn.body, slot).some((a) => isNothing(a.right) && functionOf(a) !== fn);
}

/** Whether `name` is a parameter of `fn`. */
export function isParameterOf(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  return fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name);
}

/** Whether `name` is declared as a variable inside `fn` (a local: it lives for one call). */
export function mentionsDeclaration(fn: ts.Node, name: string): boolean {
  let declared = false;
  walk(fn, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name)
      declared = true;
  });
  return declared;
}
