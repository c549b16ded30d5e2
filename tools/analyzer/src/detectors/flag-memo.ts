import { ts } from "ts-morph";
import { chain, inside, topStatement } from "../ast.js";
import { unwrap } from "../file-facts.js";
import { functionOf, isPromise } from "./keyed-flows.js";
import type { SlotMemo } from "./slot-memo.js";
import { assignmentsTo, returnsFunction } from "./slot-facts.js";
import type { SlotTest } from "./slot-facts.js";
import { computed, derivedValue } from "./derived-value.js";
import { loadedModule } from "./look-alikes.js";

/**
 * A value slot guarded by a flag: `if (done) return result; result = compute(); done = true`, or
 * `if (!done) { result = compute(); done = true } return result` — in a memoizing helper's
 * closure or on the object (a field).
 */
export function flagMemo(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.IfStatement,
  { slot: flag, absent }: SlotTest,
): SlotMemo | undefined {
  const hit = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements[0]
    : statement.thenStatement;
  let value: string | undefined;
  if (!absent) {
    if (hit === undefined || !ts.isReturnStatement(hit) || hit.expression === undefined)
      return undefined;
    value = chain(unwrap(hit.expression));
  } else {
    const back = fn.body.statements.find(
      (st) => ts.isReturnStatement(st) && st.expression !== undefined && st.pos >= statement.end,
    ) as ts.ReturnStatement | undefined;
    value = back?.expression === undefined ? undefined : chain(unwrap(back.expression));
  }
  if (value === undefined || value === flag || value === "this") return undefined;
  const compute = assignmentsTo(fn.body, value).find(
    (a) =>
      (absent ? inside(a, statement.thenStatement) : a.pos >= statement.end) &&
      computed(a.right) &&
      derivedValue(fn, a.right),
  );
  const raise = assignmentsTo(fn.body, flag).find(
    (a) => a.right.kind === ts.SyntaxKind.TrueKeyword,
  );
  if (compute === undefined || raise === undefined || isPromise(compute.right, fn))
    return undefined;
  if (loadedModule(fn, compute.right)) return undefined;
  const container = value.startsWith("this.") ? fn : functionOf(fn);
  const closureHelper = !value.includes(".") && returnsFunction(container);
  const field = value.startsWith("this.") && flag.startsWith("this.");
  if (!closureHelper && !field) return undefined;
  return {
    slot: value,
    fn,
    own: [...new Set([statement, topStatement(compute), topStatement(raise)])].sort(
      (a, b) => a.pos - b.pos,
    ),
    why: `a flag (\`${flag}\`) records that the value was computed; later calls get the stored value`,
    kind: "memoize",
    context: [],
  };
}
