import { ts } from "ts-morph";
import { callee, isFunctionLike, topStatement, walk, walkKinds } from "../ast.js";
import type { Detection } from "../detector.js";
import { factsOf, functionName, unwrap, withoutBind } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { isDelay, resolve as resolveFunction } from "./retry-reentry.js";

/**
 * Events that say a connection was lost: a listener of one of them that leads back to a timer
 * re-opening the connection makes a reconnect. (`end` and `status` are left out: a stream or a
 * long poll also ends when it is done, and work re-run then is periodic.)
 */
const LOST = /^(close|closed|error|disconnect|disconnected|exit)$/;
const LISTEN = /(^|\.)(on|once|addListener|addEventListener|prependListener)$/;
const LOST_PROPERTY = /^on(close|error|disconnect|exit)$/;
/** How many calls deep a function is followed to find what it runs. */
const DEPTH = 2;

/** The function a listener or timer callback stands for: inline, by name, `this.m`, `f.bind(x)`. */
function handlerFunction(node: ts.Node | undefined): ts.FunctionLikeDeclaration | undefined {
  if (node === undefined) return undefined;
  const n = withoutBind(node);
  if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return n;
  return resolveFunction(n);
}

/**
 * The functions of the file that running `body` calls (or hands on as a value), directly or
 * through the functions it calls, up to {@link DEPTH} levels.
 */
function reachable(
  body: ts.Node,
  depth: number,
  into: Set<ts.FunctionLikeDeclaration>,
): Set<ts.FunctionLikeDeclaration> {
  walk(body, (n) => {
    if (!ts.isIdentifier(n) && !ts.isPropertyAccessExpression(n)) return;
    if (ts.isIdentifier(n) && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
      return;
    const fn = resolveFunction(n);
    if (fn === undefined || into.has(fn)) return;
    into.add(fn);
    if (depth > 0 && fn.body !== undefined) reachable(fn.body, depth - 1, into);
  });
  return into;
}

/** A listener of a lost-connection event: where it is registered and the function it runs. */
interface LostListener {
  readonly site: ts.Node;
  readonly handler: ts.FunctionLikeDeclaration;
}

/** `socket.on('close', onClose)`, `ws.addEventListener('error', …)`, `ws.onclose = (e) => …`. */
function lostListeners(
  calls: readonly ts.CallExpression[],
  binaries: readonly ts.BinaryExpression[],
): LostListener[] {
  const out: LostListener[] = [];
  for (const call of calls) {
    const event = call.arguments[0];
    if (
      !LISTEN.test(callee(call) ?? "") ||
      event === undefined ||
      !ts.isStringLiteralLike(unwrap(event)) ||
      !LOST.test((unwrap(event) as ts.StringLiteralLike).text)
    )
      continue;
    const handler = handlerFunction(call.arguments[1]);
    if (handler?.body !== undefined) out.push({ site: call, handler });
  }
  for (const b of binaries) {
    if (
      b.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      !ts.isPropertyAccessExpression(b.left) ||
      !LOST_PROPERTY.test(b.left.name.text.toLowerCase())
    )
      continue;
    const handler = handlerFunction(b.right);
    if (handler?.body !== undefined) out.push({ site: b, handler });
  }
  return out;
}

/** A wait in `fn` and what runs after it: a timer's callback, or the statement after `await delay`. */
interface Wait {
  readonly arm: ts.Node;
  readonly then: ts.Node;
  readonly fn: ts.FunctionLikeDeclaration;
}

function waitsIn(sourceFile: ts.SourceFile, calls: readonly ts.CallExpression[]): Wait[] {
  const out: Wait[] = [];
  for (const call of calls) {
    if (!/(^|\.)(setTimeout|setInterval)$/.test(callee(call) ?? "")) continue;
    const delay = call.arguments[1];
    if (delay === undefined) continue;
    const d = unwrap(delay);
    if (ts.isNumericLiteral(d) && Number(d.text) <= 1) continue;
    const fn = functionOf(call);
    const cb = handlerFunction(call.arguments[0]);
    if (!isFunctionLike(fn) || cb?.body === undefined || cb === fn) continue;
    out.push({ arm: call, then: cb.body, fn });
  }
  // `await sleep(500); return this.connect();`
  walkKinds(sourceFile, [ts.SyntaxKind.AwaitExpression], (n) => {
    const statement = n.parent;
    if (!ts.isAwaitExpression(n) || !ts.isExpressionStatement(statement)) return;
    if (!isDelay(n.expression)) return;
    const block = statement.parent;
    const fn = functionOf(statement);
    if (!ts.isBlock(block) || !isFunctionLike(fn)) return;
    const next = block.statements[block.statements.indexOf(statement) + 1];
    if (next !== undefined) out.push({ arm: statement, then: next, fn });
  });
  return out;
}

/**
 * The range of a reconnect: the whole arming function when it is small and exists for it (at most
 * four statements), else the `if` the wait sits under (the decision to reconnect), else the wait
 * and what runs after it.
 */
function rangeOf(wait: Wait, sourceFile: ts.SourceFile): ts.Node[] {
  const { fn, arm } = wait;
  // (a named function: a listener written inline is the loss's handler, not the reconnect's own)
  if (
    functionName(fn) !== undefined &&
    !ts.isCallExpression(fn.parent) &&
    fn.body !== undefined &&
    ts.isBlock(fn.body) &&
    fn.body.statements.length <= 4
  )
    return [ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn];
  for (let c = arm.parent; c !== undefined && c !== fn; c = c.parent)
    if (ts.isIfStatement(c) && !(c.expression.pos <= arm.pos && arm.end <= c.expression.end)) {
      const lines =
        sourceFile.getLineAndCharacterOfPosition(c.end).line -
        sourceFile.getLineAndCharacterOfPosition(c.getStart(sourceFile)).line;
      if (lines <= 15) return [topStatement(c)];
      break;
    }
  const statement = topStatement(arm);
  return ts.isCallExpression(arm) || wait.then === statement ? [statement] : [statement, wait.then];
}

/**
 * Reconnects: a wait (a timer, or `await delay`) whose continuation opens the connection again —
 * it runs, directly or through the functions it calls, the code that registers a listener for the
 * connection's loss (`'close'`, `'error'`, `onclose`) — where that listener leads back to the
 * function that waits. A loop through the loss event: each lost connection waits and opens
 * another. A heartbeat armed on open, or a timer on close that only tidies up, closes no such loop.
 * @param sourceFile - the parsed file
 * @param grows - the growth of a delay in a function (a back-off), or undefined for a fixed one
 * @returns the reconnects, one per wait
 */
export function reconnectRetries(
  sourceFile: ts.SourceFile,
  grows: (fn: ts.Node) => string | undefined,
): Detection[] {
  const facts = factsOf(sourceFile);
  if (!/close|error|disconnect|exit/.test(sourceFile.text)) return [];
  const listeners = lostListeners(facts.calls, facts.binaries);
  if (listeners.length === 0) return [];
  const detections: Detection[] = [];
  const waits = waitsIn(sourceFile, facts.calls);
  if (waits.length === 0) return [];
  // What each listener's handler leads to, worked out once, before the waits are looked at.
  const leadsTo = listeners.map((l) =>
    l.handler.body === undefined ? new Set() : reachable(l.handler.body, DEPTH, new Set()),
  );
  for (const wait of waits) {
    const opened = reachable(wait.then, DEPTH, new Set());
    const inThen = (site: ts.Node): boolean =>
      wait.then.pos <= site.pos && site.end <= wait.then.end;
    const loop = listeners.find((l, i) => {
      const registrar = functionOf(l.site);
      if (!inThen(l.site) && !(isFunctionLike(registrar) && opened.has(registrar))) return false;
      return l.handler === wait.fn || leadsTo[i]?.has(wait.fn) === true;
    });
    if (loop === undefined) continue;
    const nodes = rangeOf(wait, sourceFile);
    if (
      detections.some((d) => d.nodes.some((n) => nodes.some((m) => m.pos < n.end && n.pos < m.end)))
    )
      continue;
    const growth = grows(wait.fn);
    const event = ts.isCallExpression(loop.site)
      ? (unwrap(loop.site.arguments[0] as ts.Node) as ts.StringLiteralLike).text
      : (loop.site as ts.BinaryExpression).left.getText(sourceFile);
    const name = functionName(wait.fn);
    detections.push({
      kind: growth === undefined ? "retry-poll" : "retry-backoff",
      confidence: 0.8,
      nodes,
      evidence: [
        `waits, then opens the connection again: what runs next registers the \`${event}\` listener`,
        `that listener leads back to ${name === undefined ? "this wait" : `\`${name}\``} (a reconnect on each loss)`,
        growth === undefined ? "fixed delay between attempts" : `delay ${growth}`,
      ],
      ...(name === undefined ? {} : { name }),
    });
  }
  return detections;
}
