import { ts } from "ts-morph";
import {
  callee,
  chain,
  inside,
  isFunctionLike,
  isLoop,
  isSettleCallback,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, functionName, isNullish, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";
import { workerPools } from "./worker-pool.js";
import { countsHeldItems } from "./look-alikes.js";
import { chunkWaves } from "./chunk-waves.js";
import { promiseTurns } from "./promise-turn.js";

const COMPARE = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
]);
/** Positions and sizes move up and down too, but they are not running tasks — a weak signal. */
const NOT_RUNNING =
  /(offset|pos$|position|index|idx|cursor|length|len$|size|bytes|depth|level|remaining|left$|sequence|seq$)/i;

/** Flags of streams and lifecycles, not of a running task — a weak signal. */
const NOT_BUSY = /(pause|blocked|clos|destroy|ended|stopp|corked)/i;

/** Whether a name is the variable of the loop around a node (`for (let i = 0; i < n; i++)`). */
function loopVariable(node: ts.Node, name: string): boolean {
  for (let c = node.parent; c !== undefined && !isFunctionLike(c); c = c.parent)
    if (
      ts.isForStatement(c) &&
      c.initializer !== undefined &&
      ts.isVariableDeclarationList(c.initializer)
    )
      if (c.initializer.declarations.some((d) => d.name.getText() === name)) return true;
  return /^[a-z]$/.test(name);
}

/** Whether a change happens when work ends: in a callback, a `finally`, or another method than its counterpart. */
function onCompletion(change: ts.Node, others: readonly ts.Node[]): boolean {
  for (let c = change.parent; c !== undefined; c = c.parent) {
    if (ts.isTryStatement(c) && c.finallyBlock !== undefined && change.pos >= c.finallyBlock.pos)
      return true;
    if (
      (ts.isArrowFunction(c) || ts.isFunctionExpression(c)) &&
      c.parent !== undefined &&
      (ts.isCallExpression(c.parent) ||
        ts.isPropertyAssignment(c.parent) ||
        ts.isBinaryExpression(c.parent))
    )
      return true;
    if (isFunctionLike(c)) {
      const here = others.filter((o) => functionOf(o) === c);
      return here.length === 0 || awaitsBetween(c, here, change);
    }
  }
  return false;
}

/**
 * Whether the function awaits between a counterpart and the change (`n++; … await task(); … n--`):
 * the change happens when the awaited work has ended.
 */
function awaitsBetween(fn: ts.Node, others: readonly ts.Node[], change: ts.Node): boolean {
  const from = Math.min(...others.map((o) => o.end));
  let found = false;
  walk(fn, (n) => {
    if (
      !found &&
      (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier !== undefined)) &&
      n.pos >= from &&
      n.end <= change.pos &&
      functionOf(n) === fn
    )
      found = true;
  });
  return found;
}

/** What a running-count comparison counts: `this.pending`, `inflight`, `tasks.size`. */
function counted(node: ts.Node): { slot: string; kind: "number" | "set" | "array" } | undefined {
  let n = unwrap(node);
  // A check that takes a slot as it tests (`if (count++ < limit)`): the count is the operand.
  if (
    (ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) &&
    n.operator === ts.SyntaxKind.PlusPlusToken
  )
    n = unwrap(n.operand);
  if (ts.isPropertyAccessExpression(n) && n.name.text === "size") {
    const base = chain(n.expression);
    return base === undefined ? undefined : { slot: base, kind: "set" };
  }
  if (ts.isPropertyAccessExpression(n) && n.name.text === "length") {
    const base = chain(n.expression);
    return base === undefined ? undefined : { slot: base, kind: "array" };
  }
  const slot = chain(n);
  return slot === undefined ? undefined : { slot, kind: "number" };
}

/**
 * Whether a bound check on a collection leads to taking entries out of it: a lowering in the
 * check's own function (`if (map.size >= max) map.delete(oldest)`, or an early return before it),
 * or in a function of the file that the guarded branch calls, up to two calls deep
 * (`if (sockets.size > max) this.manageConnections()`): a capped store, not work in flight.
 */
function evictsAtBound(facts: FileFacts, check: ts.Node, downs: readonly ts.Node[]): boolean {
  const home = functionOf(check);
  if (downs.some((d) => functionOf(d) === home)) return true;
  let guarded: ts.Node | undefined;
  for (let c = check.parent; c !== undefined && c !== home; c = c.parent)
    if (ts.isIfStatement(c) && inside(check, c.expression)) {
      guarded = c.thenStatement;
      break;
    }
  if (guarded === undefined) return false;
  const lowering = new Set(downs.map((d) => functionOf(d)));
  const reaches = (root: ts.Node, depth: number): boolean => {
    let hit = false;
    walk(root, (n) => {
      if (hit || !ts.isCallExpression(n)) return;
      const leaf = (callee(n) ?? "").split(".").pop() ?? "";
      const fn = facts.functions.find((f) => functionName(f) === leaf);
      if (fn === undefined || fn === home) return;
      if (lowering.has(fn) || (depth > 0 && fn.body !== undefined && reaches(fn.body, depth - 1)))
        hit = true;
    });
    return hit;
  };
  return reaches(guarded, 1);
}

/** Whether an entry leaves after an await that follows its entry in the same function. */
function awaitedAfterEntry(down: ts.Node, ups: readonly ts.Node[]): boolean {
  const fn = functionOf(down);
  const here = ups.filter((u) => functionOf(u) === fn && u.end <= down.pos);
  return here.length > 0 && awaitsBetween(fn, here, down);
}

/**
 * Whether the function that takes an entry out of `slot` completes it: a value read from the same
 * collection (`const entry = slot.get(id)`, or the value a `slot.forEach` callback is handed) is
 * called, or has a method called, there — or in a function of the file that calls it by name
 * (`const req = pending.get(id); this.removePending(id); req.resolve(data)`).
 */
function completesTaken(facts: FileFacts, down: ts.Node, slot: string): boolean {
  const fn = functionOf(down);
  if (completesIn(fn, slot)) return true;
  const name = functionName(fn);
  if (name === undefined) return false;
  return facts.calls.some(
    (call) =>
      (callee(call) ?? "").split(".").pop() === name &&
      functionOf(call) !== fn &&
      completesIn(functionOf(call), slot),
  );
}

function completesIn(fn: ts.Node, slot: string): boolean {
  const taken = new Set<string>();
  // `inflight.get(id)`, also through a one-argument check around it (`nullthrows(inflight.get(id))`).
  const read = (init: ts.Node): boolean => {
    const n = unwrap(init);
    if (!ts.isCallExpression(n)) return false;
    if (callee(n) === `${slot}.get`) return true;
    const only = n.arguments.length === 1 ? n.arguments[0] : undefined;
    return (
      only !== undefined &&
      ts.isCallExpression(unwrap(only)) &&
      callee(unwrap(only)) === `${slot}.get`
    );
  };
  walk(fn, (n) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      read(n.initializer)
    )
      taken.add(n.name.text);
    if (ts.isCallExpression(n) && callee(n) === `${slot}.forEach`) {
      const handler = n.arguments[0];
      const value =
        handler !== undefined && isFunctionLike(handler) ? handler.parameters[0] : undefined;
      if (value !== undefined && ts.isIdentifier(value.name)) taken.add(value.name.text);
    }
  });
  if (taken.size === 0) return false;
  let completed = false;
  walk(fn, (n) => {
    if (completed || !ts.isCallExpression(n)) return;
    const head = (callee(n) ?? "").split(".")[0] ?? "";
    if (taken.has(head)) completed = true;
  });
  return completed;
}

/**
 * Whether an entry leaves a collection as a piece of work settles: in a `finally` block, or in a
 * function handed to `.then`/`.catch`/`.finally` (inline, or a local handed on by name).
 */
function settles(down: ts.Node): boolean {
  const SETTLE = /(^|\.)(then|catch|finally)$/;
  for (let c = down.parent; c !== undefined; c = c.parent) {
    if (ts.isTryStatement(c) && c.finallyBlock !== undefined && inside(down, c.finallyBlock))
      return true;
    if (!isFunctionLike(c)) continue;
    const parent = c.parent;
    if (parent !== undefined && ts.isCallExpression(parent) && SETTLE.test(callee(parent) ?? ""))
      return true;
    // A local function whose every call is in a settle callback (`task.then(() => remove(task))`):
    // its entries leave as the work settles, one call away.
    const own =
      ts.isFunctionDeclaration(c) && c.name !== undefined
        ? c.name.text
        : parent !== undefined && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)
          ? parent.name.text
          : undefined;
    if (own !== undefined && calledOnSettle(c, own)) return true;
    if (parent !== undefined && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
      const name = parent.name.text;
      let handed = false;
      walk(functionOf(parent), (n) => {
        if (
          !handed &&
          ts.isCallExpression(n) &&
          SETTLE.test(callee(n) ?? "") &&
          n.arguments.some((a) => ts.isIdentifier(a) && a.text === name)
        )
          handed = true;
      });
      return handed;
    }
    return false;
  }
  return false;
}

/**
 * Whether every call of the local function `fn` (by its binding: same-named functions elsewhere
 * are not it) sits in a function handed to `.then`/`.catch`/`.finally`, and there is one.
 */
function calledOnSettle(fn: ts.Node, name: string): boolean {
  const scope = functionOf(fn);
  let calls = 0;
  let all = true;
  walk(scope, (n) => {
    if (!all || !ts.isCallExpression(n)) return;
    const target = unwrap(n.expression);
    if (!ts.isIdentifier(target) || target.text !== name) return;
    const d = bindingOf(n, name);
    if (
      d !== fn &&
      !(
        d !== undefined &&
        ts.isVariableDeclaration(d) &&
        d.initializer !== undefined &&
        unwrap(d.initializer) === fn
      )
    )
      return;
    calls++;
    const around = functionOf(n);
    const holder = around.parent;
    if (!(
      isFunctionLike(around) &&
      holder !== undefined &&
      ts.isCallExpression(holder) &&
      /(^|\.)(then|catch|finally)$/.test(callee(holder) ?? "")
    ))
      all = false;
  });
  return calls > 0 && all;
}

/** Whether the limit side is a bound (a name or an expression), not a literal 0 or 1 (a count check). */
function isBound(node: ts.Node): boolean {
  const n = unwrap(node);
  if (ts.isNumericLiteral(n)) return Number(n.text) > 1;
  return !ts.isStringLiteralLike(n) && n.kind !== ts.SyntaxKind.NullKeyword;
}

/** Whether a bound is the size of a collection (`list.length`, `set.size`): a total, not a limit. */
function isTotal(node: ts.Node): boolean {
  const n = unwrap(node);
  return ts.isPropertyAccessExpression(n) && (n.name.text === "length" || n.name.text === "size");
}

/**
 * A limiter's statements when no class or function exists for it: those of the check's function
 * and those within a screen of the check — parts spread over a long class (a raise in one method,
 * a lower two hundred lines on) are not one range over everything between them.
 */
function near(parts: readonly ts.Node[]): ts.Node[] {
  const check = parts[0];
  const all = [...new Set(parts.map((p) => topStatement(p)))].sort((a, b) => a.pos - b.pos);
  if (check === undefined) return all;
  const sf = check.getSourceFile();
  const line = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  const first = all[0];
  const last = all[all.length - 1];
  if (first === undefined || last === undefined || line(last.end) - line(first.pos) <= 60)
    return all;
  const home = functionOf(check);
  const at = line(check.getStart(sf));
  return all.filter(
    (n) =>
      functionOf(n) === home ||
      Math.abs(line(n.getStart(sf)) - at) <= 30 ||
      (n.pos <= check.pos && n.end >= check.end),
  );
}

/** The class or top-level function that holds all of a limiter's parts, when it is small enough to be the construct. */
function container(nodes: readonly ts.Node[]): ts.Node | undefined {
  const first = nodes[0];
  if (first === undefined) return undefined;
  for (let c = first.parent; c !== undefined; c = c.parent) {
    if (!nodes.every((n) => n.pos >= c.pos && n.end <= c.end)) continue;
    if (ts.isClassDeclaration(c) || ts.isClassExpression(c)) {
      const sf = c.getSourceFile();
      const lines =
        sf.getLineAndCharacterOfPosition(c.end).line -
        sf.getLineAndCharacterOfPosition(c.getStart(sf)).line;
      // Fields are the limiter's state (the count, the queue, the results): the class's size is
      // its code members and its lines.
      const code = c.members.filter((m) => !ts.isPropertyDeclaration(m)).length;
      return code <= 14 && c.members.length <= 24 && lines <= 250 ? c : undefined;
    }
    // A small class that exists for the limiter (its members are few, and it is short: a plugin
    // whose one long method keeps a limiter among other things is not) is the construct.
    const owner = c.parent;
    if (
      isFunctionLike(c) &&
      owner !== undefined &&
      (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) &&
      owner.members.filter((m) => !ts.isPropertyDeclaration(m)).length <= 6 &&
      owner.members.length <= 24
    ) {
      const sf = owner.getSourceFile();
      const lines =
        sf.getLineAndCharacterOfPosition(owner.end).line -
        sf.getLineAndCharacterOfPosition(owner.getStart(sf)).line;
      if (lines <= 80) return owner;
    }
    if (isFunctionLike(c) && (ts.isSourceFile(functionOf(c)) || ts.isClassDeclaration(c.parent))) {
      const lines =
        c.getSourceFile().getLineAndCharacterOfPosition(c.end).line -
        c.getSourceFile().getLineAndCharacterOfPosition(c.getStart()).line;
      if (lines > 70) return undefined;
      return ts.isVariableDeclaration(c.parent) ? topStatement(c.parent) : c;
    }
    if (ts.isSourceFile(c)) return undefined;
  }
  return undefined;
}

/** A stored slot's text: a chain (`this.tail`), or a chain's element at a literal index (`entry[1]`). */
function slotText(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (ts.isElementAccessExpression(n)) {
    const base = chain(n.expression);
    const index = unwrap(n.argumentExpression);
    return base !== undefined && (ts.isNumericLiteral(index) || ts.isStringLiteral(index))
      ? `${base}[${index.text}]`
      : undefined;
  }
  return chain(n);
}

/**
 * Where a new tail `value` (assigned to `target` by `at`) reads the old one: back through
 * `.then`/`.catch`/`.finally` receivers, locals of the same function (their initializers, either
 * side of a `?:`), at least one promise step on the way. The node that reads the slot, or undefined.
 */
function tailRead(value: ts.Node, target: string, at: ts.Node): ts.Node | undefined {
  const fn = functionOf(at);
  let stepped = false;
  const visit = (node: ts.Node, depth: number): ts.Node | undefined => {
    const n = unwrap(node);
    if (depth > 6) return undefined;
    if (slotText(n) === target) return stepped ? topStatement(n) : undefined;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      /^(then|catch|finally)$/.test(n.expression.name.text)
    ) {
      stepped = true;
      return visit(n.expression.expression, depth + 1);
    }
    if (ts.isConditionalExpression(n))
      return visit(n.whenTrue, depth + 1) ?? visit(n.whenFalse, depth + 1);
    if (ts.isIdentifier(n)) {
      const d = bindingOf(n, n.text);
      if (
        d !== undefined &&
        ts.isVariableDeclaration(d) &&
        d.initializer !== undefined &&
        functionOf(d) === fn &&
        d.pos < at.pos
      )
        return visit(d.initializer, depth + 1);
    }
    return undefined;
  };
  const found = visit(value, 0);
  // `x = x.then(…)` reads the slot in its own statement.
  return found !== undefined && found.pos <= at.pos && at.end <= found.end ? at : found;
}

/**
 * The busy tests in an `if` condition, each operand of `&&`/`||`: `running` (busy), `!running`
 * (idle), `current === null` (idle) or `current !== null` (busy) — `nullable` when the slot is
 * compared with an empty value (it holds the task in progress, not a boolean).
 */
function busyTests(condition: ts.Expression): { flag: string; idle: boolean; nullable: boolean }[] {
  const out: { flag: string; idle: boolean; nullable: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    const n = unwrap(node);
    if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        n.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    ) {
      visit(n.left);
      visit(n.right);
      return;
    }
    if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken) {
      const flag = chain(unwrap(n.operand));
      if (flag !== undefined) out.push({ flag, idle: true, nullable: false });
      return;
    }
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      const equal =
        op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
      const unequal =
        op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsToken;
      if (!equal && !unequal) return;
      const flag = isNullish(n.right) ? chain(unwrap(n.left)) : undefined;
      if (flag !== undefined) out.push({ flag, idle: equal, nullable: true });
      return;
    }
    const flag = chain(n);
    if (flag !== undefined) out.push({ flag, idle: false, nullable: false });
  };
  visit(condition);
  return out;
}

/**
 * Whether a slot holds a task rather than a flag: assigned somewhere, never `true`/`false`, and
 * emptied with `null`/`undefined` somewhere.
 */
function holdsTask(facts: FileFacts, slot: string): boolean {
  let emptiedOut = false;
  for (const m of facts.binaries) {
    if (m.operatorToken.kind !== ts.SyntaxKind.EqualsToken || chain(m.left) !== slot) continue;
    const v = unwrap(m.right);
    if (v.kind === ts.SyntaxKind.TrueKeyword || v.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (isNullish(v)) emptiedOut = true;
  }
  return emptiedOut;
}

/**
 * Whether the value a slot holds is called as a function somewhere in the file (`this.reply(err)`,
 * or `const reply = this.reply; … reply(null, frame)`): it holds the waiting caller's
 * continuation, answered when the one request in flight ends — not an active object that work is
 * handed to (`this.command.execute(packet)`, a protocol's state).
 */
function continuationCalled(facts: FileFacts, slot: string): boolean {
  return facts.calls.some((c) => {
    const target = unwrap(c.expression);
    if (chain(target) === slot) return true;
    if (!ts.isIdentifier(target)) return false;
    const d = bindingOf(target, target.text);
    return (
      d !== undefined &&
      ts.isVariableDeclaration(d) &&
      d.initializer !== undefined &&
      chain(unwrap(d.initializer)) === slot
    );
  });
}

/** Whether an assigned value marks a slot busy: `true`, or (for a slot compared with `null`) any value that is not empty. */
function holdsWork(value: ts.Node, nullable: boolean): boolean {
  const v = unwrap(value);
  if (!nullable) return v.kind === ts.SyntaxKind.TrueKeyword;
  return !isNullish(v) && v.kind !== ts.SyntaxKind.FalseKeyword;
}

/** Whether an assigned value marks a slot idle: `false`, or `null`/`undefined` for a slot compared with them. */
function isIdle(value: ts.Node, nullable: boolean): boolean {
  const v = unwrap(value);
  return nullable ? isNullish(v) : v.kind === ts.SyntaxKind.FalseKeyword;
}

/**
 * Whether a function, after raising its flag, keeps working in a loop of its own that awaits
 * something other than a pause (`while (this.subscribed) { await this.read() }`): a service loop.
 */
function servesInLoop(fn: ts.Node, raised: ts.Node): boolean {
  let found = false;
  walk(fn, (n) => {
    if (found || !isLoop(n) || n.pos < raised.end || functionOf(n) !== fn) return;
    // A loop that runs while a queue holds items and takes them off it drains the queue: one item
    // in flight at a time, the flag up until it runs dry (a serial queue, not a service).
    if (drains(n)) return;
    walk(n.statement, (a) => {
      if (found || !ts.isAwaitExpression(a) || functionOf(a) !== fn) return;
      const e = unwrap(a.expression);
      let pause = false;
      walk(e, (t) => {
        if (
          ts.isCallExpression(t) &&
          /(^|\.)(setTimeout|sleep\w*|delay|wait)$/i.test(callee(t) ?? "")
        )
          pause = true;
      });
      if (!pause) found = true;
    });
  });
  return found;
}

/**
 * Whether a loop runs while a queue has items (`while (queue.length > 0)`, `while (q.length)`) and
 * takes them off it in its body (`queue.shift()`, `queue.splice(0, n)`).
 */
function drains(loop: ts.IterationStatement): boolean {
  if (!ts.isWhileStatement(loop)) return false;
  let c = unwrap(loop.expression);
  if (
    ts.isBinaryExpression(c) &&
    (c.operatorToken.kind === ts.SyntaxKind.GreaterThanToken ||
      c.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken) &&
    ts.isNumericLiteral(unwrap(c.right)) &&
    unwrap(c.right).getText() === "0"
  )
    c = unwrap(c.left);
  if (!ts.isPropertyAccessExpression(c) || !/^(length|size)$/.test(c.name.text)) return false;
  const queue = chain(c.expression);
  if (queue === undefined) return false;
  // A loop over work its function seeds itself (`this.actions = [{ … }]` before it) is that
  // function's own program, not a queue of callers' work.
  const fn = functionOf(loop);
  let seeded = false;
  walk(fn, (n) => {
    if (
      !seeded &&
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      n.end <= loop.pos &&
      chain(unwrap(n.left)) === queue &&
      ts.isArrayLiteralExpression(unwrap(n.right)) &&
      (unwrap(n.right) as ts.ArrayLiteralExpression).elements.length > 0
    )
      seeded = true;
  });
  if (seeded) return false;
  let takes = false;
  walk(loop.statement, (n) => {
    if (
      !takes &&
      ts.isCallExpression(n) &&
      /^(shift|splice|pop)$/.test(callee(n)?.slice(queue.length + 1) ?? "") &&
      callee(n)?.startsWith(`${queue}.`) === true
    )
      takes = true;
  });
  return takes;
}

/** Whether an `if`'s branch only turns the call away: `return`, `return false`, a log then `return`. */
function turnsAway(branch: ts.Statement): boolean {
  const statements = ts.isBlock(branch) ? [...branch.statements] : [branch];
  const last = statements.pop();
  if (last === undefined || !ts.isReturnStatement(last)) return false;
  const value = last.expression === undefined ? undefined : unwrap(last.expression);
  if (
    value !== undefined &&
    !isNullish(value) &&
    value.kind !== ts.SyntaxKind.FalseKeyword &&
    value.kind !== ts.SyntaxKind.TrueKeyword
  )
    return false;
  return statements.length <= 3 && statements.every((x) => ts.isExpressionStatement(x));
}

/** The flag a condition tests for busy, alone: `this.busy`, `busy === true`, `current !== null`. */
function flagTest(condition: ts.Expression): { flag: string; nullable: boolean } | undefined {
  const c = unwrap(condition);
  if (
    ts.isBinaryExpression(c) &&
    (c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken) &&
    unwrap(c.right).kind === ts.SyntaxKind.TrueKeyword
  ) {
    const flag = chain(unwrap(c.left));
    return flag === undefined ? undefined : { flag, nullable: false };
  }
  const tests = busyTests(condition);
  const only = tests[0];
  if (tests.length !== 1 || only === undefined || only.idle) return undefined;
  if (ts.isCallExpression(c)) return undefined;
  return { flag: only.flag, nullable: only.nullable };
}

/** Array methods that call their callback at once, once per element. */
const SYNC_ITERATION = /\.(forEach|map|reduce|reduceRight|filter|some|every|flatMap)$/;

/** Whether a `p = p.then(…)` chain lives within one call: a local of the function, or built in a loop. */
function chainWithinCall(assignment: ts.Node, target: string): boolean {
  const fn = functionOf(assignment);
  for (let c = assignment.parent; c !== undefined && c !== fn; c = c.parent)
    if (isLoop(c)) return true;
  // A chain started afresh earlier in the same function (`tail = work.then(a); tail = tail.then(b)`)
  // is built within this call, not carried over from the call before.
  let fresh = false;
  walk(fn, (n) => {
    if (
      !fresh &&
      n !== assignment &&
      n.pos < assignment.pos &&
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      chain(n.left) === target &&
      functionOf(n) === fn &&
      !n.right.getText().includes(target)
    )
      fresh = true;
  });
  if (fresh) return true;
  if (target.includes(".")) {
    // A field of an object this call makes (`const cmd = new Command(…); cmd.promise =
    // cmd.promise.catch(…)`) is chained within the call.
    const root = target.split(".")[0];
    let made = false;
    walk(fn, (n) => {
      if (
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        n.name.text === root &&
        functionOf(n) === fn &&
        n.initializer !== undefined &&
        ts.isNewExpression(unwrap(n.initializer))
      )
        made = true;
    });
    return made;
  }
  // A local of an enclosing function threaded through the steps of a synchronous iteration
  // (`hooks.forEach((h) => { p = p.then(() => h()) })`) is built within that function's call.
  const binding = bindingOf(assignment, target);
  if (binding !== undefined && !ts.isSourceFile(functionOf(binding))) {
    let inner: ts.Node = fn;
    const home = functionOf(binding);
    while (inner !== home && !ts.isSourceFile(inner)) {
      const call = inner.parent;
      if (
        call === undefined ||
        !ts.isCallExpression(call) ||
        !SYNC_ITERATION.test(callee(call) ?? "")
      )
        break;
      inner = functionOf(inner);
    }
    if (inner === home) return true;
  }
  let local = false;
  walk(fn, (n) => {
    if (
      (ts.isVariableDeclaration(n) || ts.isParameter(n)) &&
      ts.isIdentifier(n.name) &&
      n.name.text === target
    )
      local = true;
  });
  return local;
}

/**
 * Concurrency limits by hand: a count of running tasks (a number, or a set of pending promises)
 * raised when work starts, lowered when it ends and compared with a bound before starting more —
 * or a serial queue: a busy flag (or a promise chain) with a queue that is shifted when the running
 * task ends. A countdown, a reference count or a cap on a total is not a limiter. Replaced by
 * `new ResponseOptimizer({ concurrency }).run(task)`.
 */
export const concurrencyDetector: Detector = {
  id: "response/concurrency",
  category: "response",
  kinds: ["concurrency-limit"],
  // (Or a busy flag tested alone before an early return: `if (this.busy) return`.)
  prefilter:
    /<|>=|> 0|\.then\(|\.shift\(|Array\.from|Promise\.all|if \([\w$#.]+(?: === true)?\) *\{?\s*(?:[^{}\n]*\n\s*)?return\b/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    const done = new Set<string>();
    const report = (
      key: string,
      parts: ts.Node[],
      evidence: string[],
      own?: ts.Node,
      name = key,
    ): void => {
      if (done.has(key)) return;
      done.add(key);
      const whole = own ?? container(parts);
      detections.push({
        kind: "concurrency-limit",
        confidence: 0.85,
        nodes: whole !== undefined ? [whole] : near(parts),
        evidence,
        name,
      });
    };
    // Where each count goes up and down, gathered once per file: `n++`, `n -= 1`, `set.add(…)`.
    type Moves = Map<string, { ups: ts.Node[]; downs: ts.Node[] }>;
    let moves: { numbers: Moves; sets: Moves; arrays: Moves } | undefined;
    const changes = (): { numbers: Moves; sets: Moves; arrays: Moves } => {
      if (moves !== undefined) return moves;
      const numbers: Moves = new Map();
      const sets: Moves = new Map();
      const add = (map: Moves, slot: string | undefined, up: boolean, node: ts.Node): void => {
        if (slot === undefined) return;
        let entry = map.get(slot);
        if (entry === undefined) map.set(slot, (entry = { ups: [], downs: [] }));
        (up ? entry.ups : entry.downs).push(node);
      };
      for (const u of facts.updates)
        add(numbers, chain(u.operand), u.operator === ts.SyntaxKind.PlusPlusToken, u);
      for (const x of facts.binaries) {
        if (x.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken)
          add(numbers, chain(x.left), true, x);
        if (x.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken)
          add(numbers, chain(x.left), false, x);
      }
      const arrays: Moves = new Map();
      for (const call of facts.calls) {
        const name = callee(call) ?? "";
        // A keyed map of work in flight (`inflight.set(id, request)` … `inflight.delete(id)`).
        if (name.endsWith(".add") || name.endsWith(".set"))
          add(sets, name.slice(0, -4), true, call);
        if (name.endsWith(".delete")) add(sets, name.slice(0, -7), false, call);
        const method = /\.(push|unshift|splice|shift|pop)$/.exec(name);
        if (method !== null)
          add(
            arrays,
            name.slice(0, method.index),
            method[1] === "push" || method[1] === "unshift",
            call,
          );
      }
      return (moves = { numbers, sets, arrays });
    };
    // 1. A running count compared with a bound, raised and lowered around the work.
    for (const b of facts.binaries) {
      if (!COMPARE.has(b.operatorToken.kind)) continue;
      const [side, bound] = [b.left, b.right];
      const c = counted(side);
      if (c === undefined) continue;
      if (c.kind === "number" && NOT_RUNNING.test(c.slot.split(".").pop() ?? "")) continue;
      if (c.kind === "number" && loopVariable(b, c.slot)) continue;
      // A bound, or zero for a semaphore's permits (then a queue of waiters must be there).
      const permits = !isBound(bound);
      // Zero as a bound is a semaphore's permits only for a number; a set emptied is bookkeeping.
      if (permits && c.kind !== "number") continue;
      // A count compared with `===` to the size of a collection is a countdown to "all done"; a
      // set compared with another collection's size is a subset test. Neither bounds work.
      if (
        isTotal(bound) &&
        (c.kind !== "number" || b.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken)
      )
        continue;
      // A floor (`workers.size < minThreads`) keeps enough of something; it limits nothing.
      if (/^min(?![a-z])|^minimum/.test(chain(unwrap(bound))?.split(".").pop() ?? "")) continue;
      const moved = changes()[
        c.kind === "number" ? "numbers" : c.kind === "set" ? "sets" : "arrays"
      ].get(c.slot) ?? {
        ups: [],
        downs: [],
      };
      // A bare name is one variable: the raises and lowers of same-named locals of other
      // functions (`at`, `set`, `pointer` in a scanner) are not this count's.
      const binding = c.slot.includes(".") ? undefined : bindingOf(b, c.slot);
      const key = binding === undefined ? c.slot : `${c.slot}@${String(binding.pos)}`;
      if (done.has(key)) continue;
      const same = (n: ts.Node): boolean =>
        binding === undefined || bindingOf(n, c.slot) === binding;
      const ups = moved.ups.filter(same);
      const downs = moved.downs.filter(same);
      if (ups.length === 0 || downs.length === 0) continue;
      // A count of collected items (raised as one is pushed, lowered as one is taken) caps a buffer.
      if (c.kind === "number" && countsHeldItems(ups, downs)) continue;
      // A collection bounded by evicting from it where the bound is reached is a capped store
      // (`if (map.size >= max) map.delete(oldest)`), not work in flight.
      // (An entry that leaves after the work it marks was awaited is work ending, not an eviction.)
      if (
        c.kind !== "number" &&
        evictsAtBound(facts, b, downs) &&
        !downs.some((d) => functionOf(d) === functionOf(b) && awaitedAfterEntry(d, ups))
      )
        continue;
      // An array is work in flight only when its entries leave as they settle (a `.then`/`.finally`
      // callback, a `finally` block): a buffer emptied by a flush holds data, not running tasks.
      if (c.kind === "array" && !downs.some(settles)) continue;
      // A keyed map holds work in flight only when its entries leave as the work settles, after an
      // await that follows their entry in the same function, or where the entry taken out is
      // completed (`const e = inflight.get(id); inflight.delete(id); e.done(reply)`): one trimmed
      // by a size check elsewhere (an LRU's `size > max`, a registry's cap) holds data.
      if (
        c.kind === "set" &&
        !downs.some(
          (d) => settles(d) || awaitedAfterEntry(d, ups) || completesTaken(facts, d, c.slot),
        )
      )
        continue;
      let queued = false;
      const owner = functionOf(b).parent;
      if (permits) {
        if (owner !== undefined && (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)))
          walkKinds(owner, [ts.SyntaxKind.CallExpression], (n) => {
            if (ts.isCallExpression(n) && /(^|\.)(shift|pop)$/.test(callee(n) ?? "")) queued = true;
          });
        if (!queued) continue;
      }
      // A semaphore class: one method takes a permit (or queues the waiter), another gives it back.
      const semaphore =
        queued &&
        ups.some((u) => functionOf(u).parent === owner) &&
        downs.some((d) => functionOf(d).parent === owner) &&
        ups.every((u) => downs.every((d) => functionOf(u) !== functionOf(d)));
      if (
        !semaphore &&
        !downs.some((d) => onCompletion(d, ups)) &&
        !ups.some((u) => onCompletion(u, downs))
      )
        continue;
      // Work is started after the check or queued when the bound is reached.
      report(
        key,
        [b, ...ups, ...downs],
        permits
          ? [
              `\`${c.slot}\` counts free permits (taken ${downs.length}×, given back ${ups.length}×)`,
              "callers wait in a queue while none is free",
            ]
          : [
              `\`${c.slot}\` counts running tasks (raised ${ups.length}×, lowered ${downs.length}×)`,
              `compared with the bound \`${bound.getText(sourceFile).replace(/\s+/g, " ").slice(0, 40)}\``,
            ],
        undefined,
        c.slot,
      );
    }
    // 2. A serial queue: `if (this.running) { queue.push(task); return }` … `queue.shift()` … `running = false`
    // — or a slot that holds the task in progress (`if (current === null && !queue.length) run()`
    // else `queue.push(task)`; `current = null` when the queue runs dry).
    for (const fn of facts.functions) {
      const body = fn.body;
      if (body === undefined || !ts.isBlock(body)) continue;
      walkKinds(body, [ts.SyntaxKind.IfStatement], (n) => {
        if (!ts.isIfStatement(n)) return;
        // A slot tested by truthiness (`if (!this.reply)`) that is never given a boolean but is
        // emptied with `null`/`undefined` holds the task in progress, like one compared with `null`.
        const tests = busyTests(n.expression).map((t) =>
          t.nullable || !holdsTask(facts, t.flag) || !continuationCalled(facts, t.flag)
            ? t
            : { ...t, nullable: true },
        );
        // A condition that is the flag alone (`if (!this.running)`) is the queue's own test; a flag
        // among other terms, or compared with `null`, counts only in the full shape: the task is
        // queued after the test, and a separate step function takes the next and frees the slot.
        const whole = unwrap(n.expression);
        const plain =
          tests.length === 1 &&
          tests[0]?.nullable === false &&
          !(
            ts.isBinaryExpression(whole) &&
            (whole.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
              whole.operatorToken.kind === ts.SyntaxKind.BarBarToken)
          );
        for (const test of tests) {
          const { flag, idle } = test;
          if (flag === "this" || done.has(flag) || NOT_BUSY.test(flag)) continue;
          let pushes: ts.Node | undefined;
          walkKinds(idle ? body : n.thenStatement, [ts.SyntaxKind.CallExpression], (m) => {
            if (
              pushes === undefined &&
              ts.isCallExpression(m) &&
              /(^|\.)push$/.test(callee(m) ?? "") &&
              (plain || !idle || m.pos >= n.expression.end)
            )
              pushes = m;
          });
          if (pushes === undefined) continue;
          const queue = chain((pushes as ts.CallExpression).expression)?.replace(/\.push$/, "");
          let raised: ts.Node | undefined;
          let lowered: ts.Node | undefined;
          const shifts = facts.calls.filter((m) => callee(m) === `${queue ?? ""}.shift`);
          for (const m of facts.binaries)
            if (m.operatorToken.kind === ts.SyntaxKind.EqualsToken && chain(m.left) === flag) {
              if (holdsWork(m.right, test.nullable)) raised ??= m;
              // The lowering where the next is taken (the end of a run), before any other.
              if (
                isIdle(m.right, test.nullable) &&
                (lowered === undefined ||
                  (!shifts.some((x) => functionOf(x) === functionOf(lowered as ts.Node)) &&
                    shifts.some((x) => functionOf(x) === functionOf(m))))
              )
                lowered = m;
            }
          // The end of a run: the function that takes the next, or a settle callback inside it
          // (`run(next).finally(() => { busy = false; step() })`).
          const runOf = (x: ts.Node): ts.Node => {
            let f = functionOf(x);
            while (isFunctionLike(f) && isSettleCallback(f)) f = functionOf(f);
            return f;
          };
          const shifted =
            shifts.find((m) => lowered !== undefined && functionOf(m) === runOf(lowered)) ??
            shifts[0];
          if (raised === undefined || lowered === undefined || shifted === undefined) continue;
          // The run path raises the flag it checked, or the end of a run lowers it and takes the
          // next: a flag set by a `dispose()` and cleared by a constructor is a lifecycle state.
          if (functionOf(raised) !== fn && runOf(lowered) !== functionOf(shifted)) continue;
          if (!plain && (runOf(lowered) !== functionOf(shifted) || functionOf(shifted) === fn))
            continue;
          report(
            flag,
            [n, raised, shifted, lowered],
            [
              test.nullable
                ? `\`${flag}\` holds the task in progress: one runs at a time`
                : `busy flag \`${flag}\` lets one task run at a time`,
              `others wait in \`${queue ?? "a queue"}\` and are shifted when it ends`,
            ],
          );
          return;
        }
      });
    }
    // 2b. A busy flag that turns overlapping calls away: `if (this.busy) return; this.busy = true;
    // run(() => { this.busy = false })` — one call in flight, the others dropped. The flag goes
    // down when the work ends (a callback, a `finally`, after an `await`), not in the same turn
    // (a re-entrancy guard around synchronous code limits nothing).
    // Plain assignments by their target, gathered once when a flag test asks.
    let byTarget: Map<string, ts.BinaryExpression[]> | undefined;
    const assignmentsTo = (): Map<string, ts.BinaryExpression[]> => {
      if (byTarget !== undefined) return byTarget;
      byTarget = new Map();
      for (const m of facts.binaries) {
        if (m.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
        const target = chain(m.left);
        if (target === undefined) continue;
        const list = byTarget.get(target);
        if (list === undefined) byTarget.set(target, [m]);
        else list.push(m);
      }
      return byTarget;
    };
    for (const fn of facts.functions) {
      const body = fn.body;
      if (body === undefined || !ts.isBlock(body)) continue;
      for (const st of body.statements.slice(0, 4)) {
        if (!ts.isIfStatement(st) || st.elseStatement !== undefined || !turnsAway(st.thenStatement))
          continue;
        const test = flagTest(st.expression);
        if (test === undefined) continue;
        const { flag, nullable } = test;
        if (flag === "this" || done.has(flag) || NOT_BUSY.test(flag)) continue;
        const all = assignmentsTo().get(flag) ?? [];
        const assigned = all.filter((m) => m.pos >= st.end && inside(m, fn));
        const raised = assigned.find(
          (m) => functionOf(m) === fn && holdsWork(m.right, nullable) && m.parent.parent === body,
        );
        if (raised === undefined) continue;
        // A flag another function lowers (`stop()` setting `running = false`) is a lifecycle
        // state, not a call in flight.
        if (all.some((m) => isIdle(m.right, nullable) && !inside(m, fn))) continue;
        // Lowered as the work ends: in a function the work calls back (a `.then`, a timer, a
        // microtask), or after an `await` of the work in this one.
        const lowered = assigned.filter(
          (m) =>
            m.pos > raised.end &&
            isIdle(m.right, nullable) &&
            (functionOf(m) !== fn || awaitsBetween(fn, [raised], m)),
        );
        if (lowered.length === 0) continue;
        // A tick of a periodic task skipped while the last one runs is scheduling, and a flag held
        // over a loop that keeps working (`while (subscribed) await read()`) marks a service as
        // running: neither limits calls in flight.
        const owner = fn.parent;
        if (
          ts.isCallExpression(owner) &&
          owner.arguments.includes(fn as ts.Expression) &&
          /(^|\.)setInterval$/.test(callee(owner) ?? "")
        )
          continue;
        if (servesInLoop(fn, raised)) continue;
        const holder = ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn;
        const last = lowered[lowered.length - 1] as ts.Node;
        const small =
          sourceFile.getLineAndCharacterOfPosition(holder.end).line -
            sourceFile.getLineAndCharacterOfPosition(holder.getStart(sourceFile)).line <
          40;
        let drained = false;
        walk(fn, (x) => {
          if (!drained && isLoop(x) && x.pos > raised.end && drains(x)) drained = true;
        });
        report(
          flag,
          [st, raised, last],
          [
            `busy flag \`${flag}\` turns calls away while one is in flight`,
            drained
              ? "the one in flight drains the queue an item at a time, then lowers it"
              : "lowered when the work ends",
          ],
          small ? holder : undefined,
        );
        break;
      }
    }
    // 3. A promise chain that serialises work: `this.queue = this.queue.then(() => …)`, also through
    // locals (`const prev = parent.tail; const run = prev.then(work); parent.tail = run.catch(…)`)
    // and a tuple's element (`entry[1] = entry[1].then(op)`): the stored tail is chained onto and
    // the result stored back as the new tail.
    for (const b of facts.binaries) {
      if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const target = slotText(b.left);
      const right = unwrap(b.right);
      if (target === undefined || (!ts.isCallExpression(right) && !ts.isIdentifier(right)))
        continue;
      const read = tailRead(right, target, b);
      if (read === undefined) continue;
      // A chain built inside one call (a local, or a loop threading results through steps) is a
      // pipeline; a serial queue's chain outlives the call and orders calls made at any time.
      if (chainWithinCall(b, target)) continue;
      report(target, read === b ? [b] : [read, b], [
        `\`${target}\` is a promise chain: each task runs after the previous one`,
      ]);
    }
    // 4. A promise mutex: `const previous = this.lock; this.lock = new Promise((r) => (release = r));
    // await previous; … finally release()` — each call waits for the one before it.
    for (const b of facts.binaries) {
      if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const target = chain(b.left);
      const right = unwrap(b.right);
      if (
        target === undefined ||
        !target.includes(".") ||
        done.has(target) ||
        !ts.isNewExpression(right) ||
        chain(right.expression) !== "Promise"
      )
        continue;
      const fn = functionOf(b);
      let previous: string | undefined;
      let saved: ts.Node | undefined;
      walk(fn, (n) => {
        if (
          previous === undefined &&
          ts.isVariableDeclaration(n) &&
          n.pos < b.pos &&
          n.initializer !== undefined &&
          chain(unwrap(n.initializer)) === target &&
          ts.isIdentifier(n.name)
        ) {
          previous = n.name.text;
          saved = n;
        }
      });
      if (previous === undefined || saved === undefined) continue;
      let awaited: ts.Node | undefined;
      walk(fn, (n) => {
        if (
          awaited === undefined &&
          ts.isAwaitExpression(n) &&
          n.pos > b.pos &&
          ts.isIdentifier(unwrap(n.expression)) &&
          (unwrap(n.expression) as ts.Identifier).text === previous
        )
          awaited = n;
      });
      if (awaited === undefined) continue;
      report(
        target,
        [saved, b, awaited],
        [
          `\`${target}\` holds the promise of the call in progress`,
          "each call awaits the previous one before it runs: one at a time",
        ],
        // The method that takes its turn is the construct, not the class around it.
        ts.isSourceFile(fn) ? undefined : fn,
      );
    }
    // 5. Worker pools: `limit` workers started at once, each taking the next item when one ends.
    for (const d of workerPools(facts, sourceFile))
      if (!detections.some((o) => o.nodes.some((n) => d.nodes.includes(n)))) detections.push(d);
    // 4b. Calls taking turns through a stored promise: wait for the slot's run, store one's own.
    for (const d of promiseTurns(facts))
      if (
        !done.has(d.name ?? "") &&
        !detections.some((o) =>
          o.nodes.some((n) => d.nodes.some((m) => m.pos < n.end && n.pos < m.end)),
        )
      )
        detections.push(d);
    // 6. Work run in bounded waves: each turn of a loop starts a chunk at once and awaits it whole.
    for (const d of chunkWaves(facts))
      if (
        !detections.some((o) =>
          o.nodes.some((n) => d.nodes.some((m) => m.pos < n.end && n.pos < m.end)),
        )
      )
        detections.push(d);
    return detections;
  },
};
