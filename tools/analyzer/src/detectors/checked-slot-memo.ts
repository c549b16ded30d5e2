import { ts } from "ts-morph";
import {
  chain,
  inside,
  isFunctionLike,
  moduleVariable,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import { unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf, isPromise } from "./keyed-flows.js";
import type { SlotMemo } from "./slot-memo.js";
import {
  assignmentsTo,
  emptiedInFlight,
  isNothing,
  isParameterOf,
  mentions,
  mentionsDeclaration,
  resetElsewhere,
  returnsFunction,
  returnsSlot,
} from "./slot-facts.js";
import type { SlotTest } from "./slot-facts.js";
import { computed, derivedValue, localValue, resolvedOnMiss } from "./derived-value.js";
import { promiseOnce, startsAsync } from "./promise-once.js";
import { flagMemo } from "./flag-memo.js";
import { servedOnRequest } from "./served-on-request.js";
import { methodFilledSlot } from "./method-filled-slot.js";
import { madeAtRandom } from "./look-alikes.js";
import { injectedSlot, liveResource, loadedModule } from "./look-alikes.js";

/** Slots that hold a timer, a flag or a handle, not a computed value — a weak signal. */
const NOT_MEMO =
  /(timer|timeout|interval|handle|running|busy|flag|started|active|pending|closed|done|ready|connected)/i;

/** Whether a value is a parameter or a local of `fn` bound before `pos` (made before the test). */
function madeBefore(fn: ts.FunctionLikeDeclaration, value: ts.Node, pos: number): boolean {
  const v = unwrap(value);
  if (!ts.isIdentifier(v)) return false;
  let bound = false;
  walk(fn, (n) => {
    if (
      !bound &&
      n.end <= pos &&
      (ts.isVariableDeclaration(n) || ts.isBindingElement(n) || ts.isParameter(n)) &&
      ts.isIdentifier(n.name) &&
      n.name.text === v.text
    )
      bound = true;
  });
  return bound;
}

/** Whether a value reads `name`, directly or through a local of `fn` made from it (a few steps back). */
function madeFrom(fn: ts.Node, value: ts.Node, name: string, depth = 0): boolean {
  let hit = false;
  walk(value, (n) => {
    if (hit || !ts.isIdentifier(n)) return;
    if (n.text === name) hit = true;
    else if (depth < 3) {
      const init = localValue(fn, n.text, n.pos);
      if (init !== undefined && init !== value && madeFrom(fn, init, name, depth + 1)) hit = true;
    }
  });
  return hit;
}

/**
 * Whether the slot is given one part of a destructured answer (`const { auth, client } =
 * makeAuth(…); this.auth = auth`) that the code then calls methods on (`this.auth.getClient()`):
 * an object the call made (a client), not a value it worked out.
 */
function madeObjectPart(
  facts: FileFacts,
  fn: ts.FunctionLikeDeclaration,
  fill: ts.BinaryExpression,
  slot: string,
): boolean {
  const v = unwrap(fill.right);
  if (!ts.isIdentifier(v) || localValue(fn, v.text, v.pos) !== undefined) return false;
  return facts.calls.some(
    (c) => ts.isPropertyAccessExpression(c.expression) && chain(c.expression.expression) === slot,
  );
}

/**
 * Whether a value is worked out by a function of this file (`collectModules()`, `await
 * readOrigin()`): the file's own work, not a method of a client or module (`service.clientFor(x)`,
 * `got.extend(…)`) that hands back an object made elsewhere.
 */
function ownWork(sourceFile: ts.SourceFile, value: ts.Node): boolean {
  let v = unwrap(value);
  if (ts.isAwaitExpression(v)) v = unwrap(v.expression);
  if (!ts.isCallExpression(v) || !ts.isIdentifier(v.expression)) return false;
  const name = v.expression.text;
  return sourceFile.statements.some(
    (st) =>
      (ts.isFunctionDeclaration(st) && st.name?.text === name && st.body !== undefined) ||
      (ts.isVariableStatement(st) &&
        st.declarationList.declarations.some(
          (d) =>
            ts.isIdentifier(d.name) &&
            d.name.text === name &&
            d.initializer !== undefined &&
            isFunctionLike(unwrap(d.initializer)),
        )),
  );
}

/** Whether every value `fn` returns is the slot (or nothing): it hands out the memo only. */
function onlyReturnsSlot(fn: ts.FunctionLikeDeclaration, slot: string): boolean {
  let other = false;
  walkKinds(fn, [ts.SyntaxKind.ReturnStatement], (n) => {
    if (!ts.isReturnStatement(n) || n.expression === undefined || functionOf(n) !== fn) return;
    if (chain(unwrap(n.expression)) !== slot && !isNothing(n.expression)) other = true;
  });
  return !other;
}

/**
 * Whether a slot filled on a miss with an awaited result (`if (!this.found) this.found = await
 * probe.discover()`) is read after the `if` by the same call (`await this.found.token()`): the first
 * call's remote work is kept and every later call uses it, whether or not the slot is returned.
 */
function awaitedThenUsed(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.IfStatement,
  fill: ts.BinaryExpression,
  slot: string,
): boolean {
  if (!ts.isAwaitExpression(unwrap(fill.right)) || statement.elseStatement !== undefined)
    return false;
  let used = false;
  walkKinds(fn.body, [ts.SyntaxKind.PropertyAccessExpression], (n) => {
    if (
      !used &&
      n.pos >= statement.end &&
      ts.isPropertyAccessExpression(n) &&
      chain(n.expression) === slot &&
      functionOf(n) === fn
    )
      used = true;
  });
  return used;
}

/** Methods that put an entry into a container. */
const FILLS = new Set(["push", "unshift", "set", "add"]);

/** Methods that take entries out of a list. */
const CONSUMES = new Set(["shift", "pop", "splice"]);

/** Whether a value is a fresh empty-or-constant container (`[]`, `[0, 0]`, `{}`, `new Map()`). */
function freshContainer(value: ts.Node): boolean {
  const v = unwrap(value);
  if (ts.isArrayLiteralExpression(v)) return v.elements.every((e) => ts.isLiteralExpression(e));
  if (ts.isObjectLiteralExpression(v)) return v.properties.length === 0;
  return (
    ts.isNewExpression(v) &&
    ts.isIdentifier(v.expression) &&
    /^(Map|Set|Array|Object)$/.test(v.expression.text) &&
    (v.arguments ?? []).length === 0
  );
}

/** The container an entry write puts into (`c.push(v)`, `c.set(k, v)`, `c[i] = v`, `c[k] ??= v`), and the value. */
function entryWrite(n: ts.Node): { into: string; value: ts.Node } | undefined {
  if (
    ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    FILLS.has(n.expression.name.text)
  ) {
    const into = chain(n.expression.expression);
    const value = n.arguments[n.arguments.length - 1];
    return into === undefined || value === undefined ? undefined : { into, value };
  }
  if (
    ts.isBinaryExpression(n) &&
    [
      ts.SyntaxKind.EqualsToken,
      ts.SyntaxKind.QuestionQuestionEqualsToken,
      ts.SyntaxKind.BarBarEqualsToken,
    ].includes(n.operatorToken.kind) &&
    ts.isElementAccessExpression(n.left)
  ) {
    const into = chain(n.left.expression);
    return into === undefined ? undefined : { into, value: n.right };
  }
  return undefined;
}

/**
 * Whether the slot is given a container built on the miss: a fresh container (`this.list = []`,
 * or a local `const parts = [0, 0]` stored into the slot) filled in the miss's own code with
 * worked-out entries (`parts[3] = …`, `this.list.push(h)` over other state) — and nothing else in
 * the file puts entries into the slot. A container created on first use that other calls append to
 * (`if (!this.handlers) this.handlers = []; this.handlers.push(h)`) is a lazily made registry.
 */
function builtOnMiss(
  sourceFile: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.IfStatement,
  absent: boolean,
  fill: ts.BinaryExpression,
  slot: string,
): boolean {
  // A present slot's branch must leave the function (the hit): `if (seen) seen.clear()` then
  // carrying on is state kept for the work below, not a value handed out.
  if (!absent) {
    const then = statement.thenStatement;
    const last = ts.isBlock(then) ? then.statements[then.statements.length - 1] : then;
    if (last === undefined || !ts.isReturnStatement(last)) return false;
  }
  const right = unwrap(fill.right);
  const names = new Set<string>([slot]);
  if (ts.isIdentifier(right)) {
    const init = localValue(fn, right.text, right.pos);
    if (init === undefined || !freshContainer(init)) return false;
    names.add(right.text);
  } else if (!freshContainer(right)) return false;
  // `const steps = (this.#steps = [])`: the local is the same container.
  let up: ts.Node = fill;
  while (
    ts.isParenthesizedExpression(up.parent) ||
    ts.isAsExpression(up.parent) ||
    ts.isSatisfiesExpression(up.parent)
  )
    up = up.parent;
  if (ts.isVariableDeclaration(up.parent) && ts.isIdentifier(up.parent.name))
    names.add(up.parent.name.text);
  const inMiss = (n: ts.Node): boolean =>
    absent ? inside(n, statement.thenStatement) : n.pos >= statement.end && n.end <= fn.body.end;
  let filled = false;
  let elsewhere = false;
  // The slot itself, or a local of another function read from it (`const list = this.list`).
  const isSlot = (into: string, at: ts.Node): boolean => {
    if (into === slot) return true;
    if (into.includes(".")) return false;
    const init = localValue(functionOf(at), into, at.pos);
    return init !== undefined && chain(unwrap(init)) === slot;
  };
  walkKinds(sourceFile, [ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression], (n) => {
    // Entries taken out elsewhere (`this.pending.shift()`): a queue worked through, not a value.
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      CONSUMES.has(n.expression.name.text) &&
      !inMiss(n)
    ) {
      const from = chain(n.expression.expression);
      if (from !== undefined && isSlot(from, n)) elsewhere = true;
      return;
    }
    const write = entryWrite(n);
    if (write === undefined) return;
    if (!inMiss(n) && isSlot(write.into, n)) elsewhere = true;
    else if (
      names.has(write.into) &&
      inMiss(n) &&
      !ts.isLiteralExpression(unwrap(write.value)) &&
      !isNothing(write.value)
    )
      filled = true;
  });
  return filled && !elsewhere;
}

/**
 * The memo an `if` that tests a slot opens, if any: `if (slot) return slot; … slot = compute()`
 * or `if (!slot) { slot = compute() } return slot` (a memo when the slot is emptied elsewhere, kept
 * in a memoizing helper's closure, kept on the object it derives from, or a field filled with the
 * result of real work), or the same with a promise (a one-time job), or a stored last result served
 * when the caller asks for it (`if (cached) return this.info; this.info = await load()`).
 */
export function checkedSlotMemo(
  facts: FileFacts,
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.IfStatement,
  test: SlotTest,
): SlotMemo | undefined {
  const sourceFile = facts.sourceFile;
  const { slot, absent } = test;
  if (slot === "this") return undefined;
  if (!absent && !slot.includes(".") && isParameterOf(fn, slot))
    return servedOnRequest(fn, statement);
  // The fill on a miss: inside the branch taken when the slot is empty, or after the early return
  // of a hit (an assignment before the test sets the slot up; it does not fill a miss).
  const fills = assignmentsTo(fn.body, slot).filter(
    (a) =>
      !isNothing(a.right) &&
      (absent
        ? inside(a, statement.thenStatement)
        : a.pos >= statement.end ||
          // `if (slot) return slot; else if (…) { slot = load(); return slot }`
          (statement.elseStatement !== undefined && inside(a, statement.elseStatement))),
  );
  // A constant put in on one branch of the miss (`if (!type) this.type = "text/plain"; else
  // this.type = type.slice(0, i)`): the fill that works the value out is the one that counts.
  const first = fills[0];
  // Likewise a copy of what is at hand on a shortcut (`return (this.count = this.length)`) before
  // the fill of the main path (`count = await db.count(…); this.count = count`).
  // (Only a copy handed straight back: a default or a sentinel put in before the work is not.)
  const copied = (a: ts.BinaryExpression): boolean => {
    const r = unwrap(a.right);
    if (ts.isStringLiteralLike(r)) return true;
    let up: ts.Node = a;
    while (ts.isParenthesizedExpression(up.parent)) up = up.parent;
    return (
      ts.isReturnStatement(up.parent) &&
      (ts.isPropertyAccessExpression(r) || ts.isIdentifier(r)) &&
      !derivedValue(fn, r)
    );
  };
  const fill =
    first !== undefined && copied(first)
      ? (fills.find((a) => derivedValue(fn, a.right)) ?? first)
      : first;
  if (fill === undefined)
    return NOT_MEMO.test(slot.split(".").pop() ?? slot) || /promise/i.test(slot)
      ? undefined
      : methodFilledSlot(fn, statement, test);
  if (fill.right.kind === ts.SyntaxKind.TrueKeyword) return flagMemo(fn, statement, test);
  // An id made at random on first use fixes an identity; it is not a derived value kept.
  if (madeAtRandom(fn, fill.right, localValue)) return undefined;
  if (liveResource(sourceFile, slot) || loadedModule(fn, fill.right) || injectedSlot(fn, slot))
    return undefined;
  const hit = ts.isBlock(statement.thenStatement)
    ? (statement.thenStatement.statements[0] ?? statement)
    : statement.thenStatement;
  // The hit hands the stored value out (`if (slot) return slot`); a bare `return` is a flag.
  const hitReturns =
    !absent &&
    ts.isReturnStatement(hit) &&
    hit.expression !== undefined &&
    mentions(hit.expression, slot);
  if (absent || hitReturns) {
    const once = promiseOnce(facts, fn, statement, slot, fill);
    if (once !== undefined) return once;
  }
  // Other promises (a call of an `async` function of the file too): lazy init, a promise cache or
  // in-flight sharing, not a memo of a value.
  if (isPromise(fill.right, fn) || startsAsync(facts, fill.right, fn)) return undefined;
  // `const { version } = parse(s); if (!this.version || fromServer) this.version = version`: the
  // value was made before the test, so the test saves no work (a setter with a guard, not a memo).
  if (madeBefore(fn, fill.right, statement.pos)) return undefined;
  if (emptiedInFlight(fn, slot)) return undefined;
  const reset = resetElsewhere(sourceFile, slot, fn);
  if (
    (slot.startsWith("this.") ||
      slot.startsWith("#") ||
      (!slot.includes(".") && moduleVariable(sourceFile, slot) !== undefined)) &&
    !ts.isConstructorDeclaration(fn) &&
    !NOT_MEMO.test(slot.split(".").pop() ?? slot) &&
    (reset || hitReturns || (absent && returnsSlot(fn, slot))) &&
    builtOnMiss(sourceFile, fn, statement, absent, fill, slot)
  )
    return {
      slot,
      fn,
      own: [
        ...new Set<ts.Node>([hitReturns ? statement : statement.expression, topStatement(fill)]),
      ].sort((a, b) => a.pos - b.pos),
      why: reset
        ? "a container built on a miss and emptied elsewhere (an invalidated memo)"
        : "a container built on first use and handed out afterwards (a single-value memo)",
      kind: "memoize",
      context: [],
    };
  if (
    !computed(fill.right) ||
    NOT_MEMO.test(slot.split(".").pop() ?? slot) ||
    /promise/i.test(slot)
  )
    return undefined;
  if (
    !hitReturns &&
    !(absent && returnsSlot(fn, slot)) &&
    !(absent && awaitedThenUsed(fn, statement, fill, slot))
  )
    return undefined;
  const container = slot.startsWith("this.") ? fn : functionOf(fn);
  // (A parameter of the function defaulted on the miss lives for one call: not a closure's memo.)
  const closureHelper =
    !slot.includes(".") &&
    !isParameterOf(fn, slot) &&
    returnsFunction(container) &&
    !mentionsDeclaration(fn, slot);
  // A value memoised on the object it is derived from (`event.context.x`): a memo per object.
  // Either made from that object (`entry.x = convert(entry.name)`) or kept in a store hanging off
  // it (`event.context.config = clone(defaults)`, a per-request memo); a member of the argument
  // itself defaulted from elsewhere (`options.x = config.get("x")`) is an option filled in.
  const holderName = slot.split(".")[0] ?? "";
  const perObject =
    slot.includes(".") &&
    isParameterOf(fn, holderName) &&
    (slot.split(".").length > 2 || madeFrom(fn, fill.right, holderName));
  // A field filled on first use with the result of real work (a call that derives, parses or
  // loads it, directly or through a local) and handed out afterwards: a single-value memo. A
  // factory call (`createX()`) makes a resource, not a value; `import()`/`require()` is lazy
  // loading (left out).
  const lazyValue =
    (slot.startsWith("this.") || slot.startsWith("#")) &&
    !ts.isConstructorDeclaration(fn) &&
    (derivedValue(fn, fill.right) || resolvedOnMiss(fn, fill)) &&
    !madeObjectPart(facts, fn, fill, slot);
  // The module-level counterpart: a `let` of the module filled on first use with a value worked
  // out from real work (probes awaited and combined) and handed out afterwards. A module slot
  // given a call's result as is holds what the call made — most often a client or a loaded
  // module (lazy initialisation, left out by the convention).
  // A call's result kept as is counts only in a function that exists for the memo (`if (slot ===
  // null) slot = read(PATH); return slot`, nothing else around it): the call derives the value
  // (not a maker, not `require`/`import`), the function hands out nothing but the slot, and the
  // call takes nothing the caller passes (a first caller's argument kept for every later one is a
  // lazily made singleton, `client = service.clientFor(url)`).
  const made = unwrap(fill.right);
  const callKept =
    ownWork(sourceFile, made) &&
    absent &&
    returnsSlot(fn, slot) &&
    fn.body.statements.length <= 3 &&
    onlyReturnsSlot(fn, slot) &&
    !fn.parameters.some((p) => ts.isIdentifier(p.name) && madeFrom(fn, made, p.name.text));
  const moduleValue =
    !slot.includes(".") &&
    moduleVariable(sourceFile, slot) !== undefined &&
    !mentionsDeclaration(fn, slot) &&
    (callKept || (!ts.isCallExpression(made) && !ts.isAwaitExpression(made))) &&
    !ts.isNewExpression(made) &&
    derivedValue(fn, fill.right);
  if (!reset && !closureHelper && !perObject && !lazyValue && !moduleValue) return undefined;
  const own = new Set<ts.Node>([hitReturns ? statement : statement.expression, topStatement(fill)]);
  // A module-level container and its adjacent get-or-compute function form one construct.
  const holder = moduleValue ? moduleVariable(sourceFile, slot) : undefined;
  if (
    holder !== undefined &&
    holder.end <= fn.pos &&
    sourceFile.getLineAndCharacterOfPosition(fn.getStart(sourceFile)).line -
      sourceFile.getLineAndCharacterOfPosition(holder.end).line <=
      8
  )
    own.add(holder);
  return {
    slot,
    fn,
    own: [...own].sort((a, b) => a.pos - b.pos),
    why: reset
      ? "the slot is emptied elsewhere (an invalidated memo)"
      : closureHelper
        ? "kept in the closure of a memoizing helper"
        : perObject
          ? "kept on the object it is derived from"
          : moduleValue && !lazyValue
            ? "computed on first use and kept by the module (a single-value memo)"
            : "computed on first use and handed out afterwards (a single-value memo)",
    kind: "memoize",
    context: [],
  };
}

/**
 * A member of `this` filled by a logical assignment with worked-out value and handed straight back
 * (`this.key ??= helper(this.row).serialize(); return this.key`): the one-statement spelling of
 * `if (!this.key) this.key = …; return this.key`. A promise is promise-once's; a module loaded
 * (`import()`, `require`), a resource made (`create…`, `new`) or a slot emptied elsewhere is not
 * this memo.
 * @param fn - the function holding the statement
 * @param statement - `slot ??= value` / `slot ||= value` as a statement of `fn`'s body
 * @returns the memo, when it is one
 */
export function logicalSlotMemo(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.ExpressionStatement,
): SlotMemo | undefined {
  const fill = statement.expression;
  if (!ts.isBinaryExpression(fill)) return undefined;
  const slot = chain(unwrap(fill.left));
  if (slot === undefined || !/^this\.[#\w$]+$/.test(slot) || ts.isConstructorDeclaration(fn))
    return undefined;
  if (NOT_MEMO.test(slot.slice("this.".length)) || /promise/i.test(slot)) return undefined;
  // An awaited result (a one-time async set-up), a new object, or a choice that falls back to an
  // object the instance already holds (`factory?.(…) ?? this.#logger`: a collaborator picked) is
  // not a value worked out.
  const value = unwrap(fill.right);
  if (isPromise(value, fn) || ts.isNewExpression(value) || ts.isAwaitExpression(value))
    return undefined;
  if (
    ts.isBinaryExpression(value) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(
      value.operatorToken.kind,
    )
  )
    return undefined;
  if (!derivedValue(fn, fill.right)) return undefined;
  const statements = fn.body.statements;
  const next = statements[statements.indexOf(statement) + 1];
  if (
    next === undefined ||
    !ts.isReturnStatement(next) ||
    next.expression === undefined ||
    chain(unwrap(next.expression)) !== slot
  )
    return undefined;
  return {
    slot,
    fn,
    own: [statement, next],
    why: "computed on first use and handed out afterwards (a single-value memo)",
    kind: "memoize",
    context: [],
  };
}
