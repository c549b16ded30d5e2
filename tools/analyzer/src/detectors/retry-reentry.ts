import { ts } from "ts-morph";
import {
  callee,
  inside,
  isFunctionLike,
  isRejectionCallback,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection } from "../detector.js";
import { factsOf, functionName } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";

/** How many local calls deep a timer's callback is followed to find the function it runs again. */
const DEPTH = 2;

/** A property read that only an error value has (`e.message`, `err.stack`). */
const ERROR_MEMBERS = new Set(["message", "stack"]);

/** `(x)`, `x as T`, `x!`: the expression inside. */
function bare(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n))
    n = n.expression;
  return n;
}

/** The class a node is in, if any. */
function classOf(node: ts.Node): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent)
    if (ts.isClassDeclaration(c) || ts.isClassExpression(c)) return c;
  return undefined;
}

/**
 * The function of the file a reference names: a local function (by its binding — a declaration,
 * or a variable holding an arrow or function expression) or, for `this.m`, a method `m` of the
 * reference's own class.
 */
export function resolve(reference: ts.Node): ts.FunctionLikeDeclaration | undefined {
  const n = bare(reference);
  if (ts.isIdentifier(n)) {
    const d = bindingOf(n, n.text);
    if (d === undefined) return undefined;
    if (isFunctionLike(d)) return d;
    if (ts.isVariableDeclaration(d) && d.initializer !== undefined) {
      const init = bare(d.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }
  if (
    ts.isPropertyAccessExpression(n) &&
    n.expression.kind === ts.SyntaxKind.ThisKeyword &&
    (ts.isIdentifier(n.name) || ts.isPrivateIdentifier(n.name))
  ) {
    const owner = classOf(n);
    if (owner === undefined || !ts.isClassLike(owner)) return undefined;
    const name = n.name.text;
    for (const member of owner.members)
      if (
        ts.isMethodDeclaration(member) &&
        member.body !== undefined &&
        (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) &&
        member.name.text === name
      )
        return member;
  }
  return undefined;
}

/** `setTimeout(cb, delay)` with a real delay (not `setTimeout(cb)`, which only defers). */
function isTimerArm(call: ts.CallExpression): boolean {
  return (
    /(^|\.)setTimeout$/.test(callee(call) ?? "") &&
    call.arguments.length >= 2 &&
    !(
      ts.isNumericLiteral(bare(call.arguments[1] as ts.Node)) &&
      Number((bare(call.arguments[1] as ts.Node) as ts.NumericLiteral).text) <= 1
    )
  );
}

/**
 * Whether running `body` reaches `target` again: a call of it, or `target` handed on as a value
 * (`start(onCrash)`, `{ onStatus }`), directly or through local functions `body` calls, up to
 * {@link DEPTH} levels.
 */
function reaches(
  body: ts.Node,
  target: ts.FunctionLikeDeclaration,
  depth: number,
  seen: Set<ts.Node>,
): boolean {
  let found = false;
  walk(body, (n) => {
    if (found) return;
    if (!ts.isIdentifier(n) && !ts.isPropertyAccessExpression(n)) return;
    // `a.b` is looked at whole; its name alone is not a reference.
    if (ts.isIdentifier(n) && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
      return;
    if (ts.isIdentifier(n) && ts.isPropertyAssignment(n.parent) && n.parent.name === n) return;
    const fn = resolve(n);
    if (fn === undefined) return;
    if (fn === target) {
      found = true;
      return;
    }
    const called = ts.isCallExpression(n.parent) && n.parent.expression === n;
    if (called && depth > 0 && fn.body !== undefined && !seen.has(fn)) {
      seen.add(fn);
      if (reaches(fn.body, target, depth - 1, seen)) found = true;
    }
  });
  return found;
}

/** A wait by name when the function is not the file's own (`sleep(ms)`, `delay(ms)`, `wait(ms)`). */
const WAIT_NAME = /(^|\.)(sleep|delay|wait|pause|setTimeout)$/i;

/**
 * Whether an awaited expression waits for a delay: a promise a timer resolves
 * (`new Promise((r) => setTimeout(r, ms))`), a local function that makes one, or a wait by name.
 */
export function isDelay(expression: ts.Node, depth = 1): boolean {
  const n = bare(expression);
  if (ts.isNewExpression(n) && n.expression.getText() === "Promise") {
    let timer = false;
    walk(n, (c) => {
      if (!timer && ts.isCallExpression(c) && isTimerArm(c)) timer = true;
    });
    return timer;
  }
  if (!ts.isCallExpression(n)) return false;
  const fn = resolve(n.expression);
  // `sleep()` with its default delay: only a function of the file that waits, or a wait by name
  // that is a plain call (not a method of another object: `queue.wait()` waits for an item).
  if (n.arguments.length === 0 && fn === undefined && !ts.isIdentifier(bare(n.expression)))
    return false;
  if (fn?.body !== undefined) {
    if (depth === 0) return false;
    let waits = false;
    walk(fn.body, (c) => {
      if (waits) return;
      if (ts.isCallExpression(c) && isTimerArm(c)) waits = true;
      if ((ts.isAwaitExpression(c) || ts.isReturnStatement(c)) && c.expression !== undefined)
        waits = isDelay(c.expression, depth - 1);
    });
    return waits;
  }
  return WAIT_NAME.test(callee(n) ?? "");
}

/**
 * `await sleep(ms); return this.connect();` in `connect`: a wait, then the function the statements
 * are in called again in the same block — the next attempt. The wait's statement, or undefined.
 */
function waitThenAgain(
  statement: ts.Statement,
  fn: ts.FunctionLikeDeclaration,
): { wait: ts.ExpressionStatement; again: ts.CallExpression } | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  const e = bare(statement.expression);
  if (!ts.isAwaitExpression(e) || !isDelay(e.expression)) return undefined;
  const block = statement.parent;
  if (!ts.isBlock(block)) return undefined;
  const next = block.statements[block.statements.indexOf(statement) + 1];
  if (next === undefined) return undefined;
  let again: ts.CallExpression | undefined;
  walk(next, (c) => {
    if (again === undefined && ts.isCallExpression(c) && resolve(c.expression) === fn) again = c;
  });
  return again === undefined ? undefined : { wait: statement, again };
}

/** Whether a statement leaves the function: a `return` or `throw`, or a block ending in one. */
function leaves(statement: ts.Statement): boolean {
  const last = ts.isBlock(statement)
    ? statement.statements[statement.statements.length - 1]
    : statement;
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/**
 * Whether a name read by a guard holds the attempt's outcome: a local of `fn` set in one of its
 * `catch` clauses (`catch (err) { error = err }`), or a parameter the next attempt is handed
 * another value for (`send(events, false)` for `canRetry`: a retry once).
 */
function outcomeName(
  declaration: ts.Node,
  fn: ts.FunctionLikeDeclaration,
  again: ts.CallExpression,
): boolean {
  if (ts.isParameter(declaration)) {
    const index = fn.parameters.indexOf(declaration);
    const arg = again.arguments[index];
    if (index < 0 || arg === undefined || !ts.isIdentifier(declaration.name)) return false;
    // A flag or number given as a literal (`false`: no further retry), not a page or item moved on.
    const a = bare(arg);
    return (
      a.kind === ts.SyntaxKind.FalseKeyword ||
      a.kind === ts.SyntaxKind.TrueKeyword ||
      ts.isNumericLiteral(a)
    );
  }
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  let set = false;
  walk(fn, (n) => {
    if (
      set ||
      !ts.isBinaryExpression(n) ||
      n.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      !ts.isIdentifier(n.left) ||
      n.left.text !== name ||
      bindingOf(n.left, name) !== declaration
    )
      return;
    for (let c = n.parent; c !== undefined && c !== fn; c = c.parent)
      if (ts.isCatchClause(c)) set = true;
  });
  return set;
}

/**
 * `if (error && !canRetry) return result; await sleep(); return send(events, false);`: a guard
 * just before the wait that leaves the function unless the attempt failed and may go again — its
 * condition reads only the function's own names (no object state: `if (this.stopped) return` is a
 * loop's stop), one of them the attempt's outcome ({@link outcomeName}). The guard, or undefined.
 */
function guardedByOutcome(
  wait: ts.ExpressionStatement,
  fn: ts.FunctionLikeDeclaration,
  again: ts.CallExpression,
): ts.IfStatement | undefined {
  const block = wait.parent;
  if (!ts.isBlock(block)) return undefined;
  // The attempt can fail: the function catches a failure of its own.
  let catches = false;
  walk(fn, (c) => {
    if (ts.isCatchClause(c) && functionOf(c) === fn) catches = true;
  });
  if (!catches) return undefined;
  const index = block.statements.indexOf(wait);
  for (let i = index - 1; i >= 0 && index - i <= 2; i--) {
    const s = block.statements[i] as ts.Statement;
    if (!ts.isIfStatement(s)) continue;
    if (s.elseStatement !== undefined || !leaves(s.thenStatement)) return undefined;
    let own = true;
    let outcome = false;
    walk(s.expression, (c) => {
      if (c.kind === ts.SyntaxKind.ThisKeyword) own = false;
      if (!ts.isIdentifier(c) || c.text === "undefined") return;
      if (ts.isPropertyAccessExpression(c.parent) && c.parent.name === c) return;
      const d = bindingOf(c, c.text);
      if (d === undefined || d.pos < fn.pos || d.end > fn.end) own = false;
      else if (outcomeName(d, fn, again)) outcome = true;
    });
    return own && outcome ? s : undefined;
  }
  return undefined;
}

/** The function-like a timer runs: its callback inline, or the local function it names. */
function timerCallback(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const cb = call.arguments[0];
  if (cb === undefined) return undefined;
  const n = bare(cb);
  if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return n;
  return resolve(n);
}

/**
 * The failure path `node` lies on inside `fn`: a `catch`, a `.catch(…)` callback or the rejection
 * callback of `.then`, the branch of an `if` whose condition reads a caught error — or `fn` itself
 * when it handles an error (an `'error'` listener, or its first parameter is read as an error:
 * `e.message`, `e.stack`).
 */
function failurePath(node: ts.Node, fn: ts.FunctionLikeDeclaration): ts.Node | undefined {
  for (let c = node.parent; c !== undefined && c !== fn; c = c.parent) {
    if (ts.isCatchClause(c)) return c;
    if (isRejectionCallback(c)) return c;
  }
  return handlesError(fn) ? fn : undefined;
}

/** Whether a function handles a failure: an `'error'` listener, or its first parameter is an error. */
function handlesError(fn: ts.FunctionLikeDeclaration): boolean {
  const parent = fn.parent;
  if (
    ts.isCallExpression(parent) &&
    parent.arguments[1] === fn &&
    ts.isStringLiteral(parent.arguments[0] as ts.Node) &&
    (parent.arguments[0] as ts.StringLiteral).text === "error"
  )
    return true;
  const first = fn.parameters[0];
  if (first === undefined || !ts.isIdentifier(first.name) || fn.body === undefined) return false;
  const name = first.name.text;
  let reads = false;
  walk(fn.body, (n) => {
    if (
      !reads &&
      ts.isPropertyAccessExpression(n) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === name &&
      ERROR_MEMBERS.has(n.name.text) &&
      bindingOf(n.expression, name) === first
    )
      reads = true;
  });
  return reads;
}

/**
 * The `if` a wait-and-again lies under when its condition reads only what the function itself
 * holds (its parameters and locals: the attempt's outcome, `if (retryAfter)`), never state of an
 * object (`if (this.running)`, a stop flag: periodic work).
 */
function decidedByOutcome(node: ts.Node, fn: ts.FunctionLikeDeclaration): ts.Node | undefined {
  let decision: ts.IfStatement | undefined;
  for (let c = node.parent; c !== undefined && c !== fn; c = c.parent)
    if (ts.isIfStatement(c) && !inside(node, c.expression)) {
      decision = c;
      break;
    }
  if (decision === undefined) return undefined;
  let own = false;
  let foreign = false;
  walk(decision.expression, (c) => {
    if (c.kind === ts.SyntaxKind.ThisKeyword) foreign = true;
    if (!ts.isIdentifier(c) || c.text === "undefined") return;
    const p = c.parent;
    if (ts.isPropertyAccessExpression(p) && p.name === c) return;
    const d = bindingOf(c, c.text);
    if (d !== undefined && d.pos >= fn.pos && d.end <= fn.end) own = true;
    else foreign = true;
  });
  return own && !foreign ? decision : undefined;
}

/** Whether a node lies inside a branch (an `if`, a conditional, a `catch`) below `fn`. */
function conditional(node: ts.Node, fn: ts.Node): boolean {
  for (let c = node; c.parent !== undefined && c.parent !== fn; c = c.parent) {
    const p = c.parent;
    if (ts.isIfStatement(p) && p.expression !== c) return true;
    if (ts.isConditionalExpression(p) && p.condition !== c) return true;
    if (ts.isCatchClause(p)) return true;
    if (
      ts.isBinaryExpression(p) &&
      p.right === c &&
      (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        p.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      return true;
  }
  return false;
}

/**
 * The retry's own statements for an arm on a failure path: the `if` that decides to go again
 * (with the declarations in its block its condition reads, the retry decision), else the statement
 * holding the arm.
 */
function rangeOf(arm: ts.Node, path: ts.Node): ts.Node[] {
  let decision: ts.IfStatement | undefined;
  for (let c = arm.parent; c !== undefined; c = c.parent) {
    if (ts.isIfStatement(c) && !inside(arm, c.expression)) decision = c;
    if (c === path || isFunctionLike(c)) break;
  }
  const statement = topStatement(decision ?? arm);
  const block = statement.parent;
  if (decision === undefined || !ts.isBlock(block)) {
    // A wait with no `if` of its own: the wait and the call after it that goes again.
    const next = ts.isBlock(block)
      ? block.statements[block.statements.indexOf(statement as ts.Statement) + 1]
      : undefined;
    return next === undefined || ts.isCallExpression(arm) ? [statement] : [statement, next];
  }
  const read = new Set<string>();
  walk(decision.expression, (n) => {
    if (ts.isIdentifier(n)) read.add(n.text);
  });
  const index = block.statements.indexOf(statement as ts.Statement);
  let first = index;
  // Declarations just before the `if` that its condition reads (`const shouldRestart = …`).
  for (let i = index - 1; i >= 0 && index - i <= 3; i--) {
    const s = block.statements[i] as ts.Statement;
    // Not the attempt's own result (`const reply = await get(url)`): that is the operation.
    if (
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.some(
        (d) =>
          ts.isIdentifier(d.name) &&
          read.has(d.name.text) &&
          d.initializer !== undefined &&
          !ts.isAwaitExpression(bare(d.initializer)),
      )
    ) {
      first = i;
      walk(s, (n) => {
        if (ts.isIdentifier(n)) read.add(n.text);
      });
    } else if (!ts.isExpressionStatement(s)) break;
  }
  return first === index ? [statement] : [block.statements[first] as ts.Node, statement];
}

/** An arm in `fn` whose timer runs `fn` again, with whether it lies on a failure path. */
interface Rearm {
  readonly arm: ts.Node;
  readonly path: ts.Node | undefined;
  /** A guard before the wait that leaves unless the attempt failed (`if (!retry) return`). */
  readonly guard?: ts.IfStatement;
}

/**
 * Retries re-run from a timer: on a failure (a `catch`, a rejection callback, an error handler),
 * a function arms a timer whose callback runs that same function again — calls it, or hands it on
 * to the call that starts the next attempt — directly or through local helpers; or it awaits a
 * delay and calls itself again, decided by a failure or by the attempt's own outcome. Work the
 * function reschedules on success too (periodic work, polling, keep-alive pings) is not a retry
 * and stays silent.
 * @param sourceFile - the parsed file
 * @returns the retries, one per arm
 */
export function reentryRetries(sourceFile: ts.SourceFile): Detection[] {
  const facts = factsOf(sourceFile);
  const byFunction = new Map<ts.FunctionLikeDeclaration, Rearm[]>();
  for (const call of facts.calls) {
    if (!isTimerArm(call)) continue;
    const cb = timerCallback(call);
    if (cb?.body === undefined) continue;
    // The function the timer runs again: the one arming it, or one it is nested in (the arm
    // sits in a callback of the attempt).
    for (let holder = functionOf(call); isFunctionLike(holder); holder = functionOf(holder)) {
      if (holder === cb) break;
      if (reaches(cb.body, holder, DEPTH, new Set([cb]))) {
        const list = byFunction.get(holder) ?? [];
        list.push({ arm: call, path: failurePath(call, holder) });
        byFunction.set(holder, list);
        break;
      }
    }
  }
  // `await sleep(ms); return f();` in `f`.
  walkKinds(sourceFile, [ts.SyntaxKind.AwaitExpression], (n) => {
    const statement = n.parent;
    if (!ts.isExpressionStatement(statement)) return;
    const fn = functionOf(statement);
    if (!isFunctionLike(fn)) return;
    const found = waitThenAgain(statement, fn);
    if (found === undefined) return;
    const { wait, again } = found;
    const list = byFunction.get(fn) ?? [];
    const guard = guardedByOutcome(wait, fn, again);
    list.push({
      arm: wait,
      path: failurePath(wait, fn) ?? decidedByOutcome(wait, fn) ?? guard,
      ...(guard === undefined ? {} : { guard }),
    });
    byFunction.set(fn, list);
  });
  const detections: Detection[] = [];
  for (const [fn, arms] of byFunction) {
    // Rescheduled whatever happened: periodic work, not a retry of a failure.
    if (arms.some((a) => a.path === undefined)) continue;
    for (const { arm, path, guard } of arms) {
      if (path === undefined || (guard === undefined && !conditional(arm, fn))) continue;
      const name = functionName(fn);
      const again = `\`${name ?? "the function"}\` again (the next attempt)`;
      const timer = ts.isCallExpression(arm);
      detections.push({
        kind: "retry-backoff",
        confidence: 0.8,
        nodes: path === guard ? [guard, ...rangeOf(arm, path)] : rangeOf(arm, path),
        evidence: [
          path === guard
            ? "leaves unless the attempt failed and may go again, else waits for a delay"
            : ts.isIfStatement(path)
              ? "when the attempt's own outcome says so, waits for a delay"
              : timer
                ? "on a failure, arms a timer"
                : "on a failure, waits for a delay",
          timer ? `the timer runs ${again}` : `then calls ${again}`,
        ],
        ...(name === undefined ? {} : { name }),
      });
    }
  }
  return detections;
}
