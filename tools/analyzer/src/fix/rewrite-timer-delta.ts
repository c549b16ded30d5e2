import { ts } from "ts-morph";
import { callee, findAll, isFunctionLike, nameOf } from "../ast.js";
import { referencesTo } from "./binding-references.js";
import { CLOCKS, clockReader, secondsDivision } from "./clock-reader.js";
import { fieldTimer } from "./field-timer.js";
import { hrtimeElapsed } from "./hrtime-elapsed.js";
import { inFinding, refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import type { TextEdit } from "./source-edit.js";
import { freeName, needsParens, snake } from "./timer-text.js";

/**
 * The variable or parameter an identifier reads, by binding (not another variable of its name).
 * @param file - the file
 * @param read - the identifier
 * @returns its declaration, or undefined when the file does not declare it (a global, an import)
 */
function declarationOf(
  file: ts.SourceFile,
  read: ts.Identifier,
): ts.VariableDeclaration | ts.ParameterDeclaration | undefined {
  return findAll(
    file,
    (n): n is ts.VariableDeclaration | ts.ParameterDeclaration =>
      (ts.isVariableDeclaration(n) || ts.isParameter(n)) &&
      ts.isIdentifier(n.name) &&
      n.name.text === read.text &&
      referencesTo(n).includes(read),
  ).at(-1);
}

const bare = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) ? bare(node.expression) : node;

/** The first `a <op> b` in the finding's lines that `test` accepts. */
function binaryInFinding(
  input: RewriteInput,
  op: ts.SyntaxKind,
  test: (n: ts.BinaryExpression) => boolean,
): ts.BinaryExpression | undefined {
  return findAll(
    input.file,
    (n): n is ts.BinaryExpression =>
      ts.isBinaryExpression(n) && n.operatorToken.kind === op && inFinding(input, n) && test(n),
  )[0];
}

/** An edit that deletes a statement with its line (its indentation and line break). */
function wholeLines(file: ts.SourceFile, statement: ts.Node): TextEdit {
  const start = statement.getStart(file);
  const lineStart = file.text.lastIndexOf("\n", start - 1) + 1;
  let end = statement.getEnd();
  const rest = /^[ \t]*\r?\n/.exec(file.text.slice(end));
  if (rest !== null) end += rest[0].length;
  return {
    start: /^[ \t]*$/.test(file.text.slice(lineStart, start)) ? lineStart : start,
    end,
    text: "",
  };
}

/**
 * An end mark `const end = Date.now();` read once, in `end - start` by the statement right after
 * it, where `start` is the other mark: that subtraction is the elapsed time.
 * @param start - the first mark
 * @param end - the second mark
 * @returns the end mark, its statement and the subtraction, or undefined when it is not that
 */
function endMark(
  start: ts.VariableDeclaration | undefined,
  end: ts.VariableDeclaration | undefined,
):
  | { mark: ts.VariableDeclaration; statement: ts.VariableStatement; delta: ts.BinaryExpression }
  | undefined {
  if (start === undefined || end === undefined || !ts.isIdentifier(end.name)) return undefined;
  const statement = end.parent.parent;
  if (
    !ts.isVariableDeclarationList(end.parent) ||
    (end.parent.flags & ts.NodeFlags.Const) === 0 ||
    end.parent.declarations.length !== 1 ||
    !ts.isVariableStatement(statement) ||
    !ts.isBlock(statement.parent)
  )
    return undefined;
  const block = statement.parent.statements;
  const next = block[block.indexOf(statement) + 1];
  const name = end.name.text;
  const reads =
    next === undefined
      ? []
      : findAll(
          statement.parent,
          (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === name && n !== end.name,
        );
  const read = reads[0];
  const delta = read?.parent;
  if (
    reads.length !== 1 ||
    read === undefined ||
    delta === undefined ||
    !ts.isBinaryExpression(delta) ||
    delta.operatorToken.kind !== ts.SyntaxKind.MinusToken ||
    delta.left !== read ||
    !ts.isIdentifier(delta.right) ||
    delta.right.text !== start.name.getText() ||
    next === undefined ||
    delta.pos < next.pos ||
    delta.end > next.end
  )
    return undefined;
  return { mark: end, statement, delta };
}

/**
 * A start mark (`const start = Date.now()` / `performance.now()` / `process.hrtime.bigint()`) and
 * the one elapsed time read from it (`Date.now() - start`) that feeds a log or a metric → the
 * project's shared monitor: `const stopXTimer = monitor.startTimer("x_duration_seconds")` and
 * `stopXTimer() * 1000` in place of the subtraction, so the duration is also a histogram (the log
 * or metric it fed still gets it, in the same unit). The histogram is named after the enclosing
 * function. A `process.hrtime()` mark read once, by `process.hrtime(start)` kept in a local whose
 * seconds and nanoseconds the next statement adds up into one unit (`s * 1e3 + ns / 1e6`), goes
 * the same way, the tuple's statement with it. Refused: a mark that is not a local `const` of the
 * function, a mark read more than once or for anything but the elapsed time, an elapsed time read
 * from another clock, a `process.hrtime()` tuple read in another way.
 */
export function rewriteTimerDelta(input: RewriteInput): Rewrite | Refusal {
  const { file } = input;
  const clockOf = clockReader(file);
  const isMark = (n: ts.Node): boolean =>
    ts.isVariableDeclaration(n) &&
    n.initializer !== undefined &&
    (clockOf(n.initializer) !== undefined ||
      (callee(n.initializer) === "process.hrtime" &&
        (n.initializer as ts.CallExpression).arguments.length === 0));
  let marks = findAll(file, (n): n is ts.VariableDeclaration => isMark(n) && inFinding(input, n));
  if (marks.length === 0) {
    const consoleTime = findAll(
      file,
      (n): n is ts.CallExpression =>
        ts.isCallExpression(n) && inFinding(input, n) && callee(n) === "console.time",
    )[0];
    if (consoleTime !== undefined)
      return refuse(
        "`console.time`/`console.timeEnd` prints the elapsed time itself, in its own format (ms, s or m:ss): a histogram timer would change that output",
      );
    const assigned = binaryInFinding(
      input,
      ts.SyntaxKind.EqualsToken,
      (n) => clockOf(n.right) !== undefined,
    );
    const kept = assigned === undefined ? undefined : bare(assigned.left);
    if (
      kept !== undefined &&
      ts.isPropertyAccessExpression(kept) &&
      kept.expression.kind === ts.SyntaxKind.ThisKeyword
    )
      return fieldTimer(input, kept, clockOf);
    if (assigned !== undefined)
      return refuse(
        `the start mark \`${assigned.left.getText(file)}\` is not a local \`const\` (kept in a field or reassigned, it may be read elsewhere)`,
      );
    const delta = binaryInFinding(
      input,
      ts.SyntaxKind.MinusToken,
      (n) =>
        clockOf(ts.isParenthesizedExpression(n.left) ? n.left.expression : n.left) !== undefined,
    );
    const from = delta === undefined ? undefined : bare(delta.right);
    if (
      from !== undefined &&
      ts.isPropertyAccessExpression(from) &&
      from.expression.kind === ts.SyntaxKind.ThisKeyword
    )
      return fieldTimer(input, from, clockOf);
    if (delta !== undefined && !ts.isIdentifier(delta.right))
      return refuse(
        `the start mark \`${delta.right.getText(file).slice(0, 40)}\` is a property set in another function (other code may read it)`,
      );
    // The start mark declared before the finding's lines: found by the binding the delta reads.
    const bound =
      delta === undefined ? undefined : declarationOf(file, delta.right as ts.Identifier);
    if (delta !== undefined && bound !== undefined && !ts.isParameter(bound) && !isMark(bound))
      return refuse(
        `the start mark \`${delta.right.getText(file)}\` is not read from a clock (\`${bound.initializer?.getText(file).slice(0, 40) ?? "declared without a value"}\`)`,
      );
    if (delta !== undefined && (bound === undefined || !isMark(bound)))
      return refuse(
        `the start mark \`${delta.right.getText(file)}\` comes from outside the function (a parameter or an outer variable)`,
      );
    if (bound === undefined)
      return refuse("no start mark (`const start = Date.now()`) in the finding's lines");
    marks = [bound as ts.VariableDeclaration];
  }
  // `const end = Date.now(); const ms = end - start;`: an end mark read once, by the statement right
  // after it, goes with the start mark (the timer stops where the end mark was read).
  const ended = marks.length === 2 ? endMark(marks[0], marks[1]) : undefined;
  if (marks.length > 1 && ended === undefined)
    return refuse(`${marks.length} start marks in the finding's lines; one is rewritten at a time`);
  const mark = marks[0] as ts.VariableDeclaration;
  const init = mark.initializer as ts.Expression;
  // `const start = process.hrtime()`: the elapsed time is the tuple `process.hrtime(start)` added up.
  const tuple = callee(init) === "process.hrtime";
  const clock = tuple ? "process.hrtime" : (clockOf(init) as string);
  const statement = mark.parent.parent;
  // `let`/`var` too: the mark must be read once, by the elapsed time (below), so nothing assigns it.
  if (
    !ts.isIdentifier(mark.name) ||
    !ts.isVariableDeclarationList(mark.parent) ||
    !ts.isVariableStatement(statement) ||
    mark.parent.declarations.length !== 1
  )
    return refuse(`the start mark \`${mark.name.getText(file)}\` is not declared alone`);
  let holder: ts.Node = statement;
  while (!isFunctionLike(holder) && !ts.isSourceFile(holder)) holder = holder.parent;
  if (ts.isSourceFile(holder))
    return refuse("the start mark is module state (read whenever the module is), not a function's");
  const name = mark.name.text;
  const reads = findAll(
    holder,
    (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === name && n !== mark.name,
  );
  if (ended !== undefined && (reads.length !== 1 || reads[0]?.parent !== ended.delta))
    return refuse(
      `the start mark \`${name}\` is read other than once, by \`${ended.delta.getText(file).slice(0, 40)}\``,
    );
  if (reads.length !== 1)
    return refuse(
      `the start mark \`${name}\` is read ${reads.length} times; one timer observes one elapsed time`,
    );
  const read = reads[0] as ts.Identifier;
  if (tuple) {
    const elapsed = hrtimeElapsed(read, holder);
    if (typeof elapsed === "string") return refuse(elapsed);
    return timerRewrite(input, {
      holder,
      name,
      statement,
      clock,
      elapsed: elapsed.sum,
      // Whole nanoseconds stay whole.
      replaced: (end) =>
        elapsed.perSecond === undefined
          ? `${end}()`
          : Number(elapsed.perSecond.replaceAll("_", "")) === 1e9
            ? `Math.round(${end}() * ${elapsed.perSecond})`
            : `${end}() * ${elapsed.perSecond}`,
      removed: elapsed.statement,
    });
  }
  const delta = read.parent;
  if (
    !ts.isBinaryExpression(delta) ||
    delta.operatorToken.kind !== ts.SyntaxKind.MinusToken ||
    delta.right !== read
  )
    return refuse(
      `the start mark \`${name}\` is read for something else than an elapsed time (\`${read.parent.getText(file).slice(0, 60)}\`)`,
    );
  const deltaClock =
    ended !== undefined
      ? clockOf(ended.mark.initializer)
      : clockOf(ts.isParenthesizedExpression(delta.left) ? delta.left.expression : delta.left);
  if (deltaClock !== clock)
    return refuse(
      `the elapsed time \`${delta.getText(file)}\` is not read from the start mark's clock (\`${clock}()\`)`,
    );
  const seconds = secondsDivision(delta, clock, file);
  return timerRewrite(input, {
    holder,
    name,
    statement,
    clock,
    elapsed: seconds ?? delta,
    replaced:
      seconds !== undefined ? (end) => `${end}()` : (CLOCKS[clock] as (end: string) => string),
    ...(ended === undefined ? {} : { removed: ended.statement }),
  });
}

/** What {@link timerRewrite} replaces. */
interface TimerSite {
  /** The function the start mark is declared in. */
  readonly holder: ts.Node;
  /** The start mark's name. */
  readonly name: string;
  /** The start mark's statement (the timer starts there). */
  readonly statement: ts.VariableStatement;
  /** The clock the mark read. */
  readonly clock: string;
  /** The elapsed time's expression (the timer's end takes its place). */
  readonly elapsed: ts.Expression;
  /** The timer's end, in the elapsed time's unit. */
  readonly replaced: (end: string) => string;
  /** A statement that goes with its lines (an end mark, the hrtime tuple). */
  readonly removed?: ts.VariableStatement;
}

/**
 * The start mark → `const stopXTimer = monitor.startTimer("x_duration_seconds")` and the elapsed
 * time → the timer's end, or the refusal when the elapsed time is read in a loop the mark is
 * outside of.
 */
function timerRewrite(input: RewriteInput, site: TimerSite): Rewrite | Refusal {
  const { file } = input;
  const { holder, name, statement, clock, elapsed } = site;
  for (let n: ts.Node = elapsed.parent; n !== holder; n = n.parent)
    if (ts.isIterationStatement(n, false) && !(statement.pos >= n.pos && statement.end <= n.end))
      return refuse(
        "the elapsed time is read in a loop the start mark is outside of: the timer would observe each pass",
      );
  let owner: string | undefined;
  for (let n: ts.Node = holder; owner === undefined && !ts.isSourceFile(n); n = n.parent)
    if (isFunctionLike(n)) owner = nameOf(n);
  const base = snake(owner ?? "") || snake(name.replace(/start$|begin$|^t0$/i, "")) || "operation";
  const metric = `${base}_duration_seconds`;
  const words = base.split("_").map((w) => (w[0]?.toUpperCase() ?? "") + w.slice(1));
  const end = freeName(input.names, `stop${words.join("")}Timer`);
  const monitor = input.shared.importInto(file, input.names, "monitor");
  const replaced = site.replaced(end);
  return {
    ok: true,
    api: "monitor.startTimer(name)",
    edits: [
      {
        start: statement.getStart(file),
        end: statement.getEnd(),
        text: `const ${end} = ${monitor.local}.startTimer(${JSON.stringify(metric)});`,
      },
      // The end mark's (or the tuple's) statement goes, with its line.
      ...(site.removed === undefined ? [] : [wholeLines(file, site.removed)]),
      {
        start: elapsed.getStart(file),
        end: elapsed.getEnd(),
        text: needsParens(elapsed) && replaced.includes(" ") ? `(${replaced})` : replaced,
      },
    ],
    imports: [monitor],
    shared: ["monitor"],
    notes: [
      `the duration is also observed into the histogram \`${metric}\` of the project's shared PerformanceMonitor (rename it as you like); the code it fed gets it as before${clock === "Date.now" ? ", now with sub-millisecond precision" : ""}`,
    ],
  };
}
