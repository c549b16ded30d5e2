import { ts } from "ts-morph";
import { isFunctionLike } from "../ast.js";
import { declarationIn } from "../scope-declarations.js";

// Which identifiers of a file name one variable: the uses a rewrite must account for, told apart
// from a variable of the same name declared in another scope (two `const map = new Map()` in two
// functions of one file) and from property names (`list.map(…)`). Resolved on the syntax tree,
// erring towards counting: an identifier is left out only when a declaration of the same name
// certainly stands between it and the variable, so a use is never missed (a spare one only makes
// a rewrite refuse).

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
      known = declarationIn(n, name) !== undefined;
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
