import { ts } from "ts-morph";
import { chain, isFunctionLike, walk, walkKinds } from "../ast.js";
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
  walkKinds(fn, [ts.SyntaxKind.VariableDeclaration], (n) => {
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
export function derivedValue(fn: ts.Node, value: ts.Node, depth = 0): boolean {
  const v = unwrap(value);
  if (ts.isIdentifier(v)) {
    const init = localValue(fn, v.text, v.pos);
    if (init === undefined)
      return destructuredFromCall(fn, v.text, v.pos) || assignedDerived(fn, v.text, v.pos, depth);
    return !ts.isIdentifier(unwrap(init)) && derivedValue(fn, init, depth);
  }
  if (ts.isConditionalExpression(v))
    return derivedValue(fn, v.whenTrue, depth) || derivedValue(fn, v.whenFalse, depth);
  if (
    ts.isBinaryExpression(v) &&
    (v.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      v.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return derivedValue(fn, v.left, depth) || derivedValue(fn, v.right, depth);
  // A call's result spread into a list (`[...range(count)]`): the list is the work's answer.
  if (
    ts.isArrayLiteralExpression(v) &&
    v.elements.length > 0 &&
    v.elements.every((e) => ts.isSpreadElement(e) && derivedValue(fn, e.expression, depth))
  )
    return true;
  // A part of a derived local (`response.data.projectId`, `rows.length > 0`): the value comes out
  // of the work done on the miss, however it is picked from the result.
  if (partOfDerivedLocal(fn, v)) return true;
  return derivesByCall(v);
}

/**
 * Whether a local declared without a value (`let ids;`) is given one worked out by a call before
 * `before`, on some branch (`if (given) ids = given; else ids = range(await fetchCount())`).
 */
function assignedDerived(fn: ts.Node, name: string, before: number, depth: number): boolean {
  if (depth > 2) return false;
  let found = false;
  walkKinds(fn, [ts.SyntaxKind.BinaryExpression], (n) => {
    if (
      found ||
      n.end > before ||
      !ts.isBinaryExpression(n) ||
      n.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      !ts.isIdentifier(n.left) ||
      n.left.text !== name
    )
      return;
    if (derivedValue(fn, n.right, depth + 1)) found = true;
  });
  return found;
}

/**
 * Whether `name` is taken apart from a call's result in `fn` before `before` (`const { client_email:
 * email } = await auth.getCredentials()`): a part of the work's answer, like `response.data.id`.
 */
function destructuredFromCall(fn: ts.Node, name: string, before: number): boolean {
  let found = false;
  walk(fn, (n) => {
    if (
      found ||
      n.pos >= before ||
      !ts.isBindingElement(n) ||
      !ts.isIdentifier(n.name) ||
      n.name.text !== name
    )
      return;
    let d: ts.Node = n.parent;
    while (ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d) || ts.isBindingElement(d))
      d = d.parent;
    if (ts.isVariableDeclaration(d) && d.initializer !== undefined && derivesByCall(d.initializer))
      found = true;
  });
  return found;
}

/**
 * Whether a stored value comes out of work the function hands back: the store sits in the first
 * callback of a `.then` on a call, that chain is what the function returns (`return
 * find(app).then((id) => { this.id = id; return id })`), and the value is the callback's parameter
 * or made from it (`` `projects/${id}` ``, `response.text`) — the `.then` spelling of `await`.
 * Work kept in a field of its own (`this.pending = open().then(…)`) is not handed back here.
 * @param fn - the function that tests the slot
 * @param store - the assignment that fills it
 * @returns whether the value is the returned work's result
 */
export function resolvedOnMiss(fn: ts.Node, store: ts.BinaryExpression): boolean {
  let callback: ts.Node | undefined = store.parent;
  while (
    callback !== undefined &&
    callback !== fn &&
    !ts.isArrowFunction(callback) &&
    !ts.isFunctionExpression(callback)
  )
    callback = callback.parent;
  if (callback === undefined || callback === fn) return false;
  const cb = callback as ts.ArrowFunction | ts.FunctionExpression;
  const then = cb.parent;
  if (
    !ts.isCallExpression(then) ||
    then.arguments[0] !== cb ||
    !ts.isPropertyAccessExpression(then.expression) ||
    then.expression.name.text !== "then" ||
    !ts.isCallExpression(unwrap(then.expression.expression))
  )
    return false;
  // The chain (with any `.then`/`.catch` after it) is the function's answer.
  let top: ts.Node = then;
  while (
    ts.isPropertyAccessExpression(top.parent) ||
    (ts.isCallExpression(top.parent) && top.parent.expression === top) ||
    ts.isParenthesizedExpression(top.parent) ||
    ts.isAwaitExpression(top.parent)
  )
    top = top.parent;
  const returned =
    (ts.isReturnStatement(top.parent) && functionOfNode(top.parent) === fn) || top.parent === fn;
  if (!returned) return false;
  const params = new Set(
    cb.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  if (params.size === 0) return false;
  let uses = false;
  walk(store.right, (n) => {
    if (
      ts.isIdentifier(n) &&
      params.has(n.text) &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
    )
      uses = true;
  });
  return uses;
}

/** The innermost function around a node. */
function functionOfNode(node: ts.Node): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
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
