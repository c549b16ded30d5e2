import { ts } from "ts-morph";
import { chain, topStatement, walk } from "../ast.js";
import { unwrap } from "../file-facts.js";

/** The statements of a get-or-compute function beyond a memo's own: the range the memo takes. */
export interface MemoFunction {
  /**
   * The function's closing `return` of the kept value (or, for a shared operation, its closing
   * `await` of it): a migration replaces it with the call.
   */
  readonly ret: ts.ReturnStatement | ts.ExpressionStatement;
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
export function namedSpan(fn: ts.Node): ts.Node | undefined {
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
 * the memo's own line too (the call replaces it). A memo inline in a longer function, in one that
 * returns something else, or in one that also writes elsewhere (`references.set(key, this)`, a
 * field of `this`) keeps its own lines.
 * @param fn - the function holding the memo
 * @param own - the memo's own statements
 * @param store - the memo's store or slot as the code names it
 * @param returnsKept - whether a returned expression is the kept value (the slot, the store read
 *   under the key, the local holding the value)
 * @param awaitEnds - whether a closing `await kept;` ends the function as its `return` would (an
 *   operation shared while it runs, joined and waited for: the caller gets its outcome)
 * @returns the closing return and the function's span, or undefined
 */
export function memoFunction(
  fn: ts.Node,
  own: readonly ts.Node[],
  store: string,
  returnsKept: (returned: ts.Expression) => boolean,
  awaitEnds = false,
): MemoFunction | undefined {
  const span = namedSpan(fn);
  if (span === undefined || !("body" in fn)) return undefined;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body === undefined || !ts.isBlock(body)) return undefined;
  const last = body.statements[body.statements.length - 1];
  const closing =
    last === undefined
      ? undefined
      : ts.isReturnStatement(last)
        ? last.expression
        : awaitEnds &&
            ts.isExpressionStatement(last) &&
            ts.isAwaitExpression(unwrap(last.expression))
          ? last.expression
          : undefined;
  if (last === undefined || closing === undefined) return undefined;
  let returned: ts.Expression = closing;
  while (ts.isAwaitExpression(unwrap(returned)))
    returned = (unwrap(returned) as ts.AwaitExpression).expression;
  if (!returnsKept(unwrap(returned) as ts.Expression)) return undefined;
  // The memo's statements at the top of the body (a statement nested in one of them counts for it).
  const mine = (s: ts.Statement): boolean =>
    own.some((n) => (n.pos >= s.pos && n.end <= s.end) || (s.pos >= n.pos && s.end <= n.end));
  const others = body.statements.filter((s) => s !== last && !mine(s));
  if (others.length === body.statements.length - 1) return undefined;
  if (others.length > OTHER_STATEMENTS) return undefined;
  // Something else written beside the memo (`references.set(key, this)`, `this.last = key`): the
  // function does more than keep the value.
  // Locals (the value being built) and stores looked up here (the outer level of a nested memo).
  const locals = new Set<string>();
  walk(body, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) locals.add(n.name.text);
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      /^(get|has)$/.test(n.expression.name.text)
    )
      locals.add(nameOf(n.expression.expression));
  });
  if (body.statements.some((s) => s !== last && writesElsewhere(s, own, store, locals)))
    return undefined;
  return { ret: last as ts.ReturnStatement | ts.ExpressionStatement, span };
}

/** How the code names a target (`this.cache`, `this[kContext][kCompiled]`), spaces aside. */
function nameOf(node: ts.Node): string {
  return chain(node) ?? node.getText().replace(/\s+/g, "");
}

/** Methods that write into a collection. */
const COLLECTION_WRITE = /^(set|add|put|push|unshift|splice|delete|append)$/;

/**
 * Whether a statement, outside the memo's own nodes, writes a member of something other than the
 * memo's store or a local of the function (the value being built): an assignment to a property or
 * element, or a collection's write method.
 */
function writesElsewhere(
  statement: ts.Node,
  own: readonly ts.Node[],
  store: string,
  locals: ReadonlySet<string>,
): boolean {
  const isStore = (target: ts.Node): boolean => {
    let root: ts.Node = target;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root))
      root = root.expression;
    if (ts.isIdentifier(root) && locals.has(root.text)) return true;
    const c = nameOf(target);
    return locals.has(c) || c === store || c.startsWith(`${store}.`) || c.startsWith(`${store}[`);
  };
  let found = false;
  walk(statement, (n) => {
    if (found || own.some((o) => n.pos >= o.pos && n.end <= o.end)) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      (ts.isPropertyAccessExpression(n.left) || ts.isElementAccessExpression(n.left)) &&
      !isStore(n.left) &&
      !(ts.isElementAccessExpression(n.left) && isStore(n.left.expression))
    )
      found = true;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      COLLECTION_WRITE.test(n.expression.name.text) &&
      !isStore(n.expression.expression)
    )
      found = true;
  });
  return found;
}

/** Members that are code (methods and accessors), the constructor aside. */
function codeMembers(cls: ts.ClassLikeDeclaration): ts.Node[] {
  return cls.members.filter(
    (m) =>
      ts.isMethodDeclaration(m) ||
      ts.isGetAccessorDeclaration(m) ||
      ts.isSetAccessorDeclaration(m) ||
      (ts.isPropertyDeclaration(m) &&
        m.initializer !== undefined &&
        (ts.isArrowFunction(m.initializer) || ts.isFunctionExpression(m.initializer))),
  );
}

/**
 * The class a memo's store belongs to when the class exists for it — a cache class (`class
 * MemoryCache { get(k) {…this.data…} set(k, v) {…this.data…} clear() {…this.data…} }`): the memo
 * is in one of its methods, its store is a field of `this`, and every method of the class (three
 * at least, the constructor aside: a lookup, a fill and a drop; a memo beside one reset is a class
 * with data that also memoizes) uses that field. The labelling convention gives such a class's
 * memo the class's range, and a migration removes the class. A class with a method that does not
 * touch the store, or whose methods change other fields of `this`, does more than cache and keeps
 * the memo's own lines.
 * @param fn - the function holding the memo
 * @param store - the store or slot as the code names it (`this.data`, `this.#entries`)
 * @param least - the fewest methods the class must have
 * @returns the class, or undefined
 */
export function cacheClass(
  fn: ts.Node,
  store: string,
  least = 3,
): ts.ClassLikeDeclaration | undefined {
  if (!/^this\.#?[\w$]+$/.test(store)) return undefined;
  const member = ts.isPropertyDeclaration(fn.parent) ? fn.parent : fn;
  const cls = member.parent;
  if (cls === undefined || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls)))
    return undefined;
  const members = codeMembers(cls);
  if (members.length < least || !members.includes(member)) return undefined;
  const uses = (m: ts.Node): boolean => {
    let found = false;
    walk(m, (n) => {
      if (!found && ts.isPropertyAccessExpression(n) && chain(n) === store) found = true;
    });
    return found;
  };
  if (!members.every(uses)) return undefined;
  // Other state changed by the methods (`this._mode = …`, `this.hits++`): a data structure or a
  // class that does more than keep the store.
  let other = false;
  for (const m of members)
    walk(m, (n) => {
      const target =
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
          ? n.left
          : (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
              (n.operator === ts.SyntaxKind.PlusPlusToken ||
                n.operator === ts.SyntaxKind.MinusMinusToken)
            ? n.operand
            : undefined;
      const field = target === undefined ? undefined : chain(target);
      if (field !== undefined && /^this\.#?[\w$]+$/.test(field) && field !== store) other = true;
    });
  return other ? undefined : cls;
}

/**
 * The cache class around a function, whatever its store is called: a field of `this` that every
 * method of the class uses (`this.#data` in `get`, `set`, `remove`, `clear`), under the same test
 * as {@link cacheClass} (two methods suffice: an entry with a stamp and a validity check is the
 * TTL mechanism itself). For findings that know the stamp they compare, not the store.
 * @param fn - a function of the construct (a method of the class)
 * @returns the class, or undefined
 */
export function cacheClassAround(fn: ts.Node): ts.ClassLikeDeclaration | undefined {
  const member = ts.isPropertyDeclaration(fn.parent) ? fn.parent : fn;
  const cls = member.parent;
  if (cls === undefined || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls)))
    return undefined;
  let common: Set<string> | undefined;
  for (const m of codeMembers(cls)) {
    const fields = new Set<string>();
    walk(m, (n) => {
      if (!ts.isPropertyAccessExpression(n)) return;
      const c = chain(n);
      if (c !== undefined && /^this\.#?[\w$]+$/.test(c)) fields.add(c);
    });
    common = common === undefined ? fields : new Set([...common].filter((f) => fields.has(f)));
  }
  for (const field of common ?? []) {
    const found = cacheClass(fn, field, 2);
    if (found !== undefined) return found;
  }
  return undefined;
}
