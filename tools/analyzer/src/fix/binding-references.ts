import { ts } from "ts-morph";
import { isFunctionLike } from "../ast.js";

// Which identifiers of a file name one variable: the uses a rewrite must account for, told apart
// from a variable of the same name declared in another scope (two `const map = new Map()` in two
// functions of one file) and from property names (`list.map(…)`). Resolved on the syntax tree,
// erring towards counting: an identifier is left out only when a declaration of the same name
// certainly stands between it and the variable, so a use is never missed (a spare one only makes
// a rewrite refuse).

/** The names a binding pattern or a name declares. */
function boundNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else
    for (const element of name.elements)
      if (!ts.isOmittedExpression(element)) boundNames(element.name, into);
}

/** `var` declarations of a function body, outside the functions nested in it (they are hoisted). */
function hoisted(body: ts.Node, into: Set<string>): void {
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.BlockScoped) === 0)
      for (const d of n.declarations) boundNames(d.name, into);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
}

/** The statements' own declarations (let, const, var, functions, classes, enums, namespaces). */
function declaredBy(statements: readonly ts.Statement[], into: Set<string>): void {
  for (const s of statements) {
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) boundNames(d.name, into);
    else if (
      (ts.isFunctionDeclaration(s) ||
        ts.isClassDeclaration(s) ||
        ts.isEnumDeclaration(s) ||
        ts.isModuleDeclaration(s)) &&
      s.name !== undefined &&
      ts.isIdentifier(s.name)
    )
      into.add(s.name.text);
    else if (ts.isImportDeclaration(s) && s.importClause !== undefined) {
      const { name, namedBindings } = s.importClause;
      if (name !== undefined) into.add(name.text);
      if (namedBindings !== undefined && ts.isNamespaceImport(namedBindings))
        into.add(namedBindings.name.text);
      else if (namedBindings !== undefined)
        for (const e of namedBindings.elements) into.add(e.name.text);
    } else if (ts.isImportEqualsDeclaration(s)) into.add(s.name.text);
  }
}

/** The names a scope node declares for the code under it. */
function scopeNames(scope: ts.Node): Set<string> {
  const names = new Set<string>();
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope))
    declaredBy(scope.statements, names);
  else if (ts.isCaseBlock(scope))
    for (const clause of scope.clauses) declaredBy(clause.statements, names);
  else if (isFunctionLike(scope)) {
    for (const p of scope.parameters) boundNames(p.name, names);
    if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name !== undefined)
      names.add(scope.name.text);
    if (scope.body !== undefined) hoisted(scope.body, names);
  } else if (
    (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) &&
    scope.initializer !== undefined &&
    ts.isVariableDeclarationList(scope.initializer)
  )
    for (const d of scope.initializer.declarations) boundNames(d.name, names);
  else if (ts.isCatchClause(scope) && scope.variableDeclaration !== undefined)
    boundNames(scope.variableDeclaration.name, names);
  else if (ts.isClassExpression(scope) && scope.name !== undefined) names.add(scope.name.text);
  return names;
}

/** Whether an identifier is a property's or a member's name, not a reference to a variable. */
function isMemberName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (
    ((ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) &&
      (ts.isPropertyAccessExpression(p) ? p.name : p.right) === id) ||
    ((ts.isPropertyAssignment(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isMethodSignature(p) ||
      ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p) ||
      ts.isEnumMember(p)) &&
      p.name === id) ||
    ((ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) && p.label === id)
  );
}

/**
 * The scope a variable is declared in: its block for `let`/`const`, its function's (or the
 * file's) for `var` and a parameter.
 * @param declaration - the variable's declaration
 * @returns the scope node
 */
function scopeOf(declaration: ts.VariableDeclaration | ts.ParameterDeclaration): ts.Node {
  if (ts.isParameter(declaration)) return declaration.parent;
  const list = declaration.parent;
  const blockScoped =
    ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) !== 0;
  let n: ts.Node = list.parent;
  if (ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n))
    return blockScoped ? n : scopeOfVar(n);
  if (!blockScoped) return scopeOfVar(n);
  while (
    !ts.isSourceFile(n) &&
    !ts.isBlock(n) &&
    !ts.isModuleBlock(n) &&
    !ts.isCaseBlock(n) &&
    n.parent !== undefined
  )
    n = n.parent;
  return n;
}

function scopeOfVar(from: ts.Node): ts.Node {
  let n = from;
  while (!ts.isSourceFile(n) && !isFunctionLike(n) && n.parent !== undefined) n = n.parent;
  return n;
}

/**
 * Every identifier in the file that names the variable `declaration` declares (its own name
 * apart): the identifiers of that name in its scope that no declaration of the same name in a
 * scope between shadows, property and member names left out.
 * @param declaration - a variable or parameter declared by name (`const cache = new Map()`)
 * @returns the references, in the file's order
 */
export function referencesTo(
  declaration: ts.VariableDeclaration | ts.ParameterDeclaration,
): ts.Identifier[] {
  if (!ts.isIdentifier(declaration.name)) return [];
  const name = declaration.name.text;
  const scope = scopeOf(declaration);
  const shadowing = new Map<ts.Node, boolean>();
  const shadows = (n: ts.Node): boolean => {
    let known = shadowing.get(n);
    if (known === undefined) {
      known = scopeNames(n).has(name);
      shadowing.set(n, known);
    }
    return known;
  };
  const found: ts.Identifier[] = [];
  const visit = (n: ts.Node, inner: boolean): void => {
    if (ts.isIdentifier(n)) {
      if (n.text === name && n !== declaration.name && !isMemberName(n)) found.push(n);
      return;
    }
    // A scope below the variable's that declares the name again hides it from the code under it
    // (a scope around the declaration itself declares the variable, not another).
    const around = n.pos <= declaration.pos && declaration.end <= n.end;
    if (inner && !around && shadows(n)) return;
    ts.forEachChild(n, (c) => visit(c, true));
  };
  ts.forEachChild(scope, (c) => visit(c, true));
  return found;
}
