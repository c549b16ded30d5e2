import { ts } from "ts-morph";
import { chain, topStatement, walk } from "../ast.js";
import { unwrap } from "../file-facts.js";
import { computed, derivedValue } from "./derived-value.js";
import { isPromise } from "./keyed-flows.js";
import type { SlotMemo } from "./slot-memo.js";
import { assignmentsTo, isNothing, returnsSlot } from "./slot-facts.js";
import type { SlotTest } from "./slot-facts.js";

/** The methods of the class a method belongs to, by name. */
function siblingMethods(fn: ts.Node): Map<string, ts.MethodDeclaration & { body: ts.Block }> {
  const methods = new Map<string, ts.MethodDeclaration & { body: ts.Block }>();
  const cls = fn.parent;
  if (cls === undefined || !ts.isClassLike(cls)) return methods;
  for (const member of cls.members)
    if (ts.isMethodDeclaration(member) && member.body !== undefined && member !== fn)
      methods.set(member.name.getText(), member as ts.MethodDeclaration & { body: ts.Block });
  return methods;
}

/**
 * A field memo whose fill lives in another method of the class: the slot is tested, a miss calls
 * `this.load(…)` (awaited or not), that method stores a derived value in the slot (`this.token = {
 * token, expiresAt }`), and the slot is handed out — `if (!this.token || expired) { await
 * this.refresh() } return this.token.value`.
 * @param fn - the method that tests the slot
 * @param statement - the `if` that tests it
 * @param test - the slot and the branch a miss takes
 * @returns the memo, or undefined
 */
export function methodFilledSlot(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.IfStatement,
  { slot, absent }: SlotTest,
): SlotMemo | undefined {
  if (!/^this\.#?[\w$]+$/.test(slot)) return undefined;
  const hit = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements[0]
    : statement.thenStatement;
  const hitReturns =
    !absent &&
    hit !== undefined &&
    ts.isReturnStatement(hit) &&
    hit.expression !== undefined &&
    chain(unwrap(hit.expression)) === slot;
  if (!hitReturns && !(absent && returnsSlot(fn, slot))) return undefined;
  const methods = siblingMethods(fn);
  if (methods.size === 0) return undefined;
  // The calls a miss makes: in the branch taken when the slot is empty, or after the hit's return.
  const region: ts.Node = absent ? statement.thenStatement : fn.body;
  let found: { call: ts.Node; fill: ts.Node; name: string } | undefined;
  walk(region, (n) => {
    if (found !== undefined || !ts.isCallExpression(n) || (!absent && n.pos < statement.end))
      return;
    const name = /^this\.(#?[\w$]+)$/.exec(chain(n.expression) ?? "")?.[1];
    const method = name === undefined ? undefined : methods.get(name);
    if (name === undefined || method === undefined) return;
    const fill = assignmentsTo(method.body, slot).find(
      (a) =>
        !isNothing(a.right) &&
        computed(a.right) &&
        !isPromise(a.right, method) &&
        (derivedValue(method, a.right) || ts.isObjectLiteralExpression(unwrap(a.right))),
    );
    if (fill !== undefined) found = { call: n, fill, name };
  });
  if (found === undefined) return undefined;
  const own = new Set<ts.Node>([
    hitReturns ? statement : statement.expression,
    topStatement(found.call),
    topStatement(found.fill),
  ]);
  return {
    slot,
    fn,
    own: [...own].sort((a, b) => a.pos - b.pos),
    why: `on a miss \`${found.name}\` computes the value and stores it in the slot`,
    kind: "memoize",
    context: [],
  };
}
