import { ts } from "ts-morph";
import { callee, findAll, isFunctionLike } from "../ast.js";
import { referencesTo } from "./binding-references.js";
import { importName } from "./file-imports.js";
import type { TextEdit } from "./source-edit.js";
import { inFinding, refuse, textOf } from "./rewrite.js";
import { awaits, soleExpression } from "./statement-facts.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";

function unwrapParens(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? unwrapParens(node.expression) : node;
}

/** A timer side of a race. */
interface TimerSide {
  readonly executor: ts.ArrowFunction | ts.FunctionExpression;
  readonly timer: ts.CallExpression;
  readonly handle?: ts.Identifier;
  /** The timer's callback, when the executor declares it first (`const onTimeout = () => reject(…)`). */
  readonly callback?: ts.Expression;
  /** The statement declaring the timer promise before the race (it goes with the rewrite). */
  readonly declared?: ts.VariableStatement;
}

/**
 * `const onTimeout = () => reject(…); setTimeout(onTimeout, ms);`: the executor's two statements,
 * the timer and its callback, else undefined.
 */
function namedCallback(
  executor: ts.ArrowFunction | ts.FunctionExpression,
): { timer: ts.CallExpression; callback: ts.Expression } | undefined {
  if (!ts.isBlock(executor.body) || executor.body.statements.length !== 2) return undefined;
  const [first, second] = executor.body.statements as unknown as [ts.Statement, ts.Statement];
  const declaration =
    ts.isVariableStatement(first) &&
    (first.declarationList.flags & ts.NodeFlags.Const) !== 0 &&
    first.declarationList.declarations.length === 1
      ? first.declarationList.declarations[0]
      : undefined;
  const timer =
    ts.isExpressionStatement(second) && ts.isCallExpression(second.expression)
      ? second.expression
      : undefined;
  if (
    declaration === undefined ||
    !ts.isIdentifier(declaration.name) ||
    declaration.initializer === undefined ||
    timer === undefined ||
    callee(timer) !== "setTimeout" ||
    timer.arguments[0]?.getText() !== declaration.name.text ||
    // The callback is named once, by the timer.
    referencesTo(declaration).length !== 1
  )
    return undefined;
  return { timer, callback: declaration.initializer };
}

/**
 * The declaration of a timer promise named in the race (`const timeout = new Promise(…)` just
 * before it in the same function), when the race is its one use, or why it cannot go.
 */
function declaredTimer(
  file: ts.SourceFile,
  name: ts.Identifier,
  race: ts.CallExpression,
): { declaration: ts.VariableDeclaration; statement: ts.VariableStatement } | string {
  const elsewhere = `\`${name.text}\` is a promise made elsewhere (its timer may be shared or cleared there)`;
  // The nearest declaration of the name whose references include this one.
  const candidates = findAll(
    file,
    (n): n is ts.VariableDeclaration =>
      ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name.text,
  ).filter((d) => referencesTo(d).includes(name));
  const declaration = candidates[candidates.length - 1];
  const statement = declaration?.parent.parent;
  if (
    declaration === undefined ||
    statement === undefined ||
    !ts.isVariableStatement(statement) ||
    (statement.declarationList.flags & ts.NodeFlags.Const) === 0 ||
    statement.declarationList.declarations.length !== 1 ||
    !ts.isBlock(statement.parent)
  )
    return elsewhere;
  const uses = referencesTo(declaration);
  if (uses.length !== 1)
    return `the timer promise \`${name.text}\` is used ${uses.length} times (it may be raced again or observed elsewhere)`;
  // The statements from the declaration to the one holding the race: the timer runs from its
  // declaration, withTimeout's from the race, so nothing between may wait.
  const block = statement.parent;
  const at = block.statements.indexOf(statement);
  const holder = block.statements.findIndex((s) => s.pos <= race.pos && race.end <= s.end);
  if (holder <= at) return elsewhere;
  const between = block.statements.slice(at + 1, holder);
  const waits = between.find((s) => awaits(s) || findAll(s, ts.isYieldExpression).length > 0);
  if (waits !== undefined)
    return `the timer promise \`${name.text}\` starts its timer before \`${waits.getText(file).split("\n")[0]?.slice(0, 40) ?? ""}\`, which waits (withTimeout would start it at the race)`;
  for (let n: ts.Node = race.parent; n !== block; n = n.parent)
    if (ts.isIterationStatement(n, false) || isFunctionLike(n))
      return `the timer promise \`${name.text}\` is made once and raced in a loop or a callback (each pass would get its own timer)`;
  return { declaration, statement };
}

/** The `setTimeout(…)` a `new Promise(…)` executor consists of, or why it is not one. */
function timerSide(
  element: ts.Expression,
  file: ts.SourceFile,
  race: ts.CallExpression,
): TimerSide | string {
  let node = unwrapParens(element);
  let declared: ts.VariableStatement | undefined;
  if (ts.isIdentifier(node)) {
    const local = declaredTimer(file, node, race);
    if (typeof local === "string") return local;
    const init = local.declaration.initializer;
    if (init === undefined || !ts.isNewExpression(unwrapParens(init)))
      return `\`${node.text}\` is a promise made elsewhere (its timer may be shared or cleared there)`;
    node = unwrapParens(init);
    declared = local.statement;
  }
  if (ts.isPropertyAccessExpression(node))
    return `\`${node.getText()}\` is a promise made elsewhere (its timer may be shared or cleared there)`;
  if (!ts.isNewExpression(node) || node.expression.getText() !== "Promise")
    return "not a `new Promise`";
  const executor = node.arguments?.[0];
  if (
    executor === undefined ||
    !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))
  )
    return "its executor is not a function written in place";
  const named = namedCallback(executor);
  if (named !== undefined)
    return { executor, ...named, ...(declared === undefined ? {} : { declared }) };
  const body = soleExpression(executor);
  if (body === undefined) {
    const unref = findAll(
      executor,
      (n): n is ts.PropertyAccessExpression =>
        ts.isPropertyAccessExpression(n) && n.name.text === "unref",
    )[0];
    return unref !== undefined
      ? "its timer is unref'd (the process may exit while the race waits; withTimeout's timer keeps it alive)"
      : "its executor does more than start one timer";
  }
  if (ts.isBinaryExpression(body) && body.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const right = unwrapParens(body.right);
    if (
      !ts.isIdentifier(body.left) ||
      !ts.isCallExpression(right) ||
      callee(right) !== "setTimeout"
    )
      return "escape";
    return {
      executor,
      timer: right,
      handle: body.left,
      ...(declared === undefined ? {} : { declared }),
    };
  }
  if (!ts.isCallExpression(body) || callee(body) !== "setTimeout")
    return "its executor does more than start one timer";
  return { executor, timer: body, ...(declared === undefined ? {} : { declared }) };
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

/** A deletion of whole lines stretched over the blank lines after it. */
function withBlankLines(file: ts.SourceFile, edit: TextEdit): TextEdit {
  if (edit.start !== file.text.lastIndexOf("\n", edit.start - 1) + 1) return edit;
  const blank = /^([ \t]*\r?\n)+/.exec(file.text.slice(edit.end));
  return blank === null ? edit : { ...edit, end: edit.end + blank[0].length };
}

/**
 * `(r) => { clearTimeout(h); return r; }` (`ends` "return") or `(e) => { clearTimeout(h); throw e;
 * }` (`ends` "throw"): a callback that clears the timer and passes its one argument on.
 */
function passesThrough(
  callback: ts.Expression | undefined,
  clears: (n: ts.Node | undefined) => boolean,
  ends: "return" | "throw",
): boolean {
  if (
    callback === undefined ||
    !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ||
    callback.parameters.length !== 1 ||
    !ts.isBlock(callback.body) ||
    callback.body.statements.length !== 2
  )
    return false;
  const param = callback.parameters[0]?.name.getText();
  const [first, last] = callback.body.statements as unknown as [ts.Statement, ts.Statement];
  const passed =
    ends === "return"
      ? ts.isReturnStatement(last) && last.expression?.getText() === param
      : ts.isThrowStatement(last) && last.expression.getText() === param;
  return ts.isExpressionStatement(first) && clears(first.expression) && passed;
}

/**
 * The clean-up of a timer handle the race keeps: `let handle;` declared in the same function and
 * only cleared by `.finally(() => clearTimeout(handle))` on the race (or by `.then(ok, fail)` whose
 * callbacks clear it and pass the result or the error on). Returns where the race's
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
  const method =
    ts.isPropertyAccessExpression(access) && ts.isCallExpression(call) && call.expression === access
      ? access.name.text
      : undefined;
  const args = method === undefined ? [] : (call as ts.CallExpression).arguments;
  const clears = (n: ts.Node | undefined): boolean =>
    n !== undefined &&
    ts.isCallExpression(n) &&
    callee(n) === "clearTimeout" &&
    n.arguments[0]?.getText(file) === handle;
  // `.finally(() => clearTimeout(handle))`, or the same spelled as `.then(ok, fail)`.
  const cleared =
    (method === "finally" &&
      args.length === 1 &&
      args[0] !== undefined &&
      clears(soleExpression(args[0]))) ||
    (method === "then" &&
      args.length === 2 &&
      passesThrough(args[0], clears, "return") &&
      passesThrough(args[1], clears, "throw"));
  if (!cleared)
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
  // Its declaration, the timer's assignment, and the one clear (two: `then`'s callbacks).
  const expected = method === "then" ? 4 : 3;
  if (uses.length !== expected)
    return `${escapes} and used elsewhere too (${uses.length - expected} more)`;
  return { end: call.getEnd(), declaration: deleteStatement(file, statement) };
}

/**
 * `Promise.race([work, new Promise((_, reject) => setTimeout(() => reject(error), ms))])` →
 * `withTimeout(work, ms)` from `@perflayer/response`; a handle kept only for
 * `.finally(() => clearTimeout(handle))` goes with its declaration, and so does a timer promise
 * declared by the function before the race (`const timeout = new Promise(…)`, found by its
 * binding) when the race is its one use and nothing between them waits. Refused: a race of more
 * than one operation, a timer that resolves (a fallback value, not a failure), a timer handle used
 * anywhere else, a timer promise made elsewhere or used twice, one that starts before a wait, an
 * unref'd timer, a timer callback that does more than reject.
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
  const sides = [timerSide(first, file, race), timerSide(second, file, race)];
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
  const { executor, timer, handle, declared } = sides[timerIndex] as TimerSide;
  const named = (sides[timerIndex] as TimerSide).callback;
  const cleanup = handle === undefined ? undefined : clearedAfter(file, race, handle.text);
  if (typeof cleanup === "string") return refuse(cleanup);
  const work = timerIndex === 0 ? second : first;
  const [resolveParam, rejectParam] = executor.parameters;
  const callback = named ?? timer.arguments[0];
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
  if (declared !== undefined) {
    // The delay moves from the declaration to the race: it must read what it read there.
    const locals = new Set(executor.parameters.map((p) => p.name.getText(file)));
    const moved = findAll(ms, ts.isIdentifier).find((id) => locals.has(id.text));
    if (moved !== undefined)
      return refuse(`the delay reads \`${moved.text}\`, a name of the timer's executor`);
    const block = declared.parent as ts.Block;
    const between = block.statements.slice(
      block.statements.indexOf(declared) + 1,
      block.statements.findIndex((st) => st.pos <= race.pos && race.end <= st.end),
    );
    const names = new Set(findAll(ms, ts.isIdentifier).map((id) => id.text));
    const reassigned = between
      .flatMap((st) => findAll(st, ts.isBinaryExpression))
      .find(
        (b) =>
          b.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
          b.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
          findAll(b.left, ts.isIdentifier).some((id) => names.has(id.text)),
      );
    if (reassigned !== undefined)
      return refuse(
        `the delay \`${textOf(file, ms)}\` is assigned between the timer promise and the race (\`${textOf(file, reassigned).slice(0, 40)}\`)`,
      );
  }
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
      ...(cleanup === undefined ? [] : [withBlankLines(file, cleanup.declaration)]),
      // The timer promise declared before the race goes with it.
      ...(declared === undefined ? [] : [withBlankLines(file, deleteStatement(file, declared))]),
    ],
    imports: [name],
    notes: [
      `on timeout it rejects with @perflayer/response's TimeoutError ("the operation took longer than … ms")${error === undefined ? "" : ` instead of \`${textOf(file, error)}\``}, and clears its timer when the work settles`,
    ],
  };
}
