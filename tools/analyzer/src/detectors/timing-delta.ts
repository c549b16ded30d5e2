import { ts } from "ts-morph";
import { callee, chain, isTimeRead, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

const SINK =
  /^(console\.(log|info|debug|warn|error|trace)|log|logger\.\w+|this\.logger\.\w+|log\.\w+|\w+\.(push|observe|record|timing|histogram|add|update|emit|gauge|set|send|track)|(record|observe|track|report)[A-Z]\w*)$/;

/**
 * Timing by hand: `const start = Date.now()` (or `performance.now()`, `process.hrtime()`) and a later
 * `Date.now() - start` that goes to a log, an array or a metrics object. Replaced by
 * `@perflayer/monitor` `monitor.time(name, fn)` or `histogram.startTimer()`. A timestamp stored as a
 * field, or a delta only compared with a timeout (a deadline check), is not reported.
 */
export const timingDeltaDetector: Detector = {
  id: "monitoring/timing-delta",
  category: "monitoring",
  kinds: ["timing-delta"],
  prefilter: /(\.now\(\)|hrtime|getTime)/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    walk(sourceFile, (node) => {
      if (
        !ts.isVariableDeclaration(node) ||
        !ts.isIdentifier(node.name) ||
        node.initializer === undefined ||
        !isTimeRead(node.initializer)
      )
        return;
      const start = node.name.text;
      const block = node.parent.parent.parent;
      if (block === undefined) return;
      walk(block, (use) => {
        const delta = asDelta(use, start);
        if (delta === undefined) return;
        const sink = sinkOf(delta);
        if (sink === undefined) return;
        const statement = topStatement(sink);
        detections.push({
          kind: "timing-delta",
          confidence: 0.9,
          nodes: [node.parent.parent, statement],
          evidence: [
            `\`${start}\` from a clock read`,
            `elapsed time passed to \`${(callee(sink) ?? chain(sink) ?? sink.getText(sourceFile)).slice(0, 40)}\``,
          ],
          name: start,
        });
      });
    });
    return detections;
  },
};

/** `Date.now() - start`, `performance.now() - start`, `process.hrtime(start)`. */
function asDelta(node: ts.Node, start: string): ts.Node | undefined {
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.MinusToken &&
    isTimeRead(node.left) &&
    chain(node.right) === start
  )
    return node;
  if (
    ts.isCallExpression(node) &&
    callee(node) === "process.hrtime" &&
    node.arguments[0] !== undefined &&
    chain(node.arguments[0]) === start
  )
    return node;
  return undefined;
}

/** Where the delta goes: a logging/metrics call, a push, a `+=` into a field; undefined for comparisons. */
function sinkOf(delta: ts.Node): ts.Node | undefined {
  let current: ts.Node = delta;
  for (let depth = 0; depth < 6 && current.parent !== undefined; depth++) {
    const parent: ts.Node = current.parent;
    if (ts.isCallExpression(parent) && parent.expression !== current) {
      const name = callee(parent) ?? "";
      if (SINK.test(name)) return parent;
      if (name.startsWith("Math.")) {
        current = parent;
        continue;
      }
      return undefined;
    }
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (
        op === ts.SyntaxKind.PlusEqualsToken ||
        (op === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(parent.left)) ||
        ts.isElementAccessExpression(parent.left)
      )
        return parent;
      if (
        [
          ts.SyntaxKind.GreaterThanToken,
          ts.SyntaxKind.LessThanToken,
          ts.SyntaxKind.GreaterThanEqualsToken,
          ts.SyntaxKind.LessThanEqualsToken,
        ].includes(op)
      )
        return undefined;
      current = parent;
      continue;
    }
    if (
      ts.isTemplateSpan(parent) ||
      ts.isTemplateExpression(parent) ||
      ts.isParenthesizedExpression(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isObjectLiteralExpression(parent) ||
      ts.isShorthandPropertyAssignment(parent)
    ) {
      current = parent;
      continue;
    }
    if (ts.isVariableDeclaration(parent)) {
      // `const ms = Date.now() - start;` then `log(ms)`: follow the variable once.
      const name = parent.name.getText();
      const scope = parent.parent.parent.parent;
      let sink: ts.Node | undefined;
      if (scope !== undefined) {
        walk(scope, (n) => {
          if (sink === undefined && ts.isIdentifier(n) && n.text === name && n !== parent.name)
            sink = sinkOf(n);
        });
      }
      return sink;
    }
    return undefined;
  }
  return undefined;
}
