import { ts } from "ts-morph";
import { findAll, isFunctionLike } from "../ast.js";
import { unwrap } from "../file-facts.js";
import type { TextEdit } from "./source-edit.js";

/** An assignment of any operator (`=`, `+=`, `??=`, …). */
export function isAssignment(n: ts.Node): n is ts.BinaryExpression {
  return (
    ts.isBinaryExpression(n) &&
    n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

/** Operators whose result is a number, string, bigint or boolean whatever their operands are. */
const NEVER_UNDEFINED_OPERATORS = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
]);

/**
 * Whether an expression can be seen, from its syntax alone, never to evaluate to `undefined`:
 * literals (`null` included), object and array literals, `new`, functions, arithmetic, comparisons,
 * `typeof`/`!`, and `a ?? b` / `a || b` / `c ? a : b` / `a && b` of such operands. A call, a
 * property read or a variable is not known (no type checker is run).
 * @param node - the expression
 * @returns whether it is never undefined
 */
export function neverUndefined(node: ts.Expression): boolean {
  // Parentheses, `as`, `satisfies` and `!` do not change whether a value is undefined.
  const n = unwrap(node) as ts.Expression;
  if (
    ts.isStringLiteralLike(n) ||
    ts.isNumericLiteral(n) ||
    ts.isBigIntLiteral(n) ||
    ts.isTemplateExpression(n) ||
    ts.isRegularExpressionLiteral(n) ||
    ts.isObjectLiteralExpression(n) ||
    ts.isArrayLiteralExpression(n) ||
    ts.isNewExpression(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isClassExpression(n) ||
    ts.isTypeOfExpression(n) ||
    n.kind === ts.SyntaxKind.NullKeyword ||
    n.kind === ts.SyntaxKind.TrueKeyword ||
    n.kind === ts.SyntaxKind.FalseKeyword ||
    n.kind === ts.SyntaxKind.ThisKeyword
  )
    return true;
  if (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) return true;
  if (ts.isConditionalExpression(n))
    return neverUndefined(n.whenTrue) && neverUndefined(n.whenFalse);
  if (ts.isBinaryExpression(n)) {
    const op = n.operatorToken.kind;
    if (NEVER_UNDEFINED_OPERATORS.has(op)) return true;
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken)
      return neverUndefined(n.right);
    if (op === ts.SyntaxKind.AmpersandAmpersandToken)
      return neverUndefined(n.left) && neverUndefined(n.right);
    if (op === ts.SyntaxKind.CommaToken) return neverUndefined(n.right);
  }
  return false;
}

/** Type parameters declared by `node` and the declarations around it. */
function typeParametersAround(node: ts.Node): Set<string> {
  const names = new Set<string>();
  for (let n: ts.Node | undefined = node; n !== undefined; n = n.parent) {
    const parameters = (n as { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> })
      .typeParameters;
    for (const p of parameters ?? []) names.add(p.name.text);
  }
  return names;
}

/**
 * Whether a written type leaves `undefined` out: no `undefined`, `void`, `any`, `unknown`, optional
 * member, or type parameter (it could be instantiated with `undefined`). `Promise<X>` is judged by
 * `X` (what a loader resolves).
 * @param type - the type as written
 * @param scope - where it is written (for the type parameters in scope)
 * @returns whether a value of that type is never undefined
 */
export function typeExcludesUndefined(type: ts.TypeNode, scope: ts.Node): boolean {
  let inner: ts.TypeNode = type;
  if (
    ts.isTypeReferenceNode(inner) &&
    inner.typeName.getText() === "Promise" &&
    inner.typeArguments?.length === 1
  )
    inner = inner.typeArguments[0] as ts.TypeNode;
  const generic = typeParametersAround(scope);
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (
      n.kind === ts.SyntaxKind.UndefinedKeyword ||
      n.kind === ts.SyntaxKind.VoidKeyword ||
      n.kind === ts.SyntaxKind.AnyKeyword ||
      n.kind === ts.SyntaxKind.UnknownKeyword ||
      n.kind === ts.SyntaxKind.JSDocAllType ||
      n.kind === ts.SyntaxKind.JSDocUnknownType ||
      n.kind === ts.SyntaxKind.JSDocOptionalType ||
      (ts.isTypeReferenceNode(n) &&
        (generic.has(n.typeName.getText()) || /^[A-Z]$/.test(n.typeName.getText())))
    ) {
      ok = false;
      return;
    }
    // Members and arguments of an object or generic type do not make the value itself undefined.
    if (ts.isTypeLiteralNode(n) || ts.isTypeReferenceNode(n) || ts.isArrayTypeNode(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(inner);
  return ok;
}

/** Whether `node` assigns or declares `name` anywhere inside. */
function writes(node: ts.Node, name: string): boolean {
  return (
    findAll(
      node,
      (n): n is ts.Node =>
        (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) ||
        (isAssignment(n) && ts.isIdentifier(n.left) && n.left.text === name) ||
        ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
          ts.isIdentifier(n.operand) &&
          n.operand.text === name),
    ).length > 0
  );
}

/**
 * The value a variable holds where it is read, when the statements just before the read, in the
 * same block, set it last: `x = e;` or `const x = e;` with nothing between that writes `x`.
 */
function assignedJustBefore(read: ts.Identifier): ts.Expression | undefined {
  let statement: ts.Node = read;
  while (!ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent)) {
    if (isFunctionLike(statement.parent)) return undefined;
    statement = statement.parent;
  }
  const list = statement.parent.statements;
  for (let i = list.indexOf(statement as ts.Statement) - 1; i >= 0; i--) {
    const s = list[i] as ts.Statement;
    if (
      ts.isExpressionStatement(s) &&
      ts.isBinaryExpression(s.expression) &&
      s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(s.expression.left) &&
      s.expression.left.text === read.text
    )
      return s.expression.right;
    if (ts.isVariableStatement(s) && s.declarationList.declarations.length === 1) {
      const d = s.declarationList.declarations[0] as ts.VariableDeclaration;
      if (ts.isIdentifier(d.name) && d.name.text === read.text) return d.initializer;
    }
    if (writes(s, read.text)) return undefined;
  }
  return undefined;
}

/**
 * What a stored expression was made from: through a variable set just before the read in the
 * same block, or declared once in `scope` and never assigned again there, that value; else the
 * expression.
 * @param value - the expression stored
 * @param scope - where the variables it may name are declared (the function's body)
 * @returns the expression that made the value
 */
export function madeFrom(value: ts.Expression, scope: ts.Node): ts.Expression {
  if (!ts.isIdentifier(value)) return value;
  const reaching = assignedJustBefore(value);
  if (reaching !== undefined) return reaching;
  const declared = findAll(
    scope,
    (d): d is ts.VariableDeclaration =>
      ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.name.text === value.text,
  );
  const reassigned = findAll(
    scope,
    (n): n is ts.BinaryExpression =>
      isAssignment(n) && ts.isIdentifier(n.left) && n.left.text === value.text,
  );
  const init = declared.length === 1 ? declared[0]?.initializer : undefined;
  return init !== undefined && reassigned.length === 0 ? init : value;
}

/**
 * Why the value stored may be `undefined`, if it may: the cache refuses it (`set` throws, a loader
 * resolving `undefined` rejects), where the Map kept it (and the code recomputed it on each call).
 * Known defined: an expression defined by its syntax (directly, or through the variable that
 * holds it: {@link madeFrom}), or a written value type (the map's, else the function's return
 * type) without `undefined`.
 * @param value - the expression stored
 * @param scope - where the variables it may name are declared (the function's body)
 * @param type - the value's written type, if any
 * @param typeScope - where that type is written (for the type parameters in scope)
 * @returns the reason, or undefined when the value is never undefined
 */
export function undefinedValue(
  value: ts.Expression,
  scope: ts.Node,
  type: ts.TypeNode | undefined,
  typeScope: ts.Node,
): string | undefined {
  if (neverUndefined(madeFrom(value, scope))) return undefined;
  if (type !== undefined && typeExcludesUndefined(type, typeScope)) return undefined;
  return `the value \`${value.getText().slice(0, 40)}\` may be \`undefined\` (no written type or literal says otherwise): the Map kept it, the cache refuses it (\`set\` throws, a loader resolving undefined rejects)`;
}

/**
 * The value type written for a map: its type arguments (`new Map<K, V>()`), else in JavaScript
 * its JSDoc (`/** @type {Map<K, V>} *\/`) — the author's word, not checked by a compiler.
 * @param declaration - the map's declaration
 * @returns the value type, if written
 */
export function writtenValueType(declaration: ts.VariableDeclaration): ts.TypeNode | undefined {
  const init = declaration.initializer;
  const args = init !== undefined && ts.isNewExpression(init) ? init.typeArguments : undefined;
  if (args !== undefined) return args[1];
  const documented = ts.getJSDocType(declaration);
  return documented !== undefined &&
    ts.isTypeReferenceNode(documented) &&
    ["Map", "WeakMap"].includes(documented.typeName.getText())
    ? documented.typeArguments?.[1]
    : undefined;
}

/**
 * The edit that retypes a map's JSDoc `@type {Map<K, V>}` for what replaces the map, so a project
 * that type-checks its JavaScript by its JSDoc still does.
 * @param declaration - the map's declaration
 * @param retype - the new type from the key and value types' text
 * @returns the edit, or undefined without such a JSDoc type
 */
export function jsDocMapRetype(
  declaration: ts.VariableDeclaration | ts.PropertyDeclaration,
  retype: (key: string, value: string) => string,
): TextEdit | undefined {
  const documented = ts.getJSDocType(declaration);
  if (
    documented === undefined ||
    !ts.isTypeReferenceNode(documented) ||
    !["Map", "WeakMap"].includes(documented.typeName.getText()) ||
    documented.typeArguments?.length !== 2
  )
    return undefined;
  const [key, value] = documented.typeArguments as unknown as [ts.TypeNode, ts.TypeNode];
  return {
    start: documented.getStart(),
    end: documented.getEnd(),
    text: retype(key.getText(), value.getText()),
  };
}

/**
 * The return type written for a function: its annotation, else its JSDoc `@returns`.
 * @param fn - the function
 * @returns the type, if written
 */
export function writtenReturnType(fn: ts.SignatureDeclaration): ts.TypeNode | undefined {
  return fn.type ?? ts.getJSDocReturnType(fn);
}
