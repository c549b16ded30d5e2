import { ts } from "ts-morph";
import { walk } from "../ast.js";
import { markKey, unwrap } from "../file-facts.js";

/**
 * Look-alikes: code that has an idiom's shape but does something else. Each test here is a data-flow
 * fact a detector asks before it reports; none of them reads a name.
 */

/** The text of the object a member access reads from (`this`, `entry`, `this.#slot`). */
function ownerText(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n))
    return unwrap(n.expression).getText();
  return undefined;
}

/** The statements that sit beside a statement: its block's, its case clause's or its file's. */
function siblings(statement: ts.Node): readonly ts.Node[] {
  const parent = statement.parent;
  if (parent === undefined) return [];
  if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent))
    return parent.statements;
  if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) return parent.statements;
  return [];
}

/**
 * Whether a stored expiry stamp is written beside the value it would let expire: a sibling
 * property of the object literal that holds it (`{ rate, expires: Date.now() + ttl }`), or another
 * member of the same owner assigned in the same block (`this.token = t; this.expires = …`). A
 * stamp with no value beside it at any of its writes is a deadline the code waits for — a server's
 * rate-limit reset, a cookie's expiry date — not the expiry of a kept value.
 * @param statement - a statement that writes the stamp (as `expiryKeys` lists them)
 * @param key - the stamp's key (`.expires`)
 * @returns true when a kept value is written beside the stamp, or when the write is not one this
 * test can judge (a local, an element write)
 */
export function stampBesideValue(statement: ts.Node, key: string): boolean {
  const name = key.replace(/^\./, "");
  let judged = false;
  let beside = false;
  walk(statement, (n) => {
    if (beside) return;
    if (
      ts.isPropertyAssignment(n) &&
      n.name.getText() === name &&
      ts.isObjectLiteralExpression(n.parent)
    ) {
      judged = true;
      if (n.parent.properties.length > 1) beside = true;
      return;
    }
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      markKey(n.left) === key
    ) {
      const owner = ownerText(n.left);
      if (owner === undefined) return;
      judged = true;
      for (const s of siblings(statement)) {
        if (s === statement || !ts.isExpressionStatement(s)) continue;
        const e = unwrap(s.expression);
        if (
          ts.isBinaryExpression(e) &&
          e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          markKey(e.left) !== key &&
          ownerText(e.left) === owner
        )
          beside = true;
      }
    }
  });
  return beside || !judged;
}
