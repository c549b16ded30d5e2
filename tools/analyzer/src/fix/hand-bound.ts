import { ts } from "ts-morph";
import { soleStatement } from "../ast.js";

/**
 * A memo's bound written by hand: `if (map.size >= N) map.clear();` (or `> N`) before a `set`, so
 * the map never holds more than `N` (`N + 1`) entries. A cache's `max` keeps that bound (dropping
 * the least recently used entry at a time rather than all of them at once).
 */
export interface HandBound {
  /** The `if` that empties the map when it is full: it goes with the swap. */
  readonly statement: ts.IfStatement;
  /** The `.size` read the bound tests (a use of the map that is not a Map call). */
  readonly size: ts.Expression;
  /** The `.clear()` the bound calls (a use of the map the swap drops with the `if`). */
  readonly clear: ts.Expression;
  /** The `max` the cache is given, as code (`4096`, `LIMIT`, `LIMIT + 1`). */
  readonly max: string;
  /** The limit as the code names it (`4096`, `CACHE_MAX`), for the note. */
  readonly limit: string;
  /**
   * The limit's `const` when it is declared after the map: it moves above it (the cache is made
   * where the map was, before the `const` would exist).
   */
  readonly moved?: ts.VariableStatement;
}

/** The expression a one-statement block or a statement is, when it is an expression statement. */
function onlyExpression(statement: ts.Statement): ts.Expression | undefined {
  const inner = soleStatement(statement);
  return inner !== undefined && ts.isExpressionStatement(inner) ? inner.expression : undefined;
}

/**
 * The limit an `N` of the bound stands for, as the cache's option may spell it where the map is
 * made: a number, or a module `const` of a number — declared after the map, that `const` (alone
 * in its statement, no comment above it) moves above the map.
 */
function limitAt(
  file: ts.SourceFile,
  limit: ts.Expression,
  made: ts.Statement,
):
  | { readonly text: string; readonly value?: number; readonly moved?: ts.VariableStatement }
  | undefined {
  if (ts.isNumericLiteral(limit)) return { text: limit.getText(file), value: Number(limit.text) };
  if (!ts.isIdentifier(limit)) return undefined;
  for (const s of file.statements) {
    if (!ts.isVariableStatement(s) || (s.declarationList.flags & ts.NodeFlags.Const) === 0)
      continue;
    const d = s.declarationList.declarations.find(
      (v) => ts.isIdentifier(v.name) && v.name.text === limit.text,
    );
    if (d === undefined) continue;
    const init = d.initializer;
    if (init === undefined || !ts.isNumericLiteral(init)) return undefined;
    if (s.pos < made.pos) return { text: limit.text };
    const alone =
      s.declarationList.declarations.length === 1 &&
      (ts.getLeadingCommentRanges(file.text, s.pos) ?? []).length === 0;
    return alone ? { text: limit.text, moved: s } : undefined;
  }
  return undefined;
}

/**
 * The hand-written bound a `.size` use of a store is part of, if it is one:
 * `if (map.size >= N) map.clear();` (`>` too, the `if`'s body one `map.clear()`, no `else`), `N`
 * a number or a module `const` of a number.
 * @param file - the file
 * @param use - a use of the store (its name)
 * @param name - the store's name as the code spells it
 * @param made - the statement that makes the store (a limit declared after it is written as its number)
 * @returns the bound, or undefined when the use is not such a test
 */
export function handBound(
  file: ts.SourceFile,
  use: ts.Expression,
  name: string,
  made: ts.Statement,
): HandBound | undefined {
  const size = use.parent;
  if (!ts.isPropertyAccessExpression(size) || size.expression !== use || size.name.text !== "size")
    return undefined;
  const test = size.parent;
  if (!ts.isBinaryExpression(test) || test.left !== size) return undefined;
  const op = test.operatorToken.kind;
  if (op !== ts.SyntaxKind.GreaterThanEqualsToken && op !== ts.SyntaxKind.GreaterThanToken)
    return undefined;
  const statement = test.parent;
  if (
    !ts.isIfStatement(statement) ||
    statement.expression !== test ||
    statement.elseStatement !== undefined
  )
    return undefined;
  const call = onlyExpression(statement.thenStatement);
  if (
    call === undefined ||
    !ts.isCallExpression(call) ||
    call.arguments.length > 0 ||
    !ts.isPropertyAccessExpression(call.expression) ||
    call.expression.name.text !== "clear" ||
    call.expression.expression.getText(file) !== name
  )
    return undefined;
  const limit = limitAt(file, test.right, made);
  if (limit === undefined) return undefined;
  // `size >= N` keeps N after the next set; `size > N` keeps N + 1.
  const max =
    op === ts.SyntaxKind.GreaterThanEqualsToken
      ? limit.text
      : limit.value !== undefined
        ? String(limit.value + 1)
        : `${limit.text} + 1`;
  return {
    statement,
    size: use,
    clear: call.expression.expression,
    max,
    limit: test.right.getText(file),
    ...(limit.moved === undefined ? {} : { moved: limit.moved }),
  };
}
