import { ts } from "ts-morph";
import { chain, isFunctionLike, nameOf, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

const COUNTER =
  /^(active|running|inflight|inFlight|pending|current|busy|concurrent|workers|slots|activeCount|runningCount)$/i;
const LIMIT = /(max|limit|concurrency|capacity|size|parallel)/i;

/**
 * Hand-made concurrency limiters and task queues: a counter of running tasks compared with a limit,
 * a queue array pushed on arrival and shifted when a slot frees. Replaced by `@perflayer/response`
 * `ResponseOptimizer({ concurrency }).run(task)` (priorities, deadlines, shedding).
 */
export const concurrencyLimiterDetector: Detector = {
  id: "response/concurrency-limiter",
  category: "response",
  kinds: ["concurrency-limit"],
  prefilter: /\.shift\(/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    const containers: ts.Node[] = [];
    walk(sourceFile, (node) => {
      if (
        ts.isClassDeclaration(node) ||
        ts.isClassExpression(node) ||
        (isFunctionLike(node) && !isFunctionLike(node.parent ?? node))
      )
        containers.push(node);
    });
    for (const container of containers) {
      let counter: string | undefined;
      let compared = false;
      let increments = false;
      let decrements = false;
      const queues = new Map<string, { push: boolean; shift: boolean }>();
      walk(container, (node) => {
        if (
          ts.isBinaryExpression(node) &&
          [
            ts.SyntaxKind.LessThanToken,
            ts.SyntaxKind.GreaterThanEqualsToken,
            ts.SyntaxKind.GreaterThanToken,
          ].includes(node.operatorToken.kind)
        ) {
          const left = chain(node.left) ?? "";
          const right = chain(node.right) ?? node.right.getText(sourceFile);
          const leaf = left.split(".").pop() ?? "";
          if (COUNTER.test(leaf) && LIMIT.test(right)) {
            counter = left;
            compared = true;
          }
        }
        if (
          (ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) &&
          counter !== undefined &&
          chain(node.operand) === counter
        ) {
          if (node.operator === ts.SyntaxKind.PlusPlusToken) increments = true;
          if (node.operator === ts.SyntaxKind.MinusMinusToken) decrements = true;
        }
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
          const target = chain(node.expression.expression);
          const method = node.expression.name.text;
          if (target !== undefined && (method === "push" || method === "shift")) {
            const entry = queues.get(target) ?? { push: false, shift: false };
            if (method === "push") entry.push = true;
            else entry.shift = true;
            queues.set(target, entry);
          }
        }
      });
      // A second pass for counters updated before the comparison appeared in the walk.
      if (counter !== undefined && (!increments || !decrements)) {
        walk(container, (node) => {
          if (
            (ts.isPostfixUnaryExpression(node) || ts.isPrefixUnaryExpression(node)) &&
            chain(node.operand) === counter
          ) {
            if (node.operator === ts.SyntaxKind.PlusPlusToken) increments = true;
            if (node.operator === ts.SyntaxKind.MinusMinusToken) decrements = true;
          }
        });
      }
      const queue = [...queues.entries()].find(([, q]) => q.push && q.shift);
      if (!compared || !increments || !decrements || queue === undefined) continue;
      const node =
        isFunctionLike(container) && ts.isVariableDeclaration(container.parent)
          ? container.parent.parent.parent
          : container;
      detections.push({
        kind: "concurrency-limit",
        confidence: 0.9,
        nodes: [node],
        evidence: [
          `counter \`${counter as string}\` compared with a limit`,
          `queue \`${queue[0]}\` pushed and shifted`,
        ],
        name: nameOf(node),
      });
    }
    return detections;
  },
};
