import { ts } from "ts-morph";
import {
  callee,
  chain,
  enclosing,
  isFunctionLike,
  moduleVariable,
  topStatement,
  walk,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import {
  factsOf,
  functionName,
  isClockRead,
  isClockish,
  isNullish,
  isOrdering,
  markKey,
  unwrap,
} from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf, isPromise } from "./keyed-flows.js";

/** A single-slot memo: one field or closure variable filled on first use and returned after. */
export interface SlotMemo {
  /** `this._cache`, `parsedData`. */
  readonly slot: string;
  readonly fn: ts.Node;
  /** The check and the fill (the statements a migration deletes). */
  readonly own: readonly ts.Node[];
  readonly why: string;
  /**
   * `memoize`; `promise-cache` when the slot keeps the promise of a one-time async job;
   * `cache-aside` when a loaded result is kept and served on request.
   */
  readonly kind: "memoize" | "promise-cache" | "cache-aside";
  /** Code the memo wraps that stays after a migration (the function the slot serves). */
  readonly context: readonly ts.Node[];
}

const slotsByFile = new WeakMap<ts.SourceFile, SlotMemo[]>();

function isNothing(node: ts.Node): boolean {
  return isNullish(node) || unwrap(node).kind === ts.SyntaxKind.FalseKeyword;
}

/** `Promise.resolve()` / `Promise.resolve(undefined)`: an async early exit that hands back nothing. */
function isSettledNothing(node: ts.Node): boolean {
  const n = unwrap(node);
  if (!ts.isCallExpression(n) || callee(n) !== "Promise.resolve") return false;
  const [value] = n.arguments;
  return value === undefined || isNothing(value);
}

function mentions(root: ts.Node, slot: string): boolean {
  let hit = false;
  walk(root, (n) => {
    if (!hit && (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && chain(n) === slot)
      hit = true;
  });
  return hit;
}

/** Assignments `slot = value` in a node. */
function assignmentsTo(root: ts.Node, slot: string): ts.BinaryExpression[] {
  const found: ts.BinaryExpression[] = [];
  walk(root, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken) &&
      chain(n.left) === slot
    )
      found.push(n);
  });
  return found;
}

/** Whether the slot is emptied somewhere outside its fill (`this._cache = null`, `delete this.x`). */
function resetElsewhere(sourceFile: ts.SourceFile, slot: string, fn: ts.Node): boolean {
  let reset = false;
  walk(sourceFile, (n) => {
    if (reset || (n.pos >= fn.pos && n.end <= fn.end)) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      chain(n.left) === slot &&
      isNothing(n.right)
    ) {
      // An assignment in a constructor is an initialisation, not an invalidation.
      if (!ts.isConstructorDeclaration(functionOf(n))) reset = true;
    }
    if (ts.isDeleteExpression(n) && chain(n.expression) === slot) reset = true;
  });
  return reset;
}

/** Slots that hold a timer, a flag or a handle, not a computed value — a weak signal. */
const NOT_MEMO =
  /(timer|timeout|interval|handle|running|busy|flag|started|active|pending|closed|done|ready|connected)/i;

/** Teardown methods and their promises — their run-once guards are lifecycle, not caching. */
const TEARDOWN =
  /^[_#]?(close|closing|destroy|disconnect|shutdown|shuttingDown|quit|stop|stopping|dispose|terminate|teardown|end)(Raw|Promise|ing)?$/i;

/** Whether a function hands the slot out: `return slot` (or the arrow's value). */
function returnsSlot(fn: ts.Node, slot: string): boolean {
  let returns = false;
  walk(fn, (n) => {
    if (ts.isReturnStatement(n) && n.expression !== undefined && mentions(n.expression, slot))
      returns = true;
  });
  return returns;
}

/** Whether a value is computed (a call, an operation) rather than a flag, a timer, a bound handler, a fresh object or an item taken from a queue. */
function computed(value: ts.Node): boolean {
  const v = unwrap(value);
  if (ts.isArrayLiteralExpression(v) || ts.isNewExpression(v)) return false;
  // An object built from computed parts is a computed value; an empty or constant one is state.
  if (ts.isObjectLiteralExpression(v))
    return v.properties.some(
      (p) =>
        ts.isShorthandPropertyAssignment(p) ||
        (ts.isPropertyAssignment(p) && !ts.isLiteralExpression(unwrap(p.initializer))),
    );
  if (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) return false;
  if (ts.isCallExpression(v) && /(^|\.)(bind|shift|pop)$/.test(chain(v.expression) ?? ""))
    return false;
  if (
    ts.isLiteralExpression(v) ||
    v.kind === ts.SyntaxKind.TrueKeyword ||
    v.kind === ts.SyntaxKind.FalseKeyword
  )
    return false;
  if (
    ts.isCallExpression(v) &&
    /(^|\.)(setTimeout|setInterval|setImmediate)$/.test(chain(v.expression) ?? "")
  )
    return false;
  return true;
}

/** Calls that make resources or load modules rather than derive a value. */
const NOT_DERIVING =
  /(^|\.)[_#]?(create|new|make|open|connect|spawn|register|start|import|require|get[A-Z]\w*Instance|bind)(?![a-z])/;

/** Whether a value is the result of a call that derives it (`parse(x)`, `this.compute()`). */
function derivesByCall(value: ts.Node): boolean {
  let v = unwrap(value);
  if (ts.isAwaitExpression(v)) v = unwrap(v.expression);
  if (!ts.isCallExpression(v)) return false;
  // `readFileSync(p).trim()`: a method of a call's result is named by the method.
  const name =
    chain(v.expression) ??
    (ts.isPropertyAccessExpression(v.expression) ? v.expression.name.text : undefined);
  return name !== undefined && !NOT_DERIVING.test(name) && computed(v);
}

/** The initialiser of the local `name` declared in `fn` before `before` (one level: no chains of locals). */
function localValue(fn: ts.Node, name: string, before: number): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  walk(fn, (n) => {
    if (
      n.pos < before &&
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
 * Whether a stored value is derived by a call: directly (`parse(x)`, `await load()`), through a
 * local computed in the same function (`const v = read(); … this.x = v`), or in either branch of a
 * choice (`t ? wrap(t) : ""`, `a ?? compute()`).
 */
function derivedValue(fn: ts.Node, value: ts.Node): boolean {
  const v = unwrap(value);
  if (ts.isIdentifier(v)) {
    const init = localValue(fn, v.text, v.pos);
    return init !== undefined && !ts.isIdentifier(unwrap(init)) && derivedValue(fn, init);
  }
  if (ts.isConditionalExpression(v))
    return derivedValue(fn, v.whenTrue) || derivedValue(fn, v.whenFalse);
  if (
    ts.isBinaryExpression(v) &&
    (v.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      v.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return derivedValue(fn, v.left) || derivedValue(fn, v.right);
  return derivesByCall(v);
}

/** How an `if` tests a slot: present (`slot`, `slot !== undefined`) or absent (`!slot`, `slot == null`). */
interface SlotTest {
  readonly slot: string;
  readonly absent: boolean;
}

/** The slot a condition tests, alone or as one operand of `&&` (`if (ready && !this.#memo)`). */
function slotTests(cond: ts.Node): SlotTest[] {
  const c = unwrap(cond);
  if (ts.isBinaryExpression(c) && c.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    return [...slotTests(c.left), ...slotTests(c.right)];
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) {
    const slot = chain(unwrap(c.operand));
    return slot === undefined ? [] : [{ slot, absent: true }];
  }
  if (ts.isBinaryExpression(c) && isNothing(c.right)) {
    const slot = chain(unwrap(c.left));
    const op = c.operatorToken.kind;
    if (slot === undefined) return [];
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken)
      return [{ slot, absent: true }];
    if (
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken
    )
      return [{ slot, absent: false }];
    return [];
  }
  const slot = chain(c);
  return slot === undefined ? [] : [{ slot, absent: false }];
}

/** Whether a function returns a function (a memoize or once helper keeps its slot in the closure). */
function returnsFunction(fn: ts.Node): boolean {
  if (!isFunctionLike(fn) || fn.body === undefined) return false;
  if (!ts.isBlock(fn.body)) return ts.isArrowFunction(fn.body) || ts.isFunctionExpression(fn.body);
  return fn.body.statements.some(
    (s) =>
      ts.isReturnStatement(s) &&
      s.expression !== undefined &&
      (ts.isArrowFunction(s.expression) || ts.isFunctionExpression(s.expression)),
  );
}

/** The declaration of a slot: a module-level `let` or a class property (`this.x`). */
function slotDeclaration(
  sourceFile: ts.SourceFile,
  slot: string,
  fn: ts.Node,
): ts.Node | undefined {
  if (!slot.includes(".")) {
    for (const st of sourceFile.statements)
      if (
        ts.isVariableStatement(st) &&
        st.declarationList.declarations.length === 1 &&
        st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === slot)
      )
        return st;
    return undefined;
  }
  const field = /^this\.(#?[\w$]+)$/.exec(slot)?.[1];
  const cls = fn.parent;
  if (field === undefined || cls === undefined || !ts.isClassLike(cls)) return undefined;
  return cls.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText() === field);
}

/**
 * Whether a slot is typed as a promise (`let p: Promise<T> | undefined`); a function returning one
 * (`let load: (s: string) => Promise<T>`) is not.
 */
function typedPromise(declaration: ts.Node | undefined): boolean {
  let typed = false;
  if (declaration !== undefined)
    walk(declaration, (n) => {
      if (
        ts.isTypeReferenceNode(n) &&
        n.typeName.getText() === "Promise" &&
        enclosing(n, (c) => ts.isFunctionTypeNode(c) || ts.isConstructorTypeNode(c)) === undefined
      )
        typed = true;
    });
  return typed;
}

/** Whether a value starts asynchronous work: a promise, or a call of an `async` function of the file. */
function startsAsync(facts: FileFacts, value: ts.Node, fn: ts.Node): boolean {
  if (isPromise(value, fn)) return true;
  const v = unwrap(value);
  if (!ts.isCallExpression(v)) return false;
  const name = (chain(v.expression) ?? "").replace(/^this\./, "");
  return facts.functions.some(
    (f) =>
      f.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) === true &&
      functionName(f) === name,
  );
}

/**
 * Whether the slot is emptied in a callback of the function that fills it (`.finally(() => (slot =
 * undefined))`): work in flight shared until it settles (`dedup`), not a result kept.
 */
function emptiedInFlight(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  slot: string,
): boolean {
  return assignmentsTo(fn.body, slot).some((a) => isNothing(a.right) && functionOf(a) !== fn);
}

/**
 * A promise kept once and handed to every caller: `if (!slot) slot = start(); return slot` or
 * `slot ??= start(); return slot`, where `start()` is asynchronous work (not a module load) and
 * the slot is never emptied (emptied when it settles, it is in-flight sharing: `dedup`).
 */
function promiseOnce(
  facts: FileFacts,
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.Statement,
  slot: string,
  fill: ts.BinaryExpression,
): SlotMemo | undefined {
  const sourceFile = facts.sourceFile;
  const value = unwrap(fill.right);
  if (ts.isCallExpression(value) && /^(import|require)$/.test(value.expression.getText()))
    return undefined;
  if (!returnsSlot(fn, slot) || resetElsewhere(sourceFile, slot, fn)) return undefined;
  // A parameter or a local lives for one call: defaulting it (`p ??= defer()`) keeps nothing.
  if (!slot.includes(".") && (isParameterOf(fn, slot) || mentionsDeclaration(fn, slot)))
    return undefined;
  if (emptiedInFlight(fn, slot)) return undefined;
  // `close()` keeping its promise so a second call waits for the same teardown is a run-once
  // guard of a lifecycle, not a cached result.
  if (TEARDOWN.test(functionName(fn) ?? "") || TEARDOWN.test(slot.split(".").pop() ?? slot))
    return undefined;
  const declaration = slotDeclaration(sourceFile, slot, fn);
  if (!startsAsync(facts, value, fn) && !typedPromise(declaration)) return undefined;
  const back = fn.body.statements.find(
    (st) =>
      ts.isReturnStatement(st) && st.expression !== undefined && chain(st.expression) === slot,
  );
  if (back === undefined) return undefined;
  const own = new Set<ts.Node>([
    ...(declaration === undefined ? [] : [declaration]),
    ts.isIfStatement(statement) && inside(fill, statement) ? statement.expression : statement,
    fill.left,
    back,
  ]);
  return {
    slot,
    fn,
    own: [...own].sort((a, b) => a.pos - b.pos),
    why: "the promise of a one-time job is kept and handed to every later caller",
    kind: "promise-cache",
    context: [ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn],
  };
}

/** Whether `node` lies inside `outer`. */
function inside(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

/**
 * The memo an `if` that tests a slot opens, if any: `if (slot) return slot; … slot = compute()`
 * or `if (!slot) { slot = compute() } return slot` (a memo when the slot is emptied elsewhere, kept
 * in a memoizing helper's closure, kept on the object it derives from, or a field filled with the
 * result of real work), or the same with a promise (a one-time job), or a stored last result served
 * when the caller asks for it (`if (cached) return this.info; this.info = await load()`).
 */
function ifMemo(
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
  const fill = assignmentsTo(fn.body, slot).find(
    (a) =>
      !isNothing(a.right) && (absent ? inside(a, statement.thenStatement) : a.pos >= statement.end),
  );
  if (fill === undefined) return undefined;
  if (fill.right.kind === ts.SyntaxKind.TrueKeyword) return flagMemo(fn, statement, test);
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
  if (isPromise(fill.right, fn)) return undefined; // other promises: lazy init or in-flight sharing
  if (emptiedInFlight(fn, slot)) return undefined;
  if (
    !computed(fill.right) ||
    NOT_MEMO.test(slot.split(".").pop() ?? slot) ||
    /promise/i.test(slot)
  )
    return undefined;
  if (!hitReturns && !(absent && returnsSlot(fn, slot))) return undefined;
  const container = slot.startsWith("this.") ? fn : functionOf(fn);
  const closureHelper =
    !slot.includes(".") && returnsFunction(container) && !mentionsDeclaration(fn, slot);
  const reset = resetElsewhere(sourceFile, slot, fn);
  // A value memoised on the object it is derived from (`event.context.x`): a memo per object.
  const perObject = slot.includes(".") && isParameterOf(fn, slot.split(".")[0] ?? "");
  // A field filled on first use with the result of real work (a call that derives, parses or
  // loads it, directly or through a local) and handed out afterwards: a single-value memo. A
  // factory call (`createX()`) makes a resource, not a value; `import()`/`require()` is lazy
  // loading (left out).
  const lazyValue =
    (slot.startsWith("this.") || slot.startsWith("#")) &&
    !ts.isConstructorDeclaration(fn) &&
    derivedValue(fn, fill.right);
  if (!reset && !closureHelper && !perObject && !lazyValue) return undefined;
  const own = new Set<ts.Node>([hitReturns ? statement : statement.expression, topStatement(fill)]);
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
          : "computed on first use and handed out afterwards (a single-value memo)",
    kind: "memoize",
    context: [],
  };
}

/**
 * A value slot guarded by a flag: `if (done) return result; result = compute(); done = true`, or
 * `if (!done) { result = compute(); done = true } return result` — in a memoizing helper's
 * closure or on the object (a field).
 */
function flagMemo(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.IfStatement,
  { slot: flag, absent }: SlotTest,
): SlotMemo | undefined {
  const hit = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements[0]
    : statement.thenStatement;
  let value: string | undefined;
  if (!absent) {
    if (hit === undefined || !ts.isReturnStatement(hit) || hit.expression === undefined)
      return undefined;
    value = chain(unwrap(hit.expression));
  } else {
    const back = fn.body.statements.find(
      (st) => ts.isReturnStatement(st) && st.expression !== undefined && st.pos >= statement.end,
    ) as ts.ReturnStatement | undefined;
    value = back?.expression === undefined ? undefined : chain(unwrap(back.expression));
  }
  if (value === undefined || value === flag || value === "this") return undefined;
  const compute = assignmentsTo(fn.body, value).find(
    (a) =>
      (absent ? inside(a, statement.thenStatement) : a.pos >= statement.end) &&
      computed(a.right) &&
      derivedValue(fn, a.right),
  );
  const raise = assignmentsTo(fn.body, flag).find(
    (a) => a.right.kind === ts.SyntaxKind.TrueKeyword,
  );
  if (compute === undefined || raise === undefined || isPromise(compute.right, fn))
    return undefined;
  const container = value.startsWith("this.") ? fn : functionOf(fn);
  const closureHelper = !value.includes(".") && returnsFunction(container);
  const field = value.startsWith("this.") && flag.startsWith("this.");
  if (!closureHelper && !field) return undefined;
  return {
    slot: value,
    fn,
    own: [...new Set([statement, topStatement(compute), topStatement(raise)])].sort(
      (a, b) => a.pos - b.pos,
    ),
    why: `a flag (\`${flag}\`) records that the value was computed; later calls get the stored value`,
    kind: "memoize",
    context: [],
  };
}

function isParameterOf(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  return fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name);
}

/** `Promise.resolve(x)` → `x`; anything else as is. */
function settledValue(node: ts.Node): ts.Node {
  const n = unwrap(node);
  return ts.isCallExpression(n) && callee(n) === "Promise.resolve" && n.arguments[0] !== undefined
    ? unwrap(n.arguments[0])
    : n;
}

/** Whether `value` is the result a `.then(r => …)` callback receives (`r`), i.e. a loaded value. */
function thenResult(value: ts.Node): boolean {
  const v = unwrap(value);
  if (!ts.isIdentifier(v)) return false;
  for (let c = v.parent; c !== undefined; c = c.parent)
    if (ts.isArrowFunction(c) || ts.isFunctionExpression(c)) {
      const call = c.parent;
      return (
        c.parameters[0]?.name.getText() === v.text &&
        ts.isCallExpression(call) &&
        ts.isPropertyAccessExpression(call.expression) &&
        call.expression.name.text === "then"
      );
    }
  return false;
}

/**
 * A stored last result served when the caller asks for it: `if (cached) return this.info;` on a
 * flag parameter, then the field loaded again (awaited, or in a `.then`) and stored.
 */
function servedOnRequest(
  fn: ts.FunctionLikeDeclaration & { body: ts.Block },
  statement: ts.IfStatement,
): SlotMemo | undefined {
  const hit = ts.isBlock(statement.thenStatement)
    ? statement.thenStatement.statements[0]
    : statement.thenStatement;
  if (hit === undefined || !ts.isReturnStatement(hit) || hit.expression === undefined)
    return undefined;
  const field = chain(settledValue(hit.expression));
  if (field === undefined || !/^this\.[#\w$]+$/.test(field)) return undefined;
  const fill = assignmentsTo(fn.body, field).find(
    (a) =>
      a.pos >= statement.end &&
      (thenResult(a.right) ||
        (ts.isAwaitExpression(unwrap(a.right)) && derivedValue(fn, a.right)) ||
        (ts.isIdentifier(unwrap(a.right)) &&
          ts.isAwaitExpression(unwrap(localValue(fn, unwrap(a.right).getText(), a.pos) ?? a)))),
  );
  if (fill === undefined) return undefined;
  return {
    slot: field,
    fn,
    own: [statement, topStatement(fill)].sort((a, b) => a.pos - b.pos),
    why: "the last loaded result is kept and served when the caller asks for the stored value",
    kind: "cache-aside",
    context: [],
  };
}

/**
 * Single-slot memos of a file: `if (slot) return slot; … slot = compute()` (or `slot ??= …`) in one
 * function, where the slot is emptied elsewhere (an invalidated memo) or lives in the closure of a
 * function that returns a function (a memoize/once helper). Plain lazy initialisation — a field
 * filled once and never emptied — is not reported: the convention leaves it out.
 * @param sourceFile - the parsed file
 * @returns the memos
 */
export function slotMemos(sourceFile: ts.SourceFile): SlotMemo[] {
  const known = slotsByFile.get(sourceFile);
  if (known !== undefined) return known;
  const memos: SlotMemo[] = [];
  slotsByFile.set(sourceFile, memos);
  const facts = factsOf(sourceFile);
  for (const fn of facts.functions) {
    if (fn.body === undefined || !ts.isBlock(fn.body)) continue;
    const body = fn as ts.FunctionLikeDeclaration & { body: ts.Block };
    for (const statement of fn.body.statements) {
      // `slot ??= start(); return slot`
      if (
        ts.isExpressionStatement(statement) &&
        ts.isBinaryExpression(statement.expression) &&
        [ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken].includes(
          statement.expression.operatorToken.kind,
        )
      ) {
        const slot = chain(statement.expression.left);
        const once =
          slot === undefined
            ? undefined
            : promiseOnce(facts, body, statement, slot, statement.expression);
        if (once !== undefined) {
          memos.push(once);
          break;
        }
        continue;
      }
      if (!ts.isIfStatement(statement)) continue;
      const memo = slotTests(statement.expression)
        .map((test) => ifMemo(facts, body, statement, test))
        .find((m) => m !== undefined);
      if (memo !== undefined) {
        memos.push(memo);
        break;
      }
    }
  }
  for (const fn of facts.functions) {
    const memo = lastSeenMemo(sourceFile, fn);
    if (memo !== undefined && !memos.some((m) => m.fn === fn)) memos.push(memo);
  }
  return memos;
}

/** Whether a slot outlives a call: a field (`this.x`, `#x`) or a variable of the module. */
function persistentSlot(sourceFile: ts.SourceFile, slot: string): boolean {
  if (slot.startsWith("this.") || slot.startsWith("#")) return true;
  if (slot.includes(".")) return false;
  return moduleVariable(sourceFile, slot) !== undefined;
}

/**
 * A single-entry "last seen" memo: `if (input === lastInput) return lastResult`, then the result is
 * computed and both kept (`lastInput = input; lastResult = result`). Same input, stored result.
 */
function lastSeenMemo(
  sourceFile: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
): SlotMemo | undefined {
  if (fn.body === undefined || !ts.isBlock(fn.body)) return undefined;
  const params = new Set(
    fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  if (params.size === 0) return undefined;
  const statements = fn.body.statements;
  for (const [i, statement] of statements.entries()) {
    if (!ts.isIfStatement(statement)) continue;
    const cond = unwrap(statement.expression);
    if (
      !ts.isBinaryExpression(cond) ||
      (cond.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken &&
        cond.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsToken)
    )
      continue;
    const sides = [unwrap(cond.left), unwrap(cond.right)];
    const input = sides.find((side) => ts.isIdentifier(side) && params.has(side.text));
    const keySlot = chain(sides.find((side) => side !== input) ?? cond);
    if (input === undefined || keySlot === undefined || !persistentSlot(sourceFile, keySlot))
      continue;
    const hit = ts.isBlock(statement.thenStatement)
      ? statement.thenStatement.statements[0]
      : statement.thenStatement;
    if (hit === undefined || !ts.isReturnStatement(hit) || hit.expression === undefined) continue;
    const valueSlot = chain(unwrap(hit.expression));
    if (valueSlot === undefined || valueSlot === keySlot || !persistentSlot(sourceFile, valueSlot))
      continue;
    const rest = statements.slice(i + 1);
    const keyWrite = rest.find((st) =>
      assignmentsTo(st, keySlot).some(
        (a) => chain(unwrap(a.right)) === (input as ts.Identifier).text,
      ),
    );
    const valueWrite = rest.find((st) => assignmentsTo(st, valueSlot).length > 0);
    if (keyWrite === undefined || valueWrite === undefined) continue;
    // The module variables that hold the entry belong to it when they sit just above the function.
    const start = sourceFile.getLineAndCharacterOfPosition(fn.getStart(sourceFile)).line;
    const holders = [keySlot, valueSlot]
      .map((name) => moduleVariable(sourceFile, name))
      .filter(
        (st): st is ts.VariableStatement =>
          st !== undefined &&
          start - sourceFile.getLineAndCharacterOfPosition(st.end).line <= 8 &&
          st.end <= fn.pos,
      );
    return {
      slot: valueSlot,
      fn,
      own: [...new Set(holders), statement, keyWrite, valueWrite].sort((a, b) => a.pos - b.pos),
      why: `the last input (\`${keySlot}\`) and its result are kept; the same input gets the stored result`,
      kind: "memoize",
      context: [],
    };
  }
  return undefined;
}

function mentionsDeclaration(fn: ts.Node, name: string): boolean {
  let declared = false;
  walk(fn, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name)
      declared = true;
  });
  return declared;
}

/** Keys (`.expires`, `expireAt`) assigned an expiry stamp `clock + ttl` in the file. */
export function expiryKeys(facts: FileFacts): Map<string, ts.Node[]> {
  const keys = new Map<string, ts.Node[]>();
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
    walk(value, (v) => {
      if (
        ts.isBinaryExpression(v) &&
        v.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        (clock(v.left) || clock(v.right))
      )
        found = true;
    });
    return found;
  };
  walk(facts.sourceFile, (n) => {
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
  });
  return keys;
}

/** Whether a comparison sets the clock against a stored stamp or expiry (`now < this.expires`, `now - e.at > ttl`). */
function stampCheck(
  facts: FileFacts,
  expiries: Map<string, ts.Node[]>,
  node: ts.BinaryExpression,
): string | undefined {
  if (!isOrdering(node.operatorToken.kind)) return undefined;
  const clockish = (n: ts.Node): boolean => isClockish(facts, n);
  const keyOf = (n: ts.Node): string | undefined => {
    const k = markKey(n);
    return k === undefined ? undefined : k.startsWith(".") ? k : `.${k}`;
  };
  for (const [a, b] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    if (clockish(a)) {
      const k = keyOf(b);
      if (k !== undefined && expiries.has(k)) return k;
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

/** What a stamp check guards: reuse of a stored value, removal of an entry, or a validity answer. */
function guardsReuse(check: ts.Node, expiry: boolean): boolean {
  for (let c = check.parent; c !== undefined; c = c.parent) {
    // A validity answer (`return Date.now() < this.#expires`) judges a stored expiry only.
    if (ts.isReturnStatement(c) || (ts.isArrowFunction(c) && c.body === check)) return expiry;
    if (ts.isIfStatement(c) || ts.isConditionalExpression(c)) {
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
    // `const shouldRefresh = … || Date.now() > this.expireAt`, then `if (shouldRefresh) …`.
    if (ts.isVariableDeclaration(c)) return expiry;
    if (isFunctionLike(c) || ts.isBlock(c)) return false;
  }
  return false;
}

/**
 * Single-slot caches: a memo kept in one field or closure variable (emptied elsewhere, or inside a
 * memoizing helper), and expiry by hand — a stamp `clock + ttl` (or a stored time) written by the
 * code and compared with the clock where a stored value is reused, removed or judged valid.
 */
export const singleSlotDetector: Detector = {
  id: "caching/single-slot",
  category: "caching",
  kinds: ["ttl-cache", "promise-cache", "memoize"],
  prefilter: /=/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    for (const memo of slotMemos(sourceFile))
      detections.push({
        kind: memo.kind,
        confidence: 0.8,
        nodes: memo.own,
        context: memo.context,
        evidence: [`\`${memo.slot}\` returned when set, computed and stored otherwise`, memo.why],
        name: memo.slot,
      });
    const expiries = expiryKeys(facts);
    const byFunction = new Map<ts.Node, { keys: Set<string>; nodes: Set<ts.Node> }>();
    for (const b of facts.binaries) {
      const key = stampCheck(facts, expiries, b);
      if (key === undefined || !guardsReuse(b, expiries.has(key))) continue;
      const fn = functionOf(b);
      let entry = byFunction.get(fn);
      if (entry === undefined) byFunction.set(fn, (entry = { keys: new Set(), nodes: new Set() }));
      entry.keys.add(key);
      entry.nodes.add(topStatement(b));
    }
    for (const [fn, { keys, nodes }] of byFunction) {
      // The stamp belongs to the construct when it is written in the same function.
      for (const k of keys)
        for (const stamp of expiries.get(k) ?? facts.marks.get(k) ?? [])
          if (functionOf(stamp) === fn) nodes.add(stamp);
      detections.push({
        kind: "ttl-cache",
        confidence: 0.8,
        nodes: [...nodes].sort((a, b) => a.pos - b.pos),
        evidence: [
          `stamp ${[...keys].map((k) => `\`${k.replace(/^\./, "")}\``).join(", ")} written from the clock`,
          "compared with the clock where the stored value is reused or dropped",
        ],
      });
    }
    return detections;
  },
};
