import { ts } from "ts-morph";
import { callee, findAll } from "../ast.js";

/** The elapsed time read from a `process.hrtime()` start mark, in the unit the code wrote. */
export interface HrtimeElapsed {
  /** `const d = process.hrtime(start);` / `const [s, ns] = process.hrtime(start);` (it goes). */
  readonly statement: ts.VariableStatement;
  /** `s * 1e3 + ns / 1e6`: the one sum the tuple is read in (the timer's end takes its place). */
  readonly sum: ts.BinaryExpression;
  /** The sum's units per second as written (`1e3` for ms), or undefined for seconds. */
  readonly perSecond: string | undefined;
}

const bare = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) ? bare(node.expression) : node;

/** A numeric literal's value (`1e3`, `1_000`, `1e-6`), else undefined. */
function literal(node: ts.Expression): number | undefined {
  const n = bare(node);
  return ts.isNumericLiteral(n) ? Number(n.text.replaceAll("_", "")) : undefined;
}

/**
 * A part of the tuple as a term of the sum: the part alone (× 1), `part * K` / `K * part`, or
 * `part / K` (× 1/K); its node in the sum and its factor, else undefined.
 */
function term(part: ts.Expression): { node: ts.Expression; factor: number; text?: string } {
  let node: ts.Expression = part;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent)) {
    const other = parent.left === node ? parent.right : parent.left;
    const k = literal(other);
    if (k !== undefined && k !== 0) {
      if (parent.operatorToken.kind === ts.SyntaxKind.AsteriskToken)
        return { node: parent, factor: k, text: bare(other).getText() };
      if (parent.operatorToken.kind === ts.SyntaxKind.SlashToken && parent.left === node)
        return { node: parent, factor: 1 / k };
    }
  }
  return { node, factor: 1 };
}

/**
 * The elapsed time a `process.hrtime()` start mark is read for: `process.hrtime(start)` kept in a
 * local `const` (`d`, or `[s, ns]`) whose two parts are read once each, in one sum in the statement
 * right after it, `seconds * K + nanoseconds * K / 1e9` (`s * 1e3 + ns / 1e6` in ms, `s * 1e9 + ns`
 * in ns) — or why it is not that.
 * @param read - the start mark's one read
 * @param holder - the function the mark is declared in
 * @returns the elapsed time, or the reason it is not carried over
 */
export function hrtimeElapsed(read: ts.Identifier, holder: ts.Node): HrtimeElapsed | string {
  const refused = (why: string): string =>
    `a \`process.hrtime()\` [seconds, nanoseconds] tuple: the arithmetic done on it is not carried over (${why})`;
  const call = read.parent;
  if (
    !ts.isCallExpression(call) ||
    callee(call) !== "process.hrtime" ||
    call.arguments.length !== 1 ||
    call.arguments[0] !== read
  )
    return refused(`the mark is read by \`${call.getText().slice(0, 40)}\``);
  const declaration = call.parent;
  const statement = declaration.parent.parent;
  if (
    !ts.isVariableDeclaration(declaration) ||
    declaration.initializer !== call ||
    !ts.isVariableDeclarationList(declaration.parent) ||
    (declaration.parent.flags & ts.NodeFlags.Const) === 0 ||
    declaration.parent.declarations.length !== 1 ||
    !ts.isVariableStatement(statement) ||
    !ts.isBlock(statement.parent)
  )
    return refused(`\`${call.getText()}\` is not kept alone in a local \`const\``);
  const block = statement.parent.statements;
  const next = block[block.indexOf(statement) + 1];
  const readsOf = (name: string, binding: ts.Node): ts.Identifier[] =>
    findAll(
      holder,
      (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === name && n !== binding,
    );
  let seconds: ts.Expression | undefined;
  let nanos: ts.Expression | undefined;
  const name = declaration.name;
  if (ts.isIdentifier(name)) {
    // `d[0]` and `d[1]`, each read once.
    const reads = readsOf(name.text, name);
    for (const r of reads) {
      const access = r.parent;
      const index =
        ts.isElementAccessExpression(access) && access.expression === r
          ? literal(access.argumentExpression)
          : undefined;
      if (index === 0 && seconds === undefined) seconds = access as ts.Expression;
      else if (index === 1 && nanos === undefined) nanos = access as ts.Expression;
      else return refused(`\`${name.text}\` is read as \`${access.getText().slice(0, 40)}\``);
    }
    if (reads.length !== 2) return refused(`\`${name.text}\` is read ${reads.length} time(s)`);
  } else if (ts.isArrayBindingPattern(name) && name.elements.length === 2) {
    // `const [s, ns]`: each read once.
    const parts = name.elements.map((e) =>
      ts.isBindingElement(e) &&
      ts.isIdentifier(e.name) &&
      e.initializer === undefined &&
      e.dotDotDotToken === undefined
        ? e.name
        : undefined,
    );
    const [s, ns] = parts;
    if (s === undefined || ns === undefined)
      return refused(`\`${name.getText()}\` is not two plain names`);
    const sReads = readsOf(s.text, s);
    const nsReads = readsOf(ns.text, ns);
    if (sReads.length !== 1 || nsReads.length !== 1)
      return refused(`\`${s.text}\` and \`${ns.text}\` are not read once each`);
    seconds = sReads[0];
    nanos = nsReads[0];
  } else return refused(`\`${name.getText()}\` is not a name or \`[seconds, nanoseconds]\``);
  if (seconds === undefined || nanos === undefined)
    return refused("its seconds and nanoseconds are not both read");
  const s = term(seconds);
  const ns = term(nanos);
  let sum: ts.Node = s.node;
  while (ts.isParenthesizedExpression(sum.parent)) sum = sum.parent;
  sum = sum.parent;
  if (
    !ts.isBinaryExpression(sum) ||
    sum.operatorToken.kind !== ts.SyntaxKind.PlusToken ||
    ![sum.left, sum.right].map(bare).includes(bare(ns.node))
  )
    return refused(`its parts are not added up as \`seconds * K + nanoseconds * K / 1e9\``);
  // Both parts in one unit: the nanoseconds' factor is the seconds' over 1e9.
  if (Math.abs(ns.factor * 1e9 - s.factor) > s.factor * 1e-9)
    return refused(
      `\`${sum.getText().slice(0, 60)}\` does not turn seconds and nanoseconds into one unit`,
    );
  if (next === undefined || sum.pos < next.pos || sum.end > next.end)
    return refused("the elapsed time is not read by the statement right after it is taken");
  return { statement, sum, perSecond: s.factor === 1 ? undefined : s.text };
}
