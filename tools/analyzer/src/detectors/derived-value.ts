import { ts } from "ts-morph";
import { chain, walk } from "../ast.js";
import { unwrap } from "../file-facts.js";

/** Whether a value is computed (a call, an operation) rather than a flag, a timer, a bound handler, a fresh object or an item taken from a queue. */
export function computed(value: ts.Node): boolean {
  const v = unwrap(value);
  if (ts.isArrayLiteralExpression(v) || ts.isNewExpression(v)) return false;
  // An object built from computed parts is a computed value; an empty or constant one is state.
  if (ts.isObjectLiteralExpression(v))
    return v.properties.some(
      (p) =>
        ts.isShorthandPropertyAssignment(p) ||
        (ts.isPropertyAssignment(p) && !ts.isLiteralExpression(unwrap(p.initializer))),
    );
  if (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) return false;
  if (ts.isCallExpression(v) && /(^|\.)(bind|shift|pop)$/.test(chain(v.expression) ?? ""))
    return false;
  if (
    ts.isLiteralExpression(v) ||
    v.kind === ts.SyntaxKind.TrueKeyword ||
    v.kind === ts.SyntaxKind.FalseKeyword
  )
    return false;
  if (
    ts.isCallExpression(v) &&
    /(^|\.)(setTimeout|setInterval|setImmediate)$/.test(chain(v.expression) ?? "")
  )
    return false;
  return true;
}

/** Calls that make resources or load modules rather than derive a value. */
const NOT_DERIVING =
  /(^|\.)[_#]?(create|new|make|open|connect|spawn|register|start|import|require|get[A-Z]\w*Instance|bind)(?![a-z])/;

/** Whether a value is the result of a call that derives it (`parse(x)`, `this.compute()`). */
function derivesByCall(value: ts.Node): boolean {
  let v = unwrap(value);
  if (ts.isAwaitExpression(v)) v = unwrap(v.expression);
  if (!ts.isCallExpression(v)) return false;
  // `readFileSync(p).trim()`: a method of a call's result is named by the method.
  const name =
    chain(v.expression) ??
    (ts.isPropertyAccessExpression(v.expression) ? v.expression.name.text : undefined);
  return name !== undefined && !NOT_DERIVING.test(name) && computed(v);
}

/** The initialiser of the local `name` declared in `fn` before `before` (one level: no chains of locals). */
export function localValue(fn: ts.Node, name: string, before: number): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  walk(fn, (n) => {
    if (
      n.pos < before &&
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === name &&
      n.initializer !== undefined
    )
      found = n.initializer;
  });
  return found;
}

/**
 * Whether a stored value is derived by a call: directly (`parse(x)`, `await load()`), through a
 * local computed in the same function (`const v = read(); … this.x = v`), or in either branch of a
 * choice (`t ? wrap(t) : ""`, `a ?? compute()`).
 */
export function derivedValue(fn: ts.Node, value: ts.Node): boolean {
  const v = unwrap(value);
  if (ts.isIdentifier(v)) {
    const init = localValue(fn, v.text, v.pos);
    return init !== undefined && !ts.isIdentifier(unwrap(init)) && derivedValue(fn, init);
  }
  if (ts.isConditionalExpression(v))
    return derivedValue(fn, v.whenTrue) || derivedValue(fn, v.whenFalse);
  if (
    ts.isBinaryExpression(v) &&
    (v.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      v.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return derivedValue(fn, v.left) || derivedValue(fn, v.right);
  // A part of a derived local (`response.data.projectId`, `rows.length > 0`): the value comes out
  // of the work done on the miss, however it is picked from the result.
  if (partOfDerivedLocal(fn, v)) return true;
  return derivesByCall(v);
}

/** The local a member chain starts from: `response.data.id` → `response`. */
function chainRoot(node: ts.Node): ts.Identifier | undefined {
  let n = unwrap(node);
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n))
    n = unwrap(n.expression);
  return ts.isIdentifier(n) ? n : undefined;
}

/**
 * Whether a value reads a member of a local derived by a call in `fn` (`response.data.projectId`
 * after `const response = await request(…)`), alone or in an operation (`rows.length > 0`).
 */
function partOfDerivedLocal(fn: ts.Node, value: ts.Node): boolean {
  const part = (n: ts.Node): boolean => {
    const u = unwrap(n);
    if (!ts.isPropertyAccessExpression(u) && !ts.isElementAccessExpression(u)) return false;
    const root = chainRoot(u);
    if (root === undefined) return false;
    const init = localValue(fn, root.text, root.pos);
    return init !== undefined && derivesByCall(init);
  };
  if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value))
    return part(value);
  if (
    ts.isBinaryExpression(value) &&
    value.operatorToken.kind !== ts.SyntaxKind.EqualsToken &&
    (part(value.left) || part(value.right))
  )
    return true;
  return false;
}
