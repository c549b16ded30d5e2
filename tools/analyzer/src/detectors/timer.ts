import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, topStatement, walk } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { elapsedHelperCall, factsOf, isClockRead, markKey, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";

/** Names that say "a point in time" — a weak signal, used only when no start mark is assigned in the file. */
const MARK_NAME =
  /(start|begin|since|stamp|^t0$|^t\d$|^ts$|^at$|[a-z]At$|_at$|created|sent|queued|enqueued|last|prev|before|issued|time$|^time|Time)/;
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
  if (keyed.size === 0) return facts;
  return { ...facts, marks: new Map([...facts.marks, ...keyed]) };
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

/** Whether an expression holds a point in time: a start mark of the file, or (weakly) its name says so. */
function isMark(facts: FileFacts, node: ts.Node): boolean {
  const n = unwrap(node);
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
    const right = unwrap(node.right);
    if ((isClockRead(facts, left) || markOrClock(facts, left)) && isMark(facts, right))
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
  }
  return undefined;
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

/** Uses of a local variable after its declaration, within the function (or file) declaring it. */
function usesOf(name: ts.Identifier): ts.Identifier[] {
  let scope: ts.Node = name;
  while (scope.parent !== undefined && !isFunctionLike(scope) && !ts.isSourceFile(scope))
    scope = scope.parent;
  const found: ts.Identifier[] = [];
  walk(scope, (node) => {
    if (ts.isIdentifier(node) && node !== name && node.text === name.text && node.pos > name.pos)
      found.push(node);
  });
  return found;
}

/** Where an elapsed time goes: measured (logged, stored, emitted, returned), compared, or scheduled. */
function flowOf(node: ts.Node, depth = 0): Flow {
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
      if (ARITHMETIC.has(op)) {
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
          const declared = usesOf(target);
          return merge(
            declared.filter((u) => u !== target).map((u) => flowOf(u, depth + 1)),
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
    if (
      ts.isNewExpression(parent) ||
      ts.isTemplateSpan(parent) ||
      ts.isArrayLiteralExpression(parent)
    )
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
        usesOf(parent.name).map((u) => flowOf(u, depth + 1)),
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

/** The statement that assigned the start mark, nearest before the delta, in the same function or class. */
function markStatement(facts: FileFacts, start: ts.Node, delta: ts.Node): ts.Node | undefined {
  const key = timeKey(
    start.kind === ts.SyntaxKind.CallExpression ? (start as ts.CallExpression).expression : start,
  );
  const candidates = key === undefined ? undefined : facts.marks.get(key);
  if (candidates === undefined) return undefined;
  const container = (n: ts.Node): ts.Node | undefined => {
    for (let c = n.parent; c !== undefined; c = c.parent)
      if (ts.isClassDeclaration(c) || ts.isClassExpression(c) || ts.isSourceFile(c)) return c;
    return undefined;
  };
  const own = container(delta);
  const local = key !== undefined && !key.startsWith(".");
  let best: ts.Node | undefined;
  for (const candidate of candidates) {
    if (candidate.pos > delta.pos) continue;
    if (!local && container(candidate) !== own) continue;
    if (best === undefined || candidate.pos > best.pos) best = candidate;
  }
  if (best === undefined) return undefined;
  return ts.isPropertyDeclaration(best) || ts.isPropertyAssignment(best)
    ? best
    : topStatement(best);
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
  for (const [p, set] of halves) if (set.size === 2) return p;
  return undefined;
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
  prefilter: /now\(|hrtime|getTime\(|new Date\(\)/,
  detect({ sourceFile }) {
    const facts = withKeyedMarks(factsOf(sourceFile));
    const groups = new Map<
      ts.Node,
      {
        marks: ts.Node | undefined;
        deltas: ts.Node[];
        sinks: ts.Node[];
        slow: boolean;
        evidence: Set<string>;
        /** Names the start mark is read through (a helper's parameter). */
        startNames: Set<string>;
      }
    >();
    const candidates: ts.Node[] = [...facts.binaries, ...facts.calls];
    for (const candidate of candidates) {
      const delta = asDelta(facts, candidate);
      if (delta === undefined) continue;
      const flow = flowOf(delta.node);
      if (flow.use !== "measure" || flow.sink === undefined) continue;
      const mark =
        delta.start === undefined ? undefined : markStatement(facts, delta.start, delta.node);
      const slow = flow.comparisons.length > 0 && guardedBy(flow.sink, flow.comparisons);
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
        };
        groups.set(key, group);
      }
      group.deltas.push(own);
      if (delta.start !== undefined) {
        const start = unwrap(delta.start);
        group.startNames.add(start.getText(sourceFile));
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
    for (const group of groups.values()) {
      let nodes = [...(group.marks ? [group.marks] : []), ...group.deltas];
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
