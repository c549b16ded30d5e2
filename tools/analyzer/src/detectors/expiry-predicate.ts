import { ts } from "ts-morph";
import { callee, chain, logicalTop, walk } from "../ast.js";
import { functionName, isClockish, isOrdering, markKey, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { localValue } from "./derived-value.js";
import { isNothing, isParameterOf, slotTests } from "./slot-facts.js";

/**
 * Stored times that are not the expiry of a kept value — a weak signal that only vetoes: deadlines
 * of an operation, locks and leases, liveness (heartbeats, pings, last seen).
 */
const NOT_EXPIRY = /deadline|timeout|lock|lease|heartbeat|ping|seen|alive|idle|started|since/i;

/**
 * Whether a stored time is named for a deadline, a lock or liveness (a weak signal that vetoes an
 * expiry reading of it).
 * @param key - the stored time's key (`.expiresAt`, `#deadline`)
 * @returns true when the name says it is not the expiry of a kept value
 */
export function namedNotExpiry(key: string): boolean {
  return NOT_EXPIRY.test(key);
}

const ROUNDING = /^Math\.(round|floor|ceil|trunc)$/;

function isArithmetic(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.PlusToken ||
    kind === ts.SyntaxKind.MinusToken ||
    kind === ts.SyntaxKind.SlashToken ||
    kind === ts.SyntaxKind.AsteriskToken
  );
}

/**
 * Whether a node is the current time: a clock reading, or a local bound to one, alone, scaled or
 * shifted by a value that is not a clock (`Date.now() + skew`, `Math.round(Date.now() / 1000)`).
 */
function nowish(facts: FileFacts, fn: ts.Node, node: ts.Node, depth = 0): boolean {
  if (depth > 4) return false;
  const u = unwrap(node);
  if (isClockish(facts, u)) return true;
  if (ts.isIdentifier(u)) {
    const init = localValue(fn, u.text, u.pos);
    return init !== undefined && nowish(facts, fn, init, depth + 1);
  }
  if (ts.isBinaryExpression(u) && isArithmetic(u.operatorToken.kind)) {
    const left = nowish(facts, fn, u.left, depth + 1);
    const right = nowish(facts, fn, u.right, depth + 1);
    if (left === right) return false;
    // `now + skew` either way round; `now - 5000`, `now / 1000` with a constant. (`now - stored`
    // is an age, not the current time.)
    if (u.operatorToken.kind === ts.SyntaxKind.PlusToken) return true;
    return left && ts.isNumericLiteral(unwrap(u.right));
  }
  if (ts.isCallExpression(u) && ROUNDING.test(callee(u) ?? "") && u.arguments[0] !== undefined)
    return nowish(facts, fn, u.arguments[0], depth + 1);
  return false;
}

/**
 * The key of a stored time a node reads: a member of `this` or of a parameter (directly or through
 * a local bound to it), alone, converted (`parseInt(x)`, `typeof x === "string" ? parseInt(x) :
 * x`) or shifted by another value (`entry.time + entry.duration`, `token.expiry - threshold`).
 */
function storedTime(
  facts: FileFacts,
  fn: ts.FunctionLikeDeclaration,
  node: ts.Node,
  depth = 0,
): string | undefined {
  if (depth > 4 || nowish(facts, fn, node)) return undefined;
  const u = unwrap(node);
  if (ts.isPropertyAccessExpression(u) || ts.isElementAccessExpression(u)) {
    let root: ts.Node = u;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root))
      root = unwrap(root.expression);
    const owned =
      root.kind === ts.SyntaxKind.ThisKeyword ||
      (ts.isIdentifier(root) && isParameterOf(fn, root.text));
    return owned ? markKey(u) : undefined;
  }
  if (ts.isIdentifier(u)) {
    const init = localValue(fn, u.text, u.pos);
    return init === undefined ? undefined : storedTime(facts, fn, init, depth + 1);
  }
  if (
    ts.isBinaryExpression(u) &&
    (u.operatorToken.kind === ts.SyntaxKind.PlusToken ||
      u.operatorToken.kind === ts.SyntaxKind.MinusToken)
  )
    return storedTime(facts, fn, u.left, depth + 1) ?? storedTime(facts, fn, u.right, depth + 1);
  if (ts.isConditionalExpression(u))
    return (
      storedTime(facts, fn, u.whenFalse, depth + 1) ?? storedTime(facts, fn, u.whenTrue, depth + 1)
    );
  if (
    ts.isCallExpression(u) &&
    /^(parseInt|parseFloat|Number)$/.test(callee(u) ?? "") &&
    u.arguments[0] !== undefined
  )
    return storedTime(facts, fn, u.arguments[0], depth + 1);
  return undefined;
}

function isBooleanLiteral(node: ts.Node): boolean {
  const u = unwrap(node);
  return u.kind === ts.SyntaxKind.TrueKeyword || u.kind === ts.SyntaxKind.FalseKeyword;
}

/**
 * Whether a comparison is the answer a function returns, alone or beside presence tests
 * (`return x !== undefined && x < now`, `return x ? x <= now : false`).
 */
function isAnswer(fn: ts.FunctionLikeDeclaration, comparison: ts.Node): boolean {
  let c: ts.Node = comparison;
  for (let parent = c.parent; parent !== undefined; c = parent, parent = parent.parent) {
    if (ts.isParenthesizedExpression(parent)) continue;
    if (
      ts.isBinaryExpression(parent) &&
      (parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      continue;
    if (ts.isConditionalExpression(parent) && parent.condition !== c) {
      const other = parent.whenTrue === c ? parent.whenFalse : parent.whenTrue;
      if (isBooleanLiteral(other)) continue;
      return false;
    }
    if (ts.isReturnStatement(parent)) return parent.parent === fn.body;
    return parent === fn && fn.body === c;
  }
  return false;
}

/** A validity answer over a stored expiry. */
export interface ExpiryPredicate {
  /** The function that answers. */
  readonly fn: ts.FunctionLikeDeclaration;
  /** The stored time's key (`.expiry_date`). */
  readonly key: string;
}

/**
 * A function whose answer is a stored time compared with the clock — `isExpired(entry) { return
 * entry.time + entry.duration < Date.now() }`, `return expiry ? expiry <= now + threshold : false`:
 * the expiry check of a kept value, written by hand. Only small functions that exist for the
 * answer (at most three statements) count; a stored time named for a deadline, a lock or liveness
 * is not an expiry.
 * @param facts - the file's facts
 * @param comparison - an ordering comparison of the file
 * @returns the predicate, or undefined
 */
export function expiryPredicate(
  facts: FileFacts,
  comparison: ts.BinaryExpression,
): ExpiryPredicate | undefined {
  if (!isOrdering(comparison.operatorToken.kind)) return undefined;
  let fn: ts.Node | undefined = comparison.parent;
  while (fn !== undefined && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (
    fn === undefined ||
    !(
      ts.isMethodDeclaration(fn) ||
      ts.isFunctionDeclaration(fn) ||
      ts.isArrowFunction(fn) ||
      ts.isFunctionExpression(fn) ||
      ts.isGetAccessorDeclaration(fn)
    ) ||
    fn.body === undefined
  )
    return undefined;
  const f = fn as ts.FunctionLikeDeclaration;
  if (f.body !== undefined && ts.isBlock(f.body) && f.body.statements.length > 3) return undefined;
  for (const [clock, stored] of [
    [comparison.left, comparison.right],
    [comparison.right, comparison.left],
  ] as const) {
    if (!nowish(facts, f, clock)) continue;
    const key = storedTime(facts, f, stored);
    if (key === undefined || namedNotExpiry(key)) continue;
    if (!isAnswer(f, comparison)) return undefined;
    let loops = false;
    walk(f, (n) => {
      if (ts.isIterationStatement(n, false)) loops = true;
    });
    return loops ? undefined : { fn: f, key };
  }
  return undefined;
}

/** Where a kept value is reused or refreshed on an expiry predicate's answer. */
export interface ExpiryUse {
  /** The test (and the local holding the answer). */
  readonly nodes: readonly ts.Node[];
  /** The `if` that acts on the answer. */
  readonly context: readonly ts.Node[];
  /** The predicate's name. */
  readonly predicate: string;
}

/**
 * The statements where a kept value is reused or refreshed on an expiry predicate's answer: an
 * `if` whose test calls the predicate (`if (!this.token || this.isExpired(this.token)) refresh()`),
 * with the local that holds the answer when it is tested later (`const stale = … ||
 * this.isTokenExpiring(); if (stale) …`).
 * @param facts - the file's facts
 * @param predicates - the file's expiry predicates
 * @returns per use, the test (and the answer's local) as its own nodes, the `if` as context (the
 * refresh it runs stays, as the loader)
 */
export function expiryUses(facts: FileFacts, predicates: readonly ExpiryPredicate[]): ExpiryUse[] {
  const names = new Map<string, ExpiryPredicate>();
  for (const p of predicates) {
    const name = functionName(p.fn);
    if (name !== undefined) names.set(name, p);
  }
  const uses: ExpiryUse[] = [];
  if (names.size === 0) return uses;
  const seen = new Set<ts.Node>();
  for (const call of facts.calls) {
    const name = callee(call)?.split(".").pop();
    const p = name === undefined ? undefined : names.get(name);
    if (p === undefined || name === undefined || inside(call, p.fn)) continue;
    // Up through negations, `||`/`&&` and parentheses to the test or the local that holds it.
    const c = logicalTop(call);
    const parent = c.parent;
    let nodes: ts.Node[] | undefined;
    let statement: ts.IfStatement | undefined;
    if (parent !== undefined && ts.isIfStatement(parent) && parent.expression === c) {
      nodes = [parent.expression];
      statement = parent;
    } else if (
      parent !== undefined &&
      ts.isVariableDeclaration(parent) &&
      parent.initializer === c &&
      ts.isIdentifier(parent.name)
    ) {
      const name = parent.name.text;
      const local = parent.parent.parent;
      const block = local.parent;
      if (ts.isVariableStatement(local) && ts.isBlock(block)) {
        const next = block.statements[block.statements.indexOf(local) + 1];
        if (
          next !== undefined &&
          ts.isIfStatement(next) &&
          ts.isIdentifier(unwrap(next.expression)) &&
          (unwrap(next.expression) as ts.Identifier).text === name
        )
          [nodes, statement] = [[local, next.expression], next];
      }
    }
    if (nodes === undefined || statement === undefined || seen.has(statement)) continue;
    seen.add(statement);
    uses.push({ nodes, context: [statement], predicate: name });
  }
  return uses;
}

function inside(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

/**
 * Refills decided by an expiry predicate this file does not define (a base class's
 * `this.isTokenExpiring()` in a subclass): `if (!this.credentials.token || this.isExpiring()) {
 * this.credentials = await fetch() }`. The test finds the kept value empty beside the call, and
 * the branch (no `else`) works the value out again into that same member of `this`. The
 * predicate's name is what another file must define as an expiry check: such a use is held for
 * the cross-file step.
 * @param facts - the file's facts
 * @param local - names of the file's own expiry predicates (their uses are found in-file)
 * @returns per use, the `if` and the predicate's name
 */
export function foreignExpiryUses(
  facts: FileFacts,
  local: ReadonlySet<string>,
): { readonly statement: ts.IfStatement; readonly predicate: string }[] {
  const found: { statement: ts.IfStatement; predicate: string }[] = [];
  for (const call of facts.calls) {
    const name = callee(call);
    if (name === undefined || call.arguments.length > 0 || !/^this\.[#\w$]+$/.test(name)) continue;
    const predicate = name.slice("this.".length);
    if (local.has(predicate)) continue;
    let c: ts.Node = call;
    while (
      c.parent !== undefined &&
      (ts.isParenthesizedExpression(c.parent) ||
        (ts.isBinaryExpression(c.parent) &&
          c.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken))
    )
      c = c.parent;
    const statement = c.parent;
    if (
      statement === undefined ||
      !ts.isIfStatement(statement) ||
      statement.expression !== c ||
      statement.elseStatement !== undefined
    )
      continue;
    const empty = slotTests(statement.expression)
      .filter((t) => t.absent && t.slot.startsWith("this."))
      .map((t) => t.slot);
    if (empty.length === 0) continue;
    const assignments: ts.BinaryExpression[] = [];
    walk(statement.thenStatement, (n) => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken)
        assignments.push(n);
    });
    const refilled = assignments.some((a) => {
      const target = chain(unwrap(a.left));
      if (target === undefined || isNothing(a.right)) return false;
      if (!empty.some((slot) => slot === target || slot.startsWith(`${target}.`))) return false;
      let work = false;
      walk(a.right, (n) => {
        if (ts.isCallExpression(n) || ts.isAwaitExpression(n) || ts.isNewExpression(n)) work = true;
      });
      // Or a record of locals worked out in the branch before it (`{ id_token: idToken, … }`).
      return work || ts.isObjectLiteralExpression(unwrap(a.right));
    });
    if (refilled) found.push({ statement, predicate });
  }
  return found;
}
