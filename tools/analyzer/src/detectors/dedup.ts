import { eventJoins } from "./event-join.js";
import { ts } from "ts-morph";
import {
  callee,
  chain,
  isFunctionLike,
  isSettleCallback,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, functionName, isNullish, unwrap } from "../file-facts.js";
import { functionOf, isPromise, keyedFlows } from "./keyed-flows.js";
import type { KeyedFlow } from "./keyed-flow.js";
import { adjacentDeclaration, deletedOnSettle, returnsEntry } from "./keyed-store.js";
import { memoFunction, namedSpan } from "./memo-function.js";
import { localValue } from "./derived-value.js";
import { waiterLists } from "./waiter-list.js";

function isNothing(node: ts.Node): boolean {
  return isNullish(node) || unwrap(node).kind === ts.SyntaxKind.FalseKeyword;
}

/** Names of functions that end an owner's life: they drain work, they do not share it. */
const TEARDOWN = /^[_#]*(close|destroy|dispose|shutdown|stop|end|terminate|drain)/i;

/** A slot's name: a chain (`this.p`, `node.p`) or an element under a named key (`client[pending]`). */
function slotOf(node: ts.Node): string | undefined {
  const named = chain(node);
  if (named !== undefined || !ts.isElementAccessExpression(node)) return named;
  const target = chain(node.expression);
  const key = node.argumentExpression;
  return target !== undefined && (ts.isIdentifier(key) || ts.isStringLiteral(key))
    ? `${target}[${key.text}]`
    : undefined;
}

/** Whether the slot is emptied when a promise settles (`.finally(() => p = undefined)`) or anywhere else in the file. */
function emptied(sourceFile: ts.SourceFile, slot: string): boolean {
  let found = false;
  walk(sourceFile, (n) => {
    if (
      !found &&
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      slotOf(n.left) === slot &&
      isNothing(n.right)
    )
      found = true;
    if (!found && ts.isDeleteExpression(n) && slotOf(n.expression) === slot) found = true;
  });
  return found;
}

/** Whether a node lies on a failure path: a `catch` block, a `.catch(cb)` or `.then(_, cb)` callback. */
function onFailure(node: ts.Node): boolean {
  for (let c = node.parent; c !== undefined && !ts.isSourceFile(c); c = c.parent) {
    if (ts.isCatchClause(c)) return true;
    const call = c.parent;
    if (
      (ts.isArrowFunction(c) || ts.isFunctionExpression(c)) &&
      call !== undefined &&
      ts.isCallExpression(call) &&
      ts.isPropertyAccessExpression(call.expression) &&
      ((call.expression.name.text === "catch" && call.arguments[0] === c) ||
        (call.expression.name.text === "then" && call.arguments[1] === c))
    )
      return true;
    if (isFunctionLike(c)) return false;
  }
  return false;
}

/**
 * Whether a function is a teardown of the slot's owner rather than the end of the work: it awaits
 * the slot itself (closing waits for it), empties another store (`.clear()`), or does nothing but
 * empty things.
 */
function tearsDown(fn: ts.Node, slot: string): boolean {
  if (!isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return false;
  let found = false;
  walk(fn.body, (n) => {
    if (found) return;
    if (ts.isAwaitExpression(n) && n.expression.getText().startsWith(slot)) found = true;
    if (ts.isCallExpression(n) && /\.clear$/.test(callee(n) ?? "")) found = true;
  });
  if (found) return true;
  return fn.body.statements.every((st) => {
    const e = ts.isExpressionStatement(st) ? unwrap(st.expression) : undefined;
    return (
      e !== undefined &&
      ts.isBinaryExpression(e) &&
      e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isNothing(e.right)
    );
  });
}

/** Whether every place that empties the slot is a failure path (a `.catch` callback, a `catch`). */
function droppedOnFailureOnly(sourceFile: ts.SourceFile, slot: string): boolean {
  const sites = emptyingSites(sourceFile, slot);
  return sites.length > 0 && sites.every(onFailure);
}

/** The assignments of nothing to a slot, and its deletes, anywhere in the file. */
function emptyingSites(sourceFile: ts.SourceFile, slot: string): ts.Node[] {
  const sites: ts.Node[] = [];
  walkKinds(sourceFile, [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.DeleteExpression], (n) => {
    if (
      (ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        slotOf(n.left) === slot &&
        isNothing(n.right)) ||
      (ts.isDeleteExpression(n) && slotOf(n.expression) === slot)
    )
      sites.push(n);
  });
  return sites;
}

/** Whether a value is a dynamic `import(…)` (through any `.then`/`.catch` steps). */
function loadsModule(value: ts.Node): boolean {
  let v = unwrap(value);
  while (
    ts.isCallExpression(v) &&
    ts.isPropertyAccessExpression(v.expression) &&
    /^(then|catch|finally)$/.test(v.expression.name.text)
  )
    v = unwrap(v.expression.expression);
  return ts.isCallExpression(v) && v.expression.kind === ts.SyntaxKind.ImportKeyword;
}

/**
 * Whether a promise slot outlives its work: it is emptied only by a teardown in another function
 * (`close()`, `clear()`, `drop()`) — nothing empties it when the work settles or fails, so it is
 * kept for the owner's life (lazy initialisation); or it holds a module loaded once.
 */
function keptAfterSettling(
  sourceFile: ts.SourceFile,
  slot: string,
  fill: ts.Node,
  fillValue: ts.Node,
): boolean {
  const sites = emptyingSites(sourceFile, slot);
  if (sites.length === 0) return false;
  // A module loaded once (`slot ??= import(…)`), dropped only if the load fails: lazy loading.
  if (sites.every(onFailure) && loadsModule(fillValue)) return true;
  return sites.every((site) => {
    // Dropped on a failure so that the next call tries again: shared while it runs.
    if (onFailure(site)) return false;
    const home = functionOf(site);
    if (home === fill) return false;
    // Inside a callback (a `then`, an event, a timer): it runs when something completes.
    const outer = home.parent;
    if (
      outer !== undefined &&
      (ts.isCallExpression(outer) || ts.isNewExpression(outer)) &&
      outer.arguments?.includes(home as ts.Expression) === true
    )
      return false;
    return tearsDown(home, slot);
  });
}

/**
 * Whether a fill only makes a waiter: `new Promise((resolve) => { this.wake = resolve })` (through
 * any `.then`/`.finally`), its executor calling nothing, and the function starting no work after it
 * — callers wait together for a signal another event gives, no operation is shared.
 */
function waiterOnly(fill: ts.BinaryExpression, fn: ts.Node): boolean {
  let value = unwrap(fill.right);
  while (
    ts.isCallExpression(value) &&
    ts.isPropertyAccessExpression(value.expression) &&
    /^(then|catch|finally)$/.test(value.expression.name.text)
  )
    value = unwrap(value.expression.expression);
  if (!ts.isNewExpression(value) || chain(value.expression) !== "Promise") return false;
  const executor = value.arguments?.[0];
  if (
    executor === undefined ||
    (!ts.isArrowFunction(executor) && !ts.isFunctionExpression(executor))
  )
    return false;
  let calls = false;
  walk(executor.body, (n) => {
    if (ts.isCallExpression(n)) calls = true;
  });
  if (calls) return false;
  let after = false;
  walk(fn, (n) => {
    if (!after && ts.isCallExpression(n) && n.pos >= fill.end) after = true;
  });
  return !after;
}

/** Whether a condition holds when the slot is set: `slot`, `a || slot`, `slot !== undefined`. */
function mentionsPositively(cond: ts.Node, slot: string): boolean {
  const c = unwrap(cond);
  if (slotOf(c) === slot) return true;
  if (ts.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken)
      return mentionsPositively(c.left, slot) || mentionsPositively(c.right, slot);
    if (
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken
    )
      return slotOf(c.left) === slot || slotOf(c.right) === slot;
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
    if (!found && ts.isAwaitExpression(n) && slotOf(unwrap(n.expression)) === slot) found = true;
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
  prefilter: /romise|\.then\(|\.finally\(|push\(|\bdelete\b|\.emit\(/,
  detect({ sourceFile }) {
    return sharing(sourceFile).dedup;
  },
};

/** The in-flight sharing of a file and the shared promises it keeps after they succeed, once per file. */
const analysed = new WeakMap<ts.SourceFile, { dedup: Detection[]; kept: Detection[] }>();

/**
 * Promise slots handed to concurrent callers that are kept once their work succeeds — emptied only
 * when it fails, by the constructor that declares them, or by a method that only resets fields
 * (`reset() { this.delta = 0; this.pending = null }`): a promise cache, the caching detectors'
 * (`kept-promise`), not in-flight sharing.
 */
export function keptSharedPromises(sourceFile: ts.SourceFile): Detection[] {
  return sharing(sourceFile).kept;
}

function sharing(sourceFile: ts.SourceFile): { dedup: Detection[]; kept: Detection[] } {
  const known = analysed.get(sourceFile);
  if (known !== undefined) return known;
  const result = analyse(sourceFile);
  analysed.set(sourceFile, result);
  return result;
}

/** Whether a statement only sets a field or a local to nothing or a literal (`this.delta = 0`). */
function resetsOnly(statement: ts.Statement): boolean {
  const e = ts.isExpressionStatement(statement) ? unwrap(statement.expression) : undefined;
  if (
    e === undefined ||
    !ts.isBinaryExpression(e) ||
    e.operatorToken.kind !== ts.SyntaxKind.EqualsToken
  )
    return false;
  const r = unwrap(e.right);
  return (
    isNothing(r) ||
    ts.isLiteralExpression(r) ||
    r.kind === ts.SyntaxKind.TrueKeyword ||
    (ts.isArrayLiteralExpression(r) && r.elements.length === 0) ||
    (ts.isObjectLiteralExpression(r) && r.properties.length === 0)
  );
}

/**
 * Whether a shared promise slot stays filled once its work succeeds: every place that empties it
 * is a failure path, the constructor (its first value), or a function other than the fill that
 * does nothing but reset fields — nothing drops it when the work settles.
 */
function keptAfterSuccess(sourceFile: ts.SourceFile, slot: string, fill: ts.Node): boolean {
  const sites = emptyingSites(sourceFile, slot);
  let dropsOnFailure = false;
  const kept = sites.every((site) => {
    if (onFailure(site)) {
      dropsOnFailure = true;
      return true;
    }
    const home = functionOf(site);
    if (ts.isConstructorDeclaration(home)) return true;
    // A callback (`.finally(() => …)`, a listener) runs when something completes: not a reset.
    const outer = home.parent;
    if (
      onSettle(site) ||
      (outer !== undefined &&
        (ts.isCallExpression(outer) || ts.isNewExpression(outer)) &&
        outer.arguments?.includes(home as ts.Expression) === true)
    )
      return false;
    // A reset the file itself calls (`_resetState()` once the run ends) is how the work lets go of
    // the slot when it completes; one only the object's users call is an explicit invalidation.
    const name = functionName(home);
    return (
      home !== fill &&
      isFunctionLike(home) &&
      home.body !== undefined &&
      ts.isBlock(home.body) &&
      home.body.statements.every(resetsOnly) &&
      name !== undefined &&
      !factsOf(sourceFile).calls.some(
        (c) =>
          (callee(c) ?? "")
            .replace(/^this\./, "")
            .split(".")
            .pop() === name,
      )
    );
  });
  return kept && (dropsOnFailure || sites.some((s) => !ts.isConstructorDeclaration(functionOf(s))));
}

function analyse(sourceFile: ts.SourceFile): { dedup: Detection[]; kept: Detection[] } {
  {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    const kept: Detection[] = [];
    // 1. Keyed: `pending.get(k) ?? pending.set(k, p.finally(() => pending.delete(k)))`.
    for (const flow of keyedFlows(sourceFile)) {
      if (!promisedFlow(flow) || !deletedOnSettle(flow)) continue;
      // The entry deleted once the run settles, below the write (`finally { pending.delete(k) }`):
      // the release is the construct's too.
      const released = keyedRelease(flow);
      // The pending map beside its function, and a function that exists for the sharing (it ends
      // by returning the shared promise): the map's declaration and the closing `return` are the
      // construct's own lines, the function its range — as for a memo's.
      const declaration = adjacentDeclaration(sourceFile, flow);
      const own = [...flow.own, ...released];
      const around = memoFunction(flow.fn, own, flow.store, (e) => returnsEntry([flow], e));
      detections.push({
        kind: "dedup",
        confidence: 0.9,
        nodes: [
          ...new Set([
            ...(declaration === undefined ? [] : [declaration]),
            ...own,
            ...(around === undefined ? [] : [around.ret]),
          ]),
        ].sort((a, b) => a.pos - b.pos),
        ...(around === undefined ? {} : { context: [around.span] }),
        evidence: [
          `promise kept in \`${flow.store}\` while it runs`,
          "removed when it settles, so later calls start afresh",
        ],
        name: flow.store,
      });
    }
    // 1b. Keyed, any pending thing (an emitter, an observable, a handler): made on a miss, stored,
    // and its entry deleted by the callback that runs when the work it stands for completes.
    for (const flow of keyedFlows(sourceFile)) {
      const value = flow.compute ?? flow.value;
      if (value === undefined || flow.addsKey || flow.list === true) continue;
      if (promisedFlow(flow)) continue;
      const done = deletedOnCompletion(flow);
      if (done === undefined) continue;
      if (detections.some((d) => d.nodes.some((n) => flow.own.includes(n)))) continue;
      detections.push({
        kind: "dedup",
        confidence: 0.8,
        nodes: [...flow.own, done.drop].sort((a, b) => a.pos - b.pos),
        evidence: [
          `pending work kept in \`${flow.store}\` under its key; later calls join it`,
          `the entry is deleted when the work completes (in the callback handed to \`${done.by}\`)`,
        ],
        name: flow.store,
      });
    }
    // 2. A slot: `if (this.p) return this.p; this.p = work().finally(() => { this.p = undefined })`.
    for (const fn of facts.functions) {
      if (fn.body === undefined) continue;
      const fills = new Map<string, ts.BinaryExpression>();
      walkKinds(fn.body, [ts.SyntaxKind.BinaryExpression], (n) => {
        if (
          ts.isBinaryExpression(n) &&
          (n.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
            n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken) &&
          functionOf(n) === fn
        ) {
          const slot = slotOf(n.left);
          // Emptying the slot (`p = null` in `finally`) is not filling it.
          if (slot === undefined || slot === "this" || isNothing(n.right)) return;
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
            slotOf((unwrap(n.expression) as ts.PrefixUnaryExpression).operand) === slot &&
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
        // `slot ??= work()`, and its older spellings `slot = slot || work()`, `slot = slot ?? work()`.
        const right = unwrap(fill.right);
        const spelled =
          ts.isBinaryExpression(right) &&
          (right.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
            right.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
          slotOf(unwrap(right.left)) === slot;
        if (
          fill.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
          (ts.isBinaryExpression(right) &&
            (right.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
              right.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
            slotOf(unwrap(right.left)) === slot)
        )
          shared = fill;
        if (shared === undefined || !emptied(sourceFile, slot)) continue;
        // A promise kept until a failure or a teardown is lazy initialisation, not in-flight work.
        if (keptAfterSettling(sourceFile, slot, fn, fill.right)) continue;
        // A waiter: a bare deferred that a later event resolves, with no work started for it.
        if (waiterOnly(fill, fn)) continue;
        // Emptied in this function's `finally` (`try { return await p } finally { p = null }`, or
        // `try { p = connect(); return await p } finally { p = undefined }` around the fill): the
        // `try` is part of it.
        let release: ts.Node | undefined;
        walk(fn.body, (n) => {
          if (
            release === undefined &&
            ts.isTryStatement(n) &&
            n.finallyBlock !== undefined &&
            n.end > fill.end &&
            functionOf(n) === fn &&
            n.finallyBlock.statements.some((st) => {
              const e = ts.isExpressionStatement(st) ? unwrap(st.expression) : undefined;
              return (
                e !== undefined &&
                ts.isBinaryExpression(e) &&
                e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
                slotOf(e.left) === slot &&
                isNothing(e.right)
              );
            })
          )
            release = n;
        });
        // `p = p || work()` shares a pending promise only when this function empties it once it
        // settles (`finally`); emptied only elsewhere, it is lazy initialisation.
        if (spelled && release === undefined) continue;
        // Kept once it succeeds (dropped only if it fails, or by a reset): a promise cache.
        const keeps = release === undefined && keptAfterSuccess(sourceFile, slot, fn);
        const parts = [
          ts.isIfStatement(shared) ? shared : topStatement(shared),
          topStatement(fill),
          ...(release === undefined ? [] : [release]),
          // The slot emptied when the promise settles, by a statement of its own after the fill
          // (`this.p.then(() => delete this.p, () => delete this.p)`): the release.
          ...settledRelease(sourceFile, fn, fill, slot),
          // The function ending by waiting for the shared run (`await client[reconnecting]`).
          ...joinedAtEnd(fn, slot),
        ];
        // A function that exists for the sharing ends by returning the pending promise (the slot,
        // or the local it was filled from), or by waiting for it: its closing statement is the
        // construct's, the function its range.
        const filledFrom = unwrap(fill.right);
        const around = memoFunction(
          fn,
          parts,
          slot,
          (e) =>
            slotOf(e) === slot ||
            (ts.isIdentifier(e) && ts.isIdentifier(filledFrom) && e.text === filledFrom.text),
          true,
        );
        // A factory that exists for the sharing (`(work) => { let p = null; return (...a) => { if
        // (p == null) p = work(...a).finally(() => (p = null)); return p } }`): the slot's
        // declaration and the factory are the construct.
        const factory = around === undefined ? sharingFactory(fn, slot) : undefined;
        // (outside such a factory, an unnamed function's closing `return` of the slot is still the
        // hand-out of the shared run)
        const handOut =
          around === undefined && factory === undefined && namedSpan(fn) === undefined
            ? closingReturn(fn, slot)
            : [];
        (keeps ? kept : detections).push({
          kind: keeps ? "promise-cache" : "dedup",
          confidence: 0.85,
          nodes: [
            ...new Set([
              ...(factory === undefined ? [] : [factory.declaration, factory.ret]),
              ...parts,
              ...handOut,
              ...(around === undefined ? [] : [around.ret]),
            ]),
          ].sort((a, b) => a.pos - b.pos),
          ...(factory !== undefined
            ? { context: [factory.span] }
            : around === undefined
              ? {}
              : { context: [around.span] }),
          evidence: keeps
            ? [
                `promise kept in \`${slot}\` and handed to every later caller`,
                "kept once it succeeds: dropped only if it fails or by a reset",
              ]
            : [
                `pending promise kept in \`${slot}\` and handed to concurrent callers`,
                droppedOnFailureOnly(sourceFile, slot)
                  ? "dropped if it fails, so a later call starts again"
                  : "emptied when it settles",
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
            n.pos >= statement.end
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
    // 4a. Another method joining the pending operation of a slot reported above (`if (this.p) {
    // await this.p }` in a flush that must not start a second run): part of the same sharing,
    // reported where it is.
    const slots = new Map(
      detections
        .filter((d) => d.name !== undefined && d.name.startsWith("this."))
        .map((d) => [d.name as string, d]),
    );
    if (slots.size > 0)
      walkKinds(sourceFile, [ts.SyntaxKind.IfStatement], (n) => {
        if (!ts.isIfStatement(n)) return;
        for (const [slot, owner] of slots) {
          if (!mentionsPositively(n.expression, slot)) continue;
          if (owner.nodes.some((o) => o.pos <= n.pos && n.end <= o.end)) continue;
          if (detections.some((d) => d.nodes.some((o) => o.pos <= n.pos && n.end <= o.end)))
            continue;
          let joins = false;
          walk(n.thenStatement, (m) => {
            if (
              !joins &&
              ((ts.isAwaitExpression(m) && slotOf(unwrap(m.expression)) === slot) ||
                (ts.isReturnStatement(m) &&
                  m.expression !== undefined &&
                  slotOf(unwrap(m.expression)) === slot))
            )
              joins = true;
          });
          // A teardown draining the work before it closes (`close() { …; await this.pendingWrite }`)
          // waits for it to end, it shares nothing (the name is a weak signal, used only to stay silent).
          if (!joins || TEARDOWN.test(functionName(functionOf(n)) ?? "")) continue;
          detections.push({
            kind: "dedup",
            confidence: 0.75,
            nodes: [n],
            evidence: [
              `waits for the pending operation kept in \`${slot}\` instead of starting another`,
              "the slot is filled and emptied by the shared run reported in this file",
            ],
            name: slot,
          });
          return;
        }
      });
    // 4. The slot filled in one method and handed out in another: a property holding a promise
    // emptied when it settles (`node.connecting = connect().finally(() => node.connecting = undefined)`),
    // returned elsewhere while it is set (`return node.connecting ?? …`, `if (x.connecting) return x.connecting`).
    const reported = new Set(detections.flatMap((d) => d.nodes));
    for (const property of pendingProperties(sourceFile)) {
      for (const handOut of handedOut(sourceFile, property)) {
        if (reported.has(handOut)) continue;
        reported.add(handOut);
        detections.push({
          kind: "dedup",
          confidence: 0.75,
          nodes: [handOut],
          evidence: [
            `pending promise kept in \`.${property}\` and handed to callers while it runs`,
            "emptied when it settles (in a `then`/`catch`/`finally` callback), so later calls start afresh",
          ],
          name: property,
        });
      }
    }
    // 4c. A run whose later callers wait for the event it emits when it ends.
    for (const d of eventJoins(facts))
      if (
        !detections.some((o) =>
          o.nodes.some((n) => d.nodes.some((m) => m.pos < n.end && n.pos < m.end)),
        )
      )
        detections.push(d);
    // 5. Callers' callbacks queued while one run is pending, all answered when it ends: the whole
    // mechanism, in place of a part of it reported above (the busy test of 3).
    for (const d of waiterLists(facts, sourceFile)) {
      const span = [...d.nodes, ...(d.context ?? [])];
      const from = Math.min(...span.map((n) => n.pos));
      const to = Math.max(...span.map((n) => n.end));
      const within = (o: Detection): boolean => o.nodes.every((n) => n.pos >= from && n.end <= to);
      const overlaps = (o: Detection): boolean => o.nodes.some((n) => n.pos < to && from < n.end);
      if (detections.some((o) => overlaps(o) && !within(o))) continue;
      for (let i = detections.length - 1; i >= 0; i--)
        if (within(detections[i] as Detection)) detections.splice(i, 1);
      detections.push(d);
    }
    return { dedup: detections, kept };
  }
}

/**
 * Whether a keyed flow stores a promise: what computes it is one, or the local it is kept in is
 * awaited or chained (`const request = get(url); pending.set(url, request); … await request`).
 */
function promisedFlow(flow: KeyedFlow): boolean {
  const value = flow.compute ?? flow.value;
  return (
    isPromise(value, flow.fn) ||
    (flow.value !== undefined && flow.value !== value && isPromise(flow.value, flow.fn))
  );
}

/** The statement of `fn`'s own blocks that holds a node. */
function statementOf(fn: ts.Node, node: ts.Node): ts.Node | undefined {
  let statement: ts.Node = node;
  while (
    statement.parent !== undefined &&
    !(ts.isBlock(statement.parent) && functionOf(statement.parent) === fn)
  )
    statement = statement.parent;
  return statement.parent === undefined || isFunctionLike(statement) ? undefined : statement;
}

/**
 * The deletes of a keyed flow's entry, under the same key of the same store, that its own nodes do
 * not hold: the `finally` of a `try` in the flow's function (the whole `try` when it only waits for
 * the shared promise: `try { return await request } finally { pending.delete(url) }`), or the
 * statement that deletes it when the promise settles (`request.finally(() => pending.delete(url))`).
 */
function keyedRelease(flow: KeyedFlow): ts.Node[] {
  const read = unwrap(flow.read);
  const key = ts.isCallExpression(read)
    ? read.arguments[0]
    : ts.isElementAccessExpression(read)
      ? read.argumentExpression
      : undefined;
  if (key === undefined) return [];
  const keyText = unwrap(key).getText();
  const held = flow.value === undefined ? undefined : unwrap(flow.value);
  const found: ts.Node[] = [];
  walk(flow.fn, (n) => {
    const deleted =
      ts.isCallExpression(n) && callee(n) === `${flow.store}.delete`
        ? n.arguments[0]
        : ts.isDeleteExpression(n) &&
            ts.isElementAccessExpression(unwrap(n.expression)) &&
            chain((unwrap(n.expression) as ts.ElementAccessExpression).expression) === flow.store
          ? (unwrap(n.expression) as ts.ElementAccessExpression).argumentExpression
          : undefined;
    if (deleted === undefined || unwrap(deleted).getText() !== keyText) return;
    if (flow.own.some((o) => o.pos <= n.pos && n.end <= o.end)) return;
    if (found.some((o) => o.pos <= n.pos && n.end <= o.end)) return;
    for (let c: ts.Node = n; c.parent !== undefined && c !== flow.fn; c = c.parent) {
      const p = c.parent;
      if (ts.isTryStatement(p) && p.finallyBlock === c && functionOf(p) === flow.fn) {
        // The `try` only waits for the shared promise: all of it goes.
        const waits =
          held !== undefined &&
          ts.isIdentifier(held) &&
          p.catchClause === undefined &&
          p.tryBlock.statements.length === 1 &&
          p.tryBlock.statements.every(
            (st) => /^(return\s+)?await\s+/.test(st.getText()) && st.getText().includes(held.text),
          );
        found.push(waits ? p : c);
        return;
      }
      if (isFunctionLike(c) && !isSettleCallback(c)) return;
    }
    const statement = statementOf(flow.fn, n);
    if (statement === undefined || !onSettle(n)) return;
    // Chained onto the work that makes the promise (`const p = save().then(…).finally(() =>
    // pending.delete(k))`): the settle callback, not the work's statement.
    const made = flow.compute !== undefined && within(flow.compute, statement);
    const callback = settleCallback(n);
    found.push(
      made
        ? callback !== undefined && onlyEmpties(callback)
          ? callback
          : topStatement(n)
        : releasesOnly(statement)
          ? statement
          : topStatement(n),
    );
  });
  return found;
}

function within(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

/** The `then`/`catch`/`finally` callback a node runs in (the outermost one). */
function settleCallback(node: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (let c = node.parent; c !== undefined && !ts.isSourceFile(c); c = c.parent)
    if (isSettleCallback(c)) found = c;
  return found;
}

/**
 * A statement of `fn` after the fill that empties the slot in a callback run when a promise settles
 * (`this.p.then(() => delete this.p, () => delete this.p)`): the release of the shared run, unless
 * it already lies inside the fill's own statement.
 */
function settledRelease(
  sourceFile: ts.SourceFile,
  fn: ts.Node,
  fill: ts.Node,
  slot: string,
): ts.Node[] {
  const found: ts.Node[] = [];
  for (const site of emptyingSites(sourceFile, slot)) {
    if (site.pos < fill.end || site.end > fn.end || !onSettle(site)) continue;
    // The statement of `fn`'s own body (or of a block of it) that holds the callback.
    let statement: ts.Node = site;
    while (
      statement.parent !== undefined &&
      !(ts.isBlock(statement.parent) && functionOf(statement.parent) === fn)
    )
      statement = statement.parent;
    if (statement.parent === undefined || isFunctionLike(statement)) continue;
    const part = releasesOnly(statement) ? statement : topStatement(site);
    if (!found.includes(part)) found.push(part);
  }
  return found;
}

/**
 * Whether the callbacks a statement hands to `then`/`catch`/`finally` do nothing but empty a slot
 * or delete an entry (`p.then(() => delete this.p, () => delete this.p)`): the statement is the
 * release. A callback that also works with the result keeps its work out of the range — only the
 * emptying statement is the release's.
 */
function releasesOnly(statement: ts.Node): boolean {
  let callbacks = 0;
  let other = false;
  walk(statement, (n) => {
    if (other || !isSettleCallback(n)) return;
    callbacks++;
    if (!onlyEmpties(n)) other = true;
  });
  return callbacks > 0 && !other;
}

/** Whether a callback's body only empties slots or deletes entries. */
function onlyEmpties(callback: ts.Node): boolean {
  if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) return false;
  const body = callback.body;
  const parts = ts.isBlock(body) ? body.statements.map((st) => st as ts.Node) : [body];
  return (
    parts.length > 0 &&
    parts.every((part) => {
      const e = ts.isExpressionStatement(part) ? unwrap(part.expression) : unwrap(part);
      return (
        ts.isDeleteExpression(e) ||
        (ts.isCallExpression(e) && /\.delete$/.test(callee(e) ?? "")) ||
        (ts.isBinaryExpression(e) &&
          e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          isNothing(e.right))
      );
    })
  );
}

/** The last statement of `fn` when it waits for the slot (`await this.p;`): the callers join the run. */
function joinedAtEnd(fn: ts.Node, slot: string): ts.Node[] {
  if (!isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return [];
  const last = fn.body.statements[fn.body.statements.length - 1];
  if (last === undefined || !ts.isExpressionStatement(last)) return [];
  const e = unwrap(last.expression);
  return ts.isAwaitExpression(e) && slotOf(unwrap(e.expression)) === slot ? [last] : [];
}

/** The closing statement of `fn` when it returns the slot (`return promise`). */
function closingReturn(fn: ts.Node, slot: string): ts.Node[] {
  if (!isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return [];
  const last = fn.body.statements[fn.body.statements.length - 1];
  return last !== undefined &&
    ts.isReturnStatement(last) &&
    last.expression !== undefined &&
    slotOf(unwrap(last.expression)) === slot
    ? [last]
    : [];
}

/**
 * The factory a shared run's function is made by, when it exists for the sharing: the slot is a
 * local of the factory (`let promise = null`), the function ends by returning it, and the factory
 * holds nothing but the slot's declaration and the `return` of the function.
 */
function sharingFactory(
  fn: ts.Node,
  slot: string,
): { declaration: ts.Node; ret: ts.Node; span: ts.Node } | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const ret = closingReturn(fn, slot)[0];
  if (ret === undefined) return undefined;
  let outer: ts.Node = fn;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const handedOut = outer.parent;
  if (!ts.isReturnStatement(handedOut)) return undefined;
  const factory = functionOf(handedOut);
  if (!isFunctionLike(factory) || factory.body === undefined || !ts.isBlock(factory.body))
    return undefined;
  const statements = factory.body.statements;
  const declaration = statements.find(
    (s) =>
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.length === 1 &&
      s.declarationList.declarations[0]?.name.getText() === slot,
  );
  if (
    declaration === undefined ||
    statements.length !== 2 ||
    statements[statements.length - 1] !== handedOut
  )
    return undefined;
  const span = namedSpan(factory) ?? factory;
  return { declaration, ret, span };
}

/** The property a chain ends in: `this.pubSub!.connecting` → `connecting`. */
function propertyOf(node: ts.Node): string | undefined {
  const n = unwrap(node);
  return ts.isPropertyAccessExpression(n) ? n.name.text : undefined;
}

/** Whether a node runs when a promise settles: inside a `then`/`catch`/`finally` callback. */
function onSettle(node: ts.Node): boolean {
  for (let c = node.parent; c !== undefined && !ts.isSourceFile(c); c = c.parent)
    if (isSettleCallback(c)) return true;
  return false;
}

/** Whether a value is a promise, or a local of its function declared with one. */
function holdsPromise(value: ts.Node): boolean {
  const fn = functionOf(value);
  if (isPromise(value, fn)) return true;
  const v = unwrap(value);
  const init = ts.isIdentifier(v) ? localValue(fn, v.text, v.pos) : undefined;
  return init !== undefined && isPromise(init, fn);
}

/**
 * Properties that hold a pending promise: assigned one (or given one in an object literal) and
 * set to `undefined`/`null` when it settles.
 */
function pendingProperties(sourceFile: ts.SourceFile): Set<string> {
  const filled = new Set<string>();
  const emptiedOnSettle = new Set<string>();
  // Each property given a value, with the value, in walk order: whether the value is a promise
  // (a search of its function) is asked only of the properties emptied on settling.
  const given: [property: string, value: ts.Node][] = [];
  walkKinds(
    sourceFile,
    [
      ts.SyntaxKind.BinaryExpression,
      ts.SyntaxKind.PropertyAssignment,
      ts.SyntaxKind.ShorthandPropertyAssignment,
    ],
    (n) => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const property = propertyOf(n.left);
        if (property === undefined) return;
        if (isNothing(n.right)) {
          // Emptied only when it fails (`.catch(() => x.p = undefined)`) keeps what succeeded.
          if (onSettle(n) && !onFailure(n)) emptiedOnSettle.add(property);
        } else given.push([property, n.right]);
      }
      if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name))
        given.push([n.name.text, n.initializer]);
      if (ts.isShorthandPropertyAssignment(n)) given.push([n.name.text, n.name]);
    },
  );
  for (const [property, value] of given)
    if (emptiedOnSettle.has(property) && !filled.has(property) && holdsPromise(value))
      filled.add(property);
  return filled;
}

/**
 * Statements that hand the pending promise out: `return x.p ?? other` / `return x.p || other`,
 * or `if (x.p) return x.p`.
 */
function handedOut(sourceFile: ts.SourceFile, property: string): ts.Statement[] {
  const found: ts.Statement[] = [];
  walkKinds(sourceFile, [ts.SyntaxKind.ReturnStatement, ts.SyntaxKind.IfStatement], (n) => {
    if (ts.isReturnStatement(n) && n.expression !== undefined && !ts.isIfStatement(n.parent)) {
      const e = unwrap(n.expression);
      if (
        ts.isBinaryExpression(e) &&
        (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
          e.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
        propertyOf(e.left) === property
      )
        found.push(n);
    }
    if (
      ts.isIfStatement(n) &&
      propertyOf(n.expression) === property &&
      returns(n.thenStatement, property)
    )
      found.push(n);
  });
  return found;
}

/** Whether a branch returns the property: `return x.p` or `{ return x.p; }`. */
function returns(branch: ts.Statement, property: string): boolean {
  const statement = ts.isBlock(branch) ? branch.statements[0] : branch;
  return (
    statement !== undefined &&
    ts.isReturnStatement(statement) &&
    statement.expression !== undefined &&
    propertyOf(statement.expression) === property
  );
}

/** Calls whose callbacks do not mark the end of a piece of work: timers, event subscriptions, iteration. */
const NOT_COMPLETION =
  /(^|\.)(setTimeout|setInterval|setImmediate|then|catch|finally|on|once|addListener|prependListener|prependOnceListener|addEventListener|forEach|map|filter|some|every|reduce|find)$/;

/**
 * The call a flow's entry is deleted in the callback of, when it is: `sendStream(req, (err, res) => {
 * …; this._preparing.delete(name) })`, `new Handler(h, () => pending.delete(key))`, or a function
 * declared in such a callback (`observable((o) => { function reset() { delete pending[key] } … })`).
 */
function deletedOnCompletion(flow: KeyedFlow): { by: string; drop: ts.Node } | undefined {
  let found: { by: string; drop: ts.Node } | undefined;
  walk(flow.fn, (n) => {
    if (found !== undefined) return;
    const isDelete =
      (ts.isCallExpression(n) && callee(n) === `${flow.store}.delete`) ||
      (ts.isDeleteExpression(n) && n.expression.getText().startsWith(`${flow.store}[`));
    if (!isDelete) return;
    for (let c = n.parent; c !== undefined && c !== flow.fn; c = c.parent) {
      if (
        (ts.isArrowFunction(c) || ts.isFunctionExpression(c)) &&
        (ts.isCallExpression(c.parent) || ts.isNewExpression(c.parent)) &&
        c.parent.arguments?.includes(c)
      ) {
        const name = ts.isCallExpression(c.parent)
          ? (callee(c.parent) ?? "")
          : `new ${chain(c.parent.expression) ?? ""}`;
        if (!NOT_COMPLETION.test(name) && name !== "" && name !== "new ")
          found = { by: name, drop: topStatement(n) };
        return;
      }
    }
  });
  return found;
}
