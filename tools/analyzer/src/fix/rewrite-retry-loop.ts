import { ts } from "ts-morph";
import { callee, findAll, soleStatement } from "../ast.js";
import { importName } from "./file-imports.js";
import { inFinding, refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";

import {
  attemptTest,
  attemptsOf,
  conditionCounterOf,
  counterOf,
  failureCounterOf,
} from "./retry-loop-counter.js";
import type { Counter, FailureCounter } from "./retry-loop-counter.js";
import { backoffOf, delayOf } from "./retry-backoff.js";
import {
  awaits,
  leavesAttempt,
  mentions,
  outerWrite,
  soleExpression,
  thrown,
} from "./statement-facts.js";

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

/** The `max` of the catch's test that gives up: `if (n >= max)`, `if (n === max)`, `if (++n >= max)`. */
function giveUpLimit(catchBlock: ts.Block, name: string, file: ts.SourceFile): string | undefined {
  for (const statement of catchBlock.statements) {
    if (!ts.isIfStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, operatorToken, right } = statement.expression;
    const counted =
      ts.isPrefixUnaryExpression(left) && left.operator === ts.SyntaxKind.PlusPlusToken
        ? left.operand
        : left;
    if (
      counted.getText(file) === name &&
      (operatorToken.kind === ts.SyntaxKind.GreaterThanEqualsToken ||
        operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken)
    )
      return right.getText(file);
  }
  return undefined;
}

const indentAt = (file: ts.SourceFile, position: number): string => {
  const start = file.text.lastIndexOf("\n", position - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(start))?.[0] ?? "";
};

/** The wait of `if (…) await sleep(ms);` / `if (…) { await sleep(ms); }`, when it is all the branch does. */
function soleDelay(statement: ts.Statement): ts.Expression | undefined {
  const only = soleStatement(statement);
  return only === undefined ? undefined : delayOf(only);
}

/** `i > 0`, `i !== 0`, `i >= 1`, `0 < i` or a bare `i` (from 0): every attempt after the first. */
function afterFirst(test: ts.Expression, counter: Counter, file: ts.SourceFile): boolean {
  const c = counter.name;
  const s = counter.start;
  const text = test.getText(file).replace(/\s+/g, "");
  const shapes = [`${c}>${s}`, `${c}!==${s}`, `${c}!=${s}`, `${c}>=${s + 1}`, `${s}<${c}`];
  if (s === 0) shapes.push(c);
  return shapes.includes(text);
}

/** What a retry finding without a loop around a try/catch is instead, for its refusal. */
function noLoopReason(input: RewriteInput): string {
  const { file, finding } = input;
  const nodes = findAll(file, (n): n is ts.Node => inFinding(input, n));
  const calls = nodes.filter(ts.isCallExpression);
  // A timer inside `new Promise(…)`'s executor is a sleep the code awaits, not a scheduled attempt.
  // Only when the timer's callback is the executor's `resolve` or just calls it.
  const sleeps = (c: ts.CallExpression): boolean => {
    let executor: ts.Node | undefined = c.parent;
    while (executor !== undefined && !ts.isFunctionLike(executor)) executor = executor.parent;
    const promise = executor?.parent;
    if (
      executor === undefined ||
      promise === undefined ||
      !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) ||
      !ts.isNewExpression(promise) ||
      promise.expression.getText(file) !== "Promise"
    )
      return false;
    const resolve = executor.parameters[0]?.name.getText(file);
    const callback = c.arguments[0];
    if (resolve === undefined || callback === undefined) return false;
    if (ts.isIdentifier(callback)) return callback.text === resolve;
    const only = soleExpression(callback);
    return only !== undefined && ts.isCallExpression(only) && callee(only) === resolve;
  };
  const timer = calls.find(
    (c) => ["setTimeout", "setInterval", "setImmediate"].includes(callee(c) ?? "") && !sleeps(c),
  );
  const loop = nodes.find(
    (n): n is ts.WhileStatement | ts.DoStatement | ts.ForStatement =>
      ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isForStatement(n),
  );
  if (timer === undefined && loop !== undefined && !findAll(loop, ts.isTryStatement).length) {
    const test = ts.isForStatement(loop) ? loop.condition : loop.expression;
    return `the loop repeats while \`${test?.getText(file) ?? "true"}\` with no try/catch: it retries on state, not on a thrown error (retry() retries rejections)`;
  }
  if (timer !== undefined)
    return `the next attempt is scheduled by \`${callee(timer)}\` (a retry driven by a timer callback; retry() would make its caller wait for the attempts)`;
  const own = finding.name?.split(".").pop()?.replace(/^#/, "");
  const self =
    own === undefined ? undefined : calls.find((c) => callee(c)?.split(".").pop() === own);
  if (self !== undefined)
    return `the attempt is repeated by \`${own}\` calling itself (the attempt count travels in its arguments; retry() would change its signature)`;
  if (
    calls.some(
      (c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === "catch",
    )
  )
    return "the attempts are chained through `.catch(…)` callbacks, not a loop around a try/catch";
  if (!nodes.some(ts.isTryStatement))
    return "no attempt in the finding's lines: a back-off delay computed apart from the loop that waits (the loop is elsewhere)";
  return "no loop around the try/catch in the finding's lines (the attempt is repeated some other way)";
}

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
  if (outermost.length === 0) return refuse(noLoopReason(input));
  if (outermost.length > 1) return refuse("several retry loops in the finding's lines");
  const loop = outermost[0] as ts.IterationStatement;
  if (!ts.isForStatement(loop) && !ts.isWhileStatement(loop))
    return refuse(
      "only `for` and `while` loops are rewritten; the attempts of this loop are not clear",
    );
  const statements = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  // `if (attempt > 0) await sleep(ms);` before the try: the wait comes before each later attempt.
  const guard = statements.length === 2 ? statements[0] : undefined;
  const waitBefore =
    guard !== undefined &&
    ts.isIfStatement(guard) &&
    guard.elseStatement === undefined &&
    ts.isForStatement(loop) &&
    loop.initializer !== undefined
      ? soleDelay(guard.thenStatement)
      : undefined;
  const body = statements.length === 1 || waitBefore !== undefined ? statements.at(-1) : undefined;
  const guardWaits =
    guard !== undefined &&
    ts.isIfStatement(guard) &&
    ts.isBlock(guard.thenStatement) &&
    guard.thenStatement.statements.some((st) => delayOf(st) !== undefined);
  if (body === undefined || !ts.isTryStatement(body) || body.catchClause === undefined)
    return refuse(
      guardWaits && ts.isIfStatement(guard) && ts.isBlock(guard.thenStatement)
        ? `the wait before the later attempts does more than wait: \`${
            guard.thenStatement.statements
              .find((st) => delayOf(st) === undefined)
              ?.getText(file)
              .split("\n")[0] ?? ""
          }\``
        : "the loop's body is more than one try/catch",
    );
  let counter: Counter;
  let failures: FailureCounter | undefined;
  const conditionCounted = ts.isWhileStatement(loop) ? conditionCounterOf(loop, file) : undefined;
  if (ts.isForStatement(loop) && loop.initializer !== undefined) {
    const counted = counterOf(loop, file);
    if (typeof counted === "string") return refuse(counted);
    counter = counted;
    if (
      guard !== undefined &&
      ts.isIfStatement(guard) &&
      !afterFirst(guard.expression, counter, file)
    )
      return refuse(
        `the wait before the attempt is guarded by \`${guard.expression.getText(file)}\`, not by \`${counter.name} > ${counter.start}\` (the attempts after the first)`,
      );
  } else if (conditionCounted !== undefined) {
    if (typeof conditionCounted === "string") return refuse(conditionCounted);
    failures = conditionCounted;
    counter = conditionCounted.counter;
  } else {
    const counted = failureCounterOf(loop, body.catchClause.block, file);
    if (typeof counted === "string") return refuse(counted);
    failures = counted;
    counter = counted.counter;
    if (!counted.bounded) {
      const limit = giveUpLimit(body.catchClause.block, counter.name, file);
      if (limit === undefined)
        return refuse(
          `the loop retries until it succeeds: no test of \`${counter.name}\` gives up (retry needs a number of attempts)`,
        );
      counter = { ...counter, limit };
    }
  }
  if (failures !== undefined) {
    const counted = failures;
    const block = loop.parent;
    const stray = findAll(
      block,
      (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === counter.name,
    ).find(
      (n) =>
        n.pos < counted.declaration.pos ||
        (n.end > counted.declaration.end && n.pos < loop.pos) ||
        n.end > loop.end,
    );
    if (stray !== undefined)
      return refuse(`the failure counter \`${counter.name}\` is read outside the loop`);
  }
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
  let delay: ts.Expression | undefined = waitBefore;
  let throwsOnLast = false;
  /** Whether the loop gave up without waiting (the last attempt threw before the wait, the wait was skipped, or came before each later attempt). */
  let noWaitAfterLast = waitBefore !== undefined;
  const conditions: string[] = [];
  for (const statement of body.catchClause.block.statements) {
    if (statement === failures?.increment) {
      // `n++;`, or `if (++n >= max) throw error;` — the count, and the test that gives up.
      if (ts.isIfStatement(statement)) {
        if (thrown(statement.thenStatement) !== error || statement.elseStatement !== undefined)
          return refuse(
            `the catch block tests \`${statement.expression.getText(file)}\` in a way retry cannot carry over`,
          );
        throwsOnLast = true;
      }
      continue;
    }
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
    else if (wait !== undefined && waitBefore !== undefined)
      return refuse(
        "the loop waits both before the later attempts and in its catch (retry waits once between attempts)",
      );
    else if (wait !== undefined && delay === undefined) {
      delay = wait;
      noWaitAfterLast ||= throwsOnLast;
    } else if (ts.isIfStatement(statement) && statement.elseStatement === undefined) {
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
        noWaitAfterLast = true;
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
  if (waitBefore !== undefined && counter.start === 1 && mentions(delay, counter.name))
    return refuse(
      `the wait before the attempt \`${delay.getText(file)}\` grows with a one-based counter (its first wait is not the base delay)`,
    );
  // A wait before attempt `i` follows the failure of attempt `i - 1`: from a zero-based counter,
  // the first wait reads 1, as a one-based counter's wait in the catch does.
  const firstWait = waitBefore === undefined ? counter : { ...counter, start: 1 as const };
  const computed = findAll(delay, ts.isCallExpression).some(
    (c) => callee(c) !== "Math.min" && callee(c) !== "Math.pow",
  );
  const backoff = computed ? undefined : backoffOf(delay, firstWait, file);
  // Any other wait — computed by a call on every pass, or growing in another shape — is retry's
  // delay function, asked once per retry as the loop computed it once per pass.
  const schedule =
    backoff === undefined ? delaySchedule(delay, firstWait, error, loop, file) : undefined;
  if (typeof schedule === "string") return refuse(schedule);
  const delayFunction = schedule?.text;
  const block = loop.parent;
  if (!ts.isBlock(block)) return refuse("the loop is not in a block");
  const index = block.statements.indexOf(loop);
  const after = block.statements[index + 1];
  // The statements just before the loop this rewrite removes: the failure counter's declaration
  // and the last error's, in either order.
  const counterAt = failures === undefined ? -1 : block.statements.indexOf(failures.declaration);
  const before = block.statements[counterAt === index - 1 ? index - 2 : index - 1];
  if (counterAt === index - 2 && lastError === undefined)
    return refuse(
      `\`${block.statements[index - 1]?.getText(file).split("\n")[0] ?? ""}\` stands between the failure counter and the loop`,
    );
  let start = failures === undefined ? loop.getStart(file) : failures.declaration.getStart(file);
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
    start = Math.min(start, before.getStart(file));
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
    ...(backoff === undefined
      ? [`delay: ${delayFunction ?? ""}`]
      : [
          `backoff: { initialMs: ${backoff.initialMs}, maxMs: ${backoff.maxMs}, factor: ${backoff.factor} }`,
          `jitter: "none"`,
        ]),
    ...(conditions.length === 0 ? [] : [`retryOn: (${error}) => !(${conditions.join(" || ")})`]),
  ];
  return {
    ok: true,
    api:
      backoff === undefined
        ? "retry(fn, { attempts, delay, retryOn })"
        : "retry(fn, { attempts, backoff, retryOn })",
    edits: [
      {
        start,
        end,
        text: `return ${insideTry ? "await " : ""}${name.local}(${work}, {\n${options.map((o) => `${indent}  ${o},\n`).join("")}${indent}});`,
      },
    ],
    imports: [name],
    notes: [
      ...(noWaitAfterLast
        ? []
        : ["no wait after the last failed attempt (the loop waited before giving up)"]),
      ...(backoff === undefined
        ? [
            "the wait is asked of the delay function once per retry, after the retry condition, as the loop worked it out once per pass; an answer that is not a finite number >= 0 ends the retry with PerflayerConfigError",
          ]
        : []),
      ...(backoff?.maxMs === "Number.MAX_SAFE_INTEGER"
        ? [
            "the hand-written delay had no ceiling, so maxMs is Number.MAX_SAFE_INTEGER; consider a real one",
          ]
        : []),
      ...(conditions.length === 0
        ? ["aborts and perflayer configuration errors are no longer retried (retry's default)"]
        : []),
      ...(/^[\d_]+$/.test(attempts)
        ? []
        : [
            `\`${attempts}\` must be a whole number of at least 1: retry() throws PerflayerConfigError otherwise, where the loop did not`,
          ]),
    ],
  };
}

/**
 * The loop's wait as retry's `delay` function of the failed attempt (1-based) and its error: the
 * counter read in it becomes the attempt (`attempt - 1` from a counter that read 0 at the first
 * wait), the catch's error the function's second parameter.
 * @returns the function's text, or the refusal when the wait reads a name declared in the loop
 */
function delaySchedule(
  delay: ts.Expression,
  counter: Counter,
  error: string,
  loop: ts.IterationStatement,
  file: ts.SourceFile,
): { readonly text: string } | string {
  const own = new Set(
    findAll(loop, ts.isVariableDeclaration).flatMap((d) =>
      ts.isIdentifier(d.name) ? [d.name.text] : [],
    ),
  );
  own.delete(counter.name);
  own.delete(error);
  const reads = findAll(delay, ts.isIdentifier).filter(
    (n) => !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n),
  );
  const stray = reads.find((n) => own.has(n.text));
  if (stray !== undefined)
    return `the delay reads \`${stray.text}\`, declared in the loop (retry's delay function sees only the attempt and its error)`;
  const usesError = reads.some((n) => n.text === error);
  const param = counter.start === 1 ? counter.name : "attempt";
  const start = delay.getStart(file);
  let text = "";
  let at = start;
  for (const n of reads.filter((r) => r.text === counter.name)) {
    text += file.text.slice(at, n.getStart(file));
    text += counter.start === 1 ? param : `(${param} - 1)`;
    at = n.getEnd();
  }
  text += file.text.slice(at, delay.getEnd());
  // `(attempt - 1) + 1`, as `100 * (i + 1)` from a zero-based counter reads: the attempt itself.
  text = text.replaceAll(`((${param} - 1) + 1)`, param).replaceAll(`(${param} - 1) + 1`, param);
  const usesCounter = reads.some((n) => n.text === counter.name);
  const params = usesError ? `(${param}, ${error})` : usesCounter ? `(${param})` : "()";
  return { text: `${params} => ${text}` };
}
