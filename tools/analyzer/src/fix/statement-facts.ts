import { ts } from "ts-morph";
import { walk } from "../ast.js";

/** Whether `name` is read anywhere under `node`. */
export function mentions(node: ts.Node, name: string): boolean {
  let found = false;
  walk(node, (n) => {
    if (ts.isIdentifier(n) && n.text === name) found = true;
  });
  return found;
}

/** The variable a statement throws (`throw error;`), through a one-statement block. */
export function thrown(statement: ts.Statement): string | undefined {
  const inner =
    ts.isBlock(statement) && statement.statements.length === 1
      ? statement.statements[0]
      : statement;
  return inner !== undefined && ts.isThrowStatement(inner) && ts.isIdentifier(inner.expression)
    ? inner.expression.text
    : undefined;
}

/** The names declared under `node` (variables, parameters, functions). */
function declaredIn(node: ts.Node): Set<string> {
  const names = new Set<string>();
  walk(node, (n) => {
    if (
      (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isFunctionDeclaration(n)) &&
      n.name !== undefined &&
      ts.isIdentifier(n.name)
    )
      names.add(n.name.text);
  });
  return names;
}

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** The root name of an assignment target (`this.x.y` → `this`, `count` → `count`). */
function rootOf(target: ts.Expression): string {
  let node: ts.Expression = target;
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    node = node.expression;
  return node.kind === ts.SyntaxKind.ThisKeyword ? "this" : node.getText();
}

/**
 * An assignment under `node` to something declared outside it (and outside `scope`, the
 * statements it runs among, when given), if any.
 */
export function outerWrite(
  node: ts.Node,
  file: ts.SourceFile,
  scope: readonly ts.Node[] = [],
): string | undefined {
  const local = new Set([node, ...scope].flatMap((n) => [...declaredIn(n)]));
  let found: string | undefined;
  walk(node, (n) => {
    if (found !== undefined) return;
    let target: ts.Expression | undefined;
    if (ts.isBinaryExpression(n) && ASSIGNMENTS.has(n.operatorToken.kind)) target = n.left;
    else if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
    )
      target = n.operand;
    if (target !== undefined && !local.has(rootOf(target))) found = target.getText(file);
  });
  return found;
}

/** A `break` or `continue` that leaves the attempt (not one of a loop or switch inside it). */
export function leavesAttempt(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (ts.isFunctionLike(node)) return;
    if (
      (ts.isBreakStatement(node) || ts.isContinueStatement(node)) &&
      (!nested || node.label !== undefined)
    )
      found = true;
    const inner = nested || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  ts.forEachChild(block, (child) => visit(child, false));
  return found;
}

/** Whether `node` awaits (outside functions nested in it). */
export function awaits(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier !== undefined))
      found = true;
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** The one expression a function-like returns: its expression body, or a lone statement. */
export function soleExpression(fn: ts.Node): ts.Expression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  if (fn.body.statements.length !== 1) return undefined;
  const only = fn.body.statements[0];
  if (only !== undefined && ts.isExpressionStatement(only)) return only.expression;
  if (only !== undefined && ts.isReturnStatement(only)) return only.expression;
  return undefined;
}
