import { ts } from "ts-morph";
import { chain, topStatement, walk } from "../ast.js";
import { unwrap } from "../file-facts.js";
import { computed, derivedValue, localValue } from "./derived-value.js";
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

/** Calls that make or open a resource, anywhere in a fluent chain (`this.#createClient().on(…)`). */
function makesResource(node: ts.Node): boolean {
  for (let n = unwrap(node); ;) {
    if (ts.isCallExpression(n)) {
      const name = ts.isPropertyAccessExpression(n.expression)
        ? n.expression.name.text
        : (chain(n.expression) ?? "");
      if (/^[_#]?(create|connect|open|spawn|new|make)([A-Z]|$)/.test(name)) return true;
      n = unwrap(n.expression);
    } else if (ts.isPropertyAccessExpression(n)) n = unwrap(n.expression);
    else return ts.isNewExpression(n);
  }
}

/**
 * A record of values already made (`{ token, expiresAt }`), not one that holds work or a resource
 * being made (`{ client, ready: client.connect() }`, `{ socket: new Socket() }`), directly or
 * through the method's locals.
 */
function dataRecord(method: ts.Node, value: ts.Node): boolean {
  const v = unwrap(value);
  const made = (n: ts.Node): boolean => {
    const u = unwrap(n);
    return ts.isCallExpression(u) || ts.isNewExpression(u) || ts.isAwaitExpression(u);
  };
  return (
    ts.isObjectLiteralExpression(v) &&
    v.properties.every((p) => {
      const part = ts.isShorthandPropertyAssignment(p)
        ? p.name
        : ts.isPropertyAssignment(p)
          ? unwrap(p.initializer)
          : undefined;
      if (part === undefined || isPromise(part, method) || makesResource(part)) return false;
      const local = ts.isIdentifier(part) ? localValue(method, part.text, p.pos) : undefined;
      if (local === undefined) return true;
      if (isPromise(local, method) || makesResource(local)) return false;
      return !made(local) || derivedValue(method, local);
    })
  );
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
        (derivedValue(method, a.right) || dataRecord(method, a.right)),
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
