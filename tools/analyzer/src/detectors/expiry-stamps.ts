import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, topStatement, walk, walkKinds } from "../ast.js";
import {
  functionName,
  isClockRead,
  isClockish,
  isOrdering,
  markKey,
  unwrap,
} from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { bindingOf } from "./local-binding.js";
import { isNothing } from "./slot-facts.js";

/** `Promise.resolve()` / `Promise.resolve(undefined)`: an async early exit that hands back nothing. */
function isSettledNothing(node: ts.Node): boolean {
  const n = unwrap(node);
  if (!ts.isCallExpression(n) || callee(n) !== "Promise.resolve") return false;
  const [value] = n.arguments;
  return value === undefined || isNothing(value);
}

// Per file's facts: two detectors ask for the same file's expiry keys.
const expiryKeysByFacts = new WeakMap<FileFacts, Map<string, ts.Node[]>>();

/** Keys (`.expires`, `expireAt`) assigned an expiry stamp `clock + ttl` in the file (read-only). */
export function expiryKeys(facts: FileFacts): Map<string, ts.Node[]> {
  const known = expiryKeysByFacts.get(facts);
  if (known !== undefined) return known;
  const keys = new Map<string, ts.Node[]>();
  expiryKeysByFacts.set(facts, keys);
  const add = (key: string | undefined, statement: ts.Node): void => {
    if (key === undefined) return;
    let list = keys.get(key);
    if (list === undefined) keys.set(key, (list = []));
    list.push(statement);
  };
  // `Date.now() + ttl`, also inside a conversion: `new Date(Date.now() + ttl).getTime()`, or over
  // a local clock reading (`const now = Date.now(); const expiresAt = now + ttl`).
  const clock = (n: ts.Node): boolean =>
    isClockRead(facts, n) ||
    (ts.isIdentifier(unwrap(n)) &&
      (facts.marks.get((unwrap(n) as ts.Identifier).text) ?? []).some((m) =>
        ts.isVariableDeclaration(m),
      ));
  const stamps = (value: ts.Node): boolean => {
    let found = false;
    walkKinds(value, [ts.SyntaxKind.BinaryExpression], (v) => {
      if (
        ts.isBinaryExpression(v) &&
        v.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        (clock(v.left) || clock(v.right))
      )
        found = true;
    });
    return found;
  };
  walkKinds(
    facts.sourceFile,
    [
      ts.SyntaxKind.BinaryExpression,
      ts.SyntaxKind.PropertyAssignment,
      ts.SyntaxKind.VariableDeclaration,
    ],
    (n) => {
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        stamps(n.right)
      ) {
        const key = markKey(n.left);
        add(key?.startsWith(".") === true || key === undefined ? key : `.${key}`, topStatement(n));
      }
      if (ts.isPropertyAssignment(n) && stamps(n.initializer))
        add(`.${n.name.getText()}`, topStatement(n));
      if (
        ts.isVariableDeclaration(n) &&
        n.initializer !== undefined &&
        stamps(n.initializer) &&
        ts.isIdentifier(n.name)
      )
        add(`.${n.name.text}`, topStatement(n));
    },
  );
  return keys;
}

/** Whether a comparison sets the clock against a stored stamp or expiry (`now < this.expires`, `now - e.at > ttl`). */
export function stampCheck(
  facts: FileFacts,
  expiries: Map<string, ts.Node[]>,
  node: ts.BinaryExpression,
): string | undefined {
  if (!isOrdering(node.operatorToken.kind)) return undefined;
  const clockish = (n: ts.Node): boolean => isClockish(facts, n);
  const keyOf = (n: ts.Node): string | undefined => {
    // A stored `Date` read as a number: `entry.lastUpdated.getTime()`.
    const u = unwrap(n);
    const k = markKey(
      ts.isCallExpression(u) &&
        u.arguments.length === 0 &&
        ts.isPropertyAccessExpression(u.expression) &&
        /^(getTime|valueOf)$/.test(u.expression.name.text)
        ? u.expression.expression
        : n,
    );
    return k === undefined ? undefined : k.startsWith(".") ? k : `.${k}`;
  };
  for (const [a, b] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    if (clockish(a)) {
      const k = keyOf(b);
      if (k !== undefined && expiries.has(k)) return k;
      // `entry.storedAt + ttl < now`: the age check written as the stamp moved forward.
      const sum = unwrap(b);
      if (ts.isBinaryExpression(sum) && sum.operatorToken.kind === ts.SyntaxKind.PlusToken)
        for (const side of [sum.left, sum.right]) {
          const s = unwrap(side);
          if (!ts.isPropertyAccessExpression(s) && !ts.isElementAccessExpression(s)) continue;
          const stamp = keyOf(s);
          if (stamp !== undefined && facts.marks.has(stamp)) return stamp;
        }
    }
    // `now - entry.storedAt > maxAge`
    const u = unwrap(a);
    if (
      ts.isBinaryExpression(u) &&
      u.operatorToken.kind === ts.SyntaxKind.MinusToken &&
      clockish(u.left)
    ) {
      const k = keyOf(u.right);
      if (k !== undefined && facts.marks.has(k) && k.startsWith(".")) return k;
    }
  }
  return undefined;
}

/**
 * An age check on a stored time that refills a kept value when the time is old (see
 * {@link refilledSlot}): `now - this.loadedAt > ttl`, `now >= this.loadedAt + ttl`, or the same on
 * a module or closure variable (`Date.now() - loadedAt < MAX_AGE`). Only the refill makes it a
 * cache: the same comparison also gates rate limits and deadlines.
 * @param facts - the file's facts
 * @param node - a comparison
 * @returns the stored time's key and the refilled slot, when it is one
 */
export function refillCheck(
  facts: FileFacts,
  node: ts.BinaryExpression,
): { readonly key: string; readonly slot: string; readonly nodes: readonly ts.Node[] } | undefined {
  if (!isOrdering(node.operatorToken.kind)) return undefined;
  const stored = (n: ts.Node): string | undefined => {
    const u = unwrap(n);
    if (isClockish(facts, u)) return undefined;
    const k = markKey(u);
    if (k === undefined) return undefined;
    if (ts.isPropertyAccessExpression(u)) {
      const key = k.startsWith(".") ? k : `.${k}`;
      return facts.marks.has(key) ? key : undefined;
    }
    return facts.marks.has(k) && keptOutside(u, node) ? k : undefined;
  };
  for (const [a, b] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    let key: string | undefined;
    const ua = unwrap(a);
    const ub = unwrap(b);
    // `clock - stored ⋚ age`
    if (
      ts.isBinaryExpression(ua) &&
      ua.operatorToken.kind === ts.SyntaxKind.MinusToken &&
      isClockish(facts, ua.left)
    )
      key = stored(ua.right);
    // `clock ⋚ stored + age`
    else if (
      isClockish(facts, ua) &&
      ts.isBinaryExpression(ub) &&
      ub.operatorToken.kind === ts.SyntaxKind.PlusToken
    )
      key = stored(ub.left) ?? stored(ub.right);
    if (key === undefined) continue;
    const slot = refilledSlot(facts, node, key);
    if (slot === undefined) continue;
    // The check (or the local it is bound to), the `if` it decides, and in the fresh form the
    // refill after it.
    const gate = decidedIf(node) as ts.IfStatement;
    const nodes = new Set<ts.Node>([topStatement(node), gate]);
    const block = gate.parent;
    if (returnedSlot(gate.thenStatement, gate) !== undefined && ts.isBlock(block))
      for (const s of block.statements.slice(block.statements.indexOf(gate) + 1)) {
        let writes = false;
        walkKinds(s, [ts.SyntaxKind.BinaryExpression], (n) => {
          if (
            ts.isBinaryExpression(n) &&
            n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            [slot, key].includes(chain(unwrap(n.left)) ?? "")
          )
            writes = true;
        });
        if (writes) nodes.add(s);
      }
    return { key, slot, nodes: [...nodes].sort((x, y) => x.pos - y.pos) };
  }
  return undefined;
}

/**
 * Whether a bare name read at `node` is a variable declared outside the function around `at` (a
 * module or closure variable, which outlives one call), not a parameter or a local of it.
 */
function keptOutside(node: ts.Node, at: ts.Node): boolean {
  const n = unwrap(node);
  if (!ts.isIdentifier(n)) return false;
  const declaration = bindingOf(n, n.text);
  if (declaration === undefined || !ts.isVariableDeclaration(declaration)) return false;
  let fn: ts.Node | undefined = at.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  return fn !== undefined && !(declaration.pos >= fn.pos && declaration.end <= fn.end);
}

/** The slot a target names when it outlives one call: a member of `this` or an outer variable. */
function keptSlot(target: ts.Node, at: ts.Node): string | undefined {
  const t = unwrap(target);
  const text = chain(t);
  if (text === undefined) return undefined;
  if (/^this\.[#\w$]+$/.test(text)) return text;
  return keptOutside(t, at) ? text : undefined;
}

/** Whether an expression works a value out (a call, `await`, `new`), rather than copying one. */
function worksOut(value: ts.Node): boolean {
  let found = false;
  walkKinds(
    value,
    [ts.SyntaxKind.CallExpression, ts.SyntaxKind.AwaitExpression, ts.SyntaxKind.NewExpression],
    () => {
      found = true;
    },
  );
  return found;
}

/**
 * The `if` an age check decides: the one whose test holds the check, or tests a local the check
 * is bound to (`const expired = now - this.at > ttl; if (!this.rows || expired) …`).
 */
function decidedIf(check: ts.Node): ts.IfStatement | undefined {
  for (let c = check.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
    if (ts.isIfStatement(c))
      return c.expression.pos <= check.pos && check.end <= c.expression.end ? c : undefined;
    if (ts.isVariableDeclaration(c) && ts.isIdentifier(c.name)) {
      const name = c.name.text;
      const statement = topStatement(c);
      const block = statement.parent;
      if (!ts.isBlock(block) && !ts.isSourceFile(block)) return undefined;
      const at = block.statements.indexOf(statement as ts.Statement);
      for (const next of block.statements.slice(at + 1)) {
        if (!ts.isIfStatement(next)) continue;
        let tests = false;
        walk(next.expression, (n) => {
          if (ts.isIdentifier(n) && n.text === name) tests = true;
        });
        if (tests) return next;
      }
      return undefined;
    }
  }
  return undefined;
}

/**
 * Whether an age check refills a kept value when it is stale: the branch it decides works a value
 * out into a field or an outer variable (not the stamp) and stamps the stored time with the clock
 * again, and the function hands that value out (`if (!this.v || Date.now() - this.at > ttl) {
 * this.v = await load(); this.at = Date.now(); } return this.v;`). A gate whose branch only does
 * work (a heartbeat, an emit) refills nothing: that is a rate limit.
 * @param facts - the file's facts
 * @param check - the age comparison (`now - stamp > ttl`)
 * @param stamp - the stored time's key, as in `facts.marks`
 * @returns the refilled slot, when the check refills one
 */
export function refilledSlot(facts: FileFacts, check: ts.Node, stamp: string): string | undefined {
  const gate = decidedIf(check);
  if (gate === undefined || gate.elseStatement !== undefined) return undefined;
  let fn: ts.Node | undefined = gate.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  if (fn === undefined) return undefined;
  // Stale → the branch refills; or fresh → the branch hands the kept value back and the rest of
  // the block refills it (`if (cached && age < ttl) return cached; cached = load(); …`).
  const exit = returnedSlot(gate.thenStatement, gate);
  const block = gate.parent;
  const region: readonly ts.Node[] =
    exit === undefined
      ? [gate.thenStatement]
      : ts.isBlock(block) || ts.isSourceFile(block)
        ? block.statements.slice(block.statements.indexOf(gate) + 1)
        : [];
  const within = (n: ts.Node): boolean => region.some((r) => n.pos >= r.pos && n.end <= r.end);
  if (!(facts.marks.get(stamp) ?? []).some(within)) return undefined;
  const stampText = stamp.replace(/^\./, "");
  let slot: string | undefined;
  for (const r of region)
    walkKinds(r, [ts.SyntaxKind.BinaryExpression], (n) => {
      if (
        slot !== undefined ||
        !ts.isBinaryExpression(n) ||
        n.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
        isNothing(n.right) ||
        !worksOut(n.right)
      )
        return;
      const s = keptSlot(n.left, n);
      // A value worked out from the slot's own (`this.beats = Math.max(this.beats + 1, 0)`) is a
      // tally, not a refill.
      if (
        s !== undefined &&
        s.split(".").pop() !== stampText &&
        (exit === undefined || s === exit) &&
        !readsSlot(n.right, s)
      )
        slot = s;
    });
  if (slot === undefined) return undefined;
  // Handed out: the function returns the slot after the branch (or the fresh branch did).
  if (exit !== undefined) return slot;
  const kept = slot;
  let handed = false;
  walkKinds(fn, [ts.SyntaxKind.ReturnStatement], (r) => {
    if (
      ts.isReturnStatement(r) &&
      r.pos >= gate.end &&
      r.expression !== undefined &&
      chain(unwrap(r.expression)) === kept
    )
      handed = true;
  });
  return handed ? slot : undefined;
}

function readsSlot(value: ts.Node, slot: string): boolean {
  let found = false;
  walkKinds(value, [ts.SyntaxKind.Identifier, ts.SyntaxKind.PropertyAccessExpression], (n) => {
    if (chain(n) === slot) found = true;
  });
  return found;
}

/** The kept slot a branch hands back as it leaves (`return cached;`, `{ return this.value; }`). */
function returnedSlot(branch: ts.Statement, at: ts.Node): string | undefined {
  const only = ts.isBlock(branch)
    ? branch.statements.length === 1
      ? branch.statements[0]
      : undefined
    : branch;
  if (only === undefined || !ts.isReturnStatement(only) || only.expression === undefined)
    return undefined;
  return keptSlot(only.expression, at);
}

/** Whether an `if` or `?:` reuses a stored value, removes an entry or skips it (and does not throw). */
function reusesIn(c: ts.Node): boolean {
  let reuse = false;
  walk(c, (n) => {
    if (reuse) return;
    if (
      ts.isReturnStatement(n) &&
      n.expression !== undefined &&
      !isNothing(n.expression) &&
      !isSettledNothing(n.expression) &&
      n.expression.kind !== ts.SyntaxKind.TrueKeyword
    )
      reuse = true;
    if (ts.isDeleteExpression(n) || ts.isContinueStatement(n)) reuse = true;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === "delete"
    )
      reuse = true;
    if (ts.isThrowStatement(n)) reuse = false;
  });
  return reuse;
}

/**
 * The `if` that acts on a local holding an age check (`const expired = now - e.at > maxAge; …
 * if (expired || busted) { … }`): the first `if` of the same block, after the local, whose test
 * reads it.
 */
export function ifOnLocal(declaration: ts.VariableDeclaration): ts.IfStatement | undefined {
  const statement = declaration.parent.parent;
  const block = statement.parent;
  if (!ts.isIdentifier(declaration.name) || !ts.isVariableStatement(statement)) return undefined;
  if (!ts.isBlock(block) && !ts.isSourceFile(block)) return undefined;
  const name = declaration.name.text;
  for (const next of block.statements.slice(block.statements.indexOf(statement) + 1)) {
    if (!ts.isIfStatement(next)) continue;
    let reads = false;
    walk(next.expression, (n) => {
      if (ts.isIdentifier(n) && n.text === name) reads = true;
    });
    if (reads) return next;
  }
  return undefined;
}

/** What a stamp check guards: reuse of a stored value, removal of an entry, or a validity answer. */
export function guardsReuse(check: ts.Node, expiry: boolean): boolean {
  for (let c = check.parent; c !== undefined; c = c.parent) {
    // A validity answer (`return Date.now() < this.#expires`) judges a stored expiry only.
    if (ts.isReturnStatement(c) || (ts.isArrowFunction(c) && c.body === check)) return expiry;
    if (ts.isIfStatement(c) || ts.isConditionalExpression(c)) return reusesIn(c);
    // `const shouldRefresh = … || Date.now() > this.expireAt`, then `if (shouldRefresh) …`; an age
    // held in a local is judged by the `if` that reads it.
    if (ts.isVariableDeclaration(c)) {
      if (expiry) return true;
      const next = ifOnLocal(c);
      return next !== undefined && reusesIn(next);
    }
    if (isFunctionLike(c) || ts.isBlock(c)) return false;
  }
  return false;
}

/** The `if` that acts on an age check: the one around it, or the one reading the local it is held in. */
function actingIf(check: ts.Node): ts.IfStatement | undefined {
  for (let c = check.parent; c !== undefined; c = c.parent) {
    if (ts.isIfStatement(c)) return c;
    if (ts.isVariableDeclaration(c)) return ifOnLocal(c);
    if (isFunctionLike(c) || ts.isBlock(c)) return undefined;
  }
  return undefined;
}

/**
 * Whether the work an age check lets through stamps the same time again — in the branch itself or
 * in a function of the file the branch calls (`if (due) return this.commitOffsets()`, which sets
 * `this.lastCommit = Date.now()`): a gate that runs work at most once per interval (a throttle),
 * not the expiry of a kept value.
 * @param facts - the file's facts
 * @param key - the stored time's key (`.lastCommit`)
 * @param check - the age comparison
 * @returns whether the pass re-stamps the time
 */
export function restampedOnPass(facts: FileFacts, key: string, check: ts.Node): boolean {
  const acting = actingIf(check);
  if (acting === undefined) return false;
  const branch = acting.thenStatement;
  const called = new Set<string>();
  walkKinds(branch, [ts.SyntaxKind.CallExpression], (n) => {
    const name = ts.isCallExpression(n) ? callee(n)?.split(".").pop() : undefined;
    if (name !== undefined) called.add(name);
  });
  // Through a called function only for the object's own time (`this.lastCommit`): a time kept per
  // entry (`oldest.lastAccess`) is stamped again for other entries by the work that drops one.
  const own = /^this\./.test(
    (() => {
      let compared = "";
      walk(check, (n) => {
        if (compared === "" && ts.isPropertyAccessExpression(n) && markKey(n) === key)
          compared = n.getText();
      });
      return compared;
    })(),
  );
  return (facts.marks.get(key) ?? []).some((write) => {
    if (write.pos >= branch.pos && write.end <= branch.end) return true;
    if (!own) return false;
    for (let c = write.parent; c !== undefined; c = c.parent)
      if (isFunctionLike(c)) {
        const name = functionName(c);
        return name !== undefined && called.has(name);
      }
    return false;
  });
}
