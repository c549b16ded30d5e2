import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, walk } from "../ast.js";
import type { Detection } from "../detector.js";
import { isNullish, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";

/** The slot a test reads as "a run is in progress": `this.opening`, `this.target === key`. */
function testedSlot(condition: ts.Expression): string | undefined {
  const c = unwrap(condition);
  if (
    ts.isBinaryExpression(c) &&
    (c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      c.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)
  )
    return chain(unwrap(c.left));
  const slot = chain(c);
  return slot !== undefined && slot.startsWith("this.") ? slot : undefined;
}

/**
 * The event a branch waits for and returns with: `return fromEvent(this, 'open')`, `return new
 * Promise((r) => this.once('done', r))`, `this.once('done', cb); return`. The event's name.
 */
function awaitedEvent(branch: ts.Statement): string | undefined {
  const statements = ts.isBlock(branch) ? [...branch.statements] : [branch];
  if (statements.length > 3 || !statements.some((s) => ts.isReturnStatement(s))) return undefined;
  let event: string | undefined;
  for (const s of statements)
    walk(s, (n) => {
      if (event !== undefined || !ts.isCallExpression(n)) return;
      const name = callee(n) ?? "";
      const listens = /(^|\.)(once|on|addListener|fromEvent|waitFor\w*|onceEvent)$/i.test(name);
      if (!listens) return;
      const literal = n.arguments.find((a) => ts.isStringLiteralLike(a));
      // `this.once('open', cb)`, or a helper handed the emitter (`fromEvent(this, 'open')`).
      const receiver = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : undefined;
      const first = n.arguments[0] === undefined ? undefined : chain(unwrap(n.arguments[0]));
      const emitter = receiver === "this" || first === "this" ? "this" : undefined;
      if (literal !== undefined && emitter === "this") event = literal.text;
    });
  return event;
}

/**
 * In-flight work joined through an event: a method that, while its run is in progress (a marker
 * slot it sets), hands later callers a wait for the event it emits when the run ends, instead of
 * starting another (`if (this.opening) return fromEvent(this, 'open'); this.opening = true; …
 * this.opening = false; this.emit('open')`). An event that other code emits (a state change the
 * caller waits for) is not the run's end.
 * @param facts - the file's facts
 * @returns one dedup detection per method
 */
export function eventJoins(facts: FileFacts): Detection[] {
  const out: Detection[] = [];
  for (const fn of facts.functions) {
    const body = fn.body;
    if (body === undefined || !ts.isBlock(body)) continue;
    for (const st of body.statements.slice(0, 4)) {
      if (!ts.isIfStatement(st) || st.elseStatement !== undefined) continue;
      const slot = testedSlot(st.expression);
      if (slot === undefined) continue;
      const event = awaitedEvent(st.thenStatement);
      if (event === undefined) continue;
      // The method marks its run (the slot set to something) after the test, and emits the
      // event it handed out, later in its own body.
      let raised: ts.Node | undefined;
      let emitted: ts.Node | undefined;
      let lowered: ts.Node | undefined;
      walk(body, (n) => {
        if (n.pos < st.end || functionOf(n) !== fn) return;
        if (
          ts.isBinaryExpression(n) &&
          n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          chain(unwrap(n.left)) === slot
        ) {
          const v = unwrap(n.right);
          const empty = isNullish(v) || v.kind === ts.SyntaxKind.FalseKeyword;
          if (!empty && raised === undefined) raised = n;
          if (empty && raised !== undefined) lowered = n;
        }
        if (
          ts.isCallExpression(n) &&
          callee(n) === "this.emit" &&
          raised !== undefined &&
          n.arguments[0] !== undefined &&
          ts.isStringLiteralLike(n.arguments[0]) &&
          n.arguments[0].text === event
        )
          emitted = n;
      });
      if (raised === undefined || lowered === undefined || emitted === undefined) continue;
      out.push({
        kind: "dedup",
        confidence: 0.8,
        nodes: [isFunctionLike(fn) ? fn : st],
        evidence: [
          `while \`${slot}\` marks a run in progress, callers wait for its \`${event}\` event`,
          "instead of starting another run; the run emits it when it ends",
        ],
        name: slot,
      });
      break;
    }
  }
  return out;
}
