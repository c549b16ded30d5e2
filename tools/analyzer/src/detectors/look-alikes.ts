import { ts } from "ts-morph";
import { enclosing, inside, walk } from "../ast.js";
import { factsOf, functionName, isClockRead, isOrdering, markKey, unwrap } from "../file-facts.js";
import type { KeyedFlow } from "./keyed-flow.js";

/**
 * Look-alikes: code that has an idiom's shape but does something else. Each test here is a data-flow
 * fact a detector asks before it reports; none of them reads a name.
 */

/** The text of the object a member access reads from (`this`, `entry`, `this.#slot`). */
function ownerText(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n))
    return unwrap(n.expression).getText();
  return undefined;
}

/** The statements that sit beside a statement: its block's, its case clause's or its file's. */
function siblings(statement: ts.Node): readonly ts.Node[] {
  const parent = statement.parent;
  if (parent === undefined) return [];
  if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent))
    return parent.statements;
  if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) return parent.statements;
  return [];
}

/**
 * Whether a stored expiry stamp is written beside the value it would let expire: a sibling
 * property of the object literal that holds it (`{ rate, expires: Date.now() + ttl }`, also merged
 * into other values by a call), another member of the same owner assigned in the same block
 * (`this.token = t; this.expires = …`), or a member stamped as its object is built (a cache entry's
 * constructor). A
 * stamp with no value beside it at any of its writes is a deadline the code waits for — a server's
 * rate-limit reset, a cookie's expiry date — not the expiry of a kept value.
 * @param statement - a statement that writes the stamp (as `expiryKeys` lists them)
 * @param key - the stamp's key (`.expires`)
 * @returns true when a kept value is written beside the stamp, or when the write is not one this
 * test can judge (a local, an element write)
 */
export function stampBesideValue(statement: ts.Node, key: string): boolean {
  const name = key.replace(/^\./, "");
  let judged = false;
  let beside = false;
  walk(statement, (n) => {
    if (beside) return;
    if (
      ts.isPropertyAssignment(n) &&
      n.name.getText() === name &&
      ts.isObjectLiteralExpression(n.parent)
    ) {
      judged = true;
      // Beside other properties, or merged into other values (`Object.assign({}, keys, { expiresAt })`).
      const literal = n.parent;
      const call = literal.parent;
      if (literal.properties.length > 1 || (ts.isCallExpression(call) && call.arguments.length > 1))
        beside = true;
      return;
    }
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      markKey(n.left) === key
    ) {
      const owner = ownerText(n.left);
      if (owner === undefined) return;
      judged = true;
      // Stamped as an object is built: the object (a cache entry) is what expires.
      for (let c: ts.Node | undefined = n.parent; c !== undefined; c = c.parent)
        if (ts.isConstructorDeclaration(c)) beside = true;
      for (const s of siblings(statement)) {
        if (s === statement || !ts.isExpressionStatement(s)) continue;
        const e = unwrap(s.expression);
        if (
          ts.isBinaryExpression(e) &&
          e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          markKey(e.left) !== key &&
          ownerText(e.left) === owner
        )
          beside = true;
      }
    }
  });
  return beside || !judged;
}

/** The text of the receiver chain a call or element write acts on (`this._map` in `this._map.set(k, v)`). */
function receiverOf(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression))
    return unwrap(n.expression.expression).getText();
  if (
    ts.isBinaryExpression(n) &&
    n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isElementAccessExpression(unwrap(n.left))
  )
    return unwrap((unwrap(n.left) as ts.ElementAccessExpression).expression).getText();
  return undefined;
}

/**
 * Whether a store given a fresh container is filled again right after, in the same block (`this._map
 * = new Map(); this._map.set(a, x); this._map.set(b, y)`): the container is rebuilt or switched to
 * another representation, its entries carried over — nothing is dropped as stale.
 * @param assignment - the `store = new Map()` statement's expression
 * @returns true when a later statement of the same block writes into the new container
 */
export function refilledAfter(assignment: ts.BinaryExpression): boolean {
  const target = unwrap(assignment.left).getText();
  const statement = assignment.parent;
  if (!ts.isExpressionStatement(statement)) return false;
  const later = siblings(statement).filter((s) => s.pos >= statement.end);
  return later.some(
    (s) =>
      ts.isExpressionStatement(s) &&
      receiverOf(s.expression) === target &&
      (!ts.isCallExpression(unwrap(s.expression)) ||
        /^(set|add|push)$/.test(
          ((unwrap(s.expression) as ts.CallExpression).expression as ts.PropertyAccessExpression)
            .name.text,
        )),
  );
}

function parameterNamed(fn: ts.Node, name: string): boolean {
  return (
    ts.isFunctionLike(fn) &&
    fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)
  );
}

/**
 * Whether a method only hands out a store's entries by its own parameter (`get(key) { return
 * this.cache.get(key) ?? null }`): a read-through of the store's API that never fills it (a
 * get-or-compute that writes on a miss is not one).
 */
function handsOut(method: ts.ClassElement, store: string): boolean {
  if (!ts.isMethodDeclaration(method) && !ts.isGetAccessorDeclaration(method)) return false;
  let reads = false;
  let writes = false;
  walk(method, (n) => {
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
    if (unwrap(n.expression.expression).getText() !== store) return;
    const verb = n.expression.name.text;
    if (verb !== "get") {
      if (verb !== "has") writes = true;
      return;
    }
    const key = n.arguments[0];
    if (key === undefined || !ts.isIdentifier(unwrap(key))) return;
    if (!parameterNamed(method, (unwrap(key) as ts.Identifier).text)) return;
    for (let c: ts.Node = n; c !== method; c = c.parent) if (ts.isReturnStatement(c)) reads = true;
  });
  return reads && !writes;
}

/**
 * Whether `store.delete(key)` is a collection's own API: the key is the method's parameter as
 * given, and another method of the same class hands out the store's entries by its parameter
 * (`get(key) { return this.cache.get(key) }`). The class exposes the store; whoever calls `delete`
 * decides when an entry goes, so the invalidation (if any) is at the caller.
 * @param call - the `store.delete(key)` call
 * @param fn - the function it is in
 * @returns true when the delete is a pass-through of a collection class's API
 */
export function collectionPassThrough(call: ts.Node, fn: ts.Node): boolean {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
  if (call.expression.name.text !== "delete") return false;
  const key = call.arguments[0];
  if (key === undefined || !ts.isIdentifier(unwrap(key))) return false;
  if (!ts.isMethodDeclaration(fn) || !parameterNamed(fn, (unwrap(key) as ts.Identifier).text))
    return false;
  const store = unwrap(call.expression.expression).getText();
  if (!store.startsWith("this.")) return false;
  const owner = fn.parent;
  if (!ts.isClassDeclaration(owner) && !ts.isClassExpression(owner)) return false;
  return owner.members.some((m) => m !== fn && handsOut(m, store));
}

/** Modules whose exports make random values or ids. */
const RANDOM_MODULES = /^(node:)?crypto$|^uuid$|^nanoid$/;
/** Members of `crypto` (Node's or the web's) that make random values. */
const RANDOM_MEMBERS = /^(randomUUID|randomBytes|randomInt|randomFillSync|getRandomValues)$/;

/**
 * What a file binds from modules that make random values: `ids` are functions that return one
 * (`randomUUID` from `crypto`, anything from `uuid`/`nanoid`), `namespaces` hold them
 * (`import * as crypto from "node:crypto"`, `const uuid = require("uuid")`).
 */
interface RandomImports {
  readonly ids: Set<string>;
  readonly namespaces: Map<string, string>;
}

function randomImports(sourceFile: ts.SourceFile): RandomImports {
  const ids = new Set<string>();
  const namespaces = new Map<string, string>();
  const named = (module: string, imported: string, local: string): void => {
    if (!/crypto$/.test(module) || RANDOM_MEMBERS.test(imported)) ids.add(local);
  };
  for (const s of sourceFile.statements) {
    if (
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      RANDOM_MODULES.test(s.moduleSpecifier.text)
    ) {
      const module = s.moduleSpecifier.text;
      const clause = s.importClause;
      if (clause?.name !== undefined) namespaces.set(clause.name.text, module);
      const bindings = clause?.namedBindings;
      if (bindings !== undefined && ts.isNamedImports(bindings))
        for (const e of bindings.elements)
          named(module, (e.propertyName ?? e.name).getText(), e.name.text);
      if (bindings !== undefined && ts.isNamespaceImport(bindings))
        namespaces.set(bindings.name.text, module);
    }
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) {
        const init = d.initializer === undefined ? undefined : unwrap(d.initializer);
        const arg = init !== undefined && ts.isCallExpression(init) ? init.arguments[0] : undefined;
        if (
          init === undefined ||
          !ts.isCallExpression(init) ||
          init.expression.getText() !== "require" ||
          arg === undefined ||
          !ts.isStringLiteral(arg) ||
          !RANDOM_MODULES.test(arg.text)
        )
          continue;
        if (ts.isIdentifier(d.name)) namespaces.set(d.name.text, arg.text);
        if (ts.isObjectBindingPattern(d.name))
          for (const e of d.name.elements)
            if (ts.isIdentifier(e.name))
              named(arg.text, (e.propertyName ?? e.name).getText(), e.name.text);
      }
  }
  return { ids, namespaces };
}

const randomImportsByFile = new WeakMap<ts.SourceFile, RandomImports>();

/**
 * Whether a value is made at random — `Math.random()`, `crypto.randomUUID()`, an id from `uuid`
 * or `nanoid`, a fresh `Symbol()`, also converted (`randomBytes(8).toString("hex")`) or joined (`"id-" + uuid()`), or
 * through a local bound to one. Keeping such a value on first use fixes an identity; computing it
 * again would give a different answer, so it is not a memo of a derived value.
 * @param fn - the function the value is used in (to follow its locals)
 * @param value - the value
 * @param local - how a local's value is found (`localValue`)
 * @returns true when the value is random
 */
export function madeAtRandom(
  fn: ts.Node,
  value: ts.Node,
  local: (fn: ts.Node, name: string, before: number) => ts.Node | undefined,
  depth = 0,
): boolean {
  if (depth > 4) return false;
  const u = unwrap(value);
  const sourceFile = u.getSourceFile();
  let imports = randomImportsByFile.get(sourceFile);
  if (imports === undefined)
    randomImportsByFile.set(sourceFile, (imports = randomImports(sourceFile)));
  if (ts.isIdentifier(u)) {
    const init = local(fn, u.text, u.pos);
    return init !== undefined && madeAtRandom(fn, init, local, depth + 1);
  }
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return (
      madeAtRandom(fn, u.left, local, depth + 1) || madeAtRandom(fn, u.right, local, depth + 1)
    );
  if (ts.isTemplateExpression(u))
    return u.templateSpans.some((s) => madeAtRandom(fn, s.expression, local, depth + 1));
  if (!ts.isCallExpression(u)) return false;
  const callee = unwrap(u.expression);
  // A fresh `Symbol()` is a unique identity too (`Symbol.for(k)` is a registry lookup).
  if (ts.isIdentifier(callee)) return imports.ids.has(callee.text) || callee.text === "Symbol";
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = unwrap(callee.expression);
  if (ts.isIdentifier(receiver)) {
    if (receiver.text === "Math" && callee.name.text === "random") return true;
    // `crypto.randomUUID()` (Node's namespace or the web's global); `uuid.v4()`.
    const module =
      imports.namespaces.get(receiver.text) ?? (receiver.text === "crypto" ? "crypto" : undefined);
    if (module !== undefined)
      return !/crypto$/.test(module) || RANDOM_MEMBERS.test(callee.name.text);
  }
  // `randomBytes(8).toString("hex")`, `Math.random().toString(36).slice(2)`
  return madeAtRandom(fn, receiver, local, depth + 1);
}

/** A constant a field is reset to: `0`, `null`, `undefined`, `false`, `[]`, `{}`, `new Map()`. */
function isResetValue(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    ts.isNumericLiteral(n) ||
    ts.isStringLiteralLike(n) ||
    n.kind === ts.SyntaxKind.NullKeyword ||
    n.kind === ts.SyntaxKind.FalseKeyword ||
    n.kind === ts.SyntaxKind.TrueKeyword ||
    (ts.isIdentifier(n) && n.text === "undefined") ||
    (ts.isArrayLiteralExpression(n) && n.elements.length === 0) ||
    (ts.isObjectLiteralExpression(n) && n.properties.length === 0) ||
    (ts.isNewExpression(n) && (n.arguments === undefined || n.arguments.length === 0))
  );
}

/**
 * Whether a time gate's branch only starts a new window: it resets fields to constants and stamps
 * the clock again (`if (now - windowStart > 600_000) { errors = 0; windowStart = now }`), calling
 * nothing but clock reads, and none of the reset fields is compared with a bound elsewhere in the
 * function (which would make it a fixed-window rate limit). Counting per window is bookkeeping,
 * not a throttle: nothing is let through or held back.
 * @param branch - the statements the gate runs
 * @param fn - the function the gate is in
 * @param isClock - whether a node reads the clock (directly or through a local bound to it)
 * @returns true when the branch only resets a window
 */
export function onlyStartsWindow(
  branch: ts.Node,
  fn: ts.Node,
  isClock: (node: ts.Node) => boolean,
): boolean {
  const statements = ts.isBlock(branch) ? branch.statements : [branch];
  const reset = new Set<string>();
  for (const s of statements) {
    if (!ts.isExpressionStatement(s)) return false;
    const e = unwrap(s.expression);
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
      return false;
    if (isClock(e.right)) continue;
    if (!isResetValue(e.right)) return false;
    reset.add(unwrap(e.left).getText());
  }
  if (reset.size === 0) return false;
  let bounded = false;
  walk(fn, (n) => {
    if (bounded || (n.pos >= branch.pos && n.end <= branch.end)) return;
    if (
      ts.isBinaryExpression(n) &&
      isOrdering(n.operatorToken.kind) &&
      (reset.has(unwrap(n.left).getText()) || reset.has(unwrap(n.right).getText()))
    )
      bounded = true;
  });
  return !bounded;
}

/** The class a method belongs to. */
function classOf(fn: ts.Node): ts.ClassLikeDeclaration | undefined {
  const owner = fn.parent;
  return owner !== undefined && (ts.isClassDeclaration(owner) || ts.isClassExpression(owner))
    ? owner
    : undefined;
}

/**
 * Whether a get-or-compute is a generic collection's own `getOrDefault`: the value on a miss comes
 * from a factory the caller passes in, another method of the same class writes the store with
 * whatever value its caller gives (`set(key, value) { this.values.set(h, value) }`), and the class
 * never deletes from or clears the store. Such a class is a data structure (a map keyed by a hash,
 * a multimap); nothing in it is kept to be recomputed — a memo, if any, is its caller's use.
 * @param fn - the function holding the get-or-compute
 * @param store - the store's text (`this.values`)
 * @param compute - what makes the value on a miss
 * @returns true when the flow is a collection's own default-filling read
 */
export function collectionDefault(
  fn: ts.Node,
  store: string,
  compute: ts.Node | undefined,
): boolean {
  if (compute === undefined || !ts.isMethodDeclaration(fn)) return false;
  const made = unwrap(compute);
  if (!ts.isCallExpression(made) || !ts.isIdentifier(unwrap(made.expression))) return false;
  if (!parameterNamed(fn, (unwrap(made.expression) as ts.Identifier).text)) return false;
  const owner = classOf(fn);
  if (owner === undefined || !store.startsWith("this.")) return false;
  let setByCaller = false;
  let emptied = false;
  for (const member of owner.members) {
    walk(member, (n) => {
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
      if (unwrap(n.expression.expression).getText() !== store) return;
      const verb = n.expression.name.text;
      if (verb === "delete" || verb === "clear") emptied = true;
      const value = n.arguments[1];
      if (
        member !== fn &&
        verb === "set" &&
        value !== undefined &&
        ts.isIdentifier(unwrap(value)) &&
        parameterNamed(member, (unwrap(value) as ts.Identifier).text)
      )
        setByCaller = true;
    });
  }
  return setByCaller && !emptied;
}

/** The statements of the block a node's statement sits in. */
function blockOf(node: ts.Node): readonly ts.Node[] {
  let s: ts.Node = node;
  while (
    s.parent !== undefined &&
    !ts.isBlock(s.parent) &&
    !ts.isSourceFile(s.parent) &&
    !ts.isCaseClause(s.parent) &&
    !ts.isDefaultClause(s.parent)
  )
    s = s.parent;
  return siblings(s);
}

/** Containers a block's statements call `verbs` on (`this.items` for `this.items.push(x)`), with the call. */
function containerCalls(
  statements: readonly ts.Node[],
  verbs: RegExp,
): Map<string, ts.CallExpression[]> {
  const found = new Map<string, ts.CallExpression[]>();
  for (const s of statements)
    walk(s, (n) => {
      if (
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        verbs.test(n.expression.name.text)
      ) {
        const target = unwrap(n.expression.expression).getText();
        found.set(target, [...(found.get(target) ?? []), n]);
      }
    });
  return found;
}

/**
 * Whether a count only mirrors how many items a collection holds: each raise sits beside a push of
 * an item handed in (a parameter of the raising function) into a container, and each lower beside
 * a take from the same container (`shift`, `pop`, `splice`). Compared with a user's maximum, it
 * caps collected items (a buffer bound), not work in flight — nothing is started on a raise.
 * @param ups - where the count is raised
 * @param downs - where it is lowered
 * @returns true when the count tracks held items
 */
export function countsHeldItems(ups: readonly ts.Node[], downs: readonly ts.Node[]): boolean {
  let shared: Set<string> | undefined;
  for (const up of ups) {
    let fn: ts.Node | undefined = up.parent;
    while (fn !== undefined && !ts.isFunctionLike(fn)) fn = fn.parent;
    const pushed = new Set<string>();
    for (const [target, calls] of containerCalls(blockOf(up), /^(push|unshift|add)$/))
      if (
        calls.some((c) => {
          const item = c.arguments[0];
          return (
            fn !== undefined &&
            item !== undefined &&
            ts.isIdentifier(unwrap(item)) &&
            parameterNamed(fn, (unwrap(item) as ts.Identifier).text)
          );
        })
      )
        pushed.add(target);
    shared = shared === undefined ? pushed : new Set([...shared].filter((t) => pushed.has(t)));
  }
  if (shared === undefined || shared.size === 0) return false;
  return downs.every((down) =>
    [...containerCalls(blockOf(down), /^(shift|pop|splice)$/).keys()].some((t) => shared?.has(t)),
  );
}

/**
 * A keyed store whose hit path can throw: the entry found is compared with what the caller asked
 * for and a mismatch is an error (`if (existing) { if (differs) throw …; return existing; }`).
 * That is a define-once registry (a name may be defined once, with one shape) — what it holds is
 * state handed out by identity, never recomputed — not a memo or a cache, whose hits are served as
 * they are.
 * @param check - the flow's check (the condition, or the `if` it sits in)
 * @param write - the flow's write on a miss
 * @returns true when the branch taken on a hit holds a `throw` of its own (not in a nested function)
 */
export function throwsOnHit(check: ts.Node, write: ts.Node): boolean {
  const test = ts.isIfStatement(check) ? check : enclosing(check, ts.isIfStatement);
  if (test === undefined || !ts.isIfStatement(test)) return false;
  // The miss fills the store: the hit is the other branch (the `then` one when the write is in
  // the `else` or follows the `if`, which then returns early).
  const hit = inside(write, test.thenStatement) ? test.elseStatement : test.thenStatement;
  if (hit === undefined) return false;
  let throws = false;
  walk(hit, (n) => {
    if (throws || !ts.isThrowStatement(n)) return;
    for (let up = n.parent; up !== hit && up !== undefined; up = up.parent)
      if (ts.isFunctionLike(up)) return;
    throws = true;
  });
  return throws;
}

/**
 * Whether the local `name` is given behaviour between two positions of `fn`: a member of it is
 * assigned a function (`db.getRules = () => client.getRules()`). What is stored then is a live
 * object wired up for the key (a client, a connection) — a registry entry, not a computed value.
 */
export function wiredUpBetween(fn: ts.Node, name: string, from: number, to: number): boolean {
  let wired = false;
  const visit = (n: ts.Node): void => {
    if (wired || n.end < from || n.pos > to) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      n.pos >= from &&
      ts.isPropertyAccessExpression(n.left) &&
      ts.isIdentifier(n.left.expression) &&
      n.left.expression.text === name
    ) {
      let right: ts.Node = n.right;
      while (ts.isParenthesizedExpression(right)) right = right.expression;
      if (ts.isArrowFunction(right) || ts.isFunctionExpression(right)) wired = true;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn, visit);
  return wired;
}

/** The name a local is declared or assigned from `node` with (`let hit = store.get(k)` → `hit`). */
function heldIn(node: ts.Node): string | undefined {
  let c = node;
  while (
    c.parent !== undefined &&
    (ts.isParenthesizedExpression(c.parent) ||
      ts.isAsExpression(c.parent) ||
      ts.isNonNullExpression(c.parent) ||
      ts.isAwaitExpression(c.parent))
  )
    c = c.parent;
  const parent = c.parent;
  if (parent === undefined) return undefined;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    parent.right === c &&
    ts.isIdentifier(parent.left)
  )
    return parent.left.text;
  return undefined;
}

/** The root local of a member chain: `point.buckets[i]` → `point`. */
export function rootLocal(node: ts.Node): string | undefined {
  let n = unwrap(node);
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n))
    n = unwrap(n.expression);
  return ts.isIdentifier(n) ? n.text : undefined;
}

/** Methods that change a container in place. */
const IN_PLACE = /^(push|unshift|splice|add|set|delete|clear|sort|fill)$/;

/**
 * Whether `node` changes the object a local holds, in place: one of its members is assigned or
 * stepped (`point.value = v`, `entry.count += 1`, `state.hits++`), or a container in it is changed
 * (`group.push(x)`, `entry.items.add(x)`). A stamp of the clock (`entry.lastUsed = Date.now()`) is
 * a cache's own bookkeeping, not a change of the value. `methods`: the container methods that
 * count as a change.
 */
export function changesInPlace(
  node: ts.Node,
  local: string,
  facts: ReturnType<typeof factsOf>,
  methods: RegExp = IN_PLACE,
): boolean {
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
    (ts.isPropertyAccessExpression(unwrap(node.left)) ||
      ts.isElementAccessExpression(unwrap(node.left)))
  )
    return rootLocal(node.left) === local && !isClockRead(facts, node.right);
  if (
    (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
    (node.operator === ts.SyntaxKind.PlusPlusToken ||
      node.operator === ts.SyntaxKind.MinusMinusToken)
  )
    return !ts.isIdentifier(unwrap(node.operand)) && rootLocal(node.operand) === local;
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    methods.test(node.expression.name.text) &&
    rootLocal(node.expression.expression) === local
  );
}

/** Whether a function hands back the entry of its flow: it returns the local the value or the read is held in, or a read of the store. */
function returnsEntry(flow: KeyedFlow): boolean {
  const names = new Set<string>();
  const value = flow.value === undefined ? undefined : unwrap(flow.value);
  if (value !== undefined && ts.isIdentifier(value)) names.add(value.text);
  const held = heldIn(flow.read);
  if (held !== undefined) names.add(held);
  let returns = false;
  walk(flow.fn, (n) => {
    if (returns || !ts.isReturnStatement(n) || n.expression === undefined) return;
    for (let up = n.parent; up !== flow.fn && up !== undefined; up = up.parent)
      if (ts.isFunctionLike(up)) return;
    const e = unwrap(n.expression);
    if (ts.isIdentifier(e) && names.has(e.text)) returns = true;
    // `return this[kOffsets]`, `return store[key]`: the entry read again as the flow read it.
    if (e.getText() === unwrap(flow.read).getText()) returns = true;
    if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      unwrap(e.expression.expression).getText() === flow.store
    )
      returns = true;
  });
  return returns;
}

/**
 * Whether the hit is served only after the entry is compared with the input (`cached.snapshot ===
 * snapshot && cached.length === snapshot.output.length`): a cache kept in step with what it was
 * made from — its callers may update it as the input grows — not state handed out per key.
 */
function checksEntry(flow: KeyedFlow): boolean {
  const held = heldIn(flow.read);
  if (held === undefined) return false;
  const test = ts.isIfStatement(flow.check) ? flow.check.expression : flow.check;
  let compared = false;
  walk(test, (n) => {
    if (
      !compared &&
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken) &&
      [n.left, n.right].some((side) => {
        const u = unwrap(side);
        return (
          (ts.isPropertyAccessExpression(u) || ts.isElementAccessExpression(u)) &&
          rootLocal(u) === held
        );
      })
    )
      compared = true;
  });
  return compared;
}

/** The calls of the file to a function (`getStore(req)`, `this.#findOrCreate(…)`). */
function callsOf(fn: ts.Node, facts: ReturnType<typeof factsOf>): ts.CallExpression[] {
  const name = functionName(fn);
  if (name === undefined) return [];
  const method = ts.isMethodDeclaration(fn);
  return facts.calls.filter((c) => {
    const e = unwrap(c.expression);
    if (!method) return ts.isIdentifier(e) && e.text === name && !inside(c, fn);
    return (
      ts.isPropertyAccessExpression(e) &&
      e.name.text === name &&
      unwrap(e.expression).kind === ts.SyntaxKind.ThisKeyword
    );
  });
}

/**
 * Whether a get-or-create hands out state rather than a computed value: where the file calls the
 * function, the entry it returns is changed in place (`const point = this.#findOrCreate(k);
 * point.value = v`, `getGroup(k).push(item)`). A memo's value is only read — changing it would
 * change what the next caller is served —, so a stored value that is written after it is stored
 * is a record of state per key (metric data points, per-request counters, grouped lists), not a
 * cached result. (Changes inside the function itself are the detector's own test.)
 * @param flow - a get-or-compute flow
 * @returns true when a caller in the file changes the returned entry in place
 */
export function changedByCallers(flow: KeyedFlow): boolean {
  const facts = factsOf(flow.fn.getSourceFile());
  const calls = callsOf(flow.fn, facts);
  if (calls.length === 0 || !returnsEntry(flow) || checksEntry(flow)) return false;
  return calls.some((call) => {
    // `getGroup(k).push(x)`, `getStore(k).count++`: changed where it is handed out.
    let direct: ts.Node = call;
    while (
      direct.parent !== undefined &&
      (ts.isParenthesizedExpression(direct.parent) || ts.isNonNullExpression(direct.parent))
    )
      direct = direct.parent;
    const member = direct.parent;
    if (
      member !== undefined &&
      (ts.isPropertyAccessExpression(member) || ts.isElementAccessExpression(member)) &&
      member.expression === direct
    ) {
      let top: ts.Node = member;
      while (
        top.parent !== undefined &&
        (ts.isPropertyAccessExpression(top.parent) || ts.isElementAccessExpression(top.parent)) &&
        top.parent.expression === top
      )
        top = top.parent;
      const use = top.parent;
      if (use === undefined) return false;
      if (
        ts.isBinaryExpression(use) &&
        use.left === top &&
        use.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        use.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      )
        return !isClockRead(facts, use.right);
      if (ts.isPrefixUnaryExpression(use) || ts.isPostfixUnaryExpression(use))
        return (
          use.operator === ts.SyntaxKind.PlusPlusToken ||
          use.operator === ts.SyntaxKind.MinusMinusToken
        );
      return (
        ts.isCallExpression(use) &&
        use.expression === top &&
        ts.isPropertyAccessExpression(top) &&
        IN_PLACE.test(top.name.text)
      );
    }
    const local = heldIn(call);
    if (local === undefined) return false;
    const scope = enclosing(call, ts.isFunctionLike) ?? call.getSourceFile();
    let changed = false;
    walk(scope, (n) => {
      if (!changed && n.pos >= call.end && changesInPlace(n, local, facts)) changed = true;
    });
    return changed;
  });
}

/**
 * Whether a set of seen keys skips no work: on a miss it only records the key (the branch holds
 * the write alone), and on a hit the code goes on as it would have (`if (done.has(span))
 * log.error(…); else done.add(span)`) — no return, throw, break or continue. A debugging check for
 * a double finish or a duplicate id; a seen-cache's hit skips the work the miss does.
 * @param flow - a flow whose write records a key (or a flag) rather than a computed value
 * @returns true when nothing but the record depends on the check
 */
export function onlyRecordsKey(flow: KeyedFlow): boolean {
  const value = flow.value === undefined ? undefined : unwrap(flow.value);
  if (
    value !== undefined &&
    value.kind !== ts.SyntaxKind.TrueKeyword &&
    !ts.isNumericLiteral(value)
  )
    return false;
  const test = ts.isIfStatement(flow.check) ? flow.check : enclosing(flow.check, ts.isIfStatement);
  if (test === undefined || !ts.isIfStatement(test) || !inside(flow.write, test)) return false;
  const miss = inside(flow.write, test.thenStatement) ? test.thenStatement : test.elseStatement;
  const hit = miss === test.thenStatement ? test.elseStatement : test.thenStatement;
  if (miss === undefined) return false;
  const statements = ts.isBlock(miss) ? miss.statements : [miss];
  if (statements.length !== 1 || !inside(flow.write, statements[0] as ts.Node)) return false;
  const write = statements[0] as ts.Node;
  if (!ts.isExpressionStatement(write) || unwrap(write.expression) !== unwrap(flow.write))
    return false;
  // `const visited = seen.has(x); if (!visited) seen.add(x); … if (visited) …`: the answer is
  // kept and used past the check, so a hit may still skip work there.
  const held = heldIn(flow.read);
  if (held !== undefined) {
    let usedAfter = false;
    walk(flow.fn, (n) => {
      if (!usedAfter && n.pos >= test.end && ts.isIdentifier(n) && n.text === held)
        usedAfter = true;
    });
    if (usedAfter) return false;
  }
  if (hit === undefined) return true;
  let exits = false;
  walk(hit, (n) => {
    if (exits) return;
    if (
      ts.isReturnStatement(n) ||
      ts.isThrowStatement(n) ||
      ts.isBreakStatement(n) ||
      ts.isContinueStatement(n)
    ) {
      for (let up = n.parent; up !== hit && up !== undefined; up = up.parent)
        if (ts.isFunctionLike(up)) return;
      exits = true;
    }
  });
  return !exits;
}

/** Calls that subscribe to a live object or end its life. */
const LIFECYCLE =
  /^(on|once|addListener|prependListener|addEventListener|off|removeListener|removeAllListeners|removeEventListener|close|destroy|disconnect|quit|terminate|kill|unref|end)$/;

/**
 * Whether a lazily filled slot holds a live resource rather than a computed value: somewhere in
 * the file the slot's value is subscribed to or has its life ended (`this._client.on("error", …)`,
 * `this.socket.destroy()`). A client, socket or worker made on first use is lazy set-up — its
 * identity and state matter, and making it again would open another — not a memo of a result.
 * @param sourceFile - the file
 * @param slot - the slot's chain (`this._client`)
 * @returns true when a lifecycle call is made on the slot's value
 */
export function liveResource(sourceFile: ts.SourceFile, slot: string): boolean {
  return factsOf(sourceFile).calls.some((c) => {
    const e = unwrap(c.expression);
    return (
      ts.isPropertyAccessExpression(e) &&
      LIFECYCLE.test(e.name.text) &&
      unwrap(e.expression).getText().replace(/\?$/, "") === slot
    );
  });
}

/** An object literal made of starting values only (`{ count: 0, last: null, items: [] }`), also nested. */
function startingRecord(node: ts.Node): boolean {
  const n = unwrap(node);
  if (!ts.isObjectLiteralExpression(n) || n.properties.length === 0) return false;
  return n.properties.every(
    (p) =>
      ts.isPropertyAssignment(p) && (isResetValue(p.initializer) || startingRecord(p.initializer)),
  );
}

/** The function of the file a call's callee names (`newStore` in `newStore()`), when there is one. */
function fileFunction(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  return factsOf(call.getSourceFile()).functions.find(
    (f) => functionName(f) === callee.text && !ts.isMethodDeclaration(f),
  );
}

/**
 * Whether a get-or-create fills a miss with a fresh record of starting values made by a function
 * of the file (`store = newStore()`, where `newStore` returns `{ duration: 0, errorCode: null }`):
 * nothing is worked out from the key — the entry is state to be filled in per key (counters of a
 * request), not a cached result. (An inline literal is the detector's own test.)
 * @param flow - a get-or-compute flow
 * @returns true when the value on a miss is such a record
 */
export function freshStartingRecord(flow: KeyedFlow): boolean {
  const made = flow.compute ?? flow.value;
  if (made === undefined || !ts.isCallExpression(unwrap(made))) return false;
  const fn = fileFunction(unwrap(made) as ts.CallExpression);
  if (fn?.body === undefined) return false;
  if (!ts.isBlock(fn.body)) return startingRecord(fn.body);
  const returns: ts.Node[] = [];
  walk(fn.body, (n) => {
    if (!ts.isReturnStatement(n) || n.expression === undefined) return;
    for (let up = n.parent; up !== fn && up !== undefined; up = up.parent)
      if (ts.isFunctionLike(up)) return;
    returns.push(n.expression);
  });
  return returns.length > 0 && returns.every(startingRecord);
}

/** The initialiser a local of `fn` is declared with (the first declaration of that name). */
function declaredWith(fn: ts.Node, name: string): ts.Node | undefined {
  let found: ts.Node | undefined;
  walk(fn, (n) => {
    if (
      found === undefined &&
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === name &&
      n.initializer !== undefined
    )
      found = n.initializer;
  });
  return found;
}

/**
 * Whether a value of `fn` is reached through what its caller handed in: a member chain rooted in a
 * parameter (`opts.visited`), or in a local bound from one — also through a call given it
 * (`const root = helper(entity).context.root`).
 */
function fromArguments(fn: ts.Node, node: ts.Node, depth = 0): boolean {
  if (depth > 4) return false;
  let n = unwrap(node);
  while (
    ts.isPropertyAccessExpression(n) ||
    ts.isElementAccessExpression(n) ||
    ts.isCallExpression(n)
  ) {
    // `helper(entity)`: an object the code looks up for an argument.
    if (ts.isCallExpression(n) && n.arguments.some((a) => fromArguments(fn, a, depth + 1)))
      return true;
    n = unwrap(n.expression);
  }
  if (!ts.isIdentifier(n)) return false;
  if (parameterNamed(fn, n.text)) return true;
  const init = declaredWith(fn, n.text);
  return init !== undefined && fromArguments(fn, init, depth + 1);
}

/** The name a call invokes (`walk` in `walk(x)`, `this.walk(x)`, `Assigner.walk(x)`). */
function calleeName(call: ts.CallExpression): string | undefined {
  const e = unwrap(call.expression);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** Whether a function is entered again from within: it calls itself, or a function of the file that calls it. */
function reentered(fn: ts.Node): boolean {
  const name = functionName(fn);
  if (name === undefined) return false;
  const facts = factsOf(fn.getSourceFile());
  const calledIn = (scope: ts.Node): (string | undefined)[] =>
    facts.calls.filter((c) => inside(c, scope)).map(calleeName);
  const direct = new Set(calledIn(fn));
  if (direct.has(name)) return true;
  return facts.functions.some(
    (f) => f !== fn && direct.has(functionName(f) ?? "") && calledIn(f).includes(name),
  );
}

/** Whether `fn` puts a fresh container in the store (`opts.visited ??= new Set()`). */
function madeIn(fn: ts.Node, store: string): boolean {
  let made = false;
  walk(fn, (n) => {
    if (
      !made &&
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken) &&
      unwrap(n.left).getText() === store &&
      ts.isNewExpression(unwrap(n.right))
    )
      made = true;
  });
  return made;
}

/**
 * Whether a set of handled keys is the visited set of one recursive walk: it is reached through
 * what the caller hands in, made by this function when the caller has none yet, and the function
 * is entered again from the walk (`assign(entity, data, opts) { if (opts.visited?.has(entity))
 * return entity; opts.visited ??= new Set(); opts.visited.add(entity); … assign(child, value, opts)
 * }`). The set lives as long as the walk its first call started — it stops the recursion from
 * looping on a cycle — where a seen-cache is kept across calls so later calls skip work done
 * before (a set kept on a long-lived object the caller hands in, with no recursion, still is one).
 * @param flow - a flow whose write records a key
 * @returns true when the store is the walk's own visited set
 */
export function walkVisitedSet(flow: KeyedFlow): boolean {
  const root = /^[A-Za-z_$][\w$]*/.exec(flow.store)?.[0];
  if (root === undefined || root === "this") return false;
  const receiver = ts.isCallExpression(unwrap(flow.read))
    ? (unwrap(flow.read) as ts.CallExpression).expression
    : flow.read;
  return fromArguments(flow.fn, receiver) && madeIn(flow.fn, flow.store) && reentered(flow.fn);
}

/** The text of a store chain with a leading local alias spelled out (`client.x` for `const client = this.client`). */
function spelledOut(fn: ts.Node, store: string): string {
  const root = /^[A-Za-z_$][\w$]*/.exec(store)?.[0];
  if (root === undefined || root === "this") return store;
  const init = declaredWith(fn, root);
  if (init === undefined) return store;
  const u = unwrap(init);
  if (!ts.isPropertyAccessExpression(u) || unwrap(u.expression).kind !== ts.SyntaxKind.ThisKeyword)
    return store;
  return `${u.getText()}${store.slice(root.length)}`;
}

/** The receiver chain and key of `s.get(k)` / `s.delete(k)`, when a call is one with `verb`. */
function keyedCall(node: ts.Node, verb: RegExp): { store: string; key: ts.Node } | undefined {
  const n = unwrap(node);
  if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return undefined;
  const key = n.arguments[0];
  if (!verb.test(n.expression.name.text) || key === undefined) return undefined;
  return { store: unwrap(n.expression.expression).getText(), key };
}

/** Whether a local is handed on by `fn`: passed to a call or returned (also in an object literal). */
function handedOn(fn: ts.Node, name: string): boolean {
  let handed = false;
  walk(fn, (n) => {
    if (handed || !ts.isIdentifier(n) || n.text !== name) return;
    let c: ts.Node = n;
    while (
      c.parent !== undefined &&
      (ts.isParenthesizedExpression(c.parent) ||
        ts.isShorthandPropertyAssignment(c.parent) ||
        (ts.isPropertyAssignment(c.parent) && c.parent.initializer === c) ||
        ts.isObjectLiteralExpression(c.parent))
    )
      c = c.parent;
    const use = c.parent;
    if (use === undefined) return;
    if (ts.isReturnStatement(use)) handed = true;
    if (ts.isCallExpression(use) && use.arguments.some((a) => a === c)) handed = true;
  });
  return handed;
}

/**
 * Whether `store.delete(key)` removes an entity from a store that mirrors another system's state:
 * the key comes from what the caller handed in (an event's payload, `data.role_id`), the function
 * reads the entry under it first, and hands that entry on — emitted, returned
 * (`role = roles.get(data.role_id); roles.delete(data.role_id); emit("roleDelete", role)`). The
 * removal is the news being passed on, not a stale value dropped: invalidation never needs the
 * value it drops.
 * @param call - the `store.delete(key)` call
 * @param fn - the function it is in
 * @returns true when the entry deleted is read under the same key and handed on
 */
export function mirroredRemoval(call: ts.Node, fn: ts.Node): boolean {
  const dropped = keyedCall(call, /^delete$/);
  if (dropped === undefined || !fromArguments(fn, dropped.key)) return false;
  const store = spelledOut(fn, dropped.store);
  const key = unwrap(dropped.key).getText();
  let passed = false;
  walk(fn, (n) => {
    if (passed || n.pos >= call.pos) return;
    const read = keyedCall(n, /^get$/);
    if (read === undefined || spelledOut(fn, read.store) !== store) return;
    const held = heldIn(n);
    if (held === undefined) return;
    // The same key, or the entry's own id (`channels.delete(channel.id)`).
    if (unwrap(read.key).getText() !== key && rootLocal(dropped.key) !== held) return;
    if (handedOn(fn, held)) passed = true;
  });
  return passed;
}

/** Whether a node is `require("m")` or a dynamic `import("m")`. */
function isModuleLoad(node: ts.Node): boolean {
  const n = unwrap(node);
  if (!ts.isCallExpression(n)) return false;
  const callee = unwrap(n.expression);
  return (
    callee.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(callee) && callee.text === "require")
  );
}

/** The initialiser of the declaration of `fn` that binds `name` (also by destructuring). */
function bindingOf(fn: ts.Node, name: string): ts.Node | undefined {
  let found: ts.Node | undefined;
  walk(fn, (n) => {
    if (found !== undefined || !ts.isVariableDeclaration(n) || n.initializer === undefined) return;
    const binds = (b: ts.BindingName): boolean =>
      ts.isIdentifier(b)
        ? b.text === name
        : b.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name));
    if (binds(n.name)) found = n.initializer;
  });
  return found;
}

/**
 * Whether a value kept on first use is made from a module loaded there: it holds a `require()` or
 * dynamic `import()` (`require("@x/lib").load("zstd")`), or a local bound to one
 * (`const zlib = require("zlib"); this.compress = promisify(zlib.gzip)`). That is lazy module
 * loading — kept so the module is loaded once and only when needed, which the labelling
 * convention leaves out — not a memo of a value worked out from inputs.
 * @param fn - the function the value is made in (to follow its locals)
 * @param value - the value stored
 * @returns true when the value comes from a module loaded in `fn`
 */
export function loadedModule(fn: ts.Node, value: ts.Node, depth = 0): boolean {
  if (depth > 3) return false;
  let loads = false;
  const visit = (n: ts.Node): void => {
    if (loads) return;
    if (isModuleLoad(n)) loads = true;
    else if (
      ts.isIdentifier(n) &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
    ) {
      const init = bindingOf(fn, n.text);
      if (init !== undefined && init !== value && loadedModule(fn, init, depth + 1)) loads = true;
    }
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  visit(value);
  return loads;
}

/**
 * Whether a lazily filled slot is a dependency a caller may inject once: another method of the
 * class (not the constructor) puts its own parameter in the slot as given, after testing the slot
 * (`setBackend(backend) { if (this.#backend === backend) return; if (this.#backend) throw …;
 * this.#backend = backend }`). The lazy fill only makes a default when none was handed in — a
 * service, logger or backend whose identity callers share, which the setter refuses to swap once
 * in use. A memo's setter (`set property(p) { this.#property = p }`, `setMap(map)`) overwrites the
 * value freely: that slot stays a memo.
 * @param fn - the method holding the lazy fill
 * @param slot - the slot's chain (`this.#backend`)
 * @returns true when another method tests the slot and then sets it to one of its parameters
 */
export function injectedSlot(fn: ts.Node, slot: string): boolean {
  const owner = classOf(fn);
  if (owner === undefined || !slot.startsWith("this.")) return false;
  return owner.members.some((m) => {
    if (m === fn || !(ts.isMethodDeclaration(m) || ts.isSetAccessorDeclaration(m))) return false;
    let set: ts.Node | undefined;
    walk(m, (n) => {
      if (
        set === undefined &&
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        unwrap(n.left).getText() === slot &&
        ts.isIdentifier(unwrap(n.right)) &&
        parameterNamed(m, (unwrap(n.right) as ts.Identifier).text)
      )
        set = n;
    });
    if (set === undefined) return false;
    const at = set.pos;
    let tested = false;
    walk(m, (n) => {
      if (!tested && ts.isIfStatement(n) && n.end <= at && n.expression.getText().includes(slot))
        tested = true;
    });
    return tested;
  });
}
