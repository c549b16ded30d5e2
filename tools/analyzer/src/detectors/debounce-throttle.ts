import { ts } from "ts-morph";
import { callee, containsTimeRead, isFunctionLike, nameOf, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";

/**
 * Hand-rolled debounce and throttle wrappers: a function returning a function that clears and
 * re-arms a timer (debounce) or compares the clock with the last call (throttle). Where the goal
 * is one backend call per burst, `@perflayer/response` coalescing (`run(task, { key })`) replaces
 * them; UI-style debouncing is left alone.
 */
export const debounceThrottleDetector: Detector = {
  id: "response/debounce-throttle",
  category: "response",
  kinds: ["debounce", "throttle"],
  prefilter: /(clearTimeout|throttle|rateLimit)/i,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    walk(sourceFile, (outer) => {
      if (!isFunctionLike(outer) || outer.parameters.length === 0) return;
      walk(outer, (inner) => {
        if (inner === outer || !isFunctionLike(inner)) return;
        const returned =
          ts.isReturnStatement(inner.parent) || (ts.isArrowFunction(outer) && outer.body === inner);
        if (!returned) return;
        let clears = false;
        let arms = false;
        walk(inner, (n) => {
          if (ts.isCallExpression(n)) {
            const name = callee(n);
            if (name === "clearTimeout") clears = true;
            if (name === "setTimeout") arms = true;
          }
        });
        const range = ts.isVariableDeclaration(outer.parent) ? outer.parent.parent.parent : outer;
        const name = nameOf(range);
        if (clears && arms) {
          detections.push({
            kind: "debounce",
            confidence: /debounce/i.test(name ?? "") ? 0.95 : 0.8,
            nodes: [range],
            evidence: ["returns a function that clears and re-arms a timer"],
            name,
          });
        } else if (containsTimeRead(inner) && /throttle|rateLimit/i.test(name ?? "")) {
          detections.push({
            kind: "throttle",
            confidence: 0.85,
            nodes: [range],
            evidence: ["returns a function that compares the clock with the last call"],
            name,
          });
        }
      });
    });
    return detections;
  },
};
