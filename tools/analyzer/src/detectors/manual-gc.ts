import { ts } from "ts-morph";
import { callee, isFunctionLike, topStatement } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";

/**
 * Forced collections: `global.gc()` / `globalThis.gc?.()`, and exposing the collector to call it
 * (`v8.setFlagsFromString("--expose-gc")`, `vm.runInNewContext("gc")`). Forcing collections
 * stalls the process. Replaced by registering reclaimers with `@perflayer/memory`
 * `MemoryOptimizer`, which gives memory back where it is held.
 */
export const manualGcDetector: Detector = {
  id: "memory/manual-gc",
  category: "memory",
  kinds: ["manual-gc"],
  prefilter: /\bgc\b/,
  detect({ sourceFile }) {
    const exposes = /expose-gc|\b(global|globalThis)\.gc\b/.test(sourceFile.text);
    const byFunction = new Map<ts.Node, { statements: Set<ts.Node>; evidence: Set<string> }>();
    for (const call of factsOf(sourceFile).calls) {
      const name = callee(call) ?? "";
      const argument = call.arguments[0]?.getText(sourceFile) ?? "";
      let evidence: string | undefined;
      if (/^(global|globalThis)\.gc$/.test(name) || (name === "gc" && exposes))
        evidence = `\`${name}()\` forces a collection`;
      else if (
        /(^|\.)(setFlagsFromString|runInNewContext)$/.test(name) &&
        /^["'](--(no-)?expose-gc|gc)["']$/.test(argument)
      )
        evidence = `\`${name}(${argument})\` exposes the collector to force collections`;
      else if (
        ts.isCallExpression(call.expression) &&
        /(^|\.)runInNewContext$/.test(callee(call.expression) ?? "")
      )
        evidence = "calls the collector obtained from a fresh context";
      if (evidence === undefined) continue;
      const fn = functionOf(call);
      let entry = byFunction.get(fn);
      if (entry === undefined)
        byFunction.set(fn, (entry = { statements: new Set(), evidence: new Set() }));
      entry.statements.add(topStatement(call));
      entry.evidence.add(evidence);
    }
    const detections: Detection[] = [];
    for (const [fn, { statements, evidence }] of byFunction) {
      const body = isFunctionLike(fn) ? fn.body : undefined;
      // A helper that exists to force collections is the construct.
      const whole =
        body !== undefined && ts.isBlock(body) && body.statements.length <= statements.size + 3;
      detections.push({
        kind: "manual-gc",
        confidence: 0.9,
        nodes:
          whole && isFunctionLike(fn)
            ? [ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn]
            : [...statements].sort((a, b) => a.pos - b.pos),
        evidence: [...evidence],
      });
    }
    return detections;
  },
};
