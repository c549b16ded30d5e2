import { ts } from "ts-morph";
import { callee, findAll, walk } from "../ast.js";
import { importName } from "./source-edit.js";
import { inFinding, refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import { soleExpression } from "./rewrite-timeout-race.js";

/** Names of helpers that only wait (`await sleep(ms)`). */
const SLEEP = /^(sleep|delay|wait|pause|timeout|setTimeoutPromise)$/i;

/** The counted loop: `for (let i = start; i < limit; i++)`. */
interface Counter {
  readonly name: string;
  readonly start: 0 | 1;
  readonly inclusive: boolean;
  readonly limit: string;
}

const squash = (text: string): string => text.replace(/\s+/g, "");

function counterOf(loop: ts.ForStatement, file: ts.SourceFile): Counter | string {
  const init = loop.initializer;
  const declaration =
    init !== undefined && ts.isVariableDeclarationList(init) && init.declarations.length === 1
      ? init.declarations[0]
      : undefined;
  if (declaration === undefined || !ts.isIdentifier(declaration.name))
    return "the loop does not declare one counter";
  const name = declaration.name.text;
  const start = declaration.initializer?.getText(file);
  if (start !== "0" && start !== "1") return `the counter starts at ${String(start)}, not 0 or 1`;
  const condition = loop.condition;
  if (
    condition === undefined ||
    !ts.isBinaryExpression(condition) ||
    condition.left.getText(file) !== name ||
    (condition.operatorToken.kind !== ts.SyntaxKind.LessThanToken &&
      condition.operatorToken.kind !== ts.SyntaxKind.LessThanEqualsToken)
  )
    return "the loop's condition is not `counter < attempts`";
  const step = loop.incrementor === undefined ? "" : squash(loop.incrementor.getText(file));
  if (![`${name}++`, `++${name}`, `${name}+=1`].includes(step))
    return "the counter does not go up by one";
  return {
    name,
    start: start === "0" ? 0 : 1,
    inclusive: condition.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken,
    limit: condition.right.getText(file),
  };
}

/** Attempts the loop makes, as source text. */
function attemptsOf(counter: Counter): string {
  const offset = (counter.inclusive ? 1 : 0) - counter.start;
  if (offset === 0) return counter.limit;
  if (/^\d+$/.test(counter.limit)) return String(Number(counter.limit) + offset);
  return `${counter.limit} ${offset > 0 ? "+" : "-"} 1`;
}

/** `counter` is the last attempt (`i === n - 1`, `i + 1 >= n`, …), or there are more (`i < n - 1`). */
function attemptTest(
  condition: ts.Expression,
  counter: Counter,
  file: ts.SourceFile,
): "last" | "more" | undefined {
  const c = counter.name;
  const n = squash(counter.limit);
  const lastAt = counter.inclusive ? n : `${n}-1`;
  const text = squash(condition.getText(file));
  const last = [
    `${c}===${lastAt}`,
    `${c}>=${lastAt}`,
    `${c}+1===${counter.inclusive ? `${n}+1` : n}`,
  ];
  if (!counter.inclusive) last.push(`${c}+1>=${n}`, `${c}>=${n}-1`);
  const more = [`${c}<${lastAt}`];
  if (!counter.inclusive) more.push(`${c}+1<${n}`);
  if (last.includes(text)) return "last";
  if (more.includes(text)) return "more";
  return undefined;
}

const bare = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) ? bare(node.expression) : node;

/** `F ** counter` or `Math.pow(F, counter)`: the growth factor F. */
function powerOf(node: ts.Expression, counter: string): string | undefined {
  const n = bare(node);
  if (
    ts.isBinaryExpression(n) &&
    n.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken &&
    ts.isNumericLiteral(n.left) &&
    bare(n.right).getText() === counter
  )
    return n.left.text;
  if (
    ts.isCallExpression(n) &&
    callee(n) === "Math.pow" &&
    n.arguments.length === 2 &&
    n.arguments[0] !== undefined &&
    ts.isNumericLiteral(n.arguments[0]) &&
    n.arguments[1]?.getText() === counter
  )
    return n.arguments[0].text;
  return undefined;
}

/** The back-off of a delay: fixed, `base * F ** counter`, optionally under `Math.min(…, cap)`. */
function backoffOf(
  delay: ts.Expression,
  counter: Counter,
  file: ts.SourceFile,
): { initialMs: string; maxMs: string; factor: string } | undefined {
  const text = delay.getText(file);
  if (!mentions(delay, counter.name)) return { initialMs: text, maxMs: text, factor: "1" };
  let growth = bare(delay);
  let cap: string | undefined;
  if (
    ts.isCallExpression(growth) &&
    callee(growth) === "Math.min" &&
    growth.arguments.length === 2
  ) {
    const [a, b] = growth.arguments as unknown as [ts.Expression, ts.Expression];
    const grows = mentions(a, counter.name) ? a : b;
    const fixed = grows === a ? b : a;
    if (mentions(fixed, counter.name)) return undefined;
    cap = fixed.getText(file);
    growth = bare(grows);
  }
  if (!ts.isBinaryExpression(growth) || growth.operatorToken.kind !== ts.SyntaxKind.AsteriskToken)
    return undefined;
  const leftFactor = powerOf(growth.left, counter.name);
  const rightFactor = powerOf(growth.right, counter.name);
  const factor = leftFactor ?? rightFactor;
  const base = leftFactor === undefined ? growth.left : growth.right;
  if (factor === undefined || mentions(base, counter.name)) return undefined;
  const baseText = base.getText(file);
  // The first wait follows the first attempt: counter 0 → base, counter 1 → base × factor.
  const initialMs =
    counter.start === 0
      ? baseText
      : /^[\d_]+$/.test(baseText)
        ? String(Number(baseText.replaceAll("_", "")) * Number(factor))
        : `${baseText} * ${factor}`;
  return { initialMs, maxMs: cap ?? "Number.MAX_SAFE_INTEGER", factor };
}

/** Whether `name` is read anywhere under `node`. */
function mentions(node: ts.Node, name: string): boolean {
  let found = false;
  walk(node, (n) => {
    if (ts.isIdentifier(n) && n.text === name) found = true;
  });
  return found;
}

/** The wait of one catch statement: `await new Promise((r) => setTimeout(r, ms))` or `await sleep(ms)`. */
function delayOf(statement: ts.Statement): ts.Expression | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isAwaitExpression(statement.expression))
    return undefined;
  const awaited = statement.expression.expression;
  if (ts.isNewExpression(awaited) && awaited.expression.getText() === "Promise") {
    const executor = awaited.arguments?.[0];
    const body = executor === undefined ? undefined : soleExpression(executor);
    if (body !== undefined && ts.isCallExpression(body) && callee(body) === "setTimeout")
      return body.arguments.length === 2 ? body.arguments[1] : undefined;
    return undefined;
  }
  if (!ts.isCallExpression(awaited) || awaited.arguments.length !== 1) return undefined;
  const name = callee(awaited)?.split(".").pop();
  return name !== undefined && SLEEP.test(name) ? awaited.arguments[0] : undefined;
}

/** The variable a statement throws (`throw error;`), through a one-statement block. */
function thrown(statement: ts.Statement): string | undefined {
  const inner =
    ts.isBlock(statement) && statement.statements.length === 1
      ? statement.statements[0]
      : statement;
  return inner !== undefined && ts.isThrowStatement(inner) && ts.isIdentifier(inner.expression)
    ? inner.expression.text
    : undefined;
}

/** The names declared under `node` (variables, parameters, functions). */
function declaredIn(node: ts.Node): Set<string> {
  const names = new Set<string>();
  walk(node, (n) => {
    if (
      (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isFunctionDeclaration(n)) &&
      n.name !== undefined &&
      ts.isIdentifier(n.name)
    )
      names.add(n.name.text);
  });
  return names;
}

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** The root name of an assignment target (`this.x.y` → `this`, `count` → `count`). */
function rootOf(target: ts.Expression): string {
  let node: ts.Expression = target;
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    node = node.expression;
  return node.kind === ts.SyntaxKind.ThisKeyword ? "this" : node.getText();
}

/** An assignment under `node` to something declared outside it, if any. */
function outerWrite(node: ts.Node, file: ts.SourceFile): string | undefined {
  const local = declaredIn(node);
  let found: string | undefined;
  walk(node, (n) => {
    if (found !== undefined) return;
    let target: ts.Expression | undefined;
    if (ts.isBinaryExpression(n) && ASSIGNMENTS.has(n.operatorToken.kind)) target = n.left;
    else if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
    )
      target = n.operand;
    if (target !== undefined && !local.has(rootOf(target))) found = target.getText(file);
  });
  return found;
}

/** A `break` or `continue` that leaves the attempt (not one of a loop or switch inside it). */
function leavesAttempt(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (ts.isFunctionLike(node)) return;
    if (
      (ts.isBreakStatement(node) || ts.isContinueStatement(node)) &&
      (!nested || node.label !== undefined)
    )
      found = true;
    const inner = nested || ts.isIterationStatement(node, false) || ts.isSwitchStatement(node);
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  ts.forEachChild(block, (child) => visit(child, false));
  return found;
}

/** Whether `node` awaits (outside functions nested in it). */
function awaits(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier !== undefined))
      found = true;
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** The lines of `text` moved so their least-indented line starts at `indent`. */
function reindent(text: string, firstIndent: number, indent: string): string {
  const lines = text.split("\n");
  const rest = lines.slice(1).filter((l) => l.trim() !== "");
  const least = Math.min(firstIndent, ...rest.map((l) => l.length - l.trimStart().length));
  return lines
    .map((line, i) =>
      line.trim() === ""
        ? ""
        : indent + (i === 0 ? " ".repeat(firstIndent - least) + line : line.slice(least)),
    )
    .join("\n");
}

const indentAt = (file: ts.SourceFile, position: number): string => {
  const start = file.text.lastIndexOf("\n", position - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(start))?.[0] ?? "";
};

/**
 * A counted loop that tries, catches, tests the error and waits →
 * `retry(fn, { attempts, backoff, jitter: "none", retryOn })` from `@perflayer/response`: attempts,
 * the delay and the retry condition carried over. Refused: an attempt or catch block that changes
 * state declared outside it, reads the counter, or leaves the loop; a catch that does anything but
 * record, test and wait; a delay that grows in a shape not recognised; a loop that ends without
 * throwing the last error.
 */
export function rewriteRetryLoop(input: RewriteInput): Rewrite | Refusal {
  const { file } = input;
  const loops = findAll(
    file,
    (n): n is ts.IterationStatement =>
      ts.isIterationStatement(n, false) &&
      inFinding(input, n) &&
      findAll(n, ts.isTryStatement).some((t) => t.catchClause !== undefined),
  );
  const outermost = loops.filter(
    (l) => !loops.some((o) => o !== l && o.pos <= l.pos && l.end <= o.end),
  );
  if (outermost.length === 0)
    return refuse(
      "no loop with a try/catch in the finding's lines (a back-off formula, or a retry driven by callbacks or timers, is not rewritten)",
    );
  if (outermost.length > 1) return refuse("several retry loops in the finding's lines");
  const loop = outermost[0] as ts.IterationStatement;
  if (!ts.isForStatement(loop))
    return refuse(
      "only counted loops (`for (let i = 0; i < n; i++)`) are rewritten; the attempts of this loop are not clear",
    );
  const counter = counterOf(loop, file);
  if (typeof counter === "string") return refuse(counter);
  const body =
    ts.isBlock(loop.statement) && loop.statement.statements.length === 1
      ? loop.statement.statements[0]
      : loop.statement;
  if (body === undefined || !ts.isTryStatement(body) || body.catchClause === undefined)
    return refuse("the loop's body is more than one try/catch");
  if (body.finallyBlock !== undefined) return refuse("the attempt has a `finally` block");
  const attempt = body.tryBlock;
  const last = attempt.statements[attempt.statements.length - 1];
  if (last === undefined || !ts.isReturnStatement(last))
    return refuse("the attempt does not end by returning its result");
  if (leavesAttempt(attempt))
    return refuse("the attempt leaves the loop with `break` or `continue`");
  if (mentions(attempt, counter.name))
    return refuse(`the attempt reads the loop counter \`${counter.name}\``);
  const written = outerWrite(attempt, file);
  if (written !== undefined)
    return refuse(`the loop mutates outer state: the attempt assigns \`${written}\``);
  const variable = body.catchClause.variableDeclaration?.name;
  if (variable === undefined || !ts.isIdentifier(variable))
    return refuse("the catch clause does not name the error");
  const error = variable.text;
  let lastError: string | undefined;
  let delay: ts.Expression | undefined;
  let throwsOnLast = false;
  let guardedDelay = false;
  const conditions: string[] = [];
  for (const statement of body.catchClause.block.statements) {
    const wait = delayOf(statement);
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(statement.expression.left) &&
      statement.expression.right.getText(file) === error &&
      lastError === undefined
    )
      lastError = statement.expression.left.text;
    else if (wait !== undefined && delay === undefined) delay = wait;
    else if (ts.isIfStatement(statement) && statement.elseStatement === undefined) {
      const writes = outerWrite(statement.expression, file);
      if (writes !== undefined)
        return refuse(`the loop mutates outer state: the catch block's test assigns \`${writes}\``);
      const test = mentions(statement.expression, counter.name)
        ? attemptTest(statement.expression, counter, file)
        : undefined;
      const guarded =
        ts.isBlock(statement.thenStatement) && statement.thenStatement.statements.length === 1
          ? statement.thenStatement.statements[0]
          : statement.thenStatement;
      if (test === "last" && thrown(statement.thenStatement) === error) throwsOnLast = true;
      else if (
        test === "more" &&
        guarded !== undefined &&
        delayOf(guarded) !== undefined &&
        delay === undefined
      ) {
        delay = delayOf(guarded);
        guardedDelay = true;
      } else if (
        test === undefined &&
        !mentions(statement.expression, counter.name) &&
        thrown(statement.thenStatement) === error
      )
        conditions.push(statement.expression.getText(file));
      else
        return refuse(
          `the catch block tests \`${statement.expression.getText(file)}\` in a way retry cannot carry over`,
        );
    } else
      return refuse(
        `the catch block does more than record the error, test it and wait: \`${statement.getText(file).split("\n")[0] ?? ""}\``,
      );
  }
  if (delay === undefined)
    return refuse("no wait between attempts was found (a `sleep`/`setTimeout` delay)");
  const computed = findAll(delay, ts.isCallExpression).find(
    (c) => callee(c) !== "Math.min" && callee(c) !== "Math.pow",
  );
  if (computed !== undefined)
    return refuse(
      `the delay is computed by a call (\`${computed.getText(file)}\`) on every pass; retry's back-off is fixed at the start`,
    );
  const backoff = backoffOf(delay, counter, file);
  if (backoff === undefined)
    return refuse(
      `the delay \`${delay.getText(file)}\` grows with the attempt in a shape not recognised (base * F ** attempt, under Math.min(…, cap) or not)`,
    );
  const block = loop.parent;
  if (!ts.isBlock(block)) return refuse("the loop is not in a block");
  const index = block.statements.indexOf(loop);
  const after = block.statements[index + 1];
  const before = block.statements[index - 1];
  let start = loop.getStart(file);
  let end = loop.getEnd();
  if (lastError !== undefined) {
    const declared =
      before !== undefined &&
      ts.isVariableStatement(before) &&
      before.declarationList.declarations.length === 1 &&
      before.declarationList.declarations[0]?.name.getText(file) === lastError &&
      (before.declarationList.declarations[0].initializer === undefined ||
        before.declarationList.declarations[0].initializer.getText(file) === "undefined");
    if (!declared) return refuse(`\`${lastError}\` is not declared just before the loop`);
    if (after === undefined || thrown(after) !== lastError)
      return refuse(`after the loop \`${lastError}\` is not thrown`);
    const uses = findAll(
      block,
      (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === lastError,
    ).length;
    if (uses !== 3) return refuse(`\`${lastError}\` is used elsewhere too`);
    start = before.getStart(file);
    end = after.getEnd();
  } else if (after !== undefined && ts.isThrowStatement(after) && throwsOnLast) {
    end = after.getEnd(); // unreachable: the last attempt already threw
  } else if (!throwsOnLast) {
    return refuse("after the last attempt the loop does not throw the last error (retry does)");
  }
  let fn: ts.Node = loop;
  while (!ts.isFunctionLike(fn) && fn.parent !== undefined) fn = fn.parent;
  const isAsync =
    ts.canHaveModifiers(fn) &&
    (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (!isAsync) return refuse("the loop is not in an async function");
  let insideTry = false;
  for (let n: ts.Node = loop.parent; n !== fn; n = n.parent)
    if (ts.isTryStatement(n)) insideTry = true;
  const indent = indentAt(file, loop.getStart(file));
  const returned = last.expression;
  let work: string;
  if (attempt.statements.length === 1 && returned !== undefined) {
    const inner = ts.isAwaitExpression(returned) ? returned.expression : returned;
    const text = inner.getText(file);
    work = `() => ${ts.isObjectLiteralExpression(inner) ? `(${text})` : text}`;
  } else {
    const first = attempt.statements[0] as ts.Statement;
    const text = file.text.slice(first.getStart(file), last.getEnd());
    const firstIndent = indentAt(file, first.getStart(file)).length;
    work = `${awaits(attempt) ? "async " : ""}() => {\n${reindent(text, firstIndent, `${indent}  `)}\n${indent}}`;
  }
  const attempts = attemptsOf(counter);
  const name = importName(file, input.names, "@perflayer/response", "retry");
  const options = [
    attempts === "attempts" ? "attempts" : `attempts: ${attempts}`,
    `backoff: { initialMs: ${backoff.initialMs}, maxMs: ${backoff.maxMs}, factor: ${backoff.factor} }`,
    `jitter: "none"`,
    ...(conditions.length === 0 ? [] : [`retryOn: (${error}) => !(${conditions.join(" || ")})`]),
  ];
  return {
    ok: true,
    api: "retry(fn, { attempts, backoff, retryOn })",
    edits: [
      {
        start,
        end,
        text: `return ${insideTry ? "await " : ""}${name.local}(${work}, {\n${options.map((o) => `${indent}  ${o},\n`).join("")}${indent}});`,
      },
    ],
    imports: [name],
    notes: [
      ...(throwsOnLast || guardedDelay
        ? []
        : ["no wait after the last failed attempt (the loop waited before giving up)"]),
      ...(backoff.maxMs === "Number.MAX_SAFE_INTEGER"
        ? [
            "the hand-written delay had no ceiling, so maxMs is Number.MAX_SAFE_INTEGER; consider a real one",
          ]
        : []),
      ...(conditions.length === 0
        ? ["aborts and perflayer configuration errors are no longer retried (retry's default)"]
        : []),
    ],
  };
}
