import { ts } from "ts-morph";
import {
  callee,
  chain,
  isFunctionLike,
  isLoop,
  moduleVariable,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, isClockRead, isNullish, unwrap } from "../file-facts.js";
import {
  callbackOf,
  createdAs,
  holderOf,
  isFreshObject,
  isPromise,
  keyedFlows,
  logicalFill,
  usesClock,
} from "./keyed-flows.js";
import type { KeyedFlow } from "./keyed-flow.js";
import { localValue } from "./derived-value.js";
import { collectionDefault, madeAtRandom, wiredUpBetween } from "./look-alikes.js";
import {
  changedByCallers,
  changesInPlace,
  freshStartingRecord,
  onlyRecordsKey,
  rootLocal,
  walkVisitedSet,
} from "./look-alikes.js";
import { cacheClass, memoFunction } from "./memo-function.js";
import { nestingUse, keptLocalSet } from "./seen-sets.js";

/** Calls that load from outside the process (files, network, databases, child processes). */
const IO_CALL =
  /(^(fs|fsp|dns|http|https|net|child_process|zlib)\.)|(^|\.)(readFile\w*|readdir\w*|fetch|l?stat(Sync)?|execFile(Sync)?|execSync|spawn(Sync)?|lookup|query|download\w*|import)$|^(cp\.|childProcess\.)?exec$/;

/** The expression that makes the value (through `(x = …)` and locals). */
function made(flow: KeyedFlow): ts.Node | undefined {
  let v: ts.Node | undefined = flow.compute ?? flow.value;
  while (
    v !== undefined &&
    ts.isBinaryExpression(unwrap(v)) &&
    (unwrap(v) as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.EqualsToken
  )
    v = (unwrap(v) as ts.BinaryExpression).right;
  return v === undefined ? undefined : unwrap(v);
}

/**
 * Whether a part of a local (`found.nodeID`, `loaded[0]`) was made on the miss: the local is
 * assigned between the lookup and the write, by a call or an `await` or inside a loop (a search).
 */
function madeOnMiss(flow: KeyedFlow, access: ts.Node, depth = 0): boolean {
  let root: ts.Node = access;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root))
    root = unwrap(root.expression);
  // A part of a call's result (`JSON.parse(readFileSync(p)).version`): work done on the miss.
  if (ts.isCallExpression(root) || ts.isAwaitExpression(root)) return depth === 0;
  if (!ts.isIdentifier(root)) return false;
  const name = root.text;
  // A part of what the miss's work handed a callback (`load(k).then((user) => s.set(k, user.id))`).
  if (loadedOnMiss(flow, name)) return true;
  let made = false;
  walk(flow.fn, (n) => {
    if (made || n.pos < flow.read.end || n.end > flow.write.pos) return;
    const value =
      ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name
        ? n.initializer
        : ts.isBindingElement(n) && ts.isIdentifier(n.name) && n.name.text === name
          ? destructuredFrom(n)
          : ts.isBinaryExpression(n) &&
              (n.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
                // (`out += render(part)`: the value gathered piece by piece on the miss)
                ACCUMULATE.has(n.operatorToken.kind)) &&
              ts.isIdentifier(n.left) &&
              n.left.text === name
            ? n.right
            : undefined;
    if (value === undefined) return;
    // `try { probe(k); ok = true } catch { ok = false }`: the outcome of work done on the miss.
    let work = probeOutcome(n);
    walk(value, (w) => {
      if (ts.isCallExpression(w) || ts.isAwaitExpression(w)) work = true;
    });
    // A part of another local made on the miss (`const session = results[0]`, `results` awaited).
    const v = unwrap(value);
    if (
      !work &&
      depth < 3 &&
      (ts.isPropertyAccessExpression(v) || ts.isElementAccessExpression(v) || ts.isIdentifier(v))
    )
      work = madeOnMiss(flow, v, depth + 1);
    for (let c = n.parent; c !== undefined && c !== flow.fn && !work; c = c.parent)
      if (isLoop(c)) work = true;
    if (work) made = true;
  });
  return made;
}

/** Compound assignments that add to a local (`+=`, `|=`, …). */
const ACCUMULATE = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken,
]);

/**
 * Whether an assignment records that a call tried before it went through: it sits in a `try`
 * block after a statement that calls something (`try { check(tz); valid = true } catch { valid =
 * false }`). The `catch` side alone says nothing (a state set before the work fails).
 */
function probeOutcome(assignment: ts.Node): boolean {
  const statement = assignment.parent;
  if (statement === undefined || !ts.isExpressionStatement(statement)) return false;
  const block = statement.parent;
  const owner = block?.parent;
  if (block === undefined || owner === undefined || !ts.isBlock(block)) return false;
  const calls = (b: ts.Block, before: number): boolean =>
    b.statements.some((st) => {
      if (st.end > before) return false;
      let call = false;
      walk(st, (w) => {
        if (ts.isCallExpression(w) || ts.isNewExpression(w) || ts.isAwaitExpression(w)) call = true;
      });
      return call;
    });
  return ts.isTryStatement(owner) && owner.tryBlock === block && calls(block, statement.pos);
}

/** What a destructured binding is taken from (`fork(…)` of `const { lexer } = fork(…)`). */
function destructuredFrom(element: ts.BindingElement): ts.Expression | undefined {
  let c: ts.Node = element;
  while (ts.isBindingElement(c) || ts.isObjectBindingPattern(c) || ts.isArrayBindingPattern(c))
    c = c.parent;
  return ts.isVariableDeclaration(c) ? c.initializer : undefined;
}

/**
 * Whether a local is the result of work started on the miss: the parameter of a callback around
 * the write that receives a call's result (`handler(ctx).then((result) => store.set(k, result))`,
 * `load(k, (err, value) => …)`).
 */
function loadedOnMiss(flow: KeyedFlow, name: string): boolean {
  for (let c = flow.write.parent; c !== undefined && c !== flow.fn; c = c.parent) {
    if (!ts.isArrowFunction(c) && !ts.isFunctionExpression(c)) continue;
    if (!c.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)) continue;
    const call = c.parent;
    // Work started after the lookup (not the callback the read itself answers in).
    const answer = ts.isCallExpression(flow.read) ? callbackOf(flow.read) : undefined;
    if (c.pos < flow.read.pos || c === answer) return false;
    if (!ts.isCallExpression(call) || !call.arguments.includes(c)) return false;
    const method = ts.isPropertyAccessExpression(call.expression)
      ? call.expression.name.text
      : (callee(call) ?? "");
    // `.then((result) => …)` on work, or a node-style callback; not an array's iteration.
    if (method === "then") return call.arguments[0] === c;
    return !ITERATION.test(method) && call.arguments[call.arguments.length - 1] === c;
  }
  return false;
}

/** Array and collection methods whose callback is called per element, not with a result. */
const ITERATION =
  /^(forEach|map|filter|reduce|reduceRight|some|every|find|findIndex|flatMap|sort)$/;

/** Whether the value is computed on the miss (a call, an operation), not copied or constant. */
function computed(flow: KeyedFlow): boolean {
  const v = made(flow);
  if (v === undefined) return false;
  if (ts.isPropertyAccessExpression(v) || ts.isElementAccessExpression(v))
    return madeOnMiss(flow, v);
  // A local assigned on the miss from work (`let v; try { v = parse(read(p)).x } catch {}`).
  if (ts.isIdentifier(v)) return madeOnMiss(flow, v);
  if (
    ts.isLiteralExpression(v) ||
    v.kind === ts.SyntaxKind.TrueKeyword ||
    v.kind === ts.SyntaxKind.FalseKeyword ||
    v.kind === ts.SyntaxKind.NullKeyword
  ) {
    // A local that starts (or ends, in a fallback) as a constant and is worked out on the miss
    // (`let ctx = null; try { ctx = await load(k) } catch { ctx = null }`; `let html = ""; for
    // (…) html += render(m)`): the constant is the default, the local holds the computed value.
    const held = flow.value === undefined ? undefined : unwrap(flow.value);
    return held !== undefined && ts.isIdentifier(held) && madeOnMiss(flow, held);
  }
  return true;
}

/** Whether a member chain starts at a parameter of `fn` (`options.agent` in `f(options)`). */
function parameterOf(fn: ts.Node, access: ts.PropertyAccessExpression): boolean {
  let root: ts.Node = access;
  while (ts.isPropertyAccessExpression(root)) root = unwrap(root.expression);
  if (!ts.isIdentifier(root) || !isFunctionLike(fn)) return false;
  const name = root.text;
  return fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name);
}

/**
 * Whether the stored value is handed out: returned, passed on, put on a parameter's member, or
 * read again after the write.
 */
function served(flow: KeyedFlow): boolean {
  // A get-or-create helper returns the value: the call site serves it when its result is used.
  if (flow.helper !== undefined) return true;
  const names = new Set<string>();
  const holderOfValue =
    flow.value !== undefined && ts.isIdentifier(unwrap(flow.value))
      ? (unwrap(flow.value) as ts.Identifier).text
      : undefined;
  if (holderOfValue !== undefined) names.add(holderOfValue);
  // A record of parts made on the miss (`{ document, errors }`): a part handed out serves it.
  const record = flow.value === undefined ? undefined : unwrap(flow.value);
  if (record !== undefined && ts.isObjectLiteralExpression(record) && !localStore(flow))
    for (const p of record.properties) {
      const part = ts.isShorthandPropertyAssignment(p)
        ? p.name
        : ts.isPropertyAssignment(p)
          ? unwrap(p.initializer)
          : undefined;
      // (declared outside the check: a local declared in the miss branch ends with it)
      if (
        part !== undefined &&
        ts.isIdentifier(part) &&
        !declaredBetween(flow.fn, part.text, flow.check.pos, flow.check.end) &&
        madeOnMiss(flow, part)
      )
        names.add(part.text);
    }
  // A logical fill whose result is kept (`el = store[k] ||= make()`, `const p = (s[k] ||= new
  // Promise(…))`) hands the entry, found or made, to the code after it.
  if (logicalFill(flow.write) && holderOf(flow.write) !== undefined) return true;
  // The read's local, also when the read is awaited (`const hit = await store.lookup(k)`).
  let answer: ts.Node = flow.read;
  while (ts.isAwaitExpression(answer.parent) || ts.isNonNullExpression(answer.parent))
    answer = answer.parent;
  const parent = answer.parent;
  if (parent !== undefined && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
    names.add(parent.name.text);
  if (
    flow.api === true &&
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(parent.left)
  )
    names.add(parent.left.text);
  // The value's own names, before the entry's re-reads (under any key) are added.
  const own = new Set(names);
  // The entry read back into a local after the write (`io = cache[id]`; `return io.socket()`);
  // not the store's own name walking down a tree (`obj = obj[seg]`).
  const storeRoot = flow.store.split(/[.[]/)[0];
  const readsEntry = (e: ts.Node): boolean => {
    const u = unwrap(e);
    return (
      (ts.isCallExpression(u) && callee(u) === `${flow.store}.get`) ||
      (ts.isElementAccessExpression(u) && chain(u.expression) === flow.store)
    );
  };
  // After the miss branch, in the block that holds it (not in another branch of the code).
  let miss: ts.Node = flow.write;
  for (let c = flow.write.parent; c !== undefined && c !== flow.fn; c = c.parent)
    if (ts.isIfStatement(c)) {
      miss = c;
      break;
    }
  const around = miss.parent;
  walk(flow.fn, (n) => {
    if (n.pos < miss.end || around === undefined || n.end > around.end) return;
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      readsEntry(n.initializer)
    )
      names.add(n.name.text);
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      n.left.text !== storeRoot &&
      readsEntry(n.right)
    )
      names.add(n.left.text);
  });
  // Used by the code after a miss that falls through, in the block that holds it (`for (const m
  // of matchers)`, `regions[line]`, `hashes += await hash`): the function serves the entry to its
  // own work — when the store outlives the call (a local or handed-in map filled and read in one
  // call groups or walks, it does not keep).
  if (
    around !== undefined &&
    miss !== flow.write &&
    !leavesAlways(miss) &&
    outlivesCall(flow) &&
    consumedAfter(around, miss.end, own)
  )
    return true;
  let served = false;
  walk(flow.fn, (n) => {
    if (served) return;
    const mentions = (root: ts.Node): boolean => {
      let hit = false;
      walk(root, (m) => {
        if (ts.isIdentifier(m) && names.has(m.text)) hit = true;
        if (ts.isCallExpression(m) && callee(m) === `${flow.store}.get`) hit = true;
        if (ts.isElementAccessExpression(m) && chain(m.expression) === flow.store) hit = true;
        if (m === flow.write) hit = true;
      });
      return hit;
    };
    if (ts.isReturnStatement(n) && n.expression !== undefined && mentions(n.expression))
      served = true;
    if (ts.isArrowFunction(n) && n === flow.fn && !ts.isBlock(n.body)) served = true;
    // Handed to the caller through a member of a parameter after the write (`context.fingerprint
    // = fingerprint`, the value or the entry itself): the caller's object carries the value out.
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(n.left) &&
      n.pos > flow.write.end &&
      parameterOf(flow.fn, n.left) &&
      ((ts.isIdentifier(unwrap(n.right)) && names.has(unwrap(n.right).getText())) ||
        readsEntry(n.right))
    )
      served = true;
    // `callback(null, value)` after the write (or in the write's own callback) serves it too, as
    // does handing on the entry read again (`callback(null, store.get(k))`).
    if (
      ts.isCallExpression(n) &&
      n !== flow.write &&
      n.pos > flow.write.pos &&
      n.arguments.some(
        (a) =>
          (ts.isIdentifier(a) && names.has(a.text)) ||
          (ts.isCallExpression(a) && callee(a) === `${flow.store}.get`),
      )
    )
      served = true;
  });
  return served;
}

/** Whether an `if` without `else` always leaves (its branch ends in `return`, `throw`, …). */
function leavesAlways(statement: ts.Node): boolean {
  if (!ts.isIfStatement(statement) || statement.elseStatement !== undefined) return true;
  const then = statement.thenStatement;
  const last = ts.isBlock(then) ? then.statements[then.statements.length - 1] : then;
  return (
    last !== undefined &&
    (ts.isReturnStatement(last) ||
      ts.isThrowStatement(last) ||
      ts.isContinueStatement(last) ||
      ts.isBreakStatement(last))
  );
}

/** Whether a store outlives a call of its flow: kept beyond it, not reached through a parameter. */
function outlivesCall(flow: KeyedFlow): boolean {
  const root = flow.store.split(/[.[]/)[0] ?? "";
  return persistent(flow) && (root === "this" || !isParameter(flow.fn, root));
}

/**
 * Whether one of `names` is read inside `block` after `from`: iterated, indexed, a member read, an
 * operand or an argument — anything but the target of an assignment.
 */
function consumedAfter(block: ts.Node, from: number, names: ReadonlySet<string>): boolean {
  let consumed = false;
  walkKinds(block, [ts.SyntaxKind.Identifier], (n) => {
    if (consumed || n.pos < from || !ts.isIdentifier(n) || !names.has(n.text)) return;
    let at: ts.Node = n;
    while (ts.isParenthesizedExpression(at.parent) || ts.isNonNullExpression(at.parent))
      at = at.parent;
    const parent = at.parent;
    if (
      (ts.isPropertyAccessExpression(parent) && parent.name === n) ||
      (ts.isBinaryExpression(parent) &&
        parent.left === at &&
        parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
      ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent)
    )
      return;
    consumed = true;
  });
  return consumed;
}

/** Whether the store is a local of the flow's own function (made per call, gone after it). */
function localStore(flow: KeyedFlow): boolean {
  if (/[.[]/.test(flow.store)) return false;
  let local = false;
  walkKinds(flow.fn, [ts.SyntaxKind.VariableDeclaration], (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === flow.store)
      local = true;
  });
  return local;
}

/** Whether the local `name` is declared between two positions of `fn`. */
function declaredBetween(fn: ts.Node, name: string, from: number, to: number): boolean {
  let declared = false;
  walk(fn, (n) => {
    if (
      !declared &&
      n.pos >= from &&
      n.end <= to &&
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === name
    )
      declared = true;
  });
  return declared;
}

/**
 * Whether a value is settled by removing the entry (in-flight sharing: the dedup detector's). An
 * entry replaced by its result when it settles (`cache[k] = name` in the `.then`), or removed only
 * on failure (a `catch` clause, a `.catch` or `.then(_, onRejected)` callback) while a fulfilled
 * promise stays, is a cache that keeps no errors, not in-flight sharing: the entry outlives the
 * work.
 */
export function deletedOnSettle(flow: KeyedFlow): boolean {
  if (replacedOnSettle(flow)) return false;
  // Each delete of the entry: on success (a `finally`, a fulfilment callback), on failure only, or
  // elsewhere (a listener that settles the promise, the flow after `await`ing it).
  let success = false;
  let failure = false;
  let elsewhere = false;
  walk(flow.fn, (n) => {
    const isDelete =
      (ts.isCallExpression(n) && callee(n) === `${flow.store}.delete`) ||
      (ts.isDeleteExpression(n) && n.expression.getText().startsWith(`${flow.store}[`)) ||
      (ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        n.left.getText().startsWith(`${flow.store}[`) &&
        (n.right.kind === ts.SyntaxKind.UndefinedKeyword ||
          n.right.getText() === "undefined" ||
          n.right.kind === ts.SyntaxKind.NullKeyword));
    if (!isDelete) return;
    // The innermost settle context decides.
    for (let c: ts.Node = n; c.parent !== undefined && c.parent !== flow.fn; c = c.parent) {
      const p = c.parent;
      if (ts.isTryStatement(p) && p.finallyBlock === c) {
        success = true;
        return;
      }
      if (ts.isCatchClause(p)) {
        failure = true;
        return;
      }
      if (
        ts.isCallExpression(p) &&
        p.arguments.includes(c as ts.Expression) &&
        ts.isPropertyAccessExpression(p.expression) &&
        /^(finally|then|catch)$/.test(p.expression.name.text)
      ) {
        const method = p.expression.name.text;
        if (method === "catch" || (method === "then" && p.arguments[1] === c)) failure = true;
        else success = true;
        return;
      }
    }
    elsewhere = true;
  });
  return success || (failure && elsewhere);
}

/** Whether the entry is written again with a value inside a callback after the first write. */
function replacedOnSettle(flow: KeyedFlow): boolean {
  let replaced = false;
  walk(flow.fn, (n) => {
    if (replaced || n.pos <= flow.write.end) return;
    const value =
      ts.isCallExpression(n) && callee(n) === `${flow.store}.set`
        ? n.arguments[1]
        : ts.isBinaryExpression(n) &&
            n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            ts.isElementAccessExpression(n.left) &&
            chain(n.left.expression) === flow.store
          ? n.right
          : undefined;
    if (value === undefined || isNullish(value)) return;
    for (let c = n.parent; c !== undefined && c !== flow.fn; c = c.parent)
      if (ts.isArrowFunction(c) || ts.isFunctionExpression(c)) replaced = true;
  });
  return replaced;
}

function isParameter(fn: ts.Node, name: string): boolean {
  return (
    isFunctionLike(fn) && fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)
  );
}

/** Whether a store is module state or an object's property (a closure's set lives as long as one traversal). */
function moduleOrField(flow: KeyedFlow): boolean {
  if (flow.store.includes(".")) return true;
  // `const logged = this._loggedPaths`: a field under a local name.
  let alias = false;
  walk(flow.fn, (n) => {
    if (
      ts.isVariableDeclaration(n) &&
      n.name.getText() === flow.store &&
      n.initializer !== undefined &&
      ts.isPropertyAccessExpression(unwrap(n.initializer))
    )
      alias = true;
  });
  if (alias) return true;
  const sourceFile = flow.fn.getSourceFile();
  return moduleVariable(sourceFile, flow.store) !== undefined;
}

/** Whether a store outlives one call: a module variable, a field, or another object's property. */
function persistent(flow: KeyedFlow): boolean {
  if (flow.store.includes(".")) return true;
  let declaredInside = false;
  walk(flow.fn, (n) => {
    if (declaredInside) return;
    if (
      (ts.isVariableDeclaration(n) || ts.isParameter(n)) &&
      ts.isIdentifier(n.name) &&
      n.name.text === flow.store
    )
      declaredInside = true;
  });
  return !declaredInside;
}

/** Whether a callback is handed a result: it takes parameters, or it runs when a promise or timer settles. */
function receivesResult(callback: ts.ArrowFunction | ts.FunctionExpression): boolean {
  if (callback.parameters.length > 0) return true;
  const call = callback.parent;
  return (
    ts.isCallExpression(call) &&
    /(^|\.)(then|catch|finally|setTimeout|setImmediate|nextTick|queueMicrotask)$/.test(
      callee(call) ??
        (ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ""),
    )
  );
}

function ioInMiss(flow: KeyedFlow): boolean {
  let io = false;
  const roots: ts.Node[] = [flow.compute ?? flow.write];
  // A write made inside a callback that receives a result (`(err, value) => …`, `.then(…)`)
  // means the value arrived asynchronously; a thunk run in place (`run("init", () => …)`) does not.
  // (A write in another function of the file says nothing of how this miss gets its value.)
  if (flow.writtenElsewhere === undefined)
    for (let c = flow.write.parent; c !== undefined && c !== flow.fn; c = c.parent)
      if ((ts.isArrowFunction(c) || ts.isFunctionExpression(c)) && receivesResult(c)) io = true;
  // A container filled before it is stored, or a part of a local made on the miss
  // (`loaded[0]`): what makes it runs between the lookup and the write.
  const v = made(flow);
  const between =
    flow.api === true ||
    filledBeforeStore(flow) ||
    (v !== undefined && (ts.isPropertyAccessExpression(v) || ts.isElementAccessExpression(v)));
  if (between) roots.push(flow.fn);
  for (const root of roots)
    walk(root, (n) => {
      if (io || (between && (n.pos < flow.read.end || n.end > flow.write.pos))) return;
      if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) io = true;
      if (ts.isCallExpression(n) && IO_CALL.test(callee(n) ?? "")) io = true;
    });
  return io;
}

/**
 * Whether a store's entries are start marks: an entry (directly or through a local) is subtracted
 * in an elapsed time (`now - timers[label]`, `end.getTime() - start.getTime()`). Such a map times
 * operations (monitoring), it does not remember what was handled.
 */
function holdsStartMarks(sourceFile: ts.SourceFile, store: string): boolean {
  const readers = new Set<string>();
  walk(sourceFile, (n) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      unwrap(n.initializer).getText(sourceFile).startsWith(store)
    )
      readers.add(n.name.text);
    if (ts.isElementAccessExpression(n) && chain(n.expression) === store)
      readers.add(n.getText(sourceFile));
  });
  let marks = false;
  walk(sourceFile, (n) => {
    if (marks || !ts.isBinaryExpression(n) || n.operatorToken.kind !== ts.SyntaxKind.MinusToken)
      return;
    const subtracted = unwrap(n.right);
    const base =
      ts.isCallExpression(subtracted) && ts.isPropertyAccessExpression(subtracted.expression)
        ? subtracted.expression.expression
        : subtracted;
    const text = base.getText(sourceFile);
    if (readers.has(text) || [...readers].some((r) => text.startsWith(`${r}.`))) marks = true;
  });
  return marks;
}

/** The key a flow's read uses: `seen.has(k)` → `k`, `seen[k]` → `k`. */
function keyOf(flow: KeyedFlow): ts.Node | undefined {
  const read = unwrap(flow.read);
  if (ts.isCallExpression(read)) return read.arguments[0];
  if (ts.isElementAccessExpression(read)) return read.argumentExpression;
  return undefined;
}

/** Whether a key is a constant (`"sent"`, `State.SENT`): a set of flags, not of handled keys. */
function constantKey(sourceFile: ts.SourceFile, key: ts.Node | undefined): boolean {
  if (key === undefined) return false;
  const k = unwrap(key);
  if (ts.isStringLiteralLike(k) || ts.isNumericLiteral(k)) return true;
  if (!ts.isPropertyAccessExpression(k) || !ts.isIdentifier(k.expression)) return false;
  const base = k.expression.text;
  // `State.SENT` where `State` is module-level (a constant object or an enum) or imported — also
  // by CommonJS (`const { State } = require("./constants")`).
  return (
    moduleVariable(sourceFile, base) !== undefined ||
    sourceFile.statements.some(
      (s) =>
        (ts.isEnumDeclaration(s) && s.name.text === base) ||
        (ts.isImportDeclaration(s) && importsName(s, base)) ||
        (ts.isVariableStatement(s) && requiresName(s, base)),
    )
  );
}

/** Whether a module-level declaration binds `name` from `require(…)` (as is or destructured). */
function requiresName(statement: ts.VariableStatement, name: string): boolean {
  return statement.declarationList.declarations.some((d) => {
    const init = d.initializer === undefined ? undefined : unwrap(d.initializer);
    if (init === undefined || !ts.isCallExpression(init) || callee(init) !== "require")
      return false;
    if (ts.isIdentifier(d.name)) return d.name.text === name;
    return (
      ts.isObjectBindingPattern(d.name) &&
      d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name)
    );
  });
}

/** Whether an import declaration binds `name` (default, namespace or named). */
function importsName(declaration: ts.ImportDeclaration, name: string): boolean {
  const clause = declaration.importClause;
  if (clause === undefined) return false;
  if (clause.name?.text === name) return true;
  const bindings = clause.namedBindings;
  if (bindings === undefined) return false;
  if (ts.isNamespaceImport(bindings)) return bindings.name.text === name;
  return bindings.elements.some((e) => e.name.text === name);
}

const MEMBERSHIP = /^(has|add|delete|clear|get|set|size|includes|indexOf|push)$/;

/**
 * Whether a store is only asked about membership, and only where the flow handles a key: its uses
 * are `has`/`add`/`delete`/`clear` (or keyed reads and writes), and it is read in no other
 * function. A set that is iterated, passed on, returned or queried by other methods is data the
 * program works with (a chunk's dependencies, analysis state), not a memory of handled keys.
 */
const membershipByFile = new WeakMap<ts.SourceFile, Map<string, boolean>>();

function membershipOnly(sourceFile: ts.SourceFile, flow: KeyedFlow): boolean {
  const home = memberOf(flow.fn);
  let known = membershipByFile.get(sourceFile);
  if (known === undefined) membershipByFile.set(sourceFile, (known = new Map<string, boolean>()));
  const key = `${flow.store}@${String(home.pos)}`;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const only = membershipWalk(sourceFile, flow.store, home);
  known.set(key, only);
  return only;
}

function membershipWalk(scope: ts.Node, store: string, home: ts.Node): boolean {
  let only = true;
  walk(scope, (n) => {
    if (!only || chain(n) !== store) return;
    const parent = n.parent;
    if (parent === undefined) return;
    // Part of a longer chain (`this.seen` inside `this.seen.has`) is judged at the longer node.
    if (ts.isPropertyAccessExpression(parent) && parent.expression === n) {
      const method = parent.name.text;
      if (!MEMBERSHIP.test(method)) {
        only = false;
        return;
      }
      const isRead = /^(has|get|includes|indexOf)$/.test(method);
      if (isRead && memberOf(n) !== home && asCondition(parent.parent) && !skips(parent.parent))
        only = false;
      return;
    }
    // Keyed reads elsewhere may use a stored value (`startTime: seen[k]`); asking another method's
    // question with it (`if (seen[k])`) makes it state.
    if (ts.isElementAccessExpression(parent) && parent.expression === n) {
      if (memberOf(n) !== home && asCondition(parent) && !skips(parent)) only = false;
      return;
    }
    // Declarations and (re)creations: `seen = new Set()`, `private seen = new Set()`.
    if (ts.isBinaryExpression(parent) && parent.left === n) return;
    if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === n)
      return;
    // A set per object tested for absence and handed to its keeper (`byClient.set(c, seen)`).
    if (ts.isIdentifier(n) && nestingUse(n)) return;
    only = false;
  });
  return only;
}

/** The method or top-level function a node belongs to (callbacks and nested helpers included). */
function memberOf(node: ts.Node): ts.Node {
  let member: ts.Node = node.getSourceFile();
  for (let c: ts.Node | undefined = node; c !== undefined; c = c.parent)
    if (isFunctionLike(c)) member = c;
  return member;
}

/** Whether a value is used as a condition: an `if`/loop test, a `?:` test, `!x`, `a && x`. */
function asCondition(node: ts.Node): boolean {
  let current = node;
  for (let parent = node.parent; parent !== undefined; parent = parent.parent) {
    if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) {
      current = parent;
      continue;
    }
    if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)
      return true;
    if (
      ts.isBinaryExpression(parent) &&
      (parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      return true;
    if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent))
      return parent.expression === current;
    if (ts.isConditionalExpression(parent)) return parent.condition === current;
    return false;
  }
  return false;
}

/** Whether a read is the whole test of an `if` that exits (`if (seen.has(k)) return`): a skip. */
function skips(read: ts.Node): boolean {
  let test = read;
  const parent = test.parent;
  if (
    parent !== undefined &&
    ts.isPrefixUnaryExpression(parent) &&
    parent.operator === ts.SyntaxKind.ExclamationToken
  )
    return false;
  while (test.parent !== undefined && ts.isParenthesizedExpression(test.parent)) test = test.parent;
  const statement = test.parent;
  if (statement === undefined || !ts.isIfStatement(statement) || statement.expression !== test)
    return false;
  const then = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements[0]
    : statement.thenStatement;
  return (
    then !== undefined &&
    (ts.isReturnStatement(then) ||
      ts.isContinueStatement(then) ||
      ts.isBreakStatement(then) ||
      ts.isThrowStatement(then))
  );
}

/**
 * Whether the key is taken out again in the same function after the work (`guard.delete(k)` in a
 * `finally` or after the loop): the store marks what is in progress — a recursion or re-entry
 * guard — it does not remember what was handled.
 */
function releasedAfter(flow: KeyedFlow): boolean {
  const key = keyOf(flow);
  if (key === undefined) return false;
  const text = unwrap(key).getText().replace(/\s+/g, "");
  let released = false;
  walk(flow.fn, (n) => {
    if (
      !released &&
      n.pos > flow.write.end &&
      ts.isCallExpression(n) &&
      callee(n) === `${flow.store}.delete` &&
      n.arguments[0] !== undefined &&
      unwrap(n.arguments[0]).getText().replace(/\s+/g, "") === text
    )
      released = true;
  });
  return released;
}

/**
 * Whether the entry written is taken out again on every path once the work after it is done: a
 * `delete` of the same key later in the write's own block, or in the `finally` of a `try` there.
 * A `delete` on a failure path (a `catch`, an error callback) drops a bad entry; the rest stay.
 */
function poppedAfterWork(flow: KeyedFlow): boolean {
  const key = keyOf(flow);
  const written = topStatement(flow.write);
  const block = written.parent;
  if (key === undefined || block === undefined || !ts.isBlock(block)) return false;
  const text = unwrap(key).getText().replace(/\s+/g, "");
  const pops = (s: ts.Node): boolean =>
    ts.isExpressionStatement(s) &&
    ts.isCallExpression(s.expression) &&
    callee(s.expression) === `${flow.store}.delete` &&
    s.expression.arguments[0] !== undefined &&
    unwrap(s.expression.arguments[0]).getText().replace(/\s+/g, "") === text;
  return block.statements.some(
    (s) =>
      s.pos >= written.end &&
      (pops(s) ||
        (ts.isTryStatement(s) &&
          s.finallyBlock !== undefined &&
          s.finallyBlock.statements.some(pops))),
  );
}

/** A seen-cache: a store of handled keys, kept across calls, only asked about membership. */
function seenCache(sourceFile: ts.SourceFile, flow: KeyedFlow): "seen-cache" | undefined {
  // A local set kept beyond the call (seen-sets.ts) is judged by its uses in its own function.
  const local = !moduleOrField(flow) && flow.addsKey && keptLocalSet(flow);
  return (local || moduleOrField(flow)) &&
    !walkVisitedSet(flow) &&
    !releasedAfter(flow) &&
    !holdsStartMarks(sourceFile, flow.store) &&
    !constantKey(sourceFile, keyOf(flow)) &&
    (local
      ? membershipWalk(flow.fn, flow.store, memberOf(flow.fn))
      : membershipOnly(sourceFile, flow))
    ? "seen-cache"
    : undefined;
}

/**
 * Whether a list is used as a store: a list of handled keys is a module variable of this file (a
 * field or another object's list that is kept unique is data: plugins, children, options); a list
 * searched for an entry hands the entry found back (`if (view) return view`), where a loop that
 * skips what exists (`if (found) continue`) synchronises, it does not cache.
 */
function listStore(sourceFile: ts.SourceFile, flow: KeyedFlow): boolean {
  if (flow.addsKey)
    return !flow.store.includes(".") && moduleVariable(sourceFile, flow.store) !== undefined;
  const holder = holderOf(flow.read);
  let returned = false;
  walk(flow.fn, (n) => {
    if (
      ts.isReturnStatement(n) &&
      n.expression !== undefined &&
      n.end <= flow.write.pos &&
      holder !== undefined &&
      ts.isIdentifier(unwrap(n.expression)) &&
      (unwrap(n.expression) as ts.Identifier).text === holder
    )
      returned = true;
  });
  return returned;
}

/** The kind of a flow, or undefined when it is not a cache (a registry, a traversal's visited set, in-flight sharing). */
export function flowKind(sourceFile: ts.SourceFile, flow: KeyedFlow): string | undefined {
  if (flow.list === true && !listStore(sourceFile, flow)) return undefined;
  const value = flow.compute ?? flow.value;
  if (
    flow.addsKey ||
    (value !== undefined &&
      (value.kind === ts.SyntaxKind.TrueKeyword || ts.isNumericLiteral(value)))
  )
    return onlyRecordsKey(flow) ? undefined : seenCache(sourceFile, flow);
  // `seen[k] = Date.now()`: remembers when a key was first handled (unless it times them).
  if (flowIsFirstSeen(flow)) return seenCache(sourceFile, flow);
  // An id made at random on a miss (`id = randomUUID(); storage.set("device_id", id)`, one per
  // object in a WeakMap) is got or created once and never worked out from the key again: an
  // identity kept, not a derived value cached — computing it again gives another answer.
  if (value !== undefined && madeAtRandom(flow.fn, value, localValue)) return undefined;
  if (
    (isFreshObject(value) && !filledBeforeStore(flow)) ||
    // Put in for the work below and taken out after it (`copies.set(v, c); merge(c, v);
    // copies.delete(v)`): a stack of what is being worked on, not a value kept for later calls.
    poppedAfterWork(flow) ||
    isRegistryEntry(flow) ||
    changedByCallers(flow) ||
    freshStartingRecord(flow) ||
    !computed(flow) ||
    !served(flow)
  )
    return undefined;
  // (the promise kept in a local, awaited or chained after it is stored, is one too)
  if (
    isPromise(value, flow.fn) ||
    (flow.value !== undefined && flow.value !== value && isPromise(flow.value, flow.fn))
  )
    return deletedOnSettle(flow) ? undefined : "promise-cache";
  if (usesClock(factsOf(sourceFile), flow)) return persistent(flow) ? "ttl-cache" : undefined;
  return ioInMiss(flow) ? "cache-aside" : "memoize";
}

/**
 * Whether a fresh container kept in a local is filled before it is stored
 * (`list = []; … list.push(x); store.set(k, list)`): the value is built on the miss. A registry
 * stores the empty container first and fills it afterwards.
 */
function filledBeforeStore(flow: KeyedFlow): boolean {
  const held = flow.value === undefined ? undefined : unwrap(flow.value);
  const made = flow.compute;
  if (held === undefined || made === undefined || made === flow.value || !ts.isIdentifier(held))
    return false;
  return filledBetween(flow.fn, held.text, made.end, flow.write.pos);
}

/** Whether the local `name` is filled (`push`, `set`, `add`, `name[i] = …`) between two positions. */
function filledBetween(fn: ts.Node, name: string, from: number, to: number): boolean {
  let filled = false;
  walk(fn, (n) => {
    if (filled || n.pos < from || n.end > to) return;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      /^(push|unshift|set|add)$/.test(n.expression.name.text) &&
      ownedBy(chain(n.expression.expression), name)
    )
      filled = true;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isElementAccessExpression(n.left) &&
      ownedBy(chain(n.left.expression), name)
    )
      filled = true;
  });
  return filled;
}

/** Whether a chain is the local `name` or one of its members (`res`, `res.list`). */
function ownedBy(target: string | undefined, name: string): boolean {
  return target === name || target?.startsWith(`${name}.`) === true;
}

/** Whether a record's fields are locals built on the miss (`{ problems, directives }` filled after the lookup). */
function builtOnMiss(flow: KeyedFlow, record: ts.ObjectLiteralExpression): boolean {
  return record.properties.some((p) => {
    const field = ts.isShorthandPropertyAssignment(p)
      ? p.name
      : ts.isPropertyAssignment(p)
        ? unwrap(p.initializer)
        : undefined;
    return (
      field !== undefined &&
      ts.isIdentifier(field) &&
      (filledBetween(flow.fn, field.text, flow.read.end, flow.write.pos) ||
        // (a store kept across calls: a map local to one call records a traversal's results)
        (!localStore(flow) && !isParameter(flow.fn, field.text) && madeOnMiss(flow, field)))
    );
  });
}

/**
 * Whether a hit is handed out only after its fields are compared with the inputs
 * (`hit.snapshot === snapshot`, `hit[0] === level`): an entry checked for freshness against what
 * the caller passed is a memo, whatever the store is named or the value is made by.
 */
function validatedHit(flow: KeyedFlow): boolean {
  const holder = holderOf(flow.read);
  if (holder === undefined || flow.helper !== undefined) return false;
  const test = ts.isIfStatement(flow.check) ? flow.check.expression : flow.check;
  const entryField = (n: ts.Node): boolean => {
    const u = unwrap(n);
    return (
      (ts.isPropertyAccessExpression(u) || ts.isElementAccessExpression(u)) &&
      ts.isIdentifier(unwrap(u.expression)) &&
      (unwrap(u.expression) as ts.Identifier).text === holder
    );
  };
  const input = (n: ts.Node): boolean => {
    const u = unwrap(n);
    return (ts.isIdentifier(u) || ts.isPropertyAccessExpression(u)) && !isNullish(u);
  };
  let validated = false;
  walk(test, (n) => {
    if (
      !validated &&
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken) &&
      ((entryField(n.left) && input(n.right)) || (entryField(n.right) && input(n.left)))
    )
      validated = true;
  });
  return validated;
}

/** `seen[k] = Date.now()` with nothing computed: remembers when a key was first seen. */
function flowIsFirstSeen(flow: KeyedFlow): boolean {
  return (
    flow.value !== undefined &&
    flow.compute === flow.value &&
    isClockRead(factsOf(flow.fn.getSourceFile()), flow.value)
  );
}

/** Stores named for the live things they hold — a weak signal, overridden by a cache-like name. */
const REGISTRY_NAME =
  /(regist\w*|loggers|clients|connections|nodes|sessions|workers|sockets|listeners|handlers|subscri\w*|instances|plugins|modules|namespaces)$/i;
const CACHE_NAME = /cache|memo|cached/i;

/** Calls that make a live object (`createClient`, `new…`, `connect`): what a registry holds. */
const MAKER = /(^|\.)[_#]?(create|new|make|register|spawn|open|connect|init|start)([A-Z]|$)/;

/**
 * Whether a value is made from the flow's key: the key (or a local computed from it, a few steps
 * back) appears in what the value is made of.
 */
function dependsOnKey(flow: KeyedFlow, value: ts.Node): boolean {
  const mentions = keyMentions(flow);
  return (
    mentions !== undefined && ts.isCallExpression(value) && value.arguments.some((a) => mentions(a))
  );
}

/**
 * A test of whether an expression is made from the flow's key: it names the key (or what the key's
 * own local was made from: `path` for `const key = path.join(".")`), or a local computed from it a
 * few steps back.
 */
function keyMentions(flow: KeyedFlow): ((node: ts.Node) => boolean) | undefined {
  const key = keyOf(flow);
  if (key === undefined) return undefined;
  const roots = new Set<string>();
  walk(key, (n) => {
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n))
      roots.add(n.text);
  });
  const k = unwrap(key);
  if (ts.isIdentifier(k)) {
    const init = localValue(flow.fn, k.text, flow.read.pos);
    if (init !== undefined)
      walk(init, (n) => {
        if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n))
          roots.add(n.text);
      });
  }
  if (roots.size === 0) return undefined;
  const seen = new Set<string>();
  const mentions = (node: ts.Node, depth: number): boolean => {
    let hit = false;
    walk(node, (n) => {
      if (hit || !ts.isIdentifier(n)) return;
      if (roots.has(n.text)) hit = true;
      else if (depth < 3 && !seen.has(n.text)) {
        seen.add(n.text);
        const init = localValue(flow.fn, n.text, node.pos);
        if (init !== undefined && mentions(init, depth + 1)) hit = true;
      }
    });
    return hit;
  };
  return (node) => mentions(node, 0);
}

/**
 * Whether a class of the file gathers state through its methods (`addListener(…) {
 * this.#listeners.push(…) }`): its instances are handed out to be filled, not values worked out.
 */
function gathersState(sourceFile: ts.SourceFile, name: string | undefined): boolean {
  const declared = sourceFile.statements.find(
    (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name,
  );
  if (declared === undefined) return false;
  return declared.members.some((m) => {
    if (!ts.isMethodDeclaration(m) || m.body === undefined) return false;
    let grows = false;
    walk(m.body, (n) => {
      if (
        !grows &&
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        /^(push|unshift|set|add|append)$/.test(n.expression.name.text) &&
        /^this\./.test(chain(n.expression.expression) ?? "")
      )
        grows = true;
    });
    return grows;
  });
}

/**
 * Whether a new object or instance is made from the key (`{ label: name }`, `new Wrapper(raw,
 * cfg)` under `raw` in a `WeakMap`): a value worked out per key, not an entry a registry hands its
 * callers to fill. An instance needs the key in its arguments; a record needs every field made
 * from the key or constant, so a record of other given values (`{ socket, id }`) stays a
 * registry's.
 */
function madeFromKey(flow: KeyedFlow, value: ts.Node): boolean {
  const mentions = keyMentions(flow);
  if (mentions === undefined) return false;
  // An instance per key is a registry's (a repository, a meter, a client per name, handed out for
  // its identity), unless it is kept per object in a `WeakMap`: a wrapper of the key itself.
  if (ts.isNewExpression(value))
    return (
      createdAs(flow.fn.getSourceFile(), flow.store, /^WeakMap$/) &&
      !gathersState(flow.fn.getSourceFile(), chain(value.expression)) &&
      (value.arguments ?? []).some((a) => !isFreshObject(a) && mentions(a))
    );
  if (!ts.isObjectLiteralExpression(value) || value.properties.length === 0) return false;
  // A record's fields must name the key itself (`name`, not another field of the row `r` that
  // `r.environment` is read from).
  const key = keyOf(flow);
  const keyName = key === undefined ? undefined : unwrap(key);
  if (keyName === undefined || !ts.isIdentifier(keyName)) return false;
  // A record of the key whose entry is dropped again (by a timer, on close) marks a key as recent
  // or live; a record kept for good spares making it again.
  const sourceFile = flow.fn.getSourceFile();
  if (
    factsOf(sourceFile).calls.some(
      (c) =>
        ts.isPropertyAccessExpression(c.expression) &&
        /^(delete|clear)$/.test(c.expression.name.text) &&
        chain(c.expression.expression) === flow.store,
    )
  )
    return false;
  let fromKey = false;
  const constant = (e: ts.Node): boolean =>
    ts.isLiteralExpression(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword;
  const each = value.properties.every((p) => {
    const field = ts.isShorthandPropertyAssignment(p)
      ? p.name
      : ts.isPropertyAssignment(p)
        ? unwrap(p.initializer)
        : undefined;
    if (field === undefined) return false;
    if (constant(field)) return true;
    if (isFreshObject(field) || !mentions(field)) return false;
    fromKey = true;
    return true;
  });
  return each && fromKey;
}

/** Methods and properties that walk a store's entries (or count them) rather than look one up. */
const ENUMERATION =
  /^(values|keys|entries|forEach|size|length|map|filter|some|every|find|reduce|flatMap|sort|splice|slice)$/;

const enumeratedByFile = new WeakMap<ts.SourceFile, Map<string, boolean>>();

/**
 * Whether a store's entries are walked anywhere in the file: iterated (`for … of`, `forEach`,
 * `values()`), counted (`size`), spread, or the store itself handed on (`Object.values(store)`,
 * `close(store)`, `return store`). A registry of live things is walked to close, notify or list
 * them; a cache only ever looks up one key at a time.
 */
export function storeEnumerated(sourceFile: ts.SourceFile, store: string): boolean {
  let known = enumeratedByFile.get(sourceFile);
  if (known === undefined) enumeratedByFile.set(sourceFile, (known = new Map<string, boolean>()));
  const cached = known.get(store);
  if (cached !== undefined) return cached;
  let walked = false;
  walk(sourceFile, (n) => {
    if (walked || chain(n) !== store) return;
    const parent = n.parent;
    if (parent === undefined) return;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === n) {
      if (ENUMERATION.test(parent.name.text)) walked = true;
      return;
    }
    if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.expression === n)
      walked = true;
    if (ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent)) walked = true;
    // Handed on, except back to the function it is in (a recursion sharing one store).
    if (
      ts.isCallExpression(parent) &&
      parent.arguments.includes(n as ts.Expression) &&
      !recursive(parent)
    )
      walked = true;
    if (ts.isReturnStatement(parent)) walked = true;
  });
  known.set(store, walked);
  return walked;
}

/** Whether a constructor argument is a constant (`16`, `"utf8"`, `true`) or a fresh container. */
function constantArgument(a: ts.Expression): boolean {
  const u = unwrap(a);
  return (
    ts.isLiteralExpression(u) ||
    u.kind === ts.SyntaxKind.TrueKeyword ||
    u.kind === ts.SyntaxKind.FalseKeyword ||
    u.kind === ts.SyntaxKind.NullKeyword ||
    isFreshObject(u)
  );
}

/** Whether a call calls a named function it sits in (`walk(node.child, seen)` inside `walk`). */
function recursive(call: ts.CallExpression): boolean {
  const name = callee(call);
  if (name === undefined || name.includes(".")) return false;
  for (let c = call.parent; c !== undefined; c = c.parent)
    if (ts.isFunctionDeclaration(c) && c.name?.text === name) return true;
  return false;
}

/**
 * Whether a flow fills a registry rather than a cache: the entry gets a sequence number, carries
 * fresh instances or zeroed fields (a record with state), or is a live object whose events the
 * code subscribes to. `caching/split-flow` asks it of a store's own get-or-create, for the halves
 * of a flow split over that store.
 */
export function isRegistryEntry(flow: KeyedFlow): boolean {
  if (validatedHit(flow)) return false;
  const value = flow.compute ?? flow.value;
  const name = flow.store.split(".").pop() ?? flow.store;
  // Names do not count for a `WeakMap`: its entries cannot be listed, closed or notified, so it
  // cannot be a registry of live things; it keeps something per object.
  const sourceFile = flow.fn.getSourceFile();
  const walked = !createdAs(sourceFile, flow.store, /^WeakMap$/);
  const v = value === undefined ? undefined : unwrap(value);
  // The name decides only when the code does not: a value worked out by a call from the key in a
  // store that is never walked (`sorted.set(hook, sortPlugins(hook, all))`) is derived.
  const derived =
    v !== undefined &&
    ((ts.isCallExpression(v) && !MAKER.test(chain(v.expression) ?? "") && dependsOnKey(flow, v)) ||
      madeFromKey(flow, v)) &&
    !storeEnumerated(sourceFile, flow.store);
  if (walked && !derived && REGISTRY_NAME.test(name) && !CACHE_NAME.test(name)) return true;
  if (value === undefined || v === undefined) return false;
  // A new instance of a class per key (unless the store says it caches them), or a parameter stored
  // as given: nothing is computed, an object is registered.
  if (
    ts.isNewExpression(v) &&
    !derived &&
    !CACHE_NAME.test(name) &&
    !/^(Map|Set|WeakMap|WeakSet|Array|Promise|Proxy|RegExp|URL|Date|Intl\.\w+|TextDecoder|TextEncoder)$/.test(
      chain(v.expression) ?? "",
    )
  )
    return true;
  if (ts.isIdentifier(v) && isParameter(flow.fn, v.text)) return true;
  // A local given methods before it is stored (`db = init(url); db.getRules = () => …`): a live
  // object wired up for the key.
  const held = flow.value === undefined ? undefined : unwrap(flow.value);
  if (
    held !== undefined &&
    ts.isIdentifier(held) &&
    wiredUpBetween(flow.fn, held.text, flow.read.end, flow.write.pos)
  )
    return true;
  // A position (`list.length - 1`, `index.size`): the key is given the next slot of a list or a
  // number of its own — an index being assigned (interning, parameter numbering), not a value
  // worked out from the key.
  if (position(flow.fn, v)) return true;
  // `createSeries(…)`, `makeClient(…)`: a live object made for the key is registered, not
  // computed — when the store's entries are walked (closed, notified, listed), or when what the
  // factory is given does not depend on the key (fresh state per key). A factory's product made
  // from the key and only ever looked up by it (`createFunction(code)` per entity) is derived.
  if (
    walked &&
    (storeEnumerated(sourceFile, flow.store) || !dependsOnKey(flow, v)) &&
    ts.isCallExpression(v) &&
    /(^|\.)[_#]?(create|new|make|register|spawn|open|connect)[A-Z]/.test(
      chain(v.expression) ?? "",
    ) &&
    !CACHE_NAME.test(name)
  )
    return true;
  // A record of given values (`{ address, client }`) registers something; an entry stamped with
  // the clock (`{ value, expires: … }`) is judged as a TTL entry, and one whose fields were built on
  // the miss (`{ problems, directives }`) as a computed value, and so is an empty record filled
  // before it is stored (`out = {}; for (…) out[k] = …; store.set(key, out)`).
  if (
    ts.isObjectLiteralExpression(v) &&
    !derived &&
    !builtOnMiss(flow, v) &&
    !filledBeforeStore(flow) &&
    v.properties.every(
      (p) =>
        ts.isShorthandPropertyAssignment(p) ||
        // `{ ...shard, address, client: undefined }`: the input copied beside empty slots to fill.
        (ts.isSpreadAssignment(p) &&
          ts.isIdentifier(unwrap(p.expression)) &&
          v.properties.some((q) => ts.isPropertyAssignment(q) && isNullish(q.initializer))) ||
        (ts.isPropertyAssignment(p) &&
          (ts.isIdentifier(unwrap(p.initializer)) ||
            ts.isLiteralExpression(unwrap(p.initializer)) ||
            ts.isPropertyAccessExpression(unwrap(p.initializer)))),
    ) &&
    !usesClock(factsOf(flow.fn.getSourceFile()), flow)
  )
    return true;
  let record = false;
  walk(value, (n) => {
    if (record) return;
    if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      n.operator === ts.SyntaxKind.PlusPlusToken
    )
      record = true;
    // (an options record handed to the call that makes the value is not the entry's fields)
    if (ts.isObjectLiteralExpression(n) && !inArguments(n, value))
      for (const p of n.properties)
        if (ts.isPropertyAssignment(p)) {
          const init = unwrap(p.initializer);
          // A fresh instance is state; one made from what the miss computed (`new
          // Set(changedFiles)`) is part of the value.
          if (
            ts.isNewExpression(init) &&
            chain(init.expression) !== "Promise" &&
            !(init.arguments ?? []).some((a) => !constantArgument(a))
          )
            record = true;
          if (ts.isNumericLiteral(init) && init.text === "0") record = true;
          // An empty list the file appends to (`{ latencies: [] }` … `info.latencies.push(ms)`)
          // in a record that computes nothing: samples gathered per key, not a value kept.
          if (
            ts.isArrayLiteralExpression(init) &&
            init.elements.length === 0 &&
            !callsIn(value) &&
            appendedTo(flow.fn.getSourceFile(), p.name.getText()) &&
            // (filled through its members before it is stored: built on the miss)
            !filledBeforeStore(flow)
          )
            record = true;
          // Lowered flags in a record that computes nothing (`{ init: false, get: false }`): state.
          if (init.kind === ts.SyntaxKind.FalseKeyword && !callsIn(value)) record = true;
        }
  });
  if (record || mutatedEntry(flow)) return true;
  // Listeners attached to the stored object: a live resource with a lifecycle.
  const holder = ts.isIdentifier(unwrap(flow.value ?? value))
    ? (unwrap(flow.value ?? value) as ts.Identifier).text
    : undefined;
  if (holder === undefined) return false;
  let live = false;
  walk(flow.fn, (n) => {
    if (
      !live &&
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      /^(on|once|addListener|addEventListener)$/.test(n.expression.name.text) &&
      chain(n.expression.expression) === holder
    )
      live = true;
  });
  return live;
}

/** Whether a node lies in the arguments of a call or `new` under `root` (`new Format(l, { … })`). */
function inArguments(node: ts.Node, root: ts.Node): boolean {
  for (let c: ts.Node = node; c !== root && c.parent !== undefined; c = c.parent) {
    const parent = c.parent;
    if (
      (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
      (parent.arguments ?? []).some((a) => a === c)
    )
      return true;
  }
  return false;
}

/**
 * `xs.length`, `xs.size`, or one of them moved by a number (`xs.length - 1`), where `xs` is a
 * list or set the function itself grows (`xs.push(v)`): the next slot handed to a key.
 */
function position(fn: ts.Node, value: ts.Node): boolean {
  const v = unwrap(value);
  if (ts.isBinaryExpression(v))
    return (
      (v.operatorToken.kind === ts.SyntaxKind.MinusToken ||
        v.operatorToken.kind === ts.SyntaxKind.PlusToken) &&
      ts.isNumericLiteral(unwrap(v.right)) &&
      position(fn, v.left)
    );
  if (!ts.isPropertyAccessExpression(v) || !/^(length|size)$/.test(v.name.text)) return false;
  const list = chain(v.expression);
  if (list === undefined) return false;
  let grown = false;
  walk(fn, (n) => {
    if (
      !grown &&
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      /^(push|add|unshift)$/.test(n.expression.name.text) &&
      chain(n.expression.expression) === list
    )
      grown = true;
  });
  return grown;
}

/** Whether the file appends to a list held under `field` (`x.field.push(…)`, `x?.field.push(…)`). */
function appendedTo(sourceFile: ts.SourceFile, field: string): boolean {
  return factsOf(sourceFile).calls.some(
    (c) =>
      ts.isPropertyAccessExpression(c.expression) &&
      /^(push|unshift)$/.test(c.expression.name.text) &&
      ts.isPropertyAccessExpression(c.expression.expression) &&
      c.expression.expression.name.text === field,
  );
}

/** Whether a value calls anything (a record with a computed field). */
function callsIn(value: ts.Node): boolean {
  let calls = false;
  walk(value, (n) => {
    if (ts.isCallExpression(n)) calls = true;
  });
  return calls;
}

/** Container methods that add to an entry kept per key (a group, a list of runs). */
const GROWS = /^(push|unshift|add|splice)$/;

/**
 * Whether the entry looked up is changed in place once it is found or stored (`state.lastCall =
 * …`, `job.runtimes.push(runtime)`, `entry.count++`): state kept per key (a registry, a group), not
 * a value computed once. Filling a fresh entry before it is stored (same block, before the write)
 * builds the value; a clock stamp on a hit is a cache's own bookkeeping.
 */
function mutatedEntry(flow: KeyedFlow): boolean {
  const holder = holderOf(flow.read);
  if (holder === undefined) return false;
  const facts = factsOf(flow.fn.getSourceFile());
  // Before the write and off the hit branch, the entry is being built.
  const builds = (n: ts.Node): boolean => n.end <= flow.write.pos && !onHit(n, holder);
  let mutated = false;
  walk(flow.fn, (n) => {
    if (mutated || n.pos < flow.read.end || builds(n) || refreshesStale(n, holder)) return;
    if (changesInPlace(n, holder, facts, GROWS)) mutated = true;
  });
  return mutated;
}

/** Whether a node sits in the `then` branch of an `if` whose test passes `accepts`. */
function underIf(node: ts.Node, accepts: (test: ts.Node) => boolean): boolean {
  for (let c: ts.Node = node; c.parent !== undefined; c = c.parent) {
    const parent = c.parent;
    if (
      ts.isIfStatement(parent) &&
      parent.thenStatement === c &&
      accepts(unwrap(parent.expression))
    )
      return true;
  }
  return false;
}

/** `a !== b` or `a != b`. */
function isInequality(test: ts.Node): test is ts.BinaryExpression {
  return (
    ts.isBinaryExpression(test) &&
    (test.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      test.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken)
  );
}

/**
 * Whether a node runs only when a field of the entry differs from the input (`if (str !==
 * entry.lastStr) { entry.lastStr = str; … }`): a last-seen memo per key refreshed, not state.
 */
function refreshesStale(node: ts.Node, holder: string): boolean {
  return underIf(
    node,
    (test) =>
      isInequality(test) &&
      [test.left, test.right].some((side) => {
        const u = unwrap(side);
        return ts.isPropertyAccessExpression(u) && rootLocal(u) === holder;
      }),
  );
}

/** Whether a node runs only when the entry was found: `if (hit) { … }`, `if (hit !== undefined) …`. */
function onHit(node: ts.Node, holder: string): boolean {
  return underIf(
    node,
    (test) =>
      (ts.isIdentifier(test) && test.text === holder) ||
      (isInequality(test) &&
        ((rootLocal(test.left) === holder && isNullish(test.right)) ||
          (rootLocal(test.right) === holder && isNullish(test.left)))),
  );
}

const EVIDENCE: Record<string, string> = {
  memoize: "the value is computed on a miss and kept for the next call",
  "cache-aside": "the value is loaded (I/O or a callback) on a miss and kept",
  "ttl-cache": "entries are stamped with the clock and checked for age or expiry",
  "promise-cache": "the promise itself is kept, so later callers share its result",
  "seen-cache": "remembers keys already handled and skips them",
};

/** Code text on one line, at most 50 characters. */
function clip(text: string): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > 50 ? `${line.slice(0, 47)}…` : line;
}

/**
 * Whether a returned expression is a flow's kept value: the store read under the flow's key
 * (`cache.get(k)`, `cache[k]`), the local the read went into, or the local written.
 */
export function returnsEntry(flows: readonly KeyedFlow[], e: ts.Expression): boolean {
  return flows.some((flow) => {
    if (flow.helper !== undefined) return false;
    const key = keyOf(flow);
    const sameKey = (k: ts.Node | undefined): boolean =>
      key !== undefined && k !== undefined && unwrap(k).getText() === unwrap(key).getText();
    if (ts.isCallExpression(e) && callee(e) === `${flow.store}.get`) return sameKey(e.arguments[0]);
    if (ts.isElementAccessExpression(e) && chain(e.expression) === flow.store)
      return sameKey(e.argumentExpression);
    if (!ts.isIdentifier(e)) return false;
    const written = flow.value === undefined ? undefined : unwrap(flow.value);
    return (
      e.text === holderOf(flow.read) ||
      (written !== undefined && ts.isIdentifier(written) && written.text === e.text)
    );
  });
}

/** The store's declaration when it sits next to (or in) the function: part of the construct. */
export function adjacentDeclaration(
  sourceFile: ts.SourceFile,
  flow: KeyedFlow,
): ts.Node | undefined {
  // A store's own API is asked through a receiver (`em`), which the memo does not make.
  if (flow.store.includes(".") || flow.api === true) return undefined;
  let found: ts.Node | undefined;
  walk(sourceFile, (n) => {
    if (
      found !== undefined ||
      !ts.isVariableDeclaration(n) ||
      !ts.isIdentifier(n.name) ||
      n.name.text !== flow.store
    )
      return;
    const statement = n.parent.parent;
    const gap =
      sourceFile.getLineAndCharacterOfPosition(flow.fn.getStart(sourceFile)).line -
      sourceFile.getLineAndCharacterOfPosition(statement.end).line;
    // (not for a flow deep in a long function: its own lines, not the function from a
    // declaration far above it)
    const far =
      sourceFile.getLineAndCharacterOfPosition(flow.read.getStart(sourceFile)).line -
        sourceFile.getLineAndCharacterOfPosition(statement.getStart(sourceFile)).line >
      40;
    if (
      !far &&
      ((statement.pos >= flow.fn.pos && statement.end <= flow.fn.end) || (gap >= 0 && gap <= 3))
    )
      found = statement;
  });
  return found;
}

/**
 * Get-or-compute by hand, on any receiver: a store read under a key, the read checked, and on a
 * miss the store written in the same function. What is written decides the kind: a derived value
 * (memoize), a value loaded through I/O (cache-aside), a value with a clock stamp or an age check
 * (ttl-cache), the promise itself (promise-cache), or only the key (seen-cache: a set of what was
 * already handled, kept across calls). A new empty object or instance per key is a registry, a
 * visited set local to one call guards a traversal, and an entry removed when its promise settles is
 * in-flight sharing (reported by the dedup detector): none of these are caches.
 */
export const keyedStoreDetector: Detector = {
  id: "caching/keyed-store",
  category: "caching",
  kinds: ["ttl-cache", "promise-cache", "seen-cache", "cache-aside", "memoize"],
  prefilter: /\.set\(|\.add\(|\.get\(|\]\s*(=|\?\?=|\|\|=)[^=]|,\s*(\(\)\s*=>|function\s*\(\))/,
  detect({ sourceFile }) {
    const groups = new Map<string, { kind: string; flows: KeyedFlow[] }>();
    const rank = ["ttl-cache", "promise-cache", "seen-cache", "cache-aside", "memoize"];
    for (const flow of keyedFlows(sourceFile)) {
      const kind = flowKind(sourceFile, flow);
      if (kind === undefined) continue;
      // A generic collection's own `getOrDefault(key, factory)` (its `set` takes the caller's value).
      if (kind === "memoize" && collectionDefault(flow.fn, flow.store, flow.compute ?? flow.value))
        continue;
      const key = `${flow.store}@${flow.fn.pos}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { kind, flows: [flow] });
      else {
        group.flows.push(flow);
        if (rank.indexOf(kind) < rank.indexOf(group.kind)) group.kind = kind;
      }
    }
    const detections: Detection[] = [];
    for (const { kind, flows } of groups.values()) {
      const first = flows[0] as KeyedFlow;
      const declaration = adjacentDeclaration(sourceFile, first);
      const own = flows.flatMap((f) => f.own);
      // A cache class (every method uses the store) is the construct; a get-or-compute function
      // (it ends by returning the kept value) takes its whole range.
      const cls = cacheClass(first.fn, first.store);
      const around =
        cls === undefined
          ? memoFunction(first.fn, own, first.store, (e) => returnsEntry(flows, e))
          : undefined;
      const nodes =
        cls !== undefined
          ? [cls]
          : [
              ...new Set([
                ...(declaration ? [declaration] : []),
                ...own,
                ...(around === undefined ? [] : [around.ret]),
              ]),
            ].sort((a, b) => a.pos - b.pos);
      detections.push({
        kind,
        confidence: kind === "memoize" && !persistent(first) ? 0.7 : 0.85,
        nodes,
        ...(around === undefined ? {} : { context: [around.span] }),
        evidence: [
          ...(first.helper === undefined
            ? [
                `reads \`${clip(first.read.getText(sourceFile))}\` and checks it`,
                first.writtenElsewhere !== undefined
                  ? `computes the value on a miss; \`${first.writtenElsewhere}\` writes \`${clip(first.write.getText(sourceFile))}\``
                  : first.filler === undefined
                    ? `writes \`${clip(first.write.getText(sourceFile))}\` on a miss`
                    : first.fillerStoresOnly === true
                      ? `on a miss calls \`${first.filler}\`, which makes the value and stores it`
                      : `on a miss calls \`${first.filler}\`, which computes, stores and returns the value`,
              ]
            : [
                `hands \`${first.store}\`, a key and a factory to \`${first.helper}\`, which reads, checks and writes the store`,
              ]),
          EVIDENCE[kind] ?? kind,
        ],
        name: first.store,
      });
    }
    return detections;
  },
};
