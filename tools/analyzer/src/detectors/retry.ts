import { ts } from "ts-morph";
import {
  callee,
  chain,
  isFunctionLike,
  isLoop,
  isRejectionCallback,
  lineCount,
  LOOP_KINDS,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, functionName, isOrdering, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";
import { reconnectRetries } from "./retry-reconnect.js";
import { isDelay, reentryRetries } from "./retry-reentry.js";

/** Names of attempt counters and delays — what a backoff formula grows from. */
const ATTEMPT = /(attempt|retr|times|tries|failures)/i;
/** The attempt number itself, by its own name (not `retryThrottler.tokens` or `lifetimeSeconds`). */
const ATTEMPT_NUMBER =
  /^(attempts?|attemptNumber|attemptCount|retries|retryCount|retryNumber|retryAttempts?|tries|numTries|failures|failureCount)$/i;
/** Waits: `sleep`, `delay`, `wait`, `setTimeout` (and the promise form), `Atomics.wait`. */
const WAIT =
  /(^|\.)(sleep\w*|delay|wait|pause|backoff|setTimeout|setDriftlessTimeout|setTimeoutFn)$/i;

/** Whether a helper node is a function (a declaration, a method, or `const f = () => …`), not a counter's declaration. */
function holdsFunction(node: ts.Node): boolean {
  if (isFunctionLike(node)) return true;
  if (!ts.isVariableStatement(node)) return false;
  return node.declarationList.declarations.some(
    (d) =>
      d.initializer !== undefined &&
      (ts.isArrowFunction(unwrap(d.initializer)) || ts.isFunctionExpression(unwrap(d.initializer))),
  );
}

/**
 * Whether two nodes are too far apart for one range: more than a screen between them (40 lines),
 * or more than 80 lines from the start of the first to the end of the second.
 */
function apart(sourceFile: ts.SourceFile, a: ts.Node, b: ts.Node): boolean {
  const [first, second] = a.pos < b.pos ? [a, b] : [b, a];
  const line = (pos: number): number => sourceFile.getLineAndCharacterOfPosition(pos).line;
  const start = line(second.getStart(sourceFile));
  return start - line(first.end) > 40 || line(second.end) - line(first.getStart(sourceFile)) > 80;
}

/** Whether `root` waits before going on: a sleep, a timer promise, a blocking wait. */
function waits(root: ts.Node): boolean {
  let found = false;
  walk(root, (n) => {
    if (!found && ts.isCallExpression(n) && WAIT.test(callee(n) ?? "") && !deferOnly(n))
      found = true;
  });
  return found;
}

/**
 * Whether a loop body waits between attempts: a wait that is not itself the attempt — not inside
 * the `try` block whose failures the loop catches (`try { await this.wait() } catch {}` waits for
 * the next item, it does not pause before trying again).
 */
function waitsBetween(body: ts.Node): boolean {
  let found = false;
  // `try { if (attempt > 0) await sleep(ms); return await op() }`: a wait in the attempt's `try`
  // decided by the loop's own counter is the pause before a later attempt, not the attempt.
  const counter = isLoop(body.parent) ? boundedCounter(body.parent) : undefined;
  walk(body, (n) => {
    if (found || !ts.isCallExpression(n) || deferOnly(n)) return;
    // A wait by name, or (for a pause the counter decides) a local function that arms a timer.
    const named = WAIT.test(callee(n) ?? "");
    if (!named && (counter === undefined || !isDelay(n))) return;
    let byCounter = false;
    for (let c = n.parent; c !== undefined && c !== body; c = c.parent) {
      if (
        counter !== undefined &&
        ts.isIfStatement(c) &&
        !(c.expression.pos <= n.pos && n.end <= c.expression.end)
      )
        walk(c.expression, (r) => {
          if (ts.isIdentifier(r) && r.text === counter) byCounter = true;
        });
      if (
        ts.isBlock(c) &&
        c.parent !== undefined &&
        ts.isTryStatement(c.parent) &&
        c.parent.tryBlock === c &&
        c.parent.catchClause !== undefined &&
        !byCounter
      )
        return;
    }
    if (named || byCounter) found = true;
  });
  return found;
}

/**
 * The function of the file that a loop's own `catch` calls and that waits (a sleep or a timer of
 * its own), when the `catch` does not leave the loop: the loop tries again after that wait.
 */
function catchWaiter(
  facts: FileFacts,
  loop: ts.IterationStatement,
): ts.FunctionLikeDeclaration | undefined {
  let found: ts.FunctionLikeDeclaration | undefined;
  walk(loop.statement, (n) => {
    if (found !== undefined || !ts.isCatchClause(n) || functionOf(n) !== functionOf(loop)) return;
    for (let c: ts.Node = n.parent; c !== loop; c = c.parent) if (isLoop(c)) return;
    const last = n.block.statements[n.block.statements.length - 1];
    if (last === undefined || ts.isReturnStatement(last) || ts.isBreakStatement(last)) return;
    walk(n.block, (m) => {
      if (found !== undefined || !ts.isCallExpression(m)) return;
      const name = (callee(m) ?? "").replace(/^this\./, "");
      const fn = facts.functions.find(
        (f) => functionName(f) === name && !(f.pos <= loop.pos && loop.end <= f.end),
      );
      if (fn?.body !== undefined && waits(fn.body)) found = fn;
    });
  });
  return found;
}

/**
 * Whether an `if` condition holds on a failure: it names an error (`err`, `error.code === …`), and
 * is not the success test `!err` / `err == null`.
 */
function checksFailure(condition: ts.Expression): boolean {
  const c = unwrap(condition);
  if (!/\b(err|error)\b/.test(c.getText())) return false;
  if (
    ts.isPrefixUnaryExpression(c) &&
    c.operator === ts.SyntaxKind.ExclamationToken &&
    /^(err|error)$/.test(chain(unwrap(c.operand))?.split(".").pop() ?? "")
  )
    return false;
  if (
    ts.isBinaryExpression(c) &&
    (c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken ||
      c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken) &&
    [c.left, c.right].some(
      (side) =>
        unwrap(side).kind === ts.SyntaxKind.NullKeyword ||
        (ts.isIdentifier(unwrap(side)) && (unwrap(side) as ts.Identifier).text === "undefined"),
    )
  )
    return false;
  return true;
}

/** `setTimeout(fn, 0)` or `setTimeout(fn, 1)`: defers to a later turn, waits for nothing. */
function deferOnly(call: ts.CallExpression): boolean {
  const delay = call.arguments[1];
  return (
    /setTimeout/.test(callee(call) ?? "") &&
    delay !== undefined &&
    ts.isNumericLiteral(unwrap(delay)) &&
    Number((unwrap(delay) as ts.NumericLiteral).text) <= 1
  );
}

/** Calls that only report or stop: logging, `process.exit`. */
const REPORTS = /^(console\.\w+|process\.exit)$|\.(log|debug|info|warn|error)$/;

/**
 * Whether a timer's callback only reports or ends the process (`setTimeout(() => {
 * console.error(…); process.exit(1) }, 100)`): a deferred exit, not another attempt.
 */
function onlyReports(callback: ts.Node | undefined): boolean {
  if (callback === undefined) return false;
  const fn = unwrap(callback);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  let calls = 0;
  let other = false;
  walk(fn.body, (n) => {
    if (!ts.isCallExpression(n)) return;
    calls++;
    if (!REPORTS.test(callee(n) ?? "")) other = true;
  });
  return calls > 0 && !other;
}

function nameOfStatement(statement: ts.Node): string {
  return ts.isVariableStatement(statement)
    ? (statement.declarationList.declarations[0]?.name.getText() ?? "a helper")
    : "a helper";
}

/** The receivers that stand for `this` in a function: `this`, and `self` in `const self = this`. */
function thisNames(fn: ts.Node): Set<string> {
  const names = new Set(["this"]);
  walk(fn, (n) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      unwrap(n.initializer).kind === ts.SyntaxKind.ThisKeyword
    )
      names.add(n.name.text);
  });
  return names;
}

/**
 * The function around a failure path that the path calls again, when that function waits before
 * the attempt (a timer or a sleep of its own): the retry is the function itself.
 */
function waitingAncestor(body: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let f = functionOf(body); !ts.isSourceFile(f); f = functionOf(f)) {
    if (!isFunctionLike(f)) continue;
    const name = functionName(f);
    if (name === undefined || f.body === undefined) continue;
    const receivers = thisNames(f);
    let calls = false;
    walk(body, (n) => {
      if (calls || !ts.isCallExpression(n)) return;
      const parts = (callee(n) ?? "").split(".");
      const leaf = parts.pop();
      if (
        leaf === name &&
        (parts.length === 0 || (parts.length === 1 && receivers.has(parts[0] ?? "")))
      )
        calls = true;
    });
    // It waits on a timer or a sleep (`stream.pause()` waits for nothing).
    let timed = false;
    walk(f.body, (n) => {
      if (
        !timed &&
        ts.isCallExpression(n) &&
        /(^|\.)(sleep\w*|delay|wait|setTimeout|setDriftlessTimeout|setTimeoutFn)$/i.test(
          callee(n) ?? "",
        )
      )
        timed = true;
    });
    if (calls && timed) return f;
  }
  return undefined;
}

/**
 * A function of the file that a node calls and that waits (one level of helper: `scheduleRetry()`
 * arming the timer), as the statement that declares it.
 */
function waitingHelper(facts: FileFacts, root: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  walk(root, (n) => {
    if (found !== undefined || !ts.isCallExpression(n)) return;
    const name = (callee(n) ?? "").replace(/^this\./, "");
    // Not the function the node is in (a recursive call is the retry itself, not a helper).
    const helper = facts.functions.find(
      (f) => functionName(f) === name && !(f.pos <= root.pos && root.end <= f.end),
    );
    if (helper?.body !== undefined && waits(helper.body))
      found = ts.isVariableDeclaration(helper.parent) ? topStatement(helper.parent) : helper;
  });
  return found;
}

/**
 * Whether a loop body goes round again after a failure: a `catch` that neither rethrows nor leaves
 * the loop (or waits itself), or an error-first callback check.
 */
function retriesOnFailure(root: ts.Node): boolean {
  let found = false;
  walk(root, (n) => {
    if (found) return;
    if (ts.isCatchClause(n)) {
      const last = n.block.statements[n.block.statements.length - 1];
      const leaves =
        last !== undefined &&
        (ts.isThrowStatement(last) || ts.isReturnStatement(last) || ts.isBreakStatement(last));
      if (!leaves || waits(n.block)) found = true;
    }
    if (ts.isCallExpression(n) && /(^|\.)catch$/.test(callee(n) ?? "")) found = true;
  });
  return found;
}

/**
 * The local function a failure handler names (`const onError = (err) => { … }; p.catch(onError)`,
 * or a function declaration of the enclosing scope), with the statement that declares it.
 */
function handlerOf(node: ts.Node): { body: ts.Node; statement: ts.Node } | undefined {
  const n = unwrap(node);
  if (!ts.isIdentifier(n)) return undefined;
  const d = bindingOf(n, n.text);
  if (d === undefined) return undefined;
  if (ts.isFunctionDeclaration(d) && d.body !== undefined) return { body: d.body, statement: d };
  if (ts.isVariableDeclaration(d) && d.initializer !== undefined) {
    const init = unwrap(d.initializer);
    if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && init.body !== undefined)
      return { body: init.body, statement: topStatement(d) };
  }
  return undefined;
}

/** The last name of a chain: `context.attempt` → `attempt`. */
function leafName(node: ts.Node): string {
  return chain(unwrap(node))?.split(".").pop() ?? "";
}

/** Whether an operand is the attempt number, or arithmetic on it: `attempt`, `(ctx.attempt - 1)`. */
function byAttempt(node: ts.Node): boolean {
  const n = unwrap(node);
  if (ATTEMPT.test(chain(n) ?? "")) return true;
  if (!ts.isBinaryExpression(n)) return false;
  const op = n.operatorToken.kind;
  return (
    (op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.PlusToken) &&
    (ATTEMPT_NUMBER.test(leafName(n.left)) || ATTEMPT_NUMBER.test(leafName(n.right)))
  );
}

/** `x = x * f` or `x = Math.min(x * f, cap)`: the stored value times a factor, written back. */
function multipliesItself(assignment: ts.BinaryExpression): boolean {
  const target = unwrap(assignment.left).getText();
  let found = false;
  walk(assignment.right, (n) => {
    if (
      !found &&
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.AsteriskToken &&
      (unwrap(n.left).getText() === target || unwrap(n.right).getText() === target)
    )
      found = true;
  });
  return found;
}

/** Whether an expression reads an attempt count (`attempt`, `(previousAttempt - 1)`). */
function mentionsAttempt(root: ts.Node): boolean {
  let found = false;
  walk(root, (n) => {
    if (ts.isIdentifier(n) && ATTEMPT.test(n.text)) found = true;
  });
  return found;
}

/** Growth of a delay: `2 ** n`, `Math.pow(b, n)`, `delay *= f`, `delay * attempt`. */
function grows(root: ts.Node): string | undefined {
  const found: string[] = [];
  walkKinds(root, [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.CallExpression], (n) => {
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      // `2 ** 31 - 1` is a constant; growth needs a varying exponent.
      const varies = !ts.isNumericLiteral(unwrap(n.right));
      if (op === ts.SyntaxKind.AsteriskAsteriskToken && varies) found.push("exponential (`**`)");
      // `1 << attempt`, `BASE_MS << (attempt - 1)`: a power of two (a base shifted by a count
      // that is not the attempt is bit packing).
      if (
        op === ts.SyntaxKind.LessThanLessThanToken &&
        varies &&
        (ts.isNumericLiteral(unwrap(n.left)) || mentionsAttempt(n.right))
      )
        found.push("exponential (`<<`)");
      // `this.nextDelay = Math.min(this.nextDelay * multiplier, max)`: a stored delay multiplied
      // for the next time, as `*=` does.
      if (op === ts.SyntaxKind.EqualsToken && multipliesItself(n))
        found.push(`multiplied (\`${n.left.getText().slice(0, 40)} *= …\`)`);
      if (op === ts.SyntaxKind.AsteriskEqualsToken)
        found.push(`multiplied (\`${n.getText().slice(0, 30)}\`)`);
      if (op === ts.SyntaxKind.AsteriskToken && (byAttempt(n.left) || byAttempt(n.right)))
        found.push(`grows with the attempt (\`${n.getText().slice(0, 30)}\`)`);
    }
    if (
      ts.isCallExpression(n) &&
      callee(n) === "Math.pow" &&
      n.arguments[1] !== undefined &&
      !ts.isNumericLiteral(unwrap(n.arguments[1]))
    )
      found.push("exponential (`Math.pow`)");
  });
  // Exponential growth is the strongest evidence, then a multiplied delay, then a product with the attempt.
  return (
    found.find((f) => f.startsWith("exponential")) ??
    found.find((f) => f.startsWith("multiplied")) ??
    found[0]
  );
}

/** Whether a node is the number one (`1`). */
function isOne(node: ts.Node): boolean {
  const n = unwrap(node);
  return ts.isNumericLiteral(n) && Number(n.text) === 1;
}

/**
 * Whether a value is a count the file raises by one — `n++`, `++this.attempts`, `n += 1`, `n = n +
 * 1` on the same binding (or the same member chain) — or such a count moved by a number (`n + 1`):
 * the attempt number by what the code does with it, whatever it is called.
 */
function raisedCount(facts: FileFacts, node: ts.Node): boolean {
  let n = unwrap(node);
  // `strategy(++this.attempts)`: raised where it is handed on.
  if (
    (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
    n.operator === ts.SyntaxKind.PlusPlusToken
  )
    return true;
  if (
    ts.isBinaryExpression(n) &&
    (n.operatorToken.kind === ts.SyntaxKind.PlusToken ||
      n.operatorToken.kind === ts.SyntaxKind.MinusToken) &&
    ts.isNumericLiteral(unwrap(n.right))
  )
    n = unwrap(n.left);
  const text = chain(n);
  if (text === undefined || text === "this") return false;
  const target = ts.isIdentifier(n) ? bindingOf(n, n.text) : undefined;
  if (ts.isIdentifier(n) && target === undefined) return false;
  const same = (m: ts.Node): boolean => {
    const u = unwrap(m);
    if (chain(u) !== text) return false;
    return !ts.isIdentifier(u) || bindingOf(u, u.text) === target;
  };
  return (
    facts.updates.some((u) => u.operator === ts.SyntaxKind.PlusPlusToken && same(u.operand)) ||
    facts.binaries.some((b) => {
      const op = b.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusEqualsToken) return isOne(b.right) && same(b.left);
      if (op !== ts.SyntaxKind.EqualsToken || !same(b.left)) return false;
      const r = unwrap(b.right);
      return (
        ts.isBinaryExpression(r) &&
        r.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        ((same(r.left) && isOne(r.right)) || (same(r.right) && isOne(r.left)))
      );
    })
  );
}

/**
 * A call of a method of an object kept on `this` (`this.backoff.duration()`, `this.#policy.next()`),
 * not of the object itself (`this.delay()`), nor of the clock or `Math`.
 */
function policyCall(call: ts.CallExpression): boolean {
  const name = callee(call) ?? "";
  const parts = name.split(".");
  return parts[0] === "this" && parts.length >= 3 && !WAIT.test(name);
}

/**
 * Locals handed to a function of the file that waits for the parameter they land in
 * (`this.startRetryTimer(delay)` with `startRetryTimer(ms) { this.t = setTimeout(run, ms) }`):
 * waited for one call down.
 */
function handedToWait(facts: FileFacts, root: ts.Node, waited: Set<string>): void {
  walkKinds(root, [ts.SyntaxKind.CallExpression], (n) => {
    if (!ts.isCallExpression(n) || WAIT.test(callee(n) ?? "")) return;
    const args = n.arguments.map(unwrap);
    if (!args.some(ts.isIdentifier)) return;
    const name = (callee(n) ?? "").replace(/^this\./, "");
    if (name === "" || name.includes(".")) return;
    const fn = facts.functions.find((f) => functionName(f) === name);
    if (fn?.body === undefined) return;
    args.forEach((a, i) => {
      const param = fn.parameters[i]?.name;
      if (!ts.isIdentifier(a) || param === undefined || !ts.isIdentifier(param)) return;
      let waits = false;
      walkKinds(fn.body as ts.Node, [ts.SyntaxKind.CallExpression], (c) => {
        if (
          !waits &&
          ts.isCallExpression(c) &&
          WAIT.test(callee(c) ?? "") &&
          c.arguments.some((x) => ts.isIdentifier(unwrap(x)) && unwrap(x).getText() === param.text)
        )
          waits = true;
      });
      if (waits) waited.add(a.text);
    });
  });
}

/**
 * Growth of a delay that comes from elsewhere: a table read by the attempt (`DELAYS[attempt]`), or
 * a function handed the attempt (`backoff(attempt)`, `this.strategy(retries)`), when what it gives
 * is what the code waits for. Such a delay changes from one attempt to the next: a back-off. The
 * attempt is a count by its name, or by what the code does with it: raised by one in the file.
 */
function delayFromAttempt(facts: FileFacts, root: ts.Node): string | undefined {
  // Locals that are waited for: `await sleep(delay)`, `setTimeout(run, delay)`.
  const waited = new Set<string>();
  const waitArgs: ts.Node[] = [];
  walk(root, (n) => {
    if (!ts.isCallExpression(n) || !WAIT.test(callee(n) ?? "")) return;
    for (const a of n.arguments) {
      waitArgs.push(a);
      if (ts.isIdentifier(unwrap(a))) waited.add((unwrap(a) as ts.Identifier).text);
      // `setTimeout(run, step.interval * 1000)`: a local the delay is read off is waited for too.
      else
        walk(a, (x) => {
          if (
            ts.isIdentifier(x) &&
            !(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x) &&
            !ts.isCallExpression(x.parent)
          )
            waited.add(x.text);
        });
    }
  });
  handedToWait(facts, root, waited);
  const feedsWait = (n: ts.Node): boolean => {
    for (let c: ts.Node | undefined = n; c !== undefined && c !== root; c = c.parent) {
      if (waitArgs.includes(c)) return true;
      if (ts.isVariableDeclaration(c) && ts.isIdentifier(c.name)) return waited.has(c.name.text);
      // `const [delay, again] = policy(n, err)`: one of the names bound is waited for.
      if (ts.isVariableDeclaration(c) && ts.isArrayBindingPattern(c.name))
        return c.name.elements.some(
          (e) => ts.isBindingElement(e) && ts.isIdentifier(e.name) && waited.has(e.name.text),
        );
      if (
        ts.isBinaryExpression(c) &&
        c.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(c.left)
      )
        return waited.has(c.left.text);
    }
    return false;
  };
  const byAttempt = (n: ts.Node | undefined): boolean =>
    n !== undefined && (ATTEMPT.test(chain(unwrap(n)) ?? "") || raisedCount(facts, n));
  let found: string | undefined;
  walk(root, (n) => {
    if (found !== undefined) return;
    // `DELAYS[attempt]`, `STEPS[Math.min(attempts, max) - 1]`: a table read by the attempt.
    let indexed = false;
    if (ts.isElementAccessExpression(n))
      walk(n.argumentExpression, (x) => {
        if (!indexed && (ts.isIdentifier(x) || ts.isPropertyAccessExpression(x)) && byAttempt(x))
          indexed = true;
      });
    if (ts.isElementAccessExpression(n) && indexed && feedsWait(n))
      found = `taken from a table by the attempt (\`${n.getText().slice(0, 30)}\`)`;
    // `this.schedule.next().value`, `this.backoff.duration()`: the next delay asked of a policy the
    // object keeps — it moves on with every attempt (a fixed delay is read, not asked for).
    if (ts.isCallExpression(n) && n.arguments.length === 0 && policyCall(n) && feedsWait(n))
      found = `asked of the policy \`${(callee(n) ?? "").slice(0, 40)}\``;
    if (ts.isCallExpression(n) && n.arguments.some(byAttempt)) {
      const name = callee(n) ?? "";
      const helper = facts.functions.find((f) => functionName(f) === name.replace(/^this\./, ""));
      const helperGrows = helper?.body !== undefined && grows(helper.body) !== undefined;
      if (
        helperGrows ||
        (!WAIT.test(name) && feedsWait(n)) ||
        (WAIT.test(name) && waitArgs.includes(n))
      )
        found = `computed from the attempt by \`${name}\``;
    }
    // `const wait = this.nextDelay()` with `nextDelay()` growing a delay itself (`base * 2 **
    // this.n`): the helper's growth is the wait's.
    if (ts.isCallExpression(n) && found === undefined && feedsWait(n)) {
      const name = (callee(n) ?? "").replace(/^this\./, "");
      const helper = name.includes(".")
        ? undefined
        : facts.functions.find((f) => functionName(f) === name);
      const growth =
        helper?.body !== undefined && !(helper.pos <= n.pos && n.end <= helper.end)
          ? grows(helper.body)
          : undefined;
      if (growth !== undefined) found = `worked out by \`${name}\`: ${growth}`;
    }
  });
  return found;
}

/** A delay formula: exponential growth, capped (`Math.min`) or jittered (`Math.random`). */
function backoffFormula(root: ts.Node): string[] | undefined {
  const growth = grows(root);
  if (growth === undefined) return undefined;
  // Linear growth with the attempt (`base + step * (attempt - 1)`), or a stored delay multiplied
  // for the next time (`backoff.delay *= 2`), is a back-off policy as much as `2 ** attempt`.
  if (!/exponential/.test(growth) && !/^(multiplied|grows with the attempt)/.test(growth))
    return undefined;
  if (/^multiplied/.test(growth) && !/(delay|backoff|wait|interval|timeout)\w*\s*\*=/i.test(growth))
    return undefined;
  // A product with the attempt counts when the attempt is named as one (a weak signal that keeps
  // `lifetimeSeconds * 1000` and `throttler.tokens * ratio` out).
  if (/^grows with the attempt/.test(growth)) {
    let linear = false;
    walk(root, (n) => {
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.AsteriskToken &&
        [n.left, n.right].some((side) => {
          const u = unwrap(side);
          return (
            ATTEMPT_NUMBER.test(leafName(u)) ||
            (ts.isBinaryExpression(u) &&
              (ATTEMPT_NUMBER.test(leafName(u.left)) || ATTEMPT_NUMBER.test(leafName(u.right))))
          );
        })
      )
        linear = true;
    });
    if (!linear) return undefined;
  }
  let capped = false;
  let jitter = false;
  let attempt = false;
  walk(root, (n) => {
    if (ts.isCallExpression(n) && callee(n) === "Math.min") capped = true;
    if (ts.isCallExpression(n) && callee(n) === "Math.random") jitter = true;
    if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && ATTEMPT.test(chain(n) ?? ""))
      attempt = true;
  });
  if (!attempt && !capped && !/^multiplied/.test(growth)) return undefined;
  return [
    `delay ${growth}`,
    ...(capped ? ["capped with `Math.min`"] : []),
    ...(jitter ? ["jittered with `Math.random`"] : []),
  ];
}

/** Whether a node is `Math.random()`. */
function isRandom(n: ts.Node): boolean {
  return ts.isCallExpression(n) && callee(n) === "Math.random";
}

/** Arithmetic that spreads a value: `+`, `-`, `*`. */
function spreads(n: ts.Node): n is ts.BinaryExpression {
  if (!ts.isBinaryExpression(n)) return false;
  const op = n.operatorToken.kind;
  return (
    op === ts.SyntaxKind.PlusToken ||
    op === ts.SyntaxKind.MinusToken ||
    op === ts.SyntaxKind.AsteriskToken
  );
}

/**
 * Jitter: a function whose number is a value spread by chance — `Math.random()` in arithmetic with
 * something else (`base + Math.random() * spread`, `delay * f * (Math.random() * 2 - 1)`), directly
 * or through a local of the function, and returned. Not a sample (`Math.random() < rate` is
 * compared), an index (`list[Math.floor(Math.random() * list.length)]`), an id (`.toString(36)`)
 * or a plain random number with nothing to spread (`Math.random() * 1000`).
 */
function jitterOf(
  fn: ts.FunctionLikeDeclaration,
  randoms: readonly ts.CallExpression[],
): string | undefined {
  const body = fn.body;
  if (body === undefined) return undefined;
  if (ts.isBlock(body) && body.statements.length > 8) return undefined;
  const own = (n: ts.Node): boolean => functionOf(n) === fn;
  const mine = randoms.filter(own);
  if (mine.length === 0) return undefined;
  // Locals of the function that hold a spread random value.
  const random = new Set<string>();
  let spread = false;
  let other = false;
  mine.forEach((n) => {
    // What the random value goes into, up to the statement.
    for (let c: ts.Node = n.parent; c !== body && !ts.isStatement(c); c = c.parent) {
      if (
        ts.isParenthesizedExpression(c) ||
        (ts.isCallExpression(c) && /^Math\.(floor|round|ceil|trunc|abs)$/.test(callee(c) ?? ""))
      )
        continue;
      if (spreads(c)) {
        spread = true;
        const side = n.pos >= c.right.pos ? c.left : c.right;
        // `Math.random() * list.length` picks an index; `lo + Math.random() * (hi - lo)` picks a
        // moment in a window (a scheduled run spread over it), not a delay spread around a base.
        const u = unwrap(side);
        if (/\.length$/.test(u.getText())) other = true;
        if (
          c.operatorToken.kind === ts.SyntaxKind.AsteriskToken &&
          ts.isBinaryExpression(u) &&
          u.operatorToken.kind === ts.SyntaxKind.MinusToken &&
          !ts.isNumericLiteral(unwrap(u.left)) &&
          !ts.isNumericLiteral(unwrap(u.right))
        )
          other = true;
        continue;
      }
      if (ts.isVariableDeclaration(c) && ts.isIdentifier(c.name)) random.add(c.name.text);
      else if (
        ts.isBinaryExpression(c) &&
        c.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(c.left)
      )
        random.add(c.left.text);
      else if (!ts.isReturnStatement(c) && !ts.isArrowFunction(c) && !isMinMax(c)) other = true;
      break;
    }
  });
  if (!spread || other) return undefined;
  // The function hands the spread value back.
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(body)) returned.push(body);
  walk(body, (n) => {
    if (ts.isReturnStatement(n) && n.expression !== undefined && own(n))
      returned.push(n.expression);
  });
  let handsBack = false;
  let around = false;
  for (const r of returned) {
    walk(r, (n) => {
      if (isRandom(n) || (ts.isIdentifier(n) && random.has(n.text))) {
        handsBack = true;
        // Spread around something: another operand of the arithmetic it is in.
        for (let c: ts.Node = n.parent; c !== r.parent; c = c.parent)
          if (spreads(c) && ![c.left, c.right].every((s) => /^[\d._]+$/.test(s.getText())))
            around = true;
      }
    });
  }
  if (!handsBack) return undefined;
  if (!around) {
    // Through a local: its own spread (`const j = delay * f * (Math.random() * 2 - 1)`) counts when
    // the value returned is arithmetic on it.
    for (const r of returned)
      walk(r, (n) => {
        if (ts.isIdentifier(n) && random.has(n.text) && spreads(n.parent)) around = true;
      });
  }
  if (!around) return undefined;
  return "spreads the delay by a random amount (`Math.random()`)";
}

/** `Math.min(…)` / `Math.max(…)`: a bound around the value, which stays the value. */
function isMinMax(n: ts.Node): boolean {
  return ts.isCallExpression(n) && /^Math\.(min|max)$/.test(callee(n) ?? "");
}

/**
 * Whether a call of the function named `name` gives a delay that is waited for: an argument of a
 * wait (`setTimeout(run, jitter(ms))`), or a local handed to one in the same function.
 */
function feedsAWait(facts: FileFacts, name: string): boolean {
  for (const call of facts.calls) {
    if ((callee(call) ?? "").split(".").pop() !== name) continue;
    for (
      let c: ts.Node = call.parent;
      !ts.isStatement(c) && !ts.isSourceFile(c) && !isFunctionLike(c);
      c = c.parent
    ) {
      if (
        ts.isCallExpression(c) &&
        WAIT.test(callee(c) ?? "") &&
        c.arguments.some((a) => a.pos <= call.pos && call.end <= a.end)
      )
        return true;
      if (ts.isVariableDeclaration(c) && ts.isIdentifier(c.name)) {
        const local = c.name.text;
        const scope = functionOf(c);
        if (
          facts.calls.some(
            (w) =>
              WAIT.test(callee(w) ?? "") &&
              functionOf(w) === scope &&
              w.arguments.some(
                (a) => ts.isIdentifier(unwrap(a)) && (unwrap(a) as ts.Identifier).text === local,
              ),
          )
        )
          return true;
        break;
      }
    }
  }
  return false;
}

/** The construct a delay formula stands for: its declaration, or the small factory that returns it. */
function formulaNode(fn: ts.FunctionLikeDeclaration): ts.Node | undefined {
  if (fn.body === undefined) return undefined;
  if (ts.isBlock(fn.body) && fn.body.statements.length > 12) return undefined;
  // A policy factory that returns the delay function (`linear(options) { …; return (ctx) => … }`)
  // exists for it: the factory is the construct.
  const factory = ts.isReturnStatement(fn.parent) ? functionOf(fn.parent) : undefined;
  if (
    factory !== undefined &&
    isFunctionLike(factory) &&
    factory.body !== undefined &&
    ts.isBlock(factory.body) &&
    factory.body.statements.length <= 3
  )
    return ts.isVariableDeclaration(factory.parent) ? topStatement(factory.parent) : factory;
  if (ts.isVariableDeclaration(fn.parent)) return topStatement(fn.parent);
  if (ts.isPropertyAssignment(fn.parent)) return fn.parent;
  return fn;
}

/** The `catch` clause a node sits in within `fn`, if any. */
function enclosingCatch(node: ts.Node, fn: ts.Node): ts.CatchClause | undefined {
  for (let c = node.parent; c !== fn; c = c.parent) if (ts.isCatchClause(c)) return c;
  return undefined;
}

/**
 * The formula a function hands back: a returned call of one of `names` (through parentheses, a
 * conditional, `Math.min`/`Math.max`), not the function itself.
 */
function handsBackCall(
  fn: ts.FunctionLikeDeclaration,
  names: ReadonlySet<string>,
): string | undefined {
  const body = fn.body;
  if (body === undefined) return undefined;
  const own = functionName(fn);
  const returned: ts.Expression[] = ts.isBlock(body) ? [] : [body];
  walk(body, (n) => {
    // Not a fallback handed back from a `catch` (`catch { return this.defaultDelay(n) }`).
    if (
      ts.isReturnStatement(n) &&
      n.expression !== undefined &&
      functionOf(n) === fn &&
      enclosingCatch(n, fn) === undefined
    )
      returned.push(n.expression);
  });
  let found: string | undefined;
  const visit = (e: ts.Expression): void => {
    const u = unwrap(e);
    if (ts.isConditionalExpression(u)) {
      visit(u.whenTrue);
      visit(u.whenFalse);
    } else if (ts.isCallExpression(u)) {
      const leaf = (callee(u) ?? "").split(".").pop() ?? "";
      if (names.has(leaf) && leaf !== own) found ??= leaf;
      else if (isMinMax(u)) u.arguments.forEach(visit);
    }
  };
  returned.forEach(visit);
  return found;
}

/** An attempt counter bumped on a failure path: `++this.retryAttempts`, `retries++`, `attempt += 1`. */
function bumpsAttempts(root: ts.Node): string | undefined {
  let found: string | undefined;
  walk(root, (n) => {
    if (found !== undefined) return;
    if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      n.operator === ts.SyntaxKind.PlusPlusToken
    ) {
      const name = chain(n.operand);
      if (name !== undefined && /(attempt|retr|tries|requeue)/i.test(name)) found = name;
    }
  });
  return found;
}

/** Whether `node` lies in `loop`'s own body (not in a nested loop or function). */
function ownedBy(node: ts.Node, loop: ts.Node): boolean {
  for (let c = node.parent; c !== undefined; c = c.parent) {
    if (c === loop) return true;
    if (isLoop(c) || isFunctionLike(c)) return false;
  }
  return false;
}

/** Whether a `break`/`continue` leaves or restarts `loop` (unlabelled, not inside a nested loop or switch). */
function targets(jump: ts.BreakStatement | ts.ContinueStatement, loop: ts.Node): boolean {
  if (jump.label !== undefined) return false;
  for (let c = jump.parent; c !== undefined; c = c.parent) {
    if (c === loop) return true;
    if (isLoop(c) || isFunctionLike(c) || (ts.isBreakStatement(jump) && ts.isSwitchStatement(c)))
      return false;
  }
  return false;
}

/**
 * The counter a loop is bounded by: `for (let i = 0; i <= retries; i++)`, `while (left-- > 0)`,
 * `while (attempt < max) { …; attempt++ }` — a local compared with a bound that is not a
 * collection's length, and moved by one each round.
 */
function boundedCounter(loop: ts.IterationStatement): string | undefined {
  if (!ts.isForStatement(loop) && !ts.isWhileStatement(loop) && !ts.isDoStatement(loop))
    return undefined;
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (condition === undefined) return undefined;
  let counter: string | undefined;
  walk(condition, (n) => {
    if (counter !== undefined || !ts.isBinaryExpression(n) || !isOrdering(n.operatorToken.kind))
      return;
    for (const [side, bound] of [
      [n.left, n.right],
      [n.right, n.left],
    ] as const) {
      let u = unwrap(side);
      if (ts.isPostfixUnaryExpression(u) || ts.isPrefixUnaryExpression(u)) u = unwrap(u.operand);
      if (!ts.isIdentifier(u) || /\.length$/.test(unwrap(bound).getText())) continue;
      counter = u.text;
      return;
    }
  });
  if (counter === undefined) return undefined;
  const name = counter;
  let moved = false;
  const moves = (n: ts.Node): void => {
    if (
      (ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken ||
        n.operator === ts.SyntaxKind.MinusMinusToken) &&
      ts.isIdentifier(unwrap(n.operand)) &&
      (unwrap(n.operand) as ts.Identifier).text === name
    )
      moved = true;
    if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) &&
      ts.isIdentifier(unwrap(n.left)) &&
      (unwrap(n.left) as ts.Identifier).text === name &&
      unwrap(n.right).getText() === "1"
    )
      moved = true;
  };
  walk(condition, moves);
  if (ts.isForStatement(loop) && loop.incrementor !== undefined) walk(loop.incrementor, moves);
  walk(loop.statement, moves);
  return moved ? name : undefined;
}

/**
 * A retry at once: a loop bounded by a counter whose body tries the operation, leaves the loop on
 * success and goes round on a failure (`catch` that goes on or says `continue`), the counter not
 * used by the attempt (then each round would try another item: a fallback, or a walk).
 */
function immediateRetry(loop: ts.IterationStatement): string | undefined {
  const counter = boundedCounter(loop);
  if (counter === undefined) return undefined;
  // A loop that drains a collection (its condition reads a length, its body takes the next item)
  // works through items: each round tries another one.
  const condition = ts.isForStatement(loop)
    ? loop.condition
    : (loop as ts.WhileStatement).expression;
  if (condition !== undefined && /\.length\b/.test(condition.getText())) return undefined;
  let dequeues = false;
  walk(loop.statement, (n) => {
    if (ts.isCallExpression(n) && /(^|\.)(shift|pop|next|dequeue)$/.test(callee(n) ?? ""))
      dequeues = true;
  });
  if (dequeues) return undefined;
  const tries: ts.TryStatement[] = [];
  walk(loop.statement, (n) => {
    if (ts.isTryStatement(n) && n.catchClause !== undefined && ownedBy(n, loop)) tries.push(n);
  });
  for (const attempt of tries) {
    const handler = attempt.catchClause as ts.CatchClause;
    let usesCounter = false;
    let leaves = false;
    walk(attempt.tryBlock, (n) => {
      if (ts.isIdentifier(n) && n.text === counter) usesCounter = true;
      if (ts.isReturnStatement(n) && ownedBy(n, loop)) leaves = true;
      if (ts.isBreakStatement(n) && targets(n, loop)) leaves = true;
    });
    if (usesCounter) continue;
    let goesRound = false;
    walk(handler.block, (n) => {
      if (ts.isContinueStatement(n) && targets(n, loop)) goesRound = true;
    });
    const last = handler.block.statements[handler.block.statements.length - 1];
    const fallsThrough =
      last === undefined ||
      !(ts.isThrowStatement(last) || ts.isReturnStatement(last) || ts.isBreakStatement(last));
    if (goesRound || (leaves && fallsThrough)) return counter;
  }
  return undefined;
}

/** `p + 1`, `p - 1`, `p--`…: a parameter moved by one, as the next attempt's count. */
function countArgument(arg: ts.Node, params: readonly string[]): string | undefined {
  const a = unwrap(arg);
  if (
    ts.isBinaryExpression(a) &&
    (a.operatorToken.kind === ts.SyntaxKind.PlusToken ||
      a.operatorToken.kind === ts.SyntaxKind.MinusToken) &&
    ts.isIdentifier(unwrap(a.left)) &&
    params.includes((unwrap(a.left) as ts.Identifier).text) &&
    ts.isNumericLiteral(unwrap(a.right)) &&
    (unwrap(a.right) as ts.NumericLiteral).text === "1"
  )
    return (unwrap(a.left) as ts.Identifier).text;
  return undefined;
}

/** The failure path inside `fn` that `node` lies on: a `catch`, a `.catch(…)` callback, an `if (err)`. */
function failurePath(node: ts.Node, fn: ts.Node): ts.Node | undefined {
  for (let c = node.parent; c !== undefined && c !== fn; c = c.parent) {
    if (ts.isCatchClause(c)) return c;
    if (ts.isIfStatement(c) && /\b(err|error)\b/.test(c.expression.getText())) return c;
    if (isRejectionCallback(c)) return c;
  }
  return undefined;
}

/**
 * A function that calls itself again on a failure with the same arguments and its attempt count
 * moved by one, the count compared with a bound: `commit(retries - 1)` in `commit`'s `.catch`,
 * `this.run(handler, max, tried + 1)` in `run`'s `catch`. The function is the retry.
 */
function countedSelfCall(
  call: ts.CallExpression,
): { fn: ts.FunctionLikeDeclaration; count: string; path: ts.Node } | undefined {
  const name = (callee(call) ?? "").replace(/^this\./, "");
  if (name === "") return undefined;
  let fn: ts.Node = call;
  do fn = functionOf(fn);
  while (!ts.isSourceFile(fn) && functionName(fn) !== name);
  if (!isFunctionLike(fn) || fn.body === undefined) return undefined;
  const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ""));
  let count: string | undefined;
  for (const [i, arg] of call.arguments.entries()) {
    const moved = countArgument(arg, params);
    if (moved !== undefined && count === undefined) {
      count = moved;
      continue;
    }
    // Every other argument is handed on as it came.
    const u = unwrap(arg);
    if (!ts.isIdentifier(u) || u.text !== params[i]) return undefined;
  }
  const path = failurePath(call, fn);
  if (count === undefined || path === undefined) return undefined;
  const counted = count;
  let compared = false;
  let walks = false;
  walk(fn.body, (n) => {
    // `items[index]`, `index >= items.length`: the count walks a list (the next item, not the
    // same attempt again).
    if (
      ts.isElementAccessExpression(n) &&
      ts.isIdentifier(unwrap(n.argumentExpression)) &&
      unwrap(n.argumentExpression).getText() === counted
    )
      walks = true;
    if (
      ts.isBinaryExpression(n) &&
      isOrdering(n.operatorToken.kind) &&
      [n.left, n.right].some((side) => /\.length$/.test(unwrap(side).getText())) &&
      [n.left, n.right].some((side) => unwrap(side).getText() === counted)
    )
      walks = true;
    // …or handed to a policy that decides (`this.getRetryDelay(retryAttempts, err)`).
    if (
      ts.isCallExpression(n) &&
      n !== call &&
      n.arguments.some((a) => ts.isIdentifier(unwrap(a)) && unwrap(a).getText() === counted)
    )
      compared = true;
    if (
      ts.isBinaryExpression(n) &&
      isOrdering(n.operatorToken.kind) &&
      [n.left, n.right].some(
        (side) => ts.isIdentifier(unwrap(side)) && unwrap(side).getText() === counted,
      )
    )
      compared = true;
  });
  return compared && !walks ? { fn, count: counted, path } : undefined;
}

/**
 * The range of a retry on a `catch`: the whole `try` — unless the `try` arms a timer of its own (a
 * timeout around the attempt, another mechanism with its own range): then the statement of the
 * `catch` that goes again.
 */
function retryInCatch(clause: ts.CatchClause): ts.Node {
  const attempt = clause.parent;
  let timed = false;
  walk(attempt.tryBlock, (n) => {
    if (!timed && ts.isCallExpression(n) && /(^|\.)setTimeout$/.test(callee(n) ?? "")) timed = true;
  });
  if (!timed) return topStatement(attempt);
  const again = clause.block.statements.find((st) => {
    let bumps = false;
    let waitsOrCalls = false;
    walk(st, (c) => {
      if (
        (ts.isPrefixUnaryExpression(c) || ts.isPostfixUnaryExpression(c)) &&
        c.operator === ts.SyntaxKind.PlusPlusToken
      )
        bumps = true;
      if (ts.isCallExpression(c) && WAIT.test(callee(c) ?? "")) waitsOrCalls = true;
    });
    return bumps && waitsOrCalls;
  });
  return again ?? clause;
}

/** The function holding a node, as the statement a migration removes (a helper whose job is the retry). */
function helperOf(node: ts.Node, maxStatements: number): ts.Node | undefined {
  const fn = functionOf(node);
  if (!isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return undefined;
  if (fn.body.statements.length > maxStatements) return undefined;
  return ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn;
}

/**
 * Retries by hand: a loop that catches a failure (or checks an error) and waits before the next
 * attempt; a failure path that bumps an attempt counter and schedules the operation again; or a
 * delay formula that grows with the attempt (exponential, capped, jittered). A growing delay is
 * back-off; a fixed one is a retry poll. Replaced by `retry(fn, { attempts, backoff })`.
 */
export const retryDetector: Detector = {
  id: "response/retry",
  category: "response",
  kinds: ["retry-backoff", "retry-poll"],
  prefilter: /catch|err|retr|attempt|Math\.pow|\*\*|\*=/i,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    const taken = new Set<ts.Node>();
    const helpers = new Set<ts.Node>();
    const push = (
      node: ts.Node,
      kind: string,
      evidence: string[],
      name?: string,
      helper?: ts.Node,
    ): void => {
      if (taken.has(node)) return;
      for (const t of taken) if (node.pos >= t.pos && node.end <= t.end) return;
      taken.add(node);
      const sharedHelper = helper !== undefined && helpers.has(helper);
      if (helper !== undefined) helpers.add(helper);
      // A helper far from the failure path that calls it (a waiting method at the other end of a
      // class) is a mechanism of its own place: each gets its own range, not one over everything
      // between them.
      if (
        helper !== undefined &&
        !sharedHelper &&
        holdsFunction(helper) &&
        apart(sourceFile, helper, node)
      ) {
        detections.push(
          {
            kind,
            confidence: 0.85,
            nodes: [node],
            evidence,
            ...(name === undefined ? {} : { name }),
          },
          {
            kind,
            confidence: 0.85,
            nodes: [helper],
            evidence: [
              "waits and runs the attempt again for the failure path that calls it",
              `called on a failure in \`${functionName(functionOf(node)) ?? "another function"}\``,
            ],
            ...(functionName(helper) === undefined ? {} : { name: functionName(helper) }),
          },
        );
        return;
      }
      detections.push({
        kind,
        confidence: 0.85,
        // A helper shared by several retries (one `waitForRetry` for two send paths) is counted
        // with the first; the others are reported on their own lines.
        nodes:
          helper === undefined || sharedHelper
            ? [node]
            : [helper, node].sort((a, b) => a.pos - b.pos),
        evidence,
        ...(name === undefined ? {} : { name }),
      });
    };
    // 1. Loops that fail (or count retries down) and wait before trying again.
    walkKinds(sourceFile, LOOP_KINDS, (loop) => {
      if (!isLoop(loop)) return;
      // The wait may sit in a function of the file the loop's `catch` hands the error to
      // (`catch (e) { await this.handleError(e) }`, the handler sleeping before the next round).
      const handler = waitsBetween(loop.statement) ? undefined : catchWaiter(facts, loop);
      if (handler !== undefined && handler.body !== undefined) {
        const statement = ts.isVariableDeclaration(handler.parent)
          ? topStatement(handler.parent)
          : handler;
        const growth = grows(handler.body) ?? delayFromAttempt(facts, handler.body);
        push(
          loop,
          growth === undefined ? "retry-poll" : "retry-backoff",
          [
            "a loop that catches a failure and waits before the next attempt",
            `the wait is in \`${functionName(handler) ?? "a handler"}\`, which the \`catch\` calls`,
            ...(growth === undefined ? [] : [`delay ${growth}`]),
          ],
          undefined,
          statement,
        );
        // The handler is this retry's: not a delay formula of its own.
        taken.add(statement);
        return;
      }
      if (!waitsBetween(loop.statement)) {
        // 1b. …or try again at once, a bounded number of times.
        const counter = immediateRetry(loop);
        if (counter === undefined) return;
        const block = loop.parent;
        const before = ts.isBlock(block)
          ? block.statements[block.statements.indexOf(loop) - 1]
          : undefined;
        const declares =
          before !== undefined &&
          ts.isVariableStatement(before) &&
          before.declarationList.declarations.some((d) => d.name.getText() === counter);
        push(
          loop,
          "retry-backoff",
          [
            `a loop bounded by \`${counter}\` that tries again at once when an attempt fails`,
            "leaves the loop when an attempt succeeds",
          ],
          undefined,
          declares ? before : undefined,
        );
        return;
      }
      const counts = /(retr|attempt)/i.test(loop.getText(sourceFile).slice(0, 200));
      if (!retriesOnFailure(loop.statement) && !counts) return;
      const growth = grows(loop) ?? delayFromAttempt(facts, loop);
      const helper = helperOf(loop, 4);
      push(
        helper ?? loop,
        growth === undefined ? "retry-poll" : "retry-backoff",
        [
          "a loop that catches a failure and waits before the next attempt",
          growth === undefined ? "fixed delay between attempts" : `delay ${growth}`,
        ],
        helper === undefined ? undefined : functionName(functionOf(loop)),
      );
    });
    // 2. Delay formulas growing with the attempt.
    const formulas = new Map<ts.Node, string | undefined>();
    // The file's `Math.random()` calls, gathered once: jitter is looked for only around them.
    const randoms = facts.calls.filter(isRandom);
    const pending: [ts.FunctionLikeDeclaration, string, string][] = [];
    for (const fn of facts.functions) {
      if (fn.body === undefined) continue;
      const growth = backoffFormula(fn.body);
      // Or a delay spread by chance (a jitter helper), a part of a back-off policy on its own.
      const jitter = growth === undefined ? jitterOf(fn, randoms) : undefined;
      const evidence = growth ?? (jitter === undefined ? undefined : [jitter]);
      if (evidence === undefined) continue;
      // A growth formula is a back-off when it makes a delay (a rolling hash grows exponentially
      // too): what it gives is waited for, or (a weak sign) it speaks of a delay.
      const fnName = functionName(fn);
      if (
        !/(delay|backoff|retry|wait|interval|jitter|timeout)/i.test(
          `${fnName ?? ""} ${fn.getText(sourceFile)}`,
        ) &&
        (jitter === undefined || fnName === undefined || !feedsAWait(facts, fnName))
      ) {
        // A jitter helper a growth formula calls (`factor ** n * base * spread(0.2)`) is decided
        // once the formulas are known.
        if (jitter !== undefined && fnName !== undefined) pending.push([fn, fnName, jitter]);
        continue;
      }
      // A function that tries the work itself and waits in its `catch` is the retry, not a delay
      // formula: its failure path is reported (step 3) with a range of its own.
      let tries = false;
      walk(fn.body, (n) => {
        if (ts.isTryStatement(n) && n.catchClause !== undefined && functionOf(n) === fn)
          tries = true;
      });
      if (tries) continue;
      // A function holding a nested function that is the formula (a constructor setting
      // `this.backoff = (attempt) => …` among its options) is not one: the nested function is.
      let nested = false;
      walk(fn.body, (n) => {
        if (
          !nested &&
          n !== fn &&
          isFunctionLike(n) &&
          n.body !== undefined &&
          backoffFormula(n.body) !== undefined
        )
          nested = true;
      });
      if (nested) continue;
      const node = formulaNode(fn);
      if (node === undefined) continue;
      formulas.set(fn, fnName);
      push(node, "retry-backoff", ["computes a retry delay", ...evidence], fnName);
    }
    for (const [fn, name, jitter] of pending) {
      const called = facts.calls.some(
        (c) =>
          (callee(c) ?? "").split(".").pop() === name &&
          [...formulas.keys()].some((f) => f !== fn && c.pos >= f.pos && c.end <= f.end),
      );
      const node = called ? formulaNode(fn) : undefined;
      if (node === undefined) continue;
      formulas.set(fn, name);
      push(
        node,
        "retry-backoff",
        ["computes a retry delay", jitter, "called by a back-off formula of the file"],
        name,
      );
    }
    // 2b. A delay policy that hands back what a formula of the file works out (`constant()`
    // returning `(ctx) => ctx.attempt > max ? null : applyJitter(delay, f)`): one more part of the
    // back-off, one level of helper.
    const formulaNames = new Set([...formulas.values()].filter((n) => n !== undefined));
    for (const fn of formulaNames.size === 0 ? [] : facts.functions) {
      if (fn.body === undefined || formulas.has(fn)) continue;
      if (ts.isBlock(fn.body) && fn.body.statements.length > 3) continue;
      const handed = handsBackCall(fn, formulaNames);
      if (handed === undefined) continue;
      const node = formulaNode(fn);
      if (node === undefined) continue;
      push(
        node,
        "retry-backoff",
        ["computes a retry delay", `hands back the delay \`${handed}\` works out`],
        functionName(fn),
      );
    }
    // 3. Failure paths that count attempts and schedule the operation again.
    walkKinds(
      sourceFile,
      [ts.SyntaxKind.CatchClause, ts.SyntaxKind.IfStatement, ts.SyntaxKind.CallExpression],
      (n) => {
        const isFailurePath =
          ts.isCatchClause(n) ||
          (ts.isIfStatement(n) && checksFailure(n.expression)) ||
          (ts.isCallExpression(n) &&
            ts.isPropertyAccessExpression(n.expression) &&
            (n.expression.name.text === "catch" ||
              (n.expression.name.text === "then" && n.arguments.length >= 2)));
        if (!isFailurePath) return;
        // `.then(onValue, onError)`: the second callback is the failure path.
        const handed = ts.isCatchClause(n)
          ? n.block
          : ts.isIfStatement(n)
            ? n.thenStatement
            : n.arguments[
                (n.expression as ts.PropertyAccessExpression).name.text === "then" ? 1 : 0
              ];
        if (handed === undefined) return;
        // A failure handler handed on by name (`.catch(onError)`): the local function it names.
        const named = handlerOf(handed);
        const body = named?.body ?? handed;
        // `.then(next, next)` alike: when the value path waits and runs again too, the work is
        // rescheduled whatever happened — periodic, not a retry of a failure.
        if (
          ts.isCallExpression(n) &&
          body === n.arguments[1] &&
          n.arguments[0] !== undefined &&
          waits(n.arguments[0])
        )
          return;
        const counter = bumpsAttempts(body);
        // Trying something else after a failure (the next address, a fallback) is failover: a retry
        // counts its attempts or waits.
        const helper = waits(body) ? undefined : waitingHelper(facts, body);
        // The failure path runs again the function it is in, which waits before each attempt
        // (`reconnect() { …; setTimeout(() => open((err) => { if (err) self.reconnect() }), delay) }`).
        const rerun = helper === undefined && !waits(body) ? waitingAncestor(body) : undefined;
        if (counter === undefined && !waits(body) && helper === undefined && rerun === undefined)
          return;
        let again = false;
        const fn = functionOf(n);
        const self = functionName(fn);
        walk(body, (c) => {
          if (!ts.isCallExpression(c)) return;
          const name = callee(c) ?? "";
          if (WAIT.test(name) && !onlyReports(c.arguments[0]) && !deferOnly(c)) again = true;
          if (/(retry|reconnect|schedule|requeue|unshift)/i.test(name)) again = true;
          if (self !== undefined && name.replace(/^this\./, "") === self) again = true;
        });
        if (rerun !== undefined) again = true;
        if (!again) return;
        // The failing branch itself (`else if (err.code === "EBUSY") { … }`), or the `try`.
        const branch = ts.isCatchClause(n)
          ? retryInCatch(n)
          : ts.isIfStatement(n)
            ? n
            : topStatement(n);
        // The delay may be worked out in the helper that waits (`scheduleReconnect() { const delay =
        // backoff(++this.attempt); setTimeout(connect, delay) }`).
        const growth =
          grows(body) ??
          delayFromAttempt(facts, body) ??
          (helper === undefined ? undefined : delayFromAttempt(facts, helper)) ??
          (rerun?.body === undefined ? undefined : delayFromAttempt(facts, rerun.body));
        // A handler already reported where it is declared (handed on again for the next attempt)
        // is one retry, not another.
        if (
          named !== undefined &&
          [...taken].some((t) => named.statement.pos >= t.pos && named.statement.end <= t.end)
        )
          return;
        // The handler's own declaration is part of the retry, beside the call that hands it on.
        const declared =
          named !== undefined && !apart(sourceFile, named.statement, branch)
            ? named.statement
            : undefined;
        const whole =
          rerun !== undefined &&
          rerun.body !== undefined &&
          ts.isBlock(rerun.body) &&
          rerun.body.statements.length <= 12
            ? rerun
            : undefined;
        push(
          whole ?? branch,
          growth === undefined ? "retry-poll" : "retry-backoff",
          [
            counter === undefined
              ? "on a failure"
              : `counts attempts in \`${counter}\` on a failure`,
            helper === undefined
              ? "schedules the operation again (after a wait or through a retry call)"
              : `schedules the operation again through \`${functionName(helper) ?? nameOfStatement(helper)}\`, which waits`,
          ],
          undefined,
          helper ?? declared,
        );
      },
    );
    // 3b. A function calling itself again on a failure with its attempt count moved by one.
    for (const call of facts.calls) {
      const self = countedSelfCall(call);
      if (self === undefined) continue;
      const { fn } = self;
      // A failure path of it already reported (step 3) is the retry's own, narrower range.
      if ([...taken].some((t) => t.pos >= fn.pos && t.end <= fn.end)) continue;
      // The function is the retry when it is small; in a long one (a batch run and its retry),
      // the failure path is.
      const holder = ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn;
      const node = lineCount(holder, sourceFile) <= 25 ? holder : self.path;
      push(
        node,
        "retry-backoff",
        [
          `calls itself again on a failure with \`${self.count}\` moved by one`,
          `\`${self.count}\` is compared with a bound or handed to a policy`,
        ],
        functionName(fn),
      );
    }
    // 4. An attempt counter raised before a strategy or a timer schedules the next attempt.
    for (const fn of facts.functions) {
      if (fn.body === undefined || !ts.isBlock(fn.body)) continue;
      const counter = bumpsAttempts(fn.body);
      if (counter === undefined || !waits(fn.body)) continue;
      let first: ts.Node | undefined;
      let last: ts.Node | undefined;
      walk(fn.body, (n) => {
        if (
          (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
          chain(n.operand) === counter
        )
          first ??= topStatement(n);
        if (ts.isCallExpression(n) && WAIT.test(callee(n) ?? "") && functionOf(n) === fn)
          last = topStatement(n);
      });
      if (first === undefined || last === undefined || last.pos < first.pos) continue;
      if ([...taken].some((t) => first !== undefined && first.pos >= t.pos && first.end <= t.end))
        continue;
      taken.add(first);
      detections.push({
        kind:
          (grows(fn.body) ?? delayFromAttempt(facts, fn.body)) === undefined
            ? "retry-poll"
            : "retry-backoff",
        confidence: 0.8,
        nodes: first === last ? [first] : [first, last],
        evidence: [
          `counts attempts in \`${counter}\``,
          "waits for a delay before the next attempt",
        ],
      });
    }
    // 4b. A failure path that re-enters its own function from a timer or after a wait (see
    // retry-reentry.ts), where no step above has reported that code.
    for (const d of reentryRetries(sourceFile)) {
      const [first] = d.nodes;
      const last = d.nodes[d.nodes.length - 1];
      if (first === undefined || last === undefined) continue;
      const reported = detections.some((r) =>
        r.nodes.some((t) => first.pos < t.end && t.pos < last.end),
      );
      if (reported || [...taken].some((t) => first.pos < t.end && t.pos < last.end)) continue;
      detections.push(d);
    }
    // 4c. A reconnect: a wait whose continuation opens the connection again, through the listener
    // of its loss (see retry-reconnect.ts), where no step above has reported that code.
    for (const d of reconnectRetries(
      sourceFile,
      (fn) => grows(fn) ?? delayFromAttempt(facts, fn),
    )) {
      const overlaps = (t: ts.Node): boolean => d.nodes.some((n) => n.pos < t.end && t.pos < n.end);
      if (detections.some((r) => r.nodes.some(overlaps)) || [...taken].some(overlaps)) continue;
      detections.push(d);
    }
    // 5. The retry's state put back where an attempt succeeds (`this.attempts = 0` on connect,
    // `delay = 0` before the next wait): part of the back-off, reported where it is.
    detections.push(...resets(sourceFile, facts, detections));
    return detections;
  },
};

/** `x++`, `x += 1`, `x *= 2`, `x = x * 2`, `x = x ? x * 2 : base`: a chain the retry moves on. */
function movedChain(n: ts.Node): ts.Expression | undefined {
  if (
    (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
    n.operator === ts.SyntaxKind.PlusPlusToken
  )
    return n.operand;
  if (!ts.isBinaryExpression(n)) return undefined;
  const op = n.operatorToken.kind;
  if (op === ts.SyntaxKind.PlusEqualsToken || op === ts.SyntaxKind.AsteriskEqualsToken)
    return n.left;
  if (op === ts.SyntaxKind.EqualsToken && multipliesItself(n)) return n.left;
  return undefined;
}

/** Whether an expression is a constant start value: `0`, `null`, `undefined`, `false`. */
function isStartValue(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    (ts.isNumericLiteral(n) && n.text === "0") ||
    n.kind === ts.SyntaxKind.NullKeyword ||
    n.kind === ts.SyntaxKind.FalseKeyword ||
    (ts.isIdentifier(n) && n.text === "undefined")
  );
}

/** The declaration a chain's root stands for (a local's binding), or the chain's text for a field. */
function stateKey(chainNode: ts.Expression): ts.Node | string | undefined {
  const u = unwrap(chainNode);
  if (ts.isIdentifier(u)) return bindingOf(u, u.text);
  if (ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword)
    return `this.${u.name.text}`;
  return undefined;
}

/**
 * Whether a function (not a method) sets up `this` — a constructor written as a function
 * (`function Stream(opts) { this.a = …; this.b = …; this.c = … }`): three or more fields set in
 * its own body.
 */
function initialises(fn: ts.Node): boolean {
  if (!ts.isFunctionDeclaration(fn) && !ts.isFunctionExpression(fn)) return false;
  if (fn.body === undefined) return false;
  let fields = 0;
  for (const st of fn.body.statements)
    if (
      ts.isExpressionStatement(st) &&
      ts.isBinaryExpression(st.expression) &&
      st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(st.expression.left) &&
      st.expression.left.expression.kind === ts.SyntaxKind.ThisKeyword
    )
      fields++;
  return fields >= 3;
}

/**
 * Resets of a retry's state: a local or `this` field that a reported retry raises or multiplies,
 * set back to 0 (or emptied) in another place of the file — not where it is declared or first set
 * (a constructor), nor inside a retry's own lines. The statement is reported, or the whole small
 * function that exists for the reset (each statement the reset, a clear of a timer or another
 * slot emptied).
 */
function resets(
  sourceFile: ts.SourceFile,
  facts: FileFacts,
  found: readonly Detection[],
): Detection[] {
  const keys = new Map<ts.Node | string, string>();
  const within = (n: ts.Node): boolean =>
    found.some((d) => d.nodes.some((m) => m.pos <= n.pos && n.end <= m.end));
  for (const d of found)
    for (const node of d.nodes)
      walk(node, (n) => {
        const moved = movedChain(n);
        if (moved === undefined) return;
        const key = stateKey(moved);
        if (key !== undefined) keys.set(key, unwrap(moved).getText(sourceFile));
      });
  if (keys.size === 0) return [];
  const out: Detection[] = [];
  const seen = new Set<ts.Node>();
  for (const n of facts.binaries) {
    if (n.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !isStartValue(n.right) || within(n))
      continue;
    const key = stateKey(n.left);
    const name = key === undefined ? undefined : keys.get(key);
    if (name === undefined) continue;
    const fn = functionOf(n);
    if (ts.isConstructorDeclaration(fn) || ts.isSourceFile(fn) || initialises(fn)) continue;
    // A function that exists for the reset: each of its (at most three) statements is the reset,
    // clears the retry's timer or empties another slot.
    const small =
      isFunctionLike(fn) &&
      fn.body !== undefined &&
      ts.isBlock(fn.body) &&
      fn.body.statements.length <= 3 &&
      !ts.isArrowFunction(fn) &&
      !ts.isFunctionExpression(fn) &&
      fn.body.statements.every((st) => {
        if (st === topStatement(n)) return true;
        if (
          ts.isExpressionStatement(st) &&
          ts.isBinaryExpression(st.expression) &&
          st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          isStartValue(st.expression.right)
        )
          return true;
        let clears = false;
        walk(st, (c) => {
          if (ts.isCallExpression(c) && /(^|\.)clear(Timeout|Interval)$/.test(callee(c) ?? ""))
            clears = true;
        });
        return clears;
      });
    const node = small ? fn : topStatement(n);
    if (seen.has(node) || within(node)) continue;
    seen.add(node);
    out.push({
      kind: "retry-backoff",
      confidence: 0.75,
      nodes: [node],
      evidence: [
        `sets \`${name}\` back to its start value`,
        "the retry reported in this file raises it on each failed attempt",
      ],
      name,
    });
  }
  return out;
}
