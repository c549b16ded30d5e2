import { ts } from "ts-morph";
import { callee, chain, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, isNullish, unwrap } from "../file-facts.js";
import { functionOf, isPromise, keyedFlows } from "./keyed-flows.js";
import { deletedOnSettle } from "./keyed-store.js";

function isNothing(node: ts.Node): boolean {
  return isNullish(node) || unwrap(node).kind === ts.SyntaxKind.FalseKeyword;
}

/** Whether the slot is emptied when a promise settles (`.finally(() => p = undefined)`) or anywhere else in the file. */
function emptied(sourceFile: ts.SourceFile, slot: string): boolean {
  let found = false;
  walk(sourceFile, (n) => {
    if (
      !found &&
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      chain(n.left) === slot &&
      isNothing(n.right)
    )
      found = true;
    if (!found && ts.isDeleteExpression(n) && chain(n.expression) === slot) found = true;
  });
  return found;
}

/** Whether a condition holds when the slot is set: `slot`, `a || slot`, `slot !== undefined`. */
function mentionsPositively(cond: ts.Node, slot: string): boolean {
  const c = unwrap(cond);
  if (chain(c) === slot) return true;
  if (ts.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken)
      return mentionsPositively(c.left, slot) || mentionsPositively(c.right, slot);
    if (
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken
    )
      return chain(c.left) === slot || chain(c.right) === slot;
  }
  return false;
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.some((s) => ts.isReturnStatement(s));
}

/** Whether a slot is awaited in a function: it holds a promise. */
function awaited(fn: ts.Node, slot: string): boolean {
  let found = false;
  walk(fn, (n) => {
    if (!found && ts.isAwaitExpression(n) && chain(unwrap(n.expression)) === slot) found = true;
  });
  return found;
}

/**
 * In-flight sharing by hand: concurrent callers get the one pending operation instead of starting
 * another — a promise kept in a map or a slot while it runs and dropped when it settles, or a busy
 * flag with a queue of callbacks answered together when the one run ends. A promise kept forever is
 * a cache (or lazy initialisation), not in-flight sharing. Replaced by `run(task, { key })`.
 */
export const dedupDetector: Detector = {
  id: "response/dedup",
  category: "response",
  kinds: ["dedup"],
  prefilter: /romise|\.then\(|\.finally\(|push\(/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    // 1. Keyed: `pending.get(k) ?? pending.set(k, p.finally(() => pending.delete(k)))`.
    for (const flow of keyedFlows(sourceFile)) {
      const value = flow.compute ?? flow.value;
      if (!isPromise(value, flow.fn) || !deletedOnSettle(flow)) continue;
      detections.push({
        kind: "dedup",
        confidence: 0.9,
        nodes: flow.own,
        evidence: [
          `promise kept in \`${flow.store}\` while it runs`,
          "removed when it settles, so later calls start afresh",
        ],
        name: flow.store,
      });
    }
    // 2. A slot: `if (this.p) return this.p; this.p = work().finally(() => { this.p = undefined })`.
    for (const fn of facts.functions) {
      if (fn.body === undefined) continue;
      const fills = new Map<string, ts.BinaryExpression>();
      walk(fn.body, (n) => {
        if (
          ts.isBinaryExpression(n) &&
          (n.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
            n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken) &&
          functionOf(n) === fn
        ) {
          const slot = chain(n.left);
          if (slot === undefined || slot === "this") return;
          if (isPromise(n.right, fn) || /promise/i.test(slot) || awaited(fn, slot))
            fills.set(slot, n);
        }
      });
      for (const [slot, fill] of fills) {
        // The slot is read to hand the pending promise out (or to drop the call) before it is filled.
        let shared: ts.Node | undefined;
        walk(fn.body, (n) => {
          if (shared !== undefined || n.pos > fill.pos) return;
          if (
            ts.isIfStatement(n) &&
            mentionsPositively(n.expression, slot) &&
            exits(n.thenStatement)
          )
            shared = n;
          if (
            ts.isIfStatement(n) &&
            ts.isPrefixUnaryExpression(unwrap(n.expression)) &&
            chain((unwrap(n.expression) as ts.PrefixUnaryExpression).operand) === slot &&
            fill.pos >= n.thenStatement.pos &&
            fill.end <= n.thenStatement.end
          )
            shared = n.expression;
          if (
            ts.isIfStatement(n) &&
            ts.isBinaryExpression(unwrap(n.expression)) &&
            unwrap(n.expression).getText().includes(slot) &&
            /[!=]==?\s*(undefined|null)/.test(unwrap(n.expression).getText())
          )
            shared = n;
        });
        if (fill.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken) shared = fill;
        if (shared === undefined || !emptied(sourceFile, slot)) continue;
        detections.push({
          kind: "dedup",
          confidence: 0.85,
          nodes: [
            ...new Set([
              ts.isIfStatement(shared) ? shared : topStatement(shared),
              topStatement(fill),
            ]),
          ].sort((a, b) => a.pos - b.pos),
          evidence: [
            `pending promise kept in \`${slot}\` and handed to concurrent callers`,
            "emptied when it settles",
          ],
          name: slot,
        });
      }
      // 3. A busy flag with queued callbacks: `if (this.renewing) return queue.push(cb); this.renewing = true`.
      if (!ts.isBlock(fn.body)) continue;
      const ifs: ts.IfStatement[] = [];
      walk(fn.body, (n) => {
        if (ts.isIfStatement(n) && functionOf(n) === fn) ifs.push(n);
      });
      for (const statement of ifs) {
        const flag = chain(unwrap(statement.expression));
        if (flag === undefined || flag === "this") continue;
        const exitsEarly = /return/.test(statement.thenStatement.getText());
        if (!exitsEarly) continue;
        let raises = false;
        let queues = false;
        walk(fn.body, (n) => {
          if (
            ts.isBinaryExpression(n) &&
            n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            chain(n.left) === flag &&
            n.right.kind === ts.SyntaxKind.TrueKeyword &&
            n.pos > statement.end
          )
            raises = true;
          if (
            ts.isCallExpression(n) &&
            /(^|\.)push$/.test(callee(n) ?? "") &&
            n.arguments.some((a) => /callback|cb|resolve|done/i.test(a.getText()))
          )
            queues = true;
        });
        if (!raises || !queues || !emptied(sourceFile, flag)) continue;
        detections.push({
          kind: "dedup",
          confidence: 0.8,
          nodes: [statement],
          evidence: [
            `while \`${flag}\` is set, callers are queued instead of starting another run`,
            "the queued callbacks share the one result",
          ],
          name: flag,
        });
        break;
      }
    }
    return detections;
  },
};
