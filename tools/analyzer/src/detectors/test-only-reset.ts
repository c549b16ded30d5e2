import { ts } from "ts-morph";
import { walkKinds } from "../ast.js";

/** Whether a statement carries `export` (`export function f`, `export const f = …`). */
function exported(statement: ts.Statement): boolean {
  return (
    ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/**
 * The name of a module's exported reset that its own file never uses: a top-level function with
 * no parameters (`export function resetCache(): void { memo = undefined }`, `export const clear =
 * () => { … }`) that no other code of the file mentions. Such a reset may exist only for tests,
 * which call it between cases; whether it is one is known across files — the finding is held on
 * `calledFact` (cross-file-facts.ts) and stands when a file that is not a test mentions the name (imports or calls
 * it, re-exports it). A reset the file calls itself, or one with parameters, is not held.
 * @param fn - the function that only invalidates
 * @returns the name to hold the finding on, or `undefined` when it stands on its own
 */
export function exportedUnusedReset(fn: ts.Node): string | undefined {
  let statement: ts.Node = fn;
  let name: string | undefined;
  if (ts.isFunctionDeclaration(fn)) name = fn.name?.text;
  else if (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    ts.isVariableDeclaration(fn.parent) &&
    ts.isIdentifier(fn.parent.name) &&
    ts.isVariableDeclarationList(fn.parent.parent) &&
    fn.parent.parent.declarations.length === 1
  ) {
    name = fn.parent.name.text;
    statement = fn.parent.parent.parent;
  } else return undefined;
  const sourceFile = fn.getSourceFile();
  if (
    name === undefined ||
    (fn as ts.FunctionLikeDeclaration).parameters.length > 0 ||
    !ts.isSourceFile(statement.parent) ||
    !exported(statement as ts.Statement)
  )
    return undefined;
  let used = false;
  const declared = ts.isFunctionDeclaration(fn)
    ? fn.name
    : (fn.parent as ts.VariableDeclaration).name;
  walkKinds(sourceFile, [ts.SyntaxKind.Identifier], (n) => {
    if (n !== declared && ts.isIdentifier(n) && n.text === name) used = true;
  });
  return used ? undefined : name;
}
