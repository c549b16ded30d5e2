import { ts } from "ts-morph";
import { chain, walk } from "../ast.js";
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
  prefilter: /:\s*0\s*[,}]/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
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
