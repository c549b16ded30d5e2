import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, topStatement, walk } from "../ast.js";
import { functionName, isClockRead, isNullish, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";

/** `clearTimeout(h)`, `clearInterval(h)`, `this.clearTimeoutFn(h)`. */
const CLEAR = /(^|\.)(clearTimeout|clearInterval|clearTimeoutFn)$/;

/** The names an expression reads (identifiers and `this.x` chains). */
function reads(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n)) {
      const c = chain(n);
      if (c !== undefined) names.add(c);
    }
    // (not the member name of `a.b`: `b` is read through `a`)
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n))
      names.add(n.text);
    n.forEachChild(visit);
  };
  visit(node);
  return names;
}

function within(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

/** Whether a statement only clears the handle: `clearTimeout(h)`, `h = undefined`, `if (h) { … }` of those. */
function clearsOnly(statement: ts.Node, handle: string): boolean {
  if (ts.isIfStatement(statement))
    return (
      statement.elseStatement === undefined &&
      reads(statement.expression).has(handle) &&
      (ts.isBlock(statement.thenStatement)
        ? statement.thenStatement.statements.length > 0 &&
          statement.thenStatement.statements.every((s) => clearsOnly(s, handle))
        : clearsOnly(statement.thenStatement, handle))
    );
  if (!ts.isExpressionStatement(statement)) return false;
  const e = unwrap(statement.expression);
  if (ts.isCallExpression(e))
    return (
      CLEAR.test(callee(e) ?? "") &&
      e.arguments[0] !== undefined &&
      chain(unwrap(e.arguments[0])) === handle
    );
  return (
    ts.isBinaryExpression(e) &&
    e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    chain(e.left) === handle &&
    isNullish(e.right)
  );
}

/** Whether a statement is the handle's own upkeep: `timer.unref()`, `timer.ref()`. */
function upkeep(statement: ts.Node, handle: string): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const e = unwrap(statement.expression);
  return (
    ts.isCallExpression(e) && (callee(e) === `${handle}.unref` || callee(e) === `${handle}.ref`)
  );
}

/** A function's body statements, when it is a named function or method with a block body. */
function bodyOf(fn: ts.Node): readonly ts.Statement[] | undefined {
  if (!isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return undefined;
  return fn.body.statements;
}

/**
 * The whole of a named function or method (its variable statement for `const f = () => …`), when
 * it is a declaration of its own: not a callback handed to a call.
 */
function declared(fn: ts.Node): ts.Node | undefined {
  if (functionName(fn) === undefined) return undefined;
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) return fn;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parent !== undefined) {
    if (ts.isVariableDeclaration(fn.parent)) return topStatement(fn.parent);
    if (ts.isPropertyDeclaration(fn.parent)) return fn.parent;
  }
  return undefined;
}

/**
 * Whether a statement calls a function of the file that only clears the handle
 * (`this.clearCancelTimer();` with `clearCancelTimer() { if (this.t) { clearTimeout(this.t); … } }`).
 */
function callsClearer(facts: FileFacts, statement: ts.Node, handle: string): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const e = unwrap(statement.expression);
  if (!ts.isCallExpression(e) || e.arguments.length > 0) return false;
  const name = (callee(e) ?? "").replace(/^this\./, "");
  if (name === "" || name.includes(".")) return false;
  const target = facts.functions.find((f) => functionName(f) === name);
  const body = target === undefined ? undefined : bodyOf(target);
  return body !== undefined && body.length > 0 && body.every((s) => clearsOnly(s, handle));
}

/**
 * A timer's construct past its arm, in the function that arms it: the locals its delay is worked
 * out in (`const timeout = this.config.cancelTimeout`), used nowhere else; the `if` that arms it
 * only when there is a delay (`if (timeout > 0) { … }`), holding nothing but the timer's parts;
 * and, when every statement of a named function or method is one of those parts (or a call of a
 * function of the file that only clears the same handle), the function itself — it exists for the
 * timer (`createCancelTimer() { this.clearCancelTimer(); const t = …; if (t > 0) this.timer =
 * setTimeout(…) }`), from its declaration to its closing brace.
 * @param facts - the file's facts
 * @param fn - the function that arms the timer
 * @param call - the arm
 * @param parts - the timer's statements found so far (the arm, its local callback, its clears)
 * @param handle - where the handle is kept, when it is
 * @returns the widened statements (or the function alone)
 */
export function timerConstruct(
  facts: FileFacts,
  fn: ts.Node,
  call: ts.CallExpression,
  parts: readonly ts.Node[],
  handle: string | undefined,
): ts.Node[] {
  const statements = bodyOf(fn);
  if (statements === undefined) return [...parts];
  const arm = topStatement(call);
  const mine = new Set<ts.Node>(parts);
  // The delay's locals: declared in this function, read only by the arm (or by an `if` around it).
  const delay = call.arguments.slice(1);
  const delayNames = new Set<string>();
  for (const d of delay) for (const name of reads(d)) delayNames.add(name);
  // The statements above the arm in its block that only work the delay out or answer for it: no
  // delay, no timer (`if (!timeout) return;`), the delay shortened (`timeout = timeout - elapsed`),
  // already past so the timer's own work runs at once (`if (timeout <= 0) { fire(); return; }`).
  const fires = firedBy(call);
  const guards: ts.Node[] = [];
  const block = arm.parent;
  if (block !== undefined && ts.isBlock(block) && block.parent === fn) {
    const index = block.statements.indexOf(arm as ts.Statement);
    for (let i = index - 1; i >= 0; i--) {
      const s = block.statements[i] as ts.Statement;
      if (ts.isVariableStatement(s)) continue;
      if (!delayGuard(s, delayNames, fires)) break;
      guards.push(s);
      // (what a delay is worked out from is the delay's: `timeout = timeout - elapsed`)
      if (ts.isExpressionStatement(s)) for (const name of reads(s)) delayNames.add(name);
    }
  }
  const locals: ts.Node[] = [];
  // Twice: a local the delay's local is worked out from (`const request = …; const timeout =
  // request.timeout ?? fallback`) is the delay's too.
  for (let round = 0; round < 2; round++)
    walk(fn, (n) => {
      if (
        !ts.isVariableDeclaration(n) ||
        !ts.isIdentifier(n.name) ||
        !delayNames.has(n.name.text) ||
        n.initializer === undefined
      )
        return;
      const statement = topStatement(n);
      if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1)
        return;
      const name = n.name.text;
      if (locals.includes(statement)) return;
      let elsewhere = false;
      walk(fn, (r) => {
        if (elsewhere || !ts.isIdentifier(r) || r.text !== name || within(r, statement)) return;
        if (within(r, arm) || locals.some((l) => within(r, l)) || guards.some((g) => within(r, g)))
          return;
        // Read by the condition of an `if` that holds the arm.
        for (let c = r.parent; c !== undefined && c !== fn; c = c.parent)
          if (ts.isIfStatement(c) && within(r, c.expression) && within(arm, c)) return;
        elsewhere = true;
      });
      if (elsewhere) return;
      locals.push(statement);
      for (const read of reads(n.initializer)) delayNames.add(read);
    });
  for (const l of locals) mine.add(l);
  for (const g of guards) mine.add(g);
  const names = new Set([...delayNames, ...(handle === undefined ? [] : [handle])]);
  const timerOnly = (s: ts.Node): boolean =>
    mine.has(s) ||
    (handle !== undefined && (clearsOnly(s, handle) || callsClearer(facts, s, handle))) ||
    // `timer.unref()`: the handle's own upkeep.
    (handle !== undefined && upkeep(s, handle));
  // The `if` arming it only when there is a delay: its condition reads the delay, its branch holds
  // the timer's parts alone.
  let top: ts.Node = arm;
  for (let c = arm.parent; c !== undefined && c !== fn; c = c.parent) {
    if (ts.isBlock(c)) continue;
    if (!ts.isIfStatement(c)) break;
    // `if (timeout <= 0) fire(); else arm`: the branch that runs the timer's work at once is the
    // timer's too.
    if (c.elseStatement !== undefined) {
      const armed = within(top, c.elseStatement) ? c.elseStatement : c.thenStatement;
      const other = armed === c.elseStatement ? c.thenStatement : c.elseStatement;
      const armedBranch = ts.isBlock(armed) ? armed.statements : [armed];
      if (
        ![...reads(c.expression)].some((n) => names.has(n)) ||
        !armedBranch.every((s) => s === top || timerOnly(s)) ||
        !firesNow(other, fires)
      )
        break;
      for (const s of armedBranch) mine.delete(s);
      mine.delete(top);
      top = c;
      mine.add(c);
      continue;
    }
    const branch = ts.isBlock(c.thenStatement) ? c.thenStatement.statements : [c.thenStatement];
    const condition = reads(c.expression);
    if (
      ![...condition].some((n) => names.has(n)) ||
      !branch.every((s) => s === top || timerOnly(s))
    )
      break;
    for (const s of branch) mine.delete(s);
    mine.delete(top);
    top = c;
    mine.add(c);
  }
  const whole = declared(fn);
  if (whole !== undefined && statements.length > 0 && statements.every((s) => timerOnly(s)))
    return [whole];
  return [...mine].sort((a, b) => a.pos - b.pos);
}

/**
 * What a timer's firing calls: the function handed to it (`setTimeout(internals.timeoutReply, …)`)
 * or the calls its callback makes (`setTimeout(() => { this.cancel(…) }, t)`).
 */
function firedBy(call: ts.CallExpression): Set<string> {
  const names = new Set<string>();
  const callback = call.arguments[0] === undefined ? undefined : unwrap(call.arguments[0]);
  if (callback === undefined) return names;
  if (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))
    walk(callback.body, (n) => {
      if (ts.isCallExpression(n)) {
        const name = callee(n);
        if (name !== undefined) names.add(name);
      }
    });
  else {
    const name = chain(callback);
    if (name !== undefined) names.add(name);
  }
  return names;
}

/** Whether a branch only does the timer's work at once: calls of what the firing calls, a `return`. */
function firesNow(branch: ts.Statement, fires: ReadonlySet<string>): boolean {
  const statements = ts.isBlock(branch) ? branch.statements : [branch];
  let calls = 0;
  const every = statements.every((s) => {
    if (ts.isReturnStatement(s)) return s.expression === undefined;
    if (!ts.isExpressionStatement(s)) return false;
    const e = unwrap(s.expression);
    if (!ts.isCallExpression(e) || !fires.has(callee(e) ?? "")) return false;
    calls++;
    return true;
  });
  return every && calls > 0;
}

/**
 * Whether a statement above an arm only serves its delay: `if (!delay) return;`, `if (delay <= 0) {
 * fire(); return; }`, or `delay = delay - elapsed` (a delay worked out from itself).
 */
function delayGuard(
  statement: ts.Statement,
  delayNames: ReadonlySet<string>,
  fires: ReadonlySet<string>,
): boolean {
  if (ts.isIfStatement(statement)) {
    if (statement.elseStatement !== undefined) return false;
    if (![...reads(statement.expression)].some((n) => delayNames.has(n))) return false;
    const branch = ts.isBlock(statement.thenStatement)
      ? statement.thenStatement.statements
      : [statement.thenStatement];
    const last = branch[branch.length - 1];
    if (last === undefined || !ts.isReturnStatement(last) || last.expression !== undefined)
      return false;
    return branch.length === 1 || firesNow(statement.thenStatement, fires);
  }
  if (!ts.isExpressionStatement(statement)) return false;
  const e = unwrap(statement.expression);
  return (
    ts.isBinaryExpression(e) &&
    e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(e.left) &&
    delayNames.has(e.left.text) &&
    reads(e.right).has(e.left.text)
  );
}

/**
 * A clear of a timer's handle in another function, widened to that function when it exists only
 * to clear it (`clearRequestTimer() { if (this.t) { clearTimeout(this.t); this.t = undefined } }`).
 * @param site - the clearing statements
 * @param handle - where the handle is kept
 * @returns the function, or the site unchanged
 */
export function clearerConstruct(site: readonly ts.Node[], handle: string): ts.Node[] {
  const first = site[0];
  if (first === undefined) return [...site];
  const block = first.parent;
  const fn = block?.parent;
  if (block === undefined || fn === undefined || !ts.isBlock(block) || !isFunctionLike(fn))
    return [...site];
  const whole = declared(fn);
  return whole !== undefined &&
    block.statements.length > 0 &&
    block.statements.every((s) => clearsOnly(s, handle))
    ? [whole]
    : [...site];
}

/** Whether a statement assigns to a holder anywhere in it (`h = …`, `h += …`, `h++`). */
function assigns(statement: ts.Node, holder: string): boolean {
  let found = false;
  walk(statement, (n) => {
    if (found) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      chain(n.left) === holder
    )
      found = true;
    if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      chain(n.operand) === holder
    )
      found = true;
  });
  return found;
}

/** Statements of a block that may stand between an end mark and the delta reading it. */
const END_MARK_GAP = 2;

/**
 * The statement that takes a delta's end mark into a field or another holder, when it stands just
 * above the statement of the delta in the same block (`this.lastAck = Date.now(); this.missed = 0;
 * this.ping = this.lastAck - this.lastSend`, `timings.end = Date.now(); … timings.end -
 * timings.start`): the end of the measurement, one mechanism with the delta. A local's end mark is
 * `laterMark`'s (a `const` read once); a holder reassigned between the two, or a mark further up,
 * stays apart.
 * @param facts - the file's facts
 * @param delta - the subtraction
 * @returns the end mark's statement, or undefined
 */
export function endMarkBeside(facts: FileFacts, delta: ts.Node): ts.Node | undefined {
  if (!ts.isBinaryExpression(delta) || delta.operatorToken.kind !== ts.SyntaxKind.MinusToken)
    return undefined;
  const left = unwrap(delta.left);
  const holder = ts.isPropertyAccessExpression(left) ? chain(left) : undefined;
  if (holder === undefined) return undefined;
  // The delta's statement and the block it sits in, climbing through the `if`s holding it.
  let statement: ts.Node = topStatement(delta);
  for (let round = 0; round < 3; round++) {
    const block = statement.parent;
    if (block === undefined || !ts.isBlock(block)) return undefined;
    const index = block.statements.indexOf(statement as ts.Statement);
    for (let i = index - 1; i >= 0 && i >= index - 1 - END_MARK_GAP; i--) {
      const s = block.statements[i] as ts.Statement;
      const e = ts.isExpressionStatement(s) ? unwrap(s.expression) : undefined;
      if (
        e !== undefined &&
        ts.isBinaryExpression(e) &&
        e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        chain(e.left) === holder
      )
        return isClockRead(facts, unwrap(e.right)) ? s : undefined;
      // The holder written by anything else in between: not one reading.
      if (assigns(s, holder)) return undefined;
    }
    // Up one level: the `if` around the delta's statement, in the block above.
    const around = block.parent;
    if (around === undefined || !ts.isIfStatement(around)) return undefined;
    statement = around;
  }
  return undefined;
}

/** Whether a statement only answers early: `if (…) return;`, `if (…) { return 0 }` (a literal or nothing). */
function earlyAnswer(statement: ts.Statement): boolean {
  if (!ts.isIfStatement(statement) || statement.elseStatement !== undefined) return false;
  const branch = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements
    : [statement.thenStatement];
  const only = branch[0];
  if (branch.length !== 1 || only === undefined || !ts.isReturnStatement(only)) return false;
  const value = only.expression === undefined ? undefined : unwrap(only.expression);
  return (
    value === undefined ||
    isNullish(value) ||
    ts.isNumericLiteral(value) ||
    (ts.isPrefixUnaryExpression(value) && ts.isNumericLiteral(value.operand))
  );
}

/**
 * An accessor that exists for an elapsed time: a getter (`get uptime() { return this.readyAt &&
 * Date.now() - this.readyAt }`), or the `get` of a property descriptor (`elapsedTime: { get () { if
 * (this[kStart] === undefined) return 0; return (this[kEnd] || now()) - this[kStart] } }`), whose
 * body is the `return` of the delta, after at most two early answers. The accessor (the descriptor
 * with it) is the construct — the small helper doing only the timing.
 * @param fn - the function holding the delta
 * @param deltas - the timer's delta nodes
 * @returns the accessor's span, or undefined
 */
export function timingAccessor(fn: ts.Node, deltas: readonly ts.Node[]): ts.Node | undefined {
  let span: ts.Node | undefined;
  if (ts.isGetAccessorDeclaration(fn)) span = fn;
  else if (
    ts.isMethodDeclaration(fn) &&
    ts.isIdentifier(fn.name) &&
    fn.name.text === "get" &&
    ts.isObjectLiteralExpression(fn.parent) &&
    ts.isPropertyAssignment(fn.parent.parent) &&
    fn.parent.properties.every(
      (p) => p === fn || !ts.isMethodDeclaration(p) || p.name.getText() === "set",
    )
  )
    span = fn.parent.parent;
  const statements = bodyOf(fn);
  if (span === undefined || statements === undefined || statements.length === 0) return undefined;
  if (statements.length > 3) return undefined;
  const last = statements[statements.length - 1] as ts.Statement;
  if (
    !ts.isReturnStatement(last) ||
    !deltas.some((d) => d.pos >= last.pos && d.end <= last.end) ||
    !statements.slice(0, -1).every(earlyAnswer)
  )
    return undefined;
  return span;
}
