import { ts } from "ts-morph";
import {
  callee,
  chain,
  inside,
  isFunctionLike,
  moduleVariable,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection } from "../detector.js";
import { isNullish, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";

/**
 * A list that outlives a call: a member (`this.waiters`, `state.queue`) or a module variable.
 * A local list lives and dies with one call: it queues nothing between callers.
 */
function persistent(sourceFile: ts.SourceFile, list: string): boolean {
  return list.includes(".") || moduleVariable(sourceFile, list) !== undefined;
}

/**
 * The waiter a pushed value is, by its binding: a parameter of the pushing function (the caller's
 * own callback) or of a promise executor around the push (`new Promise((res, rej) => list.push(res))`),
 * alone or as a value of an object literal (`{ resolve, reject }`). The binding decides, not the
 * name. Returns the parameters' declarations.
 */
function waiterParameters(value: ts.Node, fn: ts.Node): ts.ParameterDeclaration[] {
  const v = unwrap(value);
  const of = (n: ts.Node): ts.ParameterDeclaration | undefined => {
    const id = unwrap(n);
    if (!ts.isIdentifier(id)) return undefined;
    const d = bindingOf(id, id.text);
    if (d === undefined || !ts.isParameter(d)) return undefined;
    const owner = d.parent;
    if (owner === fn) return d;
    // Pushed in a promise executor: a parameter of the function that makes the promise.
    if (
      fn.parent !== undefined &&
      ts.isNewExpression(fn.parent) &&
      fn.parent.arguments?.[0] === fn &&
      owner === functionOf(fn.parent)
    )
      return d;
    return undefined;
  };
  if (ts.isObjectLiteralExpression(v)) {
    const found: ts.ParameterDeclaration[] = [];
    for (const p of v.properties) {
      const value = ts.isShorthandPropertyAssignment(p)
        ? p.name
        : ts.isPropertyAssignment(p)
          ? p.initializer
          : undefined;
      const d = value === undefined ? undefined : of(value);
      if (d !== undefined) found.push(d);
    }
    return found;
  }
  const d = of(v);
  return d === undefined ? [] : [d];
}

/**
 * Whether a function body hands each element `p` over: calls it (`p(err)`), calls a method of it
 * (`p.resolve(v)`), or passes it to be called later (`setImmediate(p, err)`, `nextTick(p)`).
 */
function invokes(body: ts.Node, element: string): boolean {
  let hit = false;
  walk(body, (n) => {
    if (hit || !ts.isCallExpression(n)) return;
    const target = unwrap(n.expression);
    if (ts.isIdentifier(target) && target.text === element) hit = true;
    else if (
      ts.isPropertyAccessExpression(target) &&
      ts.isIdentifier(unwrap(target.expression)) &&
      (unwrap(target.expression) as ts.Identifier).text === element
    )
      hit = true;
    else {
      const first = n.arguments[0];
      if (
        first !== undefined &&
        ts.isIdentifier(unwrap(first)) &&
        unwrap(first).getText() === element
      )
        hit = /(^|\.)(setImmediate|nextTick|queueMicrotask|setTimeout)$/.test(callee(n) ?? "");
    }
  });
  return hit;
}

/** The element name of a one-parameter callback (`(cb) => …`, `function (cb) { … }`). */
function elementOf(fn: ts.Node | undefined): string | undefined {
  if (fn === undefined) return undefined;
  const f = unwrap(fn);
  if (!(ts.isArrowFunction(f) || ts.isFunctionExpression(f))) return undefined;
  const p = f.parameters[0];
  return p !== undefined && ts.isIdentifier(p.name) ? p.name.text : undefined;
}

/**
 * Whether `source` reads the list: the list itself, a copy taken of it whole (`list.splice(0)`,
 * `list.slice()`), or a local that was given the list (`const waiting = this.waiters`).
 */
function readsList(source: ts.Node, list: string): boolean {
  const s = unwrap(source);
  if (chain(s) === list) return true;
  if (ts.isCallExpression(s) && /(^|\.)(splice|slice|concat)$/.test(callee(s) ?? ""))
    return chain(unwrap((s.expression as ts.PropertyAccessExpression).expression)) === list;
  if (ts.isIdentifier(s)) {
    const d = bindingOf(s, s.text);
    return (
      d !== undefined &&
      ts.isVariableDeclaration(d) &&
      d.initializer !== undefined &&
      readsList(d.initializer, list)
    );
  }
  return false;
}

/** Every pass over the list that hands each element over: `forEach` or `for…of`. */
function drains(facts: FileFacts, sourceFile: ts.SourceFile, list: string): ts.Node[] {
  const found: ts.Node[] = [];
  for (const call of facts.calls) {
    const e = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(e) || e.name.text !== "forEach") continue;
    if (!readsList(e.expression, list)) continue;
    const cb = call.arguments[0];
    const element = elementOf(cb);
    if (element !== undefined && cb !== undefined && invokes(cb, element)) found.push(call);
  }
  walkKinds(sourceFile, [ts.SyntaxKind.ForOfStatement], (n) => {
    if (!ts.isForOfStatement(n) || !readsList(n.expression, list)) return;
    const init = n.initializer;
    if (!ts.isVariableDeclarationList(init)) return;
    const d = init.declarations[0];
    if (d !== undefined && ts.isIdentifier(d.name) && invokes(n.statement, d.name.text))
      found.push(n);
  });
  return found;
}

/** Where the list is emptied: `list = []`, `list.length = 0`, `list.splice(0)`. */
function empties(facts: FileFacts, list: string): ts.Node[] {
  const found: ts.Node[] = [];
  for (const b of facts.binaries) {
    if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const r = unwrap(b.right);
    if (
      (chain(b.left) === list && ts.isArrayLiteralExpression(r) && r.elements.length === 0) ||
      (chain(b.left) === `${list}.length` && ts.isNumericLiteral(r) && r.text === "0")
    )
      found.push(b);
  }
  for (const c of facts.calls)
    if (
      callee(c) === `${list}.splice` &&
      c.arguments[0] !== undefined &&
      unwrap(c.arguments[0]).getText() === "0"
    )
      found.push(c);
  return found;
}

/** Whether an `if` branch leaves the function (a `return`, alone or last in its block). */
function leaves(branch: ts.Statement): boolean {
  if (ts.isReturnStatement(branch)) return true;
  if (!ts.isBlock(branch)) return false;
  const last = branch.statements[branch.statements.length - 1];
  return last !== undefined && ts.isReturnStatement(last);
}

/** The chains an `if` condition reads (`this._connecting`, `state.pending`). */
function testedChains(condition: ts.Node): Set<string> {
  const out = new Set<string>();
  walk(condition, (n) => {
    if (ts.isPropertyAccessExpression(n) || ts.isIdentifier(n)) {
      const c = chain(n);
      if (c !== undefined && c !== "this") out.add(c);
    }
  });
  return out;
}

/**
 * Callers queued while one run is pending, all answered when it ends (coalescing by hand): a
 * function pushes its caller's callback or its promise's settlers onto a list that outlives the
 * call and returns early while a run is pending; when it is not, it starts the run, whose end
 * hands every queued waiter the one result and empties the list. What decides is the data flow —
 * the pushed value is the caller's own parameter (by binding), the list is drained by calling each
 * element and emptied, and the pending test is raised by the pushing function and lowered where the
 * list is drained (or the drain is the completion of the run it starts) — not the names. A ready
 * queue answered by another event (`if (ready) return cb(); waiting.push(cb)`) starts no run: silent.
 * Reported as `dedup` (the one run is shared by every caller that came while it was pending).
 */
export function waiterLists(facts: FileFacts, sourceFile: ts.SourceFile): Detection[] {
  const out: Detection[] = [];
  const done = new Set<string>();
  for (const push of facts.calls) {
    const name = callee(push) ?? "";
    if (!name.endsWith(".push") || push.arguments.length !== 1) continue;
    const list = name.slice(0, -5);
    if (done.has(list) || !persistent(sourceFile, list)) continue;
    const fn = functionOf(push);
    if (!isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body)) continue;
    const body = fn.body;
    const waiters = waiterParameters(push.arguments[0] as ts.Node, fn);
    if (waiters.length === 0) continue;
    const waiterNames = waiters.map((w) => w.name.getText(sourceFile));
    const drained = drains(facts, sourceFile, list);
    const emptied = empties(facts, list);
    if (drained.length === 0 || (emptied.length === 0 && !drained.some(takesWhole(list)))) continue;
    // The pending test: an `if` of the function that leaves it without answering the waiter; the
    // push comes before it (every caller waits) or in its branch (callers wait while pending).
    for (const st of body.statements) {
      if (!ts.isIfStatement(st) || st.elseStatement !== undefined || !leaves(st.thenStatement))
        continue;
      if (!(push.end <= st.pos || inside(push, st.thenStatement))) continue;
      if (waiterNames.some((w) => invokes(st.thenStatement, w))) continue;
      const tested = testedChains(st.expression);
      // The run it starts: a drain nested in the function after the test (its completion), or the
      // tested state raised after the test here and lowered where the list is drained.
      const nested = drained.filter((d) => inside(d, body) && d.pos >= st.end);
      let raised: ts.BinaryExpression | undefined;
      if (nested.length === 0)
        for (const b of facts.binaries) {
          if (
            raised === undefined &&
            b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            tested.has(chain(b.left) ?? "") &&
            !isNullish(b.right) &&
            unwrap(b.right).kind !== ts.SyntaxKind.FalseKeyword &&
            functionOf(b) === fn &&
            b.pos >= st.end &&
            drained.some((d) => lowers(facts, homeOf(d), chain(b.left) ?? ""))
          )
            raised = b;
        }
      if (nested.length === 0 && raised === undefined) continue;
      done.add(list);
      const first = Math.min(topStatement(push).pos, st.pos);
      const last = Math.max(
        ...[...nested, ...(raised === undefined ? [] : [raised])].map(
          (n) => statementIn(body, n).end,
        ),
        ...emptied.filter((e) => inside(e, body)).map((e) => statementIn(body, e).end),
      );
      const own = body.statements.filter((s) => s.pos >= first && s.end <= last);
      // What goes: the queueing, the test, the pending state's changes and the drain; the run's
      // own work in between stays (it widens the range only).
      const states = new Set(
        [...tested].filter((t) => t.includes(".") || moduleVariable(sourceFile, t) !== undefined),
      );
      const parts = new Set<ts.Node>([topStatement(push), st]);
      if (raised !== undefined) parts.add(topStatement(raised));
      for (const n of [...nested, ...emptied.filter((e) => inside(e, body))])
        parts.add(topStatement(n));
      for (const b of facts.binaries)
        if (
          b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          states.has(chain(b.left) ?? "") &&
          inside(b, body) &&
          b.pos >= first
        )
          parts.add(topStatement(b));
      out.push({
        kind: "dedup",
        confidence: 0.8,
        nodes: [...parts].sort((a, b) => a.pos - b.pos),
        context: own,
        evidence: [
          `callers' ${waiterNames.map((w) => `\`${w}\``).join("/")} queued in \`${list}\` while one run is pending`,
          "every queued waiter is answered when that run ends, and the list emptied",
        ],
        name: list,
      });
      // The drain in another function (the run's end), reported where it is.
      for (const d of drained) {
        if (inside(d, body)) continue;
        const home = functionOf(d);
        const at = topStatement(d);
        const empty = emptied.find((e) => inside(e, home));
        const nodes = [at, ...(empty === undefined ? [] : [topStatement(empty)])];
        // The pending state lowered where the run ends goes with the drain.
        for (const b of facts.binaries)
          if (
            raised !== undefined &&
            b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            chain(b.left) === chain(raised.left) &&
            inside(b, home)
          )
            nodes.push(topStatement(b));
        out.push({
          kind: "dedup",
          confidence: 0.75,
          nodes: [...new Set(nodes)].sort((a, b) => a.pos - b.pos),
          evidence: [
            `answers every waiter queued in \`${list}\` with the one run's result`,
            "the end of the shared run started where callers are queued",
          ],
          name: list,
        });
      }
      break;
    }
  }
  return out;
}

/** Whether a drain takes the whole list out as it passes (`list.splice(0).forEach(…)`). */
function takesWhole(list: string): (drain: ts.Node) => boolean {
  return (drain) => {
    const source = ts.isForOfStatement(drain)
      ? drain.expression
      : ((unwrap((drain as ts.CallExpression).expression) as ts.PropertyAccessExpression)
          .expression as ts.Node);
    const s = unwrap(source);
    return (
      ts.isCallExpression(s) &&
      callee(s) === `${list}.splice` &&
      s.arguments[0] !== undefined &&
      unwrap(s.arguments[0]).getText() === "0"
    );
  };
}

/** Whether a function (or a callback in it) lowers a state: assigns it `false`, `null` or `undefined`. */
function lowers(facts: FileFacts, fn: ts.Node, state: string): boolean {
  return facts.binaries.some(
    (b) =>
      b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      chain(b.left) === state &&
      (isNullish(b.right) || unwrap(b.right).kind === ts.SyntaxKind.FalseKeyword) &&
      inside(b, fn),
  );
}

/** The statement of `body` that holds `node`. */
function statementIn(body: ts.Node, node: ts.Node): ts.Node {
  return (
    (ts.isBlock(body) ? body.statements.find((s) => inside(node, s)) : undefined) ??
    topStatement(node)
  );
}

/** The function a drain belongs to: the named function or method around its callbacks. */
function homeOf(node: ts.Node): ts.Node {
  let fn = functionOf(node);
  while (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    fn.parent !== undefined &&
    ts.isCallExpression(fn.parent)
  )
    fn = functionOf(fn.parent);
  return fn;
}
