import { ts } from "ts-morph";
import { findAll, isFunctionLike, soleStatement } from "../ast.js";
import { ttlEntry, ttlOfHit } from "./memo-ttl.js";
import { refuse } from "./rewrite.js";
import type { Refusal } from "./rewrite.js";
import { outerWrite } from "./statement-facts.js";

/** `M.method(…)` on the identifier `map`: the call, else undefined. */
function mapCall(
  node: ts.Node | undefined,
  map: string,
  method: string,
): ts.CallExpression | undefined {
  let n = node;
  while (
    n !== undefined &&
    (ts.isNonNullExpression(n) || ts.isAsExpression(n) || ts.isParenthesizedExpression(n))
  )
    n = n.expression;
  return n !== undefined &&
    ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    n.expression.expression.getText() === map &&
    n.expression.name.text === method
    ? n
    : undefined;
}

/** `if (hit !== undefined) return hit;` (or `if (hit)`, `!= null`): whether it returns `hit` when present. */
function returnsHit(statement: ts.Statement | undefined, hit: string): boolean {
  if (
    statement === undefined ||
    !ts.isIfStatement(statement) ||
    statement.elseStatement !== undefined
  )
    return false;
  const then = soleStatement(statement.thenStatement);
  if (then === undefined || !ts.isReturnStatement(then) || then.expression?.getText() !== hit)
    return false;
  const test = statement.expression;
  if (ts.isIdentifier(test)) return test.text === hit;
  return (
    ts.isBinaryExpression(test) &&
    test.left.getText() === hit &&
    ((test.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken &&
      test.right.getText() === "undefined") ||
      (test.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken &&
        ["null", "undefined"].includes(test.right.getText())))
  );
}

/**
 * `v === undefined`, `v == null`, `!v`: whether the test is true when `v` holds nothing.
 * @param test - the condition
 * @param v - the variable's name
 * @returns whether the condition is that test
 */
export function missTest(test: ts.Expression, v: string): boolean {
  if (ts.isPrefixUnaryExpression(test))
    return (
      test.operator === ts.SyntaxKind.ExclamationToken &&
      ts.isIdentifier(test.operand) &&
      test.operand.text === v
    );
  if (!ts.isBinaryExpression(test) || test.left.getText() !== v) return false;
  const op = test.operatorToken.kind;
  const right = test.right.getText();
  return (
    (op === ts.SyntaxKind.EqualsEqualsEqualsToken && right === "undefined") ||
    (op === ts.SyntaxKind.EqualsEqualsToken && (right === "null" || right === "undefined"))
  );
}

/**
 * The fill-on-miss shape of a memo: `let v = map.get(key); if (v === undefined) { …compute…; v =
 * value; map.set(key, v); } return v;` (`!v` and `v == null` as tests too).
 * @returns the compute, the value and the `set`, or undefined when the body is not that shape
 */
function fillOnMiss(
  st: readonly ts.Statement[],
  got: ts.VariableDeclaration,
  v: string,
  map: string,
  key: string,
):
  | {
      compute: readonly ts.Statement[];
      value: ts.Expression;
      set: ts.CallExpression;
      built?: BuiltValue;
    }
  | undefined {
  const [, branch, returned, ...rest] = st;
  if (
    rest.length > 0 ||
    (got.parent.flags & ts.NodeFlags.Let) === 0 ||
    branch === undefined ||
    !ts.isIfStatement(branch) ||
    branch.elseStatement !== undefined ||
    !missTest(branch.expression, v) ||
    returned === undefined ||
    !ts.isReturnStatement(returned) ||
    returned.expression === undefined ||
    !ts.isIdentifier(returned.expression) ||
    returned.expression.text !== v
  )
    return undefined;
  const inner = ts.isBlock(branch.thenStatement) ? branch.thenStatement.statements : [];
  const store = inner[inner.length - 1];
  // `v = value;`, and after it the statements that build it up before it is stored.
  const assignAt = inner.findLastIndex(
    (s) =>
      ts.isExpressionStatement(s) &&
      ts.isBinaryExpression(s.expression) &&
      s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      s.expression.left.getText() === v,
  );
  const assign = inner[assignAt];
  const after = inner.slice(assignAt + 1, -1);
  const set =
    store !== undefined && ts.isExpressionStatement(store)
      ? mapCall(store.expression, map, "set")
      : undefined;
  if (
    assignAt === -1 ||
    assign === undefined ||
    !ts.isExpressionStatement(assign) ||
    !ts.isBinaryExpression(assign.expression) ||
    assign.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
    assign.expression.left.getText() !== v ||
    set === undefined ||
    set.arguments[0]?.getText() !== key ||
    set.arguments[1]?.getText() !== v
  )
    return undefined;
  const compute = inner.slice(0, assignAt);
  // The compute may not read or write the slot it fills.
  if (compute.some((s) => findAll(s, ts.isIdentifier).some((id) => id.text === v)))
    return undefined;
  if (after.length === 0) return { compute, value: assign.expression.right, set };
  // Built up after it is made (`v = new Map(); for (…) v.set(…);`): never assigned again there.
  const reassigned = after.some((s) =>
    findAll(s, ts.isIdentifier).some(
      (id) =>
        id.text === v &&
        ((ts.isBinaryExpression(id.parent) &&
          id.parent.left === id &&
          id.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
          id.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
          ts.isPrefixUnaryExpression(id.parent) ||
          ts.isPostfixUnaryExpression(id.parent)),
    ),
  );
  if (reassigned) return undefined;
  return {
    compute: [...compute, assign, ...after],
    value: returned.expression,
    set,
    built: { assign, name: v, made: assign.expression.right },
  };
}

/**
 * The fill-on-absence shape of a memo: `if (!map.has(key)) { …compute…; map.set(key, value); }
 * return map.get(key);` (the `get` may be asserted, `map.get(key)!`).
 * @returns the compute and the value, or undefined when the body is not that shape
 */
function fillOnAbsence(
  st: readonly ts.Statement[],
  map: string,
  key: string,
): { compute: readonly ts.Statement[]; value: ts.Expression } | undefined {
  const [branch, returned, ...rest] = st;
  if (
    rest.length > 0 ||
    branch === undefined ||
    !ts.isIfStatement(branch) ||
    branch.elseStatement !== undefined ||
    !ts.isPrefixUnaryExpression(branch.expression) ||
    branch.expression.operator !== ts.SyntaxKind.ExclamationToken ||
    mapCall(branch.expression.operand, map, "has")?.arguments[0]?.getText() !== key ||
    returned === undefined ||
    !ts.isReturnStatement(returned) ||
    mapCall(returned.expression, map, "get")?.arguments[0]?.getText() !== key
  )
    return undefined;
  const inner = ts.isBlock(branch.thenStatement)
    ? branch.thenStatement.statements
    : [branch.thenStatement];
  const store = inner[inner.length - 1];
  const set =
    store !== undefined && ts.isExpressionStatement(store)
      ? mapCall(store.expression, map, "set")
      : undefined;
  const value = set?.arguments[1];
  if (set === undefined || set.arguments.length !== 2 || set.arguments[0]?.getText() !== key)
    return undefined;
  return value === undefined ? undefined : { compute: inner.slice(0, -1), value };
}

/**
 * A value made by `v = value;` and built up by the statements after it before it is stored: the
 * memo's compute declares it there (`const v = value;`) and returns `v`.
 */
export interface BuiltValue {
  /** The statement that makes it (`v = value;`), written `const v = value;` in the memo. */
  readonly assign: ts.ExpressionStatement;
  /** The variable's name. */
  readonly name: string;
  /** The value it is made from. */
  readonly made: ts.Expression;
}

/**
 * Whether `node` reads `this` or `arguments` outside functions nested in it (an arrow function
 * reads its surroundings'), or returns outside every function nested in it (a return in a function
 * the compute makes, `fn = (x) => { …; return y; }`, is that function's).
 */
function leavesScope(node: ts.Node, allowThis = false): string | undefined {
  let found: string | undefined;
  const visit = (n: ts.Node, nested: boolean): void => {
    if (found !== undefined) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword && !allowThis) found = "reads `this`";
    else if (ts.isIdentifier(n) && n.text === "arguments") found = "reads `arguments`";
    else if (ts.isReturnStatement(n) && !nested) found = "returns early";
    if (!isFunctionLike(n) || ts.isArrowFunction(n))
      ts.forEachChild(n, (child) => visit(child, nested || isFunctionLike(n)));
  };
  visit(node, false);
  return found;
}

/** A memo function's body, matched: its key, the compute and the value it stores. */
export interface MemoBody {
  readonly body: ts.Block;
  readonly param: ts.ParameterDeclaration;
  readonly key: string;
  readonly keyTypeText: string | undefined;
  readonly st: readonly ts.Statement[];
  readonly compute: readonly ts.Statement[];
  readonly value: ts.Expression;
  /** 2 behind a `get` test (an `undefined` value was computed again), 1 behind a `has` test. */
  readonly computeFrom: number;
  readonly ttl: ts.Expression | undefined;
  readonly entry: ReturnType<typeof ttlEntry>;
  readonly returned: ts.Statement;
  /** When the value is built up after it is made, before it is stored. */
  readonly built?: BuiltValue;
}

/**
 * Matches a get-or-compute body over the store `map` (`cache`, `this.#cache`): a lookup that
 * returns the stored value, the compute, the `set` and the return.
 * @param file - the file
 * @param fn - the memo function
 * @param map - the store as the code names it
 * @param useCount - how many times the code names the store
 * @param keyType - the store's written key type, if any
 * @param allowThis - whether the compute may read `this` (it moves where `this` is the same)
 * @param view - the memo's own statements and key, when they are the tail of a function of more
 *   parameters (the inner memo of a nested one); by default the whole body and its one parameter
 * @returns the match, or the refusal
 */
export function matchMemoBody(
  file: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
  map: string,
  useCount: number,
  keyType: ts.TypeNode | undefined,
  allowThis: boolean,
  view?: { readonly statements: readonly ts.Statement[]; readonly param: ts.ParameterDeclaration },
): MemoBody | Refusal {
  const body = fn.body;
  if (body === undefined || !ts.isBlock(body)) return refuse("the function has no block body");
  if (
    view === undefined &&
    (fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0]?.name as ts.Node))
  )
    return refuse("the function does not take exactly one named argument (the key)");
  const param = view?.param ?? fn.parameters.at(0);
  if (param === undefined) return refuse("the function takes no argument (the key)");
  const key = (param.name as ts.Identifier).text;
  const keyTypeText = param.type?.getText(file) ?? keyType?.getText(file);
  const st = view?.statements ?? body.statements;
  const locals = new Set([
    key,
    ...findAll(body, ts.isVariableDeclaration).flatMap((d) =>
      ts.isIdentifier(d.name) ? [d.name.text] : [],
    ),
  ]);
  const stored = st[st.length - 2];
  const returned = st[st.length - 1];
  const set =
    stored !== undefined && ts.isExpressionStatement(stored)
      ? mapCall(stored.expression, map, "set")
      : undefined;
  // `map.set(key, { value, expires: Date.now() + TTL })`: a TTL memo, when the hit test agrees.
  const entry = ttlEntry(set?.arguments[1], locals);
  let ttl: ts.Expression | undefined;
  let computeFrom: number;
  const first = st[0];
  const got =
    first !== undefined &&
    ts.isVariableStatement(first) &&
    first.declarationList.declarations.length === 1
      ? first.declarationList.declarations[0]
      : undefined;
  const hit =
    got !== undefined &&
    ts.isIdentifier(got.name) &&
    mapCall(got.initializer, map, "get")?.arguments[0]?.getText(file) === key
      ? got.name.text
      : undefined;
  const hitTtl =
    hit !== undefined && entry !== undefined ? ttlOfHit(st[1], hit, entry, locals) : undefined;
  // `let v = map.get(key); if (v === undefined) { …; v = compute; map.set(key, v); } return v;`
  const filled =
    hit !== undefined && got !== undefined ? fillOnMiss(st, got, hit, map, key) : undefined;
  // `if (!map.has(key)) { …; map.set(key, value); } return map.get(key);`
  const absent = filled === undefined ? fillOnAbsence(st, map, key) : undefined;
  if (filled !== undefined) computeFrom = 2;
  else if (absent !== undefined) computeFrom = 1;
  else if (hit !== undefined && returnsHit(st[1], hit)) computeFrom = 2;
  else if (hitTtl !== undefined) {
    computeFrom = 2;
    ttl = hitTtl;
  } else if (
    first !== undefined &&
    ts.isIfStatement(first) &&
    first.elseStatement === undefined &&
    mapCall(first.expression, map, "has")?.arguments[0]?.getText(file) === key &&
    (() => {
      const then = soleStatement(first.thenStatement);
      return (
        then !== undefined &&
        ts.isReturnStatement(then) &&
        mapCall(then.expression, map, "get")?.arguments[0]?.getText(file) === key
      );
    })()
  )
    computeFrom = 1;
  else
    return refuse(
      `the function does not start by returning the stored value of \`${key}\` (\`${map}.get\`/\`${map}.has\`${entry === undefined ? "" : ", or a TTL entry tested against `Date.now()`"})`,
    );
  const storedValue = ttl === undefined ? set?.arguments[1] : entry?.value;
  if (
    filled === undefined &&
    absent === undefined &&
    (set === undefined ||
      set.arguments[0]?.getText(file) !== key ||
      returned === undefined ||
      !ts.isReturnStatement(returned) ||
      returned.expression?.getText(file) !== storedValue?.getText(file))
  )
    return refuse(
      `the function does not end by storing the value under \`${key}\` and returning it`,
    );
  if (useCount !== (computeFrom === 2 ? 2 : 3))
    return refuse(
      `the map \`${map}\` is used more than to get, test and set in \`${key}\`'s function`,
    );
  const compute = filled?.compute ?? absent?.compute ?? st.slice(computeFrom, st.length - 2);
  const value = filled?.value ?? absent?.value ?? (returned as ts.ReturnStatement).expression;
  if (value === undefined) return refuse("the function returns nothing");
  // `let v = map.get(key); if (v !== undefined) return v; v = value; …; map.set(key, v); return v;`:
  // the hit's variable made again on a miss is a value the memo declares (`const v = value;`).
  const built =
    filled?.built ??
    (filled === undefined && absent === undefined && ttl === undefined && got !== undefined
      ? remade(compute, got, value)
      : undefined);
  for (const s of [...compute, value]) {
    const why = leavesScope(s, allowThis);
    if (why !== undefined) return refuse(`the compute ${why}`);
    // The statement that makes a built value assigns it: the memo declares it there instead.
    if (s === built?.assign) continue;
    const written = outerWrite(s, file, compute);
    if (written !== undefined)
      return refuse(`the compute is not a pure call: it assigns \`${written}\``);
  }
  return {
    body,
    param,
    key,
    keyTypeText,
    st,
    compute,
    value,
    computeFrom,
    ttl,
    entry,
    returned: returned as ts.Statement,
    ...(built === undefined ? {} : { built }),
  };
}

/** Whether a statement assigns `name` (`name = …`, `name += …`, `name++`). */
const assigns = (s: ts.Node, name: string): boolean =>
  findAll(s, ts.isIdentifier).some(
    (id) =>
      id.text === name &&
      ((ts.isBinaryExpression(id.parent) &&
        id.parent.left === id &&
        id.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        id.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
        ((ts.isPrefixUnaryExpression(id.parent) || ts.isPostfixUnaryExpression(id.parent)) &&
          id.parent.operand === id)),
  );

/**
 * The hit's `let` variable made again first thing on a miss (`v = value;`) and never assigned
 * after, the value the function stores and returns being `v`: a value the memo declares.
 * @param compute - the statements between the hit's return and the store
 * @param got - the hit's declaration (`let v = map.get(key)`)
 * @param value - what the function stores and returns
 * @returns the built value, or undefined when the compute is not that
 */
function remade(
  compute: readonly ts.Statement[],
  got: ts.VariableDeclaration,
  value: ts.Expression,
): BuiltValue | undefined {
  const [assign, ...after] = compute;
  const name = ts.isIdentifier(got.name) ? got.name.text : undefined;
  if (
    name === undefined ||
    !ts.isVariableDeclarationList(got.parent) ||
    (got.parent.flags & ts.NodeFlags.Let) === 0 ||
    !ts.isIdentifier(value) ||
    value.text !== name ||
    assign === undefined ||
    !ts.isExpressionStatement(assign) ||
    !ts.isBinaryExpression(assign.expression) ||
    assign.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
    !ts.isIdentifier(assign.expression.left) ||
    assign.expression.left.text !== name ||
    findAll(assign.expression.right, ts.isIdentifier).some((id) => id.text === name) ||
    after.some((s) => assigns(s, name))
  )
    return undefined;
  return { assign, name, made: assign.expression.right };
}

/**
 * The expression a memo's value is, when the compute is no more than that: one declaration of the
 * value (`const v = expr` → `expr`), or nothing at all (the value itself).
 * @param file - the source file
 * @param compute - the statements that compute the value
 * @param value - the value's name as the memo stores it
 * @returns the expression, or undefined when the compute is more than one declaration of it
 */
export function directValue(
  file: ts.SourceFile,
  compute: readonly ts.Statement[],
  value: ts.Expression,
): ts.Expression | undefined {
  const sole = compute.length === 1 ? compute[0] : undefined;
  const soleDecl =
    sole !== undefined &&
    ts.isVariableStatement(sole) &&
    sole.declarationList.declarations.length === 1
      ? sole.declarationList.declarations[0]
      : undefined;
  if (soleDecl?.initializer !== undefined && soleDecl.name.getText(file) === value.getText(file))
    return soleDecl.initializer;
  return compute.length === 0 ? value : undefined;
}
