import { ts } from "ts-morph";
import { chain, moduleVariable } from "../ast.js";
import { unwrap } from "../file-facts.js";
import type { SlotMemo } from "./slot-memo.js";
import { assignmentsTo } from "./slot-facts.js";
import { computed, derivedValue } from "./derived-value.js";

/**
 * Whether a slot outlives a call: a field (`this.x`, `#x`), a variable of the module, or a member
 * of a module-level record (`ca.url` after `const ca = { url: null, cert: null }`).
 */
function persistentSlot(sourceFile: ts.SourceFile, slot: string): boolean {
  if (slot.startsWith("this.") || slot.startsWith("#")) return true;
  return moduleVariable(sourceFile, slot.split(".")[0] ?? slot) !== undefined;
}

/** The input a test compares with a kept key: a parameter, a member of one, or a field. */
function inputChain(side: ts.Node, params: ReadonlySet<string>): string | undefined {
  const text = chain(side);
  if (text === undefined) return undefined;
  const root = text.split(".")[0] ?? text;
  return params.has(root) || (root === "this" && text.includes(".")) ? text : undefined;
}

/** The statements among `statements` that store `value` in `slot` (`slot = value`). */
function storeOf(
  statements: readonly ts.Statement[],
  slot: string,
  value: string,
): ts.Statement | undefined {
  return statements.find((st) =>
    assignmentsTo(st, slot).some((a) => chain(unwrap(a.right)) === value),
  );
}

/**
 * The slot beside the key that receives the computed result: the hit's returned slot, or — when
 * the hit returns nothing — a store into a member of the key's own record (`ca.cert` beside
 * `ca.url`) of a value derived by a call (a state copied in is a transition, not a result).
 */
function resultStore(
  fn: ts.Node,
  statements: readonly ts.Statement[],
  keySlot: string,
  returned: string | undefined,
): { slot: string; store: ts.Statement } | undefined {
  if (returned !== undefined) {
    const store = statements.find((st) =>
      assignmentsTo(st, returned).some((a) => computed(a.right)),
    );
    return store === undefined ? undefined : { slot: returned, store };
  }
  const owner = keySlot.slice(0, keySlot.lastIndexOf(".") + 1);
  if (owner === "") return undefined;
  for (const st of statements) {
    if (!ts.isExpressionStatement(st)) continue;
    const e = unwrap(st.expression);
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const slot = chain(e.left);
    if (
      slot !== undefined &&
      slot !== keySlot &&
      slot.startsWith(owner) &&
      derivedValue(fn, e.right)
    )
      return { slot, store: st };
  }
  return undefined;
}

/**
 * A single-entry "last seen" memo: the input is compared with a kept key; the same input gets the
 * kept result (`if (input === lastInput) return lastResult`, then the result is computed and both
 * kept), a changed input refills both (`if (this.cachedUrl !== this.url) { this.parsed =
 * parse(this.url); this.cachedUrl = this.url } return this.parsed`). The key's store copies the
 * compared input: that flow, not a name, makes the memo.
 */
export function lastSeenMemo(
  sourceFile: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
): SlotMemo | undefined {
  if (fn.body === undefined || !ts.isBlock(fn.body)) return undefined;
  const params = new Set(
    fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  const statements = fn.body.statements;
  for (const [i, statement] of statements.entries()) {
    if (!ts.isIfStatement(statement) || statement.elseStatement !== undefined) continue;
    const cond = unwrap(statement.expression);
    if (!ts.isBinaryExpression(cond)) continue;
    const op = cond.operatorToken.kind;
    const same =
      op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const changed =
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!same && !changed) continue;
    const sides = [unwrap(cond.left), unwrap(cond.right)];
    for (const [k, keySide] of sides.entries()) {
      const keySlot = chain(keySide);
      const input = inputChain(sides[1 - k] as ts.Node, params);
      if (keySlot === undefined || input === undefined || keySlot === input) continue;
      if (!persistentSlot(sourceFile, keySlot) || params.has(keySlot.split(".")[0] ?? "")) continue;
      const memo = same
        ? sameInput(sourceFile, fn, statement, statements.slice(i + 1), keySlot, input)
        : changedInput(sourceFile, fn, statement, statements.slice(i + 1), keySlot, input);
      if (memo !== undefined) return memo;
    }
  }
  return undefined;
}

/** `if (input === key) return result; … result = compute(); key = input`. */
function sameInput(
  sourceFile: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
  statement: ts.IfStatement,
  rest: readonly ts.Statement[],
  keySlot: string,
  input: string,
): SlotMemo | undefined {
  const hit = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements[0]
    : statement.thenStatement;
  if (hit === undefined || !ts.isReturnStatement(hit)) return undefined;
  const returned = hit.expression === undefined ? undefined : chain(unwrap(hit.expression));
  if (hit.expression !== undefined && returned === undefined) return undefined;
  if (returned !== undefined && (returned === keySlot || !persistentSlot(sourceFile, returned)))
    return undefined;
  const keyWrite = storeOf(rest, keySlot, input);
  const result = resultStore(fn, rest, keySlot, returned);
  if (keyWrite === undefined || result === undefined) return undefined;
  return entry(sourceFile, fn, [statement, keyWrite, result.store], keySlot, result.slot);
}

/** `if (key !== input) { result = compute(); key = input } return result`. */
function changedInput(
  sourceFile: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
  statement: ts.IfStatement,
  rest: readonly ts.Statement[],
  keySlot: string,
  input: string,
): SlotMemo | undefined {
  const branch = ts.isBlock(statement.thenStatement)
    ? [...statement.thenStatement.statements]
    : [statement.thenStatement];
  const keyWrite = storeOf(branch, keySlot, input);
  const back = rest.find((st) => ts.isReturnStatement(st) && st.expression !== undefined);
  const returned =
    back !== undefined && ts.isReturnStatement(back) && back.expression !== undefined
      ? chain(unwrap(back.expression))
      : undefined;
  if (keyWrite === undefined || returned === undefined || returned === keySlot) return undefined;
  if (!persistentSlot(sourceFile, returned)) return undefined;
  const result = resultStore(fn, branch, keySlot, returned);
  if (result === undefined) return undefined;
  return entry(sourceFile, fn, [statement], keySlot, result.slot);
}

function entry(
  sourceFile: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
  own: readonly ts.Node[],
  keySlot: string,
  valueSlot: string,
): SlotMemo {
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
    own: [...new Set([...holders, ...own])].sort((a, b) => a.pos - b.pos),
    why: `the last input (\`${keySlot}\`) and its result are kept; the same input gets the stored result`,
    kind: "memoize",
    context: [],
  };
}
