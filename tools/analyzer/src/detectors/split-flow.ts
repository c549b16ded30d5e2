import { ts } from "ts-morph";
import { chain, isFunctionLike, isLoop, walkKinds } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, functionName, isNullish, unwrap } from "../file-facts.js";
import { declarationIn } from "../scope-declarations.js";
import type { KeyedFlow } from "./keyed-flow.js";
import { keyedFlows } from "./keyed-flows.js";
import { isRegistryEntry } from "./keyed-store.js";

/**
 * A keyed get-or-compute split across two functions over one store: function A reads the store
 * under a key, checks the value and returns the hit early, computing on a miss;
 * function B writes the store under a key with what was computed. The store is one store by what
 * it is bound to, not by its name: a closure or module variable by its declaration (the same
 * binding seen from both functions), a member by its class (or the constructor whose `prototype`
 * holds both functions), a `#private` member whatever instance it is reached through.
 *
 * The halves are linked when A's miss path calls B, or when both use the same key expression. Not
 * a flow: a registry (B stores a parameter under a parameter: what it was handed, under the name
 * it was handed), an index built in one pass (B writes in a loop or a constructor), a lookup whose
 * miss throws, and a store whose own get-or-create in the file fills a registry by keyed-store's
 * guard (`isRegistryEntry`: live objects made per key and listed, mutated or listened to — a metric
 * family's series): both halves of a flow over it are lookups of live things, not a cache's.
 */

const READS = /^(get)$/;
const WRITES = /^(set|put)$/;

/** The function whose `this` a node sees (arrows see their parent's), or undefined. */
function thisOwner(node: ts.Node): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) {
    if (ts.isArrowFunction(c)) continue;
    if (ts.isClassLike(c)) return c;
    if (!isFunctionLike(c)) continue;
    if (ts.isMethodDeclaration(c) || ts.isConstructorDeclaration(c) || ts.isAccessor(c))
      return ts.isClassLike(c.parent) ? c.parent : undefined;
    // `X.prototype.m = function () { … }`: the constructor `X` owns `this`.
    const parent = c.parent;
    if (
      ts.isFunctionExpression(c) &&
      ts.isBinaryExpression(parent) &&
      parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const target = chain(parent.left);
      const m = target === undefined ? null : /^([\w$]+)\.prototype\.[\w$]+$/.exec(target);
      if (m?.[1] !== undefined) return declarationAbove(parent, m[1]) ?? undefined;
    }
    return undefined;
  }
  return undefined;
}

/** The declaration of `name` seen from `node`, walking scopes outwards. */
function declarationAbove(node: ts.Node, name: string): ts.Node | undefined {
  for (let c: ts.Node | undefined = node; c !== undefined; c = c.parent) {
    const d = declarationIn(c, name);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** One store's identity: the node it is bound to and the path below it. */
interface StoreId {
  readonly root: ts.Node;
  readonly path: string;
}

/** What store a receiver names, by binding; undefined for a local of `fn` or an unknown root. */
function storeOf(receiver: ts.Node, fn: ts.Node): StoreId | undefined {
  const text = chain(receiver);
  if (text === undefined) return undefined;
  const parts = text.split(".");
  const root = parts[0] ?? "";
  const hash = parts.findIndex((p) => p.startsWith("#"));
  if (root === "this" || hash > 0) {
    const owner = thisOwner(receiver);
    if (owner === undefined) return undefined;
    const path = hash > 0 ? parts.slice(hash).join(".") : parts.slice(1).join(".");
    return path === "" ? undefined : { root: owner, path };
  }
  if (parts.length > 3) return undefined;
  const declaration = declarationAbove(receiver, root);
  if (declaration === undefined) return undefined;
  // A store the function is handed (`function f(cache, …)`): shared with a caller that hands it on.
  if (ts.isParameter(declaration) && declaration.parent === fn && parts.length === 1)
    return { root: declaration, path: "" };
  // A binding of A or B itself (a local) is not shared between them.
  if (inside(declaration, fn)) return undefined;
  if (ts.isParameter(declaration) || ts.isImportDeclaration(declaration)) return undefined;
  if (ts.isImportSpecifier(declaration) || ts.isImportClause(declaration)) return undefined;
  return { root: declaration, path: parts.slice(1).join(".") };
}

/** Whether an identifier named `name` occurs under `root`. */
function mentions(root: ts.Node, name: string): boolean {
  let found = false;
  walkKinds(root, [ts.SyntaxKind.Identifier], (n) => {
    if (ts.isIdentifier(n) && n.text === name) found = true;
  });
  return found;
}

function inside(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

function sameStore(a: StoreId, b: StoreId): boolean {
  return a.root === b.root && a.path === b.path;
}

/** The innermost function around a node. */
function functionAround(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
}

/** Whether a statement always leaves the function by `return`. */
function returns(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements[statement.statements.length - 1];
  return last !== undefined && returns(last);
}

/** The name a test is about, and whether it is true on a miss (`!x`, `x == null`). */
function testOf(test: ts.Expression): { name: string; miss: boolean } | undefined {
  const t = unwrap(test);
  if (ts.isIdentifier(t)) return { name: t.text, miss: false };
  if (ts.isPrefixUnaryExpression(t) && t.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = unwrap(t.operand);
    return ts.isIdentifier(inner) ? { name: inner.text, miss: true } : undefined;
  }
  if (!ts.isBinaryExpression(t)) return undefined;
  const op = t.operatorToken.kind;
  const side = isNullish(t.right)
    ? unwrap(t.left)
    : isNullish(t.left)
      ? unwrap(t.right)
      : undefined;
  if (side === undefined || !ts.isIdentifier(side)) return undefined;
  if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken)
    return { name: side.text, miss: true };
  if (
    op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    op === ts.SyntaxKind.ExclamationEqualsToken
  )
    return { name: side.text, miss: false };
  return undefined;
}

/** A checked read: `const h = [await] S.get(k)` then `if (h) … return` / `if (!h) return …`. */
interface Read {
  readonly call: ts.CallExpression;
  readonly store: StoreId;
  readonly fn: ts.FunctionLikeDeclaration;
  readonly declaration: ts.Node;
  readonly check: ts.IfStatement;
  /** The code that runs on a miss. */
  readonly miss: readonly [number, number];
}

function readOf(call: ts.CallExpression): Read | undefined {
  const target = call.expression;
  if (!ts.isPropertyAccessExpression(target) || !READS.test(target.name.text)) return undefined;
  if (call.arguments.length !== 1) return undefined;
  const fn = functionAround(call);
  if (fn?.body === undefined || !ts.isBlock(fn.body)) return undefined;
  const store = storeOf(target.expression, fn);
  if (store === undefined) return undefined;
  let at: ts.Node = call;
  while (ts.isAwaitExpression(at.parent) || ts.isParenthesizedExpression(at.parent)) at = at.parent;
  const declaration = at.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name))
    return undefined;
  const holder = declaration.name.text;
  const statement = declaration.parent.parent;
  const block = statement.parent;
  if (!ts.isBlock(block)) return undefined;
  const next = block.statements[block.statements.indexOf(statement) + 1];
  if (next === undefined || !ts.isIfStatement(next) || next.elseStatement !== undefined)
    return undefined;
  const test = testOf(next.expression);
  // The hit is handed back (`if (hit) return hit`); the code after the check is the miss. A check
  // that leaves on a miss (`if (x === undefined) return`) is a lookup of something registered.
  if (test?.name !== holder || test.miss || !returns(next.thenStatement)) return undefined;
  if (!mentions(next.thenStatement, holder)) return undefined;
  // The miss goes on after the check, in its block or the blocks around it.
  const body = fn.body;
  let goesOn = false;
  for (let b: ts.Node = block; !goesOn && b !== fn; b = b.parent) {
    if (ts.isBlock(b)) goesOn = b.statements.some((x) => x.pos >= next.end);
  }
  if (!goesOn) return undefined;
  // A miss that fails or hands back a default (`throw …`, `return {}`) computes nothing to keep.
  const after = block.statements[block.statements.indexOf(next) + 1];
  if (after !== undefined && (ts.isThrowStatement(after) || returnsDefault(after)))
    return undefined;
  return { call, store, fn, declaration: statement, check: next, miss: [next.end, body.end] };
}

/** `return;`, `return undefined`, or a literal (`null`, `0`, `{ … }`, `[]`): a default. */
function returnsDefault(statement: ts.Statement): boolean {
  if (!ts.isReturnStatement(statement)) return false;
  const e = statement.expression === undefined ? undefined : unwrap(statement.expression);
  return (
    e === undefined ||
    isNullish(e) ||
    ts.isLiteralExpression(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    ts.isObjectLiteralExpression(e) ||
    ts.isArrayLiteralExpression(e)
  );
}

/** Whether code computes: a call, `new` or `await` under it, nested functions aside. */
function computes(root: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

/**
 * Whether a written value was computed: it calls, or names a local of its function assigned from a
 * call, or a parameter of a callback the write sits in (a result handed back). A literal, a mark
 * (`true`), a counter (`n++`), a deferred task (`() => …`) or a record of fields is not a result.
 */
function computedValue(
  value: ts.Expression,
  fn: ts.FunctionLikeDeclaration,
  at: ts.Node,
  depth = 0,
): boolean {
  const v = unwrap(value);
  if (computes(v)) return true;
  // A tuple or record of locals that were computed (`[nodes, [...names]]`), one level down.
  if ((ts.isArrayLiteralExpression(v) || ts.isObjectLiteralExpression(v)) && depth < 2) {
    let any = false;
    walkKinds(v, [ts.SyntaxKind.Identifier], (n) => {
      const parent = n.parent;
      const named =
        (ts.isPropertyAssignment(parent) || ts.isPropertyAccessExpression(parent)) &&
        parent.name === n;
      if (!any && ts.isIdentifier(n) && !named) any = computedValue(n, fn, at, depth + 1);
    });
    return any;
  }
  if (!ts.isIdentifier(v) || fn.body === undefined) return false;
  const name = v.text;
  for (let c = at.parent; c !== undefined && c !== fn; c = c.parent)
    if (
      isFunctionLike(c) &&
      c.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)
    )
      return true;
  let found = false;
  walkKinds(fn.body, [ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.BinaryExpression], (n) => {
    if (found) return;
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === name &&
      n.initializer !== undefined
    )
      found =
        computes(n.initializer) || (depth < 2 && computedValue(n.initializer, fn, at, depth + 1));
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      n.left.text === name
    )
      found = computes(n.right);
  });
  return found;
}

/** A write `S.set(k, v)` / `S.put(k, v)` of a store, outside loops and constructors. */
interface Write {
  readonly call: ts.CallExpression;
  readonly store: StoreId;
  readonly fn: ts.FunctionLikeDeclaration;
}

function writeOf(call: ts.CallExpression): Write | undefined {
  const target = call.expression;
  if (!ts.isPropertyAccessExpression(target) || !WRITES.test(target.name.text)) return undefined;
  if (call.arguments.length < 2) return undefined;
  const fn = functionAround(call);
  if (fn?.body === undefined || ts.isConstructorDeclaration(fn)) return undefined;
  for (let c = call.parent; c !== fn; c = c.parent) if (isLoop(c)) return undefined;
  const store = storeOf(target.expression, fn);
  if (store === undefined) return undefined;
  // A registration: a parameter stored under a parameter, as handed.
  const params = new Set<string>();
  for (const p of fn.parameters) if (ts.isIdentifier(p.name)) params.add(p.name.text);
  const bare = (n: ts.Node | undefined): boolean =>
    n !== undefined && ts.isIdentifier(unwrap(n)) && params.has((unwrap(n) as ts.Identifier).text);
  if (bare(call.arguments[0]) && bare(call.arguments[1])) return undefined;
  const value = call.arguments[1] as ts.Expression;
  if (!bare(value) && !computedValue(value, fn, call)) return undefined;
  return { call, store, fn };
}

/**
 * The write of a store handed on by the miss path of a read: `f(…, store, …)`, where the function
 * `f` of the file writes that parameter (`cache.set(k, v)`).
 */
function threadedWrite(read: Read, writes: readonly Write[]): Write | undefined {
  const receiver = unwrap((read.call.expression as ts.PropertyAccessExpression).expression);
  if (!ts.isIdentifier(receiver)) return undefined;
  let found: Write | undefined;
  walkKinds(read.fn.body as ts.Node, [ts.SyntaxKind.CallExpression], (n) => {
    if (found !== undefined || !ts.isCallExpression(n) || !ts.isIdentifier(n.expression)) return;
    if (n.pos < read.miss[0] || n.end > read.miss[1]) return;
    const at = n.arguments.findIndex((a) => {
      const u = unwrap(a);
      return ts.isIdentifier(u) && u.text === receiver.text;
    });
    if (at < 0) return;
    let callee = declarationAbove(n, n.expression.text);
    if (callee !== undefined && ts.isVariableDeclaration(callee)) callee = callee.initializer;
    if (callee === undefined || !isFunctionLike(callee)) return;
    const param = callee.parameters[at];
    // Handed on, the store must be filled with a result made there, not with what it was handed.
    const handed = new Set(callee.parameters.map((p) => p.name.getText()));
    found = writes.find(
      (w) =>
        w.fn === callee &&
        w.store.root === param &&
        !handed.has(unwrap(w.call.arguments[1] as ts.Expression).getText()),
    );
  });
  return found;
}

/**
 * Whether a read's miss path awaits a load and hands it to the write's method (`return
 * this._add(await fetch())`): a member read-through, which `caching/member-read-through` reports.
 */
function handsLoadOn(read: Read, write: Write): boolean {
  const name = functionName(write.fn);
  let awaited = false;
  let hands = false;
  walkKinds(
    read.fn.body as ts.Node,
    [ts.SyntaxKind.AwaitExpression, ts.SyntaxKind.CallExpression],
    (n) => {
      if (n.pos < read.miss[0] || n.end > read.miss[1]) return;
      if (ts.isAwaitExpression(n)) awaited = true;
      else if (
        ts.isCallExpression(n) &&
        n.arguments.length > 0 &&
        chain(n.expression) === `this.${name ?? ""}`
      )
        hands = awaited;
    },
  );
  return hands;
}

/** Whether the miss path of a read calls the function a write sits in (`this.m()`, `m()`). */
function missCalls(read: Read, write: Write): boolean {
  const name = functionName(write.fn);
  if (name === undefined) return false;
  let found = false;
  walkKinds(read.fn.body as ts.Node, [ts.SyntaxKind.CallExpression], (n) => {
    if (found || !ts.isCallExpression(n)) return;
    if (n.pos < read.miss[0] || n.end > read.miss[1]) return;
    const callee = chain(n.expression);
    if (callee === name || callee === `this.${name}`) found = true;
  });
  return found;
}

function keyText(call: ts.CallExpression): string {
  return unwrap(call.arguments[0] as ts.Expression).getText();
}

/** The write's own code: its function when that does little else, or its statement. */
function writeNodes(write: Write): ts.Node[] {
  const body = write.fn.body;
  if (body !== undefined && ts.isBlock(body) && body.statements.length <= 3) {
    const sf = write.fn.getSourceFile();
    const span =
      sf.getLineAndCharacterOfPosition(write.fn.end).line -
      sf.getLineAndCharacterOfPosition(write.fn.getStart(sf)).line;
    if (span <= 10) return [write.fn];
  }
  let s: ts.Node = write.call;
  while (s.parent !== body && s.parent !== undefined && !ts.isBlock(s.parent)) s = s.parent;
  return [s];
}

/** The receiver of a keyed flow's read (`S` of `S.get(k)`, `S.has(k)`, `S[k]`), or undefined. */
function readReceiver(flow: KeyedFlow): ts.Node | undefined {
  if (flow.helper !== undefined) return undefined;
  const read = unwrap(flow.read);
  if (ts.isCallExpression(read) && ts.isPropertyAccessExpression(read.expression))
    return read.expression.expression;
  if (ts.isElementAccessExpression(read)) return read.expression;
  return undefined;
}

/**
 * Whether a store's own get-or-create (a keyed flow of the file over the same binding) fills a
 * registry of live objects, by the guard keyed-store applies to it: then the halves of a flow split
 * over that store are a registry's lookup and (re-)registration, as its own flow is.
 */
function registryStore(store: StoreId, flows: readonly KeyedFlow[]): boolean {
  return flows.some((f) => {
    const receiver = readReceiver(f);
    if (receiver === undefined) return false;
    const own = storeOf(receiver, f.fn);
    return own !== undefined && sameStore(own, store) && isRegistryEntry(f);
  });
}

export const splitFlowDetector: Detector = {
  id: "caching/split-flow",
  category: "caching",
  kinds: ["cache-aside"],
  prefilter: /\.(set|put)\(/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const reads: Read[] = [];
    const writes: Write[] = [];
    for (const call of facts.calls) {
      const r = readOf(call);
      if (r !== undefined) reads.push(r);
      const w = writeOf(call);
      if (w !== undefined) writes.push(w);
    }
    if (reads.length === 0 || writes.length === 0) return [];
    const flows = keyedFlows(sourceFile);
    const detections: Detection[] = [];
    const reported = new Set<ts.Node>();
    for (const read of reads) {
      if (flows.some((f) => f.read === read.call)) continue;
      const filledBy = (w: Write): boolean =>
        reads.some((r) => r.fn === w.fn && sameStore(r.store, w.store));
      const threaded = threadedWrite(read, writes);
      const write =
        threaded ??
        writes.find(
          (w) =>
            w.fn !== read.fn &&
            !filledBy(w) &&
            sameStore(w.store, read.store) &&
            (missCalls(read, w) || keyText(w.call) === keyText(read.call)),
        );
      if (write === undefined || reported.has(read.call) || handsLoadOn(read, write)) continue;
      if (registryStore(read.store, flows)) continue;
      reported.add(read.call);
      const name = chain((read.call.expression as ts.PropertyAccessExpression).expression);
      detections.push({
        kind: "cache-aside",
        confidence: 0.7,
        nodes: [read.declaration, read.check],
        evidence: [
          `reads \`${name ?? "a store"}\` under a key and returns early on the check`,
          "another function of the same scope writes that store under a key",
        ],
        ...(name === undefined ? {} : { name }),
      });
      // A fill half that is a whole get-or-compute of its own is reported as that.
      if (reported.has(write.call) || filledBy(write)) continue;
      if (flows.some((f) => f.write === write.call)) continue;
      reported.add(write.call);
      detections.push({
        kind: "cache-aside",
        confidence: 0.7,
        nodes: writeNodes(write),
        evidence: [
          `writes \`${name ?? "a store"}\` under a key: the fill of a lookup in another function`,
        ],
        ...(name === undefined ? {} : { name }),
      });
    }
    return detections;
  },
};
