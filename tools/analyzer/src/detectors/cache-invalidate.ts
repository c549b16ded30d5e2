import { ts } from "ts-morph";
import { chain, isFunctionLike, topStatement, walk, walkKinds } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, functionName, isNullish, unwrap } from "../file-facts.js";
import { functionOf, holderOf, isFreshObject, keyedFlows } from "./keyed-flows.js";
import type { KeyedFlow } from "./keyed-flow.js";
import { flowKind } from "./keyed-store.js";
import { expiryKeys } from "./expiry-stamps.js";
import { slotMemos } from "./slot-memos.js";
import { assignmentsTo, releasesHandle, slotTests } from "./slot-facts.js";
import { collectionPassThrough, mirroredRemoval, refilledAfter } from "./look-alikes.js";
import { calledFact, storeInFileFact } from "../cross-file-facts.js";
import { exportedUnusedReset } from "./test-only-reset.js";
import { bindingOf } from "./local-binding.js";

const CONTAINER_API = /^(set|get|has|add|delete|del|remove|unset|clear)$/;

/**
 * A store's verbs that drop what it holds: `clear()` every entry; `delete(k)`, and the `remove(k)`
 * / `del(k)` of cache backends and adapters, one entry by its key.
 */
const DROPS = /^(clear|delete|remove|del)$/;

/** Whether a name is a local of the function (its assignment creates, it does not invalidate). */
function declaredIn(fn: ts.Node, name: string): boolean {
  let declared = false;
  walk(fn, (n) => {
    if (ts.isVariableDeclaration(n) && n.name.getText() === name) declared = true;
  });
  return declared;
}

/**
 * `if (x === undefined) x = new Map()`: a lazy creation of the store — also beside its siblings,
 * when the branch creates a member of the same holder that its test finds absent (`if
 * (!o.mapping) { o.mapping = new Map(); o.byTable = {} }`).
 */
function createsLazily(node: ts.Node, store: string): boolean {
  const holder = store.includes(".") ? store.slice(0, store.lastIndexOf(".")) : undefined;
  for (let c = node.parent; c !== undefined; c = c.parent) {
    if (ts.isIfStatement(c)) {
      if (
        /(===?\s*(undefined|null)|^!)/.test(c.expression.getText()) &&
        c.expression.getText().includes(store.split(".").pop() ?? store)
      )
        return true;
      const branch = c.thenStatement;
      return (
        holder !== undefined &&
        holder !== "this" &&
        slotTests(c.expression).some(
          (s) =>
            s.absent &&
            s.slot.startsWith(`${holder}.`) &&
            assignmentsTo(branch, s.slot).some((a) => !isNothing(a.right)),
        )
      );
    }
    if (ts.isBlock(c) && !ts.isIfStatement(c.parent)) return false;
  }
  return false;
}

/** Whether a function builds an object: a `constructor`, or a function whose `prototype` the file extends. */
function constructs(sourceFile: ts.SourceFile, fn: ts.Node): boolean {
  if (ts.isConstructorDeclaration(fn)) return true;
  const name = ts.isFunctionDeclaration(fn) ? fn.name?.text : undefined;
  return name !== undefined && sourceFile.text.includes(`${name}.prototype`);
}

/** Whether `fn` takes arguments and a filler of the store is another method of its class. */
function filledBySibling(fn: ts.Node, fillers: readonly ts.Node[]): boolean {
  const owner = fn.parent;
  if (owner === undefined || !ts.isClassLike(owner) || !ts.isMethodDeclaration(fn)) return false;
  // A `clear()` of the whole store belongs to the cache class itself (its range takes it); one
  // entry dropped by key (`clear(key)`) is an invalidation callers ask for.
  if (fn.parameters.length === 0) return false;
  return fillers.some((f) => f !== fn && f.parent === owner);
}

/** Whether an assigned value leaves the store empty: nothing, an empty literal, `new C()` with no arguments. */
function emptiedTo(value: ts.Expression): boolean {
  const v = unwrap(value);
  if (isNothing(v) || isFreshObject(v)) return true;
  return ts.isNewExpression(v) && (v.arguments === undefined || v.arguments.length === 0);
}

/** Stores named as caches — a weak signal, enough only for a store whose reads live in another file. */
const CACHE_NAME = /cach|memo/i;

/**
 * Whether an emptied store may be one another file fills: a member of an object (`this._statements`,
 * `connection._statements`, `model.$init`) with a last name long enough to tell stores apart, not
 * a local or a parameter of this file.
 */
function heldStore(store: string): boolean {
  return store.split(".").length >= 3 && leaf(store).length >= 5;
}

function leaf(store: string): string {
  return (store.split(".").pop() ?? store).replace(/^#/, "");
}

const isNothing = isNullish;

/** `this.#x` for a private member reached through another receiver (`copy.#x`), else undefined. */
function privateMember(store: string): string | undefined {
  const parts = store.split(".");
  const last = parts[parts.length - 1];
  return parts.length === 2 && parts[0] !== "this" && last?.startsWith("#") === true
    ? `this.${last}`
    : undefined;
}

/** `store.set(k, null)` / `store.set(k, undefined)`. */
function setsNothing(node: ts.Node): boolean {
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === "set" &&
    node.arguments.length === 2
  );
}

/**
 * Whether a flow's check takes a `null` entry for a miss: a truthiness test or a loose or `null`
 * comparison does; a comparison with `undefined`, a `typeof` test or a `has(k)` does not.
 */
function nullIsMiss(check: ts.Node): boolean {
  const test = ts.isIfStatement(check) ? check.expression : check;
  let miss = true;
  walk(test, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
        n.operatorToken.kind,
      ) &&
      [n.left, n.right].some((x) => ts.isIdentifier(x) && x.text === "undefined")
    )
      miss = false;
    if (ts.isTypeOfExpression(n)) miss = false;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === "has"
    )
      miss = false;
  });
  return miss;
}

/**
 * Whether the flow's function compares what it read with `null` strictly (`if (hit !== null)
 * store.set(k, v)`): `null` is a value kept on purpose there (a "do not cache" mark), not a miss.
 */
function nullMarker(flow: KeyedFlow): boolean {
  const holder = holderOf(flow.read);
  if (holder === undefined) return false;
  let marked = false;
  walk(flow.fn, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
        n.operatorToken.kind,
      ) &&
      [n.left, n.right].some((x) => x.kind === ts.SyntaxKind.NullKeyword) &&
      [n.left, n.right].some((x) => ts.isIdentifier(x) && x.text === holder)
    )
      marked = true;
  });
  return marked;
}

/** Whether an assignment is the whole expression body of an arrow function (`() => (x = null)`). */
function arrowBody(node: ts.Node): boolean {
  let c = node;
  while (ts.isParenthesizedExpression(c.parent)) c = c.parent;
  const arrow = c.parent;
  if (!ts.isArrowFunction(arrow) || arrow.body !== c) return false;
  // Not a callback of a promise (`p.finally(() => slot = null)`): work in flight let go of when it
  // settles, not a stale value dropped.
  const call = arrow.parent;
  return !(
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    /^(then|catch|finally)$/.test(call.expression.name.text)
  );
}

/** Whether `name` is a variable declared at the top level of the file. */
function moduleVariable(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some(
    (s) =>
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name),
  );
}

/** Whether a function is a member of a class or object literal (a container's method). */
function memberOfClass(fn: ts.Node): boolean {
  const owner = ts.isPropertyAssignment(fn.parent) ? fn.parent.parent : fn.parent;
  return owner !== undefined && (ts.isClassLike(owner) || ts.isObjectLiteralExpression(owner));
}

/**
 * Whether `store.delete(k)` takes back an entry the same block put under the same key just before
 * (`memo.set(v, t); merge(t, v, memo); memo.delete(v)`): a stack of keys being worked on (a
 * recursion guard), not a stale entry dropped.
 */
function popsOwnEntry(node: ts.Node, store: string): boolean {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  if (node.expression.name.text !== "delete") return false;
  const key = node.arguments[0]?.getText();
  const statement = topStatement(node);
  const block = statement.parent;
  if (key === undefined || block === undefined || !ts.isBlock(block)) return false;
  return block.statements.some(
    (s) =>
      s.end <= statement.pos &&
      ts.isExpressionStatement(s) &&
      ts.isCallExpression(s.expression) &&
      ts.isPropertyAccessExpression(s.expression.expression) &&
      /^(set|add)$/.test(s.expression.expression.name.text) &&
      chain(s.expression.expression.expression) === store &&
      s.expression.arguments[0]?.getText() === key,
  );
}

/** Whether a node runs under an `if` whose test finds a recorded value different (`a !== b`). */
function underStaleCheck(node: ts.Node): boolean {
  for (let c = node.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
    if (!ts.isIfStatement(c)) continue;
    const test = unwrap(c.expression);
    return (
      ts.isBinaryExpression(test) &&
      (test.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        test.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken)
    );
  }
  return false;
}

/**
 * Whether a function is made of its invalidations: each top-level statement of its body is one,
 * or an `if` with no `else` whose branch holds only them (`if (c !== undefined) c.clear()`).
 */
function onlyInvalidates(body: ts.Block, statements: readonly ts.Node[]): boolean {
  return body.statements.every((s) => {
    const then = ts.isIfStatement(s) && s.elseStatement === undefined ? s.thenStatement : undefined;
    return (
      statements.includes(s) ||
      // Another field reset beside it (`this.extra = []`): still a function that only resets.
      (ts.isExpressionStatement(s) && invalidated(s.expression) !== undefined) ||
      (then !== undefined &&
        (statements.includes(then) ||
          (ts.isBlock(then) && then.statements.every((x) => statements.includes(x)))))
    );
  });
}

/** The store an invalidation empties, when `node` is one: `s.clear()`, `s.delete(k)`, `delete s[k]`, `s = new Map()`, `slot = null`. */
function invalidated(node: ts.Node): string | undefined {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    // `remove()` / `del()` with no key are something else's (`element.remove()`).
    if (DROPS.test(method) && (/^(clear|delete)$/.test(method) || node.arguments.length > 0))
      return chain(node.expression.expression);
    // `store.set(k, null)`: the entry under a key dropped, like `store[k] = undefined`.
    const value = node.arguments[1];
    if (method === "set" && node.arguments.length === 2 && value !== undefined && isNothing(value))
      return chain(node.expression.expression);
  }
  if (ts.isDeleteExpression(node)) {
    const target = unwrap(node.expression);
    if (ts.isElementAccessExpression(target)) return chain(target.expression);
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    // `store[k] = undefined`: the entry under a key dropped, like `delete store[k]`.
    const left = unwrap(node.left);
    if (ts.isElementAccessExpression(left) && isNothing(node.right)) return chain(left.expression);
    // A fresh store of any class (`this.cache = new Fifo(100)`) drops every entry, like `clear()`.
    if (
      isFreshObject(node.right) ||
      isNothing(node.right) ||
      ts.isNewExpression(unwrap(node.right)) ||
      resetToInitial(node.left, node.right)
    )
      return chain(node.left);
  }
  return undefined;
}

/**
 * Whether an assignment puts back the very value a module or closure variable was declared with
 * (`let memo = createNullObject()` … `memo = createNullObject()`): the store back at its start,
 * emptied, whatever the factory is called. Only a call with no arguments: its value cannot hold
 * what was stored since.
 */
function resetToInitial(target: ts.Expression, value: ts.Expression): boolean {
  const left = unwrap(target);
  const right = unwrap(value);
  if (!ts.isIdentifier(left) || !ts.isCallExpression(right) || right.arguments.length > 0)
    return false;
  const declaration = bindingOf(left, left.text);
  return (
    declaration !== undefined &&
    ts.isVariableDeclaration(declaration) &&
    declaration.initializer !== undefined &&
    unwrap(declaration.initializer).getText() === right.getText()
  );
}

/**
 * Whether a backend's `remove(k)` / `del(k)` is not an invalidation: its answer is used (`const
 * hit = frames.remove(k)`: the entry taken once, consumed), the key is the caller itself
 * (`this.#cache.remove(this)`: an object leaving its owner's registry), or the same block puts the
 * key back at once (`remove(k); add(k, fresh)`: the entry overwritten, not dropped).
 */
function notDropped(node: ts.Node, store: string): boolean {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  if (!/^(remove|del)$/.test(node.expression.name.text)) return false;
  const key = node.arguments[0];
  if (key !== undefined && unwrap(key).kind === ts.SyntaxKind.ThisKeyword) return true;
  let use: ts.Node = node;
  while (ts.isAwaitExpression(use.parent) || ts.isParenthesizedExpression(use.parent))
    use = use.parent;
  if (ts.isVariableDeclaration(use.parent) || ts.isBinaryExpression(use.parent)) return true;
  const statement = topStatement(node);
  const block = statement.parent;
  if (key === undefined || block === undefined || !ts.isBlock(block)) return false;
  return block.statements.some((s) => {
    if (s.pos < statement.end || !ts.isExpressionStatement(s)) return false;
    const call = unwrap(s.expression);
    return (
      ts.isCallExpression(call) &&
      ts.isPropertyAccessExpression(call.expression) &&
      /^(set|add|put)$/.test(call.expression.name.text) &&
      chain(call.expression.expression) === store &&
      call.arguments[0]?.getText() === key.getText()
    );
  });
}

/** Whether a call is a backend's `remove(k)` / `del(k)` (not `clear()` or `delete(k)`). */
function backendDrop(node: ts.Node): boolean {
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    /^(remove|del)$/.test(node.expression.name.text)
  );
}

/**
 * Invalidation by hand: emptying a store this code uses as a cache (`clear()`, `delete`, a fresh
 * `new Map()`, a memo slot or expiry stamp set to `null`), outside the function that fills it and
 * outside constructors. A small function that only invalidates is the construct; otherwise the
 * statements are. Replaced by `cache.delete` / `invalidateTag` / `clear`.
 */
export const cacheInvalidateDetector: Detector = {
  id: "caching/cache-invalidate",
  category: "caching",
  kinds: ["cache-invalidate"],
  prefilter:
    /\.clear\(|\.delete\(|\.remove\(|\.del\(|delete |= (null|undefined|new (Weak)?Map|\{\})|(let|var) [\w$]+(:[^=\n]+)? = [\w$.]+\(\)|, (null|undefined)\)/,
  detect({ sourceFile, file }) {
    const facts = factsOf(sourceFile);
    // The stores this file fills on a miss (by their full name), the slots of its single-slot memos
    // and expiry stamps (emptied with `= null`), with the functions that fill them.
    const stores = new Map<string, ts.Node[]>();
    const slots = new Map<string, ts.Node[]>();
    const add = (map: Map<string, ts.Node[]>, name: string, fn?: ts.Node): void =>
      void map.set(name, [...(map.get(name) ?? []), ...(fn === undefined ? [] : [fn])]);
    // Stores whose every check reads a `null` entry as a miss (`if (!hit)`, `hit == null`): there
    // `store.set(k, null)` drops the entry. Where `null` is a hit (`=== undefined`, `has(k)`), the
    // same call stores a result of nothing (a file found missing, an empty answer): a fill.
    const nullMisses = new Map<string, boolean>();
    for (const flow of keyedFlows(sourceFile))
      if (flowKind(sourceFile, flow) !== undefined) {
        add(stores, flow.store, flow.fn);
        nullMisses.set(
          flow.store,
          (nullMisses.get(flow.store) ?? true) && nullIsMiss(flow.check) && !nullMarker(flow),
        );
      }
    for (const memo of slotMemos(sourceFile)) add(slots, memo.slot, memo.fn);
    for (const key of expiryKeys(facts).keys()) add(slots, key.replace(/^\./, ""));
    const known = (
      store: string,
      emptiesSlot: boolean,
      replaces: boolean,
    ): ts.Node[] | undefined => {
      // `other.#x` is the member `this.#x` names, whatever the receiver (`copy.#query = undefined`).
      const own = privateMember(store);
      if (emptiesSlot) return slots.get(store) ?? slots.get(leaf(store)) ?? slots.get(own ?? "");
      const exact = stores.get(store) ?? stores.get(own ?? "");
      if (exact !== undefined) return exact;
      // A fresh store assigned under a cache-like name may be its creation: only known stores count.
      if (replaces) return undefined;
      // The same store under another receiver (`fieldsets` of a session): a long, specific name.
      for (const [name, fns] of stores)
        if (leaf(name) === leaf(store) && leaf(store).length >= 8) return fns;
      // A store named as a cache.
      return CACHE_NAME.test(leaf(store)) ? [] : undefined;
    };
    const byFunction = new Map<ts.Node, ts.Node[]>();
    // Emptied members of stores this file does not fill: held, by the store's last name, until the
    // cross-file step finds another file filling a store of that name on a miss.
    const held = new Map<
      string,
      { fn: ts.Node; needs: string; store: string; statements: ts.Node[] }
    >();
    const candidates: ts.Node[] = [...facts.calls, ...facts.binaries];
    walkKinds(sourceFile, [ts.SyntaxKind.DeleteExpression], (n) => {
      if (ts.isDeleteExpression(n)) candidates.push(n);
    });
    for (const node of candidates) {
      const store = invalidated(node);
      if (store === undefined) continue;
      const emptiesSlot =
        ts.isBinaryExpression(node) &&
        isNothing(node.right) &&
        !ts.isElementAccessExpression(unwrap(node.left));
      const found = known(store, emptiesSlot, ts.isBinaryExpression(node));
      // A backend's `remove(k)` / `del(k)` counts only on a store this file fills on a miss: on a
      // store known by its name alone (`cache.del(key)` after a write, on a library cache the code
      // only calls) it is the library's API used as it is — the call stays after a migration.
      if (backendDrop(node) && (found === undefined || found.length === 0)) continue;
      if (setsNothing(node) && nullMisses.get(store) !== true) continue;
      // Held on the store's name: another file's caching finding naming the same access path
      // (`this.$state.options.__parts`), or any caching finding of this file naming this very
      // member store (a fill another detector reveals: a member read-through, a helper's memo).
      const needs =
        found !== undefined
          ? undefined
          : heldStore(store)
            ? store
            : store.includes(".")
              ? storeInFileFact(file, store)
              : undefined;
      if (found === undefined && needs === undefined) continue;
      // Held on another finding's store, an assignment empties it only with nothing or an empty
      // store (`= null`, `= new Map()`, `= {}`): `this.client = new Client(options)` is its fill.
      if (needs !== undefined && ts.isBinaryExpression(node) && !emptiedTo(node.right)) continue;
      const fillers = found ?? [];
      const fn = functionOf(node);
      if (ts.isSourceFile(fn) || constructs(sourceFile, fn) || fillers.includes(fn)) continue;
      // Emptied in a callback of the function that fills it (`.finally(() => slot = null)`): the
      // slot holds work in flight and lets go of it when it settles; nothing stale is dropped.
      if (fillers.some((f) => f.pos <= node.pos && node.end <= f.end)) continue;
      // A container's own API (`set`, `delete`, `clear` of a map-like class) manages its data.
      // Not when a sibling method of the same class computes what the store holds on a miss (a
      // loader's `clear(key)` beside its `load`): the class is a cache, its `clear` invalidates.
      // Not either when the emptied store is a module-level variable the file fills on a miss and
      // the function is no class member (`load.clear = () => memo.clear()`): a hook that resets a
      // module's memo, not a container managing its own entries.
      if (
        CONTAINER_API.test(functionName(fn) ?? "") &&
        !filledBySibling(fn, fillers) &&
        !(stores.has(store) && moduleVariable(sourceFile, store) && !memberOfClass(fn))
      )
        continue;
      if (ts.isBinaryExpression(node) && (declaredIn(fn, store) || createsLazily(node, store)))
        continue;
      if (popsOwnEntry(node, store) || notDropped(node, store)) continue;
      // A collection class's own `delete(key)`, or a container rebuilt and refilled at once.
      if (collectionPassThrough(node, fn) || mirroredRemoval(node, fn)) continue;
      if (ts.isBinaryExpression(node) && refilledAfter(node)) continue;
      // A slot emptied after the object in it was told to finish (`lease.revoke(); lease = null`).
      if (emptiesSlot && releasesHandle(node, store)) continue;
      // Node's own module registry (`delete require.cache[file]`): a reload, not a cache kept
      // here — unless the entry is dropped because a stamp recorded at load differs (`if
      // (loadedAt.get(file) !== mtime)`), which is invalidation by hand.
      if (store === "require.cache" && !underStaleCheck(node)) continue;
      // An assignment invalidates only as a statement of its own (`cache = new Map();`), not inside
      // another expression or a declaration (which creates the store).
      // The body of an arrow counts as such a statement (`hosts.on('add', () => this.x = null)`:
      // a handler that empties the store when something changes).
      if (ts.isBinaryExpression(node) && !ts.isExpressionStatement(node.parent) && !arrowBody(node))
        continue;
      if (needs !== undefined) {
        const key = `${fn.pos}:${needs}`;
        let entry = held.get(key);
        if (entry === undefined) held.set(key, (entry = { fn, needs, store, statements: [] }));
        entry.statements.push(topStatement(node));
        continue;
      }
      // Handlers given as arrows in one function (`on("a", () => x = null); on("b", …)`): one finding.
      const group = arrowBody(node) ? functionOf(fn) : fn;
      let list = byFunction.get(group);
      if (list === undefined) byFunction.set(group, (list = []));
      list.push(topStatement(node));
    }
    const detections: Detection[] = [];
    for (const [fn, statements] of byFunction) {
      const unique = [...new Set(statements)];
      const body = ts.isSourceFile(fn) ? undefined : (fn as ts.FunctionLikeDeclaration).body;
      const size = body !== undefined && ts.isBlock(body) ? body.statements.length : 0;
      // A function that exists to invalidate (its statements are the invalidations, alone or under
      // a guard): the function is the construct. A `clear()` in the `finally` of other work is not.
      const whole =
        size > 0 &&
        size <= 4 &&
        body !== undefined &&
        ts.isBlock(body) &&
        onlyInvalidates(body, unique);
      // An exported reset its file never uses may be for tests only: held until a source file
      // mentions it (test-only-reset.ts).
      const reset = whole ? exportedUnusedReset(fn) : undefined;
      detections.push({
        ...(reset === undefined ? {} : { name: reset, needs: calledFact(reset) }),
        kind: "cache-invalidate",
        confidence: 0.75,
        nodes: whole ? [fn] : unique.sort((a, b) => a.pos - b.pos),
        evidence: [
          `empties ${unique
            .map((s) => `\`${s.getText(sourceFile).replace(/\s+/g, " ").slice(0, 40)}\``)
            .slice(0, 3)
            .join(", ")}`,
          "a store this code fills on a miss (or names as a cache)",
        ],
      });
    }
    for (const { needs, store, statements } of held.values()) {
      const unique = [...new Set(statements)].sort((a, b) => a.pos - b.pos);
      detections.push({
        kind: "cache-invalidate",
        confidence: 0.75,
        nodes: unique,
        evidence: [
          `empties ${unique
            .map((s) => `\`${s.getText(sourceFile).replace(/\s+/g, " ").slice(0, 40)}\``)
            .slice(0, 3)
            .join(", ")}`,
          needs === store
            ? `another file fills a store named \`${store}\` on a miss`
            : "a caching finding of this file fills it",
        ],
        needs,
      });
    }
    return detections;
  },
};
