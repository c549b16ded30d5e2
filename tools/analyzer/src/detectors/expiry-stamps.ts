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
  // (A member or an entry's field kept as a `Date` may be stamped from a clock local of any name,
  // `new Date(when.getTime() + ttl)`; a plain local is a deadline in the making only when the
  // clock is read as such — a job's next run worked out in a local is not a kept value's expiry.)
  const clock = (n: ts.Node, member: boolean): boolean =>
    isClockRead(facts, n) ||
    (member && isNowValue(facts, n)) ||
    (ts.isIdentifier(unwrap(n)) &&
      (facts.marks.get((unwrap(n) as ts.Identifier).text) ?? []).some((m) =>
        ts.isVariableDeclaration(m),
      ));
  const stamps = (value: ts.Node, member = true): boolean => {
    let found = false;
    walkKinds(value, [ts.SyntaxKind.BinaryExpression], (v) => {
      if (
        ts.isBinaryExpression(v) &&
        v.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        (clock(v.left, member) || clock(v.right, member))
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
        stamps(n.right, !ts.isIdentifier(unwrap(n.left)))
      ) {
        const key = markKey(n.left);
        add(key?.startsWith(".") === true || key === undefined ? key : `.${key}`, topStatement(n));
      }
      if (ts.isPropertyAssignment(n) && stamps(n.initializer))
        add(`.${n.name.getText()}`, topStatement(n));
      if (
        ts.isVariableDeclaration(n) &&
        n.initializer !== undefined &&
        stamps(n.initializer, false) &&
        ts.isIdentifier(n.name)
      )
        add(`.${n.name.text}`, topStatement(n));
    },
  );
  return keys;
}

/** Whether a declaration is a `const` (its value is the one it was bound to wherever it is read). */
function isConstLocal(
  d: ts.Node,
): d is ts.VariableDeclaration & { readonly initializer: ts.Expression } {
  return (
    ts.isVariableDeclaration(d) &&
    d.initializer !== undefined &&
    ts.isVariableDeclarationList(d.parent) &&
    (d.parent.flags & ts.NodeFlags.Const) !== 0
  );
}

/** `new Date()` with no arguments: the clock as a `Date`. */
function isDateNow(node: ts.Node): boolean {
  const u = unwrap(node);
  return (
    ts.isNewExpression(u) &&
    ts.isIdentifier(u.expression) &&
    u.expression.text === "Date" &&
    (u.arguments?.length ?? 0) === 0
  );
}

/**
 * Whether a node is the current time, whatever the local holding it is called: a clock read, a
 * `const` bound to one (`const current = new Date().getTime()`), or `getTime()` of the clock as a
 * `Date` (`(new Date()).getTime()`, `when.getTime()` after `const when = new Date()`).
 * @param facts - the file's facts
 * @param node - any expression
 * @returns true when it reads the clock
 */
export function isNowValue(facts: FileFacts, node: ts.Node, depth = 0): boolean {
  const u = unwrap(node);
  if (isClockish(facts, u)) return true;
  if (depth > 2) return false;
  if (ts.isIdentifier(u)) {
    const d = bindingOf(u, u.text);
    return d !== undefined && isConstLocal(d) && isNowValue(facts, d.initializer, depth + 1);
  }
  if (
    ts.isCallExpression(u) &&
    u.arguments.length === 0 &&
    ts.isPropertyAccessExpression(u.expression) &&
    /^(getTime|valueOf)$/.test(u.expression.name.text)
  ) {
    const target = unwrap(u.expression.expression);
    if (isDateNow(target)) return true;
    if (!ts.isIdentifier(target)) return false;
    const d = bindingOf(target, target.text);
    return d !== undefined && isConstLocal(d) && isDateNow(d.initializer);
  }
  return false;
}

/**
 * Whether a node is the clock moved back by an age: `Date.now() - maxAge`, inline or in a `const`
 * (`const threshold = Date.now() - this.maxAway`). A stored time below it is older than the age.
 */
function isCutoff(facts: FileFacts, node: ts.Node, depth = 0): boolean {
  const u = unwrap(node);
  if (ts.isIdentifier(u) && depth === 0) {
    const d = bindingOf(u, u.text);
    return d !== undefined && isConstLocal(d) && isCutoff(facts, d.initializer, depth + 1);
  }
  return (
    ts.isBinaryExpression(u) &&
    u.operatorToken.kind === ts.SyntaxKind.MinusToken &&
    isNowValue(facts, u.left) &&
    !isNowValue(facts, u.right)
  );
}

/**
 * Whether a member read starts at an entry a sweep is handed or picks: a parameter of the callback
 * around it (`(session) => session.leftAt`) or an element (`this.packets[i].emittedAt`).
 */
function entryRead(node: ts.Node): boolean {
  let n = unwrap(node);
  if (!ts.isPropertyAccessExpression(n)) return false;
  while (ts.isPropertyAccessExpression(n)) n = unwrap(n.expression);
  if (ts.isElementAccessExpression(n)) return true;
  if (!ts.isIdentifier(n)) return false;
  const d = bindingOf(n, n.text);
  if (d === undefined || !ts.isParameter(d)) return false;
  const fn = d.parent;
  return (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    ts.isCallExpression(fn.parent) &&
    fn.parent.arguments.includes(fn)
  );
}

/** Whether an ordering puts `low` below `high` (`low < high`, `high > low`, or-equal too). */
function below(node: ts.BinaryExpression, low: ts.Node): boolean {
  const k = node.operatorToken.kind;
  const less = k === ts.SyntaxKind.LessThanToken || k === ts.SyntaxKind.LessThanEqualsToken;
  return less ? node.left === low : node.right === low;
}

/** Whether a comparison sets the clock against a stored stamp or expiry (`now < this.expires`, `now - e.at > ttl`). */
export function stampCheck(
  facts: FileFacts,
  expiries: Map<string, ts.Node[]>,
  node: ts.BinaryExpression,
): string | undefined {
  if (!isOrdering(node.operatorToken.kind)) return undefined;
  const clockish = (n: ts.Node): boolean => isNowValue(facts, n);
  const keyOf = (n: ts.Node): string | undefined => {
    // A stored `Date` read as a number: `entry.lastUpdated.getTime()`.
    const u = unwrap(n);
    let read: ts.Node =
      ts.isCallExpression(u) &&
      u.arguments.length === 0 &&
      ts.isPropertyAccessExpression(u.expression) &&
      /^(getTime|valueOf)$/.test(u.expression.name.text)
        ? unwrap(u.expression.expression)
        : u;
    // A stored time made a `Date` to compare: `new Date(entry.capturedOn).getTime()`.
    if (
      ts.isNewExpression(read) &&
      ts.isIdentifier(read.expression) &&
      read.expression.text === "Date" &&
      read.arguments?.length === 1 &&
      read.arguments[0] !== undefined
    )
      read = read.arguments[0];
    const k = markKey(read);
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
    // `entry.storedAt < now - maxAge`: an entry's stamp (read from a callback's parameter or an
    // element, as a sweep goes through a store) stored by the file, older than the cutoff.
    if (isCutoff(facts, a) && below(node, b) && entryRead(b)) {
      const k = keyOf(b);
      if (k !== undefined && facts.marks.has(k) && !isNowValue(facts, b)) return k;
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
    if (isNowValue(facts, u)) return undefined;
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
      isNowValue(facts, ua.left)
    )
      key = stored(ua.right);
    // `clock ⋚ stored + age`
    else if (
      isNowValue(facts, ua) &&
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
    const top = chainTop(gate);
    const block = top.parent;
    if (returnedSlot(gate.thenStatement, gate) !== undefined && ts.isBlock(block))
      for (const s of block.statements.slice(block.statements.indexOf(top) + 1)) {
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
  const block = chainTop(gate).parent;
  const region: readonly ts.Node[] =
    exit === undefined
      ? [gate.thenStatement]
      : ts.isBlock(block) || ts.isSourceFile(block)
        ? block.statements.slice(block.statements.indexOf(chainTop(gate)) + 1)
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

/** The first `if` of an `else if` chain (the statement that sits in a block). */
function chainTop(gate: ts.IfStatement): ts.IfStatement {
  let top = gate;
  while (ts.isIfStatement(top.parent) && top.parent.elseStatement === top) top = top.parent;
  return top;
}

/**
 * The kept slot a branch hands back as it leaves (`return cached;`, `{ return this.value; }`), or
 * hands to the caller's callback as it leaves (`return process.nextTick(done, null, cached)`,
 * `return cb(null, cached)`).
 */
function returnedSlot(branch: ts.Statement, at: ts.Node): string | undefined {
  const only = soleStatement(branch);
  if (only === undefined || !ts.isReturnStatement(only) || only.expression === undefined)
    return undefined;
  const value = unwrap(only.expression);
  if (ts.isCallExpression(value)) {
    const handed = value.arguments.map((a) => keptSlot(a, at)).filter((k) => k !== undefined);
    return handed.length === 1 ? handed[0] : undefined;
  }
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

/** The names a function's parameters bind, destructured ones too (`([, entry]) => …`). */
function parameterNames(fn: ts.SignatureDeclaration): Set<string> {
  const names = new Set<string>();
  const add = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) add(e.name);
  };
  for (const p of fn.parameters) add(p.name);
  return names;
}

/**
 * Whether an age check is the keep-or-drop answer of a callback handed an entry (`entries.filter(([,
 * item]) => { if (item.at + ttl < now) return false; return true })`, `list.sweep((e) => e.at <
 * cutoff)`): the stamp is read from the callback's parameter, and the answer is the check itself
 * or a `true`/`false` the `if` on it returns.
 */
function entryVerdict(check: ts.Node, acting: ts.Node | undefined): boolean {
  let fn: ts.Node | undefined = check.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  if (
    fn === undefined ||
    !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ||
    !ts.isCallExpression(fn.parent) ||
    !fn.parent.arguments.includes(fn)
  )
    return false;
  const params = parameterNames(fn);
  let reads = false;
  walkKinds(check, [ts.SyntaxKind.PropertyAccessExpression], (n) => {
    if (!ts.isPropertyAccessExpression(n)) return;
    let root: ts.Node = n;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root))
      root = unwrap(root.expression);
    if (ts.isIdentifier(root) && params.has(root.text)) reads = true;
  });
  if (!reads) return false;
  if (acting === undefined) return true;
  if (!ts.isIfStatement(acting)) return false;
  const then = acting.thenStatement;
  const last = ts.isBlock(then) ? then.statements[then.statements.length - 1] : then;
  return (
    last !== undefined &&
    ts.isReturnStatement(last) &&
    last.expression !== undefined &&
    (last.expression.kind === ts.SyntaxKind.TrueKeyword ||
      last.expression.kind === ts.SyntaxKind.FalseKeyword)
  );
}

/**
 * Whether a value goes into a keyed store: `store[k] = value`, `store.set(k, value)`. (A list
 * pushed to and reduced over — a window of samples — is not looked up again.)
 */
function putIntoStore(value: ts.Node): boolean {
  let v: ts.Node = value;
  while (
    ts.isParenthesizedExpression(v.parent) ||
    ts.isAsExpression(v.parent) ||
    ts.isSatisfiesExpression(v.parent)
  )
    v = v.parent;
  const p = v.parent;
  if (
    ts.isBinaryExpression(p) &&
    p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    p.right === v &&
    ts.isElementAccessExpression(unwrap(p.left))
  )
    return true;
  return (
    ts.isCallExpression(p) &&
    p.arguments.length === 2 &&
    p.arguments[1] === v &&
    ts.isPropertyAccessExpression(p.expression) &&
    p.expression.name.text === "set"
  );
}

/**
 * Whether a stamp is written into an entry of a keyed store: a property of the object literal put
 * into it (`ns[key] = { at: Date.now(), value }`), or a member of an object
 * stamped and then put into a store in the same block (`s.leftAt = Date.now();
 * this.parked.set(s.id, s)`).
 */
function stampedIntoStore(facts: FileFacts, key: string): boolean {
  return (facts.marks.get(key) ?? []).some((m) => {
    if (ts.isPropertyAssignment(m)) return putIntoStore(m.parent);
    const statement = topStatement(m);
    const e = ts.isExpressionStatement(statement) ? unwrap(statement.expression) : undefined;
    if (e === undefined || !ts.isBinaryExpression(e)) return false;
    const owner = unwrap(
      ts.isPropertyAccessExpression(unwrap(e.left))
        ? (unwrap(e.left) as ts.PropertyAccessExpression).expression
        : e.left,
    );
    if (!ts.isIdentifier(owner)) return false;
    const block = statement.parent;
    if (!ts.isBlock(block)) return false;
    let put = false;
    for (const next of block.statements.slice(
      block.statements.indexOf(statement as ts.Statement) + 1,
    ))
      walkKinds(next, [ts.SyntaxKind.Identifier], (n) => {
        if (ts.isIdentifier(n) && n.text === owner.text && putIntoStore(n)) put = true;
      });
    return put;
  });
}

/**
 * The write half of an entry's stamp, when a statement stores the stamp with the entry it dates:
 * a property of an object literal beside other values (`{ state, savedAt: Date.now() }`), or a
 * member of an object that the same block then puts into a keyed store or gives another value
 * (`s.leftAt = Date.now(); this.parked.set(s.id, s)`, `w.updated = new Date(); w.value = v`).
 * @param statement - a statement that writes the stamp (from `expiryKeys` or the marks)
 * @param key - the stamp's key
 * @returns the statements of the write (the stamp, and the put beside it), or undefined
 */
export function entryStampWrite(statement: ts.Node, key: string): ts.Node[] | undefined {
  const name = key.replace(/^\./, "");
  let found: ts.Node[] | undefined;
  walkKinds(statement, [ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.BinaryExpression], (n) => {
    if (found !== undefined) return;
    if (
      ts.isPropertyAssignment(n) &&
      n.name.getText() === name &&
      ts.isObjectLiteralExpression(n.parent) &&
      n.parent.properties.length > 1
    ) {
      // The record's statement, unless it also holds code of its own (callbacks handed to a
      // child made beside the stamp): then the stamp's own property.
      const top = topStatement(n);
      let holdsCode = false;
      walkKinds(
        top,
        [
          ts.SyntaxKind.ArrowFunction,
          ts.SyntaxKind.FunctionExpression,
          ts.SyntaxKind.MethodDeclaration,
        ],
        () => {
          holdsCode = true;
        },
      );
      found = [holdsCode ? n : top];
      return;
    }
    if (
      !ts.isBinaryExpression(n) ||
      n.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      markKey(n.left) !== key
    )
      return;
    const left = unwrap(n.left);
    if (!ts.isPropertyAccessExpression(left)) return;
    const owner = unwrap(left.expression);
    if (!ts.isIdentifier(owner)) return;
    const top = topStatement(n);
    const block = top.parent;
    if (!ts.isBlock(block)) return;
    for (const next of block.statements.slice(block.statements.indexOf(top as ts.Statement) + 1)) {
      let beside = false;
      walkKinds(next, [ts.SyntaxKind.Identifier], (id) => {
        if (!ts.isIdentifier(id) || id.text !== owner.text) return;
        if (putIntoStore(id)) beside = true;
        const member = id.parent;
        if (
          ts.isPropertyAccessExpression(member) &&
          member.expression === id &&
          ts.isBinaryExpression(member.parent) &&
          member.parent.left === member &&
          member.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          markKey(member) !== key
        )
          beside = true;
      });
      if (beside) {
        found = [top, next];
        return;
      }
    }
  });
  return found;
}

/**
 * Whether an age check is the keep-or-drop verdict on an entry of a store (an age sweep): the
 * check reads the stamp from a callback's parameter (`entries.filter(([, item]) => { if (item.at
 * + ttl < now) return false; return true })`, `list.sweep((e) => e.at < cutoff)`), answers with
 * the check itself or a `true`/`false` the `if` on it returns, and the file writes that stamp into
 * a store's entries. A filter on a time kept as data (posts shown when recent) has no such write.
 * @param facts - the file's facts
 * @param key - the stamp's key
 * @param check - the age comparison
 * @returns whether it is an age sweep's verdict
 */
export function entryAgeVerdict(facts: FileFacts, key: string, check: ts.Node): boolean {
  let acting: ts.Node | undefined;
  for (let c = check.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
    if (ts.isReturnStatement(c)) break;
    if (ts.isIfStatement(c)) {
      acting = c;
      break;
    }
    if (ts.isBlock(c) || ts.isVariableDeclaration(c)) return false;
  }
  return entryVerdict(check, acting) && stampedIntoStore(facts, key);
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
