import { ts } from "ts-morph";
import { callee, isFunctionLike, lineCount, nameOf, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

/** Whether a node is `new Promise((_, reject) => setTimeout(() => reject(…), ms))` or a timeout helper call. */
function isTimeoutPromise(node: ts.Node): boolean {
  let timer = false;
  let rejects = false;
  walk(node, (n) => {
    if (ts.isCallExpression(n)) {
      const name = callee(n) ?? "";
      if (name === "setTimeout" || name === "timers.setTimeout") timer = true;
      if (/reject|throw/i.test(name)) rejects = true;
    }
    if (ts.isThrowStatement(n) || (ts.isNewExpression(n) && /Error$/.test(n.expression.getText())))
      rejects = true;
  });
  if (timer && rejects) return true;
  return (
    ts.isCallExpression(node) &&
    /^(timeout|rejectAfter|delayReject|timeoutPromise|deadline)\w*$/i.test(
      (callee(node) ?? "").split(".").pop() ?? "",
    )
  );
}

/**
 * `Promise.race([work, new Promise((_, reject) => setTimeout(reject, ms))])` — a timeout whose timer
 * is often never cleared and whose work is never cancelled. Replaced by `@perflayer/response`
 * `withTimeout(work, ms)` (typed TimeoutError, aborts the work's signal, always clears the timer).
 */
export const promiseRaceTimeoutDetector: Detector = {
  id: "response/promise-race-timeout",
  category: "response",
  kinds: ["timeout-race"],
  prefilter: /Promise\.race/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    walk(sourceFile, (node) => {
      if (!ts.isCallExpression(node) || callee(node) !== "Promise.race") return;
      const list = node.arguments[0];
      const elements = list !== undefined && ts.isArrayLiteralExpression(list) ? list.elements : [];
      if (!elements.some((e) => isTimeoutPromise(e))) return;
      let range: ts.Node = node;
      for (let current = node.parent; current !== undefined; current = current.parent) {
        if (isFunctionLike(current)) {
          // A helper whose whole job is the race counts whole; a big function only its statement.
          range =
            lineCount(current, sourceFile) <= 15
              ? ts.isVariableDeclaration(current.parent)
                ? current.parent.parent.parent
                : current
              : topStatement(node);
          break;
        }
        if (ts.isSourceFile(current)) {
          range = topStatement(node);
          break;
        }
      }
      let clears = false;
      walk(range, (n) => {
        if (ts.isCallExpression(n) && callee(n) === "clearTimeout") clears = true;
      });
      detections.push({
        kind: "timeout-race",
        confidence: 0.95,
        nodes: [range],
        evidence: [
          "`Promise.race` against a rejecting timer",
          clears ? "clears its timer" : "the timer is never cleared",
        ],
        name: nameOf(range),
      });
    });
    return detections;
  },
};
