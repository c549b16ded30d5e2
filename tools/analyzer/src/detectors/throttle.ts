import { ts } from "ts-morph";
import {
  callee,
  chain,
  enclosing,
  inside,
  isFunctionLike,
  isLoop,
  isSettleCallback,
  isTimeRead,
  topStatement,
  walk,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import {
  factsOf,
  functionName,
  isClockish,
  isNullish,
  isOrdering,
  markKey,
  unwrap,
} from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { refillCheck } from "./expiry-stamps.js";
import { onlyStartsWindow } from "./look-alikes.js";
import { bindingOf } from "./local-binding.js";
import { endsOperation, timesOut } from "./timeout.js";
import { pacedLoops } from "./paced-loop.js";

const TIMER = /(^|\.)(setTimeout|setDriftlessTimeout)$/;

function isNothing(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    isNullish(n) ||
    n.kind === ts.SyntaxKind.FalseKeyword ||
    (ts.isNumericLiteral(n) && n.text === "0")
  );
}

/** `clock >= last + interval`, `last + interval < clock`, `clock - last >= interval`: the mark it gates on. */
function timeGate(facts: FileFacts, b: ts.BinaryExpression): string | undefined {
  const op = b.operatorToken.kind;
  if (!isOrdering(op)) return undefined;
  const clockish = (n: ts.Node): boolean => isClockish(facts, n);
  const markIn = (n: ts.Node): string | undefined => {
    const u = unwrap(n);
    if (
      ts.isBinaryExpression(u) &&
      (u.operatorToken.kind === ts.SyntaxKind.PlusToken ||
        u.operatorToken.kind === ts.SyntaxKind.MinusToken)
    ) {
      for (const side of [u.left, u.right]) {
        const k = markKey(side);
        if (k !== undefined && facts.marks.has(k) && !clockish(side)) return k;
      }
    }
    return undefined;
  };
  for (const [a, other] of [
    [b.left, b.right],
    [b.right, b.left],
  ] as const) {
    if (clockish(a)) {
      const k = markIn(other);
      if (k !== undefined) return k;
    }
    // The time since the mark kept in a local first (`const since = Date.now() - this.last`).
    const local = localBefore(a, b);
    const u = local?.initializer === undefined ? unwrap(a) : unwrap(local.initializer);
    if (
      ts.isBinaryExpression(u) &&
      u.operatorToken.kind === ts.SyntaxKind.MinusToken &&
      clockish(u.left)
    ) {
      const k = markKey(u.right);
      if (k !== undefined && facts.marks.has(k)) return k;
    }
  }
  return undefined;
}

/** Whether a function of the file called in `branch` (not `gateFn` itself) stamps the mark with the clock. */
function stampedByHelper(
  facts: FileFacts,
  branch: ts.Node | readonly ts.Node[],
  mark: string,
  gateFn: ts.Node,
): boolean {
  const called = new Set<string>();
  for (const root of Array.isArray(branch) ? branch : [branch])
    walk(root as ts.Node, (n) => {
      if (ts.isCallExpression(n)) called.add((callee(n) ?? "").replace(/^this\./, ""));
    });
  return (facts.marks.get(mark) ?? []).some((m) => {
    let fn = functionOf(m);
    // A stamp in the work's settle callback (`fetch().then((r) => { this.last = Date.now() })`)
    // belongs to the function that starts the work.
    while (isSettleCallback(fn)) fn = functionOf(fn);
    const name = fn === gateFn ? undefined : functionName(fn);
    return name !== undefined && called.has(name);
  });
}

/** Whether a branch only logs (one or two calls) and then returns nothing: `{ log('skip'); return; }`. */
function returnsAfterLogs(branch: ts.Statement): boolean {
  if (!ts.isBlock(branch)) return false;
  const list = [...branch.statements];
  const last = list.pop();
  return (
    last !== undefined &&
    ts.isReturnStatement(last) &&
    last.expression === undefined &&
    list.length > 0 &&
    list.length <= 2 &&
    list.every(
      (st) =>
        ts.isExpressionStatement(st) &&
        ts.isCallExpression(unwrap(st.expression)) &&
        /(^|\.)(log|debug|warn|info|trace)$/.test(callee(unwrap(st.expression)) ?? ""),
    )
  );
}

/**
 * The declaration of a local a gate compares, when it is set in the gate's own function before the
 * gate (`const since = Date.now() - last; if (since < ms)`).
 */
function localBefore(side: ts.Node, gate: ts.BinaryExpression): ts.VariableDeclaration | undefined {
  const u = unwrap(side);
  if (!ts.isIdentifier(u)) return undefined;
  const d = bindingOf(u, u.text);
  return d !== undefined &&
    ts.isVariableDeclaration(d) &&
    d.initializer !== undefined &&
    functionOf(d) === functionOf(gate) &&
    d.end <= gate.pos
    ? d
    : undefined;
}

/** The statements declaring the locals a gate compares (`const since = Date.now() - last`). */
function sinceLocals(b: ts.BinaryExpression): ts.Node[] {
  const out: ts.Node[] = [];
  for (const side of [b.left, b.right]) {
    const d = localBefore(side, b);
    if (d?.initializer !== undefined && ts.isBinaryExpression(unwrap(d.initializer)))
      out.push(topStatement(d));
  }
  return out;
}

/** The statements of the gate's function after the top-level statement that holds the gate. */
function afterGate(gate: ts.Node, fn: ts.Node): ts.Node[] {
  const body = isFunctionLike(fn) ? fn.body : undefined;
  if (body === undefined || !ts.isBlock(body)) return [];
  const top = body.statements.find((st) => st.pos <= gate.pos && gate.end <= st.end);
  return top === undefined ? [] : body.statements.slice(body.statements.indexOf(top) + 1);
}

/**
 * Whether the gated branch does work (calls something) rather than give up (throw, reject, break).
 * A log line counts as the work when the branch itself stamps the time again (a log written at
 * most once per interval).
 */
function doesWork(branch: ts.Node, logsAreWork = false): boolean {
  let work = false;
  let fails = false;
  walk(branch, (n) => {
    if (
      ts.isCallExpression(n) &&
      (logsAreWork || !/(^|\.)(log|debug|warn|error|info|trace)$/.test(callee(n) ?? "")) &&
      !/(^|\.)reject$/.test(callee(n) ?? "")
    )
      work = true;
    if (ts.isThrowStatement(n) || ts.isBreakStatement(n)) fails = true;
    if (ts.isCallExpression(n) && /(^|\.)reject$/.test(callee(n) ?? "")) fails = true;
  });
  return work && !fails;
}

/**
 * Whether a function calls `name` as one of its own top-level statements (`this.scheduleNext();`,
 * `await this.schedule()`), on every run — not only on some path (`if (this.rerun) this.invalidate()`).
 */
function alwaysCalls(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  const body = fn.body;
  if (body === undefined || !ts.isBlock(body)) return false;
  return body.statements.some((st) => {
    if (!ts.isExpressionStatement(st)) return false;
    let e = unwrap(st.expression);
    while (ts.isAwaitExpression(e) || ts.isVoidExpression(e)) e = unwrap(e.expression);
    return ts.isCallExpression(e) && (callee(e) ?? "").replace(/^this\./, "") === name;
  });
}

/**
 * Whether a timer's callback arms the timer again (directly, or through a function of the file it
 * names): a periodic task, not a debounce. `setTimeout(() => { …; this.schedule() })` in `schedule`.
 */
function reschedulesItself(facts: FileFacts, fn: ts.Node, cb: ts.Node | undefined): boolean {
  const name = functionName(fn);
  if (name === undefined || cb === undefined) return false;
  const callsFn = (root: ts.Node): boolean => {
    let found = false;
    walk(root, (n) => {
      if (!found && ts.isCallExpression(n) && (callee(n) ?? "").replace(/^this\./, "") === name)
        found = true;
    });
    return found;
  };
  const c = unwrap(cb);
  if (ts.isArrowFunction(c) || ts.isFunctionExpression(c)) {
    if (callsFn(c)) return true;
    // One level down: the callback runs a function of the file that schedules again
    // (`setTimeout(() => this.check(), period)`, `check() { …; this.scheduleNext() }`).
    let again = false;
    walk(c, (n) => {
      if (again || !ts.isCallExpression(n)) return;
      const target = (callee(n) ?? "").replace(/^this\./, "");
      const named = facts.functions.find((f) => f !== fn && functionName(f) === target);
      if (named !== undefined && alwaysCalls(named, name)) again = true;
    });
    return again;
  }
  // `setTimeout(onTick, ms)` / `setTimeout(this.tick.bind(this), ms)`: the named function's body.
  const target = (chain(ts.isCallExpression(c) ? c.expression : c) ?? "")
    .replace(/\.bind$/, "")
    .replace(/^this\./, "");
  if (target === name) return true;
  const named = facts.functions.find((f) => functionName(f) === target);
  return named !== undefined && callsFn(named);
}

/**
 * Whether the function leaves between clearing the timer and arming it again (`if (gone) {
 * clearTimeout(t); return }` … `t = setTimeout(…)`): the clear ends a wait on one path, the arm
 * starts one on another — nothing is re-armed on every call.
 */
function exitsBetween(fn: ts.Node, cleared: ts.Node, armed: ts.Node): boolean {
  let found = false;
  walk(fn, (n) => {
    if (
      !found &&
      (ts.isReturnStatement(n) || ts.isThrowStatement(n)) &&
      n.pos >= cleared.end &&
      n.end <= armed.pos &&
      functionOf(n) === fn
    )
      found = true;
  });
  return found;
}

/** Calls that fail an operation: cancel, abort, reject, destroy, close, kill. */
const FAILS = /(^|\.)(cancel|abort|reject|destroy|close|kill|terminate|disconnect)$/;

/** Whether a timer callback does nothing but fail the operation (`() => { this.cancel() }`). */
function failsOnly(cb: ts.Node | undefined): boolean {
  if (cb === undefined) return false;
  let c = unwrap(cb);
  // A local function handed over by name (`setTimeout(fire, ms)`, `const fire = () => reject(…)`).
  if (ts.isIdentifier(c)) {
    const d = bindingOf(c, c.text);
    if (d !== undefined && ts.isVariableDeclaration(d) && d.initializer !== undefined)
      c = unwrap(d.initializer);
    else if (d !== undefined) c = d;
  }
  if (!ts.isArrowFunction(c) && !ts.isFunctionExpression(c) && !ts.isFunctionDeclaration(c))
    return false;
  if (c.body === undefined) return false;
  let calls = 0;
  let other = false;
  walk(c.body, (n) => {
    if (!ts.isCallExpression(n)) return;
    calls++;
    if (!FAILS.test(callee(n) ?? "")) other = true;
  });
  return calls > 0 && !other;
}

/**
 * The text of a slot a timer handle is kept in: a chain (`this.timer`), an entry at a key
 * (`timers[key]`), or a map read (`timers.get(key)`) — so a clear and an arm of the same entry match.
 */
function timerSlot(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (ts.isElementAccessExpression(n)) {
    const base = chain(n.expression);
    return base === undefined ? undefined : `${base}.get(${n.argumentExpression.getText()})`;
  }
  if (
    ts.isCallExpression(n) &&
    n.arguments.length === 1 &&
    n.arguments[0] !== undefined &&
    /\.get$/.test(callee(n) ?? "")
  )
    return `${(callee(n) ?? "").slice(0, -4)}.get(${n.arguments[0].getText()})`;
  return chain(n);
}

/**
 * Whether a timer's delay is worked out from the clock or from a value the caller passed — read in
 * the delay itself or in the initializer of a local it reads (`const wait = at - Date.now()`,
 * `setTimeout(run, Math.max(next - Date.now(), 1))`, `ms ?? this.ms`): the timer runs at a given
 * time, scheduled work, not a fixed quiet period after each call. A setting read off a parameter
 * (`end.duration`) is a fixed period.
 */
function schedulesAt(fn: ts.FunctionLikeDeclaration, delay: ts.Node): boolean {
  const params: readonly ts.Node[] = fn.parameters;
  let found = false;
  const visit = (root: ts.Node, depth: number): void => {
    walk(root, (n) => {
      if (found) return;
      if (isTimeRead(n)) found = true;
      if (!ts.isIdentifier(n)) return;
      // A setting read off a parameter (`options.idleMs`) is a fixed period, not a given time.
      if (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) return;
      const d = bindingOf(n, n.text);
      if (d === undefined) return;
      if (params.includes(d)) found = true;
      else if (
        depth === 0 &&
        ts.isVariableDeclaration(d) &&
        d.initializer !== undefined &&
        functionOf(d) === fn
      )
        visit(d.initializer, 1);
    });
  };
  visit(delay, 0);
  return found;
}

/**
 * Whether a timer's callback hands an error on (`callback(new TimeoutError())`,
 * `done(this.timeoutError(ms))`): the timer fails the operation when it fires, a timeout restarted
 * on activity rather than a debounce.
 */
function passesError(cb: ts.Node | undefined): boolean {
  if (cb === undefined) return false;
  const c = unwrap(cb);
  if (!ts.isArrowFunction(c) && !ts.isFunctionExpression(c)) return false;
  let found = false;
  walk(c.body, (n) => {
    if (found || !ts.isCallExpression(n)) return;
    for (const a of n.arguments) {
      const u = unwrap(a);
      if (ts.isNewExpression(u) && /Error$/.test(chain(u.expression) ?? "")) found = true;
      if (ts.isCallExpression(u) && /error$/i.test(callee(u) ?? "")) found = true;
    }
  });
  return found;
}

/**
 * The class a debounce's method belongs to when the class exists for the timer: at most eight
 * members, the handle a field of it, and every method (two or more; the constructor aside) reading
 * the handle.
 */
function timerClass(fn: ts.Node, handle: string): ts.Node | undefined {
  const cls = fn.parent;
  if (cls === undefined || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls)))
    return undefined;
  if (!handle.startsWith("this.") || cls.members.length > 8) return undefined;
  const field = handle.slice("this.".length);
  if (field.includes(".")) return undefined;
  const methods = cls.members.filter(
    (m) => ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m),
  );
  const reads = (m: ts.ClassElement): boolean => {
    let hit = false;
    walk(m, (n) => {
      if (
        !hit &&
        ts.isPropertyAccessExpression(n) &&
        n.expression.kind === ts.SyntaxKind.ThisKeyword &&
        n.name.getText() === field
      )
        hit = true;
    });
    return hit;
  };
  return methods.length >= 2 && methods.every(reads) ? cls : undefined;
}

/**
 * The function a debounce clears its timer through (`cancel(); t = setTimeout(…)`, the helper's
 * own `clearTimeout(t)`), as the statement declaring it, when it sits within a screen of the arm.
 */
function clearingHelper(
  facts: FileFacts,
  sourceFile: ts.SourceFile,
  cleared: ts.CallExpression,
  call: ts.CallExpression,
): ts.Node[] {
  if (/(^|\.)clearTimeout$/.test(callee(cleared) ?? "")) return [];
  const name = (callee(cleared) ?? "").replace(/^this\./, "");
  const helper = facts.functions.find((f) => functionName(f) === name);
  if (helper === undefined) return [];
  const statement = ts.isVariableDeclaration(helper.parent) ? topStatement(helper.parent) : helper;
  const line = (pos: number): number => sourceFile.getLineAndCharacterOfPosition(pos).line;
  return Math.abs(line(statement.getStart(sourceFile)) - line(call.getStart(sourceFile))) <= 40
    ? [statement]
    : [];
}

/**
 * Rate limits by hand: a timer armed only when none is pending and emptied when it fires (calls in
 * between share the one run: a throttle), a timer cleared and re-armed on every call (a debounce),
 * or the clock compared with the time of the last run plus an interval before running again.
 * Replaced by `@perflayer/response` coalescing (`run(task, { key })`) with a concurrency bound.
 */
/** The slot an `if` tests for being empty: `!t`, `t === null`, `t == undefined`, `undefined === t`. */
function emptyTest(condition: ts.Expression): string | undefined {
  const cond = unwrap(condition);
  if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken)
    return chain(cond.operand);
  if (
    ts.isBinaryExpression(cond) &&
    (cond.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      cond.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)
  ) {
    if (isNullish(cond.right)) return chain(cond.left);
    if (isNullish(cond.left)) return chain(cond.right);
  }
  return undefined;
}

/** Whether a timer's delay is one the caller passes (`schedule(ms)`) or a point in time: it schedules. */
function delayFromCallerOf(
  fn: ts.Node,
  call: ts.CallExpression,
  sourceFile: ts.SourceFile,
): boolean {
  const delay = call.arguments[1];
  return (
    delay !== undefined &&
    isFunctionLike(fn) &&
    (fn.parameters.some((p) => p.name.getText() === unwrap(delay).getText(sourceFile)) ||
      schedulesAt(fn, delay))
  );
}

/** Whether an `if` sits in a branch of another whose test reads a slot that branch assigns. */
function startsBatch(inner: ts.Node, fn: ts.Node): boolean {
  for (let c = inner.parent; c !== fn; c = c.parent) {
    if (!ts.isIfStatement(c) || !inside(inner, c.thenStatement)) continue;
    const tested = new Set<string>();
    walk(c.expression, (n) => {
      const name = chain(n);
      if (name !== undefined) tested.add(name);
    });
    let sets = false;
    walk(c.thenStatement, (n) => {
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        tested.has(chain(n.left) ?? "")
      )
        sets = true;
    });
    if (sets) return true;
  }
  return false;
}

/**
 * A timer restarted instead of re-armed (`if (t === undefined) t = setTimeout(flush, ms); else
 * t.refresh()`, or armed before a loop that calls `t.refresh()` for every item): the nodes of the
 * debounce — the `if` holding both, or the arm and the statement of the function holding the loop.
 */
function refreshDebounce(
  facts: FileFacts,
  fn: ts.Node,
  armed: ts.Node,
  handle: string,
): ts.Node[] | undefined {
  if (ts.isSourceFile(fn)) return undefined;
  const refreshes = facts.calls.filter(
    (c) =>
      functionOf(c) === fn &&
      ts.isPropertyAccessExpression(c.expression) &&
      c.expression.name.text === "refresh" &&
      c.arguments.length === 0 &&
      timerSlot(c.expression.expression) === handle,
  );
  for (const r of refreshes) {
    // The two branches of one `if`: arm on one, restart on the other.
    for (let c: ts.Node = r.parent; c !== fn; c = c.parent) {
      if (!ts.isIfStatement(c) || c.elseStatement === undefined) continue;
      const inThen = (n: ts.Node): boolean => inside(n, c.thenStatement);
      const inElse = (n: ts.Node): boolean =>
        c.elseStatement !== undefined && inside(n, c.elseStatement);
      // Restarted on every call: the `if` is not behind a state test that its own branch sets
      // (`if (batch === undefined) { batch = …; …arm or refresh… }` restarts it once a batch: a
      // flush window).
      if ((inThen(r) && inElse(armed)) || (inElse(r) && inThen(armed)))
        return startsBatch(c, fn) ? undefined : [c];
    }
    // Armed before a loop that restarts it for every item.
    const loop = enclosing(r, (n) => isLoop(n) || n === fn);
    if (loop === undefined || loop === fn || inside(armed, loop) || armed.pos > loop.pos) continue;
    const body = isFunctionLike(fn) ? fn.body : undefined;
    if (body === undefined || !ts.isBlock(body)) continue;
    // The arm, the restart, and the clears of the same handle in this function: the loop's other
    // work (a batch's bytes, its timing) is not the debounce's.
    const clearsHere = facts.calls.filter(
      (c) =>
        functionOf(c) === fn &&
        /(^|\.)clearTimeout$/.test(callee(c) ?? "") &&
        c.arguments[0] !== undefined &&
        timerSlot(c.arguments[0]) === handle,
    );
    return [topStatement(armed), topStatement(r), ...clearsHere.map((c) => topStatement(c))].sort(
      (a, b) => a.pos - b.pos,
    );
  }
  return undefined;
}

export const throttleDetector: Detector = {
  id: "response/throttle",
  category: "response",
  kinds: ["debounce", "throttle"],
  prefilter: /setTimeout|now\(/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    const timerClasses = new Set<ts.Node>();
    // 1. Timers guarded by their own handle (or a scheduled flag), or cleared and re-armed.
    for (const call of facts.calls) {
      if (!TIMER.test(callee(call) ?? "")) continue;
      // `t = setTimeout(…).unref()`: the handle is what the chain gives back, the timer itself.
      let armed: ts.Node = call;
      while (
        ts.isPropertyAccessExpression(armed.parent) &&
        /^(unref|ref)$/.test(armed.parent.name.text) &&
        ts.isCallExpression(armed.parent.parent) &&
        armed.parent.parent.expression === armed.parent
      )
        armed = armed.parent.parent;
      const parent = armed.parent;
      // The handle's slot: a name or field, or one entry per key (`timers[key] = setTimeout(…)`,
      // `timers.set(key, setTimeout(…))`) — a debounce per key.
      const handle =
        ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
          ? timerSlot(parent.left)
          : ts.isCallExpression(parent) &&
              parent.arguments[1] === armed &&
              parent.arguments[0] !== undefined &&
              /\.set$/.test(callee(parent) ?? "")
            ? `${(callee(parent) ?? "").slice(0, -4)}.get(${parent.arguments[0].getText(sourceFile)})`
            : undefined;
      const fn = functionOf(call);
      const cb = call.arguments[0];
      // debounce by restart: armed once, then `t.refresh()` on every later call (the other branch
      // of the arm's `if`) or every item of a loop after the arm — the callback runs once a burst
      // goes quiet.
      // (A handle kept in a local of its own, `const idle = setTimeout(…)`, counts here too.)
      const kept =
        handle ??
        (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)
          ? parent.name.text
          : undefined);
      // (A heartbeat or keep-alive restarted after each message schedules a ping, a weak sign.)
      const restarted =
        kept === undefined ||
        /(heartbeat|ping|keepalive)/i.test(
          `${kept} ${call.arguments[1]?.getText(sourceFile) ?? ""}`,
        )
          ? undefined
          : refreshDebounce(facts, fn, armed, kept);
      if (
        restarted !== undefined &&
        !failsOnly(cb) &&
        !passesError(cb) &&
        !endsOperation(facts, call) &&
        !reschedulesItself(facts, fn, cb) &&
        !delayFromCallerOf(fn, call, sourceFile)
      ) {
        detections.push({
          kind: "debounce",
          confidence: 0.8,
          nodes: restarted,
          evidence: [
            `arms \`${kept ?? "the timer"}\` once and restarts it with \`refresh()\` on every later call`,
            "only the last call of a burst runs",
          ],
          ...(kept === undefined ? {} : { name: kept }),
        });
        continue;
      }
      // A ping, poll or refresh interval re-armed each time schedules work; it limits nothing.
      if (
        /(interval|heartbeat|ping|poll|refresh|keepalive)/i.test(
          call.arguments[1]?.getText(sourceFile) ?? "",
        )
      )
        continue;
      // debounce: `clearTimeout(t); t = setTimeout(…)` in one function, the handle outliving it.
      if (handle !== undefined) {
        const clears = (c: ts.CallExpression): boolean =>
          /(^|\.)clearTimeout$/.test(callee(c) ?? "") && timerSlot(c.arguments[0] ?? c) === handle;
        // Cleared here, or through a function of the file called here first (`this.#cancel();
        // this.#timer = setTimeout(…)`, the helper clearing the same slot): one level of helper.
        const cleared =
          facts.calls.find((c) => clears(c) && functionOf(c) === fn && c.pos < call.pos) ??
          facts.calls.find((c) => {
            // A statement of its own in the function (`this.cancel();`), not a `return stop()`.
            if (
              functionOf(c) !== fn ||
              c.pos >= call.pos ||
              c.arguments.length > 0 ||
              !ts.isExpressionStatement(c.parent) ||
              !isFunctionLike(fn) ||
              fn.body === undefined ||
              c.parent.parent !== fn.body
            )
              return false;
            const name = (callee(c) ?? "").replace(/^this\./, "");
            const body = facts.functions.find((f) => f !== fn && functionName(f) === name)?.body;
            return (
              body !== undefined &&
              facts.calls.some((k) => clears(k) && k.pos >= body.pos && k.end <= body.end)
            );
          });
        // A delay the caller passes in (`schedule(delayMs)`) reschedules work; a debounce waits a
        // fixed time after each call.
        const delay = call.arguments[1];
        const delayFromCaller =
          delay !== undefined &&
          isFunctionLike(fn) &&
          (fn.parameters.some((p) => p.name.getText() === unwrap(delay).getText(sourceFile)) ||
            schedulesAt(fn, delay));
        if (
          cleared !== undefined &&
          !delayFromCaller &&
          !reschedulesItself(facts, fn, cb) &&
          fn !== sourceFile &&
          !exitsBetween(fn, cleared, call) &&
          !isSettleCallback(fn)
        ) {
          let local = false;
          walk(fn, (n) => {
            if (ts.isVariableDeclaration(n) && n.name.getText() === handle) local = true;
          });
          // A timer re-armed on every call whose callback only fails the operation (a stalled
          // stream cancelled) is an inactivity timeout, not a deferred run of the work.
          // So is one whose callback hands over to a function of the file that closes or fails it
          // (`() => this.onIdle()`, `onIdle() { …; this.socket.destroy() }`): the timeout detector's.
          if (!local && !failsOnly(cb) && !passesError(cb) && !endsOperation(facts, call)) {
            // A small class whose every method works this one timer (a resettable timer) exists
            // for the debounce: one finding, the class.
            const owner = timerClass(fn, handle);
            if (owner !== undefined) {
              if (!timerClasses.has(owner)) {
                timerClasses.add(owner);
                detections.push({
                  kind: "debounce",
                  confidence: 0.8,
                  nodes: [owner],
                  evidence: [
                    `a class whose methods clear \`${handle}\` and arm it again`,
                    "only the last call of a burst runs",
                  ],
                  name: handle,
                });
              }
              continue;
            }
            detections.push({
              kind: "debounce",
              confidence: 0.8,
              nodes: [
                ...clearingHelper(facts, sourceFile, cleared, call),
                topStatement(cleared),
                topStatement(call),
              ].sort((a, b) => a.pos - b.pos),
              evidence: [
                `clears \`${handle}\` and arms it again on every call`,
                "only the last call of a burst runs",
              ],
              name: handle,
            });
            continue;
          }
        }
      }
      // throttle: `if (!t) { t = setTimeout(() => { run(); t = null }, ms) }` (or a scheduled flag).
      for (let c = call.parent; c !== undefined && c !== fn; c = c.parent) {
        if (!ts.isIfStatement(c)) continue;
        const guard = emptyTest(c.expression);
        if (
          guard === undefined ||
          cb === undefined ||
          !(ts.isArrowFunction(unwrap(cb)) || ts.isFunctionExpression(unwrap(cb)))
        )
          break;
        let resets = false;
        walk(cb, (n) => {
          if (
            ts.isBinaryExpression(n) &&
            n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            chain(n.left) === guard &&
            isNothing(n.right)
          )
            resets = true;
        });
        // The timer runs the work (`run(...latest)`), not only a note in a list (`log.push(mark)`).
        let works = false;
        walk(cb, (n) => {
          if (ts.isCallExpression(n) && !/\.(push|unshift|add|set)$/.test(callee(n) ?? ""))
            works = true;
        });
        if (
          !resets ||
          !works ||
          (guard !== handle && !/(schedul|pending|queued|timer|timeout|flush)/i.test(guard))
        )
          break;
        // A timer armed once whose firing fails the pending operation is a timeout armed only
        // while none runs (the timeout detector's), not calls sharing one scheduled run.
        if (timesOut(facts, call)) break;
        detections.push({
          kind: "throttle",
          confidence: 0.8,
          nodes: [c],
          evidence: [
            `a timer is armed only while \`${guard}\` is empty`,
            "calls in between share the one scheduled run",
          ],
          name: guard,
        });
        break;
      }
    }
    // 2. Time gates: `if (now >= this.lastRequest + interval) { … this.lastRequest = now }`.
    for (const b of facts.binaries) {
      const mark = timeGate(facts, b);
      if (mark === undefined) continue;
      let gate: ts.Node | undefined;
      let branch: ts.Node | undefined;
      for (let c = b.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
        if (ts.isIfStatement(c)) {
          gate = c;
          branch = c.thenStatement;
          break;
        }
        if (ts.isVariableDeclaration(c) || ts.isReturnStatement(c)) {
          gate = topStatement(c);
          branch = functionOf(c);
          break;
        }
      }
      if (gate === undefined || branch === undefined) continue;
      // `if (now - last < delay) return false;` gates the rest of the function.
      // (Also after a log line or two: `if (since < min) { log('too soon'); return }`.)
      const gatesRest =
        ts.isIfStatement(gate) &&
        (/^\{?\s*return\b(?!\s+new\b)/.test(gate.thenStatement.getText(sourceFile)) ||
          returnsAfterLogs(gate.thenStatement));
      // The gate is a throttle when it stamps its mark again as it lets the call through.
      const gateFn = functionOf(b);
      const reassigned = (facts.marks.get(mark) ?? []).some(
        (m) => m.pos >= b.end && functionOf(m) === gateFn,
      );
      const through = branch;
      const restampedInBranch = (facts.marks.get(mark) ?? []).some(
        (m) => m.pos >= through.pos && m.end <= through.end,
      );
      if (!gatesRest && !doesWork(branch, restampedInBranch)) continue;
      // A window restarted (counts reset, the clock stamped again) lets nothing through.
      if (!gatesRest && onlyStartsWindow(branch, gateFn, (n) => isClockish(facts, n))) continue;
      // Or the work it lets through stamps it (`if (last + 500 < Date.now()) update()`, `update`
      // setting `last = Date.now()`): one level of helper of the file.
      // (For a gate that returns early, the work is the rest of its function.)
      if (
        !reassigned &&
        !stampedByHelper(facts, gatesRest ? afterGate(gate, gateFn) : branch, mark, gateFn)
      )
        continue;
      // A kept value worked out again when its stored time is old: a cache's expiry.
      if (refillCheck(facts, b) !== undefined) continue;
      detections.push({
        kind: "throttle",
        confidence: 0.75,
        nodes: [
          ...new Set([
            gate,
            ...sinceLocals(b),
            ...(facts.marks.get(mark) ?? [])
              .filter((m) => m.pos >= b.end && functionOf(m) === gateFn)
              .map((m) => topStatement(m)),
          ]),
        ].sort((x, y) => x.pos - y.pos),
        evidence: [
          `runs only when the clock is past \`${mark.replace(/^\./, "")}\` plus an interval`,
          `\`${mark.replace(/^\./, "")}\` is stamped with the clock when it runs`,
        ],
        name: mark.replace(/^\./, ""),
      });
    }
    // 3. Next-allowed times: `if (now > this.nextSniff) { this.nextSniff = now + interval; sniff() }`.
    for (const b of facts.binaries) {
      const gate = nextAllowedGate(facts, b);
      if (gate === undefined) continue;
      if (detections.some((d) => d.nodes.some((n) => n.pos <= b.pos && b.end <= n.end))) continue;
      detections.push({
        kind: "throttle",
        confidence: 0.75,
        nodes: gate.nodes,
        evidence: [
          `runs only when the clock is past \`${gate.name}\``,
          `\`${gate.name}\` is set to the clock plus an interval when it runs`,
        ],
        name: gate.name,
      });
    }
    // 4. Work paced by hand: a wait between the turns of a loop, decided by its count.
    for (const d of pacedLoops(sourceFile))
      if (
        !detections.some((r) =>
          r.nodes.some((t) => d.nodes.some((n) => n.pos < t.end && t.pos < n.end)),
        )
      )
        detections.push(d);
    return detections;
  },
};

/** The reference of a stored time: a variable, a property or an element (`this[kNextSniff]`). */
function isStoredTime(facts: FileFacts, node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) &&
    !isClockish(facts, n)
  );
}

/** `target = clock + interval` (or `interval + clock`): the next time something may run. */
function stampsNextTime(facts: FileFacts, node: ts.Node, target: string): boolean {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
    return false;
  if (unwrap(node.left).getText() !== target) return false;
  const value = unwrap(node.right);
  return (
    ts.isBinaryExpression(value) &&
    value.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    (isClockish(facts, value.left) || isClockish(facts, value.right))
  );
}

/**
 * Whether a branch stores something besides its stamp from a call (`this.token = await fetch()`):
 * a kept value renewed when its time is up is a cache's expiry, not a rate limit.
 */
function refreshesValue(branch: ts.Node, stamp: ts.Node): boolean {
  let found = false;
  walk(branch, (n) => {
    if (
      !found &&
      n !== stamp &&
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      let call = false;
      walk(n.right, (c) => {
        if (ts.isCallExpression(c)) call = true;
      });
      if (call) found = true;
    }
  });
  return found;
}

/**
 * A gate on a next-allowed time: the clock compared with a stored time, and the let-through path
 * setting that time to the clock plus an interval as it does its work (in the `if`'s branch, or
 * after an `if` that returns early). A deadline set elsewhere and only compared is not one.
 */
function nextAllowedGate(
  facts: FileFacts,
  b: ts.BinaryExpression,
): { nodes: ts.Node[]; name: string } | undefined {
  if (!isOrdering(b.operatorToken.kind)) return undefined;
  const stored = isClockish(facts, b.left)
    ? b.right
    : isClockish(facts, b.right)
      ? b.left
      : undefined;
  if (stored === undefined || !isStoredTime(facts, stored)) return undefined;
  const target = unwrap(stored).getText();
  let gate: ts.IfStatement | undefined;
  for (let c: ts.Node | undefined = b.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
    if (ts.isIfStatement(c)) {
      if (b.pos >= c.expression.pos && b.end <= c.expression.end) gate = c;
      break;
    }
    if (!ts.isBinaryExpression(c) && !ts.isParenthesizedExpression(c)) break;
  }
  if (gate === undefined) return undefined;
  const stamps = (root: ts.Node): ts.Node | undefined => {
    let found: ts.Node | undefined;
    walk(root, (n) => {
      if (found === undefined && stampsNextTime(facts, n, target)) found = n;
    });
    return found;
  };
  const inBranch = stamps(gate.thenStatement);
  if (inBranch !== undefined)
    return doesWork(gate.thenStatement, true) && !refreshesValue(gate.thenStatement, inBranch)
      ? { nodes: [gate], name: target }
      : undefined;
  // `if (now < this.next) return; this.next = now + interval; …`: the rest of the function is let through.
  // …giving nothing back (a kept value handed back until a stored time is a cache's expiry).
  if (
    !/^\{?\s*return\s*(;|\}|$|(false|undefined|null|void 0)\b)/.test(gate.thenStatement.getText())
  )
    return undefined;
  const block = gate.parent;
  if (!ts.isBlock(block)) return undefined;
  const after = block.statements.slice(block.statements.indexOf(gate) + 1);
  for (const st of after) {
    const hit = stamps(st);
    if (hit !== undefined) return { nodes: [gate, topStatement(hit)], name: target };
  }
  return undefined;
}
