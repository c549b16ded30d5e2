import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, isClockish, isOrdering, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";

/** `xs.reduce(…)`, `… / xs.length`, `Math.max(...xs)`: the samples read as one whole. */
function aggregates(facts: FileFacts, samples: string): ts.Node | undefined {
  for (const call of facts.calls) {
    const name = callee(call) ?? "";
    if (name === `${samples}.reduce` || name === `${samples}.reduceRight`) return call;
    if (
      /^Math\.(max|min)$/.test(name) &&
      call.arguments.some((a) => ts.isSpreadElement(a) && chain(unwrap(a.expression)) === samples)
    )
      return call;
  }
  for (const b of facts.binaries)
    if (
      b.operatorToken.kind === ts.SyntaxKind.SlashToken &&
      chain(unwrap(b.right)) === `${samples}.length`
    )
      return b;
  return undefined;
}

/** `if (xs.length > n) xs.shift()`, `while (xs.length >= n) xs.splice(0, 1)`: the oldest dropped at a cap. */
function capTrim(call: ts.CallExpression, samples: string): ts.Node | undefined {
  const name = callee(call) ?? "";
  const dropsOldest =
    name === `${samples}.shift` ||
    (name === `${samples}.splice` &&
      call.arguments[0] !== undefined &&
      unwrap(call.arguments[0]).getText() === "0");
  if (!dropsOldest) return undefined;
  for (let c = call.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
    if (!ts.isIfStatement(c) && !ts.isWhileStatement(c)) continue;
    let capped = false;
    walk(c.expression, (n) => {
      if (
        ts.isBinaryExpression(n) &&
        isOrdering(n.operatorToken.kind) &&
        [n.left, n.right].some((s) => chain(unwrap(s)) === `${samples}.length`)
      )
        capped = true;
    });
    return capped ? c : undefined;
  }
  return undefined;
}

/** `xs = xs.filter((s) => now - s.time < window)`: the samples older than a window dropped. */
function ageTrim(facts: FileFacts, b: ts.BinaryExpression): string | undefined {
  if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const samples = chain(unwrap(b.left));
  const value = unwrap(b.right);
  if (samples === undefined || !ts.isCallExpression(value)) return undefined;
  if (callee(value) !== `${samples}.filter`) return undefined;
  const test = value.arguments[0] === undefined ? undefined : unwrap(value.arguments[0]);
  if (test === undefined || !isFunctionLike(test)) return undefined;
  let aged = false;
  walk(test, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      isOrdering(n.operatorToken.kind) &&
      [n.left, n.right].some((s) => {
        const u = unwrap(s);
        return (
          ts.isBinaryExpression(u) &&
          u.operatorToken.kind === ts.SyntaxKind.MinusToken &&
          isClockish(facts, u.left)
        );
      })
    )
      aged = true;
  });
  return aged ? samples : undefined;
}

/** Whether a value is made fresh: `0`, `[]`, `{…}`, `new X()`, `makeBucket()`. */
function fresh(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    (ts.isNumericLiteral(n) && n.text === "0") ||
    ts.isArrayLiteralExpression(n) ||
    ts.isObjectLiteralExpression(n) ||
    ts.isNewExpression(n) ||
    (ts.isCallExpression(n) && n.arguments.length === 0)
  );
}

/** The chains a file counts into: `this.active.success += 1`, `this.count++` → `this.active`, `this.count`. */
function countedChains(facts: FileFacts): Set<string> {
  const counted = new Set<string>();
  const note = (target: ts.Node): void => {
    const full = chain(unwrap(target));
    if (full === undefined) return;
    counted.add(full);
    const parts = full.split(".");
    // The bucket a field of which is counted (`this.active` for `this.active.success`).
    if (parts.length >= 3) counted.add(parts.slice(0, -1).join("."));
  };
  for (const u of facts.updates) if (u.operator === ts.SyntaxKind.PlusPlusToken) note(u.operand);
  for (const b of facts.binaries)
    if (b.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) note(b.left);
  return counted;
}

/**
 * Windows rotated by hand: the current bucket of counts moved to the previous window's slot and
 * replaced by a fresh one (`this.inactive = this.active; this.active = emptyBucket()`), the
 * counts raised on the current bucket elsewhere.
 */
function rotations(facts: FileFacts): Detection[] {
  const detections: Detection[] = [];
  const counted = countedChains(facts);
  if (counted.size === 0) return detections;
  for (const b of facts.binaries) {
    if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const previous = chain(unwrap(b.left));
    const current = chain(unwrap(b.right));
    if (previous === undefined || current === undefined || previous === current) continue;
    if (!current.startsWith("this.") || !counted.has(current)) continue;
    const statement = b.parent;
    if (!ts.isExpressionStatement(statement) || !ts.isBlock(statement.parent)) continue;
    const block = statement.parent;
    const next = block.statements[block.statements.indexOf(statement) + 1];
    if (
      next === undefined ||
      !ts.isExpressionStatement(next) ||
      !ts.isBinaryExpression(next.expression) ||
      next.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      chain(unwrap(next.expression.left)) !== current ||
      !fresh(next.expression.right)
    )
      continue;
    // A class that only keeps the window is the construct.
    let cls: ts.Node | undefined;
    for (let c = b.parent; c !== undefined; c = c.parent)
      if (ts.isClassDeclaration(c) || ts.isClassExpression(c)) {
        cls = c;
        break;
      }
    const leaf = (name: string): string => name.split(".").pop() ?? name;
    const own =
      cls !== undefined &&
      (ts.isClassDeclaration(cls) || ts.isClassExpression(cls)) &&
      cls.members.length <= 8 &&
      cls.members.every((m) => {
        const text = m.getText();
        return text.includes(leaf(current)) || text.includes(leaf(previous));
      });
    detections.push({
      kind: "rolling-window",
      confidence: 0.7,
      nodes: own && cls !== undefined ? [cls] : [statement, next],
      evidence: [
        `the counts of \`${current}\` moved to \`${previous}\` and started afresh`,
        "a window rotated by hand",
      ],
      name: current,
    });
  }
  return detections;
}

/**
 * Sample windows by hand: numbers or timed samples pushed into a list whose oldest entries are
 * dropped at a cap (`if (xs.length > n) xs.shift()`) or by age (`xs = xs.filter((s) => now - s.at
 * < window)`), the list then read as a whole (a `reduce`, an average over its length, a min/max).
 * A capped list that is only drained or joined (a queue, a log tail) is no window of samples.
 * Replaced by a `@perflayer/monitor` rolling window.
 */
export const sampleWindowDetector: Detector = {
  id: "monitoring/sample-window",
  category: "monitoring",
  kinds: ["rolling-window"],
  prefilter: /\.push\(|\+\+|\+=/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    const pushed = new Map<string, ts.CallExpression[]>();
    for (const call of facts.calls) {
      const name = callee(call) ?? "";
      if (!name.endsWith(".push")) continue;
      const list = name.slice(0, -".push".length);
      let calls = pushed.get(list);
      if (calls === undefined) pushed.set(list, (calls = []));
      calls.push(call);
    }
    const report = (samples: string, trim: ts.Node, how: string): void => {
      const whole = aggregates(facts, samples);
      const adds = pushed.get(samples);
      if (whole === undefined || adds === undefined) return;
      if (detections.some((d) => d.name === samples)) return;
      // The trim, the add and the read that share the trim's function form the window; an add or a
      // read in another function is a node of its own.
      const nodes = new Set<ts.Node>([topStatement(trim)]);
      for (const add of adds) nodes.add(topStatement(add));
      nodes.add(topStatement(whole));
      detections.push({
        kind: "rolling-window",
        confidence: 0.75,
        nodes: [...nodes].sort((a, b) => a.pos - b.pos),
        evidence: [
          `samples pushed into \`${samples}\`, the oldest dropped ${how}`,
          "the window read as a whole (a sum, an average, a minimum or maximum)",
        ],
        name: samples,
      });
    };
    for (const call of facts.calls) {
      const name = callee(call) ?? "";
      const samples = name.replace(/\.(shift|splice)$/, "");
      if (samples === name || !pushed.has(samples)) continue;
      const trim = capTrim(call, samples);
      if (trim !== undefined) report(samples, trim, "at a cap on their count");
    }
    for (const b of facts.binaries) {
      const samples = ageTrim(facts, b);
      if (samples !== undefined && pushed.has(samples))
        report(samples, b, "once older than a window");
    }
    detections.push(...rotations(facts));
    return detections;
  },
};
