import { ts } from "ts-morph";
import {
  callee,
  chain,
  isFunctionLike,
  soleStatement,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { idleItemExpiries } from "./idle-items.js";
import { spareCapacityPicks } from "./spare-capacity.js";
import { factsOf, isClockRead, isOrdering, unwrap } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";

/** Lists of tasks and callbacks are queues, not free lists — a weak signal. */
const QUEUE_NAME =
  /(queue|pending|waiting|waiters|tasks|jobs|callbacks|listeners|handlers|stack|buffer|bufs|chunks|lines|events|messages|requests|work|todo|frontier|visit\w*)$/i;
const DESTROY = /^[_#]?(destroy|end|close|terminate|kill|dispose)$/;

/** The kinds the idle-expiry pass tests (names of the list, comparisons, calls), for `walkKinds`. */
const IDLE_PASS_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.PropertyAccessExpression,
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.BinaryExpression,
  ts.SyntaxKind.CallExpression,
];

/** Whether a taken object is returned by its function (directly or through a local). */
function handsOut(take: ts.CallExpression): boolean {
  let c: ts.Node = ts.isElementAccessExpression(take.parent) ? take.parent : take;
  while (
    c.parent !== undefined &&
    (ts.isParenthesizedExpression(c.parent) ||
      ts.isAsExpression(c.parent) ||
      ts.isNonNullExpression(c.parent) ||
      ts.isConditionalExpression(c.parent) ||
      // `free.pop() ?? make()`: the taken object, or a new one.
      (ts.isBinaryExpression(c.parent) &&
        c.parent.left === c &&
        [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(
          c.parent.operatorToken.kind,
        )))
  )
    c = c.parent;
  const parent = c.parent;
  if (parent === undefined) return false;
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === c))
    return true;
  // `const x = free.pop()` / `x = free.pop()`, then `return x` or `cb(null, x)`.
  const holder =
    ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)
      ? parent.name.text
      : ts.isBinaryExpression(parent) && ts.isIdentifier(parent.left)
        ? parent.left.text
        : undefined;
  if (holder === undefined) return false;
  let handed = false;
  walk(functionOf(take), (n) => {
    if (handed) return;
    // The object itself or a part of it (`return entry.session`).
    const uses = (e: ts.Node | undefined): boolean =>
      e !== undefined && (chain(unwrap(e))?.split(".")[0] ?? "") === holder;
    if (ts.isReturnStatement(n) && uses(n.expression)) handed = true;
    if (
      ts.isCallExpression(n) &&
      /(^|\.)(cb|callback|done|resolve|next)$/.test(callee(n) ?? "") &&
      n.arguments.some((a) => uses(a))
    )
      handed = true;
  });
  return handed;
}

function inLoop(node: ts.Node): boolean {
  for (let c = node.parent; c !== undefined && !isFunctionLike(c); c = c.parent)
    if (
      ts.isForStatement(c) ||
      ts.isWhileStatement(c) ||
      ts.isForOfStatement(c) ||
      ts.isDoStatement(c)
    )
      return true;
  return false;
}

/**
 * The list a call is made on: a name (`this.free`), or the list one accessor hands out
 * (`this.getFree(key)` — free lists kept per key, reached through one method) as `this.getFree()`.
 */
function listOf(receiver: ts.Expression): string | undefined {
  const named = chain(receiver);
  if (named !== undefined) return named;
  const r = unwrap(receiver);
  if (ts.isCallExpression(r)) {
    const accessor = chain(r.expression);
    return accessor === undefined ? undefined : `${accessor}()`;
  }
  return undefined;
}

/** A free list's name across receivers (`this.#idle` and `this._self.#idle` are one list). */
function listName(store: string): string {
  const leaf = store.split(".").pop() ?? store;
  return store.startsWith("this.") && leaf.length >= 6 ? `this…${leaf}` : store;
}

/** The method a call invokes (`end` for `list.get(0).end()`). */
function method(call: ts.CallExpression): string {
  const e = call.expression;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return ts.isIdentifier(e) ? e.text : "";
}

/**
 * Whether the local a take is kept in is set again from a call when the list had nothing
 * (`let child = free.pop(); if (child) return child; child = fork(…)`): made on empty, whatever
 * the maker is called.
 */
function refilled(take: ts.CallExpression): boolean {
  const parent = take.parent;
  if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return false;
  const holder = parent.name.text;
  let made = false;
  walk(functionOf(take), (n) => {
    if (
      !made &&
      n.pos > take.end &&
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      n.left.text === holder
    ) {
      let r: ts.Node = unwrap(n.right);
      if (ts.isAwaitExpression(r)) r = unwrap(r.expression);
      if (ts.isCallExpression(r) || ts.isNewExpression(r)) made = true;
    }
  });
  return made;
}

/** Whether a function makes a new object (when the free list is empty). */
function creates(fn: ts.Node): boolean {
  let made = false;
  walk(fn, (n) => {
    if (made) return;
    if (
      ts.isNewExpression(n) &&
      !/^(Error|\w+Error|Promise|Map|Set|Date)$/.test(chain(n.expression) ?? "")
    )
      made = true;
    if (
      ts.isCallExpression(n) &&
      /(^|\.)[_#]?(create|make|build|spawn|connect|open|alloc)\w*$/i.test(callee(n) ?? "")
    )
      made = true;
    if (ts.isArrayLiteralExpression(n) && n.elements.length === 0) {
      let p = n.parent;
      while (p !== undefined && ts.isParenthesizedExpression(p)) p = p.parent;
      if (p !== undefined && ts.isConditionalExpression(p)) made = true;
    }
    // `if (!obj) return {};`, `pool.pop() ?? {}`: a fresh plain object handed out when empty.
    if (ts.isObjectLiteralExpression(n) && n.properties.length === 0) {
      let p = n.parent;
      while (p !== undefined && ts.isParenthesizedExpression(p)) p = p.parent;
      if (
        p !== undefined &&
        (ts.isReturnStatement(p) ||
          (ts.isBinaryExpression(p) &&
            p.right === n &&
            [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(
              p.operatorToken.kind,
            )))
      )
        made = true;
    }
  });
  return made;
}

/**
 * Whether a push gives back an object that was lent: a name, or a record that holds a parameter
 * of the giving function as it is (`{ session, since: Date.now() }`). A record copied from its
 * input (`{ ...result, at }`) or a list literal is new data, not a lent object coming back.
 */
function givesBackLent(give: ts.CallExpression): boolean {
  const arg = give.arguments[0];
  if (arg === undefined) return false;
  const a = unwrap(arg);
  if (ts.isArrayLiteralExpression(a)) return false;
  if (!ts.isObjectLiteralExpression(a)) return true;
  const fn = functionOf(give);
  const params = new Set(
    isFunctionLike(fn)
      ? fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : []))
      : [],
  );
  return a.properties.some(
    (p) =>
      (ts.isShorthandPropertyAssignment(p) && params.has(p.name.text)) ||
      (ts.isPropertyAssignment(p) &&
        ts.isIdentifier(unwrap(p.initializer)) &&
        params.has((unwrap(p.initializer) as ts.Identifier).text)),
  );
}

/** A module-level free list's declaration (`const spare = [];`), which belongs to the pool. */
function moduleList(sourceFile: ts.SourceFile, store: string): ts.Node[] {
  return sourceFile.statements.filter(
    (st) =>
      ts.isVariableStatement(st) &&
      st.declarationList.declarations.length === 1 &&
      st.declarationList.declarations.some(
        (d) =>
          ts.isIdentifier(d.name) &&
          d.name.text === store &&
          d.initializer !== undefined &&
          ts.isArrayLiteralExpression(unwrap(d.initializer)),
      ),
  );
}

/**
 * Whether the take function rewrites the list's items in place (`this.buffers[0] =
 * first.subarray(n)`): a queue of data consumed piece by piece, not objects lent whole.
 */
function consumesInPlace(takeFn: ts.Node, store: string): boolean {
  let found = false;
  walk(takeFn, (n) => {
    if (
      !found &&
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isElementAccessExpression(n.left)
    ) {
      const list = chain(n.left.expression);
      if (list !== undefined && listName(list) === store) found = true;
    }
  });
  return found;
}

/** The class that exists for the pool (named so, or mostly about the free list), if any. */
function poolClass(fn: ts.Node, store: string): ts.Node | undefined {
  const cls = fn.parent;
  if (cls === undefined || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls)))
    return undefined;
  if (/pool/i.test(cls.name?.text ?? "")) return cls;
  const methods = cls.members.filter((m) => ts.isMethodDeclaration(m));
  const touching = methods.filter((m) => m.getText().includes(store));
  return methods.length > 0 && touching.length * 2 >= methods.length && methods.length <= 8
    ? cls
    : undefined;
}

/** Calls that end or drop a pooled object. */
const DROPS =
  /^[_#]?(destroy|end|close|terminate|kill|dispose|remove|evict|release|disconnect)([A-Z]\w*)?$/;

/** Whether a timer callback compares the size of a collection its object keeps with a floor. */
function abovePoolFloor(callback: ts.Node): boolean {
  let found = false;
  walk(callback, (n) => {
    if (found || !ts.isBinaryExpression(n) || !isOrdering(n.operatorToken.kind)) return;
    for (const side of [n.left, n.right]) {
      const u = unwrap(side);
      if (
        ts.isPropertyAccessExpression(u) &&
        /^(size|length)$/.test(u.name.text) &&
        (chain(u.expression) ?? "").startsWith("this.")
      )
        found = true;
    }
  });
  return found;
}

/**
 * The `if` that arms a timer as its only statement, when its test compares a kept collection's
 * size too (`if (idle && this.workers.size > this.options.minThreads) worker.t = setTimeout(…)`).
 */
function floorGuard(timer: ts.Node): ts.Node | undefined {
  const statement = topStatement(timer);
  const block = statement.parent;
  const guard = block !== undefined && ts.isBlock(block) ? block.parent : block;
  if (guard === undefined || !ts.isIfStatement(guard) || guard.elseStatement !== undefined)
    return undefined;
  const only = soleStatement(guard.thenStatement);
  return only === statement && abovePoolFloor(guard.expression) ? guard : undefined;
}

/**
 * Idle timers of pooled objects: in the function that puts an object on a list (given back idle,
 * `this._idle.push(new IdleItem(client, tid))`), a timer is armed whose callback ends or removes
 * that same object — and the timer's handle goes on the list with it (to be cleared on reuse), or
 * the callback checks the pool is above its floor first.
 */
function idleTimers(calls: readonly ts.CallExpression[]): Detection[] {
  const detections: Detection[] = [];
  for (const timer of calls) {
    if (!/(^|\.)setTimeout$/.test(callee(timer) ?? "")) continue;
    const callback = timer.arguments[0] === undefined ? undefined : unwrap(timer.arguments[0]);
    if (callback === undefined || !isFunctionLike(callback)) continue;
    // The object the callback ends: `this._remove(client)`, `client.end()`.
    let ended: string | undefined;
    walk(callback, (n) => {
      if (ended !== undefined || !ts.isCallExpression(n)) return;
      if (!DROPS.test(method(n))) return;
      const receiver = ts.isPropertyAccessExpression(n.expression)
        ? chain(n.expression.expression)
        : undefined;
      const arg = n.arguments[0] === undefined ? undefined : unwrap(n.arguments[0]);
      if (arg !== undefined && ts.isIdentifier(arg)) ended = arg.text;
      else if (receiver !== undefined && !receiver.startsWith("this") && !receiver.includes("."))
        ended = receiver;
    });
    if (ended === undefined) continue;
    const fn = functionOf(timer);
    // The handle, where the timer is kept (`tid = setTimeout(…)`, `const tid = …`).
    // (`setTimeout(…).unref()` is the timer too.)
    let armed: ts.Node = timer;
    while (
      ts.isPropertyAccessExpression(armed.parent) &&
      /^(unref|ref)$/.test(armed.parent.name.text) &&
      ts.isCallExpression(armed.parent.parent)
    )
      armed = armed.parent.parent;
    const held = ts.isVariableDeclaration(armed.parent)
      ? armed.parent.name.getText()
      : ts.isBinaryExpression(armed.parent) && armed.parent.left !== armed
        ? chain(armed.parent.left)
        : undefined;
    // The same object put on a list in that function, with the handle beside it.
    let push: ts.CallExpression | undefined;
    walk(fn, (n) => {
      if (
        push !== undefined ||
        !ts.isCallExpression(n) ||
        !/\.(push|unshift)$/.test(callee(n) ?? "")
      )
        return;
      let object = false;
      let handle = false;
      for (const a of n.arguments)
        walk(a, (m) => {
          if (ts.isIdentifier(m) && m.text === ended) object = true;
          if (held !== undefined && ts.isIdentifier(m) && m.text === held) handle = true;
        });
      if (object && handle) push = n;
    });
    // …or the handle kept on the object itself (`worker.idleTimeout = setTimeout(…)`) by a timer
    // that ends it only while the pool is above its floor (`this.workers.size > min`).
    const onObject =
      push === undefined && held?.startsWith(`${ended}.`) === true && abovePoolFloor(callback);
    if (push === undefined && !onObject) continue;
    const guard = onObject ? floorGuard(timer) : undefined;
    const nodes = [
      ...new Set([
        guard ?? topStatement(timer),
        ...(push === undefined ? [] : [topStatement(push)]),
      ]),
    ].sort((a, b) => a.pos - b.pos);
    detections.push({
      kind: "pool-idle-expiry",
      confidence: 0.75,
      nodes,
      evidence: [
        `a timer ends \`${ended}\` once it has been idle for the delay`,
        onObject
          ? "its handle kept on the object, the pool checked above its floor first"
          : "armed as it goes on the idle list, its handle kept beside it to be cleared on reuse",
      ],
      name: ended,
    });
  }
  return detections;
}

/**
 * Object pools by hand: a free list that a take function pops (making a new object when it is
 * empty) and a release function pushes back — and idle expiry over such a list: a pass that
 * destroys free objects idle too long or above a floor. A work queue (pushed, shifted, never
 * refilled by creating objects) is not a pool. Replaced by `@perflayer/memory` `ObjectPool`
 * (`idleTimeoutMs`, `min`, `max`).
 */
export const objectPoolDetector: Detector = {
  id: "memory/object-pool",
  category: "memory",
  kinds: ["pool-idle-expiry", "object-pool"],
  prefilter: /\.(pop|shift)\(\)|[iI]dle|[fF]ree|[aA]vailable/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const takes = new Map<string, ts.CallExpression[]>();
    const returns = new Map<string, ts.CallExpression[]>();
    for (const call of facts.calls) {
      if (!ts.isPropertyAccessExpression(call.expression)) continue;
      const full = listOf(call.expression.expression);
      if (full === undefined || QUEUE_NAME.test(full)) continue;
      const store = listName(full);
      const method = call.expression.name.text;
      if ((method === "pop" || method === "shift") && call.arguments.length === 0)
        takes.set(store, [...(takes.get(store) ?? []), call]);
      // One object cut out of the list where it was found (`list.splice(i, 1)[0]`).
      if (
        method === "splice" &&
        call.arguments.length === 2 &&
        unwrap(call.arguments[1] as ts.Expression).getText() === "1" &&
        ts.isElementAccessExpression(call.parent) &&
        call.parent.argumentExpression.getText() === "0"
      )
        takes.set(store, [...(takes.get(store) ?? []), call]);
      if ((method === "push" || method === "unshift") && call.arguments.length === 1)
        returns.set(store, [...(returns.get(store) ?? []), call]);
    }
    const detections: Detection[] = [];
    const pools: string[] = [];
    const leafOf = (name: string): string => name.split(/[.…]/).pop() ?? name;
    for (const [store, taken] of takes) {
      // The same list under another receiver (`instancesPool` handed to the objects it makes,
      // which push themselves back as `this.instancesPool`): a long, specific name.
      const given =
        returns.get(store) ??
        (leafOf(store).length >= 8
          ? [...returns].find(([name]) => leafOf(name) === leafOf(store))?.[1]
          : undefined);
      if (given === undefined) continue;
      // The take hands the object out (returns it); a traversal that pops and pushes consumes it.
      const take = taken
        .filter((t) => handsOut(t))
        .find((t) => creates(functionOf(t)) || refilled(t));
      const takeFn = take === undefined ? undefined : functionOf(take);
      if (takeFn === undefined || consumesInPlace(takeFn, store)) continue;
      const give = given.find(
        (g) => functionOf(g) !== takeFn && !creates(functionOf(g)) && givesBackLent(g),
      );
      if (give === undefined) continue;
      // A function that only gives back is part of the pool; one that does more (a hash's
      // `digest()` returning itself to the pool) keeps its other work: only the push goes.
      const giveFn = functionOf(give);
      const giveBody = isFunctionLike(giveFn) ? giveFn.body : undefined;
      const giveNode =
        giveBody !== undefined &&
        ts.isBlock(giveBody) &&
        (giveBody.statements.length > 4 ||
          sourceFile.getLineAndCharacterOfPosition(giveBody.end).line -
            sourceFile.getLineAndCharacterOfPosition(giveBody.getStart(sourceFile)).line >
            8)
          ? topStatement(give)
          : giveFn;
      pools.push(store);
      const cls = poolClass(takeFn, store);
      const asStatement = (fn: ts.Node): ts.Node =>
        isFunctionLike(fn) && ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn;
      // Parts far apart in a long file are two places, not one construct: the range stays on the
      // take side and the evidence says where the object comes back.
      const lineOf = (n: ts.Node): number =>
        sourceFile.getLineAndCharacterOfPosition(n.getStart(sourceFile)).line + 1;
      const apart = Math.abs(lineOf(giveNode) - lineOf(takeFn)) > 60;
      detections.push({
        kind: "object-pool",
        confidence: cls !== undefined ? 0.85 : 0.8,
        nodes:
          cls !== undefined
            ? [cls]
            : [
                ...new Set([
                  ...moduleList(sourceFile, store),
                  asStatement(takeFn),
                  ...(apart ? [] : [asStatement(giveNode)]),
                ]),
              ].sort((a, b) => a.pos - b.pos),
        evidence: [
          `free list \`${store}\`: taken from (a new object when empty)`,
          apart ? `and given back for reuse (line ${lineOf(give)})` : "and given back for reuse",
        ],
        name: store,
      });
    }
    // Idle expiry: a pass over the free list that destroys objects past an idle age or a count.
    for (const fn of facts.functions) {
      if (fn.body === undefined) continue;
      let store: string | undefined;
      let aged = false;
      let trims = false;
      let destroys = false;
      walkKinds(fn.body, IDLE_PASS_KINDS, (n) => {
        // A list in the code (not a type of the same name).
        if (
          ts.isPropertyAccessExpression(n) ||
          (ts.isIdentifier(n) &&
            !ts.isTypeReferenceNode(n.parent) &&
            !ts.isPropertyAccessExpression(n.parent))
        ) {
          const name = chain(n);
          if (
            name !== undefined &&
            (pools.includes(name) || /(free|idle|available)\w*$/i.test(name.split(".").pop() ?? ""))
          )
            store ??= name;
        }
        if (
          ts.isBinaryExpression(n) &&
          [ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken].includes(
            n.operatorToken.kind,
          )
        ) {
          let clock = false;
          walk(n, (m) => {
            if (isClockRead(facts, m) || (ts.isIdentifier(m) && facts.marks.has(m.text)))
              clock = true;
          });
          if (clock) aged = true;
          if (
            /length|size|count/i.test(n.left.getText()) &&
            /(max|min|idle|limit)/i.test(n.right.getText())
          )
            trims = true;
        }
        if (ts.isCallExpression(n) && DESTROY.test(method(n))) destroys = true;
        // A loop that takes idle objects off the list to destroy them trims it.
        if (ts.isCallExpression(n) && /^(shift|pop)$/.test(method(n)) && inLoop(n)) trims = true;
      });
      if (
        store === undefined ||
        !destroys ||
        (!aged && !trims) ||
        /acquire|release|take/i.test(fn.getText().slice(0, 40))
      )
        continue;
      const lines =
        sourceFile.getLineAndCharacterOfPosition(fn.end).line -
        sourceFile.getLineAndCharacterOfPosition(fn.getStart(sourceFile)).line;
      if (lines > 45) continue;
      const node = ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn;
      detections.push({
        kind: "pool-idle-expiry",
        confidence: 0.8,
        nodes: [node],
        evidence: [
          `trims the free list \`${store}\``,
          aged
            ? "destroys objects idle longer than a timeout"
            : "destroys idle objects above a bound",
        ],
        name: store,
      });
    }
    // Idle items of a pool-like owner closed or retired once unused past a limit.
    detections.push(...idleItemExpiries(facts));
    detections.push(...idleTimers(facts.calls));
    // Members picked by spare capacity, where no free list above already holds them.
    const overlaps = (a: ts.Node, b: ts.Node): boolean => a.pos < b.end && b.pos < a.end;
    for (const p of spareCapacityPicks(facts))
      if (!detections.some((d) => d.nodes.some((n) => p.nodes.some((m) => overlaps(n, m)))))
        detections.push(p);
    return detections;
  },
};
