import { ts } from "ts-morph";
import { isFunctionLike } from "../ast.js";

/** Whether a binding name (an identifier or a destructuring pattern) declares `name`. */
function binds(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name, wanted));
}

/** The declaration of `name` among a block's own statements (`let`/`const`/`var`, a function or a class). */
function declaredAmong(statements: readonly ts.Statement[], name: string): ts.Node | undefined {
  for (const s of statements) {
    if (ts.isVariableStatement(s)) {
      const d = s.declarationList.declarations.find((x) => binds(x.name, name));
      if (d !== undefined) return d;
    }
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name)
      return s;
  }
  return undefined;
}

/**
 * The declaration a bare identifier at `node` refers to, by the scopes around it: a parameter, a
 * loop or `catch` variable, or a declaration among the statements of an enclosing block, function
 * or file. Undefined for a global (or a `var` hoisted from a nested block, which is rare enough to
 * be treated as unknown). Two same-named locals of different functions resolve to different nodes.
 * @param node - where the name is used
 * @param name - the identifier's text
 * @returns the declaring node, or undefined
 */
export function bindingOf(node: ts.Node, name: string): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) {
    if (isFunctionLike(c)) {
      const p = c.parameters.find((x) => binds(x.name, name));
      if (p !== undefined) return p;
    }
    if (ts.isBlock(c) || ts.isSourceFile(c) || ts.isModuleBlock(c)) {
      const d = declaredAmong(c.statements, name);
      if (d !== undefined) return d;
    }
    if (ts.isCaseClause(c) || ts.isDefaultClause(c)) {
      const d = declaredAmong(c.statements, name);
      if (d !== undefined) return d;
    }
    if (
      (ts.isForStatement(c) || ts.isForOfStatement(c) || ts.isForInStatement(c)) &&
      c.initializer !== undefined &&
      ts.isVariableDeclarationList(c.initializer)
    ) {
      const d = c.initializer.declarations.find((x) => binds(x.name, name));
      if (d !== undefined) return d;
    }
    if (
      ts.isCatchClause(c) &&
      c.variableDeclaration !== undefined &&
      binds(c.variableDeclaration.name, name)
    )
      return c.variableDeclaration;
  }
  return undefined;
}
