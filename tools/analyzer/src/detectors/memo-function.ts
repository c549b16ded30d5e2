import { ts } from "ts-morph";
import { topStatement } from "../ast.js";
import { unwrap } from "../file-facts.js";

/** The statements of a get-or-compute function beyond a memo's own: the range the memo takes. */
export interface MemoFunction {
  /** The function's closing `return` of the kept value: a migration replaces it with the call. */
  readonly ret: ts.ReturnStatement;
  /** The function as written (its declaration, or the statement that names it): the range. */
  readonly span: ts.Node;
}

/** Statements of the body that are neither the memo's nor its final `return`, at most. */
const OTHER_STATEMENTS = 3;

/**
 * The node that names a function: a declaration or method itself, or the statement that assigns a
 * function expression (`const getX = () => {…}`, `Foo.prototype.x = function () {…}`). A callback
 * handed to a call exists for its caller, not for the memo: none.
 */
function namedSpan(fn: ts.Node): ts.Node | undefined {
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn))
    return fn;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let outer: ts.Node = fn;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent))
    outer = outer.parent;
  const parent = outer.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === outer) return topStatement(parent);
  if (ts.isPropertyDeclaration(parent) && parent.initializer === outer) return parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === outer) return parent;
  if (
    ts.isBinaryExpression(parent) &&
    parent.right === outer &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isExpressionStatement(parent.parent)
  )
    return parent.parent;
  return undefined;
}

/**
 * Whether the memo's function exists for it — a get-or-compute function (`get app() { if
 * (!this._app) this._app = make(); return this._app; }`, `getParser(k) { … cache.set(k, p);
 * return p; }`): it ends by returning the kept value, and besides the memo's own statements it
 * holds at most a few others (the key built, an early answer for an input that needs no memo). The
 * labelling convention gives such a function's memo the function's range; the closing `return` is
 * the memo's own line too (the call replaces it). A memo inline in a longer function, or in one
 * that returns something else, keeps its own lines.
 * @param fn - the function holding the memo
 * @param own - the memo's own statements
 * @param returnsKept - whether a returned expression is the kept value (the slot, the store read
 *   under the key, the local holding the value)
 * @returns the closing return and the function's span, or undefined
 */
export function memoFunction(
  fn: ts.Node,
  own: readonly ts.Node[],
  returnsKept: (returned: ts.Expression) => boolean,
): MemoFunction | undefined {
  const span = namedSpan(fn);
  if (span === undefined || !("body" in fn)) return undefined;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body === undefined || !ts.isBlock(body)) return undefined;
  const last = body.statements[body.statements.length - 1];
  if (last === undefined || !ts.isReturnStatement(last) || last.expression === undefined)
    return undefined;
  let returned: ts.Expression = last.expression;
  while (ts.isAwaitExpression(unwrap(returned)))
    returned = (unwrap(returned) as ts.AwaitExpression).expression;
  if (!returnsKept(unwrap(returned) as ts.Expression)) return undefined;
  // The memo's statements at the top of the body (a statement nested in one of them counts for it).
  const mine = (s: ts.Statement): boolean =>
    own.some((n) => (n.pos >= s.pos && n.end <= s.end) || (s.pos >= n.pos && s.end <= n.end));
  const others = body.statements.filter((s) => s !== last && !mine(s));
  if (others.length === body.statements.length - 1) return undefined;
  if (others.length > OTHER_STATEMENTS) return undefined;
  return { ret: last, span };
}
