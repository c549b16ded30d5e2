import { ts } from "ts-morph";
import { callee, chain, inside, isFunctionLike, logicalTop, walkKinds } from "../ast.js";
import { functionName, isDirectClockRead, isOrdering, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { isNowValue } from "./expiry-stamps.js";
import { namedNotExpiry } from "./expiry-predicate.js";
import { bindingOf } from "./local-binding.js";
import { isNothing, slotTests } from "./slot-facts.js";

/** An empty-or-stale refill: a kept value worked out again when it is missing or its time is old. */
export interface StaleRefill {
  /** The `if` that tests the value and its time and refills it. */
  readonly gate: ts.IfStatement;
  /** The kept value (`this._token`, `cache`). */
  readonly slot: string;
  /** The stored time compared with the clock (`this._token.expiration`, `cacheTime`). */
  readonly stamp: string;
  /** The construct's nodes: the `if`, and the predicate that answers its test when there is one. */
  readonly nodes: readonly ts.Node[];
}

function functionAround(node: ts.Node): ts.Node | undefined {
  let fn: ts.Node | undefined = node.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  return fn;
}

/** The variable a bare name binds, when it is declared outside the function around `at`. */
function outerVariable(name: ts.Identifier, at: ts.Node): ts.VariableDeclaration | undefined {
  const d = bindingOf(name, name.text);
  if (d === undefined || !ts.isVariableDeclaration(d)) return undefined;
  const fn = functionAround(at);
  return fn !== undefined && d.pos >= fn.pos && d.end <= fn.end ? undefined : d;
}

/**
 * The root a kept read starts at: `this`, or a variable declared outside the function (a module or
 * closure variable, which outlives one call), through members (`this._auth.expiration`,
 * `dns.timestamp`). A parameter or a local is not kept.
 */
function keptRoot(node: ts.Node, at: ts.Node): string | undefined {
  let n = unwrap(node);
  while (ts.isPropertyAccessExpression(n)) n = unwrap(n.expression);
  if (n.kind === ts.SyntaxKind.ThisKeyword) return "this";
  if (ts.isIdentifier(n) && outerVariable(n, at) !== undefined) return n.text;
  return undefined;
}

/**
 * A local of the function bound to a kept value (`let doc = cache`): the kept slot it copies.
 */
function aliasOf(name: string, at: ts.Node): string | undefined {
  const fn = functionAround(at);
  if (fn === undefined) return undefined;
  let found: string | undefined;
  walkKinds(fn, [ts.SyntaxKind.VariableDeclaration], (d) => {
    if (
      found === undefined &&
      ts.isVariableDeclaration(d) &&
      ts.isIdentifier(d.name) &&
      d.name.text === name &&
      d.initializer !== undefined &&
      d.end <= at.pos &&
      functionAround(d) === fn
    ) {
      const init = unwrap(d.initializer);
      const slot = chain(init);
      if (slot !== undefined && keptRoot(init, d) !== undefined) found = slot;
    }
  });
  return found;
}

/** A stored time as read: `x`, `x.getTime()`, `new Date(x)`, `+x`, `Number(x)`. */
export function timeRead(node: ts.Node): ts.Node {
  let u = unwrap(node);
  for (let i = 0; i < 3; i++) {
    if (
      ts.isCallExpression(u) &&
      u.arguments.length === 0 &&
      ts.isPropertyAccessExpression(u.expression) &&
      /^(getTime|valueOf)$/.test(u.expression.name.text)
    )
      u = unwrap(u.expression.expression);
    else if (
      ts.isNewExpression(u) &&
      ts.isIdentifier(u.expression) &&
      u.expression.text === "Date" &&
      u.arguments?.length === 1 &&
      u.arguments[0] !== undefined
    )
      u = unwrap(u.arguments[0]);
    else if (ts.isCallExpression(u) && callee(u) === "Number" && u.arguments[0] !== undefined)
      u = unwrap(u.arguments[0]);
    else if (ts.isPrefixUnaryExpression(u) && u.operator === ts.SyntaxKind.PlusToken)
      u = unwrap(u.operand);
    else break;
  }
  return u;
}

/**
 * The kept stored time a comparison sets against the clock, in any of the usual spellings:
 * `stamp < now`, `now - stamp > age`, `stamp - now <= margin`, `now > stamp + age`.
 */
function comparedStamp(facts: FileFacts, node: ts.BinaryExpression): ts.Node | undefined {
  if (!isOrdering(node.operatorToken.kind)) return undefined;
  const clock = (n: ts.Node): boolean => isNowValue(facts, n);
  const stored = (n: ts.Node): ts.Node | undefined => {
    const t = timeRead(n);
    if (clock(t) || (!ts.isIdentifier(t) && !ts.isPropertyAccessExpression(t))) return undefined;
    return keptRoot(t, node) === undefined ? undefined : t;
  };
  for (const [a, b] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    const ua = unwrap(a);
    const ub = unwrap(b);
    if (clock(ua)) {
      const direct = stored(ub);
      if (direct !== undefined) return direct;
      if (ts.isBinaryExpression(ub) && ub.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const sum = stored(ub.left) ?? stored(ub.right);
        if (sum !== undefined) return sum;
      }
    }
    if (ts.isBinaryExpression(ua) && ua.operatorToken.kind === ts.SyntaxKind.MinusToken) {
      if (clock(ua.left)) {
        const s = stored(ua.right);
        if (s !== undefined) return s;
      }
      if (clock(ua.right)) {
        const s = stored(ua.left);
        if (s !== undefined) return s;
      }
    }
  }
  return undefined;
}

/** Whether a value is worked out (a call, `await`, `new` with arguments) or handed to a callback. */
function workedOut(value: ts.Node, branch: ts.Node, depth = 0): boolean {
  const v = unwrap(value);
  // A clock reading is the stamp's, not the value's.
  if (isNothing(v) || isDirectClockRead(v)) return false;
  if (ts.isAwaitExpression(v) || ts.isCallExpression(v)) return true;
  if (ts.isNewExpression(v)) return (v.arguments?.length ?? 0) > 0;
  // A callback's result (`dns.lookup(host, (err, address) => { this.address = address })`).
  if (ts.isIdentifier(v)) {
    const d = bindingOf(v, v.text);
    // A local worked out first (`const token = { accessToken: result.access_token, … }`).
    if (d !== undefined && ts.isVariableDeclaration(d) && d.initializer !== undefined)
      return depth < 2 && workedOut(d.initializer, branch, depth + 1);
    return (
      d !== undefined &&
      ts.isParameter(d) &&
      d.pos >= branch.pos &&
      d.end <= branch.end &&
      ts.isCallExpression(d.parent.parent)
    );
  }
  // A record made of worked-out values (`{ token: res.access_token, expiry: … }`).
  if (ts.isObjectLiteralExpression(v))
    return v.properties.some(
      (p) => ts.isPropertyAssignment(p) && workedOutValue(p.initializer, branch, depth),
    );
  return false;
}

function workedOutValue(value: ts.Node, branch: ts.Node, depth: number): boolean {
  const v = unwrap(value);
  if (ts.isPropertyAccessExpression(v)) return ts.isIdentifier(unwrap(v.expression));
  return workedOut(v, branch, depth);
}

/** Whether a region writes a worked-out value into the slot (or one of its members). */
function writesSlot(region: ts.Node, slots: readonly string[], branch: ts.Node): boolean {
  let writes = false;
  walkKinds(region, [ts.SyntaxKind.BinaryExpression], (n) => {
    if (
      writes ||
      !ts.isBinaryExpression(n) ||
      n.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      !workedOut(n.right, branch)
    )
      return;
    const target = chain(unwrap(n.left));
    if (target !== undefined && slots.some((s) => target === s || target.startsWith(`${s}.`)))
      writes = true;
  });
  return writes;
}

/**
 * Whether a branch refills the slot: it writes a worked-out value into it (in the branch, or in a
 * callback the branch hands on), or calls a function of the file that does (`await
 * this._refreshAuthToken()`, `doc = await fetchJwks()` where `fetchJwks` sets `cache`).
 */
function refills(facts: FileFacts, branch: ts.Node, slots: readonly string[], depth = 0): boolean {
  if (writesSlot(branch, slots, branch)) return true;
  if (depth > 1) return false;
  const called = new Set<string>();
  walkKinds(branch, [ts.SyntaxKind.CallExpression], (n) => {
    if (!ts.isCallExpression(n)) return;
    const name = callee(n);
    if (name !== undefined && /^(this\.)?[#\w$]+$/.test(name))
      called.add(name.replace(/^this\./, ""));
  });
  if (called.size === 0) return false;
  return facts.functions.some((fn) => {
    const name = functionName(fn);
    return (
      name !== undefined &&
      called.has(name) &&
      !(branch.pos >= fn.pos && branch.end <= fn.end) &&
      refills(facts, fn, slots, depth + 1)
    );
  });
}

/**
 * Empty-or-stale refills: an `if` whose test finds a kept value missing or its stored time old —
 * `if (!this._auth || this._auth.expiration < new Date()) await this._refresh()`, `if (!doc || now
 * - cacheTime > maxAge) doc = await fetchJwks()`, `if (dns.address === undefined || now -
 * dns.timestamp > ttl) lookup(…, (err, address) => { dns.address = address; … })` — and whose
 * branch works the value out again into the slot (itself, or through a function of the file it
 * calls). The value and its time are kept (members of `this`, module or closure variables); the
 * time is the value's own (a member of it) or kept beside it. A gate on a time alone (a rate
 * limit, a deadline) tests no kept value; a window reset stores a fresh counter, not a value
 * worked out.
 * @param facts - the file's facts
 * @returns the refills, one per `if`
 */
export function staleRefills(facts: FileFacts): StaleRefill[] {
  const found = new Map<ts.IfStatement, StaleRefill>();
  for (const b of facts.binaries) {
    const stampNode = comparedStamp(facts, b);
    if (stampNode === undefined) continue;
    const stamp = chain(stampNode);
    if (stamp === undefined || namedNotExpiry(stamp)) continue;
    const top = logicalTop(b);
    for (const { gate, nodes } of gatesOn(facts, top)) {
      if (found.has(gate)) continue;
      const refill = refillOn(facts, top, gate, stampNode, stamp);
      if (refill !== undefined) found.set(gate, { gate, slot: refill, stamp, nodes });
    }
  }
  return [...found.values()];
}

/**
 * The `if`s a condition decides: the one it is the test of, or — when it is the answer of a small
 * predicate (`shouldRefresh() { return !this.token || this.token.expiresAt - Date.now() < margin
 * }`) — each `if` of the file whose test calls that predicate.
 */
function gatesOn(
  facts: FileFacts,
  top: ts.Node,
): { gate: ts.IfStatement; nodes: readonly ts.Node[] }[] {
  const parent = top.parent;
  if (ts.isIfStatement(parent) && parent.expression === top)
    return [{ gate: parent, nodes: [parent] }];
  if (!ts.isReturnStatement(parent)) return [];
  const fn = functionAround(parent);
  if (
    fn === undefined ||
    !isFunctionLike(fn) ||
    fn.body === undefined ||
    !ts.isBlock(fn.body) ||
    parent.parent !== fn.body ||
    fn.body.statements.length > 3
  )
    return [];
  const name = functionName(fn);
  if (name === undefined) return [];
  const gates: { gate: ts.IfStatement; nodes: readonly ts.Node[] }[] = [];
  for (const call of facts.calls) {
    if (call.arguments.length > 0 || callee(call)?.replace(/^this\./, "") !== name) continue;
    if (inside(call, fn)) continue;
    const t = logicalTop(call);
    if (ts.isIfStatement(t.parent) && t.parent.expression === t)
      gates.push({ gate: t.parent, nodes: [fn, t.parent].sort((x, y) => x.pos - y.pos) });
  }
  return gates;
}

/** The kept slot an `if` refills when the condition finds it missing or its time old. */
function refillOn(
  facts: FileFacts,
  top: ts.Node,
  gate: ts.IfStatement,
  stampNode: ts.Node,
  stamp: string,
): string | undefined {
  const stampRoot = keptRoot(stampNode, stampNode);
  for (const test of slotTests(top)) {
    if (!test.absent || test.slot === stamp) continue;
    const alias = /^[\w$]+$/.test(test.slot) ? aliasOf(test.slot, top) : undefined;
    const kept = alias ?? test.slot;
    const root = kept.split(".")[0] ?? kept;
    const keptHere = alias !== undefined || root === "this" || keptByName(root, top);
    if (!keptHere) continue;
    // The time is the value's own (`this._auth.expiration`) or kept beside it (`this.loadedAt`
    // beside `this.value`, `dns.timestamp` beside `dns.address`, `cacheTime` beside `cache`).
    const owner = kept.includes(".") ? kept.slice(0, kept.lastIndexOf(".")) : undefined;
    const beside =
      stamp.startsWith(`${kept}.`) ||
      (owner !== undefined && stamp.startsWith(`${owner}.`)) ||
      (!kept.includes(".") && !stamp.includes(".") && stampRoot !== undefined) ||
      (root === "this" && stamp.split(".").length === 2);
    if (!beside) continue;
    const slots = alias === undefined ? [kept] : [kept, test.slot];
    if (refills(facts, gate.thenStatement, slots)) return kept;
  }
  return undefined;
}

/** Whether a bare name read in `at` is a variable declared outside its function. */
function keptByName(name: string, at: ts.Node): boolean {
  let found = false;
  walkKinds(at, [ts.SyntaxKind.Identifier], (n) => {
    if (!found && ts.isIdentifier(n) && n.text === name && outerVariable(n, at) !== undefined)
      found = true;
  });
  return found;
}
