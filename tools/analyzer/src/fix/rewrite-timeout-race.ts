import { ts } from "ts-morph";
import { callee, findAll } from "../ast.js";
import { importName } from "./source-edit.js";
import { inFinding, refuse, textOf } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";

/** The one expression a function-like returns: its expression body, or a lone statement. */
export function soleExpression(fn: ts.Node): ts.Expression | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  if (fn.body.statements.length !== 1) return undefined;
  const only = fn.body.statements[0];
  if (only !== undefined && ts.isExpressionStatement(only)) return only.expression;
  if (only !== undefined && ts.isReturnStatement(only)) return only.expression;
  return undefined;
}

function unwrapParens(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? unwrapParens(node.expression) : node;
}

/** The `setTimeout(…)` a `new Promise(…)` executor consists of, or why it is not one. */
function timerSide(
  element: ts.Expression,
): { executor: ts.ArrowFunction | ts.FunctionExpression; timer: ts.CallExpression } | string {
  const node = unwrapParens(element);
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node))
    return `\`${node.getText()}\` is a promise made elsewhere (its timer may be shared or cleared there)`;
  if (!ts.isNewExpression(node) || node.expression.getText() !== "Promise")
    return "not a `new Promise`";
  const executor = node.arguments?.[0];
  if (
    executor === undefined ||
    !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))
  )
    return "its executor is not a function written in place";
  const body = soleExpression(executor);
  if (body === undefined) return "its executor does more than start one timer";
  if (ts.isBinaryExpression(body) && body.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return "escape";
  if (!ts.isCallExpression(body) || callee(body) !== "setTimeout")
    return "its executor does more than start one timer";
  return { executor, timer: body };
}

/**
 * `Promise.race([work, new Promise((_, reject) => setTimeout(() => reject(error), ms))])` →
 * `withTimeout(work, ms)` from `@perflayer/response`. Refused: a race of more than one operation,
 * a timer that resolves (a fallback value, not a failure), a timer handle kept outside the race (it
 * is cleared elsewhere), a timer callback that does more than reject.
 */
export function rewriteTimeoutRace(input: RewriteInput): Rewrite | Refusal {
  const { file } = input;
  const races = findAll(
    file,
    (n): n is ts.CallExpression => callee(n) === "Promise.race" && inFinding(input, n),
  );
  if (races.length === 0) return refuse("no `Promise.race(…)` call in the finding's lines");
  if (races.length > 1)
    return refuse(
      `${races.length} \`Promise.race\` calls in the finding's lines; one is rewritten at a time`,
    );
  const race = races[0] as ts.CallExpression;
  const list = race.arguments[0];
  if (race.arguments.length !== 1 || list === undefined || !ts.isArrayLiteralExpression(list))
    return refuse("the race is not over an array written in place");
  if (list.elements.length !== 2 || list.elements.some(ts.isSpreadElement))
    return refuse(
      `the race has ${list.elements.length} entries; withTimeout bounds one operation (a race of several operations is not a timeout)`,
    );
  const [first, second] = list.elements as unknown as [ts.Expression, ts.Expression];
  const sides = [timerSide(first), timerSide(second)];
  const timerIndex = sides.findIndex((s) => typeof s !== "string");
  if (timerIndex === -1) {
    if (sides.includes("escape"))
      return refuse(
        "the timer handle is kept outside the race (cleared elsewhere); that clean-up would have to go too",
      );
    const why =
      sides.find((s) => typeof s === "string" && s.includes("made elsewhere")) ??
      sides.find((s) => typeof s === "string" && s !== "not a `new Promise`");
    return refuse(
      `neither entry of the race is a timer alone (${typeof why === "string" ? why : "no entry is a new Promise around setTimeout"})`,
    );
  }
  if (typeof sides[1 - timerIndex] !== "string")
    return refuse("both entries of the race are timers");
  const { executor, timer } = sides[timerIndex] as Exclude<(typeof sides)[number], string>;
  const work = timerIndex === 0 ? second : first;
  const [resolveParam, rejectParam] = executor.parameters;
  const callback = timer.arguments[0];
  const ms = timer.arguments[1];
  if (callback === undefined || ms === undefined || timer.arguments.length > 2)
    return refuse("the timer is not `setTimeout(callback, ms)`");
  const fires = soleExpression(callback);
  const calls =
    fires !== undefined && ts.isCallExpression(fires) && ts.isIdentifier(fires.expression)
      ? fires.expression.text
      : undefined;
  if (
    calls !== undefined &&
    resolveParam !== undefined &&
    ts.isIdentifier(resolveParam.name) &&
    calls === resolveParam.name.text
  )
    return refuse("the timer resolves (a fallback value); withTimeout rejects when time runs out");
  if (
    fires === undefined ||
    !ts.isCallExpression(fires) ||
    rejectParam === undefined ||
    !ts.isIdentifier(rejectParam.name) ||
    calls !== rejectParam.name.text
  )
    return refuse("the timer's callback does more than reject the race");
  const error = fires.arguments[0];
  const name = importName(file, input.names, "@perflayer/response", "withTimeout");
  return {
    ok: true,
    api: "withTimeout(work, ms)",
    edits: [
      {
        start: race.getStart(file),
        end: race.getEnd(),
        text: `${name.local}(${textOf(file, work)}, ${textOf(file, ms)})`,
      },
    ],
    imports: [name],
    notes: [
      `on timeout it rejects with @perflayer/response's TimeoutError ("the operation took longer than … ms")${error === undefined ? "" : ` instead of \`${textOf(file, error)}\``}, and clears its timer when the work settles`,
    ],
  };
}
