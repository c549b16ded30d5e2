import { ts } from "ts-morph";
import { chain, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

const METRIC_FIELD =
  /^(requests?|hits?|misses|errors?|failures?|successes|count|total|calls|latency|durations?|bytes|timeouts|retries|served|dropped|rejected|inflight|active|totalTime|totalMs|sumMs|minMs|maxMs)$/i;
const METRIC_OBJECT = /metrics?|stats?|counters?|telemetry|tally/i;

/**
 * Ad-hoc metrics objects: `const stats = { requests: 0, errors: 0, hits: 0 }` incremented across the
 * file. Replaced by `@perflayer/monitor` counters (exported to Prometheus, alertable).
 */
export const adHocMetricsDetector: Detector = {
  id: "monitoring/ad-hoc-metrics",
  category: "monitoring",
  kinds: ["ad-hoc-metrics"],
  prefilter: /:\s*0\s*[,}]|(\?\?|\|\|)\s*0\s*\)/,
  detect({ sourceFile }) {
    const detections: Detection[] = counterMaps(sourceFile);
    walk(sourceFile, (node) => {
      let name: string | undefined;
      let literal: ts.ObjectLiteralExpression | undefined;
      let anchor: ts.Node | undefined;
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.initializer !== undefined &&
        ts.isObjectLiteralExpression(node.initializer)
      ) {
        name = node.name.text;
        literal = node.initializer;
        anchor = node.parent.parent;
      } else if (
        ts.isPropertyDeclaration(node) &&
        node.initializer !== undefined &&
        ts.isObjectLiteralExpression(node.initializer)
      ) {
        name = `this.${node.name.getText(sourceFile)}`;
        literal = node.initializer;
        anchor = node;
      }
      if (name === undefined || literal === undefined || anchor === undefined) return;
      const zeroFields = literal.properties.filter(
        (p) =>
          ts.isPropertyAssignment(p) &&
          ts.isNumericLiteral(p.initializer) &&
          p.initializer.text === "0" &&
          METRIC_FIELD.test(p.name.getText(sourceFile)),
      );
      if (zeroFields.length < 2) return;
      const fields = new Set(zeroFields.map((p) => (p.name as ts.Identifier).text));
      let increments = 0;
      const target = name;
      walk(sourceFile, (n) => {
        if (
          (ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) &&
          n.operator === ts.SyntaxKind.PlusPlusToken
        ) {
          const c = chain(n.operand) ?? "";
          if (fields.has(c.split(".").pop() ?? "") && c.startsWith(`${target}.`)) increments++;
        }
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) {
          const c = chain(n.left) ?? "";
          if (fields.has(c.split(".").pop() ?? "") && c.startsWith(`${target}.`)) increments++;
        }
      });
      if (increments < 2) return;
      detections.push({
        kind: "ad-hoc-metrics",
        confidence: METRIC_OBJECT.test(name) ? 0.9 : 0.75,
        nodes: [anchor],
        evidence: [
          `\`${name}\` holds ${zeroFields.length} zeroed counters`,
          `incremented ${increments} times`,
        ],
        name,
      });
    });
    return detections;
  },
};

/** `(x ?? 0) + 1` / `(x || 0) + 1`: the increment of a counter that may not exist yet. */
function incrementOf(node: ts.Expression): ts.Expression | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.PlusToken) return;
  let left: ts.Expression = node.left;
  while (ts.isParenthesizedExpression(left)) left = left.expression;
  if (
    ts.isBinaryExpression(left) &&
    (left.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      left.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
    ts.isNumericLiteral(left.right) &&
    left.right.text === "0"
  )
    return left.left;
  return undefined;
}

/**
 * Counters keyed by label in a plain object or Map — `counters[key] = (counters[key] ?? 0) + 1`,
 * `stats.set(k, (stats.get(k) ?? 0) + 1)` — on a metrics-like name: a labelled counter by hand.
 */
function counterMaps(sourceFile: ts.SourceFile): Detection[] {
  const sites = new Map<string, ts.Node[]>();
  walk(sourceFile, (n) => {
    let target: string | undefined;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isElementAccessExpression(n.left)
    ) {
      const read = incrementOf(n.right);
      const object = chain(n.left.expression);
      if (
        read !== undefined &&
        ts.isElementAccessExpression(read) &&
        chain(read.expression) === object
      )
        target = object;
    } else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === "set"
    ) {
      const value = n.arguments[1];
      const read = value === undefined ? undefined : incrementOf(value);
      const object = chain(n.expression.expression);
      if (
        read !== undefined &&
        ts.isCallExpression(read) &&
        ts.isPropertyAccessExpression(read.expression) &&
        read.expression.name.text === "get" &&
        chain(read.expression.expression) === object
      )
        target = object;
    }
    if (target === undefined || !METRIC_OBJECT.test(target)) return;
    sites.set(target, [...(sites.get(target) ?? []), n]);
  });
  const detections: Detection[] = [];
  for (const [name, nodes] of sites) {
    let declaration: ts.Node | undefined;
    walk(sourceFile, (n) => {
      if (
        declaration === undefined &&
        ts.isVariableDeclaration(n) &&
        n.name.getText(sourceFile) === name
      )
        declaration = n.parent.parent;
    });
    detections.push({
      kind: "ad-hoc-metrics",
      confidence: 0.85,
      nodes: [...(declaration === undefined ? [] : [declaration]), ...nodes.map(topStatement)],
      evidence: [`\`${name}\` counts by key: ${nodes.length} increment(s) of \`(x ?? 0) + 1\``],
      name,
    });
  }
  return detections;
}
