import { ts } from "ts-morph";
import { callee, chain } from "../ast.js";
import { referencesTo } from "./binding-references.js";

/** The clocks a start mark is read from, and how the timer's seconds are put back in their unit. */
export const CLOCKS: Readonly<Record<string, (end: string) => string>> = {
  "Date.now": (end) => `${end}() * 1000`,
  "performance.now": (end) => `${end}() * 1000`,
  "process.hrtime.bigint": (end) => `BigInt(Math.round(${end}() * 1e9))`,
};

/**
 * The division that puts an elapsed time in seconds as it is read — `(now - start) / 1000`, the
 * timer's own value — or undefined (never for `process.hrtime.bigint`, counted in nanoseconds).
 */
export function secondsDivision(
  elapsed: ts.Node,
  clock: string,
  file: ts.SourceFile,
): ts.BinaryExpression | undefined {
  const outer = elapsed.parent.parent;
  return clock !== "process.hrtime.bigint" &&
    ts.isParenthesizedExpression(elapsed.parent) &&
    ts.isBinaryExpression(outer) &&
    outer.left === elapsed.parent &&
    outer.operatorToken.kind === ts.SyntaxKind.SlashToken &&
    ["1000", "1e3", "1_000"].includes(outer.right.getText(file))
    ? outer
    : undefined;
}

/** `new Date()` with no argument: the time now. */
const isNewDate = (node: ts.Expression): boolean =>
  ts.isNewExpression(node) &&
  node.expression.getText() === "Date" &&
  (node.arguments === undefined || node.arguments.length === 0);

/** How an expression names a clock function, as its callee: `Date.now`, `performance.now`… */
export type ClockOf = (node: ts.Expression | undefined) => string | undefined;

/**
 * A file's clock aliases: module-level `const now = Date.now;` (or `performance.now`,
 * `process.hrtime.bigint`), by declaration. A `const` at the module's top is never assigned
 * again, so every call of its name in its scope reads that clock.
 */
function clockAliases(file: ts.SourceFile): Map<string, ts.VariableDeclaration[]> {
  const aliases = new Map<string, ts.VariableDeclaration[]>();
  for (const statement of file.statements) {
    if (
      !ts.isVariableStatement(statement) ||
      (statement.declarationList.flags & ts.NodeFlags.Const) === 0
    )
      continue;
    for (const d of statement.declarationList.declarations) {
      const init = d.initializer === undefined ? undefined : chain(d.initializer);
      if (!ts.isIdentifier(d.name) || init === undefined || !Object.hasOwn(CLOCKS, init)) continue;
      aliases.set(init, [...(aliases.get(init) ?? []), d]);
    }
  }
  return aliases;
}

/**
 * The clock an expression reads: `Date.now()`, `performance.now()`, `process.hrtime.bigint()`, or
 * a call of a module `const` alias of one (`const hrtimeBigint = process.hrtime.bigint;`, found by
 * its binding); `new Date().getTime()`, `new Date().valueOf()`, `+new Date()` and a bare
 * `new Date()` (a Date subtracted from another is its milliseconds) read `Date.now`.
 * @param file - the file whose aliases count
 * @returns the reader
 */
export function clockReader(file: ts.SourceFile): ClockOf {
  let aliases: Map<string, ts.VariableDeclaration[]> | undefined;
  const aliased = (called: ts.Identifier): string | undefined => {
    aliases ??= clockAliases(file);
    for (const [clock, declarations] of aliases)
      if (declarations.some((d) => referencesTo(d).includes(called))) return clock;
    return undefined;
  };
  return (node) => {
    if (node === undefined) return undefined;
    if (isNewDate(node)) return "Date.now";
    if (
      ts.isPrefixUnaryExpression(node) &&
      node.operator === ts.SyntaxKind.PlusToken &&
      isNewDate(node.operand)
    )
      return "Date.now";
    if (!ts.isCallExpression(node) || node.arguments.length !== 0) return undefined;
    const called = node.expression;
    if (
      ts.isPropertyAccessExpression(called) &&
      ["getTime", "valueOf"].includes(called.name.text) &&
      isNewDate(
        ts.isParenthesizedExpression(called.expression)
          ? called.expression.expression
          : called.expression,
      )
    )
      return "Date.now";
    const name = callee(node);
    if (name !== undefined && Object.hasOwn(CLOCKS, name)) return name;
    return ts.isIdentifier(called) ? aliased(called) : undefined;
  };
}
