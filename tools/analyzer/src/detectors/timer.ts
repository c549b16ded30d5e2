import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, topStatement, walk, walkKinds } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import {
  elapsedHelperCall,
  factsOf,
  functionName,
  isClockRead,
  markKey,
  unwrap,
} from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { endMarkBeside, timingAccessor } from "./timer-construct.js";

/** Names that say "a point in time" — a weak signal, used only when no start mark is assigned in the file. */
const MARK_NAME =
  /(start|Start$|begin|since|stamp|^t0$|^t\d$|^ts$|^at$|[a-z]At$|_at$|created|sent|queued|enqueued|last|prev|before|issued|time$|^time|Time)/;
/** Names of durations and deadlines: `Date.now() - ttl` is a cut-off time, not an elapsed time. */
const NOT_MARK =
  /(timeout|deadline|expir|until|ttl|interval|delay|window|max|min|limit|age|duration|period|ms$|Ms$)/i;

const COMPARISON = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);
const ARITHMETIC = new Set([
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.BarBarToken,
]);
const SCHEDULERS =
  /(^|\.)(setTimeout|setInterval|setImmediate|reschedule|refresh|sleep|delay|wait)$/;
const PASS_THROUGH =
  /^(Math\.(round|floor|ceil|trunc|abs|max|min)|Number|BigInt|String|parseInt|parseFloat)$/;

interface Delta {
  /** The subtraction (or `hrtime(start)` / helper call). */
  readonly node: ts.Node;
  /** The start mark's expression, when there is one. */
  readonly start?: ts.Node;
}

/**
 * The key a start mark is kept under: `markKey`'s, and `[kStart]` for a mark kept under a symbol
 * or another computed key (`reply[kReplyStartTime] = now()`).
 */
function timeKey(node: ts.Node): string | undefined {
  const key = markKey(node);
  if (key !== undefined) return key;
  const n = unwrap(node);
  if (!ts.isElementAccessExpression(n)) return undefined;
  const arg = unwrap(n.argumentExpression);
  return ts.isIdentifier(arg) ? `[${arg.text}]` : undefined;
}

/**
 * The file's facts with the marks kept under computed keys added (`this[kStart] = now()`); the
 * shared facts only know names and literal keys.
 */
function withKeyedMarks(facts: FileFacts): FileFacts {
  const keyed = new Map<string, ts.Node[]>();
  for (const b of facts.binaries) {
    if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const left = unwrap(b.left);
    if (!ts.isElementAccessExpression(left) || !isClockRead(facts, b.right)) continue;
    const key = timeKey(left);
    if (key === undefined || !key.startsWith("[")) continue;
    keyed.set(key, [...(keyed.get(key) ?? []), b]);
  }
  // `extendContext({ [kStartTime]: Date.now() })`: an entry stamped under a symbol key.
  walkKinds(facts.sourceFile, [ts.SyntaxKind.PropertyAssignment], (p) => {
    if (
      !ts.isPropertyAssignment(p) ||
      !ts.isComputedPropertyName(p.name) ||
      !ts.isIdentifier(p.name.expression) ||
      !isClockRead(facts, p.initializer)
    )
      return;
    const key = `[${p.name.expression.text}]`;
    keyed.set(key, [...(keyed.get(key) ?? []), p]);
  });
  if (keyed.size === 0) return facts;
  return { ...facts, marks: new Map([...facts.marks, ...keyed]) };
}

/** Whether a subtraction is kept under a duration's name (`const duration = …`, `{ latency: … }`). */
function heldAsDuration(node: ts.Node): boolean {
  let c = node;
  // (through a rounding: `const duration = Math.floor(performance.now() - start)`)
  while (
    c.parent !== undefined &&
    (ts.isParenthesizedExpression(c.parent) ||
      ts.isAsExpression(c.parent) ||
      (ts.isCallExpression(c.parent) &&
        c.parent.arguments.length === 1 &&
        PASS_THROUGH.test(callee(c.parent) ?? "")))
  )
    c = c.parent;
  const parent = c.parent;
  const name =
    parent !== undefined &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
    parent.initializer === c
      ? parent.name.getText()
      : undefined;
  return name !== undefined && /(duration|elapsed|latency|took|runtime|responseTime)/i.test(name);
}

/** Per file: the names its top level imports (`import m from`, `const { a } = require(…)`). */
const importsOf = new WeakMap<ts.SourceFile, Set<string>>();

function importedNames(file: ts.SourceFile): Set<string> {
  let names = importsOf.get(file);
  if (names !== undefined) return names;
  names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names?.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const st of file.statements) {
    if (ts.isImportDeclaration(st) && st.importClause !== undefined) {
      const clause = st.importClause;
      if (clause.name !== undefined) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings !== undefined && ts.isNamedImports(bindings))
        for (const e of bindings.elements) names.add(e.name.text);
    } else if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) {
        const init = d.initializer === undefined ? undefined : unwrap(d.initializer);
        if (init !== undefined && ts.isCallExpression(init) && callee(init) === "require")
          bind(d.name);
      }
  }
  importsOf.set(file, names);
  return names;
}

/**
 * A call of a free function with no arguments (`hrTime()`), or of a function of an imported module
 * (`mockable.getTimestamp()`): its callee's name.
 */
function bareCall(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (!ts.isCallExpression(n) || n.arguments.length !== 0) return undefined;
  if (ts.isIdentifier(n.expression)) return n.expression.text;
  const e = n.expression;
  return ts.isPropertyAccessExpression(e) &&
    ts.isIdentifier(e.expression) &&
    importedNames(n.getSourceFile()).has(e.expression.text)
    ? `${e.expression.text}.${e.name.text}`
    : undefined;
}

/**
 * Clocks of another file, known by what the code does with them: a function of no arguments not
 * defined in this file (`hrTime()` of a telemetry package, a project's `now()`), one reading of which
 * is kept in a variable and later subtracted from, or handed to one call together with, another
 * reading of the same function (`const start = hrTime(); … hrTimeDuration(start, hrTime())`).
 * Whatever the function is called, two of its readings taken apart and combined are a time span.
 * Such functions join the file's clock helpers, and what they are assigned to its start marks.
 */
function withInferredClocks(facts: FileFacts): FileFacts {
  const defined = new Set(facts.functions.map((f) => functionName(f)));
  const kept = new Map<string, ts.Node[]>(); // function → declarations holding its reading
  walkKinds(facts.sourceFile, [ts.SyntaxKind.VariableDeclaration], (d) => {
    if (!ts.isVariableDeclaration(d) || !ts.isIdentifier(d.name) || d.initializer === undefined)
      return;
    const fn = bareCall(d.initializer);
    if (fn === undefined || defined.has(fn) || isClockRead(facts, d.initializer)) return;
    kept.set(fn, [...(kept.get(fn) ?? []), d]);
  });
  if (kept.size === 0) return facts;
  const inferred = new Set<string>();
  /** `prev = now`: a variable handed a kept reading holds one too (the previous sample's). */
  const handed = new Map<string, ts.BinaryExpression[]>();
  for (const [fn, declarations] of kept) {
    const names = new Set(declarations.map((d) => (d as ts.VariableDeclaration).name.getText()));
    for (const b of facts.binaries) {
      const right = unwrap(b.right);
      const left = unwrap(b.left);
      if (
        b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(right) &&
        names.has(right.text) &&
        ts.isIdentifier(left) &&
        !names.has(left.text)
      ) {
        names.add(left.text);
        handed.set(fn, [...(handed.get(fn) ?? []), b]);
      }
    }
    const held = (n: ts.Node): boolean =>
      ts.isIdentifier(unwrap(n)) && names.has(unwrap(n).getText());
    const reading = (n: ts.Node): boolean => held(n) || bareCall(n) === fn;
    const combined =
      facts.binaries.some(
        (b) =>
          b.operatorToken.kind === ts.SyntaxKind.MinusToken &&
          reading(b.left) &&
          reading(b.right) &&
          (held(b.left) || held(b.right)),
      ) ||
      facts.calls.some(
        (c) =>
          bareCall(c) !== fn && c.arguments.filter(reading).length >= 2 && c.arguments.some(held),
      );
    if (combined) inferred.add(fn);
  }
  if (inferred.size === 0) return facts;
  const marks = new Map<string, ts.Node[]>(
    [...facts.marks].map(([k, v]) => [k, [...v]] as [string, ts.Node[]]),
  );
  const add = (key: string | undefined, statement: ts.Node): void => {
    if (key === undefined) return;
    const list = marks.get(key) ?? [];
    if (!list.includes(statement)) list.push(statement);
    marks.set(key, list);
  };
  for (const fn of inferred) {
    for (const d of kept.get(fn) ?? []) add((d as ts.VariableDeclaration).name.getText(), d);
    for (const b of handed.get(fn) ?? []) add(timeKey(b.left), b);
  }
  for (const b of facts.binaries)
    if (b.operatorToken.kind === ts.SyntaxKind.EqualsToken && inferred.has(bareCall(b.right) ?? ""))
      add(timeKey(b.left), b);
  return { ...facts, clockHelpers: new Set([...facts.clockHelpers, ...inferred]), marks };
}

/** `end || now()`, `this[kEnd] ?? Date.now()`: a later mark when set, else the clock. */
function markOrClock(facts: FileFacts, node: ts.Node): boolean {
  const n = unwrap(node);
  if (
    !ts.isBinaryExpression(n) ||
    (n.operatorToken.kind !== ts.SyntaxKind.BarBarToken &&
      n.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken)
  )
    return false;
  const key = timeKey(n.left);
  return isClockRead(facts, n.right) && key !== undefined && facts.marks.has(key);
}

/**
 * A time value read with a default for "not set": `start || 0`, `start ?? 0` — the mark itself
 * (`this.attrs.lastRunAt?.getTime() || 0`).
 */
function withoutDefault(node: ts.Node): ts.Node {
  const n = unwrap(node);
  if (
    ts.isBinaryExpression(n) &&
    (n.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) &&
    ts.isNumericLiteral(unwrap(n.right))
  )
    return unwrap(n.left);
  return n;
}

/** The expression a start mark is kept in: `start` for `start`, `start.getTime()`, `start || 0`. */
function markHolder(node: ts.Node): ts.Node {
  const n = withoutDefault(node);
  if (
    ts.isCallExpression(n) &&
    n.arguments.length === 0 &&
    ts.isPropertyAccessExpression(n.expression) &&
    (n.expression.name.text === "getTime" || n.expression.name.text === "valueOf")
  )
    return unwrap(n.expression.expression);
  return n;
}

/** Whether an expression holds a point in time: a start mark of the file, or (weakly) its name says so. */
function isMark(facts: FileFacts, node: ts.Node): boolean {
  const n = withoutDefault(node);
  // `+snapshot.createdAt`: a date made a number.
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.PlusToken)
    return isMark(facts, n.operand);
  if (isClockRead(facts, n)) return false;
  if (ts.isNumericLiteral(n) || ts.isBigIntLiteral(n)) return false;
  if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
    // `start.getTime()`, `startTimes.get(id)`
    if (n.expression.name.text === "getTime" || n.expression.name.text === "valueOf")
      return isMark(facts, n.expression.expression);
    if (n.expression.name.text === "get") return true;
  }
  const key = timeKey(n);
  if (key === undefined) return false;
  if (facts.marks.has(key)) return true;
  // `const { began } = entry` where the file stamps `.began` from the clock (mo24).
  if (ts.isIdentifier(n) && destructuredMark(facts, n)) return true;
  const leaf = key.replace(/^\./, "");
  return MARK_NAME.test(leaf) && !NOT_MARK.test(leaf) && !dataDate(facts, n);
}

/**
 * Whether a local is a date made from data in its function (`const lastModified =
 * parseHttpDate(header)`, `new Date(row.created)`): a time the program was given, whatever its
 * name says — not a start mark taken by the code.
 */
function dataDate(facts: FileFacts, node: ts.Node): boolean {
  if (!ts.isIdentifier(node)) return false;
  const fn = enclosingFunction(node);
  if (fn === undefined) return false;
  let init: ts.Expression | undefined;
  walk(fn, (d) => {
    if (
      ts.isVariableDeclaration(d) &&
      ts.isIdentifier(d.name) &&
      d.name.text === node.text &&
      d.pos < node.pos &&
      d.initializer !== undefined
    )
      init = d.initializer;
  });
  if (init === undefined) return false;
  const value = unwrap(init);
  if (ts.isNewExpression(value))
    return chain(value.expression) === "Date" && (value.arguments?.length ?? 0) > 0;
  if (!ts.isCallExpression(value)) return false;
  // Made from an input (`parseHttpDate(header)`); a clock reading (no input) or a stored mark
  // looked up (`starts.get(id)`) stays a mark.
  let clock = false;
  walk(value, (m) => {
    if (!clock && isClockRead(facts, m)) clock = true;
  });
  return !clock && value.arguments.length > 0 && !/(^|\.)get$/.test(callee(value) ?? "");
}

/** `d.getTime()` on some date. */
function isGetTime(
  node: ts.Node,
): node is ts.CallExpression & { expression: ts.PropertyAccessExpression } {
  return (
    ts.isCallExpression(node) &&
    node.arguments.length === 0 &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === "getTime"
  );
}

/**
 * Whether a date is a reading of "now" taken in the function that subtracts it (`const now = new
 * Date(); end.getTime() - now.getTime()`): then the difference is the time left, not time elapsed.
 */
function freshReading(facts: FileFacts, date: ts.Node, delta: ts.Node): boolean {
  const key = timeKey(unwrap(date));
  if (key === undefined || !ts.isIdentifier(unwrap(date))) return false;
  const fn = enclosingFunction(delta);
  return (facts.marks.get(key) ?? []).some(
    (m) => fn !== undefined && m.pos >= fn.pos && m.end <= fn.end,
  );
}

/** `clock − mark`, `mark − mark`, `process.hrtime(mark)`, `elapsed(mark)`. */
function asDelta(facts: FileFacts, node: ts.Node): Delta | undefined {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.MinusToken) {
    const left = unwrap(node.left);
    const right = withoutDefault(node.right);
    if ((isClockRead(facts, left) || markOrClock(facts, left)) && isMark(facts, right))
      return { node, start: right };
    // `const duration = Date.now() - this.processedOn`: the clock minus a value this file never
    // stamps, kept under a duration's name (a weak signal, only beside a clock reading).
    if (isClockRead(facts, left) && heldAsDuration(node) && !ts.isNumericLiteral(right))
      return { node, start: right };
    // `end - start`: a mark holding the later reading minus an earlier one.
    const leftKey = timeKey(left);
    if (leftKey !== undefined && facts.marks.has(leftKey) && isMark(facts, right))
      return { node, start: right };
    // `end.getTime() - start.getTime()` on Date marks.
    if (
      ts.isCallExpression(left) &&
      ts.isPropertyAccessExpression(left.expression) &&
      left.expression.name.text === "getTime" &&
      facts.marks.has(timeKey(left.expression.expression) ?? "") &&
      isMark(facts, right)
    )
      return { node, start: right };
    // `endDate.getTime() - startDate.getTime()`: two dates handed in (a helper's parameters), the
    // earlier one a start mark — unless the later one is a deadline or an expiry.
    if (
      isGetTime(left) &&
      isGetTime(right) &&
      isMark(facts, right) &&
      !NOT_MARK.test(timeKey(left.expression.expression) ?? "") &&
      !freshReading(facts, right.expression.expression, node)
    )
      return { node, start: right };
    return undefined;
  }
  if (ts.isCallExpression(node)) {
    const name = callee(node);
    if (
      name !== undefined &&
      /(^|\.)hrtime$/.test(name) &&
      node.arguments.length === 1 &&
      node.arguments[0] !== undefined
    )
      return { node, start: node.arguments[0] };
    const start = elapsedHelperCall(facts, node);
    if (start !== undefined) return { node, start };
    const between = betweenTwoTimes(facts, node, name);
    if (between !== undefined) return { node, start: between };
  }
  return undefined;
}

/**
 * A call handed two points in time — a start mark and a clock reading, or two marks
 * (`formatDateDifference(this.startTime, this.childStartTime)`, `hrTimeDuration(start, hrTime())`):
 * the time between them worked out by a helper of another file. One of the two must be a clock
 * reading or a mark this file takes; names alone never make one. Returns the earlier mark.
 * A call given anything besides the two times is not one.
 */
function betweenTwoTimes(
  facts: FileFacts,
  node: ts.CallExpression,
  name: string | undefined,
): ts.Node | undefined {
  // Only the two times: a helper given more (`determineDeleteAt(base, now, directives, staleAt)`)
  // works out something else from them (a point in time to expire at).
  if (node.arguments.length !== 2 || name === undefined) return undefined;
  if (PASS_THROUGH.test(name) || SCHEDULERS.test(name) || /^Math\./.test(name)) return undefined;
  const clocks = node.arguments.filter((a) => isClockRead(facts, a));
  const held = node.arguments.filter((a) => !isClockRead(facts, a) && isMark(facts, a));
  if (held.length === 0 || clocks.length + held.length < 2) return undefined;
  const taken =
    clocks.length > 0 || held.some((a) => facts.marks.has(timeKey(markHolder(a)) ?? ""));
  return taken ? held[0] : undefined;
}

type Use = "measure" | "compare" | "schedule" | "none";

interface Flow {
  readonly use: Use;
  /** Where the elapsed time ends up (the log call, the stored field, the return). */
  readonly sink?: ts.Node;
  /** The comparisons met on the way (for slow-operation warnings). */
  readonly comparisons: readonly ts.Node[];
  /** Declarations the value was stored in on the way. */
  readonly via: readonly ts.Node[];
}

function merge(flows: readonly Flow[], via: ts.Node): Flow {
  const comparisons = flows.flatMap((f) => f.comparisons);
  const vias = [via, ...flows.flatMap((f) => f.via)];
  const measured = flows.find((f) => f.use === "measure");
  if (measured !== undefined)
    return {
      use: "measure",
      ...(measured.sink ? { sink: measured.sink } : {}),
      comparisons,
      via: vias,
    };
  if (flows.some((f) => f.use === "schedule")) return { use: "schedule", comparisons, via: vias };
  if (comparisons.length > 0) return { use: "compare", comparisons, via: vias };
  return { use: "none", comparisons, via: vias };
}

/**
 * Reads of a module variable (`let envTime` at the top of the file) outside the function that
 * assigns it: `state.durations.env = envTime` in another function.
 */
function moduleUses(name: ts.Identifier): ts.Identifier[] {
  const file = name.getSourceFile();
  const top = file.statements.some(
    (st) =>
      ts.isVariableStatement(st) &&
      st.declarationList.declarations.some(
        (d) => ts.isIdentifier(d.name) && d.name.text === name.text,
      ),
  );
  if (!top) return [];
  const fn = enclosingFunction(name);
  const found: ts.Identifier[] = [];
  walkKinds(file, [ts.SyntaxKind.Identifier], (node) => {
    if (
      !ts.isIdentifier(node) ||
      node.text !== name.text ||
      (fn !== undefined && node.pos >= fn.pos && node.end <= fn.end) ||
      ts.isVariableDeclaration(node.parent) ||
      (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) ||
      (ts.isBinaryExpression(node.parent) && node.parent.left === node)
    )
      return;
    found.push(node);
  });
  return found;
}

/**
 * Reads of a variable declared by an enclosing function (not the file) outside the closure that
 * assigns it: `let ms = 0; … execute(async () => { … ms = now() - start; }); report({ ms })`.
 */
function outerUses(name: ts.Identifier): ts.Identifier[] | undefined {
  const inner = enclosingFunction(name);
  if (inner === undefined) return undefined;
  for (let fn = enclosingFunction(inner); fn !== undefined; fn = enclosingFunction(fn)) {
    const scope = fn;
    let declared = false;
    walkKinds(scope, [ts.SyntaxKind.VariableDeclaration], (d) => {
      if (
        ts.isVariableDeclaration(d) &&
        ts.isIdentifier(d.name) &&
        d.name.text === name.text &&
        enclosingFunction(d) === scope
      )
        declared = true;
    });
    if (!declared) continue;
    const found: ts.Identifier[] = [];
    walkKinds(scope, [ts.SyntaxKind.Identifier], (node) => {
      if (
        !ts.isIdentifier(node) ||
        node.text !== name.text ||
        (node.pos >= inner.pos && node.end <= inner.end) ||
        ts.isVariableDeclaration(node.parent) ||
        (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) ||
        (ts.isPropertyAssignment(node.parent) && node.parent.name === node) ||
        (ts.isBinaryExpression(node.parent) && node.parent.left === node)
      )
        return;
      found.push(node);
    });
    return found;
  }
  return undefined;
}

/** Uses of a local variable after its declaration, within the function (or file) declaring it. */
function usesOf(name: ts.Identifier): ts.Identifier[] {
  let scope: ts.Node = name;
  while (scope.parent !== undefined && !isFunctionLike(scope) && !ts.isSourceFile(scope))
    scope = scope.parent;
  const found: ts.Identifier[] = [];
  // Other declarations of the same name in the scope (`const age` in two blocks of one function):
  // a use inside one's block belongs to it, not to ours.
  const others: ts.Node[] = [];
  walk(scope, (node) => {
    if (ts.isIdentifier(node) && node !== name && node.text === name.text && node.pos > name.pos) {
      if (ts.isVariableDeclaration(node.parent) && node.parent.name === node) {
        const block = blockOf(node.parent);
        if (block !== undefined && !(name.pos >= block.pos && name.end <= block.end))
          others.push(block);
        return;
      }
      if (others.some((b) => node.pos >= b.pos && node.end <= b.end)) return;
      found.push(node);
    }
  });
  return found;
}

/**
 * The position of the block (inside the identifier's function) whose statements declare it as a
 * local, or -1: `const stamp` of one `if` branch is not `const stamp` of the other.
 */
function localBlock(id: ts.Identifier): number {
  for (let c: ts.Node | undefined = id.parent; c !== undefined; c = c.parent) {
    if (isFunctionLike(c) || ts.isSourceFile(c)) return -1;
    if (
      ts.isBlock(c) &&
      c.statements.some(
        (st) =>
          ts.isVariableStatement(st) &&
          st.declarationList.declarations.some(
            (d) => ts.isIdentifier(d.name) && d.name.text === id.text,
          ),
      )
    )
      return c.pos;
  }
  return -1;
}

/** The block a `let`/`const` declaration is scoped to. */
function blockOf(declaration: ts.VariableDeclaration): ts.Node | undefined {
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.BlockScoped) === 0)
    return undefined;
  for (let c: ts.Node | undefined = list.parent; c !== undefined; c = c.parent)
    if (ts.isBlock(c) || ts.isSourceFile(c) || isFunctionLike(c)) return c;
  return undefined;
}

/**
 * Whether a value is a point in time a span can be added to: a clock reading, or a mark of the file
 * (or a value whose name says so) read as it is. A value with a default (`(totals.get(k) || 0)`) or
 * looked up in a store is a running total the span is summed into, not a time (mo25).
 */
function pointInTime(facts: FileFacts, node: ts.Node): boolean {
  const n = unwrap(node);
  if (isClockRead(facts, n)) return true;
  if (withoutDefault(n) !== n) return false;
  if (ts.isCallExpression(n) && !isGetTime(n)) return false;
  return isMark(facts, n);
}

/**
 * Whether a text reaches a report: handed to a call that is not a pass-through or a scheduler (a
 * log, an emit, a callback), made into an error or another object, thrown — directly, joined to
 * more text, or through locals. Text only returned or stored is output the program makes for its
 * users (a "time ago" label, a link), not a report of how long something took.
 */
function textReported(text: ts.Node, depth = 0): boolean {
  if (depth > 3) return false;
  let current = text;
  for (let step = 0; step < 12; step++) {
    const parent = current.parent;
    if (parent === undefined) return false;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isConditionalExpression(parent) ||
      (ts.isBinaryExpression(parent) &&
        (parent.operatorToken.kind === ts.SyntaxKind.PlusToken ||
          parent.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
          parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) ||
      ts.isTemplateSpan(parent) ||
      ts.isTemplateExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isSpreadElement(parent)
    ) {
      current = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
      // `msg.trim()`, `parts.join(" ")`: the call's result is the text.
      if (!ts.isCallExpression(parent.parent)) return false;
      current = parent.parent;
      continue;
    }
    if (ts.isCallExpression(parent)) {
      if (parent.expression === current) return false;
      const name = callee(parent) ?? "";
      if (PASS_THROUGH.test(name)) {
        current = parent;
        continue;
      }
      return !SCHEDULERS.test(name);
    }
    if (ts.isNewExpression(parent) || ts.isThrowStatement(parent)) return true;
    // `log.debug(() => `…`)`: text made on demand for the call the function is handed to.
    if (ts.isArrowFunction(parent) && parent.body === current) {
      current = parent;
      continue;
    }
    // `{ message: … }` handed to a call (`logger.info({ msg })`, `emit("x", { detail })`).
    if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) {
      current = parent.parent;
      continue;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === current) {
      if (!ts.isIdentifier(parent.name)) return false;
      return usesOf(parent.name).some((u) => textReported(u, depth + 1));
    }
    if (
      ts.isBinaryExpression(parent) &&
      (parent.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
        parent.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) &&
      parent.right === current
    ) {
      const target = unwrap(parent.left);
      return ts.isIdentifier(target) && usesOf(target).some((u) => textReported(u, depth + 1));
    }
    return false;
  }
  return false;
}

/** Where an elapsed time goes: measured (logged, stored, emitted, returned), compared, or scheduled. */
function flowOf(facts: FileFacts, node: ts.Node, depth = 0): Flow {
  const none: Flow = { use: "none", comparisons: [], via: [] };
  if (depth > 3) return none;
  let current = node;
  for (let step = 0; step < 12; step++) {
    const parent = current.parent;
    if (parent === undefined) return none;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isPrefixUnaryExpression(parent) ||
      ts.isSpreadElement(parent) ||
      (ts.isConditionalExpression(parent) && parent.condition !== current)
    ) {
      current = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current) {
      // `elapsed.toFixed(2)`, `hr[0]`: follow the call or element read.
      current = ts.isCallExpression(parent.parent) ? parent.parent : parent;
      continue;
    }
    if (ts.isElementAccessExpression(parent) && parent.expression === current) {
      current = parent;
      continue;
    }
    if (ts.isBinaryExpression(parent)) {
      const op = parent.operatorToken.kind;
      if (COMPARISON.has(op)) {
        const other = parent.left === current ? parent.right : parent.left;
        // `delta > 0 ? … : …` guards against clock skew; the value still goes on.
        if (ts.isNumericLiteral(unwrap(other)) && unwrap(other).getText() === "0") return none;
        return { use: "compare", comparisons: [parent], via: [] };
      }
      // `budget - elapsed`: the time left of a budget (deadline arithmetic), not a measurement.
      if (op === ts.SyntaxKind.MinusToken && parent.right === current)
        return { use: "schedule", comparisons: [], via: [] };
      // `epochStart + (performance.now() - monoStart)`: a span added to a point in time is a
      // point in time (a clock anchored on another, an end computed from a start), not a
      // measurement of anything (mo25).
      if (op === ts.SyntaxKind.PlusToken) {
        const other = parent.left === current ? parent.right : parent.left;
        if (pointInTime(facts, other)) return none;
      }
      // `this.readyAt && Date.now() - this.readyAt`: the time when the mark is set goes on.
      if (
        ARITHMETIC.has(op) ||
        (op === ts.SyntaxKind.AmpersandAmpersandToken && parent.right === current)
      ) {
        current = parent;
        continue;
      }
      if (
        op === ts.SyntaxKind.PlusEqualsToken ||
        op === ts.SyntaxKind.MinusEqualsToken ||
        op === ts.SyntaxKind.EqualsToken
      ) {
        if (parent.right !== current) return none;
        const target = unwrap(parent.left);
        if (ts.isIdentifier(target) && op === ts.SyntaxKind.EqualsToken) {
          // A variable of the module is read by other functions of the file.
          const local = usesOf(target);
          if (local.length === 0) {
            // …its store is where the time ends up here: the reads are other constructs' lines.
            // A `let` of an enclosing function set in a closure (`finally { ms = now() - start }`,
            // a stream's first-chunk handler) is read by that function once the closure ran.
            const outer = outerUses(target);
            const read = merge(
              (outer ?? moduleUses(target)).map((u) => flowOf(facts, u, depth + 1)),
              topStatement(parent),
            );
            return read.use === "measure"
              ? { use: "measure", sink: parent, comparisons: [], via: [] }
              : read;
          }
          const declared = local;
          return merge(
            declared.filter((u) => u !== target).map((u) => flowOf(facts, u, depth + 1)),
            topStatement(parent),
          );
        }
        return { use: "measure", sink: parent, comparisons: [], via: [] };
      }
      return none;
    }
    if (ts.isCallExpression(parent)) {
      if (parent.expression === current) return none;
      const name = callee(parent) ?? "";
      if (PASS_THROUGH.test(name)) {
        current = parent;
        continue;
      }
      if (SCHEDULERS.test(name)) return { use: "schedule", comparisons: [], via: [] };
      return { use: "measure", sink: parent, comparisons: [], via: [] };
    }
    // `new Date(Date.now() - lifetime)`: a date made from it is a point in time — an expiry or a
    // cut-off computed for the program's data, not a measurement (mo25).
    if (ts.isNewExpression(parent) && chain(parent.expression) === "Date") return none;
    // Text made from it is a measurement when the text is reported (a log, an event, an error);
    // text that is only handed back or stored is the program's own output — "5 minutes ago", a
    // replay link's offset (mo25).
    if (ts.isTemplateSpan(parent))
      return textReported(parent.parent)
        ? { use: "measure", sink: parent, comparisons: [], via: [] }
        : none;
    if (ts.isNewExpression(parent) || ts.isArrayLiteralExpression(parent))
      return { use: "measure", sink: parent, comparisons: [], via: [] };
    if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent))
      return { use: "measure", sink: parent, comparisons: [], via: [] };
    if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === current))
      return { use: "measure", sink: parent, comparisons: [], via: [] };
    if (
      ts.isConditionalExpression(parent) ||
      ts.isIfStatement(parent) ||
      ts.isWhileStatement(parent)
    )
      return { use: "compare", comparisons: [parent], via: [] };
    if (ts.isVariableDeclaration(parent) && parent.initializer === current) {
      if (!ts.isIdentifier(parent.name))
        return { use: "measure", sink: parent, comparisons: [], via: [] };
      return merge(
        usesOf(parent.name).map((u) => flowOf(facts, u, depth + 1)),
        topStatement(parent),
      );
    }
    return none;
  }
  return none;
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
}

/**
 * The statement that assigned the start mark. A variable: its assignment nearest before the delta
 * in a function around it (a parameter of that name in between is another variable: the mark was
 * taken by the caller). A property (`this.startedAt`, `req[kStart]`): in the same class (or
 * module), nearest before the delta in its own function, else nearest before it, else the first
 * after it — a mark set in a method written below the one that reads it.
 */
function markStatement(facts: FileFacts, start: ts.Node, delta: ts.Node): ts.Node | undefined {
  const key = timeKey(markHolder(start));
  // The delta's own assignment (`timers[name] = process.hrtime(timers[name])`) is no mark of it.
  const candidates =
    key === undefined
      ? undefined
      : facts.marks.get(key)?.filter((c) => !(c.pos <= delta.pos && delta.end <= c.end));
  if (candidates === undefined || key === undefined) return undefined;
  const container = (n: ts.Node): ts.Node | undefined => {
    for (let c = n.parent; c !== undefined; c = c.parent)
      if (ts.isClassDeclaration(c) || ts.isClassExpression(c) || ts.isSourceFile(c)) return c;
    return undefined;
  };
  const around = (candidate: ts.Node): boolean => {
    const fn = enclosingFunction(candidate);
    return fn === undefined || (fn.pos <= delta.pos && delta.end <= fn.end);
  };
  let best: ts.Node | undefined;
  if (!key.startsWith(".") && !key.startsWith("[")) {
    const shadow = shadowingParameter(delta, key);
    for (const candidate of candidates) {
      if (candidate.pos > delta.pos || !around(candidate)) continue;
      if (shadow !== undefined && candidate.pos < shadow.pos) continue;
      if (best === undefined || candidate.pos > best.pos) best = candidate;
    }
  } else {
    const own = container(delta);
    const fn = enclosingFunction(delta);
    const mine = candidates.filter((c) => container(c) === own);
    const before = mine.filter((c) => c.pos <= delta.pos);
    const nearest = (list: ts.Node[]): ts.Node | undefined =>
      list.reduce<ts.Node | undefined>(
        (b, c) => (b === undefined || c.pos > b.pos ? c : b),
        undefined,
      );
    best =
      nearest(before.filter((c) => fn !== undefined && enclosingFunction(c) === fn)) ??
      nearest(before) ??
      mine
        .filter((c) => c.pos > delta.pos && enclosingFunction(c) !== fn)
        .sort((a, b) => a.pos - b.pos)[0];
  }
  if (best === undefined) return undefined;
  return ts.isPropertyDeclaration(best) || ts.isPropertyAssignment(best)
    ? best
    : topStatement(best);
}

/** An entry made with a clock reading in it: `{ description, start: now() }` (mo24). */
function stampedEntry(facts: FileFacts, node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    ts.isObjectLiteralExpression(n) &&
    n.properties.some((p) => ts.isPropertyAssignment(p) && isClockRead(facts, p.initializer))
  );
}

/**
 * Clock readings stored by key in a container, by the container's text: `timers.set(label,
 * Date.now())`, `this._timers[label] = new Date()`, `starts[id] = process.hrtime.bigint()`.
 */
function marksByKey(facts: FileFacts): Map<string, ts.Node[]> {
  const found = new Map<string, ts.Node[]>();
  const add = (container: ts.Node, statement: ts.Node): void => {
    const key = chain(container);
    if (key === undefined) return;
    found.set(key, [...(found.get(key) ?? []), topStatement(statement)]);
  };
  for (const c of facts.calls) {
    const value = c.arguments[1];
    if (
      c.arguments.length === 2 &&
      value !== undefined &&
      ts.isPropertyAccessExpression(c.expression) &&
      c.expression.name.text === "set" &&
      (isClockRead(facts, value) || stampedEntry(facts, value))
    )
      add(c.expression.expression, c);
  }
  for (const b of facts.binaries) {
    const left = unwrap(b.left);
    if (
      b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isElementAccessExpression(left) &&
      !ts.isStringLiteralLike(left.argumentExpression) &&
      !ts.isNumericLiteral(left.argumentExpression) &&
      isClockRead(facts, b.right)
    )
      add(left.expression, b);
  }
  return found;
}

/**
 * The statement of a later mark a delta subtracts from (`end` of `end - start`, `endTime.getTime()
 * - …`), when it is a `const` of the delta's own function set from the clock and read only there.
 */
function laterMark(facts: FileFacts, delta: ts.Node): ts.Node | undefined {
  if (!ts.isBinaryExpression(delta)) return undefined;
  const left = markHolder(delta.left);
  if (!ts.isIdentifier(left)) return undefined;
  const fn = enclosingFunction(delta);
  if (fn === undefined) return undefined;
  const own = (facts.marks.get(left.text) ?? []).filter(
    (m) =>
      ts.isVariableDeclaration(m) &&
      m.pos >= fn.pos &&
      m.end <= fn.end &&
      m.pos < delta.pos &&
      enclosingFunction(m) === fn &&
      ts.isVariableDeclarationList(m.parent) &&
      (m.parent.flags & ts.NodeFlags.Const) !== 0,
  );
  const mark = own[own.length - 1];
  if (mark === undefined || !ts.isVariableDeclaration(mark) || !ts.isIdentifier(mark.name))
    return undefined;
  return usesOf(mark.name).length === 1 ? topStatement(mark) : undefined;
}

/**
 * The declaration of the map a keyed mark is stored in (`const starts = new WeakMap()`, a field
 * `#starts = new Map()`), when every value the file puts in it is a clock reading: the map exists
 * only to carry start marks from one hook to another.
 */
function markStore(
  facts: FileFacts,
  keyed: ReadonlyMap<string, readonly ts.Node[]>,
  mark: ts.Node,
): ts.Node | undefined {
  const container = [...keyed].find(([, list]) => list.includes(mark))?.[0];
  if (container === undefined) return undefined;
  const name = container.replace(/^this\./, "");
  if (!/^#?[\w$]+$/.test(name)) return undefined;
  const field = container !== name;
  let declaration: ts.Node | undefined;
  walkKinds(
    facts.sourceFile,
    [ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.PropertyDeclaration],
    (d) => {
      if (declaration !== undefined) return;
      if (field ? !ts.isPropertyDeclaration(d) : !ts.isVariableDeclaration(d)) return;
      const decl = d as ts.VariableDeclaration | ts.PropertyDeclaration;
      const init = decl.initializer === undefined ? undefined : unwrap(decl.initializer);
      if (
        decl.name.getText() === name &&
        init !== undefined &&
        ts.isNewExpression(init) &&
        /^(Weak)?Map$/.test(init.expression.getText())
      )
        declaration = ts.isVariableDeclaration(decl) ? topStatement(decl) : decl;
    },
  );
  if (declaration === undefined) return undefined;
  const onlyMarks = facts.calls.every(
    (c) =>
      !ts.isPropertyAccessExpression(c.expression) ||
      c.expression.name.text !== "set" ||
      chain(c.expression.expression) !== container ||
      (c.arguments[1] !== undefined && isClockRead(facts, c.arguments[1])),
  );
  return onlyMarks ? declaration : undefined;
}

/** Per file: the fields whose time is restored from, or saved to, storage. */
const persistedOf = new WeakMap<ts.SourceFile, Set<string>>();

/** A call that is neither a clock nor a pass-through (`Math.max(…)`, `Number(…)`). */
function otherCall(facts: FileFacts, node: ts.Node): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    !isClockRead(facts, node) &&
    !PASS_THROUGH.test(callee(node) ?? "") &&
    !/^Math\./.test(callee(node) ?? "")
  );
}

/**
 * Fields (`.sessionStartTime`) whose time is data the program keeps: assigned somewhere from a
 * lookup given a key besides any time (`this.startedAt = loadStart(apiKey, sessionId, now) ?? now`),
 * or handed to a write given a key besides it (`saveStart(apiKey, sessionId, this.startedAt)`,
 * `localStorage.setItem(KEY, String(this.startedAt))`). Such a time outlives the process — a
 * session's start restored after a reload and gated on — and is not a start mark of a timer,
 * even where the clock stamps it too (round-12 judges).
 */
function persistedKeys(facts: FileFacts): Set<string> {
  const known = persistedOf.get(facts.sourceFile);
  if (known !== undefined) return known;
  const keys = new Set<string>();
  const isTime = (a: ts.Node): boolean => isClockRead(facts, a) || isMark(facts, a);
  const restored = (value: ts.Node): boolean => {
    const v = unwrap(value);
    if (ts.isConditionalExpression(v)) return restored(v.whenTrue) || restored(v.whenFalse);
    if (
      ts.isBinaryExpression(v) &&
      (v.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        v.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      return restored(v.left);
    if (ts.isAwaitExpression(v)) return restored(v.expression);
    return (
      otherCall(facts, v) &&
      v.arguments.length >= 2 &&
      v.arguments.some((a) => !isTime(a) && !ts.isObjectLiteralExpression(unwrap(a)))
    );
  };
  for (const b of facts.binaries) {
    const left = unwrap(b.left);
    if (
      b.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(left) &&
      restored(b.right)
    )
      keys.add(`.${left.name.text}`);
  }
  for (const c of facts.calls) {
    const name = callee(c) ?? "";
    const write = /(^|\.)setItem$/.test(name)
      ? 1
      : /(^|\.)(set|save|store|persist|write)[A-Z]\w*$/.test(name)
        ? 2
        : 0;
    if (write === 0 || c.arguments.length < write + 1) continue;
    for (const a of c.arguments) {
      let n = unwrap(a);
      if (otherCall(facts, n) === false && ts.isCallExpression(n) && n.arguments.length === 1)
        n = unwrap(n.arguments[0] as ts.Node);
      if (ts.isPropertyAccessExpression(n) && isTime(n)) keys.add(`.${n.name.text}`);
    }
  }
  persistedOf.set(facts.sourceFile, keys);
  return keys;
}

/**
 * Whether a delta's start is a persisted time: a field of `persistedKeys`, directly or through a
 * local of the delta's function set from it (`const startTime = this.sessionStartTime as number`).
 */
function persistedTime(facts: FileFacts, start: ts.Node): boolean {
  const keys = persistedKeys(facts);
  if (keys.size === 0) return false;
  const holder = markHolder(start);
  if (ts.isPropertyAccessExpression(holder)) return keys.has(`.${holder.name.text}`);
  if (!ts.isIdentifier(holder)) return false;
  const fn = enclosingFunction(holder);
  let from = false;
  if (fn !== undefined)
    walkKinds(fn, [ts.SyntaxKind.VariableDeclaration], (d) => {
      if (
        ts.isVariableDeclaration(d) &&
        ts.isIdentifier(d.name) &&
        d.name.text === holder.text &&
        d.initializer !== undefined &&
        d.pos < holder.pos
      ) {
        const init = markHolder(d.initializer);
        if (ts.isPropertyAccessExpression(init) && keys.has(`.${init.name.text}`)) from = true;
      }
    });
  return from;
}

/** The container a mark is looked up in: `timers` of `timers.get(k)` or `timers[k]`. */
function lookedUpIn(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (
    ts.isCallExpression(n) &&
    n.arguments.length === 1 &&
    ts.isPropertyAccessExpression(n.expression) &&
    n.expression.name.text === "get"
  )
    return chain(n.expression.expression);
  if (ts.isElementAccessExpression(n) && !ts.isNumericLiteral(n.argumentExpression))
    return chain(n.expression);
  return undefined;
}

/**
 * The statement storing the start mark a delta reads by key: the start is a lookup in a container
 * (`timers.get(label)`), directly or through a local of the delta's function (`const startTime =
 * this._timers[label]`), and the file stores clock readings in that container. The nearest one
 * before the delta, else the first; with the local's declaration when the lookup goes through one.
 */
function keyedMark(
  facts: FileFacts,
  keyed: ReadonlyMap<string, readonly ts.Node[]>,
  start: ts.Node,
  delta: ts.Node,
): { mark: ts.Node; lookup?: ts.Node } | undefined {
  if (keyed.size === 0) return undefined;
  const holder = markHolder(start);
  let container = lookedUpIn(holder);
  let lookup: ts.Node | undefined;
  if (container === undefined && ts.isIdentifier(holder)) {
    const fn = enclosingFunction(delta);
    if (fn === undefined) return undefined;
    walkKinds(fn, [ts.SyntaxKind.VariableDeclaration], (d) => {
      if (
        container === undefined &&
        ts.isVariableDeclaration(d) &&
        ts.isIdentifier(d.name) &&
        d.name.text === holder.text &&
        d.initializer !== undefined &&
        d.pos < delta.pos
      ) {
        container = lookedUpIn(d.initializer);
        if (container !== undefined) lookup = topStatement(d);
      }
    });
  }
  // `const { start } = timer` of `const timer = timers.get(name)`, or of the lookup itself.
  if (container === undefined && ts.isIdentifier(holder)) {
    const fn = enclosingFunction(delta);
    walkKinds(fn ?? delta, [ts.SyntaxKind.BindingElement], (b) => {
      if (
        container !== undefined ||
        !ts.isBindingElement(b) ||
        !ts.isIdentifier(b.name) ||
        b.name.text !== holder.text ||
        b.pos > delta.pos ||
        !ts.isObjectBindingPattern(b.parent) ||
        !ts.isVariableDeclaration(b.parent.parent) ||
        b.parent.parent.initializer === undefined
      )
        return;
      const entry = b.parent.parent.initializer;
      container = lookedUpIn(entry) ?? lookupContainer(entry);
      if (container !== undefined) lookup = topStatement(b.parent.parent);
    });
  }
  if (container === undefined) return undefined;
  const stores = keyed.get(container);
  const mark = stores?.filter((m) => m.pos < delta.pos).pop() ?? stores?.[0];
  if (mark === undefined) return undefined;
  return lookup === undefined ? { mark } : { mark, lookup };
}

/** The container a value is looked up in, directly or through a `const` of its function set by a lookup. */
function lookupContainer(node: ts.Node): string | undefined {
  const n = unwrap(node);
  const direct = lookedUpIn(n);
  if (direct !== undefined || !ts.isIdentifier(n)) return direct;
  const fn = enclosingFunction(n);
  if (fn === undefined) return undefined;
  let container: string | undefined;
  walkKinds(fn, [ts.SyntaxKind.VariableDeclaration], (d) => {
    if (
      container === undefined &&
      ts.isVariableDeclaration(d) &&
      ts.isIdentifier(d.name) &&
      d.name.text === n.text &&
      d.initializer !== undefined &&
      d.pos < n.pos &&
      ts.isVariableDeclarationList(d.parent) &&
      (d.parent.flags & ts.NodeFlags.Const) !== 0
    )
      container = lookedUpIn(d.initializer);
  });
  return container;
}

/** A local bound by destructuring a property the file stamps from the clock (`{ start }` of `.start`). */
function destructuredMark(facts: FileFacts, node: ts.Node): boolean {
  const n = unwrap(node);
  if (!ts.isIdentifier(n)) return false;
  for (let fn = enclosingFunction(n); fn !== undefined; fn = enclosingFunction(fn)) {
    let found: ts.BindingElement | undefined;
    walkKinds(fn, [ts.SyntaxKind.BindingElement], (b) => {
      if (
        found === undefined &&
        ts.isBindingElement(b) &&
        ts.isIdentifier(b.name) &&
        b.name.text === n.text &&
        b.pos < n.pos &&
        ts.isObjectBindingPattern(b.parent)
      )
        found = b;
    });
    if (found !== undefined) {
      const property = found.propertyName ?? found.name;
      return ts.isIdentifier(property) && facts.marks.has(`.${property.text}`);
    }
  }
  return false;
}

/**
 * `end - start` where both are looked up in one container the file keeps clock readings in by name
 * (`this.marks.set(name, performance.now())`; `const e = this.marks.get(b)`, `const s =
 * this.marks.get(a)`): the time between two named marks (added by mo24, session 18).
 */
function storedMarksDelta(
  facts: FileFacts,
  keyed: ReadonlyMap<string, readonly ts.Node[]>,
  node: ts.Node,
): Delta | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.MinusToken)
    return undefined;
  // `({ start, end }) => end - start`: two properties the file stamps from the clock, taken out of
  // one stored entry (`timers.push({ start: Date.now() })`, `timer.end = Date.now()`).
  if (destructuredMark(facts, node.left) && destructuredMark(facts, node.right))
    return { node, start: node.right };
  if (keyed.size === 0) return undefined;
  const left = lookupContainer(node.left);
  if (left === undefined || !keyed.has(left) || lookupContainer(node.right) !== left)
    return undefined;
  return { node, start: node.right };
}

/**
 * Whether a subtraction is in a comparator handed to a sort (`list.sort((a, b) => a.lastUsed -
 * b.lastUsed)`): two stamps ordered, no time measured.
 */
function inComparator(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  const call = fn?.parent;
  return (
    fn !== undefined &&
    call !== undefined &&
    ts.isCallExpression(call) &&
    call.arguments.includes(fn as ts.Expression) &&
    (/(^|\.)(sort|toSorted)$/.test(callee(call) ?? "") ||
      // A receiver `callee` cannot spell (`[...items].sort(…)`) counts too (mo24).
      (ts.isPropertyAccessExpression(call.expression) &&
        /^(sort|toSorted)$/.test(call.expression.name.text)))
  );
}

/** The nearest function around both nodes, if any (a class or the file does not count). */
function commonFunction(a: ts.Node, b: ts.Node): ts.Node | undefined {
  for (let c = enclosingFunction(a); c !== undefined; c = enclosingFunction(c))
    if (c.pos <= b.pos && b.end <= c.end) return c;
  return undefined;
}

/**
 * Whether a variable of a function is handed to a call as an argument (passed on), itself or as
 * the property of its name in an options object (`step({ callStart })`).
 */
function handedOn(fn: ts.Node, name: string): boolean {
  const given = (a: ts.Expression): boolean => {
    const n = unwrap(a);
    if (ts.isIdentifier(n)) return n.text === name;
    return (
      ts.isObjectLiteralExpression(n) &&
      n.properties.some(
        (p) =>
          (ts.isShorthandPropertyAssignment(p) && p.name.text === name) ||
          (ts.isPropertyAssignment(p) &&
            p.name.getText() === name &&
            ts.isIdentifier(unwrap(p.initializer)) &&
            unwrap(p.initializer).getText() === name),
      )
    );
  };
  let handed = false;
  walk(fn, (n) => {
    if (!handed && ts.isCallExpression(n) && n.arguments.some(given)) handed = true;
  });
  return handed;
}

/** Whether some call of the file is handed `x.name` (or `x?.name`) as an argument. */
function passedAsProperty(facts: FileFacts, name: string): boolean {
  return facts.calls.some((c) =>
    c.arguments.some((a) => {
      const n = unwrap(a);
      return ts.isPropertyAccessExpression(n) && n.name.text === name;
    }),
  );
}

/** A parameter named `name` of a function around `node` (the nearest), if any. */
function shadowingParameter(node: ts.Node, name: string): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent)
    if (isFunctionLike(c)) {
      // (or one destructured from it: `function step({ now, callStart }: Options)`)
      const p = c.parameters.find((q) =>
        ts.isIdentifier(q.name)
          ? q.name.text === name
          : ts.isObjectBindingPattern(q.name) &&
            q.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name),
      );
      if (p !== undefined) return c;
    }
  return undefined;
}

/** Whether `node` lies in the `then` branch of an `if` whose condition holds one of the comparisons. */
function guardedBy(node: ts.Node, comparisons: readonly ts.Node[]): boolean {
  for (let c = node.parent; c !== undefined; c = c.parent) {
    if (
      ts.isIfStatement(c) &&
      comparisons.some((k) => k.pos >= c.expression.pos && k.end <= c.expression.end)
    )
      return true;
    if (isFunctionLike(c)) return false;
  }
  return false;
}

/**
 * The `if` on a threshold whose branch holds the report (`if (ms > slowMs) logger.warn(…)`), when
 * that branch is short: the check and the warning are the timer's, replaced by an alert.
 */
function guardOf(node: ts.Node, comparisons: readonly ts.Node[]): ts.IfStatement | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) {
    if (
      ts.isIfStatement(c) &&
      comparisons.some((k) => k.pos >= c.expression.pos && k.end <= c.expression.end)
    ) {
      const file = c.getSourceFile();
      const branch = c.thenStatement;
      const lines =
        file.getLineAndCharacterOfPosition(branch.end).line -
        file.getLineAndCharacterOfPosition(branch.getStart(file)).line +
        1;
      return lines <= 10 && node.pos >= branch.pos && node.end <= branch.end ? c : undefined;
    }
    if (isFunctionLike(c)) return undefined;
  }
  return undefined;
}

/** Whether a node or any node under it reads the clock. */
function readsClock(facts: FileFacts, node: ts.Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (!found && isClockRead(facts, n)) found = true;
  });
  return found;
}

/**
 * Whether a statement only leaves early (`if (!timer) { console.warn(…); return; }`, `if (start
 * === undefined) return 0;`): a guard of the timing, not other work.
 */
function earlyExit(st: ts.Statement): boolean {
  if (!ts.isIfStatement(st) || st.elseStatement !== undefined) return false;
  const body = ts.isBlock(st.thenStatement) ? [...st.thenStatement.statements] : [st.thenStatement];
  const last = body[body.length - 1];
  return (
    last !== undefined &&
    ts.isReturnStatement(last) &&
    body.slice(0, -1).every((b) => ts.isExpressionStatement(b) && ts.isCallExpression(b.expression))
  );
}

/**
 * The class or function that exists only to time (ANALYZER-LABELS: "incl. small helpers doing only
 * this"): the innermost one holding the start mark and every delta, at most 30 lines, whose every
 * statement is the timing's own — a clock reading kept or reset, the elapsed time worked out, sent
 * or returned, an early exit — and whose fields are plain slots (a function that also does the
 * work it times is not one: its work stays). A Job class with `run()` stamping and `finish()` returning the elapsed time; a
 * factory returning `{ getTimeMs, reset }` over one hrtime mark.
 */
function timingOnly(
  facts: FileFacts,
  mark: ts.Node | undefined,
  deltas: readonly ts.Node[],
  sinks: readonly ts.Node[],
): ts.Node | undefined {
  if (mark === undefined || deltas.length === 0) return undefined;
  const file = facts.sourceFile;
  let container: ts.Node | undefined;
  for (let c = mark.parent; c !== undefined; c = c.parent) {
    if (ts.isSourceFile(c)) return undefined;
    if (!isFunctionLike(c) && !ts.isClassDeclaration(c) && !ts.isClassExpression(c)) continue;
    if (deltas.every((d) => d.pos >= c.pos && d.end <= c.end)) {
      container = c;
      break;
    }
  }
  if (container === undefined) return undefined;
  const span =
    file.getLineAndCharacterOfPosition(container.end).line -
    file.getLineAndCharacterOfPosition(container.getStart(file)).line +
    1;
  if (span > 30) return undefined;
  const parts = new Set<ts.Node>([mark, ...deltas, ...sinks].map((n) => topStatement(n)));
  let plain = true;
  const statements = (body: ts.Node): void => {
    if (!ts.isBlock(body)) {
      if (!readsClock(facts, body) && !deltas.some((d) => d.pos >= body.pos && d.end <= body.end))
        plain = false;
      return;
    }
    for (const st of body.statements) {
      if (!plain) return;
      if (parts.has(st) || earlyExit(st)) continue;
      if (ts.isTryStatement(st)) {
        // `try { return fn(); } finally { report(now() - start); }`: its blocks are judged.
        for (const block of [st.tryBlock, st.catchClause?.block, st.finallyBlock])
          if (block !== undefined) statements(block);
        continue;
      }
      const simple =
        ts.isReturnStatement(st) || ts.isVariableStatement(st) || ts.isExpressionStatement(st);
      if (simple && (ts.isReturnStatement(st) || readsClock(facts, st))) {
        // Closures handed back (`return { stop: () => … }`) are the timing's too.
        walk(st, (n) => {
          if (plain && n !== st && isFunctionLike(n) && n.body !== undefined) fn(n);
        });
        continue;
      }
      plain = false;
    }
  };
  const fn = (f: ts.FunctionLikeDeclaration): void => {
    if (f.body !== undefined) statements(f.body);
  };
  if (isFunctionLike(container)) fn(container);
  else
    for (const member of (container as ts.ClassLikeDeclaration).members) {
      if (!plain) break;
      if (ts.isPropertyDeclaration(member)) {
        const init = member.initializer === undefined ? undefined : unwrap(member.initializer);
        if (
          init !== undefined &&
          !ts.isNumericLiteral(init) &&
          init.kind !== ts.SyntaxKind.NullKeyword &&
          !readsClock(facts, init)
        )
          plain = false;
      } else if (
        ts.isMethodDeclaration(member) ||
        ts.isGetAccessor(member) ||
        ts.isConstructorDeclaration(member)
      )
        fn(member);
      else plain = false;
    }
  if (!plain) return undefined;
  if (ts.isClassDeclaration(container) || ts.isFunctionDeclaration(container)) return container;
  return ts.isVariableDeclaration(container.parent) ? topStatement(container.parent) : container;
}

/**
 * The `if` on a threshold whose short branch only reports (calls, no `throw` or `return`): a
 * slow-operation warning beside the measurement. A branch that fails or leaves is a deadline.
 */
function warnsOn(comparisons: readonly ts.Node[]): ts.IfStatement | undefined {
  for (const k of comparisons)
    for (let c = k.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
      if (!ts.isIfStatement(c)) continue;
      if (!(k.pos >= c.expression.pos && k.end <= c.expression.end)) break;
      const body = ts.isBlock(c.thenStatement)
        ? [...c.thenStatement.statements]
        : [c.thenStatement];
      const reports =
        c.elseStatement === undefined &&
        body.length > 0 &&
        body.every((st) => ts.isExpressionStatement(st) && reportCall(st.expression));
      const file = c.getSourceFile();
      const lines =
        file.getLineAndCharacterOfPosition(c.thenStatement.end).line -
        file.getLineAndCharacterOfPosition(c.thenStatement.getStart(file)).line +
        1;
      if (reports && lines <= 10) return c;
      break;
    }
  return undefined;
}

/** A call (awaited or not) that is not a scheduler: a log, an emit, a warning. */
function reportCall(node: ts.Node): boolean {
  const n = ts.isAwaitExpression(node) ? node.expression : node;
  return ts.isCallExpression(n) && !SCHEDULERS.test(callee(n) ?? "");
}

const POWERS_OF_TEN = new Set([1e3, 1e6, 1e9, 1e-3, 1e-6, 1e-9]);

/** A number literal, or a module constant set to one (`const NS_PER_SEC = 1e9`). */
function numberOf(sourceFile: ts.SourceFile, node: ts.Node): number | undefined {
  const n = unwrap(node);
  if (ts.isNumericLiteral(n)) return Number(n.text);
  if (!ts.isIdentifier(n)) return undefined;
  for (const st of sourceFile.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations)
      if (
        ts.isIdentifier(d.name) &&
        d.name.text === n.text &&
        d.initializer !== undefined &&
        ts.isNumericLiteral(unwrap(d.initializer))
      )
        return Number((unwrap(d.initializer) as ts.NumericLiteral).text);
  }
  return undefined;
}

/**
 * A small function of one or two parameters that reads both halves of a parameter (`hr[0]`,
 * `hr[1]`) and scales them by a power of ten: an hrtime pair made into milliseconds (or a
 * difference of two pairs). Returns the parameter's name.
 */
function hrtimePairHelper(
  sourceFile: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
): string | undefined {
  if (fn.body === undefined || fn.parameters.length === 0 || fn.parameters.length > 2)
    return undefined;
  if (ts.isBlock(fn.body) && fn.body.statements.length > 6) return undefined;
  const params = fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : []));
  const halves = new Map<string, Set<string>>();
  let scaled = false;
  let returns = !ts.isBlock(fn.body);
  walk(fn.body, (n) => {
    if (ts.isReturnStatement(n) && n.expression !== undefined) returns = true;
    if (
      ts.isElementAccessExpression(n) &&
      ts.isIdentifier(unwrap(n.expression)) &&
      params.includes((unwrap(n.expression) as ts.Identifier).text) &&
      ts.isNumericLiteral(n.argumentExpression) &&
      (n.argumentExpression.text === "0" || n.argumentExpression.text === "1")
    ) {
      const p = (unwrap(n.expression) as ts.Identifier).text;
      let set = halves.get(p);
      if (set === undefined) halves.set(p, (set = new Set()));
      set.add(n.argumentExpression.text);
    }
    if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.AsteriskToken ||
        n.operatorToken.kind === ts.SyntaxKind.SlashToken) &&
      [n.left, n.right].some((side) => POWERS_OF_TEN.has(numberOf(sourceFile, side) ?? 0))
    )
      scaled = true;
  });
  if (!scaled || !returns) return undefined;
  // A pair made into a date (`new Date(hr[0] * 1000)`): a timestamp formatted, not a span timed.
  let dated = false;
  walk(fn.body, (n) => {
    if (ts.isNewExpression(n) && chain(n.expression) === "Date") dated = true;
  });
  if (dated) return undefined;
  // A parameter also taken as a `Date` (`if (input instanceof Date) …`) is a point in time in any
  // of its forms — a timestamp normalised (OpenTelemetry's `[epoch seconds, nanoseconds]` made into
  // epoch milliseconds), not a span (mo25).
  const points = new Set<string>();
  walkKinds(fn.body, [ts.SyntaxKind.BinaryExpression], (n) => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
      chain(n.right) === "Date" &&
      ts.isIdentifier(unwrap(n.left))
    )
      points.add(unwrap(n.left).getText());
  });
  for (const [p, set] of halves) if (set.size === 2 && !points.has(p)) return p;
  return undefined;
}

/**
 * Whether a branch ends by leaving (`return`, `throw`, `break`, `continue`): the code it guards
 * decides what the program does next, and anything it reports on the way is the reason.
 */
function leaves(branch: ts.Statement): boolean {
  const last = ts.isBlock(branch) ? branch.statements[branch.statements.length - 1] : branch;
  return (
    last !== undefined &&
    (ts.isReturnStatement(last) ||
      ts.isThrowStatement(last) ||
      ts.isBreakStatement(last) ||
      ts.isContinueStatement(last))
  );
}

/** Per file: the keys of the values it draws down (`tokens--`, `--this.credit`, `budget -= n`). */
const drawnDownOf = new WeakMap<ts.SourceFile, Set<string>>();

function drawnDown(facts: FileFacts): Set<string> {
  let keys = drawnDownOf.get(facts.sourceFile);
  if (keys !== undefined) return keys;
  keys = new Set<string>();
  for (const b of facts.binaries)
    if (b.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) {
      const key = markKey(b.left);
      if (key !== undefined) keys.add(key);
    }
  walkKinds(
    facts.sourceFile,
    [ts.SyntaxKind.PrefixUnaryExpression, ts.SyntaxKind.PostfixUnaryExpression],
    (n) => {
      if (
        (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
        n.operator === ts.SyntaxKind.MinusMinusToken
      ) {
        const key = markKey(n.operand);
        if (key !== undefined) keys?.add(key);
      }
    },
  );
  drawnDownOf.set(facts.sourceFile, keys);
  return keys;
}

/**
 * Whether the elapsed time is stored into a value the file draws down: time since the last refill
 * turned into tokens (`tokens = Math.min(size, tokens + elapsed * rate)`, then `tokens--`) — a
 * rate limiter's budget, not a measurement.
 */
function refillsBudget(facts: FileFacts, sink: ts.Node): boolean {
  if (
    !ts.isBinaryExpression(sink) ||
    (sink.operatorToken.kind !== ts.SyntaxKind.EqualsToken &&
      sink.operatorToken.kind !== ts.SyntaxKind.PlusEqualsToken)
  )
    return false;
  const key = markKey(sink.left);
  return key !== undefined && drawnDown(facts).has(key);
}

/** One timer: its start mark (when found near), the deltas read from it and where they go. */
interface TimerGroup {
  marks: ts.Node | undefined;
  deltas: ts.Node[];
  sinks: ts.Node[];
  slow: boolean;
  evidence: Set<string>;
  /** Names the start mark is read through (a helper's parameter). */
  startNames: Set<string>;
  /** Where a local start name is declared (block position): same names of two blocks differ. */
  startScopes: Set<number>;
  /** The `if` statements on a threshold that guard a report (a slow-operation warning). */
  guards: Set<ts.IfStatement>;
}

/**
 * Timing by hand: a start mark (a clock reading kept in a variable, a field, a map or an object)
 * and a later clock reading subtracted from it, whose result is logged, stored, emitted or returned.
 * The clock may be read through a small helper of the file (`now()`, `elapsed(start)`), the delta
 * may pass through arithmetic, `toFixed()` or a formatter. A delta only compared with a limit (a
 * deadline or an age check) or used as a timer delay is not timing. Compared with a threshold and
 * then reported, it is a slow-operation warning. Replaced by `@perflayer/monitor`
 * `monitor.time(name, fn)` / `startTimer()`.
 */
export const timerDetector: Detector = {
  id: "monitoring/timer",
  category: "monitoring",
  kinds: ["slow-op-timer", "timer-delta"],
  // Clock reads; hrtime pairs scaled by hand (`hr[0] * 1e3`); a clock of another file read with no
  // arguments (`hrTime()`, `getTimestamp()`: confirmed by how its readings are combined).
  prefilter: /now\(|hrtime|getTime\(|new Date\(\)|time\w*\(\)|\[0\]\s*\*/i,
  detect({ sourceFile }) {
    const facts = withKeyedMarks(withInferredClocks(factsOf(sourceFile)));
    const groups = new Map<ts.Node, TimerGroup>();
    const lineOf = (n: ts.Node, end = false): number =>
      sourceFile.getLineAndCharacterOfPosition(end ? n.end : n.getStart(sourceFile)).line;
    /** Marks kept apart from their deltas, with the deltas that read them. */
    const farMarks = new Map<ts.Node, ts.Node[]>();
    /** Deltas whose start mark is a parameter: the mark was taken by a caller. */
    const fromCaller: { name: string; delta: ts.Node }[] = [];
    const candidates: ts.Node[] = [...facts.binaries, ...facts.calls];
    const keyedMarks = marksByKey(facts);
    /** Declarations of maps kept only for start marks (`new WeakMap<Context, number>()`), with a delta reading one. */
    const stores = new Map<ts.Node, { delta: ts.Node; group: TimerGroup }>();
    for (const candidate of candidates) {
      const delta = asDelta(facts, candidate) ?? storedMarksDelta(facts, keyedMarks, candidate);
      if (delta === undefined) continue;
      if (inComparator(delta.node)) continue;
      if (delta.start !== undefined && persistedTime(facts, delta.start)) continue;
      const flow = flowOf(facts, delta.node);
      if (flow.use !== "measure" || flow.sink === undefined) continue;
      // Reported only in a branch its comparison opens and that then leaves (`if (since <
      // interval) { log(…); return; }`): the elapsed time gates what the program does — a rate
      // limit, an idle or a deadline check — and the report is the reason (mo25).
      if (flow.comparisons.length > 0 && guardedBy(flow.sink, flow.comparisons)) {
        const gate = guardOf(flow.sink, flow.comparisons);
        if (gate !== undefined && leaves(gate.thenStatement)) continue;
      }
      if (refillsBudget(facts, flow.sink)) continue;
      const direct =
        delta.start === undefined ? undefined : markStatement(facts, delta.start, delta.node);
      // A mark kept by key in a map or an object (`timers.set(label, now())`, `this._timers[label]
      // = new Date()`) and looked up where it is read (`const start = timers.get(label)`).
      const byKey =
        direct === undefined && delta.start !== undefined
          ? keyedMark(facts, keyedMarks, delta.start, delta.node)
          : undefined;
      const keyed = byKey?.mark;

      const found = direct ?? keyed;
      // A mark kept on an object (a field, a symbol key) and set after the delta in the file
      // (another method) or more than 25 lines before it is a place of its own: one range for
      // the mark, one for the delta, not one over the code between them. A local's mark stays
      // with its delta: one variable of one function.
      // Marks and deltas in closures of one function (a timing helper's event handlers) stay
      // together: that function is the construct.
      const common = found === undefined ? undefined : commonFunction(found, delta.node);
      const far =
        found !== undefined &&
        delta.start !== undefined &&
        (keyed !== undefined || !ts.isIdentifier(markHolder(delta.start))) &&
        (common === undefined
          ? found.pos > delta.node.pos || lineOf(delta.node) - lineOf(found, true) > 25
          : ((common === enclosingFunction(found) && common === enclosingFunction(delta.node)) ||
              // an entry stamped in one hook and read in another (`{ [kStart]: now() }`)
              (ts.isPropertyAssignment(found) && ts.isComputedPropertyName(found.name))) &&
            lineOf(delta.node) - lineOf(found, true) > 25);
      if (far) {
        const list = farMarks.get(found) ?? [];
        list.push(delta.node);
        farMarks.set(found, list);
      }
      const mark = far ? undefined : found;
      // Compared with a threshold and reported there (`if (ms > slowMs) logger.warn(…)`) — on the
      // way to the sink, or beside it (the time is sent on and also checked for a warning).
      const warning =
        flow.comparisons.length > 0 && !guardedBy(flow.sink, flow.comparisons)
          ? warnsOn(flow.comparisons)
          : undefined;
      const slow =
        (flow.comparisons.length > 0 && guardedBy(flow.sink, flow.comparisons)) ||
        warning !== undefined;
      const own =
        flow.via[0] ??
        (ts.isBinaryExpression(delta.node) || ts.isCallExpression(delta.node)
          ? delta.node
          : topStatement(delta.node));
      const key = mark ?? own;
      let group = groups.get(key);
      if (group === undefined) {
        group = {
          marks: mark,
          deltas: [],
          sinks: [],
          slow: false,
          evidence: new Set(),
          startNames: new Set(),
          startScopes: new Set(),
          guards: new Set(),
        };
        groups.set(key, group);
      }
      group.deltas.push(own);
      if (keyed !== undefined) {
        const store = markStore(facts, keyedMarks, keyed);
        if (store !== undefined && !stores.has(store))
          stores.set(store, { delta: delta.node, group });
      }
      // `const start = starts.get(request)`: the lookup of a mark kept by key is the timer's.
      if (byKey?.lookup !== undefined && !group.deltas.includes(byKey.lookup))
        group.deltas.push(byKey.lookup);
      // `const end = Date.now(); const ms = end - start;`: the end mark of the delta's function.
      const endMark = laterMark(facts, delta.node) ?? endMarkBeside(facts, delta.node);
      if (endMark !== undefined && !group.deltas.includes(endMark)) group.deltas.push(endMark);
      // Every local the elapsed time passes through on its way to the sink is the timer's
      // (`const hr = process.hrtime(start); const ms = hr[0] * 1e3 + hr[1] / 1e6;`).
      for (const v of flow.via.slice(1)) if (!group.deltas.includes(v)) group.deltas.push(v);
      if (slow) {
        const guard = warning ?? guardOf(flow.sink, flow.comparisons);
        if (guard !== undefined) group.guards.add(guard);
      }
      if (delta.start !== undefined && found === undefined) {
        const holder = markHolder(delta.start);
        if (ts.isIdentifier(holder) && shadowingParameter(delta.node, holder.text) !== undefined)
          fromCaller.push({ name: holder.text, delta: delta.node });
      }
      if (delta.start !== undefined) {
        const start = unwrap(delta.start);
        group.startNames.add(start.getText(sourceFile));
        if (ts.isIdentifier(start)) group.startScopes.add(localBlock(start));
        if (isGetTime(start)) group.startNames.add(start.expression.expression.getText(sourceFile));
      }
      group.sinks.push(topStatement(flow.sink));
      group.slow ||= slow;
      const text = delta.node.getText(sourceFile).replace(/\s+/g, " ");
      group.evidence.add(`elapsed time \`${text.length > 50 ? `${text.slice(0, 47)}…` : text}\``);
      const sinkText = (
        callee(flow.sink) ??
        flow.sink.getText(sourceFile).split("\n")[0] ??
        ""
      ).trim();
      group.evidence.add(
        `goes to \`${sinkText.length > 40 ? `${sinkText.slice(0, 37)}…` : sinkText}\`${slow ? " after a threshold check" : ""}`,
      );
    }
    const detections: Detection[] = [];
    // Marks taken in one function and handed on to the one that works out the elapsed time (a
    // parameter of the same name): `const startTime = hrTime(); … this.closeSpan(span, startTime)`.
    const used = new Set<ts.Node>([...farMarks.keys()]);
    for (const g of groups.values()) if (g.marks !== undefined) used.add(g.marks);
    for (const { name, delta } of fromCaller) {
      // `{ startTime: Date.now() }` made by one function and handed on as `stamps.startTime` to
      // the parameter of that name: the entry's clock reading is the start mark (mo/mm20).
      const entry = (facts.marks.get(`.${name}`) ?? []).find(
        (m) =>
          ts.isPropertyAssignment(m) &&
          ts.isObjectLiteralExpression(m.parent) &&
          !used.has(m) &&
          enclosingFunction(m) !== enclosingFunction(delta) &&
          passedAsProperty(facts, name),
      );
      if (entry !== undefined) {
        used.add(entry);
        farMarks.set(entry, [delta]);
        continue;
      }
      for (const candidate of facts.marks.get(name) ?? []) {
        if (!ts.isVariableDeclaration(candidate)) continue;
        const statement = topStatement(candidate);
        const fn = enclosingFunction(candidate);
        if (used.has(statement) || fn === undefined) continue;
        if (fn.pos <= delta.pos && delta.end <= fn.end) continue;
        if (!handedOn(fn, name)) continue;
        used.add(statement);
        farMarks.set(statement, [delta]);
      }
    }
    for (const [mark, deltas] of farMarks) {
      const first = deltas.reduce((a, b) => (a.pos <= b.pos ? a : b));
      detections.push({
        kind: "timer-delta",
        confidence: 0.8,
        nodes: [mark],
        evidence: [
          `start mark \`${mark.getText(sourceFile).split("\n")[0]?.trim().slice(0, 50) ?? ""}\``,
          `read for an elapsed time on line ${String(lineOf(first) + 1)}`,
        ],
      });
    }
    for (const [store, { delta, group }] of stores) {
      if (used.has(store)) continue;
      // Declared near its marks (a class's field above the method that stamps them): one range.
      if (group.marks !== undefined && Math.abs(lineOf(group.marks) - lineOf(store, true)) <= 10) {
        group.deltas.push(store);
        continue;
      }
      detections.push({
        kind: "timer-delta",
        confidence: 0.8,
        nodes: [store],
        evidence: [
          `map \`${store.getText(sourceFile).split("\n")[0]?.trim().slice(0, 50) ?? ""}\` keeps only start marks, by key`,
          `read for an elapsed time on line ${String(lineOf(delta) + 1)}`,
        ],
      });
    }
    // Helpers that turn a `process.hrtime()` pair into a time: `toMillis(hr)`, `durationMs(a, b)`.
    for (const fn of facts.functions) {
      const pair = hrtimePairHelper(sourceFile, fn);
      if (pair === undefined) continue;
      detections.push({
        kind: "timer-delta",
        confidence: 0.8,
        nodes: [ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn],
        evidence: [
          `turns \`${pair}\`, a [seconds, nanoseconds] pair, into one time`,
          "a helper of hand-made timing",
        ],
      });
    }
    // Elapsed times read from one mark kept elsewhere (a field stamped by another method), in one
    // function, are one timer read twice (`duration` for the log, again for the notification):
    // one finding, not one per read site.
    const merged = new Map<string, TimerGroup>();
    const timers: TimerGroup[] = [];
    for (const group of groups.values()) {
      const fn = enclosingFunction(group.deltas[0] as ts.Node);
      if (group.marks !== undefined || fn === undefined || group.startNames.size === 0) {
        timers.push(group);
        continue;
      }
      const key = `${String(fn.pos)}:${[...group.startNames].sort().join(",")}:${[...group.startScopes].sort().join(",")}`;
      const into = merged.get(key);
      if (into === undefined) {
        merged.set(key, group);
        timers.push(group);
        continue;
      }
      for (const d of group.deltas) if (!into.deltas.includes(d)) into.deltas.push(d);
      into.sinks.push(...group.sinks);
      into.slow ||= group.slow;
      for (const e of group.evidence) into.evidence.add(e);
      for (const g of group.guards) into.guards.add(g);
    }
    for (const group of timers) {
      // (an end mark beside the delta that is also another delta's start mark keeps its own
      // finding: `this.sentAt = Date.now(); this.pending = this.sentAt - this.createdAt`)
      let nodes = [
        ...(group.marks ? [group.marks] : []),
        ...group.deltas.filter((d) => !farMarks.has(d)),
      ];
      // A small helper that only times (mark, delta, report) is the construct: `markEndTime(…)`.
      const holder = enclosingFunction(group.deltas[0] as ts.Node);
      const body = holder === undefined ? undefined : holder.body;
      // …when the mark is its own or comes in as a parameter (a method that only reads a field
      // mark stays; its timing lines go).
      const ownMark =
        holder !== undefined &&
        ((group.marks !== undefined &&
          group.marks.pos >= holder.pos &&
          group.marks.end <= holder.end) ||
          holder.parameters.some((p) => group.startNames.has(p.name.getText())));
      if (
        holder !== undefined &&
        ownMark &&
        body !== undefined &&
        ts.isBlock(body) &&
        body.statements.length <= 4
      ) {
        const parts = new Set([...nodes, ...group.sinks].map((n) => topStatement(n)));
        if (body.statements.every((st) => parts.has(st)))
          nodes = [
            ...(group.marks !== undefined &&
            !(group.marks.pos >= holder.pos && group.marks.end <= holder.end)
              ? [group.marks]
              : []),
            ts.isVariableDeclaration(holder.parent) ? topStatement(holder.parent) : holder,
          ];
      }
      if (group.slow)
        for (const guard of group.guards)
          if (!nodes.some((n) => n.pos <= guard.pos && guard.end <= n.end))
            nodes.push(guard.expression, guard.thenStatement);
      const whole = timingOnly(facts, group.marks, group.deltas, group.sinks);
      if (whole !== undefined) nodes = [whole];
      // A getter that exists for the elapsed time (its marks kept elsewhere): the getter.
      const accessor =
        whole === undefined && holder !== undefined && group.marks === undefined
          ? timingAccessor(holder, group.deltas)
          : undefined;
      if (accessor !== undefined) nodes = [accessor];
      detections.push({
        kind: group.slow ? "slow-op-timer" : "timer-delta",
        confidence: group.marks !== undefined ? 0.9 : 0.75,
        nodes: [...new Set(nodes)].sort((a, b) => a.pos - b.pos),
        context: group.sinks,
        evidence: [
          ...(group.marks !== undefined
            ? [
                `start mark \`${group.marks.getText(sourceFile).split("\n")[0]?.trim().slice(0, 50) ?? ""}\``,
              ]
            : []),
          ...group.evidence,
        ],
      });
    }
    return detections;
  },
};
