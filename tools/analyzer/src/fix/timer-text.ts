import { ts } from "ts-morph";

/** A name in snake_case (`#startedAt` → `started_at`). */
export const snake = (name: string): string =>
  name
    .replace(/^#/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();

/** A name free in the file: `base`, else `base2`, `base3`… */
export function freeName(names: ReadonlySet<string>, base: string): string {
  let name = base;
  for (let i = 2; names.has(name); i++) name = `${base}${i}`;
  return name;
}

/** Whether the replacement of `node` must be put in parentheses to keep its precedence. */
export function needsParens(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent))
    return !(
      parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      parent.right === node
    );
  return (
    ts.isPrefixUnaryExpression(parent) ||
    ts.isPropertyAccessExpression(parent) ||
    ts.isElementAccessExpression(parent) ||
    ts.isAsExpression(parent) ||
    ts.isTypeOfExpression(parent) ||
    ts.isNonNullExpression(parent)
  );
}
