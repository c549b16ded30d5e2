import { ts } from "ts-morph";
import { callee, walk } from "../ast.js";

/**
 * The entry a TTL memo stores: `{ value: X, expires: Date.now() + TTL }` (an expiry) or
 * `{ value: X, at: Date.now() }` (the time it was stored, compared with a TTL where it is read).
 */
export interface TtlEntry {
  /** The property that holds the value (`value`, `data`, …). */
  readonly valueProp: string;
  /** The value stored. */
  readonly value: ts.Expression;
  /** The property that holds the stamp (`expires`, `at`, …). */
  readonly stampProp: string;
  /** The TTL, for an expiry stamp. */
  readonly ttl?: ts.Expression;
}

/** The clock a TTL memo may read: `Date.now()` (what the cache's clock measures too). */
export const isNow = (node: ts.Node): boolean =>
  ts.isCallExpression(node) && node.arguments.length === 0 && callee(node) === "Date.now";

const bare = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) ? bare(node.expression) : node;

/** A TTL that is the same on every call: literals, and names other than the function's locals or `this`. */
export function constantTtl(
  node: ts.Expression,
  locals: ReadonlySet<string>,
): ts.Expression | undefined {
  let ok = true;
  walk(node, (n) => {
    if (
      ts.isCallExpression(n) ||
      n.kind === ts.SyntaxKind.ThisKeyword ||
      (ts.isIdentifier(n) && locals.has(n.text))
    )
      ok = false;
  });
  return ok ? node : undefined;
}

/**
 * The entry of `map.set(key, { … })`, when it is a value and a clock stamp.
 * @param entry - the second argument of `set`
 * @param locals - the names the memo's function declares (a TTL must not depend on them)
 * @returns the entry, or undefined when it is not one
 */
export function ttlEntry(
  entry: ts.Expression | undefined,
  locals: ReadonlySet<string>,
): TtlEntry | undefined {
  if (entry === undefined || !ts.isObjectLiteralExpression(entry)) return undefined;
  if (entry.properties.length !== 2) return undefined;
  let value: { prop: string; expression: ts.Expression } | undefined;
  let stamp: { prop: string; ttl?: ts.Expression } | undefined;
  for (const p of entry.properties) {
    const prop = p.name !== undefined && ts.isIdentifier(p.name) ? p.name.text : undefined;
    const init = ts.isPropertyAssignment(p)
      ? bare(p.initializer)
      : ts.isShorthandPropertyAssignment(p)
        ? p.name
        : undefined;
    if (prop === undefined || init === undefined) return undefined;
    if (isNow(init)) stamp = { prop };
    else if (
      ts.isBinaryExpression(init) &&
      init.operatorToken.kind === ts.SyntaxKind.PlusToken &&
      (isNow(bare(init.left)) || isNow(bare(init.right)))
    ) {
      const ttl = constantTtl(isNow(bare(init.left)) ? init.right : init.left, locals);
      if (ttl === undefined) return undefined;
      stamp = { prop, ttl };
    } else value = { prop, expression: init };
  }
  if (value === undefined || stamp === undefined) return undefined;
  return {
    valueProp: value.prop,
    value: value.expression,
    stampProp: stamp.prop,
    ...(stamp.ttl === undefined ? {} : { ttl: stamp.ttl }),
  };
}

/** `hit.prop` on the identifier `hit`. */
const isField = (node: ts.Expression, hit: string, prop: string): boolean => {
  const n = bare(node);
  return (
    ts.isPropertyAccessExpression(n) &&
    ts.isIdentifier(n.expression) &&
    n.expression.text === hit &&
    n.name.text === prop
  );
};

/** `hit`, `hit !== undefined`, `hit != null`: the entry exists. */
function isPresence(node: ts.Expression, hit: string): boolean {
  const n = bare(node);
  if (ts.isIdentifier(n)) return n.text === hit;
  return (
    ts.isBinaryExpression(n) &&
    ts.isIdentifier(n.left) &&
    n.left.text === hit &&
    ((n.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken &&
      n.right.getText() === "undefined") ||
      (n.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken &&
        ["null", "undefined"].includes(n.right.getText())))
  );
}

/**
 * The freshness test of a TTL entry: `hit.expires > Date.now()` (or `Date.now() < hit.expires`)
 * for an expiry, `Date.now() - hit.at < TTL` (or `TTL > Date.now() - hit.at`) for a stored time.
 * @returns `true` for an expiry test, the TTL for a stored-time test, undefined otherwise
 */
function freshness(
  node: ts.Expression,
  hit: string,
  stampProp: string,
  locals: ReadonlySet<string>,
): true | ts.Expression | undefined {
  const n = bare(node);
  if (!ts.isBinaryExpression(n)) return undefined;
  const op = n.operatorToken.kind;
  const greater = op === ts.SyntaxKind.GreaterThanToken;
  const less = op === ts.SyntaxKind.LessThanToken;
  if (!greater && !less) return undefined;
  // Written as `small < big`.
  const [small, big] = less ? [n.left, n.right] : [n.right, n.left];
  if (isNow(bare(small)) && isField(big, hit, stampProp)) return true;
  const age = bare(small);
  if (
    ts.isBinaryExpression(age) &&
    age.operatorToken.kind === ts.SyntaxKind.MinusToken &&
    isNow(bare(age.left)) &&
    isField(age.right, hit, stampProp)
  )
    return constantTtl(big, locals);
  return undefined;
}

/**
 * The TTL of a memo's hit test: `if (hit && <fresh>) return hit.value;`, the entry being `entry`.
 * @param statement - the statement after `const hit = map.get(key)`
 * @param hit - the local holding the entry
 * @param entry - what the memo stores
 * @param locals - the names the memo's function declares
 * @returns the TTL, or undefined when the test is not such a test
 */
export function ttlOfHit(
  statement: ts.Statement | undefined,
  hit: string,
  entry: TtlEntry,
  locals: ReadonlySet<string>,
): ts.Expression | undefined {
  if (
    statement === undefined ||
    !ts.isIfStatement(statement) ||
    statement.elseStatement !== undefined
  )
    return undefined;
  const then = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements.length === 1
      ? statement.thenStatement.statements[0]
      : undefined
    : statement.thenStatement;
  if (
    then === undefined ||
    !ts.isReturnStatement(then) ||
    then.expression === undefined ||
    !isField(then.expression, hit, entry.valueProp)
  )
    return undefined;
  const test = bare(statement.expression);
  if (
    !ts.isBinaryExpression(test) ||
    test.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken ||
    !isPresence(test.left, hit)
  )
    return undefined;
  const fresh = freshness(test.right, hit, entry.stampProp, locals);
  if (fresh === true) return entry.ttl;
  return entry.ttl === undefined ? fresh : undefined;
}
