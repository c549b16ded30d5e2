import { ts } from "ts-morph";
import { chain, moduleVariable } from "../ast.js";
import { unwrap } from "../file-facts.js";
import type { SlotMemo } from "./slot-memo.js";
import { assignmentsTo } from "./slot-facts.js";

/** Whether a slot outlives a call: a field (`this.x`, `#x`) or a variable of the module. */
function persistentSlot(sourceFile: ts.SourceFile, slot: string): boolean {
  if (slot.startsWith("this.") || slot.startsWith("#")) return true;
  if (slot.includes(".")) return false;
  return moduleVariable(sourceFile, slot) !== undefined;
}

/**
 * A single-entry "last seen" memo: `if (input === lastInput) return lastResult`, then the result is
 * computed and both kept (`lastInput = input; lastResult = result`). Same input, stored result.
 */
export function lastSeenMemo(
  sourceFile: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
): SlotMemo | undefined {
  if (fn.body === undefined || !ts.isBlock(fn.body)) return undefined;
  const params = new Set(
    fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  if (params.size === 0) return undefined;
  const statements = fn.body.statements;
  for (const [i, statement] of statements.entries()) {
    if (!ts.isIfStatement(statement)) continue;
    const cond = unwrap(statement.expression);
    if (
      !ts.isBinaryExpression(cond) ||
      (cond.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken &&
        cond.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsToken)
    )
      continue;
    const sides = [unwrap(cond.left), unwrap(cond.right)];
    const input = sides.find((side) => ts.isIdentifier(side) && params.has(side.text));
    const keySlot = chain(sides.find((side) => side !== input) ?? cond);
    if (input === undefined || keySlot === undefined || !persistentSlot(sourceFile, keySlot))
      continue;
    const hit = ts.isBlock(statement.thenStatement)
      ? statement.thenStatement.statements[0]
      : statement.thenStatement;
    if (hit === undefined || !ts.isReturnStatement(hit) || hit.expression === undefined) continue;
    const valueSlot = chain(unwrap(hit.expression));
    if (valueSlot === undefined || valueSlot === keySlot || !persistentSlot(sourceFile, valueSlot))
      continue;
    const rest = statements.slice(i + 1);
    const keyWrite = rest.find((st) =>
      assignmentsTo(st, keySlot).some(
        (a) => chain(unwrap(a.right)) === (input as ts.Identifier).text,
      ),
    );
    const valueWrite = rest.find((st) => assignmentsTo(st, valueSlot).length > 0);
    if (keyWrite === undefined || valueWrite === undefined) continue;
    // The module variables that hold the entry belong to it when they sit just above the function.
    const start = sourceFile.getLineAndCharacterOfPosition(fn.getStart(sourceFile)).line;
    const holders = [keySlot, valueSlot]
      .map((name) => moduleVariable(sourceFile, name))
      .filter(
        (st): st is ts.VariableStatement =>
          st !== undefined &&
          start - sourceFile.getLineAndCharacterOfPosition(st.end).line <= 8 &&
          st.end <= fn.pos,
      );
    return {
      slot: valueSlot,
      fn,
      own: [...new Set(holders), statement, keyWrite, valueWrite].sort((a, b) => a.pos - b.pos),
      why: `the last input (\`${keySlot}\`) and its result are kept; the same input gets the stored result`,
      kind: "memoize",
      context: [],
    };
  }
  return undefined;
}
