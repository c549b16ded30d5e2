import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, topStatement, walk, walkKinds } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, isArithmetic, unwrap } from "../file-facts.js";

/** Names of sequences, cursors and protocol state — a weak signal that a `++` is not a metric. */
const NOT_METRIC =
  /(^complete|^done|progress|finished|^id$|Id$|_id$|ids?$|seq|sequence|index|idx|cursor|epoch|generation|attempt|retr|redirect|round|^next|offset|^pos$|position|depth|level|ptr|^i$|^j$|^k$|^n$|pending|inflight|inFlight|running|active|waiting|remaining|outstanding|refs?$|refCount|nesting|version|correlation|budget|quota|limit)/i;

/** Where a counter lives: a variable, a property of some receiver, or a keyed slot of an object. */
interface Slot {
  readonly key: string;
  readonly name: string;
  /** The class, function or file its uses are searched in. */
  readonly scope: ts.Node;
  /** For `obj.count`, `obj[k]`: the receiver's text (`this`, `stats`, `this.stats`). */
  readonly receiver?: string;
  readonly declaration?: ts.Node;
  readonly increments: ts.Node[];
}

/** Per file: the locals that hold `this` (`var self = this`, `const resultSet = this`). */
const aliasesOfThis = new WeakMap<ts.SourceFile, Set<string>>();

function thisAliases(file: ts.SourceFile): Set<string> {
  let names = aliasesOfThis.get(file);
  if (names === undefined) {
    const found = new Set<string>();
    walkKinds(file, [ts.SyntaxKind.VariableDeclaration], (d) => {
      if (
        ts.isVariableDeclaration(d) &&
        ts.isIdentifier(d.name) &&
        d.initializer !== undefined &&
        unwrap(d.initializer).kind === ts.SyntaxKind.ThisKeyword
      )
        found.add(d.name.text);
    });
    aliasesOfThis.set(file, (names = found));
  }
  return names;
}

/** A receiver's chain, with a local that holds `this` read as `this` (`self.count` → `this.count`). */
function receiverChain(node: ts.Node): string | undefined {
  const text = chain(node);
  if (text === undefined) return undefined;
  const root = text.split(".")[0] ?? text;
  return root !== "this" && thisAliases(node.getSourceFile()).has(root)
    ? `this${text.slice(root.length)}`
    : text;
}

function scopeOf(node: ts.Node, receiver: string | undefined): ts.Node {
  for (let c = node.parent; c !== undefined; c = c.parent) {
    if (receiver?.startsWith("this") === true) {
      if (ts.isClassDeclaration(c) || ts.isClassExpression(c)) return c;
    } else if (receiver === undefined && ts.isSourceFile(c)) return c;
  }
  return node.getSourceFile();
}

/** The declaration `let x = 0` of an identifier, searched in the functions around it. */
function zeroDeclaration(
  id: ts.Identifier,
): { declaration: ts.VariableDeclaration; scope: ts.Node } | undefined {
  for (let c: ts.Node | undefined = id.parent; c !== undefined; c = c.parent) {
    if (!isFunctionLike(c) && !ts.isSourceFile(c)) continue;
    let found: ts.VariableDeclaration | undefined;
    const body = ts.isSourceFile(c) ? c : c.body;
    if (body === undefined) continue;
    walk(body, (n) => {
      if (
        found === undefined &&
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        n.name.text === id.text
      )
        found = n;
    });
    if (found !== undefined) {
      const init = found.initializer === undefined ? undefined : unwrap(found.initializer);
      if (init === undefined || !ts.isNumericLiteral(init) || init.text !== "0") return undefined;
      if (ts.isForStatement(found.parent.parent)) return undefined;
      return { declaration: found, scope: c };
    }
  }
  return undefined;
}

/** `x || 0`, `x ?? 0`, `(x)`: the expression read with a zero default, else undefined. */
function zeroDefaulted(node: ts.Expression): ts.Node | undefined {
  const n = unwrap(node);
  if (
    !ts.isBinaryExpression(n) ||
    (n.operatorToken.kind !== ts.SyntaxKind.BarBarToken &&
      n.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken)
  )
    return undefined;
  const zero = unwrap(n.right);
  return ts.isNumericLiteral(zero) && zero.text === "0" ? unwrap(n.left) : undefined;
}

/**
 * A keyed tally raised from its own value defaulted to zero: `o[k] = (o[k] || 0) + n` (the
 * element read) and `m.set(k, (m.get(k) ?? 0) + n)` (the `set` call). The store and the key must
 * be the same expressions on both sides; a number or a count is added, never text.
 */
function keyedSelfAdd(node: ts.Node): ts.Expression | undefined {
  let target: ts.Expression | undefined;
  let sum: ts.Expression | undefined;
  let read = (_: ts.Node): boolean => false;
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isElementAccessExpression(unwrap(node.left))
  ) {
    const left = node.left;
    target = left;
    sum = node.right;
    read = (e) => e.getText() === left.getText();
  } else if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === "set" &&
    node.arguments.length === 2
  ) {
    const store = node.expression.expression.getText();
    const key = (node.arguments[0] as ts.Expression).getText();
    target = node;
    sum = node.arguments[1];
    read = (e) =>
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      e.expression.name.text === "get" &&
      e.expression.expression.getText() === store &&
      e.arguments.length === 1 &&
      (e.arguments[0] as ts.Expression).getText() === key;
  }
  if (target === undefined || sum === undefined) return undefined;
  const t = unwrap(target);
  const key = ts.isElementAccessExpression(t)
    ? t.argumentExpression
    : ts.isCallExpression(t)
      ? t.arguments[0]
      : undefined;
  if (key !== undefined && walkedKey(node, key)) return undefined;
  const s = unwrap(sum);
  if (!ts.isBinaryExpression(s) || s.operatorToken.kind !== ts.SyntaxKind.PlusToken)
    return undefined;
  const own = zeroDefaulted(s.left);
  if (own === undefined || !read(own)) return undefined;
  const added = unwrap(s.right);
  if (ts.isStringLiteralLike(added) || ts.isTemplateExpression(added)) return undefined;
  return target;
}

/**
 * Whether a key is a variable its function moves (`node = Math.floor(node / 2)`, `i++`): a walk
 * over an array or a tree (a segment tree's sums), not a tally by name.
 */
function walkedKey(at: ts.Node, key: ts.Expression): boolean {
  const k = unwrap(key);
  if (!ts.isIdentifier(k)) return false;
  let fn: ts.Node | undefined = at.parent;
  while (fn !== undefined && !isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  if (fn === undefined) return false;
  let moved = false;
  walk(fn, (n) => {
    if (moved) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      ts.isIdentifier(unwrap(n.left)) &&
      unwrap(n.left).getText() === k.text
    )
      moved = true;
    else if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken ||
        n.operator === ts.SyntaxKind.MinusMinusToken) &&
      ts.isIdentifier(unwrap(n.operand)) &&
      unwrap(n.operand).getText() === k.text
    )
      moved = true;
  });
  return moved;
}

function isIncrement(node: ts.Node): ts.Expression | undefined {
  const keyed = keyedSelfAdd(node);
  if (keyed !== undefined) return keyed;
  if (
    (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
    node.operator === ts.SyntaxKind.PlusPlusToken
  )
    return node.operand;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) {
    const right = unwrap(node.right);
    // Numbers are added; strings are appended (a call's result may be either: not counted).
    let text = false;
    walk(right, (n) => {
      if (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) text = true;
    });
    if (text) return undefined;
    // (`Buffer.byteLength(text)` is a number.)
    if (
      ts.isCallExpression(right) &&
      !/^Math\./.test(callee(right) ?? "") &&
      !/(^|\.)byteLength$/.test(callee(right) ?? "")
    )
      return undefined;
    return node.left;
  }
  return undefined;
}

/**
 * Whether a counter's object lives only as long as the call that increments it: a parameter or a
 * local of that call (a reduce accumulator, a result being summed). A metric outlives the call.
 */
function transient(node: ts.Node, receiver: string): boolean {
  const root = receiver.split(".")[0] ?? receiver;
  if (root === "this") return false;
  const fn = runsIn(node);
  if (ts.isSourceFile(fn)) return false;
  let local = false;
  walk(fn, (n) => {
    if (
      (ts.isVariableDeclaration(n) || ts.isParameter(n)) &&
      n.name.getText() === root &&
      runsIn(n) === fn
    )
      local = true;
  });
  return local;
}

/** The slot an increment target names. */
function slotOf(target: ts.Expression): Omit<Slot, "increments"> | undefined {
  const t = unwrap(target);
  if (ts.isIdentifier(t)) {
    const found = zeroDeclaration(t);
    if (found === undefined) return undefined;
    return {
      key: `${t.text}@${found.scope.pos}`,
      name: t.text,
      scope: found.scope,
      declaration: found.declaration,
    };
  }
  if (ts.isPropertyAccessExpression(t)) {
    const receiver = receiverChain(t.expression);
    if (receiver === undefined || transient(t, receiver)) return undefined;
    const scope = scopeOf(t, receiver);
    return { key: `${receiver}.${t.name.text}@${scope.pos}`, name: t.name.text, scope, receiver };
  }
  if (ts.isCallExpression(t) && ts.isPropertyAccessExpression(t.expression)) {
    // `m.set(k, (m.get(k) ?? 0) + 1)`: a keyed slot of the map `m`.
    const receiver = receiverChain(t.expression.expression);
    if (receiver === undefined || transient(t, receiver)) return undefined;
    return keyedSlot(t, receiver);
  }
  if (ts.isElementAccessExpression(t)) {
    // `counts[k]`, `stats[name].count`; `stack[stack.length - 1]++` is the top of a stack (state
    // of a walk), not a tally by key.
    let stackTop = false;
    walk(t.argumentExpression, (n) => {
      if (ts.isPropertyAccessExpression(n) && n.name.text === "length") stackTop = true;
    });
    if (stackTop) return undefined;
    const receiver = receiverChain(t.expression);
    if (receiver === undefined || transient(t, receiver)) return undefined;
    return keyedSlot(t, receiver);
  }
  return undefined;
}

/** A slot of the map or record `receiver` by key (`m.set(k, …)`, `counts[k]`): one tally per key. */
function keyedSlot(t: ts.Node, receiver: string): Omit<Slot, "increments"> {
  const scope = scopeOf(t, receiver);
  return {
    key: `${receiver}[]@${scope.pos}`,
    name: receiver.split(".").pop() ?? receiver,
    scope,
    receiver: `${receiver}[]`,
  };
}

/** Whether `node` refers to the slot. */
function refersTo(node: ts.Node, slot: Slot): boolean {
  if (slot.receiver === undefined)
    return (
      ts.isIdentifier(node) &&
      node.text === slot.name &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)
    );
  if (slot.receiver.endsWith("[]"))
    return (
      (ts.isElementAccessExpression(node) &&
        receiverChain(node.expression) === slot.receiver.slice(0, -2)) ||
      // `m.get(k)`, `m.set(k, v)` of a map tallied by key.
      (slot.increments.some((i) => ts.isCallExpression(i)) &&
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        (node.expression.name.text === "get" || node.expression.name.text === "set") &&
        receiverChain(node.expression.expression) === slot.receiver.slice(0, -2))
    );
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === slot.name &&
    receiverChain(node.expression) === slot.receiver
  );
}

/** Byte and size sums belong to size accounting, not to counters. */
const SIZE = /(bytes|size|length|len$|amount)/i;

type Verdict = "report" | "compare" | "bad" | "neutral";

const REPORTING_CALL = /^(Math\.(round|floor|ceil|max|min)|Number|String)$/;

/** The outermost of the parentheses around an expression (`(n += 1)` → the parenthesised one). */
function unwrapUp(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent !== undefined && ts.isParenthesizedExpression(current.parent))
    current = current.parent;
  return current;
}

/** Whether an expression is the step of a `for` loop (`for (…; …; i += 2)`). */
function isForIncrementor(node: ts.Node): boolean {
  return (
    node.parent !== undefined && ts.isForStatement(node.parent) && node.parent.incrementor === node
  );
}

/** What a read of the counter does with its value. */
function useOf(ref: ts.Node): Verdict {
  let current = ref;
  // The value of `x++` used as an expression: a sequence number when it is stored or returned.
  let handedOut = false;
  for (let step = 0; step < 8; step++) {
    const parent = current.parent;
    if (parent === undefined) return "neutral";
    // `{ order: this.#order++ }`, `const id = next++`, `return seq++`: ids handed out, not tallies.
    if (
      handedOut &&
      (ts.isPropertyAssignment(parent) ||
        // `` `param${++n}` `` returned: a fresh number made part of a name (printed, it counts).
        (ts.isTemplateSpan(parent) &&
          parent.parent.parent !== undefined &&
          !ts.isCallExpression(parent.parent.parent)) ||
        // `order.push(calls++)`: a number handed to a call as it is made.
        (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) ||
        ts.isVariableDeclaration(parent) ||
        ts.isReturnStatement(parent) ||
        ts.isArrayLiteralExpression(parent) ||
        (ts.isBinaryExpression(parent) &&
          parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          parent.right === current))
    )
      return "bad";
    if (
      (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
      parent.operand === current
    ) {
      if (parent.operator === ts.SyntaxKind.MinusMinusToken) return "bad";
      if (parent.operator === ts.SyntaxKind.PlusPlusToken) {
        // `x++;` counts; `id = x++` hands out a sequence number (unless it is printed).
        const holder = parent.parent;
        if (
          ts.isExpressionStatement(holder) ||
          (ts.isForStatement(holder) && holder.incrementor === parent)
        )
          return ts.isForStatement(holder) ? "bad" : "neutral";
        if (ts.isArrowFunction(holder) && holder.body === parent) return "neutral";
        handedOut = true;
        current = parent;
        continue;
      }
      current = parent;
      continue;
    }
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isAsExpression(parent)
    ) {
      current = parent;
      continue;
    }
    // A number raised as it is used goes on to where its value goes: `f(on ? n++ : port)` hands
    // the raised number to `f`, `x = (w * ++n) / ++total` works a position out of it.
    if (handedOut && ts.isConditionalExpression(parent) && parent.condition !== current) {
      current = parent;
      continue;
    }
    if (ts.isElementAccessExpression(parent) && parent.argumentExpression === current) return "bad";
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
      // `stats[name].count`: the read goes on through the property.
      current = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.PercentToken || op === ts.SyntaxKind.MinusEqualsToken) return "bad";
      if (op === ts.SyntaxKind.PlusEqualsToken) {
        if (parent.left !== current) return "report";
        // `packet.id(n += 1)`: the raised number itself is handed out (a sequence), unless the
        // statement only raises it.
        const holder = unwrapUp(parent);
        if (
          ts.isExpressionStatement(holder.parent) ||
          isForIncrementor(holder) ||
          (ts.isArrowFunction(holder.parent) && holder.parent.body === holder)
        )
          return "neutral";
        handedOut = true;
        current = holder;
        continue;
      }
      if (op === ts.SyntaxKind.EqualsToken) {
        if (parent.left === current) {
          const right = unwrap(parent.right);
          if (ts.isNumericLiteral(right) && right.text === "0") return "neutral";
          // `x = x + 1`, `x = (x || 0) + 1`
          if (ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.PlusToken)
            return "neutral";
          return "bad";
        }
        return "report";
      }
      if (
        op === ts.SyntaxKind.LessThanToken ||
        op === ts.SyntaxKind.GreaterThanToken ||
        op === ts.SyntaxKind.LessThanEqualsToken ||
        op === ts.SyntaxKind.GreaterThanEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsToken
      ) {
        const other = unwrap(parent.left === current ? parent.right : parent.left);
        // `if (o[k] === undefined) o[k] = 0`: a presence check before the first count.
        if (
          (other.kind === ts.SyntaxKind.NullKeyword ||
            (ts.isIdentifier(other) && other.text === "undefined")) &&
          zeroingTest(parent, current)
        )
          return "neutral";
        return ts.isNumericLiteral(other) && other.text === "0" ? "neutral" : "compare";
      }
      current = parent;
      continue;
    }
    if (ts.isConditionalExpression(parent))
      return parent.condition === current ? "neutral" : "report";
    if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent))
      return "neutral";
    if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)
      return "neutral";
    if (ts.isCallExpression(parent)) {
      if (parent.expression === current) return "neutral";
      const name = callee(parent) ?? "";
      if (REPORTING_CALL.test(name)) {
        current = parent;
        continue;
      }
      if (/(^|\.)(setTimeout|setInterval)$/.test(name)) return "bad";
      return "report";
    }
    if (
      ts.isTemplateSpan(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isShorthandPropertyAssignment(parent) ||
      ts.isReturnStatement(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isSpreadAssignment(parent) ||
      (ts.isArrowFunction(parent) && parent.body === current)
    )
      return "report";
    if (ts.isVariableDeclaration(parent)) return "report";
    return "neutral";
  }
  return "neutral";
}

interface Counter {
  readonly slot: Slot;
  readonly statements: ts.Node[];
  readonly compared: boolean;
  readonly inResult: boolean;
  /** A public field read only by code outside its class. */
  readonly outside: boolean;
  /** The reads that report the value (logged, returned, put in a result). */
  readonly reports: readonly ts.Node[];
  /** The resets to 0. */
  readonly resets: readonly ts.Node[];
  /** `x--;` of a gauge (work in flight). */
  readonly downs: readonly ts.Node[];
}

/** Whether the receiver object of a property counter is itself reported (returned, passed, spread). */
function receiverReported(slot: Slot): boolean {
  if (slot.receiver === undefined || slot.receiver.startsWith("this")) return false;
  const base = slot.receiver.replace(/\[\]$/, "");
  let reported = false;
  walk(slot.scope, (node) => {
    if (reported || chain(node) !== base) return;
    if (ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) return;
    if (ts.isElementAccessExpression(node.parent) && node.parent.expression === node) return;
    const verdict = useOf(node);
    if (verdict === "report") reported = true;
  });
  return reported;
}

/**
 * Whether a store tallied by key is read out whole: iterated, spread, handed to a call, returned,
 * kept in a local or a record (`for (const [k, n] of this.counts)`, `{ ...this.state.byCode }`,
 * `const out = this._outcomes; this._outcomes = {}; return out;`). Its per-key reads are counted
 * by `useOf`; this is how a keyed tally reaches a report without one.
 */
function storeReported(slot: Slot): boolean {
  if (slot.receiver?.endsWith("[]") !== true) return false;
  const base = slot.receiver.slice(0, -2);
  let reported = false;
  walk(slot.scope, (node) => {
    if (reported || !(ts.isPropertyAccessExpression(node) || ts.isIdentifier(node))) return;
    if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) return;
    if (receiverChain(node) !== base) return;
    const parent = unwrapUp(node).parent;
    const held = unwrapUp(node);
    if (parent === undefined) return;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === held) {
      // `m.entries()`, `m.forEach(…)`: read out; `m.get(k)`, `m.clear()`: not whole.
      reported =
        /^(entries|keys|values|forEach)$/.test(parent.name.text) &&
        ts.isCallExpression(parent.parent) &&
        parent.parent.expression === parent;
      return;
    }
    reported =
      ((ts.isForOfStatement(parent) || ts.isForInStatement(parent)) &&
        parent.expression === held) ||
      ts.isSpreadElement(parent) ||
      ts.isSpreadAssignment(parent) ||
      (ts.isCallExpression(parent) && parent.arguments.includes(held as ts.Expression)) ||
      ts.isReturnStatement(parent) ||
      (ts.isVariableDeclaration(parent) && parent.initializer === held) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === held) ||
      ts.isShorthandPropertyAssignment(parent);
  });
  return reported;
}

/** Whether a keyed tally's read is taken down (`m.set(k, m.get(k) - 1)`): a reference count. */
function takenDown(ref: ts.Node): boolean {
  let c = ref;
  while (
    c.parent !== undefined &&
    (ts.isParenthesizedExpression(c.parent) ||
      (ts.isBinaryExpression(c.parent) &&
        (c.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
          c.parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
        c.parent.left === c))
  )
    c = c.parent;
  return (
    ts.isBinaryExpression(c.parent) &&
    c.parent.operatorToken.kind === ts.SyntaxKind.MinusToken &&
    c.parent.left === c
  );
}

/** Callbacks of these run within the call that passes them (iteration, not events). */
const ITERATION =
  /(^|\.)(forEach|map|filter|reduce|reduceRight|some|every|find|findIndex|flatMap|sort|each\w*|for\w+|walk\w*|visit\w*|traverse\w*|replace\w*)$/;

/** The name a nested function is called by: `function walk() {}`, `const walk = () => {}`. */
function nestedName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  const holder = fn.parent;
  if (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    holder !== undefined &&
    ts.isVariableDeclaration(holder) &&
    ts.isIdentifier(holder.name)
  )
    return holder.name.text;
  return undefined;
}

/**
 * Whether a function declared inside another one only runs while its outer call runs: every use of
 * its name there is a direct call, a recursive call, or a callback of an iteration method.
 */
const helperVerdicts = new WeakMap<ts.Node, boolean>();

function helperOfCall(fn: ts.Node): boolean {
  const known = helperVerdicts.get(fn);
  if (known !== undefined) return known;
  const verdict = helperWalk(fn);
  helperVerdicts.set(fn, verdict);
  return verdict;
}

function helperWalk(fn: ts.Node): boolean {
  const name = nestedName(fn);
  if (name === undefined) return false;
  let outer: ts.Node | undefined = fn.parent;
  while (outer !== undefined && !isFunctionLike(outer)) outer = outer.parent;
  if (outer === undefined) return false;
  let escapes = false;
  walk(outer, (n) => {
    if (escapes || !ts.isIdentifier(n) || n.text !== name) return;
    const p = n.parent;
    if (p === undefined) return;
    if (ts.isFunctionDeclaration(p) || ts.isVariableDeclaration(p)) return;
    if (ts.isCallExpression(p) && p.expression === n) return;
    if (ts.isCallExpression(p) && iterates(p)) return;
    escapes = true;
  });
  return !escapes;
}

/**
 * The function (or file) a node runs in; callbacks of iteration methods and helpers nested in a
 * function (called only from it) run in their caller.
 */
function runsIn(node: ts.Node): ts.Node {
  for (let c = node.parent; c !== undefined; c = c.parent) {
    if (ts.isSourceFile(c)) return c;
    if (isFunctionLike(c) && !runsInline(c)) return c;
  }
  return node.getSourceFile();
}

/**
 * Whether a function runs within the call of the one around it: the callback of an iteration
 * method, or a helper nested there and only called.
 */
function runsInline(fn: ts.Node): boolean {
  const call = fn.parent;
  return (
    (call !== undefined &&
      ts.isCallExpression(call) &&
      call.arguments.includes(fn as ts.Expression) &&
      iterates(call)) ||
    helperOfCall(fn)
  );
}

/**
 * Whether a call runs its callback at once, judged by the method's own name — also on a receiver
 * that is itself a call (`Object.keys(data).map(cb)`, `text.replace(re, cb)`).
 */
function iterates(call: ts.CallExpression): boolean {
  const e = call.expression;
  const method = ts.isPropertyAccessExpression(e)
    ? e.name.text
    : ts.isIdentifier(e)
      ? e.text
      : undefined;
  return method !== undefined && ITERATION.test(method);
}

/**
 * Whether a node runs within one call of `scope` (the function declaring a local tally): every
 * function between them is an iteration callback or a helper nested there and only called.
 */
function withinCallOf(node: ts.Node, scope: ts.Node): boolean {
  for (let c = node.parent; c !== undefined && c !== scope; c = c.parent) {
    if (isFunctionLike(c) && !runsInline(c)) return false;
  }
  return true;
}

/** Sizes and counts a metric adds up: `chunk.length`, `buf.byteLength`, `batch.size`, `res.count`. */
const MEASURED = /^(length|byteLength|size|count|bytes\w*)$/;

/**
 * Whether an increment adds a quantity of the domain rather than counting events or measuring
 * sizes: a product or quotient (`price * quantity`), or a field of the data that is no size
 * (`order.amount`, `line.weight`). A total of such values is the program's data (a sum), not a
 * metric.
 */
function domainSum(increment: ts.Node): boolean {
  if (!ts.isBinaryExpression(increment)) return false;
  let added = unwrap(increment.right);
  // `json.added ?? 0`: the field, defaulted.
  if (
    ts.isBinaryExpression(added) &&
    (added.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      added.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
    ts.isNumericLiteral(unwrap(added.right))
  )
    added = unwrap(added.left);
  if (
    ts.isBinaryExpression(added) &&
    (added.operatorToken.kind === ts.SyntaxKind.AsteriskToken ||
      added.operatorToken.kind === ts.SyntaxKind.SlashToken) &&
    !ts.isNumericLiteral(unwrap(added.left)) &&
    !ts.isNumericLiteral(unwrap(added.right))
  )
    return true;
  return ts.isPropertyAccessExpression(added) && !MEASURED.test(added.name.text);
}

/**
 * Whether a read copies the value into a local right before the increment (`const id = count;
 * count += 1;`): a sequence handing out numbers, written in two statements.
 */
/** Whether a read is spliced into a string (`table + "_" + this.checksCount`, a template). */
function namedAfter(ref: ts.Node): boolean {
  let top: ts.Node = ref;
  while (
    top.parent !== undefined &&
    ts.isBinaryExpression(top.parent) &&
    top.parent.operatorToken.kind === ts.SyntaxKind.PlusToken
  )
    top = top.parent;
  let text = false;
  // Printed (`log("count: " + n)`), it is still a count.
  if (top !== ref && !(top.parent !== undefined && ts.isCallExpression(top.parent)))
    walk(top, (n) => {
      if (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) text = true;
    });
  return text || (ts.isTemplateSpan(ref.parent) && !ts.isCallExpression(ref.parent.parent.parent));
}

function takenThenBumped(ref: ts.Node, slot: Slot): boolean {
  const holder = ref.parent;
  // `const id = count`, or `s.sid = this.sidCounter` (bumped just before: `this.sidCounter++`).
  const copied =
    holder !== undefined &&
    ((ts.isVariableDeclaration(holder) && holder.initializer === ref) ||
      (ts.isBinaryExpression(holder) &&
        holder.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        holder.right === ref &&
        ts.isExpressionStatement(holder.parent)));
  if (!copied && !namedAfter(ref)) return false;
  const statement = topStatement(holder ?? ref);
  const block = statement.parent;
  if (block === undefined || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
  const at = block.statements.indexOf(statement as ts.Statement);
  return [block.statements[at + 1], block.statements[at - 1]].some(
    (next) => next !== undefined && slot.increments.some((inc) => topStatement(inc) === next),
  );
}

/**
 * Whether an increment is a step of a fluent builder: it adds a value made from the method's
 * input (`this._days += value`, `value = +days`) in a method that hands back `this`. The fields
 * are the value being built, not tallies.
 */
function builderStep(increment: ts.Node): boolean {
  if (!ts.isBinaryExpression(increment)) return false;
  let fn: ts.Node | undefined = increment.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  if (fn === undefined || !isFunctionLike(fn) || fn.body === undefined || !ts.isBlock(fn.body))
    return false;
  const last = fn.body.statements[fn.body.statements.length - 1];
  if (
    last === undefined ||
    !ts.isReturnStatement(last) ||
    last.expression?.kind !== ts.SyntaxKind.ThisKeyword
  )
    return false;
  const inputs = new Set(
    fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  // Locals made from a parameter (`const value = +months`).
  for (const st of fn.body.statements)
    if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer !== undefined) {
          let fromInput = false;
          walk(d.initializer, (m) => {
            if (ts.isIdentifier(m) && inputs.has(m.text)) fromInput = true;
          });
          if (fromInput) inputs.add(d.name.text);
        }
  let added = false;
  walk(increment.right, (m) => {
    if (ts.isIdentifier(m) && inputs.has(m.text)) added = true;
  });
  return added;
}

/** Whether an increment adds a size: `+= chunk.length`, `+= buf.byteLength`. */
function addsSize(increment: ts.Node): boolean {
  if (!ts.isBinaryExpression(increment)) return false;
  const added = unwrap(increment.right);
  return ts.isPropertyAccessExpression(added) && /^(length|byteLength)$/.test(added.name.text);
}

function judge(slot: Slot): Counter | undefined {
  // (work in flight is a gauge when it behaves as one: checked below)
  const inFlight = /(inflight|inFlight|running|active|pending|outstanding|waiting)/i.test(
    slot.name,
  );
  if (NOT_METRIC.test(slot.name) && !inFlight) return undefined;
  // A tally of bytes seen (`this.bytesRead += chunk.length`) is a metric when it is only ever
  // reported into a record or an event (below); other sizes and lengths are size accounting's.
  const sized = SIZE.test(slot.name);
  if (sized && (!/bytes/i.test(slot.name) || /(size|length|len$|amount)/i.test(slot.name)))
    return undefined;
  if (slot.increments.every(domainSum)) return undefined;
  if (slot.increments.every(builderStep)) return undefined;
  // A local tally computed within one call is arithmetic, not a metric: a counter outlives the
  // call that increments it (module or closure state, an object's field).
  if (
    slot.receiver === undefined &&
    !ts.isSourceFile(slot.scope) &&
    slot.increments.every((inc) => withinCallOf(inc, slot.scope))
  )
    return undefined;
  // A local total of lengths (`nread += chunk.length`) is the size of data gathered in that
  // function (handed to a concatenation or a length check): size accounting's business, if any.
  if (
    slot.receiver === undefined &&
    !ts.isSourceFile(slot.scope) &&
    slot.increments.some((inc) => addsSize(inc))
  )
    return undefined;
  let report = false;
  let compared = false;
  let inResult = false;
  let bad = false;
  const refs: ts.Node[] = [];
  const reports: ts.Node[] = [];
  const resets: ts.Node[] = [];
  const downs: ts.Node[] = [];
  // The store's own read inside a keyed self-add (`(m.get(k) ?? 0) + 1`) is the increment's.
  const selfAdds = slot.increments.filter((i) => keyedSelfAdd(i) !== undefined);
  walk(slot.scope, (node) => {
    if (bad || !refersTo(node, slot)) return;
    if (
      selfAdds.some(
        (i) =>
          i.pos <= node.pos &&
          node.end <= i.end &&
          !(ts.isBinaryExpression(i) && unwrap(i.left) === node),
      )
    )
      return;
    // A map's entry written with anything but its own value raised (`m.set(k, count - 1)`,
    // `m.set(k, 0)` aside): not only counted.
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "set"
    ) {
      if (selfAdds.includes(node)) return;
      const value = node.arguments[1] === undefined ? undefined : unwrap(node.arguments[1]);
      if (!(value !== undefined && ts.isNumericLiteral(value) && value.text === "0")) bad = true;
      return;
    }
    // `inflight--;` beside `inflight++;`: a gauge taken down again, judged below.
    if (selfAdds.length === 0 && steppedByOne(node, ts.SyntaxKind.MinusMinusToken)) {
      downs.push(node);
      return;
    }
    refs.push(node);
    if (selfAdds.length > 0 && takenDown(node)) {
      bad = true;
      return;
    }
    const verdict = takenThenBumped(node, slot) ? "bad" : useOf(node);
    if (isReset(node)) resets.push(node);
    if (verdict === "bad") bad = true;
    else if (verdict === "compare") compared = true;
    // (Not the declaration's own name: `let count = 0` declares, it reports nothing.)
    else if (
      verdict === "report" &&
      !(ts.isVariableDeclaration(node.parent) && node.parent.name === node)
    ) {
      report = true;
      reports.push(node);
      const p = node.parent;
      if (
        ts.isPropertyAssignment(p) ||
        ts.isShorthandPropertyAssignment(p) ||
        ts.isReturnStatement(p)
      )
        inResult = true;
    }
  });
  if (bad) return undefined;
  // A gauge (requests in flight: raised when one starts, lowered when it ends) is a metric only
  // when nothing decides on it: every other read hands its value out (an accessor, a record).
  // Counts that gate the work — a pending count tested for zero, a slot count against a limit —
  // are the program's bookkeeping (round-12 judges).
  if (
    (downs.length > 0 || inFlight) &&
    (slot.receiver === undefined ||
      downs.length === 0 ||
      !refs.every(
        (r) =>
          steppedByOne(r, ts.SyntaxKind.PlusPlusToken) ||
          isReset(r) ||
          (ts.isVariableDeclaration(r.parent) && r.parent.name === r) ||
          handedOut(r),
      ) ||
      !refs.some((r) => handedOut(r)) ||
      refs.some((r) => readBackToDecide(r)))
  )
    return undefined;
  // A public field only counted in its class — never read, compared or handed out there — is kept
  // for other modules to read (a stats accessor elsewhere).
  const outside = !report && !compared && exposed(slot, refs);
  if (outside) report = true;
  // A store tallied by key read out whole reports its tallies.
  if (!report && !compared && storeReported(slot)) {
    report = true;
    inResult = true;
  }
  // An object handed on whole (returned, passed) reports its counters — unless a counter is
  // compared with a limit: then the object is a budget threaded through calls.
  if (!report && !compared && receiverReported(slot)) {
    report = true;
    inResult = true;
  }
  if (!report || (compared && !inResult)) return undefined;
  // Bytes counted only to be put in a span attribute, an event's payload or a message — never
  // compared with a bound (size accounting), never handed to a call as a size.
  if (
    sized &&
    (compared ||
      reports.length === 0 ||
      !reports.every((r) => {
        const p = r.parent;
        return (
          p !== undefined &&
          (ts.isPropertyAssignment(p) ||
            ts.isShorthandPropertyAssignment(p) ||
            ts.isTemplateSpan(p) ||
            // `attributes["decoded_bytes"] = this.bytes`: stored in a record's field.
            (ts.isBinaryExpression(p) &&
              p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
              p.right === r &&
              (ts.isPropertyAccessExpression(p.left) || ts.isElementAccessExpression(p.left))))
        );
      }))
  )
    return undefined;
  // Compared with a bound of the program (`classCount > max`) and then quoted in the message that
  // says so: a count of the data checked against a rule, not a metric.
  if (compared && !ts.isSourceFile(slot.scope) && reports.every((r) => quotesCheck(r)))
    return undefined;
  const statements = new Set<ts.Node>();
  if (slot.declaration !== undefined) statements.add(topStatement(slot.declaration));
  for (const inc of [...slot.increments, ...downs]) {
    const top = topStatement(inc);
    // `if (o[k] === undefined) o[k] = 0;` just before `o[k]++`: the first count's start.
    const before = previousStatement(top);
    if (before !== undefined && zeroesFirst(before, inc)) statements.add(before);
    statements.add(top);
  }
  return { slot, statements: [...statements], compared, inResult, outside, reports, resets, downs };
}

/** `x++;` / `++x;` (`PlusPlusToken`) or `x--;` / `--x;` (`MinusMinusToken`) as a statement of its own. */
function steppedByOne(
  ref: ts.Node,
  operator: ts.SyntaxKind.PlusPlusToken | ts.SyntaxKind.MinusMinusToken,
): boolean {
  const p = ref.parent;
  return (
    p !== undefined &&
    (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
    p.operator === operator &&
    ts.isExpressionStatement(p.parent)
  );
}

/** A read whose value is handed out as it is: returned, put in a record, passed to a call. */
function handedOut(ref: ts.Node): boolean {
  const p = unwrapUp(ref).parent;
  if (p === undefined) return false;
  const top = unwrapUp(ref);
  return (
    ts.isReturnStatement(p) ||
    (ts.isArrowFunction(p) && p.body === top) ||
    ts.isPropertyAssignment(p) ||
    ts.isShorthandPropertyAssignment(p) ||
    (ts.isCallExpression(p) &&
      p.arguments.includes(top as ts.Expression) &&
      !REPORTING_CALL.test(callee(p) ?? ""))
  );
}

/**
 * Whether a value returned by an accessor (`get totalWaiters() { return this._waiters }`,
 * `getActiveCount()`) is read back by the file to decide: compared (`pending <= this.totalWaiters`,
 * picking the least busy of two) or tested.
 */
function readBackToDecide(ref: ts.Node): boolean {
  const p = unwrapUp(ref).parent;
  if (p === undefined || !ts.isReturnStatement(p)) return false;
  let fn: ts.Node | undefined = p.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  if (
    fn === undefined ||
    !(ts.isMethodDeclaration(fn) || ts.isGetAccessor(fn) || ts.isFunctionExpression(fn)) ||
    fn.name === undefined
  )
    return false;
  const name = fn.name.getText();
  const getter = ts.isGetAccessor(fn);
  let decided = false;
  walkKinds(ref.getSourceFile(), [ts.SyntaxKind.PropertyAccessExpression], (n) => {
    if (decided || !ts.isPropertyAccessExpression(n) || n.name.text !== name) return;
    const read: ts.Node = getter
      ? n
      : ts.isCallExpression(n.parent) && n.parent.expression === n
        ? n.parent
        : n;
    if (read === n && !getter) return;
    let c = unwrapUp(read);
    while (
      c.parent !== undefined &&
      (ts.isNonNullExpression(c.parent) || ts.isAsExpression(c.parent))
    )
      c = c.parent;
    const q = c.parent;
    if (q === undefined) return;
    if (
      (ts.isBinaryExpression(q) && COMPARISONS.includes(q.operatorToken.kind)) ||
      (ts.isIfStatement(q) && q.expression === c) ||
      (ts.isConditionalExpression(q) && q.condition === c) ||
      (ts.isPrefixUnaryExpression(q) && q.operator === ts.SyntaxKind.ExclamationToken)
    )
      decided = true;
  });
  return decided;
}

/** `if (x === undefined) { x = 0; }`: the test `cmp` of an `if` that only zeroes `x`. */
function zeroingTest(cmp: ts.Node, x: ts.Node): boolean {
  let c = cmp;
  while (c.parent !== undefined && ts.isParenthesizedExpression(c.parent)) c = c.parent;
  const st = c.parent;
  if (st === undefined || !ts.isIfStatement(st) || st.expression !== c) return false;
  if (st.elseStatement !== undefined) return false;
  const body = ts.isBlock(st.thenStatement) ? st.thenStatement.statements : [st.thenStatement];
  const only = body.length === 1 ? body[0] : undefined;
  if (only === undefined || !ts.isExpressionStatement(only)) return false;
  const e = unwrap(only.expression);
  return (
    ts.isBinaryExpression(e) &&
    e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    unwrap(e.left).getText() === unwrap(x).getText() &&
    ts.isNumericLiteral(unwrap(e.right)) &&
    unwrap(e.right).getText() === "0"
  );
}

function previousStatement(st: ts.Node): ts.Statement | undefined {
  const parent = st.parent;
  if (parent === undefined || !(ts.isBlock(parent) || ts.isSourceFile(parent))) return undefined;
  const list = parent.statements;
  const i = list.indexOf(st as ts.Statement);
  return i > 0 ? list[i - 1] : undefined;
}

/** `if (o[k] === undefined) { o[k] = 0; }` (or `!(k in o)`) zeroing the slot `inc` raises. */
function zeroesFirst(st: ts.Statement, inc: ts.Node): boolean {
  if (!ts.isIfStatement(st) || st.elseStatement !== undefined) return false;
  const target = isIncrement(inc);
  if (target === undefined) return false;
  const body = ts.isBlock(st.thenStatement) ? st.thenStatement.statements : [st.thenStatement];
  return (
    body.length === 1 &&
    ts.isExpressionStatement(body[0] as ts.Statement) &&
    (() => {
      const e = unwrap((body[0] as ts.ExpressionStatement).expression);
      return (
        ts.isBinaryExpression(e) &&
        e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        unwrap(e.left).getText() === unwrap(target).getText() &&
        ts.isNumericLiteral(unwrap(e.right)) &&
        unwrap(e.right).getText() === "0"
      );
    })()
  );
}

/**
 * Whether a report of a count sits in the branch of an `if` that compares the same count with a
 * bound (`if (count > max) context.report({ data: { count } })`).
 */
function quotesCheck(ref: ts.Node): boolean {
  const text = ref.getText();
  for (let c = ref.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
    if (!ts.isIfStatement(c) || (c.expression.pos <= ref.pos && ref.end <= c.expression.end))
      continue;
    let compares = false;
    walk(c.expression, (n) => {
      if (
        ts.isBinaryExpression(n) &&
        [
          ts.SyntaxKind.GreaterThanToken,
          ts.SyntaxKind.GreaterThanEqualsToken,
          ts.SyntaxKind.LessThanToken,
          ts.SyntaxKind.LessThanEqualsToken,
        ].includes(n.operatorToken.kind) &&
        [n.left, n.right].some((side) => unwrap(side).getText() === text)
      )
        compares = true;
    });
    if (compares) return true;
  }
  return false;
}

/** Whether a reference is the target of `x = 0`. */
function isReset(ref: ts.Node): boolean {
  const p = ref.parent;
  return (
    p !== undefined &&
    ts.isBinaryExpression(p) &&
    p.left === ref &&
    p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isNumericLiteral(unwrap(p.right)) &&
    (unwrap(p.right) as ts.NumericLiteral).text === "0"
  );
}

/**
 * Where a group's tallies are reported, away from where they are counted: a function that reads
 * two or more of them for a report, or reads one and resets it to 0 (a scrape). The lines that
 * read and reset them are a construct of their own (a `snapshot()` after a migration).
 */
function reportSites(
  counters: readonly Counter[],
  counting: ReadonlySet<ts.Node>,
): { names: string[]; nodes: ts.Node[] }[] {
  const byFunction = new Map<ts.Node, { names: Set<string>; reset: boolean; nodes: ts.Node[] }>();
  const note = (c: Counter, ref: ts.Node, reset: boolean): void => {
    const where = runsIn(ref);
    if (counting.has(where) || ts.isSourceFile(where)) return;
    let site = byFunction.get(where);
    if (site === undefined)
      byFunction.set(where, (site = { names: new Set(), reset: false, nodes: [] }));
    if (!reset) site.names.add(c.slot.name);
    site.reset ||= reset;
    site.nodes.push(topStatement(ref));
  };
  for (const c of counters) {
    // A bytes tally rides along in another record's report; it makes no report site of its own.
    if (SIZE.test(c.slot.name)) continue;
    for (const ref of c.reports) note(c, ref, false);
    for (const ref of c.resets) note(c, ref, true);
  }
  return [...byFunction.values()]
    .filter((site) => site.names.size >= 2 || (site.names.size === 1 && site.reset))
    .map((site) => ({
      names: [...site.names],
      nodes: [...new Set(site.nodes)].sort((a, b) => a.pos - b.pos),
    }));
}

/**
 * Whether a counter is a public field of its class whose every use there is its own increment or
 * a reset to 0: only code outside the class reads it.
 */
function exposed(slot: Slot, refs: readonly ts.Node[]): boolean {
  const cls = slot.scope;
  if (!(ts.isClassDeclaration(cls) || ts.isClassExpression(cls))) return false;
  // `this.statistics.state.runs++`: a tally on a statistics object the class was given or made,
  // read by whoever reads that object.
  if (slot.receiver?.startsWith("this.") === true && !slot.receiver.endsWith("[]"))
    return onlyCounted(slot, refs) && !usedWhole(cls, slot.receiver);
  if (slot.receiver !== "this") return false;
  // `#count`, `_count`, `private count`: kept to itself, read by no one else.
  if (/^[#_]/.test(slot.name)) return false;
  const member = cls.members.find((m) => m.name?.getText() === slot.name);
  if (
    member !== undefined &&
    ts.canHaveModifiers(member) &&
    (ts.getModifiers(member) ?? []).some(
      (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
    )
  )
    return false;
  return refs.every(
    (ref) =>
      slot.increments.some((inc) => inc.pos <= ref.pos && ref.end <= inc.end) || isReset(ref),
  );
}

/**
 * Whether the class uses a counters' holder as a whole (`this.inactive = this.active`, `this.active
 * = fresh()`, `send(this.stats)`): then it reads or replaces the tallies itself.
 */
function usedWhole(cls: ts.Node, receiver: string): boolean {
  let whole = false;
  walk(cls, (n) => {
    if (whole || !ts.isPropertyAccessExpression(n) || chain(n) !== receiver) return;
    if (!(ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n)) whole = true;
  });
  return whole;
}

/** Whether every use of a counter is its own increment or a reset to 0. */
function onlyCounted(slot: Slot, refs: readonly ts.Node[]): boolean {
  return refs.every(
    (ref) =>
      slot.increments.some((inc) => inc.pos <= ref.pos && ref.end <= inc.end) || isReset(ref),
  );
}

/** Whether code of the file outside the counter's class reads the field for something else than a report (a comparison, an id). */
function readElsewhere(sourceFile: ts.SourceFile, slot: Slot): boolean {
  let used = false;
  walk(sourceFile, (n) => {
    if (
      used ||
      !ts.isPropertyAccessExpression(n) ||
      n.name.text !== slot.name ||
      (n.pos >= slot.scope.pos && n.end <= slot.scope.end)
    )
      return;
    const verdict = useOf(n);
    if (verdict === "bad" || verdict === "compare") used = true;
  });
  return used;
}

const COMPARISONS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
];

/**
 * Where a read's value goes through arithmetic (`a + b`, `a / b`, `Math.min(a, n)`, a branch of
 * `?:`): the last node of it and the node that takes it; whether it was combined with another value
 * of the program (`mixed`); and whether a result was worked out of it (`ratio`) — divided by (or
 * dividing) another value of the program (a ratio or an average, not a unit conversion), or handed
 * to a call that returns a result.
 */
function arithmeticOf(ref: ts.Node): {
  top: ts.Node;
  parent: ts.Node | undefined;
  ratio: boolean;
  mixed: boolean;
} {
  let current = ref;
  let ratio = false;
  let mixed = false;
  for (let parent = current.parent; parent !== undefined; parent = current.parent) {
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isAsExpression(parent)
    ) {
      current = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent) && isArithmetic(parent.operatorToken.kind)) {
      const other = unwrap(parent.left === current ? parent.right : parent.left);
      if (!ts.isNumericLiteral(other)) {
        mixed = true;
        if (parent.operatorToken.kind === ts.SyntaxKind.SlashToken) ratio = true;
      }
      current = parent;
      continue;
    }
    // `Math.min(misses, n)`; a call that works a result out of it (`decide(limits, count)`).
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
      mixed = true;
      if (!/^Math\./.test(callee(parent) ?? "")) ratio = true;
      current = parent;
      continue;
    }
    // `samples === 0 ? NaN : sum / samples`: either branch is the value.
    if (ts.isConditionalExpression(parent) && parent.condition !== current) {
      current = parent;
      continue;
    }
    return { top: current, parent, ratio, mixed };
  }
  return { top: current, parent: undefined, ratio, mixed };
}

/**
 * Whether a value (after arithmetic) is compared with another value of the program (`samples +
 * drops < minSamples`, `hits > misses`): the comparison decides what the code does. A comparison
 * with a literal (`dropped > 0`, `count === 1`: anything to report? the first one?) decides only
 * whether to report.
 */
function comparedWithProgram(top: ts.Node, parent: ts.Node | undefined): boolean {
  if (
    parent === undefined ||
    !ts.isBinaryExpression(parent) ||
    !COMPARISONS.includes(parent.operatorToken.kind)
  )
    return false;
  const other = unwrap(parent.left === top ? parent.right : parent.left);
  return (
    !ts.isNumericLiteral(other) &&
    !(ts.isPrefixUnaryExpression(other) && ts.isNumericLiteral(other.operand))
  );
}

/**
 * Whether a read of a tally feeds a computation that decides what the code does — the state of an
 * algorithm, not a metric: combined with other values of the program and compared, or a ratio made of it
 * (an average, a hit ratio) is compared, tested or kept in the object's state (`const short = sum
 * / samples; if (short < this.long) …`, `this.previous = hitRatio`).
 */
function feedsDecision(ref: ts.Node): boolean {
  const { top, parent, ratio, mixed } = arithmeticOf(ref);
  // Compared as it is (`errors >= bailout`), the tally is a metric with an alarm; combined with
  // other values of the program first (`samples + drops < minSamples`), it is an input of the
  // computation.
  if (mixed && comparedWithProgram(top, parent)) return true;
  if (!ratio || parent === undefined) return false;
  // The ratio kept in the object's state.
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    parent.right === top &&
    ts.isPropertyAccessExpression(parent.left) &&
    parent.left.expression.kind === ts.SyntaxKind.ThisKeyword
  )
    return true;
  if (ts.isConditionalExpression(parent) && parent.condition === top) return true;
  // A local holding the ratio: one step on, through its uses in the function.
  if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return false;
  const local = parent.name;
  const fn = runsIn(parent);
  let decides = false;
  walk(fn, (n) => {
    if (decides || !ts.isIdentifier(n) || n.text !== local.text || n === local) return;
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return;
    const use = arithmeticOf(n);
    const p = use.parent;
    if (
      comparedWithProgram(use.top, p) ||
      (p !== undefined &&
        ((ts.isConditionalExpression(p) && p.condition === use.top) ||
          (ts.isBinaryExpression(p) &&
            p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            p.right === use.top &&
            ts.isPropertyAccessExpression(p.left) &&
            p.left.expression.kind === ts.SyntaxKind.ThisKeyword)))
    )
      decides = true;
  });
  return decides;
}

/** Whether every return of the function a node runs in hands back `this` (a fluent setter). */
function inFluentMethod(node: ts.Node): boolean {
  let fn: ts.Node | undefined = node.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  if (fn === undefined || !isFunctionLike(fn) || fn.body === undefined) return false;
  let returns = 0;
  let other = false;
  walk(fn.body, (n) => {
    if (!ts.isReturnStatement(n) || other) return;
    let owner: ts.Node | undefined = n.parent;
    while (owner !== undefined && !isFunctionLike(owner)) owner = owner.parent;
    if (owner !== fn) return;
    if (n.expression?.kind === ts.SyntaxKind.ThisKeyword) returns++;
    else other = true;
  });
  return returns > 0 && !other;
}

/**
 * Whether a field is part of a data model its callers build and read: it is counted only in fluent
 * setters of the object (`span.addEvent(…)`, `record.setAttribute(…)` that drop what is over a
 * limit and hand back `this`) and handed out as it is by a public accessor (`get
 * droppedEventsCount() { return this._droppedEventsCount; }`). A count of the object's own data
 * (how many attributes this span dropped), not a tally of the program's work.
 */
function modelField(slot: Slot): boolean {
  const cls = slot.scope;
  if (!(ts.isClassDeclaration(cls) || ts.isClassExpression(cls))) return false;
  if (!slot.increments.every(inFluentMethod)) return false;
  return cls.members.some((m) => {
    if (!ts.isGetAccessor(m) || m.body === undefined || m.body.statements.length !== 1)
      return false;
    if (
      ts.isPrivateIdentifier(m.name) ||
      (ts.getModifiers(m) ?? []).some(
        (mod) =>
          mod.kind === ts.SyntaxKind.PrivateKeyword || mod.kind === ts.SyntaxKind.ProtectedKeyword,
      )
    )
      return false;
    const only = m.body.statements[0];
    if (only === undefined || !ts.isReturnStatement(only) || only.expression === undefined)
      return false;
    const value = unwrap(only.expression);
    return (
      ts.isPropertyAccessExpression(value) &&
      value.expression.kind === ts.SyntaxKind.ThisKeyword &&
      value.name.getText() === slot.name
    );
  });
}

/** Whether a node reads one of the file's counters (`hits` in `hits + misses`). */
function readsCounter(node: ts.Node, counterNames: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return;
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) found = counterNames.has(n.text);
  });
  return found;
}

/**
 * The top of the sums and differences a read is part of (`a + (ref - b)!`), climbing through
 * parentheses and `!`; each other operand is handed to `other`, and the climb gives up
 * (`undefined`) when it answers false.
 */
function sumTop(ref: ts.Node, other: (operand: ts.Expression) => boolean): ts.Node | undefined {
  let current = ref;
  for (let parent = current.parent; parent !== undefined; parent = current.parent) {
    if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) {
      current = parent;
      continue;
    }
    if (
      !ts.isBinaryExpression(parent) ||
      (parent.operatorToken.kind !== ts.SyntaxKind.PlusToken &&
        parent.operatorToken.kind !== ts.SyntaxKind.MinusToken)
    )
      break;
    if (!other(parent.left === current ? parent.right : parent.left)) return undefined;
    current = parent;
  }
  return current;
}

/**
 * Whether a read of a count is added to (or taken from) other quantities of the program — values
 * that are no counters of the file (`queue.length + inProgress.size + handled`, `now - TICK`) —
 * and the result handed back by a `return` or written into another object's field: the count is
 * part of the program's own arithmetic (a total of work, a clock), not a tally kept for a report.
 * Sums of counters (`hits + misses`) and sums printed or put into a stats record stay tallies.
 */
function domainArithmetic(ref: ts.Node, slot: Slot, counterNames: ReadonlySet<string>): boolean {
  let mixed = false;
  const current = sumTop(ref, (operand) => {
    const other = unwrap(operand);
    if (ts.isStringLiteralLike(other) || ts.isTemplateExpression(other)) return false;
    if (ts.isNumericLiteral(other)) return true;
    if (readsCounter(other, counterNames)) return false;
    mixed = true;
    return true;
  });
  if (current === undefined || !mixed) return false;
  const parent = current.parent;
  if (parent === undefined) return false;
  if (ts.isReturnStatement(parent)) return true;
  if (ts.isArrowFunction(parent) && parent.body === current) return true;
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    parent.right === current &&
    (ts.isPropertyAccessExpression(parent.left) || ts.isElementAccessExpression(parent.left))
  ) {
    const target = receiverChain(parent.left.expression);
    return target !== undefined && target !== slot.receiver?.replace(/\[\]$/, "");
  }
  return false;
}

/** Whether `name` is the first parameter of a promise's executor (`new Promise((resolve) => …)`). */
function settles(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  const first = fn.parameters[0];
  return (
    first !== undefined &&
    ts.isIdentifier(first.name) &&
    first.name.text === name &&
    fn.parent !== undefined &&
    ts.isNewExpression(fn.parent) &&
    fn.parent.expression.getText() === "Promise" &&
    fn.parent.arguments?.[0] === fn
  );
}

/**
 * Whether a call is a completion callback's reply: error first, here none (`cb(null, value)`),
 * with the value after it — how a Node-style callback delivers a call's result. A handed-in
 * reporter given the tallies alone (`report({ errors })`) is a report.
 */
function errorFirst(call: ts.CallExpression, value: ts.Node): boolean {
  const first = call.arguments[0];
  if (first === undefined || first === value) return false;
  const e = unwrap(first);
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === "undefined");
}

/**
 * Whether a local count is the result of the call that declares it: that function itself hands
 * it back (`return count`, `return { count }`), or hands it, as it is or in the reply object, to a
 * continuation it was given (`cb(null, { process_count: sent })`, a promise executor's
 * `resolve({ imported })`) — the same result delivered later. The count lives as long as the call
 * — a result worked out by it (however its increments are reached: a visitor, a recursion, a
 * listener), not a metric, which outlives the call that counts.
 */
function resultOfItsCall(slot: Slot, refs: readonly ts.Node[]): boolean {
  if (slot.receiver !== undefined || !isFunctionLike(slot.scope)) return false;
  const scope = slot.scope;
  const continuations = new Set(
    scope.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  return refs.some((ref) => {
    let current: ts.Node = ref;
    let parent = current.parent;
    while (
      parent !== undefined &&
      (ts.isParenthesizedExpression(parent) ||
        ts.isShorthandPropertyAssignment(parent) ||
        (ts.isPropertyAssignment(parent) && parent.initializer === current) ||
        ts.isObjectLiteralExpression(parent))
    ) {
      current = parent;
      parent = current.parent;
    }
    if (parent === undefined) return false;
    // `cb(null, { count })`, `resolve(count)`: called by the name of the declaring function's own
    // parameter (a logger's method or any other call is a report, not the reply).
    if (
      ts.isCallExpression(parent) &&
      parent.arguments.includes(current as ts.Expression) &&
      ts.isIdentifier(parent.expression) &&
      continuations.has(parent.expression.text) &&
      (settles(scope, parent.expression.text) || errorFirst(parent, current))
    )
      return true;
    const returned =
      ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === current);
    if (!returned) return false;
    let fn: ts.Node | undefined = parent;
    while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
    return fn === slot.scope;
  });
}

/** `items.length`, `pending.size`: the size of a collection the program holds (no counter's). */
function collectionSize(node: ts.Expression, counterNames: ReadonlySet<string>): boolean {
  const n = unwrap(node);
  return (
    ts.isPropertyAccessExpression(n) &&
    (n.name.text === "length" || n.name.text === "size") &&
    !readsCounter(n.expression, counterNames)
  );
}

/**
 * Whether a read of a count is measured against a collection the program holds — compared with
 * its size as it is (`skipped === items.length`) or after taking one from the other
 * (`items.length - skipped > 0`): the count tells how many of those items are in some state, and
 * the comparison decides what the code does with them (every entry skipped: stop). A count of the
 * program's data, not a tally kept for a report; a bound of configuration (`failures >= max`)
 * leaves a metric with an alarm.
 */
function againstCollection(ref: ts.Node, counterNames: ReadonlySet<string>): boolean {
  let sized = false;
  const current = sumTop(ref, (operand) => {
    if (collectionSize(operand, counterNames)) sized = true;
    return true;
  });
  const parent = current?.parent;
  if (
    parent === undefined ||
    !ts.isBinaryExpression(parent) ||
    !COMPARISONS.includes(parent.operatorToken.kind)
  )
    return false;
  return (
    sized || collectionSize(parent.left === current ? parent.right : parent.left, counterNames)
  );
}

/** `this.items.push(x)`, `this.#byId.set(k, v)`: the field of `this` a call puts an item into. */
function insertedInto(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression))
    return undefined;
  if (!/^(push|unshift|set|add)$/.test(node.expression.name.text)) return undefined;
  const store = node.expression.expression;
  return ts.isPropertyAccessExpression(store) && store.expression.kind === ts.SyntaxKind.ThisKeyword
    ? store.name.getText()
    : undefined;
}

/** `this.items = []`, `this.#byId.clear()`, `this.items.length = 0`: the field of `this` emptied. */
function emptied(node: ts.Node): string | undefined {
  const field = (e: ts.Node): string | undefined =>
    ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword
      ? e.name.getText()
      : undefined;
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === "clear" &&
    node.arguments.length === 0
  )
    return field(node.expression.expression);
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
    return undefined;
  const right = unwrap(node.right);
  if (ts.isNumericLiteral(right) && right.text === "0") {
    const left = unwrap(node.left);
    return ts.isPropertyAccessExpression(left) && left.name.text === "length"
      ? field(left.expression)
      : undefined;
  }
  const empty =
    (ts.isArrayLiteralExpression(right) && right.elements.length === 0) ||
    (ts.isObjectLiteralExpression(right) && right.properties.length === 0) ||
    (ts.isNewExpression(right) && (right.arguments?.length ?? 0) === 0);
  return empty ? field(node.left) : undefined;
}

/**
 * Whether a node runs in a method called on a made object (`reset() {…}`, `X.prototype.purge =
 * function () {…}`), not in the constructor that first zeroes every field beside empty stores.
 */
function laterMethod(node: ts.Node): boolean {
  let fn: ts.Node | undefined = node.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  if (fn === undefined) return false;
  if (ts.isMethodDeclaration(fn)) return true;
  const holder = fn.parent;
  return (
    (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) &&
    holder !== undefined &&
    ts.isBinaryExpression(holder) &&
    holder.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    holder.right === fn &&
    ts.isPropertyAccessExpression(holder.left)
  );
}

/**
 * Whether a field of `this` counts the items of a collection the object holds: every function
 * that raises it also puts an item into that collection (`this.traces.push(t); this.traceCount++`,
 * `this.#requests.set(id, r)` then `this.handledCount += 1`), and the count is zeroed where the
 * collection is emptied (`this.traces = []; this.traceCount = 0`). The collection's size (or a
 * part of its items in one state) kept by hand and handed out as it is (returned, put in a record)
 * — the object's own data, not a tally of its work.
 */
function countsOwnCollection(slot: Slot, resets: readonly ts.Node[]): boolean {
  if (slot.receiver !== "this" || resets.length === 0) return false;
  // Printed or handed to a call (`logger.log(`${this._statCreated} created`)`), it is a statistic
  // of the work on that collection (a cache's hits, reset when the cache is cleared): a metric.
  let printed = false;
  walk(slot.scope, (n) => {
    if (printed || !refersTo(n, slot)) return;
    const at = unwrapUp(n);
    const p = at.parent;
    if (
      p !== undefined &&
      (ts.isTemplateSpan(p) ||
        (ts.isCallExpression(p) && p.arguments.includes(at as ts.Expression)) ||
        (ts.isBinaryExpression(p) &&
          p.operatorToken.kind !== ts.SyntaxKind.EqualsToken &&
          !(
            ts.isExpressionStatement(p.parent) ||
            (p.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && p.left === at)
          )))
    )
      printed = true;
  });
  if (printed) return false;
  const fills: Set<string>[] = [];
  for (const inc of slot.increments) {
    const into = new Set<string>();
    walk(runsIn(inc), (n) => {
      const field = insertedInto(n);
      if (field !== undefined) into.add(field);
    });
    if (into.size === 0) return false;
    fills.push(into);
  }
  const filled = [...(fills[0] as Set<string>)].filter((f) => fills.every((s) => s.has(f)));
  return resets.some((reset) => {
    const block = topStatement(reset).parent;
    if (block === undefined || !laterMethod(reset)) return false;
    let empties = false;
    walk(block, (n) => {
      const field = emptied(n);
      if (field !== undefined && filled.includes(field)) empties = true;
    });
    return empties;
  });
}

/**
 * Whether a read of a count drives a wait or a step of an algorithm: through arithmetic (and
 * `Math.*`) it becomes an exponent or a power (`base * 2 ** (crashes - 1)`, `Math.pow(Math.min(n,
 * 6), 2)`, `1 << n`) or the delay of a timer (`setTimeout(retry, interval * failures)`), also
 * through a local it is copied or worked into (`let n = this.count; … Math.pow(n, 2)`, `const ms =
 * a * n; … setTimeout(f, ms)`). A backoff's attempt number or a sampler's ratio, not a tally kept
 * for a report — whatever it is also logged with.
 */
function drivesControl(ref: ts.Node, depth = 0): boolean {
  let current = ref;
  for (let parent = current.parent; parent !== undefined; parent = current.parent) {
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isAsExpression(parent) ||
      (ts.isConditionalExpression(parent) && parent.condition !== current)
    ) {
      current = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.AsteriskAsteriskToken || op === ts.SyntaxKind.LessThanLessThanToken)
        return true;
      if (!isArithmetic(op)) break;
      current = parent;
      continue;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
      const name = callee(parent) ?? "";
      if (name === "Math.pow") return true;
      if (/(^|\.)(setTimeout|setInterval)$/.test(name)) return parent.arguments[1] === current;
      if (!/^Math\./.test(name)) break;
      current = parent;
      continue;
    }
    break;
  }
  const holder = current.parent;
  if (
    depth >= 2 ||
    holder === undefined ||
    !ts.isVariableDeclaration(holder) ||
    holder.initializer !== current ||
    !ts.isIdentifier(holder.name)
  )
    return false;
  const local = holder.name;
  let drives = false;
  walk(runsIn(holder), (n) => {
    if (drives || n === local || !ts.isIdentifier(n) || n.text !== local.text) return;
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return;
    if (drivesControl(n, depth + 1)) drives = true;
  });
  return drives;
}

/**
 * The `if`, `while`, `do` or `for` statement whose test a condition is, alone or joined with
 * `&&`, `||` and `!`; undefined when the condition is used otherwise (a value, a report).
 */
function testedBy(condition: ts.Node): ts.Statement | undefined {
  let test = condition;
  while (
    test.parent !== undefined &&
    (ts.isParenthesizedExpression(test.parent) ||
      (ts.isPrefixUnaryExpression(test.parent) &&
        test.parent.operator === ts.SyntaxKind.ExclamationToken) ||
      (ts.isBinaryExpression(test.parent) &&
        (test.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
          test.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)))
  )
    test = test.parent;
  const statement = test.parent;
  if (statement === undefined) return undefined;
  if (
    ((ts.isIfStatement(statement) ||
      ts.isWhileStatement(statement) ||
      ts.isDoStatement(statement)) &&
      statement.expression === test) ||
    (ts.isForStatement(statement) && statement.condition === test)
  )
    return statement;
  return undefined;
}

/**
 * Whether a read of a count is compared with a value of the program (`intervals >= flushAfter`,
 * not a literal) in the test of an `if` whose branches zero the count: it counts up to a period or
 * a threshold and starts again when it gets there — a schedule or a trigger the code runs on, not
 * a tally kept for a report (a failure count compared with a bound and never zeroed there stays).
 */
function resetWhenReached(ref: ts.Node, slot: Slot): boolean {
  const { top, parent } = arithmeticOf(ref);
  if (!comparedWithProgram(top, parent) || parent === undefined || !ts.isBinaryExpression(parent))
    return false;
  // `if (o[k] === undefined) o[k] = 0`: a presence check before the first count, not a bound.
  const other = unwrap(parent.left === top ? parent.right : parent.left);
  if (
    other.kind === ts.SyntaxKind.NullKeyword ||
    ts.isStringLiteralLike(other) ||
    ts.isVoidExpression(other) ||
    (ts.isIdentifier(other) && other.text === "undefined")
  )
    return false;
  const statement = testedBy(parent);
  if (statement === undefined || !ts.isIfStatement(statement)) return false;
  let zeroed = false;
  for (const branch of [statement.thenStatement, statement.elseStatement])
    if (branch !== undefined)
      walk(branch, (n) => {
        if (!zeroed && refersTo(n, slot) && isReset(n)) zeroed = true;
      });
  return zeroed;
}

/**
 * Whether a read of a count is compared, as it is, with another count the file keeps (`if
 * (this.processed === this.queued) done()`, `while (acked < sent)`): two counts of one flow kept in
 * step, the test of a statement deciding when the work is done — queue bookkeeping, not a tally
 * kept for a report (a metric's alarm compares with a bound; two tallies compared inside a report
 * stay tallies).
 */
function againstCounter(ref: ts.Node, slot: Slot, counterNames: ReadonlySet<string>): boolean {
  let current = ref;
  while (
    current.parent !== undefined &&
    (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent))
  )
    current = current.parent;
  const parent = current.parent;
  if (
    parent === undefined ||
    !ts.isBinaryExpression(parent) ||
    !COMPARISONS.includes(parent.operatorToken.kind)
  )
    return false;
  if (testedBy(parent) === undefined) return false;
  const other = unwrap(parent.left === current ? parent.right : parent.left);
  const name = ts.isIdentifier(other)
    ? other.text
    : ts.isPropertyAccessExpression(other)
      ? other.name.text
      : undefined;
  return name !== undefined && name !== slot.name && counterNames.has(name);
}

/**
 * Whether a tally is no metric's: the state of an algorithm (a read of it feeds a decision, an
 * exponent or a timer's delay, or counts to a threshold that zeroes it), part of the program's own
 * arithmetic, a count measured against the program's own collection or kept
 * as that collection's size, the result of the call that counts it, or a field of a data model
 * handed to callers.
 */
function notTally(slot: Slot, counterNames: ReadonlySet<string>): boolean {
  if (slot.receiver === "this" && modelField(slot)) return true;
  if (
    countsOwnCollection(
      slot,
      (() => {
        const resets: ts.Node[] = [];
        walk(slot.scope, (n) => {
          if (refersTo(n, slot) && isReset(n)) resets.push(n);
        });
        return resets;
      })(),
    )
  )
    return true;
  let decides = false;
  const refs: ts.Node[] = [];
  walk(slot.scope, (n) => {
    if (decides || !refersTo(n, slot) || isReset(n)) return;
    if (slot.increments.some((inc) => inc.pos <= n.pos && n.end <= inc.end)) return;
    refs.push(n);
    if (
      feedsDecision(n) ||
      domainArithmetic(n, slot, counterNames) ||
      againstCollection(n, counterNames) ||
      drivesControl(n) ||
      resetWhenReached(n, slot) ||
      againstCounter(n, slot, counterNames)
    )
      decides = true;
  });
  return decides || resultOfItsCall(slot, refs);
}

/**
 * The declarations of a group's tallies that were left apart from every place of counting, when
 * they form one record: an object literal of two or more zeroed fields, or two or more zeroed
 * fields declared on adjacent lines (members of a class, `this.x = 0` statements). Undefined
 * when they are scattered or fewer than two.
 */
function tallyRecord(
  apart: readonly ts.Node[],
  counted: number,
  line: (n: ts.Node) => number,
): ts.Node[] | undefined {
  if (apart.length === 0 || counted < 2) return undefined;
  const sorted = [...apart].sort((a, b) => a.pos - b.pos);
  if (sorted.length === 1) {
    const only = sorted[0] as ts.Node;
    let zeroes = 0;
    walk(only, (n) => {
      if (
        ts.isPropertyAssignment(n) &&
        ts.isNumericLiteral(unwrap(n.initializer)) &&
        unwrap(n.initializer).getText() === "0"
      )
        zeroes++;
    });
    return zeroes >= 2 ? sorted : undefined;
  }
  // Adjacent: no more than two lines between one declaration and the next (a comment, a blank);
  // the longest such run of two or more is the record.
  let best: ts.Node[] = [];
  let run: ts.Node[] = [];
  for (const next of sorted) {
    const prev = run[run.length - 1];
    if (
      prev !== undefined &&
      line(next) - next.getSourceFile().getLineAndCharacterOfPosition(prev.end).line > 3
    )
      run = [];
    run.push(next);
    if (run.length > best.length) best = [...run];
  }
  return best.length >= 2 ? best : undefined;
}

/** The field a statement `this.<name> = 0` zeroes, or undefined for any other statement. */
function zeroedThisField(statement: ts.Node): string | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression))
    return undefined;
  const { left, right, operatorToken } = statement.expression;
  const r = unwrap(right);
  return operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isNumericLiteral(r) &&
    r.text === "0" &&
    ts.isPropertyAccessExpression(left) &&
    left.expression.kind === ts.SyntaxKind.ThisKeyword
    ? left.name.text
    : undefined;
}

/**
 * The first `this.<name> = 0` statement of each name in a file (fields of a constructor
 * function's record).
 */
function zeroAssignments(sourceFile: ts.SourceFile, names: ReadonlySet<string>): ts.Node[] {
  const first = new Map<string, ts.Node>();
  walkKinds(sourceFile, [ts.SyntaxKind.ExpressionStatement], (st) => {
    const name = zeroedThisField(st);
    if (name !== undefined && names.has(name) && !first.has(name)) first.set(name, st);
  });
  return [...first.values()];
}

/** Property declarations and constructor assignments `this.x = 0` of a class. */
function zeroFields(cls: ts.ClassLikeDeclaration): Map<string, ts.Node> {
  const fields = new Map<string, ts.Node>();
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.initializer !== undefined) {
      const init = unwrap(member.initializer);
      if (ts.isNumericLiteral(init) && init.text === "0") fields.set(member.name.getText(), member);
    }
    if (ts.isConstructorDeclaration(member) && member.body !== undefined)
      for (const statement of member.body.statements) {
        const name = zeroedThisField(statement);
        if (name !== undefined) fields.set(name, statement);
      }
  }
  return fields;
}

/**
 * Counters by hand: a number that starts at zero, is only ever incremented (`++`, `+= n`, reset to
 * 0) and is read to be reported — logged, emitted, returned or put in a result object. Sequences
 * (the incremented value handed out as an id), cursors (used as an index or wrapped with `%`),
 * countdowns and reference counts (decremented), and caps (compared with a limit and never
 * reported) are not metrics. Two or more counters of one object literal, or a class that is mostly
 * counters, form a metric object. Replaced by `@perflayer/monitor` counters.
 */
export const countersDetector: Detector = {
  id: "monitoring/counters",
  category: "monitoring",
  kinds: ["metric-object", "counter"],
  // `++`, `+=`, and a keyed self-add from a zero default (`(m.get(k) ?? 0) + 1`).
  prefilter: /\+\+|\+=|(\|\||\?\?)\s*0\s*\)\s*\+/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const slots = new Map<string, Slot>();
    const targets: ts.Node[] = [...facts.updates, ...facts.binaries, ...facts.calls];
    for (const node of targets) {
      const target = isIncrement(node);
      if (target === undefined) continue;
      const found = slotOf(target);
      if (found === undefined) continue;
      let slot = slots.get(found.key);
      if (slot === undefined) slots.set(found.key, (slot = { ...found, increments: [] }));
      slot.increments.push(node);
    }
    const counters: Counter[] = [];
    for (const slot of slots.values()) {
      const counter = judge(slot);
      if (counter !== undefined) counters.push(counter);
    }
    // Tallies read only outside their class count when the class keeps several of them (a set of
    // statistics for an accessor); a lone one is as likely a version or a result field.
    // …and a tally whose reads decide what the code does (an algorithm's window: its average
    // moves a limit), or a data model's field handed to callers, is no metric at all.
    const counterNames = new Set([...slots.values()].map((s) => s.name));
    const kept = counters.filter(
      (c) =>
        (!c.outside ||
          (counters.filter((o) => o.outside && o.slot.scope === c.slot.scope).length >= 2 &&
            !readElsewhere(sourceFile, c.slot))) &&
        !notTally(c.slot, counterNames),
    );
    const detections: Detection[] = [];
    // Group by receiver: an object (literal or class) with two or more counters is a metric object.
    const byReceiver = new Map<string, Counter[]>();
    for (const c of kept) {
      const group =
        c.slot.receiver === undefined || c.slot.receiver.endsWith("[]")
          ? c.slot.key
          : `${c.slot.receiver}@${c.slot.scope.pos}`;
      let list = byReceiver.get(group);
      if (list === undefined) byReceiver.set(group, (list = []));
      list.push(c);
    }
    for (const group of byReceiver.values()) {
      const first = group[0] as Counter;
      const names = group.map((c) => c.slot.name);
      const scope = first.slot.scope;
      const evidence = [
        `${names.length === 1 ? "counter" : "counters"} ${names
          .slice(0, 4)
          .map((n) => `\`${n}\``)
          .join(", ")}${names.length > 4 ? ", …" : ""} ${
          group.some((c) => c.downs.length > 0)
            ? "raised and lowered by one (a gauge nothing decides on)"
            : "only incremented (or reset to 0)"
        }`,
        group.every((c) => c.outside)
          ? "public fields read only outside their class (a stats accessor)"
          : first.inResult
            ? "read into a result object or returned"
            : "read to be logged or emitted",
        ...(first.compared ? ["also compared with a limit"] : []),
      ];
      const name =
        first.slot.receiver === undefined
          ? first.slot.name
          : first.slot.receiver.replace(/\[\]$/, "");
      const confidence = group.some((c) => c.inResult) ? 0.85 : 0.8;
      const declarations: ts.Node[] = [];
      let kind = "counter";
      if (
        (ts.isClassDeclaration(scope) || ts.isClassExpression(scope)) &&
        first.slot.receiver === "this"
      ) {
        const fields = zeroFields(scope);
        const counted = names.filter((n) => fields.has(n) || fields.has(`#${n}`));
        for (const n of counted) {
          const field = fields.get(n) ?? fields.get(`#${n}`);
          if (field !== undefined) declarations.push(field);
        }
        const members = scope.members.filter(
          (m) => ts.isPropertyDeclaration(m) || ts.isMethodDeclaration(m) || ts.isGetAccessor(m),
        ).length;
        // A class that exists for its counters: the class is the construct.
        // Tallies read only outside make the class theirs when its methods are small adders (a
        // tracker), not when it does other work (a stream that also counts its bytes).
        const sizes = scope.members.flatMap((m) =>
          (ts.isMethodDeclaration(m) || ts.isGetAccessor(m)) && m.body !== undefined
            ? [m.body.statements.length]
            : [],
        );
        const small = sizes.every((n) => n <= 3);
        // …and never when one of its methods does long work of its own (a snapshot optimiser
        // that keeps statistics of what it did): only one method, the snapshot, may be longer.
        const increments = group.flatMap((c) => c.slot.increments);
        const long = scope.members.filter(
          (m) =>
            (ts.isMethodDeclaration(m) || ts.isGetAccessor(m)) &&
            m.body !== undefined &&
            m.body.statements.length > 3,
        );
        const compact =
          long.length <= 1 &&
          sizes.every((n) => n <= 12) &&
          // …the snapshot, which reads the counters and counts nothing itself.
          long.every((m) => !increments.some((inc) => inc.pos >= m.pos && inc.end <= m.end));
        if (
          counted.length >= 2 &&
          counted.length * 2 >= fields.size &&
          members <= counted.length * 3 + 2 &&
          compact &&
          (small || !group.every((c) => c.outside))
        ) {
          detections.push({ kind: "metric-object", confidence, nodes: [scope], evidence, name });
          continue;
        }
      } else if (first.slot.receiver !== undefined && !first.slot.receiver.startsWith("this")) {
        // `const stats = { a: 0, b: 0 }`: the literal is part of it.
        const base = first.slot.receiver.replace(/\[\]$/, "");
        walk(scope, (n) => {
          if (
            ts.isVariableDeclaration(n) &&
            n.name.getText() === base &&
            n.initializer !== undefined &&
            ts.isObjectLiteralExpression(unwrap(n.initializer))
          )
            declarations.push(topStatement(n));
        });
        if (group.length >= 2 && declarations.length > 0) kind = "metric-object";
      }
      for (const c of group)
        if (c.slot.declaration !== undefined) declarations.push(topStatement(c.slot.declaration));
      // One finding per place the counting happens (a handler, a method); declarations go with the
      // nearest one.
      const clusters = new Map<ts.Node, ts.Node[]>();
      for (const c of group)
        for (const inc of [...c.slot.increments, ...c.downs]) {
          const where = runsIn(inc);
          let list = clusters.get(where);
          if (list === undefined) clusters.set(where, (list = []));
          // `if (o[k] === undefined) o[k] = 0;` just before `o[k]++`: the first count's start.
          const before = previousStatement(topStatement(inc));
          if (before !== undefined && zeroesFirst(before, inc)) list.push(before);
          list.push(topStatement(inc));
        }
      const line = (n: ts.Node): number =>
        sourceFile.getLineAndCharacterOfPosition(n.getStart(sourceFile)).line;
      // Counting far apart in one long function (more than 25 lines between two increments) is
      // counted in separate places: one range each, not one over the code between them.
      const lists: ts.Node[][] = [];
      for (const cluster of clusters.values()) {
        const sorted = [...new Set(cluster)].sort((a, b) => a.pos - b.pos);
        let current: ts.Node[] = [];
        for (const n of sorted) {
          const last = current[current.length - 1];
          if (
            last !== undefined &&
            line(n) - sourceFile.getLineAndCharacterOfPosition(last.end).line > 25
          ) {
            lists.push(current);
            current = [];
          }
          current.push(n);
        }
        if (current.length > 0) lists.push(current);
      }
      // The tallies of one object counted in several handlers close together (`stats.passes++` in
      // one listener, `stats.failures++` in the next) are one metric object: one range over them.
      if (group.length >= 2) {
        lists.sort((a, b) => (a[0] as ts.Node).pos - (b[0] as ts.Node).pos);
        for (let i = lists.length - 1; i > 0; i--) {
          const prev = lists[i - 1] as ts.Node[];
          const next = lists[i] as ts.Node[];
          const gap =
            line(next[0] as ts.Node) -
            sourceFile.getLineAndCharacterOfPosition((prev[prev.length - 1] as ts.Node).end).line;
          if (gap <= 25) {
            prev.push(...next);
            lists.splice(i, 1);
          }
        }
      }
      // Fields of a `this` receiver outside a class (a constructor function's `this.sent = 0;
      // this.dropped = 0`): their first zero assignments declare the record.
      if (
        first.slot.receiver === "this" &&
        !(ts.isClassDeclaration(scope) || ts.isClassExpression(scope))
      )
        declarations.push(...zeroAssignments(sourceFile, new Set(names)));
      // A declaration joins the nearest place of counting when it is close by (a declaration at the
      // top of a long function would stretch the range over unrelated code).
      const joined = new Set<ts.Node>();
      for (const declaration of new Set(declarations)) {
        let nearest = lists[0];
        for (const list of lists)
          if (
            Math.abs((list[0] as ts.Node).pos - declaration.pos) <
            Math.abs((nearest?.[0] as ts.Node).pos - declaration.pos)
          )
            nearest = list;
        if (
          nearest !== undefined &&
          nearest.some((n) => Math.abs(line(n) - line(declaration)) <= 12)
        ) {
          nearest.push(declaration);
          joined.add(declaration);
        }
      }
      // A tally record declared in one place and counted elsewhere (`const stats = { sent: 0,
      // failed: 0 }` at the top, `stats.failed++` in handlers far below): the declaration is a
      // construct of its own — what a migration turns into the metric object.
      const record = tallyRecord(
        [...new Set(declarations)].filter((d) => !joined.has(d)),
        group.length,
        line,
      );
      if (record !== undefined)
        detections.push({
          kind: "metric-object",
          confidence: 0.75,
          nodes: record,
          evidence: [
            evidence[0] as string,
            "declared together as zeroed fields, apart from where they are counted",
          ],
          name,
        });
      for (const list of lists)
        detections.push({
          kind,
          confidence,
          nodes: [...new Set(list)].sort((a, b) => a.pos - b.pos),
          evidence,
          name,
        });
    }
    const counting = new Set(kept.flatMap((c) => c.slot.increments.map((inc) => runsIn(inc))));
    const line = (n: ts.Node): number =>
      sourceFile.getLineAndCharacterOfPosition(n.getStart(sourceFile)).line;
    const counted = kept.flatMap((c) => c.slot.increments.map((inc) => line(inc)));
    const wholes = detections.filter((d) => d.kind === "metric-object").flatMap((d) => d.nodes);
    for (const { names, nodes } of reportSites(kept, counting)) {
      // A report inside a metric object, or next to the counting (within three lines), belongs
      // to that construct.
      if (nodes.some((n) => wholes.some((w) => w.pos <= n.pos && n.end <= w.end))) continue;
      if (nodes.some((n) => counted.some((l) => Math.abs(line(n) - l) <= 3))) continue;
      detections.push({
        kind: "counter",
        confidence: 0.75,
        nodes,
        evidence: [
          `${names.length === 1 ? "counter" : "counters"} ${names
            .slice(0, 4)
            .map((n) => `\`${n}\``)
            .join(", ")}${names.length > 4 ? ", …" : ""} reported away from where they are counted`,
          names.length === 1 ? "read and reset to 0 (a scrape)" : "read together for a report",
        ],
        name: names[0],
      });
    }
    return detections;
  },
};
