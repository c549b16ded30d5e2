import { ts } from "ts-morph";
import { isFunctionLike, nameOf, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

/**
 * Home-made percentile maths: sort the samples, index at `length * 0.99`. Replaced by a
 * `@perflayer/monitor` histogram (bounded memory) and `monitor.snapshot()` percentiles.
 */
export const percentileMathDetector: Detector = {
  id: "monitoring/percentile-math",
  category: "monitoring",
  kinds: ["rolling-window"],
  prefilter: /\.sort\(/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    walk(sourceFile, (node) => {
      if (!isFunctionLike(node) || node.body === undefined) return;
      const locals = new Map<string, string>();
      walk(node.body, (n) => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer !== undefined)
          locals.set(n.name.text, `(${n.initializer.getText(sourceFile)})`);
      });
      let sorts = false;
      let indexes = false;
      walk(node.body, (n) => {
        if (
          ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          n.expression.name.text === "sort" &&
          n.arguments.length === 1
        )
          sorts = true;
        if (ts.isElementAccessExpression(n)) {
          // Follow identifiers to their local initializers: `const i = Math.ceil(p * xs.length)`.
          const index = n.argumentExpression
            .getText(sourceFile)
            .replace(/\b[A-Za-z_$][\w$]*\b/g, (word) => locals.get(word) ?? word);
          if (
            (/length|count|size/.test(index) && /\*|\/\s*100/.test(index)) ||
            /percentile|quantile/i.test(index)
          )
            indexes = true;
        }
      });
      if (!sorts || !indexes) return;
      const range = ts.isVariableDeclaration(node.parent) ? node.parent.parent.parent : node;
      const name = nameOf(range);
      const named = /percentile|quantile|p9\d|median|stats|summar/i.test(name ?? "");
      detections.push({
        kind: "rolling-window",
        confidence: named ? 0.9 : 0.75,
        nodes: [range],
        evidence: ["sorts samples and indexes by a fraction of their count"],
        name,
      });
    });
    return detections;
  },
};
