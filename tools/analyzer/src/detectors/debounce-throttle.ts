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
        // A debounce keeps its timer in the closure: `clearTimeout(t); t = setTimeout(…)` where `t`
        // is declared by the outer function — not a local timeout inside the returned function.
        const closureVars = new Set<string>();
        walk(outer, (n) => {
          if (
            ts.isVariableDeclaration(n) &&
            ts.isIdentifier(n.name) &&
            !(n.pos >= inner.pos && n.end <= inner.end)
          )
            closureVars.add(n.name.text);
        });
        const armed = new Set<string>();
        const cleared = new Set<string>();
        walk(inner, (n) => {
          if (
            ts.isBinaryExpression(n) &&
            n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            ts.isIdentifier(n.left) &&
            ts.isCallExpression(n.right) &&
            callee(n.right) === "setTimeout"
          )
            armed.add(n.left.text);
          if (
            ts.isCallExpression(n) &&
            callee(n) === "clearTimeout" &&
            n.arguments[0] !== undefined &&
            ts.isIdentifier(n.arguments[0])
          )
            cleared.add(n.arguments[0].text);
        });
        const clears = [...cleared].some((v) => armed.has(v) && closureVars.has(v));
        const arms = clears;
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
