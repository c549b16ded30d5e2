import { ts } from "ts-morph";
import { callee, chain, topStatement } from "../ast.js";
import { unwrap } from "../file-facts.js";
import type { SlotMemo } from "./slot-memo.js";
import { assignmentsTo } from "./slot-facts.js";
import { derivedValue, localValue } from "./derived-value.js";

/** `Promise.resolve(x)` → `x`; anything else as is. */
function settledValue(node: ts.Node): ts.Node {
  const n = unwrap(node);
  return ts.isCallExpression(n) && callee(n) === "Promise.resolve" && n.arguments[0] !== undefined
    ? unwrap(n.arguments[0])
    : n;
}

/** Whether `value` is the result a `.then(r => …)` callback receives (`r`), i.e. a loaded value. */
function thenResult(value: ts.Node): boolean {
  const v = unwrap(value);
  if (!ts.isIdentifier(v)) return false;
  for (let c = v.parent; c !== undefined; c = c.parent)
    if (ts.isArrowFunction(c) || ts.isFunctionExpression(c)) {
      const call = c.parent;
      return (
        c.parameters[0]?.name.getText() === v.text &&
        ts.isCallExpression(call) &&
        ts.isPropertyAccessExpression(call.expression) &&
        call.expression.name.text === "then"
      );
    }
  return false;
}

/**
 * A stored last result served when the caller asks for it: `if (cached) return this.info;` on a
 * flag parameter, then the field loaded again (awaited, or in a `.then`) and stored.
 */
export function servedOnRequest(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.IfStatement,
): SlotMemo | undefined {
  const hit = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements[0]
    : statement.thenStatement;
  if (hit === undefined || !ts.isReturnStatement(hit) || hit.expression === undefined)
    return undefined;
  const field = chain(settledValue(hit.expression));
  if (field === undefined || !/^this\.[#\w$]+$/.test(field)) return undefined;
  const fill = assignmentsTo(fn.body, field).find(
    (a) =>
      a.pos >= statement.end &&
      (thenResult(a.right) ||
        (ts.isAwaitExpression(unwrap(a.right)) && derivedValue(fn, a.right)) ||
        (ts.isIdentifier(unwrap(a.right)) &&
          ts.isAwaitExpression(unwrap(localValue(fn, unwrap(a.right).getText(), a.pos) ?? a)))),
  );
  if (fill === undefined) return undefined;
  return {
    slot: field,
    fn,
    own: [statement, topStatement(fill)].sort((a, b) => a.pos - b.pos),
    why: "the last loaded result is kept and served when the caller asks for the stored value",
    kind: "cache-aside",
    context: [],
  };
}
