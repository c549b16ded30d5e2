import { ts } from "ts-morph";
import { callee, isFunctionLike, topStatement, walk, walkKinds } from "../ast.js";
import { isClockRead, isClockish, isOrdering, markKey, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { isNothing } from "./slot-facts.js";

/** `Promise.resolve()` / `Promise.resolve(undefined)`: an async early exit that hands back nothing. */
function isSettledNothing(node: ts.Node): boolean {
  const n = unwrap(node);
  if (!ts.isCallExpression(n) || callee(n) !== "Promise.resolve") return false;
  const [value] = n.arguments;
  return value === undefined || isNothing(value);
}

// Per file's facts: two detectors ask for the same file's expiry keys.
const expiryKeysByFacts = new WeakMap<FileFacts, Map<string, ts.Node[]>>();

/** Keys (`.expires`, `expireAt`) assigned an expiry stamp `clock + ttl` in the file (read-only). */
export function expiryKeys(facts: FileFacts): Map<string, ts.Node[]> {
  const known = expiryKeysByFacts.get(facts);
  if (known !== undefined) return known;
  const keys = new Map<string, ts.Node[]>();
  expiryKeysByFacts.set(facts, keys);
  const add = (key: string | undefined, statement: ts.Node): void => {
    if (key === undefined) return;
    let list = keys.get(key);
    if (list === undefined) keys.set(key, (list = []));
    list.push(statement);
  };
  // `Date.now() + ttl`, also inside a conversion: `new Date(Date.now() + ttl).getTime()`, or over
  // a local clock reading (`const now = Date.now(); const expiresAt = now + ttl`).
  const clock = (n: ts.Node): boolean =>
    isClockRead(facts, n) ||
    (ts.isIdentifier(unwrap(n)) &&
      (facts.marks.get((unwrap(n) as ts.Identifier).text) ?? []).some((m) =>
        ts.isVariableDeclaration(m),
      ));
  const stamps = (value: ts.Node): boolean => {
    let found = false;
    walkKinds(value, [ts.SyntaxKind.BinaryExpression], (v) => {
      if (
        ts.isBinaryExpression(v) &&
        v.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        (clock(v.left) || clock(v.right))
      )
        found = true;
    });
    return found;
  };
  walkKinds(
    facts.sourceFile,
    [
      ts.SyntaxKind.BinaryExpression,
      ts.SyntaxKind.PropertyAssignment,
      ts.SyntaxKind.VariableDeclaration,
    ],
    (n) => {
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        stamps(n.right)
      ) {
        const key = markKey(n.left);
        add(key?.startsWith(".") === true || key === undefined ? key : `.${key}`, topStatement(n));
      }
      if (ts.isPropertyAssignment(n) && stamps(n.initializer))
        add(`.${n.name.getText()}`, topStatement(n));
      if (
        ts.isVariableDeclaration(n) &&
        n.initializer !== undefined &&
        stamps(n.initializer) &&
        ts.isIdentifier(n.name)
      )
        add(`.${n.name.text}`, topStatement(n));
    },
  );
  return keys;
}

/** Whether a comparison sets the clock against a stored stamp or expiry (`now < this.expires`, `now - e.at > ttl`). */
export function stampCheck(
  facts: FileFacts,
  expiries: Map<string, ts.Node[]>,
  node: ts.BinaryExpression,
): string | undefined {
  if (!isOrdering(node.operatorToken.kind)) return undefined;
  const clockish = (n: ts.Node): boolean => isClockish(facts, n);
  const keyOf = (n: ts.Node): string | undefined => {
    const k = markKey(n);
    return k === undefined ? undefined : k.startsWith(".") ? k : `.${k}`;
  };
  for (const [a, b] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    if (clockish(a)) {
      const k = keyOf(b);
      if (k !== undefined && expiries.has(k)) return k;
    }
    // `now - entry.storedAt > maxAge`
    const u = unwrap(a);
    if (
      ts.isBinaryExpression(u) &&
      u.operatorToken.kind === ts.SyntaxKind.MinusToken &&
      clockish(u.left)
    ) {
      const k = keyOf(u.right);
      if (k !== undefined && facts.marks.has(k) && k.startsWith(".")) return k;
    }
  }
  return undefined;
}

/** What a stamp check guards: reuse of a stored value, removal of an entry, or a validity answer. */
export function guardsReuse(check: ts.Node, expiry: boolean): boolean {
  for (let c = check.parent; c !== undefined; c = c.parent) {
    // A validity answer (`return Date.now() < this.#expires`) judges a stored expiry only.
    if (ts.isReturnStatement(c) || (ts.isArrowFunction(c) && c.body === check)) return expiry;
    if (ts.isIfStatement(c) || ts.isConditionalExpression(c)) {
      let reuse = false;
      walk(c, (n) => {
        if (reuse) return;
        if (
          ts.isReturnStatement(n) &&
          n.expression !== undefined &&
          !isNothing(n.expression) &&
          !isSettledNothing(n.expression) &&
          n.expression.kind !== ts.SyntaxKind.TrueKeyword
        )
          reuse = true;
        if (ts.isDeleteExpression(n) || ts.isContinueStatement(n)) reuse = true;
        if (
          ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          n.expression.name.text === "delete"
        )
          reuse = true;
        if (ts.isThrowStatement(n)) reuse = false;
      });
      return reuse;
    }
    // `const shouldRefresh = … || Date.now() > this.expireAt`, then `if (shouldRefresh) …`.
    if (ts.isVariableDeclaration(c)) return expiry;
    if (isFunctionLike(c) || ts.isBlock(c)) return false;
  }
  return false;
}
