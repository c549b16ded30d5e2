import { ts } from "ts-morph";
import { callee, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

/**
 * `global.gc()` / `globalThis.gc()` calls in application code: forcing collections stalls the
 * process. Replaced by registering reclaimers with `@perflayer/memory` `MemoryOptimizer`.
 */
export const manualGcDetector: Detector = {
  id: "memory/manual-gc",
  category: "memory",
  kinds: ["manual-gc"],
  prefilter: /\bgc\(/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    walk(sourceFile, (node) => {
      if (!ts.isCallExpression(node)) return;
      const name = callee(node);
      if (name !== "global.gc" && name !== "globalThis.gc" && name !== "gc") return;
      if (name === "gc" && !/\b(global|globalThis)\.gc\b/.test(sourceFile.text)) return;
      let statement: ts.Node = node;
      while (
        !ts.isExpressionStatement(statement) &&
        !ts.isIfStatement(statement) &&
        statement.parent !== undefined &&
        !ts.isBlock(statement.parent) &&
        !ts.isSourceFile(statement.parent)
      )
        statement = statement.parent;
      if (ts.isIfStatement(statement.parent) && statement.parent.thenStatement === statement)
        statement = statement.parent;
      void topStatement;
      detections.push({
        kind: "manual-gc",
        confidence: 0.9,
        nodes: [statement],
        evidence: [`\`${name}()\` forces a collection`],
      });
    });
    return detections;
  },
};
