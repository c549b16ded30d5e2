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
  prefilter: /(memoryUsage|getHeapStatistics|getHeapSpaceStatistics|freemem|[mM]emory|[hH]eap)/,
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
    // A memory figure compared with a limit that restarts, terminates or reclaims.
    walk(sourceFile, (node) => {
      if (
        !ts.isIfStatement(node) ||
        !/(memory|heap|rss)\w*\s*(>|>=)\s*\w*(limit|max|threshold)/i.test(
          node.expression.getText(sourceFile),
        )
      )
        return;
      let acts = "";
      walk(node.thenStatement, (n) => {
        if (
          ts.isCallExpression(n) &&
          /(restart|terminate|kill|exit|gc|reclaim|clear|shrink|destroy)/i.test(callee(n) ?? "")
        )
          acts = callee(n) ?? "";
      });
      if (acts === "") return;
      detections.push({
        kind: "memory-polling",
        confidence: 0.8,
        nodes: [node],
        evidence: [
          `memory usage compared with a limit: \`${node.expression.getText(sourceFile).replace(/\s+/g, " ").slice(0, 60)}\``,
          `then \`${acts}()\``,
        ],
      });
    });
    return detections;
  },
};
