import { ts } from "ts-morph";
import {
  callee,
  chain,
  isEmptyObject,
  isFunctionLike,
  moduleVariable,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import { factsOf, functionName, isClockRead, isNullish, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import type { KeyedFlow } from "./keyed-flow.js";
import { throwsOnHit } from "./look-alikes.js";

const flowsByFile = new WeakMap<ts.SourceFile, KeyedFlow[]>();

const LIST_READ = /^(find|includes|indexOf)$/;

/** Methods that read, drop, count or listen: never the write of a get-or-compute. */
const NOT_A_WRITE =
  /^(get|has|delete|remove|clear|find|includes|indexOf|on|once|off|emit|addListener|removeListener|addEventListener|removeEventListener|call|apply|bind|then|catch|finally|push|unshift|splice|slice|concat|map|filter|forEach|reduce|some|every|join|replace|split|startsWith|endsWith|test|exec|match|append|incr|increment|decr|decrement|log|warn|error|info|debug|trace)$/;

/** Array positions, not keys: `a[i]`, `stack[depth]`, `list[index - 1]`. */
const INDEX_KEY =
  /^([a-z]|[a-z]{1,2}\d?[A-Z]?|i\w{0,2}|idx|index|depth|pos|offset|\w*(Index|Idx|Pos|Offset)|.*[-+] ?1)$/;

/**
 * How the code names a store: a property chain (`this.#entries`), or a field keyed by a module-level
 * symbol (`this[caches]`, where `const caches = Symbol(…)`), also nested (`this[kContext][kFns]`):
 * a hidden field is still one store. On `this`, a key imported or destructured from another module
 * (`const { kFns } = require("./symbols")`) names a field too.
 */
function storeChain(node: ts.Node): string | undefined {
  const plain = chain(node);
  if (plain !== undefined) return plain;
  const n = unwrap(node);
  if (!ts.isElementAccessExpression(n) || !ts.isIdentifier(n.argumentExpression)) return undefined;
  const owner = storeChain(n.expression);
  const field = n.argumentExpression.text;
  if (owner === undefined) return undefined;
  const sourceFile = n.getSourceFile();
  if (
    !isSymbol(sourceFile, field) &&
    !(/^this(\[|$)/.test(owner) && importedBinding(sourceFile, field))
  )
    return undefined;
  return `${owner}[${field}]`;
}

/**
 * The store a `get`/`has`/`set`/`add` call is made on: a named store, or an element of one picked by
 * a local or a literal (`this.#byKind[kind].get(cls)`: one store per `kind`, keyed by `cls`). The
 * element is named by its text, so a read and a write through the same element pair up.
 */
function receiverStore(node: ts.Node): string | undefined {
  const named = storeChain(node);
  if (named !== undefined) return named;
  const n = unwrap(node);
  if (!ts.isElementAccessExpression(n)) return undefined;
  const pick = unwrap(n.argumentExpression);
  if (!ts.isIdentifier(pick) && !ts.isStringLiteralLike(pick)) return undefined;
  const owner = storeChain(n.expression);
  return owner === undefined ? undefined : `${owner}[${pick.getText()}]`;
}

/** Whether `name` is bound at module level by an import or a destructuring `const { name } = …`. */
function importedBinding(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some((s) => {
    if (ts.isImportDeclaration(s)) {
      const bindings = s.importClause?.namedBindings;
      return (
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.some((e) => e.name.text === name)
      );
    }
    return (
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.some(
        (d) =>
          ts.isObjectBindingPattern(d.name) &&
          d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name),
      )
    );
  });
}

/** Whether `name` is a module-level `const name = Symbol(…)`. */
function isSymbol(sourceFile: ts.SourceFile, name: string): boolean {
  const declaration = moduleVariable(sourceFile, name)?.declarationList.declarations.find(
    (d) => ts.isIdentifier(d.name) && d.name.text === name,
  );
  const init = declaration?.initializer;
  return (
    init !== undefined && ts.isCallExpression(init) && /^Symbol(\.for)?$/.test(callee(init) ?? "")
  );
}

/** The store and key of a read, when `node` is one. */
function asRead(node: ts.Node): { store: string; key?: ts.Node; list?: true } | undefined {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    // A read accessor of the file (`this.cachedConfig()`), unless the call already reads like a
    // store's own lookup (`this.get(k)`: the store is the object).
    if (!((method === "get" || method === "has") && node.arguments.length === 1)) {
      const accessor = accessorRead(node);
      if (accessor !== undefined) return accessor;
    }
    if ((method === "get" || method === "has") && node.arguments.length === 1) {
      const store = receiverStore(node.expression.expression);
      if (store !== undefined) return { store, key: node.arguments[0] };
    }
    // An asynchronous store answers in a callback: `store.get(key, …, (err, entry) => …)`.
    if (method === "get" && node.arguments.length > 1 && callbackOf(node) !== undefined) {
      const store = storeChain(node.expression.expression);
      if (store !== undefined) return { store, key: node.arguments[0] };
    }
    // A list used as a store: `list.includes(k)` / `list.indexOf(k)`, or `list.find(e => …)`.
    if (LIST_READ.test(method) && node.arguments.length === 1) {
      const store = storeChain(node.expression.expression);
      const [arg] = node.arguments as unknown as [ts.Expression];
      const byPredicate = ts.isArrowFunction(arg) || ts.isFunctionExpression(arg);
      if (store !== undefined && (method === "find") === byPredicate)
        return byPredicate ? { store, list: true } : { store, key: arg, list: true };
    }
    return undefined;
  }
  if (ts.isCallExpression(node)) return accessorRead(node);
  if (ts.isElementAccessExpression(node)) {
    const parent = node.parent;
    if (
      ts.isBinaryExpression(parent) &&
      parent.left === node &&
      parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
    )
      return undefined;
    if (ts.isDeleteExpression(parent)) return undefined;
    // `this[caches]` names a store (a symbol-keyed field); it is not a lookup in `this`.
    if (storeChain(node) !== undefined) return undefined;
    const key = unwrap(node.argumentExpression);
    if (ts.isNumericLiteral(key)) return undefined;
    const store = storeChain(node.expression);
    if (store === undefined || store === "arguments") return undefined;
    // A short name (`i`, `id`, `k`) indexes a list, unless the store is made as a dictionary
    // (`{}`, `Object.create(null)`): then it is a key like any other.
    if (INDEX_KEY.test(key.getText()) && !madeAsDictionary(node.getSourceFile(), store))
      return undefined;
    return { store, key };
  }
  return undefined;
}

interface Write {
  readonly store: string;
  readonly key?: ts.Node;
  readonly node: ts.Node;
  readonly value?: ts.Expression;
  readonly addsKey: boolean;
  /** A `push` onto a list (pairs only with a list read). */
  readonly list?: true;
}

/**
 * Which arguments of a small helper of the file are the store, key and value it writes; or, for an
 * accessor of a store the helper names itself (a module variable, a field of its class), that
 * store, and the key it always writes under when it takes none.
 */
type WriteHelper = readonly [store: number | string, key: number | ts.Node, value: number];

/**
 * Whether a store a helper names itself outlives the call and is the same for its caller: a
 * module variable (a plain function), or a field of `this` (a method, called on `this`).
 */
function ownStore(sourceFile: ts.SourceFile, fn: ts.Node, store: string): boolean {
  if (/^this\.[#\w$]/.test(store)) return ts.isMethodDeclaration(fn);
  const root = store.split(/[.[]/)[0] ?? store;
  return (
    !ts.isMethodDeclaration(fn) &&
    moduleVariable(sourceFile, root) !== undefined &&
    !isFunctionLike(fn.parent) &&
    fn.parent !== undefined &&
    (ts.isSourceFile(fn.parent) || ts.isVariableDeclaration(fn.parent))
  );
}

/** Whether a key node is a fixed key (`this.configKey`, `"roles"`): it names no parameter of `fn`. */
function fixedKey(fn: ts.FunctionLikeDeclaration, key: ts.Node): boolean {
  const k = unwrap(key);
  if (
    !ts.isStringLiteralLike(k) &&
    !(ts.isPropertyAccessExpression(k) && /^this\./.test(k.getText()))
  )
    return false;
  const params = new Set(fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : "")));
  let named = false;
  walk(k, (n) => {
    if (ts.isIdentifier(n) && params.has(n.text)) named = true;
  });
  return !named;
}

/** Functions of the file that write their arguments into a store: `cache(map, key, value)`. */
function writeHelpers(facts: FileFacts): Map<string, WriteHelper> {
  const helpers = new Map<string, WriteHelper>();
  for (const fn of facts.functions) {
    const name = functionName(fn);
    if (
      name === undefined ||
      fn.body === undefined ||
      !ts.isBlock(fn.body) ||
      fn.body.statements.length > 6
    )
      continue;
    const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ""));
    walkKinds(fn.body, [ts.SyntaxKind.CallExpression, ts.SyntaxKind.BinaryExpression], (n) => {
      const w = asWrite(n, new Map());
      if (w === undefined || w.key === undefined || w.value === undefined) return;
      const store = params.indexOf(w.store);
      const key = params.indexOf(unwrap(w.key).getText());
      const value = params.indexOf(unwrap(w.value).getText());
      if (store >= 0 && key >= 0 && value >= 0) helpers.set(name, [store, key, value]);
      // `put(key, value) { cache.set(key, value) }`, `putConfig(c) { this.store.put(this.key, c) }`:
      // an accessor of its own store (the write's statement is the helper's own, not nested).
      else if (
        store < 0 &&
        value >= 0 &&
        (key >= 0 || fixedKey(fn, w.key)) &&
        functionOf(n) === fn &&
        ownStore(facts.sourceFile, fn, w.store) &&
        !helpers.has(name)
      )
        helpers.set(name, [w.store, key >= 0 ? key : w.key, value]);
    });
  }
  return helpers;
}

/** Which argument of a read accessor is the key (or the key it always reads), and its store. */
interface ReadHelper {
  readonly store: string;
  readonly key: number | ts.Node;
  readonly method: boolean;
}

const readHelpersByFile = new WeakMap<ts.SourceFile, Map<string, ReadHelper>>();

/**
 * Functions of the file that only hand back one read of their own store (`getCached(key) { return
 * cache.get(key) }`, `_getCachedConfig() { return this.store.get(this.key) }`): a call of one is a
 * read of that store under the key it is given (or always reads).
 */
function readHelpers(facts: FileFacts): Map<string, ReadHelper> {
  const known = readHelpersByFile.get(facts.sourceFile);
  if (known !== undefined) return known;
  const helpers = new Map<string, ReadHelper>();
  readHelpersByFile.set(facts.sourceFile, helpers);
  for (const fn of facts.functions) {
    const name = functionName(fn);
    const body = fn.body;
    if (name === undefined || body === undefined) continue;
    const only: ts.Node | undefined = ts.isBlock(body)
      ? body.statements.length === 1 &&
        ts.isReturnStatement(body.statements[0] as ts.Statement) &&
        (body.statements[0] as ts.ReturnStatement).expression !== undefined
        ? (body.statements[0] as ts.ReturnStatement).expression
        : undefined
      : body;
    if (only === undefined) continue;
    let read = unwrap(only);
    if (ts.isAwaitExpression(read)) read = unwrap(read.expression);
    if (!ts.isCallExpression(read) || !ts.isPropertyAccessExpression(read.expression)) continue;
    if (read.expression.name.text !== "get" || read.arguments.length !== 1) continue;
    const store = storeChain(read.expression.expression);
    const [k] = read.arguments as unknown as [ts.Expression];
    if (store === undefined || !ownStore(facts.sourceFile, fn, store)) continue;
    const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ""));
    const key = params.indexOf(unwrap(k).getText());
    if (key < 0 && !fixedKey(fn, k)) continue;
    helpers.set(name, { store, key: key >= 0 ? key : k, method: ts.isMethodDeclaration(fn) });
  }
  return helpers;
}

/** The store and key a call of a read accessor of the file reads (`this._getCached()`). */
function accessorRead(call: ts.CallExpression): { store: string; key: ts.Node } | undefined {
  const helpers = readHelpersByFile.get(call.getSourceFile());
  if (helpers === undefined || helpers.size === 0) return undefined;
  const name = callee(call);
  if (name === undefined) return undefined;
  const helper = helpers.get(name.replace(/^this\./, ""));
  if (helper === undefined || helper.method !== name.startsWith("this.")) return undefined;
  const key = typeof helper.key === "number" ? call.arguments[helper.key] : helper.key;
  return key === undefined ? undefined : { store: helper.store, key };
}

function asWrite(node: ts.Node, helpers: ReadonlyMap<string, WriteHelper>): Write | undefined {
  if (ts.isCallExpression(node) && helpers.size > 0) {
    const name = callee(node) ?? "";
    const helper = helpers.get(name.replace(/^this\./, ""));
    if (helper !== undefined) {
      const [s, k, v] = helper;
      // An accessor of its own store: a method on `this`, a module function by its name — unless
      // the call already writes like a store's own API (`this.set(k, v)`: the store is the object).
      const own = typeof s === "string";
      const method = ts.isPropertyAccessExpression(node.expression)
        ? node.expression.name.text
        : undefined;
      const storeApi =
        method !== undefined &&
        (node.arguments.length === 2 || node.arguments.length === 3) &&
        !NOT_A_WRITE.test(method);
      if (!own || (s.startsWith("this.") === name.startsWith("this.") && !storeApi)) {
        const store =
          typeof s === "string"
            ? s
            : node.arguments[s] === undefined
              ? undefined
              : chain(node.arguments[s]);
        const key = typeof k === "number" ? node.arguments[k] : k;
        const value = node.arguments[v];
        if (store !== undefined && key !== undefined && value !== undefined)
          return { store, key, node, value, addsKey: false };
      }
    }
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    // `set(key, value)`, or with the entry's options (`set(key, value, ttl)`), also on an element
    // of a kept record of stores (`this.#byKind[kind].set(cls, v)`).
    if (method === "set" && (node.arguments.length === 2 || node.arguments.length === 3)) {
      const store = receiverStore(node.expression.expression);
      return store === undefined
        ? undefined
        : { store, key: node.arguments[0], node, value: node.arguments[1], addsKey: false };
    }
    const store = storeChain(node.expression.expression);
    if (store === undefined) return undefined;
    if (method === "add" && node.arguments.length === 1)
      return { store, key: node.arguments[0], node, addsKey: true };
    // `add(key, value)`: a keyed store spelled like a set (an LRU class's own API).
    if (method === "add" && node.arguments.length === 2)
      return { store, key: node.arguments[0], node, value: node.arguments[1], addsKey: false };
    // A store's own API (`cacheController.user.put(token, user)`, `store.save(key, value, ttl)`):
    // any other method given a key and a value. It pairs only with a checked read of the same
    // store under the same key, so a listener (`on(key, fn)`) or a counter never stands in.
    if (
      !NOT_A_WRITE.test(method) &&
      (node.arguments.length === 2 || node.arguments.length === 3) &&
      !isFunctionLike(unwrap(node.arguments[1] as ts.Expression))
    )
      return { store, key: node.arguments[0], node, value: node.arguments[1], addsKey: false };
    if (method === "push" && node.arguments.length === 1)
      return {
        store,
        key: node.arguments[0],
        node,
        value: node.arguments[0],
        addsKey: false,
        list: true,
      };
    return undefined;
  }
  if (ts.isBinaryExpression(node) && ts.isElementAccessExpression(node.left)) {
    const op = node.operatorToken.kind;
    if (
      op !== ts.SyntaxKind.EqualsToken &&
      op !== ts.SyntaxKind.QuestionQuestionEqualsToken &&
      op !== ts.SyntaxKind.BarBarEqualsToken
    )
      return undefined;
    if (storeChain(node.left) !== undefined) return undefined;
    const store = storeChain(node.left.expression);
    if (store === undefined) return undefined;
    return { store, key: node.left.argumentExpression, node, value: node.right, addsKey: false };
  }
  return undefined;
}

function keyText(node: ts.Node): string {
  return unwrap(node).getText().replace(/\s+/g, "");
}

/** The innermost function (or the file) around a node. */
export function functionOf(node: ts.Node): ts.Node {
  for (let c = node.parent; c !== undefined; c = c.parent)
    if (isFunctionLike(c) || ts.isSourceFile(c)) return c;
  return node.getSourceFile();
}

/**
 * Whether `n` is a reference to the local `name`: `metadata.columns` does not refer to a local
 * named `columns` (a property name is not a reference).
 */
function refersTo(n: ts.Node, name: string): boolean {
  return (
    ts.isIdentifier(n) &&
    n.text === name &&
    !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
  );
}

/** Whether `root` mentions the read or the local holding its result. */
function testsRead(
  root: ts.Node,
  read: ts.Node,
  holder: string | undefined,
  store: string,
): boolean {
  let hit = false;
  walk(root, (n) => {
    if (hit) return;
    if (n === read) hit = true;
    else if (holder !== undefined && refersTo(n, holder)) hit = true;
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      (n.expression.name.text === "has" || n.expression.name.text === "get") &&
      receiverStore(n.expression.expression) === store
    )
      hit = true;
    else if (ts.isElementAccessExpression(n) && storeChain(n.expression) === store) hit = true;
  });
  return hit;
}

/** Whether a statement always leaves the function or loop iteration. */
function exits(statement: ts.Statement): boolean {
  if (
    ts.isReturnStatement(statement) ||
    ts.isThrowStatement(statement) ||
    ts.isContinueStatement(statement) ||
    ts.isBreakStatement(statement)
  )
    return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && exits(last);
  }
  if (ts.isExpressionStatement(statement)) {
    // `return callback(...)` written as `callback(...); return;` is covered above; a bare call is not.
    return false;
  }
  return false;
}

type Polarity = "present" | "absent" | "unknown" | "other";

function flip(p: Polarity): Polarity {
  return p === "present" ? "absent" : p === "absent" ? "present" : p;
}

function isNothing(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    isNullish(n) || ts.isVoidExpression(n) || (ts.isStringLiteral(n) && n.text === "undefined")
  );
}

function isMinusOne(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    ts.isPrefixUnaryExpression(n) &&
    n.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(n.operand) &&
    n.operand.text === "1"
  );
}

function isIndexOf(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    n.expression.name.text === "indexOf"
  );
}

/** Whether a condition holds when the read found something (`present`) or nothing (`absent`). */
function polarity(cond: ts.Node, mentions: (n: ts.Node) => boolean): Polarity {
  const c = unwrap(cond);
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken)
    return flip(polarity(c.operand, mentions));
  if (ts.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken)
      return polarity(mentions(c.left) ? c.left : c.right, mentions);
    const eq =
      op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const ne =
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken;
    if ((eq || ne) && (isNothing(c.left) || isNothing(c.right))) return eq ? "absent" : "present";
    // `entry !== MISSING`: the entry itself compared with a named sentinel (not a literal value).
    if ((eq || ne) && sentinelTest(c, mentions)) return eq ? "absent" : "present";
    // `list.indexOf(k) === -1` / `!== -1`: absent / present.
    if ((eq || ne) && [c.left, c.right].some(isMinusOne) && [c.left, c.right].some(isIndexOf))
      return eq ? "absent" : "present";
    // `x === "name"`, `x.status === "prepared"`, `typeof x === "function"`: a value test, not a hit test.
    if (eq || ne) return "other";
    if (op === ts.SyntaxKind.InKeyword) return "present";
    return "other";
  }
  if (ts.isTypeOfExpression(c)) return "present";
  if (
    ts.isCallExpression(c) &&
    !/(^|\.)(has|get|includes)$/.test(callee(c) ?? "") &&
    // `this[k][m]?.has(key)`: a chain `callee` cannot spell, named by its method
    !(
      ts.isPropertyAccessExpression(c.expression) &&
      /^(has|get|includes)$/.test(c.expression.name.text)
    )
  )
    return "other";
  return mentions(c) ? "present" : "unknown";
}

/**
 * Whether a comparison sets the entry read (the whole of it) against a named constant
 * (`content !== this.opts.missingResponse`, `value === NOT_FOUND`).
 */
function sentinelTest(c: ts.BinaryExpression, mentions: (n: ts.Node) => boolean): boolean {
  const named = (n: ts.Node): boolean => {
    const u = unwrap(n);
    return (ts.isIdentifier(u) || ts.isPropertyAccessExpression(u)) && !mentions(u);
  };
  const entry = (n: ts.Node): boolean => ts.isIdentifier(unwrap(n)) && mentions(unwrap(n));
  return (entry(c.left) && named(c.right)) || (entry(c.right) && named(c.left));
}

/** Whether a statement assigns the local `name`. */
function assigns(statement: ts.Node, name: string): boolean {
  let hit = false;
  walk(statement, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      n.left.text === name
    )
      hit = true;
  });
  return hit;
}

/** Whether `node` lies in `branch`. */
function within(node: ts.Node, branch: ts.Node | undefined): boolean {
  return branch !== undefined && node.pos >= branch.pos && node.end <= branch.end;
}

/**
 * The `if` (or `?:`, `||`/`??`) that makes `write` happen only on a miss of `read`: the write sits
 * in the branch taken when nothing was found, or follows an early exit taken on a hit. A write in
 * the branch taken on a hit updates an entry; it does not fill a miss.
 */
function missCheck(
  fn: ts.Node,
  read: ts.Node,
  holder: string | undefined,
  store: string,
  write: ts.Node,
): ts.Node | undefined {
  // `store[k] ??= compute(k)`, `store[k] ||= …`: the read, its check and the write are one.
  if (logicalFill(write) && unwrap((write as ts.BinaryExpression).left) === read) return write;
  const mentions = (n: ts.Node): boolean => testsRead(n, read, holder, store);
  const fits = (cond: ts.Node, onMiss: boolean): boolean => {
    const p = polarity(cond, mentions);
    return p === "unknown" || (p !== "other" && (p === "absent") === onMiss);
  };
  for (let c = write.parent; c !== undefined && c !== fn; c = c.parent) {
    if (ts.isIfStatement(c) && mentions(c.expression)) {
      if (within(write, c.thenStatement) ? fits(c.expression, true) : fits(c.expression, false))
        return c;
      return undefined;
    }
    if (ts.isConditionalExpression(c) && mentions(c.condition)) {
      if (within(write, c.whenTrue) ? fits(c.condition, true) : fits(c.condition, false)) return c;
      return undefined;
    }
    if (
      ts.isBinaryExpression(c) &&
      within(write, c.right) &&
      (c.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        c.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
      mentions(c.left)
    )
      return c;
  }
  // Or after an early exit on a hit (`if (cached) return cached;` … `store.set(k, v)`), or after a
  // branch that computes the value on a miss (`if (v === undefined) { v = … }` … `store[k] = v`).
  let found: ts.Node | undefined;
  walk(fn, (n) => {
    if (
      found === undefined &&
      ts.isIfStatement(n) &&
      (n.pos >= read.pos || within(read, n.expression)) &&
      n.end <= write.pos &&
      mentions(n.expression) &&
      ((exits(n.thenStatement) && fits(n.expression, false)) ||
        (n.elseStatement !== undefined && exits(n.elseStatement) && fits(n.expression, true)) ||
        (holder !== undefined &&
          polarity(n.expression, mentions) === "absent" &&
          assigns(n.thenStatement, holder)))
    )
      found = n;
  });
  return found;
}

/** Whether a write is a logical assignment (`s[k] ??= v`, `s[k] ||= v`): it writes only on a miss. */
export function logicalFill(write: ts.Node): boolean {
  return (
    ts.isBinaryExpression(write) &&
    (write.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
      write.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken)
  );
}

/** The statement a local was last assigned in before `before` (to find what computes a value). */
function assignmentOf(fn: ts.Node, name: string, before: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  walk(fn, (n) => {
    if (n.pos >= before.pos) return;
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === name &&
      n.initializer !== undefined
    )
      found = n.initializer;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      n.left.text === name
    )
      found = n.right;
  });
  return found;
}

/** The local a read's result is kept in: `const hit = cache.get(k)`. */
export function holderOf(read: ts.Node): string | undefined {
  let current = read;
  while (
    current.parent !== undefined &&
    (ts.isParenthesizedExpression(current.parent) ||
      ts.isAsExpression(current.parent) ||
      ts.isNonNullExpression(current.parent) ||
      // `const hit = await store.get(k)`: an asynchronous store's answer.
      ts.isAwaitExpression(current.parent) ||
      // `const hit = cacheable ? cache.get(k) : undefined`
      (ts.isConditionalExpression(current.parent) && current.parent.condition !== current) ||
      // `const hit = lru !== null && lru.get(k)`: the read behind a guard of its store
      (ts.isBinaryExpression(current.parent) &&
        current.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken &&
        current.parent.right === current))
  )
    current = current.parent;
  const parent = current.parent;
  if (parent !== undefined && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
    return parent.name.text;
  if (
    parent !== undefined &&
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(parent.left)
  )
    return parent.left.text;
  return answerOf(read);
}

/** A function passed as a call's last argument (`get(k, (err, v) => …)`), if any. */
export function callbackOf(
  call: ts.CallExpression,
): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const last = call.arguments[call.arguments.length - 1];
  const f = last === undefined ? undefined : unwrap(last);
  return f !== undefined && (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) ? f : undefined;
}

/**
 * The parameter an asynchronous read answers in: `store.get(k).then((entry) => …)`, or the value of
 * a node-style callback `store.get(k, (err, entry) => …)` (its only parameter when it has one).
 */
function answerOf(read: ts.Node): string | undefined {
  const parent = read.parent;
  let callback: ts.ArrowFunction | ts.FunctionExpression | undefined;
  let index = 0;
  if (
    parent !== undefined &&
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === read &&
    parent.name.text === "then" &&
    ts.isCallExpression(parent.parent) &&
    parent.parent.expression === parent
  ) {
    const first = parent.parent.arguments[0];
    const f = first === undefined ? undefined : unwrap(first);
    if (f !== undefined && (ts.isArrowFunction(f) || ts.isFunctionExpression(f))) callback = f;
  } else if (ts.isCallExpression(read) && read.arguments.length > 1) {
    callback = callbackOf(read);
    if (callback !== undefined && callback.parameters.length > 1) index = 1;
  }
  const param = callback?.parameters[index]?.name;
  return param !== undefined && ts.isIdentifier(param) ? param.text : undefined;
}

/** Whether an expression uses the entry read from the store (an update of it). */
function derivesFrom(compute: ts.Node, holder: string | undefined, store: string): boolean {
  let uses = false;
  walk(compute, (n) => {
    if (uses) return;
    // `(hit = compute(k))`: the holder given the new value is not a use of the entry.
    const assigned =
      ts.isBinaryExpression(n.parent) &&
      n.parent.left === n &&
      n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
    if (holder !== undefined && refersTo(n, holder) && !assigned) uses = true;
    if (ts.isElementAccessExpression(n) && storeChain(n.expression) === store) uses = true;
    if (ts.isCallExpression(n) && callee(n) === `${store}.get`) uses = true;
  });
  return uses;
}

/** The lines of a check that go: the whole `if … return` on a hit, or the header and brace of a wrapping `if`. */
function checkLines(check: ts.Node, write: ts.Node, sourceFile: ts.SourceFile): ts.Node[] {
  if (
    ts.isIfStatement(check) &&
    check.thenStatement.pos <= write.pos &&
    write.end <= check.thenStatement.end
  ) {
    const parts: ts.Node[] = [check.expression];
    if (ts.isBlock(check.thenStatement)) {
      const close = check.thenStatement.getLastToken(sourceFile);
      if (close !== undefined) parts.push(close);
    }
    return parts;
  }
  if (ts.isIfStatement(check)) return [check];
  return [topStatement(check)];
}

/**
 * Finds every get-or-compute flow of a file once (the caching and dedup detectors share them).
 * @param sourceFile - the parsed file
 * @returns the flows
 */
export function keyedFlows(sourceFile: ts.SourceFile): KeyedFlow[] {
  const known = flowsByFile.get(sourceFile);
  if (known !== undefined) return known;
  const flows: KeyedFlow[] = [];
  flowsByFile.set(sourceFile, flows);
  const facts = factsOf(sourceFile);
  readHelpers(facts);
  flows.push(...factoryFlows(sourceFile, facts));
  const writes: Write[] = [];
  const helpers = writeHelpers(facts);
  for (const node of [...facts.calls, ...facts.binaries]) {
    const w = asWrite(node, helpers);
    if (w !== undefined) writes.push(w);
  }
  if (writes.length === 0) {
    flows.push(...apiFlows(facts, flows));
    return settled(sourceFile, flows);
  }
  const stores = new Set(writes.map((w) => w.store));
  const seen = new Set<ts.Node>();
  const reads: ts.Node[] = [];
  walkKinds(
    sourceFile,
    [ts.SyntaxKind.CallExpression, ts.SyntaxKind.ElementAccessExpression],
    (n) => {
      if ((ts.isCallExpression(n) || ts.isElementAccessExpression(n)) && asRead(n) !== undefined)
        reads.push(n);
    },
  );
  for (const read of reads) {
    const r = asRead(read);
    if (r === undefined || !stores.has(r.store)) continue;
    const fn = functionOf(read);
    const holder = holderOf(read);
    const key = r.key === undefined ? undefined : keyText(r.key);
    for (const w of writes) {
      if (w.store !== r.store || seen.has(w.node) || w.node.pos < read.pos) continue;
      if ((w.list === true) !== (r.list === true)) continue;
      // The same key read and written: a different key is another map's bookkeeping.
      if (key !== undefined && w.key !== undefined && keyText(w.key) !== key) continue;
      // A list that records the key it was asked about is a list of seen keys.
      const addsKey = w.addsKey || (w.list === true && key !== undefined);
      if (w.node.pos > fn.end || w.node.end < fn.pos) continue;
      const check = missCheck(fn, read, holder, r.store, w.node);
      if (check === undefined) continue;
      seen.add(w.node);
      const value = w.value;
      const compute =
        value !== undefined && ts.isIdentifier(unwrap(value))
          ? assignmentOf(fn, (unwrap(value) as ts.Identifier).text, w.node)
          : value;
      // A value made before the lookup is stored, not computed on a miss (an upsert of known data).
      if (compute !== undefined && compute !== value && compute.pos < read.pos) continue;
      // A value derived from the entry just read updates it; it does not fill a miss.
      if (compute !== undefined && derivesFrom(compute, holder, r.store)) continue;
      const readStatement = topStatement(read);
      const own = new Set<ts.Node>([
        ...(readStatement.pos <= check.pos && check.end <= readStatement.end
          ? []
          : [readStatement]),
        ...checkLines(check, w.node, sourceFile),
        topStatement(w.node),
      ]);
      flows.push({
        store: r.store,
        fn,
        read,
        write: w.node,
        ...(value === undefined ? {} : { value }),
        ...(compute === undefined ? {} : { compute }),
        check,
        own: [...own].sort((a, b) => a.pos - b.pos),
        addsKey,
        ...(w.list === true ? { list: true as const } : {}),
      });
    }
  }
  flows.push(...delegatedFlows(sourceFile, facts, reads, writes, flows));
  flows.push(...filledElsewhere(sourceFile, reads, writes, flows));
  flows.push(...apiFlows(facts, flows));
  return settled(sourceFile, flows);
}

/**
 * The flows of a file less those whose hit throws — a define-once registry (the entry found is
 * checked against the request, a mismatch is an error), whichever way the flow was found — kept as
 * the file's flows.
 */
function settled(sourceFile: ts.SourceFile, flows: readonly KeyedFlow[]): KeyedFlow[] {
  const kept = flows.filter((f) => !throwsOnHit(f.check, f.write));
  flowsByFile.set(sourceFile, kept);
  return kept;
}

/** Methods that cannot be the lookup of a store's own API (writes, listeners, iteration, logs). */
const NOT_A_LOOKUP =
  /^(set|add|put|save|store|write|insert|update|upsert|delete|remove|clear|push|unshift|splice|on|once|off|emit|addListener|removeListener|addEventListener|removeEventListener|then|catch|finally|call|apply|bind|forEach|map|filter|reduce|some|every|log|warn|error|info|debug|trace|send|write|end|close|destroy|create\w*|new\w*)$/;

/** The whole chains (`queryId`, `options.cache`) an expression mentions, `this` alone aside. */
function chainsIn(root: ts.Node): Set<string> {
  const found = new Set<string>();
  walk(root, (n) => {
    if (!ts.isIdentifier(n) && !ts.isPropertyAccessExpression(n)) return;
    // The whole chain only (`options.cache`, not `options`): a bag of options links nothing.
    if (ts.isPropertyAccessExpression(n.parent)) return;
    const c = chain(n);
    if (c !== undefined && c !== "this") found.add(c);
  });
  return found;
}

/**
 * The locals of `fn` given a value between two positions by work that is not the store's own
 * (`const rows = await db.query(q)`, `res = c.res.clone()`), with the expression that made each.
 */
function madeBetween(
  fn: ts.Node,
  store: string,
  from: number,
  to: number,
): Map<string, ts.Expression> {
  // A call on the store itself (`repo.create(x)` before `repo.save(e)`) makes nothing elsewhere.
  const own = (callee: ts.Expression): boolean => {
    const receiver = ts.isPropertyAccessExpression(callee) ? chain(callee.expression) : undefined;
    return receiver === store;
  };
  const made = new Map<string, ts.Expression>();
  walk(fn, (n) => {
    if (n.pos < from || n.end > to) return;
    const [name, value] =
      ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer !== undefined
        ? [n.name.text, n.initializer]
        : ts.isBinaryExpression(n) &&
            n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            ts.isIdentifier(n.left)
          ? [n.left.text, n.right]
          : [undefined, undefined];
    if (name === undefined || value === undefined) return;
    let work = false;
    walk(value, (w) => {
      if (work) return;
      if (ts.isCallExpression(w) && !own(w.expression)) work = true;
      // A part of what was made before (`mapped = res.map(…)`).
      if (ts.isIdentifier(w) && made.has(w.text)) work = true;
    });
    if (work) made.set(name, value);
  });
  return made;
}

/**
 * Get-or-compute through a store's own API of two methods, whatever they are called: a lookup on
 * a receiver (`const hit = await resultCache.lookup(key)`, `const cached = await
 * em.tryCache(entity, options.cache, key)`), its answer checked and handed out on a hit (`if
 * (cached?.data) return cached.data`), and after the check another method of the same receiver
 * given what the miss made by other work (`const rows = await db.query(sql)`; `await
 * em.storeCache(options.cache, cached, rows)`) together with the lookup's key or answer. The
 * store's methods need not be read: the flow is the evidence — a value loaded elsewhere is handed
 * to the receiver that was asked for it first.
 */
function apiFlows(facts: FileFacts, known: readonly KeyedFlow[]): KeyedFlow[] {
  const handled = new Set<ts.Node>();
  for (const f of known) {
    handled.add(f.read);
    handled.add(f.write);
  }
  const flows: KeyedFlow[] = [];
  for (const read of facts.calls) {
    if (handled.has(read) || !ts.isPropertyAccessExpression(read.expression)) continue;
    const lookup = read.expression.name.text;
    if (NOT_A_LOOKUP.test(lookup)) continue;
    const store = chain(read.expression.expression);
    if (store === undefined || store === "this") continue;
    const holder = holderOf(read);
    if (holder === undefined) continue;
    const fn = functionOf(read);
    const check = hitReturned(fn, read, holder);
    if (check === undefined) continue;
    const keys = new Set(read.arguments.flatMap((a) => [...chainsIn(a)]));
    for (const write of facts.calls) {
      if (
        write.pos < check.end ||
        write.end > fn.end ||
        handled.has(write) ||
        !ts.isPropertyAccessExpression(write.expression) ||
        write.expression.name.text === lookup ||
        NOT_A_WRITE.test(write.expression.name.text) ||
        chain(write.expression.expression) !== store ||
        write.arguments.length === 0 ||
        !discarded(write)
      )
        continue;
      // Made on the miss, before the write (in its own callback too: `() => rows.map(…)`).
      const made = madeBetween(fn, store, check.end, write.pos);
      const given = write.arguments.find((a) => {
        let uses = false;
        walk(a, (n) => {
          if (!uses && ts.isIdentifier(n) && made.has(n.text) && refersTo(n, n.text)) uses = true;
        });
        return uses;
      });
      if (given === undefined) continue;
      // The same entry: the lookup's answer handed back, a key in common, or a slot with no key.
      const args = new Set(write.arguments.flatMap((a) => [...chainsIn(a)]));
      // (The answer's local given a new value on the miss is that value, not the entry's key.)
      const sameEntry =
        (args.has(holder) && !made.has(holder)) ||
        [...keys].some((k) => args.has(k)) ||
        read.arguments.length === 0;
      if (!sameEntry) continue;
      let madeBy: ts.Expression | undefined;
      walk(given, (n) => {
        if (madeBy === undefined && ts.isIdentifier(n) && made.has(n.text))
          madeBy = made.get(n.text);
      });
      // The answer is only checked, handed out and given back to the store: a lookup's answer,
      // not a value the function goes on working with (`options = prepare(options)`).
      if (usedBeyond(fn, holder, check, write)) continue;
      handled.add(write);
      flows.push({
        store,
        fn,
        read,
        write,
        value: given,
        ...(madeBy === undefined ? {} : { compute: madeBy }),
        check,
        own: [...new Set([topStatement(read), check, topStatement(write)])].sort(
          (a, b) => a.pos - b.pos,
        ),
        addsKey: false,
        api: true,
      });
    }
  }
  return flows;
}

/**
 * Whether the local holding a lookup's answer is used after its hit check other than in a write
 * of the store (`em.storeCache(…, cached, …)`), a later check of it, or the `return` on a hit.
 */
function usedBeyond(
  fn: ts.Node,
  holder: string,
  check: ts.IfStatement,
  write: ts.CallExpression,
): boolean {
  const receiver = ts.isPropertyAccessExpression(write.expression)
    ? chain(write.expression.expression)
    : undefined;
  let beyond = false;
  walk(fn, (n) => {
    if (beyond || n.pos < check.end || !refersTo(n, holder)) return;
    for (let c: ts.Node = n; c !== fn; c = c.parent) {
      if (
        ts.isCallExpression(c) &&
        ts.isPropertyAccessExpression(c.expression) &&
        chain(c.expression.expression) === receiver &&
        c.arguments.some((a) => a.pos <= n.pos && n.end <= a.end)
      )
        return;
      if (ts.isIfStatement(c) && c.expression.pos <= n.pos && n.end <= c.expression.end) return;
    }
    // An assignment of a new value to it (`cached = …`) is not a use of the answer.
    if (
      ts.isBinaryExpression(n.parent) &&
      n.parent.left === n &&
      n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
    )
      return;
    beyond = true;
  });
  return beyond;
}

/**
 * Whether a call's answer is dropped (a statement, awaited or not, or handed to a call such as
 * `waitUntil(…)`): a write; a call whose answer is kept or returned is another lookup.
 */
function discarded(call: ts.CallExpression): boolean {
  let c: ts.Node = call;
  while (
    ts.isAwaitExpression(c.parent) ||
    ts.isParenthesizedExpression(c.parent) ||
    ts.isVoidExpression(c.parent)
  )
    c = c.parent;
  const parent = c.parent;
  return (
    ts.isExpressionStatement(parent) ||
    (ts.isCallExpression(parent) && parent.arguments.some((a) => a === c))
  );
}

/** Per function, its `if`s without `else` whose branch ends in `return <value>` (walked once). */
const returningIfs = new WeakMap<ts.Node, ts.IfStatement[]>();

function ifsReturning(fn: ts.Node): ts.IfStatement[] {
  const known = returningIfs.get(fn);
  if (known !== undefined) return known;
  const found: ts.IfStatement[] = [];
  walkKinds(fn, [ts.SyntaxKind.IfStatement], (n) => {
    if (!ts.isIfStatement(n) || n.elseStatement !== undefined || functionOf(n) !== fn) return;
    const then = n.thenStatement;
    const last = ts.isBlock(then) ? then.statements[then.statements.length - 1] : then;
    if (last !== undefined && ts.isReturnStatement(last) && last.expression !== undefined)
      found.push(n);
  });
  returningIfs.set(fn, found);
  return found;
}

/**
 * The `if` after a lookup that hands out what it found and leaves (`if (hit) return hit.rows`):
 * its test and its return both use the lookup's answer; it has no `else`.
 */
function hitReturned(fn: ts.Node, read: ts.Node, holder: string): ts.IfStatement | undefined {
  const uses = (root: ts.Node): boolean => {
    let hit = false;
    walk(root, (n) => {
      if (!hit && refersTo(n, holder)) hit = true;
    });
    return hit;
  };
  return ifsReturning(fn).find((n) => {
    if (n.pos < read.end || !uses(n.expression)) return false;
    const then = n.thenStatement;
    const last = (ts.isBlock(then) ? then.statements[then.statements.length - 1] : then) as
      ts.ReturnStatement | undefined;
    return last?.expression !== undefined && uses(last.expression);
  });
}

/**
 * The hit test of a read that hands the entry out and exits (`if (hit !== undefined) return hit`),
 * followed by the value computed in its place (`return decode(body)`): what the function returns
 * on a miss without storing it.
 */
function hitThenCompute(
  fn: ts.Node,
  read: ts.Node,
  holder: string | undefined,
  store: string,
): { check: ts.IfStatement; miss: ts.Expression } | undefined {
  const mentions = (n: ts.Node): boolean => testsRead(n, read, holder, store);
  let found: { check: ts.IfStatement; miss: ts.Expression } | undefined;
  walk(fn, (n) => {
    if (found !== undefined || !ts.isIfStatement(n) || n.pos < read.end) return;
    if (n.elseStatement !== undefined || !exits(n.thenStatement)) return;
    if (polarity(n.expression, mentions) !== "present") return;
    const block = n.parent;
    if (!ts.isBlock(block)) return;
    const next = block.statements[block.statements.indexOf(n) + 1];
    if (next === undefined || !ts.isReturnStatement(next) || next.expression === undefined) return;
    const value = unwrap(next.expression);
    const work = ts.isAwaitExpression(value) ? unwrap(value.expression) : value;
    if (ts.isCallExpression(work) && !testsRead(work, read, holder, store))
      found = { check: n, miss: next.expression };
  });
  return found;
}

/**
 * Per-object memos whose store is filled by another function of the file: a `WeakMap` (which
 * cannot be a registry of live things) read under an object, the entry returned on a hit and the
 * value computed in its place on a miss, while another function stores the value under the same
 * key (`parseBody` returns what `cacheDecodedBody` kept for the response, or decodes it again).
 */
function filledElsewhere(
  sourceFile: ts.SourceFile,
  reads: readonly ts.Node[],
  writes: readonly Write[],
  known: readonly KeyedFlow[],
): KeyedFlow[] {
  const handled = new Set(known.map((f) => f.read));
  const flows: KeyedFlow[] = [];
  for (const read of reads) {
    const r = asRead(read);
    if (handled.has(read) || r?.key === undefined || r.list === true) continue;
    if (!createdAs(sourceFile, r.store, /^WeakMap$/)) continue;
    const fn = functionOf(read);
    if (writes.some((w) => w.store === r.store && functionOf(w.node) === fn)) continue;
    const key = keyText(r.key);
    const write = writes.find(
      (w) =>
        w.store === r.store &&
        w.key !== undefined &&
        keyText(w.key) === key &&
        w.value !== undefined &&
        !isNothing(w.value),
    );
    if (write === undefined) continue;
    const holder = holderOf(read);
    const hit = hitThenCompute(fn, read, holder, r.store);
    if (hit === undefined) continue;
    handled.add(read);
    flows.push({
      store: r.store,
      fn,
      read,
      write: write.node,
      ...(write.value === undefined ? {} : { value: write.value }),
      compute: hit.miss,
      check: hit.check,
      own: [...new Set([topStatement(read), hit.check, topStatement(write.node)])].sort(
        (a, b) => a.pos - b.pos,
      ),
      addsKey: false,
      writtenElsewhere: functionName(functionOf(write.node)) ?? "another function",
    });
  }
  return flows;
}

/** A function of the file that fills a store: the write, and whether it returns the value. */
interface Filler {
  readonly write: Write;
  readonly returns: boolean;
}

/** The name a key is rooted in: `key` → `key`, `origin.hostname` → `origin`. */
function keyRoot(node: ts.Node): string | undefined {
  let n = unwrap(node);
  while (ts.isPropertyAccessExpression(n)) n = unwrap(n.expression);
  return ts.isIdentifier(n) ? n.text : undefined;
}

/**
 * Functions of the file that compute a value and store it under their parameter (or a property of
 * it), by name: `#detect(feature) { const r = detect(feature); this.#map.set(feature, r); return
 * r }`, or a loader that only stores what it made (`setRecords(origin, addresses) { const records =
 * …; this.storage.set(origin.hostname, records) }`).
 */
function fillers(facts: FileFacts, writes: readonly Write[]): Map<string, Filler> {
  const found = new Map<string, Filler>();
  for (const w of writes) {
    const fn = functionOf(w.node);
    const name = functionName(fn);
    if (name === undefined || !isFunctionLike(fn) || w.key === undefined || w.value === undefined)
      continue;
    const value = unwrap(w.value);
    const root = keyRoot(w.key);
    // Keyed by a parameter, and the value made inside (a parameter stored as given registers it).
    // A store handed in as a parameter lives for one traversal (a cycle map), not across calls.
    const params = fn.parameters.map((p) => p.name.getText());
    if (!ts.isIdentifier(value) || root === undefined || !params.includes(root)) continue;
    if (params.includes(value.text) || params.includes(w.store.split(".")[0] ?? "")) continue;
    if (!facts.functions.includes(fn)) continue;
    let returned = false;
    walk(fn, (n) => {
      if (
        ts.isReturnStatement(n) &&
        n.expression !== undefined &&
        n.pos >= w.node.end &&
        keyText(n.expression) === value.text
      )
        returned = true;
    });
    // Keyed by the parameter itself when it hands the value back; a loader that only stores must
    // have made the value in its own body.
    if (returned ? keyText(w.key) === root : assignmentOf(fn, value.text, w.node) !== undefined)
      found.set(name, { write: w, returns: returned });
  }
  return found;
}

/**
 * The functions a call's miss may be read in: the call's own function, and the functions around it
 * while it sits in a callback (`lookup(origin, (err, a) => this.setRecords(origin, a))`).
 */
function scopesOf(call: ts.Node): ts.Node[] {
  const scopes: ts.Node[] = [];
  for (let s = functionOf(call); !ts.isSourceFile(s); s = functionOf(s)) {
    scopes.push(s);
    if (!(ts.isArrowFunction(s) || ts.isFunctionExpression(s)) || !ts.isCallExpression(s.parent))
      break;
  }
  return scopes;
}

/**
 * Get-or-compute whose miss is handed to a filler of the same store (`this.#map.get(k) ??
 * this.#detect(k)`, or a loader called in the miss's callback): the lookup and check are here, the
 * write is in the filler.
 */
function delegatedFlows(
  sourceFile: ts.SourceFile,
  facts: FileFacts,
  reads: readonly ts.Node[],
  writes: readonly Write[],
  known: readonly KeyedFlow[],
): KeyedFlow[] {
  const byName = fillers(facts, writes);
  if (byName.size === 0) return [];
  const handled = new Set(known.map((f) => f.read));
  const flows: KeyedFlow[] = [];
  for (const call of facts.calls) {
    const found = byName.get((callee(call) ?? "").replace(/^this\./, ""));
    if (found === undefined) continue;
    const w = found.write;
    const filler = functionOf(w.node);
    for (const fn of scopesOf(call)) {
      if (fn === filler) break;
      const read = reads.find(
        (r) =>
          !handled.has(r) &&
          r.pos < call.pos &&
          r.end <= fn.end &&
          functionOf(r) === fn &&
          asRead(r)?.store === w.store,
      );
      if (read === undefined) continue;
      const check = missCheck(fn, read, holderOf(read), w.store, call);
      if (check === undefined) continue;
      handled.add(read);
      const readStatement = topStatement(read);
      const own = new Set<ts.Node>([
        readStatement,
        ...checkLines(check, call, sourceFile),
        topStatement(call),
        topStatement(w.node),
      ]);
      // What the filler stores is judged as the value (a registry's `createSeries(…)` stays one).
      const stored = w.value === undefined ? undefined : unwrap(w.value);
      const made =
        stored !== undefined && ts.isIdentifier(stored)
          ? assignmentOf(filler, stored.text, w.node)
          : undefined;
      flows.push({
        store: w.store,
        fn,
        read,
        write: call,
        value: call,
        compute: made ?? call,
        check,
        own: [...own].sort((a, b) => a.pos - b.pos),
        addsKey: false,
        filler: functionName(filler) ?? "",
        ...(found.returns ? {} : { fillerStoresOnly: true as const }),
      });
      break;
    }
  }
  return flows;
}

/** What a factory argument (`() => compute(x)`) returns, when it is a function of no parameters. */
function factoryResult(node: ts.Node): ts.Expression | undefined {
  const f = unwrap(node);
  if ((!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) || f.parameters.length > 0)
    return undefined;
  if (!ts.isBlock(f.body)) return f.body;
  const [only] = f.body.statements;
  return f.body.statements.length === 1 && only !== undefined && ts.isReturnStatement(only)
    ? only.expression
    : undefined;
}

const constructionsByFile = new WeakMap<ts.SourceFile, Map<string, string[]>>();

/**
 * The classes each name of a file (field, variable or object property) is created with by `new`,
 * gathered in one walk per file: `#memo` → `["WeakMap"]`.
 */
function constructions(sourceFile: ts.SourceFile): Map<string, string[]> {
  const known = constructionsByFile.get(sourceFile);
  if (known !== undefined) return known;
  const made = new Map<string, string[]>();
  constructionsByFile.set(sourceFile, made);
  walkKinds(
    sourceFile,
    [
      ts.SyntaxKind.PropertyDeclaration,
      ts.SyntaxKind.VariableDeclaration,
      ts.SyntaxKind.PropertyAssignment,
    ],
    (n) => {
      if (
        !(
          ts.isPropertyDeclaration(n) ||
          ts.isVariableDeclaration(n) ||
          ts.isPropertyAssignment(n)
        ) ||
        n.initializer === undefined
      )
        return;
      const init = unwrap(n.initializer);
      if (!ts.isNewExpression(init)) return;
      const name = n.name.getText(sourceFile);
      made.set(name, [...(made.get(name) ?? []), chain(init.expression) ?? ""]);
    },
  );
  return made;
}

/**
 * Whether the file creates a store under its name (field, variable or object property) with
 * `new C(…)` where `C` matches `classes`: `createdAs(file, "this.#memo", /^WeakMap$/)`.
 */
export function createdAs(sourceFile: ts.SourceFile, store: string, classes: RegExp): boolean {
  const leaf = store.slice(store.lastIndexOf(".") + 1);
  return (constructions(sourceFile).get(leaf) ?? []).some((c) => classes.test(c));
}

const dictionariesByFile = new WeakMap<ts.SourceFile, Set<string>>();

/**
 * Whether the file makes a store as an empty dictionary under its name, kept across calls: a
 * module `const cache = {}`, `this.byId = Object.create(null)`, `#seen: Record<string, X> = {}`.
 */
function madeAsDictionary(sourceFile: ts.SourceFile, store: string): boolean {
  let names = dictionariesByFile.get(sourceFile);
  if (names === undefined) {
    const found = new Set<string>();
    walkKinds(
      sourceFile,
      [
        ts.SyntaxKind.PropertyDeclaration,
        ts.SyntaxKind.VariableDeclaration,
        ts.SyntaxKind.BinaryExpression,
      ],
      (n) => {
        // Module variables and fields only: a local object filled in one call is being built.
        const kept =
          ts.isPropertyDeclaration(n) ||
          (ts.isVariableDeclaration(n) && ts.isSourceFile(n.parent.parent.parent));
        if (
          kept &&
          isEmptyObject(n.initializer === undefined ? undefined : unwrap(n.initializer))
        ) {
          const name = ts.isPropertyDeclaration(n) ? `this.${n.name.getText()}` : n.name.getText();
          found.add(name);
        }
        if (
          ts.isBinaryExpression(n) &&
          n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          isEmptyObject(unwrap(n.right))
        ) {
          const name = chain(n.left);
          if (name?.startsWith("this.") === true) found.add(name);
        }
      },
    );
    dictionariesByFile.set(sourceFile, (names = found));
  }
  return names.has(store);
}

/**
 * Whether a store is a keyed container in this file: created as `new Map`/`new WeakMap` under its
 * name, or read and written with `get`/`set`/`has` elsewhere.
 */
function keyedContainer(sourceFile: ts.SourceFile, store: string): boolean {
  if (createdAs(sourceFile, store, /^(Weak)?Map$/)) return true;
  let found = false;
  walkKinds(sourceFile, [ts.SyntaxKind.CallExpression], (n) => {
    if (
      !found &&
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      /^(get|set|has)$/.test(n.expression.name.text) &&
      storeChain(n.expression.expression) === store
    )
      found = true;
  });
  return found;
}

/**
 * Get-or-create handed to a helper: `helper(store, key, () => compute(key))`, where the store is a
 * keyed container of this file and the call's result is used. The helper does the read, the check
 * and the write; the call site is what a migration replaces.
 */
function factoryFlows(sourceFile: ts.SourceFile, facts: FileFacts): KeyedFlow[] {
  const flows: KeyedFlow[] = [];
  for (const call of facts.calls) {
    if (!ts.isCallExpression(call) || call.arguments.length !== 3) continue;
    const [target, key, factory] = call.arguments;
    if (target === undefined || key === undefined || factory === undefined) continue;
    const value = factoryResult(factory);
    const store = storeChain(target);
    const helper = callee(call);
    if (value === undefined || store === undefined || helper === undefined) continue;
    if (ts.isExpressionStatement(call.parent) || !keyedContainer(sourceFile, store)) continue;
    flows.push({
      store,
      fn: functionOf(call),
      read: call,
      write: call,
      value,
      compute: value,
      check: call,
      own: [topStatement(call)],
      addsKey: false,
      helper,
    });
  }
  return flows;
}

/** Whether an expression makes a registry entry (a new object, an empty container) rather than a derived value. */
export function isFreshObject(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  const n = unwrap(node);
  if (ts.isNewExpression(n))
    return (
      /^(Map|Set|WeakMap|WeakSet|Array|Object)$/.test(chain(n.expression) ?? "") &&
      (n.arguments?.length ?? 0) === 0
    );
  // An empty object, or a record of constants (nothing computed): a registry entry.
  if (ts.isObjectLiteralExpression(n))
    return n.properties.every(
      (p) =>
        ts.isPropertyAssignment(p) &&
        (ts.isLiteralExpression(unwrap(p.initializer)) ||
          (ts.isIdentifier(unwrap(p.initializer)) &&
            unwrap(p.initializer).getText() === "undefined") ||
          unwrap(p.initializer).kind === ts.SyntaxKind.TrueKeyword ||
          unwrap(p.initializer).kind === ts.SyntaxKind.FalseKeyword ||
          unwrap(p.initializer).kind === ts.SyntaxKind.NullKeyword),
    );
  // A list per key groups items (a multimap), it caches nothing; a tuple of two or more values with
  // something computed in it (`[level, wrapper]`) is a record kept for the key.
  if (ts.isArrayLiteralExpression(n))
    return n.elements.length < 2 || n.elements.every((e) => ts.isLiteralExpression(unwrap(e)));
  // `(x = …)`, or `(flag = false, Object.create(null))`: what the expression ends in.
  if (
    ts.isBinaryExpression(n) &&
    (n.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
      n.operatorToken.kind === ts.SyntaxKind.CommaToken)
  )
    return isFreshObject(n.right);
  return (
    ts.isCallExpression(n) &&
    callee(n) === "Object.create" &&
    n.arguments[0]?.kind === ts.SyntaxKind.NullKeyword
  );
}

/** A deferred (a promise with its resolvers): `defer()`, `createDeferred()`, `Promise.withResolvers()`. */
function isDeferred(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    ts.isCallExpression(n) &&
    /(^|\.)(defer|deferred|createDeferred|withResolvers)$/i.test(callee(n) ?? "")
  );
}

/** Whether an expression is a promise (not awaited): `new Promise`, `.then()`, an async call kept as is. */
export function isPromise(node: ts.Node | undefined, fn: ts.Node): boolean {
  if (node === undefined) return false;
  const n = unwrap(node);
  if (ts.isAwaitExpression(n)) return false;
  if (ts.isNewExpression(n)) return chain(n.expression) === "Promise";
  if (ts.isCallExpression(n)) {
    const name = callee(n) ?? "";
    if (
      isDeferred(n) ||
      /(^|\.)(then|catch|finally)$/.test(name) ||
      /^Promise\.(all|race|allSettled|any|resolve|reject)$/.test(name)
    )
      return true;
    if (
      ts.isPropertyAccessExpression(n.expression) &&
      /^(then|catch|finally)$/.test(n.expression.name.text)
    )
      return true;
    const target = unwrap(n.expression);
    if (
      (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) &&
      target.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) === true
    )
      return true;
  }
  if (ts.isIdentifier(n)) {
    // A local made by a deferred factory, or awaited or chained later, is a promise.
    let used = false;
    walkKinds(fn, [ts.SyntaxKind.Identifier], (u) => {
      if (used || !ts.isIdentifier(u) || u.text !== n.text || u === n) return;
      const p = u.parent;
      if (
        ts.isVariableDeclaration(p) &&
        p.name === u &&
        p.initializer !== undefined &&
        isDeferred(p.initializer)
      )
        used = true;
      if (ts.isAwaitExpression(p)) used = true;
      if (
        ts.isPropertyAccessExpression(p) &&
        p.expression === u &&
        /^(then|catch|finally)$/.test(p.name.text)
      )
        used = true;
    });
    return used;
  }
  return false;
}

/** Whether the flow involves the clock (entries stamped, ages or expiries checked). */
export function usesClock(facts: FileFacts, flow: KeyedFlow): boolean {
  let found = false;
  const visit = (root: ts.Node): void =>
    walk(root, (n) => {
      if (!found && isClockRead(facts, n)) found = true;
    });
  visit(flow.check);
  if (flow.value !== undefined) visit(flow.value);
  for (const node of flow.own) visit(node);
  return found;
}

export { factsOf };
