import { ts } from "ts-morph";
import { callee, chain, topStatement } from "../ast.js";
import type { FileFacts } from "../file-facts.js";

/** What clears a timer: `clearTimeout(handle)`, `this.clearTimeoutFn(handle)`. */
const CLEAR = /(^|\.)clearTimeout(Fn)?$/;

/** `clearTimeout(handle)` statements for a handle, in the file. */
export function clears(facts: FileFacts, handle: string | undefined): ts.CallExpression[] {
  if (handle === undefined) return [];
  const leaf = handle.split(".").pop() ?? handle;
  return facts.calls.filter((c) => {
    if (!CLEAR.test(callee(c) ?? "")) return false;
    const arg = c.arguments[0];
    const text = arg === undefined ? undefined : chain(arg);
    return text !== undefined && (text === handle || text.split(".").pop() === leaf);
  });
}

/**
 * Where a timeout is cleared outside the function that armed it: the clearing statement, or the
 * `if (handle) { clearTimeout(handle) }` around it, with a following `handle = null`.
 */
export function clearSite(clear: ts.CallExpression, handle: string): ts.Node[] {
  const leaf = handle.split(".").pop() ?? handle;
  const about = (n: ts.Node): boolean => n.getText().includes(leaf);
  let site = topStatement(clear);
  const parent = site.parent;
  if (parent !== undefined && ts.isIfStatement(parent) && about(parent.expression)) site = parent;
  else if (
    parent !== undefined &&
    ts.isBlock(parent) &&
    parent.parent !== undefined &&
    ts.isIfStatement(parent.parent) &&
    parent.parent.elseStatement === undefined &&
    about(parent.parent.expression) &&
    parent.statements.every(about)
  )
    site = parent.parent;
  const nodes = [site];
  const around = site.parent;
  if (around !== undefined && ts.isBlock(around)) {
    const next = around.statements[around.statements.indexOf(site as ts.Statement) + 1];
    if (
      next !== undefined &&
      ts.isExpressionStatement(next) &&
      ts.isBinaryExpression(next.expression) &&
      next.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      chain(next.expression.left) === handle
    )
      nodes.push(next);
  }
  return nodes;
}
