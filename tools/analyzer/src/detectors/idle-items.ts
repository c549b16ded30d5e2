import { ts } from "ts-morph";
import { chain, isFunctionLike, topStatement } from "../ast.js";
import type { Detection } from "../detector.js";
import { isClockRead, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { localValue } from "./derived-value.js";

/** Calls that end or retire a resource (not a cache's `delete`: an entry dropped is no resource). */
const ENDS =
  /^[_#]?(destroy|end|close|terminate|kill|dispose|retire|disconnect|shutdown|unref)([A-Z]\w*)?$/;

const ORDER = new Set([
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
]);

/** The innermost function around a node. */
function functionAround(node: ts.Node): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
}

/** The item (`controller`) whose stored time a node reads: `controller.lastUsedAt`. */
function itemOfStamp(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (!ts.isPropertyAccessExpression(n)) return undefined;
  const root = unwrap(n.expression);
  return ts.isIdentifier(root) ? root.text : undefined;
}

/** Whether a node contains a clock reading (directly, or through a local bound to one). */
function readsClock(facts: FileFacts, fn: ts.Node, node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (isClockRead(facts, n)) found = true;
    else if (ts.isIdentifier(n)) {
      const init = localValue(fn, n.text, n.pos);
      if (init !== undefined && isClockRead(facts, init)) found = true;
    } else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * The item whose idle age a comparison tests: `now - item.lastUsed >= limit` (also through a local
 * holding the difference) or `item.lastUsed < now - limit`.
 */
function agedItem(facts: FileFacts, fn: ts.Node, b: ts.BinaryExpression): string | undefined {
  if (!ORDER.has(b.operatorToken.kind)) return undefined;
  const elapsed = (side: ts.Node): string | undefined => {
    let s = unwrap(side);
    if (ts.isIdentifier(s)) s = unwrap(localValue(fn, s.text, s.pos) ?? s);
    if (
      ts.isBinaryExpression(s) &&
      s.operatorToken.kind === ts.SyntaxKind.MinusToken &&
      readsClock(facts, fn, s.left)
    )
      return itemOfStamp(s.right);
    return undefined;
  };
  const later =
    b.operatorToken.kind === ts.SyntaxKind.LessThanToken ||
    b.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken;
  // `item.lastUsed < now - limit`: the stamp on the small side, the clock on the other.
  const [small, big] = later ? [b.left, b.right] : [b.right, b.left];
  return elapsed(big) ?? (readsClock(facts, fn, big) ? itemOfStamp(small) : undefined);
}

/** The names a condition reads, with the locals it reads resolved one level (`isIdle` → its test). */
function conditionParts(fn: ts.Node, cond: ts.Node): ts.Node[] {
  const parts: ts.Node[] = [cond];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const init = localValue(fn, n.text, n.pos);
      if (init !== undefined) parts.push(init);
    }
    ts.forEachChild(n, visit);
  };
  visit(cond);
  return parts;
}

/** Whether a node reads the identifier `name`. */
function reads(root: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

/** Whether a test says the item has nothing in use: `item.activePages === 0`, `!item.active`. */
function testsUnused(root: ts.Node, item: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken) &&
      ts.isNumericLiteral(unwrap(n.right)) &&
      (unwrap(n.right) as ts.NumericLiteral).text === "0" &&
      itemOfStamp(n.left) === item
    )
      found = true;
    ts.forEachChild(n, visit);
  };
  visit(root);
  return found;
}

/** The ends of the item in a branch: `item.close()`, `this.retire(item)`, `ctx.closeSession(key)`. */
function endsItem(branch: ts.Node, names: ReadonlySet<string>): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const receiver = chain(n.expression.expression) ?? "";
      if (
        ENDS.test(n.expression.name.text) &&
        (names.has(receiver) ||
          n.arguments.some((a) => ts.isIdentifier(unwrap(a)) && names.has(unwrap(a).getText())))
      )
        found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(branch);
  return found;
}

/**
 * Idle expiry of items held by a pool-like owner: an item's stored last-use time is compared with
 * the clock against a limit, the item has nothing in use (`item.activePages === 0`, in the test or
 * an enclosing one), and the branch closes or retires that item (or the key it was looked up
 * under). A liveness check (a peer's last message, with nothing counted in use) is not one.
 * @param facts - the file's facts
 * @returns the detections
 */
export function idleItemExpiries(facts: FileFacts): Detection[] {
  const detections: Detection[] = [];
  // Only files that read the clock can compare a stored time with it.
  if (
    !facts.sourceFile.text.includes("new Date") &&
    !facts.calls.some((c) => isClockRead(facts, c))
  )
    return detections;
  const seen = new Set<ts.Node>();
  for (const b of facts.binaries) {
    if (!ORDER.has(b.operatorToken.kind)) continue;
    const fn = functionAround(b);
    if (fn === undefined) continue;
    const item = agedItem(facts, fn, b);
    if (item === undefined) continue;
    // The `if` that decides on the age: the one whose test holds the comparison, or reads the
    // local it is bound to.
    let decision: ts.IfStatement | undefined;
    let bound: ts.Node | undefined;
    for (let c: ts.Node = b; c.parent !== undefined && c !== fn; c = c.parent) {
      if (ts.isIfStatement(c.parent) && c.parent.expression === c) {
        decision = c.parent;
        break;
      }
      if (ts.isVariableDeclaration(c.parent) && c.parent.initializer === c) {
        bound = topStatement(c.parent);
        const name = c.parent.name.getText();
        const block = bound.parent;
        decision = ts.isBlock(block)
          ? block.statements.find(
              (s): s is ts.IfStatement =>
                ts.isIfStatement(s) && s.pos > (bound as ts.Node).pos && reads(s.expression, name),
            )
          : undefined;
        break;
      }
    }
    if (decision === undefined || seen.has(decision)) continue;
    // The item, and the key it was looked up under (`sessions.get(session)`).
    const names = new Set([item]);
    const source = localValue(fn, item, decision.pos);
    const lookup = source === undefined ? undefined : unwrap(source);
    if (
      lookup !== undefined &&
      ts.isCallExpression(lookup) &&
      ts.isPropertyAccessExpression(lookup.expression) &&
      lookup.expression.name.text === "get" &&
      lookup.arguments.length === 1 &&
      ts.isIdentifier(unwrap(lookup.arguments[0] as ts.Node))
    )
      names.add(unwrap(lookup.arguments[0] as ts.Node).getText());
    const ends = endsItem(decision.thenStatement, names);
    if (ends === undefined) continue;
    let unused = conditionParts(fn, decision.expression).some((p) => testsUnused(p, item));
    for (let c = decision.parent; !unused && c !== undefined && c !== fn; c = c.parent)
      if (ts.isIfStatement(c) && testsUnused(c.expression, item)) unused = true;
    if (!unused) continue;
    seen.add(decision);
    const locals: ts.Node[] = [];
    // The locals the test reads, and the locals those read (`idleFor = now - item.lastUsed`).
    for (const p of conditionParts(fn, decision.expression).slice(1))
      for (const q of conditionParts(fn, p))
        if (ts.isVariableDeclaration(q.parent) && q.parent.initializer === q)
          locals.push(topStatement(q.parent));
    if (bound !== undefined) locals.push(bound);
    detections.push({
      kind: "pool-idle-expiry",
      confidence: 0.75,
      nodes: [...new Set([...locals, decision])].sort((x, y) => x.pos - y.pos),
      evidence: [
        `\`${item}\` has nothing in use and its stored last-use time is older than a limit`,
        `then \`${ends.expression.getText().replace(/\s+/g, "").slice(0, 50)}()\` ends it`,
      ],
      name: item,
    });
  }
  return detections;
}
