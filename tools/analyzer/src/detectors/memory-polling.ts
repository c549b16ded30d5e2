import { ts } from "ts-morph";
import { callee, nameOf, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

const READS =
  /^(process\.memoryUsage(\.rss)?|v8\.getHeapStatistics|v8\.getHeapSpaceStatistics|getHeapStatistics|os\.freemem)$/;

/**
 * `process.memoryUsage()` / `v8.getHeapStatistics()` polled on a timer — each service grows its own.
 * Replaced by `@perflayer/memory` `MemoryOptimizer` (one sampler, budgets, levels, events).
 */
export const memoryPollingDetector: Detector = {
  id: "memory/memory-polling",
  category: "memory",
  kinds: ["memory-polling"],
  prefilter: /(memoryUsage|getHeapStatistics|getHeapSpaceStatistics|freemem)/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    walk(sourceFile, (node) => {
      if (!ts.isCallExpression(node)) return;
      const name = callee(node);
      if (name !== "setInterval" && name !== "setTimeout" && name !== "timers.setInterval") return;
      const callback = node.arguments[0];
      if (callback === undefined) return;
      let reads = "";
      let compares = false;
      walk(callback, (n) => {
        if (ts.isCallExpression(n) && READS.test(callee(n) ?? "")) reads = callee(n) ?? "";
        if (
          ts.isBinaryExpression(n) &&
          [
            ts.SyntaxKind.GreaterThanToken,
            ts.SyntaxKind.GreaterThanEqualsToken,
            ts.SyntaxKind.LessThanToken,
          ].includes(n.operatorToken.kind)
        )
          compares = true;
      });
      if (reads === "") return;
      const statement = topStatement(node);
      detections.push({
        kind: "memory-polling",
        confidence: compares || name === "setInterval" ? 0.9 : 0.75,
        nodes: [statement],
        evidence: [
          `\`${reads}()\` read in a \`${name}\` callback`,
          ...(compares ? ["compared against a threshold"] : []),
        ],
        name: nameOf(statement),
      });
    });
    return detections;
  },
};
