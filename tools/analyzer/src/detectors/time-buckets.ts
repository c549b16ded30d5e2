import { ts } from "ts-morph";
import { callee, inside, isFunctionLike, topStatement } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import {
  factsOf,
  functionName,
  isArithmetic,
  isClockRead,
  isOrdering,
  unwrap,
} from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";

/**
 * Names that read as a point in time — a weak tie-breaker for a value truncated to a window when no
 * clock read reaches it in the file (`span.start + span.duration` kept as `spanEndNs`).
 */
const TIME_NAME = /(time|stamp|epoch|date|now|^ts$|Ts$|Ns$|Ms$|InS$|_ns$|_ms$)/i;
/** Store calls whose first argument is a key. */
const STORE_CALL = new Set(["get", "set", "has"]);
/** How far a value is followed through locals, returns and parameters. */
const MAX_DEPTH = 3;

/** Where a truncated time ends up as a key: the use, and a same-file store method it went through. */
interface KeyUse {
  readonly use: ts.Node;
  readonly storeMethod?: ts.FunctionLikeDeclaration;
}

/** The function a node runs in. */
function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
}

function isMathCall(node: ts.Node, names: RegExp): node is ts.CallExpression {
  return ts.isCallExpression(node) && names.test(callee(node) ?? "");
}

function isDivision(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.SlashToken;
}

/**
 * A time cut down to the start of its window, with the value cut: `t - (t % w)`,
 * `Math.floor(t / w) * w`; or `t % n`, a window's slot in a ring (`ring: true`).
 */
function truncation(b: ts.BinaryExpression): { operand: ts.Node; ring: boolean } | undefined {
  const op = b.operatorToken.kind;
  if (op === ts.SyntaxKind.MinusToken) {
    const right = unwrap(b.right);
    if (
      ts.isBinaryExpression(right) &&
      right.operatorToken.kind === ts.SyntaxKind.PercentToken &&
      unwrap(right.left).getText() === unwrap(b.left).getText()
    )
      return { operand: b.left, ring: false };
    return undefined;
  }
  if (op === ts.SyntaxKind.AsteriskToken) {
    const left = unwrap(b.left);
    if (!isMathCall(left, /^Math\.(floor|trunc)$/) || left.arguments[0] === undefined)
      return undefined;
    const divided = unwrap(left.arguments[0]);
    if (!isDivision(divided)) return undefined;
    let slash: ts.BinaryExpression = divided;
    for (let inner = unwrap(slash.left); isDivision(inner); inner = unwrap(inner.left))
      slash = inner;
    return { operand: slash.left, ring: false };
  }
  if (op === ts.SyntaxKind.PercentToken) {
    // The `t % w` of `t - (t % w)` is that truncation's, not a ring slot.
    let up: ts.Node = b;
    while (ts.isParenthesizedExpression(up.parent)) up = up.parent;
    if (
      ts.isBinaryExpression(up.parent) &&
      up.parent.operatorToken.kind === ts.SyntaxKind.MinusToken &&
      up.parent.right === up
    )
      return undefined;
    return { operand: b.left, ring: true };
  }
  return undefined;
}

/** The declaration of a local `name` in the functions around `at`, when it has an initializer. */
function localInitializer(at: ts.Node, name: string): ts.VariableDeclaration | undefined {
  for (let fn = enclosingFunction(at); fn !== undefined; fn = enclosingFunction(fn)) {
    let found: ts.VariableDeclaration | undefined;
    const visit = (n: ts.Node): void => {
      if (found !== undefined) return;
      if (
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        n.name.text === name &&
        n.initializer !== undefined
      ) {
        found = n;
        return;
      }
      if (isFunctionLike(n)) return;
      ts.forEachChild(n, visit);
    };
    if (fn.body !== undefined) ts.forEachChild(fn.body, visit);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether a value stands for a point in time: a clock read reaches it, or (weakly) its name says so. */
function isTime(facts: FileFacts, node: ts.Node, depth = 0): boolean {
  const n = unwrap(node);
  if (isClockRead(facts, n)) return true;
  if (ts.isCallExpression(n)) {
    if (isMathCall(n, /^(Math\.(floor|round|trunc)|Number)$/) && n.arguments[0] !== undefined)
      return isTime(facts, n.arguments[0], depth);
    // A clock of another module read with no arguments (`safeDateNow()`).
    return n.arguments.length === 0 && /now$/i.test(callee(n)?.split(".").pop() ?? "");
  }
  if (ts.isBinaryExpression(n)) {
    const op = n.operatorToken.kind;
    if (
      op === ts.SyntaxKind.PlusToken ||
      op === ts.SyntaxKind.MinusToken ||
      op === ts.SyntaxKind.SlashToken ||
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken
    )
      return isTime(facts, n.left, depth) || isTime(facts, n.right, depth);
    return false;
  }
  if (ts.isPropertyAccessExpression(n)) return TIME_NAME.test(n.name.text);
  if (ts.isIdentifier(n)) {
    if (TIME_NAME.test(n.text)) return true;
    if (depth >= MAX_DEPTH) return false;
    const declaration = localInitializer(n, n.text);
    return (
      declaration?.initializer !== undefined && isTime(facts, declaration.initializer, depth + 1)
    );
  }
  return false;
}

/** The expression a value is part of, through parentheses, arithmetic and rounding. */
function carrier(node: ts.Node): ts.Node {
  let current = node;
  for (;;) {
    const p = current.parent;
    if (p === undefined) return current;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) {
      current = p;
      continue;
    }
    if (ts.isBinaryExpression(p) && isArithmetic(p.operatorToken.kind)) {
      current = p;
      continue;
    }
    if (ts.isCallExpression(p) && isMathCall(p, /^Math\.(floor|round|trunc)$/)) {
      current = p;
      continue;
    }
    return current;
  }
}

/** Identifiers named `name` read in `scope` after `from` (not declarations, not property names). */
function readsAfter(scope: ts.Node, name: string, from: number): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isIdentifier(n) &&
      n.text === name &&
      n.pos >= from &&
      !(ts.isVariableDeclaration(n.parent) && n.parent.name === n) &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) &&
      !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)
    )
      out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}

/** Functions and methods of the file by name (only names declared once). */
function declaredFunctions(facts: FileFacts): Map<string, ts.FunctionLikeDeclaration> {
  const byName = new Map<string, ts.FunctionLikeDeclaration | null>();
  for (const fn of facts.functions) {
    const name = functionName(fn);
    if (name === undefined) continue;
    byName.set(name, byName.has(name) ? null : fn);
  }
  const out = new Map<string, ts.FunctionLikeDeclaration>();
  for (const [name, fn] of byName) if (fn !== null) out.set(name, fn);
  return out;
}

/** Whether an element access is written (`o[k] = v`, `o[k] ??= v`). */
function written(access: ts.ElementAccessExpression): boolean {
  let up: ts.Node = access;
  while (ts.isParenthesizedExpression(up.parent)) up = up.parent;
  const p = up.parent;
  return (
    ts.isBinaryExpression(p) &&
    p.left === up &&
    p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

/**
 * Where a value ends up as a store's key: `m.get(v)`/`set`/`has`, `o[v]`, through locals, the
 * return of its function (at the function's call sites) and the parameter of a function or method
 * of the file it is handed to. `path` collects the nodes it went through in the value's function.
 */
function keyUses(
  facts: FileFacts,
  functions: ReadonlyMap<string, ts.FunctionLikeDeclaration>,
  value: ts.Node,
  ring: boolean,
  path: ts.Node[],
  depth = 0,
): KeyUse[] {
  const top = carrier(value);
  const p = top.parent;
  if (p === undefined) return [];
  if (ts.isElementAccessExpression(p) && p.argumentExpression === top)
    return !ring || written(p) ? [{ use: p }] : [];
  if (ring) {
    // A ring slot keys its store directly or through one local.
    if (ts.isVariableDeclaration(p) && p.initializer === top && ts.isIdentifier(p.name)) {
      const fn = enclosingFunction(p);
      if (fn?.body === undefined || depth >= MAX_DEPTH) return [];
      const reads = readsAfter(fn.body, p.name.text, p.end);
      const uses = reads.flatMap((r) => keyUses(facts, functions, r, true, [], depth + 1));
      if (uses.length > 0) path.push(p, ...uses.map((u) => u.use));
      return uses;
    }
    return [];
  }
  if (ts.isCallExpression(p) && p.arguments[0] === top) {
    const name = callee(p)?.split(".").pop() ?? "";
    if (ts.isPropertyAccessExpression(p.expression) && STORE_CALL.has(name)) return [{ use: p }];
    const target = functions.get(name);
    if (target === undefined || depth >= MAX_DEPTH || target.body === undefined) return [];
    const param = target.parameters[0]?.name;
    if (param === undefined || !ts.isIdentifier(param)) return [];
    const inner = readsAfter(target.body, param.text, target.body.pos).flatMap((r) =>
      keyUses(facts, functions, r, false, [], depth + 1),
    );
    return inner.length > 0 ? [{ use: p, storeMethod: target }] : [];
  }
  if (depth >= MAX_DEPTH) return [];
  if (ts.isVariableDeclaration(p) && p.initializer === top && ts.isIdentifier(p.name)) {
    const fn = enclosingFunction(p);
    if (fn?.body === undefined) return [];
    const uses: KeyUse[] = [];
    for (const r of readsAfter(fn.body, p.name.text, p.end)) {
      const sub: ts.Node[] = [];
      const found = keyUses(facts, functions, r, false, sub, depth + 1);
      if (found.length > 0) path.push(r, ...sub);
      uses.push(...found);
    }
    if (uses.length > 0) path.push(p);
    return uses;
  }
  const fn = enclosingFunction(top);
  const returned =
    ts.isReturnStatement(p) || (fn !== undefined && ts.isArrowFunction(fn) && fn.body === top);
  if (returned && fn !== undefined) {
    const name = functionName(fn);
    if (name === undefined || functions.get(name) !== fn) return [];
    const uses: KeyUse[] = [];
    for (const call of facts.calls) {
      if (callee(call)?.split(".").pop() !== name || inside(call, fn)) continue;
      uses.push(...keyUses(facts, functions, call, false, [], depth + 1));
    }
    if (uses.length > 0) path.push(p);
    return uses;
  }
  return [];
}

/**
 * Whether a comparison decides what the function does: it is returned (`return n <= max`), or it
 * is the condition of an `if` whose branch leaves (`if (n > max) return false;`).
 */
function decides(comparison: ts.Node): boolean {
  for (let c = comparison.parent; c !== undefined && !isFunctionLike(c); c = c.parent) {
    if (ts.isReturnStatement(c)) return true;
    if (ts.isIfStatement(c)) {
      if (!inside(comparison, c.expression)) return false;
      const branch = c.thenStatement;
      const last = ts.isBlock(branch) ? branch.statements[branch.statements.length - 1] : branch;
      return (
        last !== undefined &&
        (ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isContinueStatement(last))
      );
    }
    if (ts.isStatement(c)) return false;
  }
  return false;
}

/**
 * Whether the per-window entry a key use reaches is compared with a bound in the function that keys
 * it (`counts[slot] <= limit`, `const n = (hits.get(k) ?? 0) + 1; … return n <= max`): the window
 * counts requests to decide whether to admit one — a fixed-window rate limit, response control —
 * not samples kept for a report (mo25). The entry is the key use itself, a local initialised from
 * it, or the value written to it.
 */
function gatesOnEntry(use: ts.Node): boolean {
  const fn = enclosingFunction(use);
  if (fn?.body === undefined) return false;
  const entry = unwrap(use).getText();
  const held = new Set<string>();
  const holds = (n: ts.Node): boolean => {
    let found = false;
    const visit = (m: ts.Node): void => {
      if (found) return;
      const v = unwrap(m);
      if (entries.has(v.getText()) || (ts.isIdentifier(v) && held.has(v.text))) found = true;
      else ts.forEachChild(m, visit);
    };
    visit(n);
    return found;
  };
  // `m.set(k, n)`: the value handed in and `m.get(k)` are the entry.
  const entries = new Set([entry]);
  const u = unwrap(use);
  if (
    ts.isCallExpression(u) &&
    ts.isPropertyAccessExpression(u.expression) &&
    u.arguments[0] !== undefined
  ) {
    entries.add(`${u.expression.expression.getText()}.get(${u.arguments[0].getText()})`);
    const value = u.arguments[1] === undefined ? undefined : unwrap(u.arguments[1]);
    if (value !== undefined && ts.isIdentifier(value)) held.add(value.text);
  }
  let gated = false;
  const visit = (n: ts.Node): void => {
    if (gated || (n !== fn.body && isFunctionLike(n))) return;
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      holds(n.initializer)
    )
      held.add(n.name.text);
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (
        isOrdering(op) &&
        (holds(n.left) || holds(n.right)) &&
        ![n.left, n.right].some((side) => unwrap(side).getText() === "0") &&
        decides(n)
      )
        gated = true;
      // `o[k] = n`: the value written is the entry too.
      if (op === ts.SyntaxKind.EqualsToken && unwrap(n.left).getText() === entry) {
        const value = unwrap(n.right);
        if (ts.isIdentifier(value)) held.add(value.text);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return gated;
}

/** The declaration statement of a local the truncated value is read from, when it is in `fn`. */
function operandDeclaration(operand: ts.Node, fn: ts.Node): ts.Node | undefined {
  const n = unwrap(operand);
  if (!ts.isIdentifier(n)) return undefined;
  const declaration = localInitializer(n, n.text);
  if (declaration === undefined || enclosingFunction(declaration) !== fn) return undefined;
  return topStatement(declaration);
}

/** The construct a store method is: its class when the class holds nothing else, else the method. */
function storeConstruct(method: ts.FunctionLikeDeclaration): ts.Node {
  const cls = method.parent;
  if (
    cls !== undefined &&
    ts.isClassLike(cls) &&
    cls.members.every(
      (m) =>
        m === method ||
        ts.isConstructorDeclaration(m) ||
        (ts.isPropertyDeclaration(m) && m.initializer === undefined),
    )
  )
    return cls;
  return ts.isVariableDeclaration(method.parent) ? topStatement(method.parent) : method;
}

/**
 * Per-window entries kept by the start of their window: a time cut to its window (or its slot in a
 * ring) that keys a store of per-window aggregates, and the same-file get-or-create it goes through.
 */
export const timeBucketsDetector: Detector = {
  id: "monitoring/time-buckets",
  category: "monitoring",
  kinds: ["rolling-window"],
  prefilter: /%|Math\.(floor|trunc)\(/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const functions = declaredFunctions(facts);
    const detections: Detection[] = [];
    const stores = new Set<ts.Node>();
    for (const b of facts.binaries) {
      const cut = truncation(b);
      if (cut === undefined || !isTime(facts, cut.operand)) continue;
      const path: ts.Node[] = [];
      const uses = keyUses(facts, functions, b, cut.ring, path);
      if (uses.length === 0 || uses.some((u) => gatesOnEntry(u.use))) continue;
      const fn = enclosingFunction(b);
      const statements = new Set<ts.Node>([topStatement(b)]);
      for (const n of [...path, ...uses.map((u) => u.use)])
        if (fn !== undefined && enclosingFunction(n) === fn) statements.add(topStatement(n));
      const declared = fn === undefined ? undefined : operandDeclaration(cut.operand, fn);
      if (declared !== undefined) statements.add(declared);
      let nodes = [...statements];
      // A small helper that only cuts a time to its window (and keys a store with it) is the construct.
      const body = fn?.body;
      // …or hands it back to its callers, which key their stores with it (`normalizeTs(ts)`).
      const handsBack = path.some((n) => ts.isReturnStatement(n) && enclosingFunction(n) === fn);
      if (
        fn !== undefined &&
        body !== undefined &&
        (!ts.isBlock(body) ||
          (body.statements.length <= 4 &&
            (handsBack ||
              body.statements.every((st) => statements.has(st) || ts.isReturnStatement(st)))))
      )
        nodes = [ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn];
      const viaHelper = uses.every((u) => fn === undefined || enclosingFunction(u.use) !== fn);
      detections.push({
        kind: "rolling-window",
        confidence: cut.ring ? 0.7 : 0.8,
        nodes: nodes.sort((x, y) => x.pos - y.pos),
        evidence: [
          cut.ring
            ? `time \`${unwrap(cut.operand).getText(sourceFile).slice(0, 40)}\` taken modulo a ring's length`
            : `time \`${unwrap(cut.operand).getText(sourceFile).slice(0, 40)}\` cut to the start of its window`,
          cut.ring
            ? "the window's slot in a ring of per-window entries"
            : `keys a store of per-window entries${viaHelper ? " where it is called" : ""}`,
        ],
      });
      for (const u of uses)
        if (u.storeMethod !== undefined) {
          const construct = storeConstruct(u.storeMethod);
          if (stores.has(construct) || inside(b, construct)) continue;
          stores.add(construct);
          detections.push({
            kind: "rolling-window",
            confidence: 0.75,
            nodes: [construct],
            evidence: ["per-window entries kept by the start time of their window"],
          });
        }
    }
    return detections;
  },
};
