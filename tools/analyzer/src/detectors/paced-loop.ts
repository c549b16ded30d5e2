import { ts } from "ts-morph";
import { isFunctionLike, isLoop, walk, walkKinds } from "../ast.js";
import type { Detection } from "../detector.js";
import { isDelay } from "./retry-reentry.js";

/** The identifiers a node reads (not property names). */
function reads(node: ts.Node): Set<string> {
  const names = new Set<string>();
  walk(node, (n) => {
    if (!ts.isIdentifier(n)) return;
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return;
    names.add(n.text);
  });
  return names;
}

/** The names a loop counts with: its `for` initializer's variables, or the counters its condition reads. */
function counters(loop: ts.IterationStatement): Set<string> {
  if (ts.isForStatement(loop) && loop.initializer !== undefined) {
    const names = new Set<string>();
    if (ts.isVariableDeclarationList(loop.initializer))
      for (const d of loop.initializer.declarations)
        if (ts.isIdentifier(d.name)) names.add(d.name.text);
    if (names.size > 0) return names;
  }
  // `while (n < limit) { …; n++ }`: what the condition reads and the body counts up or down (a
  // state the body sets, `while (!done)`, is a poll's, not a count).
  const condition = ts.isWhileStatement(loop)
    ? loop.expression
    : ts.isForStatement(loop)
      ? loop.condition
      : undefined;
  if (condition === undefined) return new Set();
  const read = reads(condition);
  const counted = new Set<string>();
  walk(loop.statement, (n) => {
    const target =
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
        ? n.operand
        : ts.isBinaryExpression(n) &&
            (n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken ||
              n.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken)
          ? n.left
          : undefined;
    if (target !== undefined && ts.isIdentifier(target) && read.has(target.text))
      counted.add(target.text);
  });
  return counted;
}

/**
 * Work paced by hand: a loop over items, pages or batches that waits a delay between iterations —
 * an awaited delay under an `if` on the loop's own counter (`if (i + size < items.length)`, `if (n
 * !== 0)`), so the first or last turn does not wait — beside work of its own. Not a retry (no
 * `catch` around the wait) and not a poll (the wait is decided by the count, not by a state).
 * @param sourceFile - the parsed file
 * @returns one throttle per paced loop: the `if` holding the wait
 */
export function pacedLoops(sourceFile: ts.SourceFile): Detection[] {
  const detections: Detection[] = [];
  walkKinds(sourceFile, [ts.SyntaxKind.AwaitExpression], (n) => {
    if (!ts.isAwaitExpression(n) || !isDelay(n.expression)) return;
    const statement = n.parent;
    if (!ts.isExpressionStatement(statement)) return;
    let decision: ts.IfStatement | undefined;
    let loop: ts.IterationStatement | undefined;
    for (
      let c: ts.Node = statement.parent;
      !isFunctionLike(c) && !ts.isSourceFile(c);
      c = c.parent
    ) {
      if (ts.isCatchClause(c) || ts.isTryStatement(c)) return;
      if (ts.isIfStatement(c) && decision === undefined) decision = c;
      if (isLoop(c)) {
        loop = c;
        break;
      }
    }
    if (decision === undefined || loop === undefined) return;
    // The `if` is a statement of the loop's own body, and holds only the wait.
    const body = loop.statement;
    if (!ts.isBlock(body) || !body.statements.includes(decision)) return;
    const then = decision.thenStatement;
    const only = ts.isBlock(then) ? then.statements : [then];
    if (only.length !== 1 || only[0] !== statement || decision.elseStatement !== undefined) return;
    const counted = counters(loop);
    if (![...reads(decision.expression)].some((name) => counted.has(name))) return;
    // Work beside the wait: a call of something else in the loop's body.
    const work = body.statements.some(
      (s) =>
        s !== decision &&
        (() => {
          let calls = false;
          walk(s, (c) => {
            if (ts.isCallExpression(c)) calls = true;
          });
          return calls;
        })(),
    );
    if (!work) return;
    detections.push({
      kind: "throttle",
      confidence: 0.75,
      nodes: [decision],
      evidence: [
        "waits a delay between the turns of a loop over work",
        "the wait is decided by the loop's own count (not on the first or last turn)",
      ],
    });
  });
  return detections;
}
