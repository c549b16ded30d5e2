import { ts } from "ts-morph";
import { isFunctionLike } from "./ast.js";

// What one scope of a file declares, on the syntax tree: the one place the detectors (a use →
// its declaration) and `fix` (a declaration → its uses) learn which names a scope binds.

/** The declaration of `wanted` in a binding name (an identifier or a destructuring pattern). */
function boundIn(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && boundIn(e.name, wanted));
}

/** The declaration of `name` among a list of variable declarations. */
function amongDeclarations(
  declarations: readonly ts.VariableDeclaration[],
  name: string,
): ts.VariableDeclaration | undefined {
  return declarations.find((d) => boundIn(d.name, name));
}

/** The import binding of `name` an import declaration makes. */
function importedAs(s: ts.ImportDeclaration, name: string): ts.Node | undefined {
  const clause = s.importClause;
  if (clause === undefined) return undefined;
  if (clause.name?.text === name) return clause;
  const bindings = clause.namedBindings;
  if (bindings === undefined) return undefined;
  if (ts.isNamespaceImport(bindings)) return bindings.name.text === name ? bindings : undefined;
  return bindings.elements.find((e) => e.name.text === name);
}

/**
 * The declaration of `name` among statements' own declarations: `let`/`const`/`var`, a function,
 * class, enum or namespace, an import.
 */
function amongStatements(statements: readonly ts.Statement[], name: string): ts.Node | undefined {
  for (const s of statements) {
    if (ts.isVariableStatement(s)) {
      const d = amongDeclarations(s.declarationList.declarations, name);
      if (d !== undefined) return d;
    } else if (
      (ts.isFunctionDeclaration(s) ||
        ts.isClassDeclaration(s) ||
        ts.isEnumDeclaration(s) ||
        ts.isModuleDeclaration(s)) &&
      s.name !== undefined &&
      ts.isIdentifier(s.name) &&
      s.name.text === name
    )
      return s;
    else if (ts.isImportDeclaration(s)) {
      const d = importedAs(s, name);
      if (d !== undefined) return d;
    } else if (ts.isImportEqualsDeclaration(s) && s.name.text === name) return s;
  }
  return undefined;
}

/** A `var` declaration of `name` in a function body, outside the functions nested in it (hoisted). */
function hoistedVar(body: ts.Node, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (n: ts.Node): void => {
    if (found !== undefined || isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.BlockScoped) === 0)
      found = amongDeclarations(n.declarations, name);
    if (found === undefined) ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * The node that declares `name` for the code under a scope node, if this scope declares it: a
 * block's, file's or namespace body's own declarations (imports included), any clause of a
 * `switch`, a function's parameters, its own name (a named function expression) and the `var`s
 * hoisted in its body, a loop's initializer, a `catch` variable, a named class expression.
 * @param scope - a node that may open a scope
 * @param name - the identifier's text
 * @returns the declaring node (a variable, parameter or import declaration, a function, class,
 *   enum or namespace statement), or undefined when this scope does not declare the name
 */
export function declarationIn(scope: ts.Node, name: string): ts.Node | undefined {
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope))
    return amongStatements(scope.statements, name);
  if (ts.isCaseBlock(scope)) {
    for (const clause of scope.clauses) {
      const d = amongStatements(clause.statements, name);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (isFunctionLike(scope)) {
    const p = scope.parameters.find((x) => boundIn(x.name, name));
    if (p !== undefined) return p;
    if (ts.isFunctionExpression(scope) && scope.name?.text === name) return scope;
    return scope.body === undefined ? undefined : hoistedVar(scope.body, name);
  }
  if (
    (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) &&
    scope.initializer !== undefined &&
    ts.isVariableDeclarationList(scope.initializer)
  )
    return amongDeclarations(scope.initializer.declarations, name);
  if (ts.isCatchClause(scope) && scope.variableDeclaration !== undefined)
    return boundIn(scope.variableDeclaration.name, name) ? scope.variableDeclaration : undefined;
  if (ts.isClassExpression(scope) && scope.name?.text === name) return scope;
  return undefined;
}
