import { ts } from "ts-morph";
import { callee, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

/** `console.time(label)` … `console.timeEnd(label)`. Replaced by `@perflayer/monitor` timers. */
export const consoleTimeDetector: Detector = {
  id: "monitoring/console-time",
  category: "monitoring",
  kinds: ["timer-delta"],
  prefilter: /console\.time/,
  detect({ sourceFile }) {
    const starts: ts.CallExpression[] = [];
    const ends: ts.CallExpression[] = [];
    walk(sourceFile, (node) => {
      if (!ts.isCallExpression(node)) return;
      const name = callee(node);
      if (name === "console.time") starts.push(node);
      if (name === "console.timeEnd" || name === "console.timeLog") ends.push(node);
    });
    const detections: Detection[] = [];
    for (const start of starts) {
      const label = start.arguments[0]?.getText(sourceFile) ?? "";
      const end = ends.find(
        (e) => e.pos > start.pos && (e.arguments[0]?.getText(sourceFile) ?? "") === label,
      );
      detections.push({
        kind: "timer-delta",
        confidence: end === undefined ? 0.8 : 0.95,
        nodes: end === undefined ? [topStatement(start)] : [topStatement(start), topStatement(end)],
        evidence: [`console.time(${label.slice(0, 30)})`],
      });
    }
    return detections;
  },
};
