import { ts } from "ts-morph";
import { findAll, isFunctionLike } from "../ast.js";

/** The names a binding pattern (or identifier) declares. */
function bound(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bound(e.name)));
}

/** The names a scope node declares for the code nested in it (not counting deeper scopes). */
function declaredBy(scope: ts.Node): string[] {
  if (isFunctionLike(scope))
    return [
      ...scope.parameters.flatMap((p) => bound(p.name)),
      ...(ts.isFunctionExpression(scope) && scope.name !== undefined ? [scope.name.text] : []),
    ];
  if (ts.isCatchClause(scope))
    return scope.variableDeclaration === undefined ? [] : bound(scope.variableDeclaration.name);
  if (
    (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) &&
    scope.initializer !== undefined &&
    ts.isVariableDeclarationList(scope.initializer)
  )
    return scope.initializer.declarations.flatMap((d) => bound(d.name));
  if (ts.isClassLike(scope) && scope.name !== undefined) return [scope.name.text];
  const statements =
    ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope)
      ? scope.statements
      : ts.isCaseClause(scope) || ts.isDefaultClause(scope)
        ? scope.statements
        : [];
  return statements.flatMap((s) => {
    if (ts.isVariableStatement(s))
      return s.declarationList.declarations.flatMap((d) => bound(d.name));
    if (
      (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) &&
      s.name !== undefined
    )
      return [s.name.text];
    return [];
  });
}

/**
 * Whether an identifier is a reference (not a property name, a key or a label).
 * @param id - the identifier
 * @returns whether it names a variable
 */
export function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && p.name === id) return false;
  if (ts.isPropertySignature(p) || ts.isPropertyDeclaration(p)) return p.name !== id;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  return true;
}

/**
 * The names a function declares for itself: its parameters and every variable, parameter and
 * function declared inside it.
 * @param fn - the function
 * @returns the names
 */
export function ownNames(fn: ts.FunctionLikeDeclaration): Set<string> {
  return new Set([
    ...declaredBy(fn),
    ...findAll(fn, ts.isVariableDeclaration).flatMap((d) => bound(d.name)),
    ...findAll(fn, ts.isParameter).flatMap((d) => bound(d.name)),
    ...findAll(fn, ts.isFunctionDeclaration).flatMap((d) => (d.name ? [d.name.text] : [])),
  ]);
}

/**
 * The first name the code reads that is declared in a scope between `home` (where the code will
 * be moved to) and `fn` (where it is now) — a parameter or local of an enclosing function, a loop
 * variable, a block's constant: moved to `home`, the code would not see it, or would see the one
 * of the first call only. Names `fn` declares itself (its parameters and locals) are its own.
 * @param code - the statements and expressions to move
 * @param fn - the function they are in now
 * @param home - the scope they move to (the map's block, or the file)
 * @returns the name, or undefined when the code reads none
 */
export function capturedBetween(
  code: readonly ts.Node[],
  fn: ts.FunctionLikeDeclaration,
  home: ts.Node,
): string | undefined {
  const between = new Set<string>();
  for (let n = fn.parent; n !== home && !ts.isSourceFile(n); n = n.parent)
    for (const name of declaredBy(n)) between.add(name);
  if (between.size === 0) return undefined;
  const own = ownNames(fn);
  for (const node of code)
    for (const id of findAll(node, ts.isIdentifier))
      if (isReference(id) && between.has(id.text) && !own.has(id.text)) return id.text;
  return undefined;
}
