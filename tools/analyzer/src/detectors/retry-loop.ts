import { ts } from "ts-morph";
import { callee, isFunctionLike, nameOf, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

const SLEEP = /^(sleep|delay|wait|pause|backoff|setTimeoutPromise|timers\/promises\.setTimeout)$/i;

/** An awaited pause: `await sleep(ms)`, `await new Promise(r => setTimeout(r, ms))`, `await setTimeout(ms)`. */
function awaitsPause(root: ts.Node): boolean {
  let found = false;
  walk(root, (node) => {
    if (found || !ts.isAwaitExpression(node)) return;
    const inner = node.expression;
    if (ts.isCallExpression(inner)) {
      const name = (callee(inner) ?? "").split(".").pop() ?? "";
      if (SLEEP.test(name) || name === "setTimeout") found = true;
    }
    if (ts.isNewExpression(inner) && inner.expression.getText() === "Promise") {
      walk(inner, (n) => {
        if (ts.isCallExpression(n) && callee(n) === "setTimeout") found = true;
      });
    }
  });
  return found;
}

/** Exponential back-off: `delay *= 2`, `2 ** attempt`, `Math.pow(2, n)`, `base * factor`. */
function backsOff(root: ts.Node): boolean {
  let found = false;
  walk(root, (node) => {
    if (found) return;
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken ||
        node.operatorToken.kind === ts.SyntaxKind.AsteriskEqualsToken)
    )
      found = true;
    if (ts.isCallExpression(node) && callee(node) === "Math.pow") found = true;
  });
  return found;
}

/**
 * Retry loops: a loop whose body tries an operation, catches, pauses and tries again (often with
 * back-off), or a function that calls itself again from its `catch`. Replaced by `@perflayer/response`
 * `retry(fn, { attempts, backoff })` (full jitter, deadline, abort).
 */
export const retryLoopDetector: Detector = {
  id: "response/retry-loop",
  category: "response",
  kinds: ["retry-backoff"],
  prefilter: /catch/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    const seen = new Set<ts.Node>();
    walk(sourceFile, (node) => {
      const isLoop =
        ts.isForStatement(node) ||
        ts.isWhileStatement(node) ||
        ts.isDoStatement(node) ||
        ts.isForOfStatement(node);
      if (!isLoop) return;
      let tries = false;
      walk(node, (n) => {
        if (ts.isTryStatement(n) && n.catchClause !== undefined) tries = true;
      });
      if (!tries || !awaitsPause(node)) return;
      const fn = owner(node);
      const range = fn ?? node;
      if (seen.has(range)) return;
      seen.add(range);
      const backoff = backsOff(node);
      detections.push({
        kind: "retry-backoff",
        confidence: backoff ? 0.95 : 0.85,
        nodes: [range],
        evidence: [
          "a loop that catches a failure and pauses before the next attempt",
          ...(backoff ? ["exponential back-off"] : []),
        ],
        name: nameOf(range),
      });
    });
    // Recursive retries: `catch (e) { if (attempts > 0) { await sleep(ms); return fn(attempts - 1); } }`.
    walk(sourceFile, (node) => {
      if (!isFunctionLike(node)) return;
      const name = nameOf(ts.isVariableDeclaration(node.parent) ? node.parent : node);
      if (name === undefined || seen.has(node)) return;
      let recursive = false;
      walk(node, (n) => {
        if (ts.isCatchClause(n)) {
          walk(n, (c) => {
            if (ts.isCallExpression(c) && (callee(c) === name || callee(c) === `this.${name}`))
              recursive = true;
          });
        }
      });
      if (!recursive || !awaitsPause(node)) return;
      const range = ts.isVariableDeclaration(node.parent) ? node.parent.parent.parent : node;
      seen.add(node);
      detections.push({
        kind: "retry-backoff",
        confidence: 0.85,
        nodes: [range],
        evidence: ["retries by calling itself again from `catch` after a pause"],
        name,
      });
    });
    return detections;
  },
};

function owner(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (isFunctionLike(current))
      return ts.isVariableDeclaration(current.parent) ? current.parent.parent.parent : current;
  }
  return undefined;
}
