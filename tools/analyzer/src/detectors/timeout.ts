import { ts } from "ts-morph";
import {
  callee,
  chain,
  containsTimeRead,
  isFunctionLike,
  isLoop,
  lineCount,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, functionName, isNullish, unwrap, withoutBind } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { clearSite, clears } from "./timeout-clears.js";
import { bindingOf } from "./local-binding.js";
import { raceList, statementsOf } from "./race-list.js";
import { clearerConstruct, timerConstruct } from "./timer-construct.js";

/**
 * Timer calls: `setTimeout`, `globalThis.setTimeout`, `Timers.setTimeout`,
 * `driftless.setDriftlessTimeout`, `socket.setTimeout(ms, cb)`, and the timer functions a class
 * keeps to be swapped in tests or other runtimes (`this.setTimeoutFn(cb, ms)`).
 * A timer function of another name that ends in `SetTimeout` (`safeSetTimeout(cb, ms)`, a wrapper
 * that unrefs or guards the timer) is one too.
 */
const TIMER = /(^|\.)(setTimeout|\w+SetTimeout|setDriftlessTimeout|setTimeoutFn)$/;
const DESTROY = /(^|\.)(destroy|abort|kill|terminate|forceExit|close|disconnect|exit)$/;
/** Sleeps: `sleep(ms)`, `delay(ms)`, `wait(ms)` (a timer promise that resolves). */
const SLEEP = /(^|\.)(sleep|delay|wait)$/i;
const TIMEOUT_NAME = /time_?out|timed_?out|expire/i;
const TIMER_API = /(^|\.)(set|clear)(Timeout|Interval|Immediate)$/;

/**
 * The function a name stands for by its binding: `const onTimeout = () => { … }` or a function
 * declaration of an enclosing scope (a parameter or another value is not one).
 */
function localFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  const n = unwrap(node);
  if (!ts.isIdentifier(n)) return undefined;
  const d = bindingOf(n, n.text);
  if (d !== undefined && ts.isFunctionDeclaration(d) && d.body !== undefined) return d;
  if (d === undefined || !ts.isVariableDeclaration(d) || d.initializer === undefined)
    return undefined;
  const init = unwrap(d.initializer);
  return ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? init : undefined;
}

/** The function a timer runs: inline, a function of the file by name, `this.m.bind(this)`. */
function callbackOf(
  facts: FileFacts,
  call: ts.CallExpression,
): { body?: ts.Node; direct?: string } {
  const [first, second] = call.arguments;
  const isFn = (n: ts.Node | undefined): boolean =>
    n !== undefined &&
    (ts.isArrowFunction(unwrap(n)) ||
      ts.isFunctionExpression(unwrap(n)) ||
      ts.isIdentifier(unwrap(n)) ||
      ts.isPropertyAccessExpression(unwrap(n)) ||
      ts.isCallExpression(unwrap(n)));
  // `socket.setTimeout(ms, cb)`: the callback comes second (the delay may be any expression,
  // `session.setTimeout(options.sessionTimeout, () => …)`).
  const inline = (n: ts.Node | undefined): boolean =>
    n !== undefined &&
    (ts.isArrowFunction(unwrap(n)) ||
      ts.isFunctionExpression(unwrap(n)) ||
      localFunction(n) !== undefined);
  const cb =
    (first !== undefined && ts.isNumericLiteral(unwrap(first))) || inline(second)
      ? second
      : isFn(first)
        ? first
        : second;
  if (cb === undefined) return {};
  let target = withoutBind(cb);
  // `const onTimeout = this.fail.bind(this); setTimeout(onTimeout, ms)`: what the alias binds.
  if (ts.isIdentifier(target)) {
    const d = bindingOf(target, target.text);
    const init =
      d !== undefined && ts.isVariableDeclaration(d) && d.initializer !== undefined
        ? unwrap(d.initializer)
        : undefined;
    const bound = init === undefined ? undefined : withoutBind(init);
    if (bound !== undefined && bound !== init) target = bound;
  }
  if (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) return { body: target };
  const local = localFunction(target);
  if (local !== undefined) return { body: local };
  const name = chain(target);
  if (name === undefined) return {};
  if (DESTROY.test(name)) return { direct: name };
  const leaf =
    name
      .replace(/^this\./, "")
      .split(".")
      .pop() ?? name;
  const fn = facts.functions.find((f) => functionName(f) === leaf);
  return fn === undefined ? { direct: name } : { body: fn };
}

/**
 * Whether a timer's callback arms the timer again — it calls the function that starts the timer,
 * itself or through one function of the file it calls (`#arm(ms) { setTimeout(this.#refresh, ms) }`
 * with `#refresh() { …; this.#arm(next) }`): a refresh or renewal loop, not a bound on one operation.
 */
function rearms(facts: FileFacts, call: ts.CallExpression, body: ts.Node | undefined): boolean {
  if (body === undefined) return false;
  // `function read() { …; setTimeout(read, 1000) }`: the timer runs the function that arms it.
  if (body.pos <= call.pos && call.end <= body.end) return true;
  const leaf = (n: ts.CallExpression): string => (callee(n) ?? "").replace(/^this\./, "");
  // The function the timer runs arms a timer that runs it again (`poke() { …; t = setTimeout(
  // this.poke.bind(this), ms) }`, first armed elsewhere): it schedules itself, a poll or retry loop.
  let selfArmed = false;
  walkKinds(body, [ts.SyntaxKind.CallExpression], (n) => {
    if (selfArmed || n === call || !ts.isCallExpression(n) || !TIMER.test(callee(n) ?? "")) return;
    if (callbackOf(facts, n).body === body) selfArmed = true;
  });
  if (selfArmed) return true;
  // The timer runs again a function it sits in, a level or more up (`function repeat() { …;
  // send((err) => { setTimeout(() => repeat(err), delay) }) }`): the sleep before the next attempt.
  for (let f = functionOf(call); !ts.isSourceFile(f); f = functionOf(f)) {
    const name = functionName(f);
    if (name === undefined || f === functionOf(call)) continue;
    let runs = false;
    walkKinds(body, [ts.SyntaxKind.CallExpression], (n) => {
      if (!runs && ts.isCallExpression(n) && leaf(n) === name) runs = true;
    });
    if (runs) return true;
  }
  const armer = functionName(functionOf(call));
  if (armer === undefined) return false;
  const calls = (root: ts.Node, name: string): boolean => {
    let hit = false;
    walk(root, (n) => {
      if (!hit && ts.isCallExpression(n) && leaf(n) === name) hit = true;
    });
    return hit;
  };
  if (calls(body, armer)) return true;
  let again = false;
  walk(body, (n) => {
    if (again || !ts.isCallExpression(n)) return;
    const fn = facts.functions.find((f) => f !== body && functionName(f) === leaf(n));
    if (fn?.body !== undefined && calls(fn.body, armer)) again = true;
  });
  return again;
}

/** What a timer's callback does that makes it a timeout, or undefined when it only schedules work. */
function timeoutAction(
  call: ts.CallExpression,
  body: ts.Node | undefined,
  direct: string | undefined,
  depth = 1,
): string | undefined {
  if (direct !== undefined) {
    if (DESTROY.test(direct)) return `destroys (\`${direct}\`)`;
    if (TIMEOUT_NAME.test(direct)) return `hands over to \`${direct}\``;
    if (/(^|\.)reject$/.test(direct)) return "rejects";
  }
  // `setTimeout(run, ms, new Error("timeout"))`
  for (const extra of call.arguments.slice(2))
    if (
      ts.isNewExpression(unwrap(extra)) &&
      /Error$/.test(chain((unwrap(extra) as ts.NewExpression).expression) ?? "")
    )
      return "passes a timeout error to the callback";
  if (body === undefined) return undefined;
  let action: string | undefined;
  // What the callback does itself: not in a nested function, nor in a loop over entries (a sweep
  // that fails each stale entry is housekeeping; a loop beside the failure only tidies up).
  const own = (n: ts.Node): boolean =>
    (!isFunctionLike(body) || functionOf(n) === body) && !inLoop(n, body);
  walk(body, (n) => {
    if (action !== undefined || !own(n)) return;
    if (ts.isCallExpression(n)) {
      // A method called on what another call returned (`workers.get(id).terminate()`) by its name.
      const name =
        callee(n) ??
        (ts.isPropertyAccessExpression(n.expression)
          ? n.expression
              .getText()
              .replace(/\s+/g, "")
              .replace(/\([^()]*\)/g, "(…)")
          : "");
      if (/(^|\.)reject$/.test(name)) action = "rejects the pending operation";
      // (not the timer's own handle: `this.timer.close()`; a `timeoutController.abort()` is the op's)
      else if (DESTROY.test(name) && !/^(this\.)?(timer|timeout)(s|id|handle|ref)?\./i.test(name))
        action = `\`${name}\`s the operation`;
      else if (
        /(^|\.)emit$/.test(name) &&
        ts.isStringLiteral(n.arguments[0] ?? n) &&
        // `emit("timeout")`, `emit("error", …)`, or an event named for a timeout (`connectTimeout`).
        (/^(timeout|error)$/.test((n.arguments[0] as ts.StringLiteral).text) ||
          TIMEOUT_NAME.test((n.arguments[0] as ts.StringLiteral).text))
      )
        action = `emits '${(n.arguments[0] as ts.StringLiteral).text}'`;
      else if (TIMEOUT_NAME.test(name.split(".").pop() ?? "") && !TIMER_API.test(name))
        action = `calls \`${name}\``;
      else if (
        n.arguments.some(
          (a) =>
            ts.isNewExpression(unwrap(a)) &&
            /Error$/.test(chain((unwrap(a) as ts.NewExpression).expression) ?? ""),
        )
      )
        action = `fails \`${name}\` with an error`;
    }
    if (ts.isNewExpression(n) && /Timeout\w*Error|TimedOut/i.test(chain(n.expression) ?? ""))
      action = "raises a timeout error";
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      n.right.kind === ts.SyntaxKind.TrueKeyword &&
      TIMEOUT_NAME.test(chain(n.left) ?? "")
    )
      action = `flags \`${chain(n.left) ?? ""}\``;
    if (
      ts.isStringLiteralLike(n) &&
      /\btime(d)? ?out\b|ETIMEDOUT|\bdeadline exceeded\b/i.test(n.text) &&
      action === undefined
    )
      action = "reports a timeout";
  });
  if (action !== undefined) return action;
  // A local function the callback calls fails the operation (`() => onFailed("timed out")` with
  // `function onFailed(reason) { …; reject(new Error(reason)) }`): by its binding, one level.
  if (depth > 0)
    walk(body, (n) => {
      if (action !== undefined || !own(n) || !ts.isCallExpression(n)) return;
      const fn = localFunction(n.expression);
      if (fn === undefined || fn === body) return;
      const inner = timeoutAction(call, fn, undefined, depth - 1);
      if (inner !== undefined && inner !== "settles the wait early")
        action = `${inner} through \`${n.expression.getText()}\``;
    });
  if (action !== undefined) return action;
  // A bounded wait: the timer settles the same promise another path settles (cleared there).
  let resolves = false;
  walk(body, (n) => {
    if (ts.isCallExpression(n) && /^(resolve|done|callback|cb|finish)$/.test(callee(n) ?? ""))
      resolves = true;
  });
  return resolves ? "settles the wait early" : undefined;
}

/**
 * What a timer's callback does that makes it a timeout (`timeoutAction`), looking one level into a
 * function of the file it only hands over to (`setTimeout(() => this.onIdle(), ms)` with `onIdle()
 * { …; this.socket.destroy() }`) when the callback itself fails nothing: what that function does is
 * what the timer does. A timer re-armed on activity whose callback closes or fails the operation
 * is an idle (inactivity) timeout, not a debounce.
 */
function endingAction(
  facts: FileFacts,
  call: ts.CallExpression,
  body: ts.Node | undefined,
  direct: string | undefined,
  restarted = restartedOnActivity(facts, call),
): string | undefined {
  const own = timeoutAction(call, body, direct);
  if ((own !== undefined && !/^(hands over|calls)/.test(own)) || !restarted) return own;
  const handler = handedOverTo(facts, call, body);
  if (handler?.body === undefined || containsTimeRead(handler.body)) return own;
  const theirs = timeoutAction(call, handler.body, undefined);
  return theirs === undefined || !FAILURE.test(theirs) || /^(hands over|calls)/.test(theirs)
    ? own
    : `ends the operation through \`${functionName(handler) ?? "a handler"}\` (${theirs})`;
}

/**
 * Whether a timer is restarted while the operation is active: cleared in the function that arms
 * it, before the arm (`clearTimeout(this.idle); this.idle = setTimeout(…)`), or its handle
 * `refresh()`ed in the file.
 */
function restartedOnActivity(facts: FileFacts, call: ts.CallExpression): boolean {
  const handle = handleOf(call);
  if (handle === undefined) return false;
  return (
    clears(facts, handle).some((c) => functionOf(c) === functionOf(call) && c.pos < call.pos) ||
    facts.calls.some((c) => callee(c) === `${handle}.refresh`)
  );
}

/**
 * Whether the timeout detector takes a timer for a timeout: its callback (or a function of the file
 * it hands over to) fails, ends or closes the operation, or calls a function named for the timeout
 * — a timer armed only while none is set is then a timeout armed once, not a throttle.
 */
export function timesOut(facts: FileFacts, call: ts.CallExpression): boolean {
  const { body, direct } = callbackOf(facts, call);
  if (rearms(facts, call, body)) return false;
  const action = endingAction(facts, call, body, direct);
  return action !== undefined && FAILURE.test(action);
}

/** Actions that fail, end or close the operation a timer bounds. */
const FAILURE = /timeout|error|reject|destroy|abort|kill|terminate|forceExit|close|disconnect/i;

/**
 * The function of the file a timer's callback only hands over to: the callback itself when it is
 * one (`setTimeout(this.onIdle, ms)`), or the one function an inline callback's single statement
 * calls (`() => this.onIdle()`), on `this` or by name.
 */
function handedOverTo(
  facts: FileFacts,
  call: ts.CallExpression,
  body: ts.Node | undefined,
): ts.FunctionLikeDeclaration | undefined {
  if (body === undefined || !isFunctionLike(body) || body.body === undefined) return undefined;
  if (!(body.pos >= call.pos && body.end <= call.end)) return body;
  const block = body.body;
  const only = ts.isBlock(block)
    ? block.statements.length === 1 && ts.isExpressionStatement(block.statements[0] as ts.Node)
      ? (block.statements[0] as ts.ExpressionStatement).expression
      : undefined
    : block;
  const inner = only === undefined ? undefined : unwrap(only);
  if (inner === undefined || !ts.isCallExpression(inner)) return undefined;
  const parts = (callee(inner) ?? "").split(".");
  if (parts.length > 2 || (parts.length === 2 && parts[0] !== "this")) return undefined;
  const leaf = parts[parts.length - 1] ?? "";
  return facts.functions.find((f) => f !== body && functionName(f) === leaf);
}

/**
 * Whether a timer ends the operation it is armed for when it fires — its callback, or the one
 * function of the file it hands over to, rejects, destroys, closes, aborts or raises a timeout —
 * so that re-arming it on activity makes an idle timeout (the timeout detector's), not a debounce.
 */
export function endsOperation(facts: FileFacts, call: ts.CallExpression): boolean {
  const { body, direct } = callbackOf(facts, call);
  // (asked of a timer already known to be restarted: through a clearing helper, a `refresh()`)
  const action = endingAction(facts, call, body, direct, true);
  return action !== undefined && FAILURE.test(action) && !/^(hands over|calls)/.test(action);
}

/**
 * Whether a node sits in a loop (or a `forEach` callback) between itself and `root`, or in a
 * `catch` (a failure of the callback's own work, not of the time running out).
 */
function inLoop(node: ts.Node, root: ts.Node): boolean {
  for (let c = node.parent; c !== undefined && c !== root; c = c.parent) {
    if (isLoop(c) || ts.isCatchClause(c)) return true;
    if (
      isFunctionLike(c) &&
      c.parent !== undefined &&
      ts.isCallExpression(c.parent) &&
      /(^|\.)forEach$/.test(callee(c.parent) ?? "")
    )
      return true;
  }
  return false;
}

/** The name the timer handle is kept under, when the timer is assigned. */
function handleOf(call: ts.CallExpression): string | undefined {
  const parent = call.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return chain(parent.left);
  return undefined;
}

/** Whether the callback checks whether the operation already settled (`if (!done)`, `isSettled`). */
function guardsSettled(body: ts.Node | undefined): boolean {
  if (body === undefined) return false;
  let guarded = false;
  walk(body, (n) => {
    if (
      ts.isIfStatement(n) &&
      /(done|settled|finished|completed|resolved|fired|received|responded|connected|ended)/i.test(
        n.expression.getText(),
      )
    )
      guarded = true;
  });
  return guarded;
}

/**
 * The statement a timer is armed in — or, when it is armed in a small promise executor
 * (`new Promise((resolve, reject) => { const t = setTimeout(…); pending.set(id, { reject, t }) })`,
 * at most four statements), the statement holding that promise: the timer bounds that promise
 * (it widens the range; the work in it stays after a migration).
 */
function armStatement(call: ts.CallExpression): ts.Node {
  const executor = functionOf(call);
  const promise = executor.parent;
  if (
    isFunctionLike(executor) &&
    promise !== undefined &&
    ts.isNewExpression(promise) &&
    promise.arguments?.[0] === executor &&
    (/Promise$/.test(chain(promise.expression) ?? "") || executor.parameters.length === 2) &&
    executor.body !== undefined &&
    (!ts.isBlock(executor.body) || executor.body.statements.length <= 4)
  )
    return topStatement(promise);
  return topStatement(call);
}

/**
 * The construct around a timer: a helper or class that exists for it, else the timer's statements
 * (with, as `wrapper`, a small function that only returns the promise the timer bounds: in the
 * range, not in the lines that go — the work in the promise stays).
 */
function constructOf(
  facts: FileFacts,
  sourceFile: ts.SourceFile,
  call: ts.CallExpression,
  cleared: readonly ts.CallExpression[],
): { nodes: ts.Node[]; wrapper?: ts.Node } {
  let fn = functionOf(call);
  let wrapper: ts.Node | undefined;
  // The executor of `new Promise((resolve, reject) => …)` belongs to the function returning it.
  if (
    fn.parent !== undefined &&
    ts.isNewExpression(fn.parent) &&
    chain(fn.parent.expression) === "Promise"
  )
    fn = functionOf(fn.parent);
  if (isFunctionLike(fn) && fn.body !== undefined && ts.isBlock(fn.body)) {
    const small = fn.body.statements.length <= 4;
    const wrapsPromise = fn.body.statements.some(
      (s) =>
        ts.isReturnStatement(s) &&
        s.expression !== undefined &&
        ts.isNewExpression(unwrap(s.expression)),
    );
    const named = TIMEOUT_NAME.test(functionName(fn) ?? "");
    if (small && named) {
      const cls = fn.parent;
      if (
        (ts.isClassDeclaration(cls) || ts.isClassExpression(cls)) &&
        TIMEOUT_NAME.test(cls.name?.text ?? "") &&
        cls.members.length <= 8
      )
        return { nodes: [cls] };
      return { nodes: [ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn] };
    }
    const whole = ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn;
    // A helper that bounds work it is given (`withDeadline(work, ms)`: it settles a promise its
    // caller passes in) exists for the timer: all of it goes.
    if (small && wrapsPromise && settlesParameter(fn)) return { nodes: [whole] };
    // One that returns the promise of work it does itself (a connect, a flush, a watcher's start)
    // exists for that work: it is the range, while the timer's statements are what goes.
    if (small && wrapsPromise) wrapper = whole;
  }
  const statements = new Set<ts.Node>([topStatement(call)]);
  // A callback kept in a local of the same function (`const onTimeout = () => { … }`) is the
  // timeout's failure path: part of it.
  for (const a of call.arguments) {
    const local = localFunction(a);
    if (
      local !== undefined &&
      ts.isVariableDeclaration(local.parent) &&
      functionOf(local.parent) === functionOf(call)
    )
      statements.add(topStatement(local.parent));
  }
  for (const c of cleared) {
    // Clearing in the same function (or a callback of it) is part of the construct.
    let owner = functionOf(c);
    while (!ts.isSourceFile(owner) && owner !== fn && owner.pos >= fn.pos && owner.end <= fn.end)
      owner = functionOf(owner);
    if (owner === fn) statements.add(topStatement(c));
  }
  void sourceFile;
  const nodes =
    wrapper === undefined
      ? timerConstruct(facts, fn, call, [...statements], handleOf(call))
      : [...statements].sort((a, b) => a.pos - b.pos);
  return wrapper === undefined ? { nodes } : { nodes, wrapper };
}

/**
 * Whether `fn` settles a promise its caller passes in: `await`, `.then`, `.catch` or `.finally` on
 * a parameter, a member of one (`opts.promise`) or a call of one (`task()`).
 */
function settlesParameter(fn: ts.FunctionLikeDeclaration): boolean {
  if (fn.body === undefined) return false;
  const params: readonly ts.Node[] = fn.parameters;
  let found = false;
  walk(fn.body, (n) => {
    if (found) return;
    const target = ts.isAwaitExpression(n)
      ? n.expression
      : ts.isPropertyAccessExpression(n) && /^(then|catch|finally)$/.test(n.name.text)
        ? n.expression
        : undefined;
    if (target === undefined) return;
    let u: ts.Node = unwrap(target);
    if (ts.isCallExpression(u)) {
      // `task()` is the work given; `client.flush()` is work done here.
      const called = unwrap(u.expression);
      if (!ts.isIdentifier(called)) return;
      u = called;
    }
    while (ts.isPropertyAccessExpression(u)) u = unwrap(u.expression);
    if (!ts.isIdentifier(u)) return;
    const d = bindingOf(u, u.text);
    if (d !== undefined && params.includes(d)) found = true;
  });
  return found;
}

/** The statement of `fn`'s own body that holds `node`, if any. */
function statementHolding(fn: ts.Node, node: ts.Node): ts.Node | undefined {
  if (!isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return undefined;
  for (let a: ts.Node = node; a.parent !== undefined; a = a.parent)
    if (a.parent === fn.body) return a;
  return undefined;
}

/**
 * The function around a race that exists for it: a parameter of the function is one of the raced
 * promises, and it has at most eight statements over at most 40 lines — as the statement a
 * migration removes.
 */
function raceWrapper(race: ts.CallExpression, fn: ts.Node): ts.Node | undefined {
  if (!isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return undefined;
  const statements = fn.body.statements;
  if (statements.length > 8 || lineCount(fn, fn.getSourceFile()) > 40) return undefined;
  const list = race.arguments[0];
  if (list === undefined || !ts.isArrayLiteralExpression(list)) return undefined;
  const params: readonly ts.Node[] = fn.parameters;
  // The parameter itself, or a member of it (`opts.promise`).
  const raced = list.elements.some((e) => {
    let u: ts.Node = unwrap(e);
    while (ts.isPropertyAccessExpression(u)) u = unwrap(u.expression);
    if (!ts.isIdentifier(u)) return false;
    const d = bindingOf(u, u.text);
    return d !== undefined && params.includes(d);
  });
  if (!raced) return undefined;
  return ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn;
}

/**
 * Whether a race's timer side only waits: it settles with nothing (`setTimeout(ms)` of
 * `timers/promises`, `setTimeout(ms, null)`, `new Promise((resolve) => setTimeout(resolve, ms))`
 * — no reject, no throw, no value to tell it apart, no `.then(() => false)`), kept in a local or inline.
 */
function onlyWaits(side: ts.Node): boolean {
  let s = unwrap(side);
  if (ts.isIdentifier(s)) {
    const d = bindingOf(s, s.text);
    if (d === undefined || !ts.isVariableDeclaration(d) || d.initializer === undefined)
      return false;
    s = unwrap(d.initializer);
  }
  if (ts.isCallExpression(s) && TIMER.test(callee(s) ?? "")) {
    const first = s.arguments[0];
    if (first !== undefined && isFunctionLike(unwrap(first))) return false;
    const value = s.arguments[1];
    return value === undefined || isNullish(value);
  }
  if (!ts.isNewExpression(s) || chain(s.expression) !== "Promise") return false;
  const executor = s.arguments?.[0] === undefined ? undefined : unwrap(s.arguments[0]);
  if (executor === undefined || !isFunctionLike(executor) || executor.parameters.length !== 1)
    return false;
  const resolve = executor.parameters[0]?.name.getText();
  let plain = true;
  walk(executor, (n) => {
    if (ts.isThrowStatement(n)) plain = false;
    if (ts.isCallExpression(n) && callee(n) === resolve && n.arguments.length > 0) plain = false;
  });
  return plain;
}

/**
 * Whether a race with a timer that only waits is no deadline: inside a loop that looks again
 * (nothing in the loop throws), or handed back as it is by a function whose raced work is not a
 * parameter (the timer is the work: a cancellable sleep).
 */
function beatOrSleep(race: ts.CallExpression, timer: ts.Node, sides: readonly ts.Node[]): boolean {
  if (!onlyWaits(timer)) return false;
  const fn = functionOf(race);
  for (let c: ts.Node = race.parent; c !== fn; c = c.parent) {
    if (!isLoop(c)) continue;
    let throws = false;
    walk(c, (n) => {
      if (ts.isThrowStatement(n)) throws = true;
    });
    return !throws;
  }
  const handedBack =
    ts.isReturnStatement(race.parent) ||
    (ts.isAwaitExpression(race.parent) && ts.isReturnStatement(race.parent.parent)) ||
    (isFunctionLike(race.parent) && race.parent.body === race);
  if (!handedBack || !isFunctionLike(fn)) return false;
  const params = new Set(fn.parameters.map((p) => p.name.getText()));
  return sides.every((side) => {
    let named = false;
    walk(side, (n) => {
      if (ts.isIdentifier(n) && params.has(n.text)) named = true;
    });
    return side === timer || !named;
  });
}

/** A promise that a timer rejects: `new Promise((_, reject) => setTimeout(() => reject(…), ms))`. */
function isTimerPromise(facts: FileFacts, node: ts.Node): boolean {
  const n = unwrap(node);
  // `timeout.promise` of a local holding what a timer helper gives (`const timeout =
  // createTimeout(ms)`): the helper decides.
  if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(unwrap(n.expression)))
    return isTimerPromise(facts, n.expression);
  if (ts.isIdentifier(n)) {
    // a local or helper holding one
    let found = false;
    walk(functionOf(n), (d) => {
      if (
        !found &&
        ts.isVariableDeclaration(d) &&
        ts.isIdentifier(d.name) &&
        d.name.text === n.text &&
        d.initializer !== undefined
      )
        found = isTimerPromise(facts, d.initializer);
    });
    return found;
  }
  if (ts.isCallExpression(n)) {
    const name = (callee(n) ?? "").replace(/^this\./, "");
    const fn = facts.functions.find((f) => functionName(f) === name);
    if (fn !== undefined && fn.body !== undefined) {
      // A timer in it, or a sleep followed by a throw (`await sleep(ms); throw new TimeoutError()`).
      let timer = false;
      let sleeps = false;
      let fails = false;
      walk(fn.body, (c) => {
        if (ts.isCallExpression(c) && TIMER.test(callee(c) ?? "")) timer = true;
        if (ts.isCallExpression(c) && SLEEP.test(callee(c) ?? "")) sleeps = true;
        if (ts.isThrowStatement(c)) fails = true;
      });
      return timer || (sleeps && fails);
    }
    return TIMEOUT_NAME.test(name);
  }
  let timer = false;
  walk(n, (c) => {
    if (ts.isCallExpression(c) && TIMER.test(callee(c) ?? "")) timer = true;
  });
  return timer;
}

/**
 * The function of the file a timer hands over to — its callback itself when declared elsewhere,
 * or the one function an inline callback calls and does nothing else — when no other call in the
 * file runs it (then it exists for the timer).
 */
function handlerOf(
  facts: FileFacts,
  call: ts.CallExpression,
  body: ts.Node | undefined,
): ts.FunctionLikeDeclaration | undefined {
  if (body === undefined || !isFunctionLike(body)) return undefined;
  let handler: ts.FunctionLikeDeclaration | undefined;
  const inline = body.pos >= call.pos && body.end <= call.end;
  if (!inline) handler = body;
  else {
    const block = body.body;
    const only =
      block === undefined
        ? undefined
        : ts.isBlock(block)
          ? block.statements.length === 1 &&
            ts.isExpressionStatement(block.statements[0] as ts.Node)
            ? (block.statements[0] as ts.ExpressionStatement).expression
            : undefined
          : block;
    const inner = only === undefined ? undefined : unwrap(only);
    if (inner === undefined || !ts.isCallExpression(inner)) return undefined;
    const name = callee(inner) ?? "";
    const parts = name.split(".");
    if (parts.length > 2 || (parts.length === 2 && parts[0] !== "this")) return undefined;
    const leaf = parts[parts.length - 1] ?? "";
    handler = facts.functions.find((f) => functionName(f) === leaf && f !== body);
  }
  if (handler?.body === undefined) return undefined;
  const name = functionName(handler);
  if (name === undefined) return undefined;
  const runs = facts.calls.filter((c) => (callee(c) ?? "").split(".").pop() === name);
  return runs.length <= (inline ? 1 : 0) ? handler : undefined;
}

/**
 * Timeouts by hand: a timer whose callback fails the pending operation — rejects it, passes or
 * raises a timeout error, destroys or aborts it, emits `timeout`, hands over to a timeout handler
 * or flags it timed out — and that is cleared when the operation settles (or checks whether it
 * already did). A timer that only schedules work, or a sleep that only resolves, is not a timeout.
 * `Promise.race` against such a timer is a timeout race. Replaced by `withTimeout(work, ms)`.
 */
export const timeoutDetector: Detector = {
  id: "response/timeout",
  category: "response",
  kinds: ["timeout-race", "timeout"],
  prefilter: /setTimeout|setDriftlessTimeout|\.race\(/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    // Which timer each detection of the timer loop belongs to (its parts are merged when adjacent).
    const parts = new Map<Detection, ts.Node>();
    const covered = new Set<ts.Node>();
    // The timer sides of races (and their helpers): their timers are the race's, reported with it.
    const raceTimers: ts.Node[] = [];
    for (const race of facts.calls) {
      // `Promise.race`, or a promise library's (`Unpromise.race`, `Bluebird.race`).
      const name = callee(race) ?? "";
      // Any `X.race([…])` whose list holds a timer promise (`P.race` of a promise library kept
      // under another name): the timer side decides, not the name.
      if (!/(^|\.)race$/.test(name)) continue;
      // The list written in the call, or kept in a local of the race's function (race-list.ts).
      const list = raceList(race);
      if (list === undefined) continue;
      const timer = list.elements.find((e) => isTimerPromise(facts, e));
      if (timer === undefined) continue;
      // A race the timer's win fails nothing in: a loop looking again after a beat (`while
      // (!exited) result = await race([terminating, sleep(100)])`), or a sleep that a
      // cancellation cuts short (`return race([cancelled, new Promise((r) => setTimeout(r, ms))])`).
      if (beatOrSleep(race, timer, list.elements)) continue;
      covered.add(functionOf(race));
      raceTimers.push(timer);
      // The timer side's own helper or local (`const expire = (ms) => new Promise(…)`) is part of it.
      const nodes = [topStatement(race), ...statementsOf(list, timer)];
      // `expiry.promise`: the local holding what a timer helper gave stands for the side.
      const member = unwrap(timer);
      const side =
        ts.isPropertyAccessExpression(member) && ts.isIdentifier(unwrap(member.expression))
          ? unwrap(member.expression)
          : member;
      const given =
        side !== member && ts.isIdentifier(side) ? bindingOf(side, side.text) : undefined;
      const gave =
        given !== undefined &&
        ts.isVariableDeclaration(given) &&
        given.initializer !== undefined &&
        ts.isCallExpression(unwrap(given.initializer))
          ? (unwrap(given.initializer) as ts.CallExpression)
          : undefined;
      const helperName =
        gave !== undefined
          ? (callee(gave) ?? "").replace(/^this\./, "")
          : ts.isCallExpression(side)
            ? (callee(side) ?? "").replace(/^this\./, "")
            : ts.isIdentifier(side)
              ? side.text
              : undefined;
      // An inline timer side (`new Promise(…)`) has no helper: never look one up by no name.
      // A helper handing back a handle and a promise (`t.promise`) is a timeout of its own, not
      // absorbed: only the local holding it and the clear of its handle are the race's.
      const helper =
        helperName === undefined || gave !== undefined
          ? undefined
          : facts.functions.find((f) => functionName(f) === helperName);
      if (helper !== undefined) {
        const statement = ts.isVariableDeclaration(helper.parent)
          ? topStatement(helper.parent)
          : helper;
        nodes.unshift(statement);
        covered.add(statement);
        raceTimers.push(statement);
      }
      // A timer side kept in a local of the race's function (`const timer = new Promise((_, reject)
      // => { handle = setTimeout(…) })`): its declaration, and the clears of its timers in that
      // function (`finally { clearTimeout(handle) }`), are the race's.
      const raceFn = functionOf(race);
      const local = ts.isIdentifier(side) ? bindingOf(side, side.text) : undefined;
      const kept =
        local !== undefined &&
        ts.isVariableDeclaration(local) &&
        local.initializer !== undefined &&
        functionOf(local) === raceFn
          ? local
          : undefined;
      if (kept !== undefined) {
        const statement = topStatement(kept);
        nodes.push(statement);
        raceTimers.push(statement);
      }
      // A helper's handle cleared through the same local (`finally { clearTimeout(expiry.handle) }`):
      // the `try` holding the race and the clear.
      if (gave !== undefined && ts.isIdentifier(side))
        for (const c of facts.calls) {
          const arg = c.arguments[0];
          if (
            !/(^|\.)clearTimeout$/.test(callee(c) ?? "") ||
            arg === undefined ||
            !chain(arg)?.startsWith(`${side.text}.`) ||
            functionOf(c) !== raceFn
          )
            continue;
          for (let a = c.parent; a !== undefined && a !== raceFn; a = a.parent)
            if (ts.isTryStatement(a) && a.pos <= race.pos && race.end <= a.end)
              nodes.push(topStatement(a));
        }
      // The timer side, kept in a local or written inline (`race([work, new Promise((_, reject) =>
      // { t = setTimeout(…) })])`): its handle's declaration and clears go with the race.
      const timerSide = kept?.initializer ?? (ts.isNewExpression(side) ? side : undefined);
      if (timerSide !== undefined) {
        walk(timerSide, (t) => {
          if (!ts.isCallExpression(t) || !TIMER.test(callee(t) ?? "")) return;
          // The handle's own declaration in that function (`let timer;` before the promise).
          const handle = handleOf(t);
          const declared =
            handle === undefined || handle.includes(".") ? undefined : bindingOf(t, handle);
          if (
            declared !== undefined &&
            ts.isVariableDeclaration(declared) &&
            functionOf(declared) === raceFn
          )
            nodes.push(topStatement(declared));
          for (const c of clears(facts, handle)) {
            // Cleared inside another side of the list (`pool.on('available', () => { clearTimeout(t);
            // resolve() })`): that side's statement holds it, not the race.
            if (list.statements.some((s) => s.statement.pos <= c.pos && c.end <= s.statement.end))
              continue;
            // Cleared in a callback chained on the race (`race([…]).then((v) => { clearTimeout(t);
            // return v })`): the statement holding both.
            if (functionOf(c) !== raceFn) {
              const shared = statementHolding(raceFn, c);
              if (shared !== undefined && shared.pos <= race.pos && race.end <= shared.end)
                nodes.push(shared);
              continue;
            }
            // `try { await race } finally { clearTimeout(t) }`: the `try` holding both.
            let holder: ts.Node = c;
            for (let a = c.parent; a !== undefined && a !== raceFn; a = a.parent)
              if (ts.isTryStatement(a) && a.pos <= race.pos && race.end <= a.end) holder = a;
            nodes.push(topStatement(holder));
          }
        });
      }
      // A function that exists for the race — the work raced is one of its parameters, and it
      // ends with the race — is the construct, from its declaration to its closing brace.
      const wrapper = raceWrapper(race, raceFn);
      if (wrapper !== undefined) {
        nodes.splice(0, nodes.length, wrapper);
        raceTimers.push(wrapper);
      }
      detections.push({
        kind: "timeout-race",
        confidence: 0.9,
        nodes: [...new Set(nodes)].sort((a, b) => a.pos - b.pos),
        evidence: [
          "`Promise.race` of the work against a timer",
          `timer side \`${timer.getText(sourceFile).replace(/\s+/g, " ").slice(0, 40)}\``,
        ],
      });
    }
    for (const call of facts.calls) {
      if (!TIMER.test(callee(call) ?? "")) continue;
      if (raceTimers.some((t) => t.pos <= call.pos && call.end <= t.end)) continue;
      // `server.setTimeout(ms)`, `request.setTimeout(ms)`: one argument sets a library's own idle
      // timeout (nothing here is timed); `setTimeout(fn)` defers work.
      if (call.arguments.length < 2) continue;
      // `setTimeout(fn, 0)` and `setTimeout(fn, 1)` defer work to a later turn; they bound nothing.
      const delay = call.arguments[1];
      if (
        delay !== undefined &&
        ts.isNumericLiteral(unwrap(delay)) &&
        Number(unwrap(delay).getText()) <= 1
      )
        continue;
      const { body, direct } = callbackOf(facts, call);
      if (rearms(facts, call, body)) continue;
      const action = endingAction(facts, call, body, direct);
      if (action === undefined) continue;
      const failure =
        /timeout|error|reject|destroy|abort|kill|terminate|forceExit|close|disconnect/i.test(
          action,
        );
      // A ping, poll or refresh interval schedules work — unless the callback fails the operation
      // (a watchdog armed for the ping's answer: `onClose("ping timeout")`).
      if (
        delay !== undefined &&
        /(interval|heartbeat|ping|poll|refresh|keepalive)/i.test(delay.getText(sourceFile)) &&
        (!failure || /^(calls|hands over)/.test(action))
      )
        continue;
      const handle = handleOf(call);
      const cleared = clears(facts, handle);
      // Cleared and armed again in one function (`clearTimeout(t); t = setTimeout(this.onIdle, ms)`)
      // when the callback fails nothing itself — it only hands over to a function named for it —:
      // the timer restarts on every call, a debounce (the throttle detector's), not a bound on one
      // operation.
      if (
        /^(hands over|calls)/.test(action) &&
        cleared.some((c) => functionOf(c) === functionOf(call) && c.pos < call.pos)
      )
        continue;
      const guarded = guardsSettled(body);
      // A timer that only settles a wait early is a deadline wait (it proceeds, nothing fails).
      if (action === "settles the wait early") continue;
      if (cleared.length === 0 && !guarded && !failure) continue;
      const { nodes, wrapper } = constructOf(facts, sourceFile, call, cleared);
      if (nodes.some((n) => covered.has(n))) continue;
      const first = detections.length;
      detections.push({
        kind: "timeout",
        confidence: cleared.length > 0 || guarded ? 0.85 : 0.75,
        nodes,
        // The promise a small executor's timer bounds, or the function returning it: in the range,
        // not in the lines that go (the work in it stays).
        ...(wrapper !== undefined
          ? { context: [wrapper] }
          : armStatement(call) === topStatement(call)
            ? {}
            : { context: [armStatement(call)] }),
        evidence: [
          `timer \`${callee(call) ?? "setTimeout"}\` whose callback ${action}`,
          action.startsWith("ends the operation through")
            ? "re-armed on activity: an idle timeout, it fires only once the operation goes quiet"
            : cleared.length > 0
              ? "cleared when the operation settles"
              : guarded
                ? "checks whether the operation already settled"
                : "fails the operation when it fires",
        ],
        ...(handle === undefined ? {} : { name: handle }),
      });
      // A handler of the file that the timer hands over to (`setTimeout(() => this.onTimeout(), ms)`,
      // `setTimeout(this.onTimeout.bind(this), ms)`) and that nothing else calls is the timeout's
      // failure path: reported where it is, as part of the same mechanism.
      const handler = handlerOf(facts, call, body);
      if (
        handler !== undefined &&
        !nodes.some((n) => n.pos <= handler.pos && handler.end <= n.end) &&
        !covered.has(handler) &&
        // A handler that reads the clock again checks an age itself (idle expiry: `now - lastIdle
        // >= limit`), another mechanism with a range of its own.
        handler.body !== undefined &&
        !containsTimeRead(handler.body) &&
        timeoutAction(call, handler.body, undefined) !== undefined
      ) {
        covered.add(handler);
        detections.push({
          kind: "timeout",
          confidence: 0.75,
          nodes: [
            ts.isVariableDeclaration(handler.parent) ? topStatement(handler.parent) : handler,
          ],
          evidence: [
            `runs when the timer \`${handle ?? callee(call) ?? "setTimeout"}\` fires, and only then`,
            `fails the pending operation (${timeoutAction(call, handler.body, undefined) ?? ""})`,
          ],
          ...(functionName(handler) === undefined ? {} : { name: functionName(handler) }),
        });
      }
      // A handle kept in a field is also cleared by other methods, when the operation settles
      // there (`onReply() { if (this.timer) clearTimeout(this.timer) }`): each is part of the
      // timeout a migration removes, reported where it is.
      if (handle === undefined || !handle.startsWith("this.")) continue;
      const armer = functionOf(call);
      const seen = new Set<ts.Node>();
      for (const c of cleared) {
        if (nodes.some((n) => n.pos <= c.pos && c.end <= n.end)) continue;
        let owner = functionOf(c);
        while (!ts.isSourceFile(owner) && owner !== armer) owner = functionOf(owner);
        if (owner === armer) continue;
        const site = clearerConstruct(clearSite(c, handle), handle);
        if (seen.has(site[0] as ts.Node)) continue;
        seen.add(site[0] as ts.Node);
        detections.push({
          kind: "timeout",
          confidence: 0.75,
          nodes: site,
          evidence: [
            functionName(armer) === undefined
              ? `clears the timeout timer \`${handle}\` armed elsewhere in the file`
              : `clears the timeout timer \`${handle}\` armed in \`${functionName(armer) ?? ""}\``,
            "when the operation settles before it fires",
          ],
          name: handle,
        });
      }
      for (const d of detections.slice(first)) parts.set(d, call);
    }
    return mergeAdjacent(sourceFile, detections, parts);
  },
};

/**
 * The parts of one timeout (the arm, the handler it hands over to, the clears in other methods)
 * that sit next to each other — at most ten lines apart — reported as one finding over all of
 * them: one mechanism, one range. Parts far apart keep a finding each, where they are.
 */
function mergeAdjacent(
  sourceFile: ts.SourceFile,
  detections: readonly Detection[],
  parts: ReadonlyMap<Detection, ts.Node>,
): Detection[] {
  const line = (pos: number): number => sourceFile.getLineAndCharacterOfPosition(pos).line;
  const start = (d: Detection): number => Math.min(...d.nodes.map((n) => n.getStart(sourceFile)));
  const end = (d: Detection): number => Math.max(...d.nodes.map((n) => n.end));
  const out: Detection[] = [];
  const timerOf = new Map<Detection, ts.Node>();
  for (const d of detections) {
    const timer = parts.get(d);
    const prior =
      timer === undefined
        ? undefined
        : out.find((o) => {
            if (timerOf.get(o) !== timer) return false;
            const [a, b] = start(o) <= start(d) ? [o, d] : [d, o];
            // Apart by at most ten lines, or one inside the other's range.
            return line(start(b)) - line(end(a)) <= 10;
          });
    if (prior === undefined || timer === undefined) {
      out.push(d);
      if (timer !== undefined) timerOf.set(d, timer);
      continue;
    }
    const joined: Detection = {
      ...prior,
      nodes: [...prior.nodes, ...d.nodes].sort((x, y) => x.pos - y.pos),
      evidence: [...prior.evidence, ...d.evidence.filter((e) => !prior.evidence.includes(e))],
    };
    out[out.indexOf(prior)] = joined;
    timerOf.set(joined, timer);
  }
  return out;
}
