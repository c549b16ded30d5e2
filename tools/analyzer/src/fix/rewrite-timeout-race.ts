import { ts } from "ts-morph";
import { callee, findAll } from "../ast.js";
import { importName } from "./file-imports.js";
import type { TextEdit } from "./source-edit.js";
import { inFinding, refuse, textOf } from "./rewrite.js";
import { soleExpression } from "./statement-facts.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";

function unwrapParens(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? unwrapParens(node.expression) : node;
}

/** The `setTimeout(…)` a `new Promise(…)` executor consists of, or why it is not one. */
function timerSide(element: ts.Expression):
  | {
      executor: ts.ArrowFunction | ts.FunctionExpression;
      timer: ts.CallExpression;
      handle?: ts.Identifier;
    }
  | string {
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
  if (ts.isBinaryExpression(body) && body.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const right = unwrapParens(body.right);
    if (
      !ts.isIdentifier(body.left) ||
      !ts.isCallExpression(right) ||
      callee(right) !== "setTimeout"
    )
      return "escape";
    return { executor, timer: right, handle: body.left };
  }
  if (!ts.isCallExpression(body) || callee(body) !== "setTimeout")
    return "its executor does more than start one timer";
  return { executor, timer: body };
}

/** The edit that deletes a statement with its line (when it is alone on its lines). */
function deleteStatement(file: ts.SourceFile, statement: ts.Statement): TextEdit {
  const text = file.text;
  const start = text.lastIndexOf("\n", statement.getStart(file) - 1) + 1;
  const next = text.indexOf("\n", statement.getEnd());
  const end = next === -1 ? text.length : next + 1;
  const alone =
    text.slice(start, statement.getStart(file)).trim() === "" &&
    text.slice(statement.getEnd(), end).trim() === "";
  return alone
    ? { start, end, text: "" }
    : { start: statement.getStart(file), end: statement.getEnd(), text: "" };
}

/**
 * The clean-up of a timer handle the race keeps: `let handle;` declared in the same function and
 * only cleared by `.finally(() => clearTimeout(handle))` on the race. Returns where the race's
 * expression ends (after the `.finally(…)`) and the edit that deletes the declaration, or why the
 * handle escapes.
 */
function clearedAfter(
  file: ts.SourceFile,
  race: ts.CallExpression,
  handle: string,
): { end: number; declaration: TextEdit } | string {
  const escapes = `the timer handle \`${handle}\` is kept outside the race`;
  const access = race.parent;
  const call = access.parent;
  const cleaner =
    ts.isPropertyAccessExpression(access) &&
    access.name.text === "finally" &&
    ts.isCallExpression(call) &&
    call.expression === access &&
    call.arguments.length === 1 &&
    call.arguments[0] !== undefined
      ? soleExpression(call.arguments[0])
      : undefined;
  if (
    cleaner === undefined ||
    !ts.isCallExpression(cleaner) ||
    callee(cleaner) !== "clearTimeout" ||
    cleaner.arguments[0]?.getText(file) !== handle
  )
    return `${escapes} and not cleared by \`.finally(() => clearTimeout(${handle}))\` on it; that clean-up would have to go too`;
  let scope: ts.Node = race;
  while (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const declarations = findAll(
    scope,
    (n): n is ts.VariableDeclaration =>
      ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === handle,
  );
  const declaration = declarations[0];
  const statement = declaration?.parent.parent;
  if (
    declarations.length !== 1 ||
    declaration === undefined ||
    statement === undefined ||
    !ts.isVariableStatement(statement) ||
    statement.declarationList.declarations.length !== 1 ||
    (declaration.initializer !== undefined &&
      !["undefined", "null"].includes(declaration.initializer.getText(file)))
  )
    return `${escapes}, declared where this rewrite cannot remove it`;
  const uses = findAll(scope, (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === handle);
  if (uses.length !== 3) return `${escapes} and used elsewhere too (${uses.length - 3} more)`;
  return { end: call.getEnd(), declaration: deleteStatement(file, statement) };
}

/**
 * `Promise.race([work, new Promise((_, reject) => setTimeout(() => reject(error), ms))])` →
 * `withTimeout(work, ms)` from `@perflayer/response`; a handle kept only for
 * `.finally(() => clearTimeout(handle))` goes with its declaration. Refused: a race of more than
 * one operation, a timer that resolves (a fallback value, not a failure), a timer handle used
 * anywhere else, a timer promise made elsewhere, a timer callback that does more than reject.
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
  const { executor, timer, handle } = sides[timerIndex] as Exclude<(typeof sides)[number], string>;
  const cleanup = handle === undefined ? undefined : clearedAfter(file, race, handle.text);
  if (typeof cleanup === "string") return refuse(cleanup);
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
        end: cleanup?.end ?? race.getEnd(),
        text: `${name.local}(${textOf(file, work)}, ${textOf(file, ms)})`,
      },
      ...(cleanup === undefined ? [] : [cleanup.declaration]),
    ],
    imports: [name],
    notes: [
      `on timeout it rejects with @perflayer/response's TimeoutError ("the operation took longer than … ms")${error === undefined ? "" : ` instead of \`${textOf(file, error)}\``}, and clears its timer when the work settles`,
    ],
  };
}
