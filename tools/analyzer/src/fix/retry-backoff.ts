import { ts } from "ts-morph";
import { callee } from "../ast.js";
import type { Counter } from "./retry-loop-counter.js";
import { mentions, soleExpression } from "./statement-facts.js";

/** Names of helpers that only wait (`await sleep(ms)`). */
const SLEEP = /^(sleep|delay|wait|pause|timeout|setTimeoutPromise)$/i;

/** The wait of one catch statement: `await new Promise((r) => setTimeout(r, ms))` or `await sleep(ms)`. */
export function delayOf(statement: ts.Statement): ts.Expression | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isAwaitExpression(statement.expression))
    return undefined;
  const awaited = statement.expression.expression;
  if (ts.isNewExpression(awaited) && awaited.expression.getText() === "Promise") {
    const executor = awaited.arguments?.[0];
    const body = executor === undefined ? undefined : soleExpression(executor);
    if (body !== undefined && ts.isCallExpression(body) && callee(body) === "setTimeout")
      return body.arguments.length === 2 ? body.arguments[1] : undefined;
    return undefined;
  }
  if (!ts.isCallExpression(awaited) || awaited.arguments.length !== 1) return undefined;
  const name = callee(awaited)?.split(".").pop();
  return name !== undefined && SLEEP.test(name) ? awaited.arguments[0] : undefined;
}

const bare = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) ? bare(node.expression) : node;

/** `F ** counter` or `Math.pow(F, counter)`: the growth factor F. */
function powerOf(node: ts.Expression, counter: string): string | undefined {
  const n = bare(node);
  if (
    ts.isBinaryExpression(n) &&
    n.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken &&
    ts.isNumericLiteral(n.left) &&
    bare(n.right).getText() === counter
  )
    return n.left.text;
  if (
    ts.isCallExpression(n) &&
    callee(n) === "Math.pow" &&
    n.arguments.length === 2 &&
    n.arguments[0] !== undefined &&
    ts.isNumericLiteral(n.arguments[0]) &&
    n.arguments[1]?.getText() === counter
  )
    return n.arguments[0].text;
  return undefined;
}

/** The back-off of a delay: fixed, `base * F ** counter`, optionally under `Math.min(…, cap)`. */
export function backoffOf(
  delay: ts.Expression,
  counter: Counter,
  file: ts.SourceFile,
): { initialMs: string; maxMs: string; factor: string } | undefined {
  const text = delay.getText(file);
  if (!mentions(delay, counter.name)) return { initialMs: text, maxMs: text, factor: "1" };
  let growth = bare(delay);
  let cap: string | undefined;
  if (
    ts.isCallExpression(growth) &&
    callee(growth) === "Math.min" &&
    growth.arguments.length === 2
  ) {
    const [a, b] = growth.arguments as unknown as [ts.Expression, ts.Expression];
    const grows = mentions(a, counter.name) ? a : b;
    const fixed = grows === a ? b : a;
    if (mentions(fixed, counter.name)) return undefined;
    cap = fixed.getText(file);
    growth = bare(grows);
  }
  if (!ts.isBinaryExpression(growth) || growth.operatorToken.kind !== ts.SyntaxKind.AsteriskToken)
    return undefined;
  const leftFactor = powerOf(growth.left, counter.name);
  const rightFactor = powerOf(growth.right, counter.name);
  const factor = leftFactor ?? rightFactor;
  const base = leftFactor === undefined ? growth.left : growth.right;
  if (factor === undefined || mentions(base, counter.name)) return undefined;
  const baseText = base.getText(file);
  // The first wait follows the first attempt: counter 0 → base, counter 1 → base × factor.
  const initialMs =
    counter.start === 0
      ? baseText
      : /^[\d_]+$/.test(baseText)
        ? String(Number(baseText.replaceAll("_", "")) * Number(factor))
        : `${baseText} * ${factor}`;
  return { initialMs, maxMs: cap ?? "Number.MAX_SAFE_INTEGER", factor };
}
