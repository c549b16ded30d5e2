import { ts } from "ts-morph";
import { callee, isFunctionLike, ownNode, walk, walkKinds } from "../ast.js";
import type { Detection } from "../detector.js";
import { functionName, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";

/** Array methods whose callback sees each member (the first parameter). */
const VISITS = /^(find|findLast|filter|some|every|forEach)$/;

/**
 * The members an object keeps (`this.clients`, `this[kClients]`), reached as they are, spread
 * (`[...this.active]`), or through `values()` / `Array.from`: the kept collection's text.
 */
function keptCollection(node: ts.Node): string | undefined {
  let n = unwrap(node);
  if (ts.isArrayLiteralExpression(n) && n.elements.length === 1) {
    const only = n.elements[0] as ts.Expression;
    if (ts.isSpreadElement(only)) n = unwrap(only.expression);
  }
  if (
    ts.isCallExpression(n) &&
    (/^Array\.from$/.test(callee(n) ?? "") || /\.(values|entries)$/.test(callee(n) ?? "")) &&
    n.arguments.length <= 1
  )
    n = unwrap(n.arguments[0] ?? (n.expression as ts.PropertyAccessExpression).expression);
  const root = ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) ? n : undefined;
  if (root === undefined || root.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  return root.getText();
}

/** The names a binding declares (`item`, `[client, metadata]`, `{ load }`). */
function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const e of name.elements) if (!ts.isOmittedExpression(e)) names.push(...boundNames(e.name));
  return names;
}

/** Whether an expression is rooted at `this` (`this.maxPages`, `this.opts.limit`). */
function keptOnThis(node: ts.Node): boolean {
  let n = unwrap(node);
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n))
    n = unwrap(n.expression);
  return n.kind === ts.SyntaxKind.ThisKeyword;
}

/** Whether an expression reads a member: `item.load`, `item.usage()`, or a local set from one. */
function readsMember(node: ts.Node, members: ReadonlySet<string>): boolean {
  const n = unwrap(node);
  if (ts.isIdentifier(n)) return members.has(n.text);
  let root: ts.Node = n;
  while (
    ts.isPropertyAccessExpression(root) ||
    ts.isElementAccessExpression(root) ||
    ts.isCallExpression(root)
  )
    root = unwrap(root.expression);
  return root !== n && ts.isIdentifier(root) && members.has(root.text);
}

/** A loop or visit over a kept collection: its body and the names its members are bound to. */
interface Visit {
  readonly body: ts.Node;
  readonly members: Set<string>;
  /** The kept collection visited (`this.browsers`). */
  readonly collection: string;
}

/** The nearest function around a node. */
function nearestFunction(node: ts.Node): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
}

/**
 * The visits of kept collections in a file by the function they are in: `for … of` loops (one
 * indexed pass) and the calls the file's facts hold.
 */
function visitsByFunction(facts: FileFacts): Map<ts.Node, Visit[]> {
  const found = new Map<ts.Node, Visit[]>();
  const add = (at: ts.Node, v: Visit): void => {
    const fn = nearestFunction(at);
    if (fn !== undefined) found.set(fn, [...(found.get(fn) ?? []), v]);
  };
  walkKinds(facts.sourceFile, [ts.SyntaxKind.ForOfStatement], (n) => {
    if (!ts.isForOfStatement(n) || !ts.isVariableDeclarationList(n.initializer)) return;
    const looped = keptCollection(n.expression);
    const first = n.initializer.declarations[0];
    if (looped !== undefined && first !== undefined)
      add(n, { body: n.statement, members: new Set(boundNames(first.name)), collection: looped });
  });
  for (const n of facts.calls) {
    if (!ts.isPropertyAccessExpression(n.expression) || !VISITS.test(n.expression.name.text))
      continue;
    const visited = keptCollection(n.expression.expression);
    const cb = n.arguments[0];
    const param =
      cb !== undefined && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))
        ? cb.parameters[0]
        : undefined;
    if (visited !== undefined && cb !== undefined && param !== undefined)
      add(n, { body: cb, members: new Set(boundNames(param.name)), collection: visited });
  }
  return found;
}

/** The initialiser of a local of `fn`, when it is declared once. */
function localInit(fn: ts.Node, name: string): ts.Expression | undefined {
  let init: ts.Expression | undefined;
  let count = 0;
  walk(fn, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) {
      count++;
      init = n.initializer;
    }
  });
  return count === 1 ? init : undefined;
}

/**
 * Whether a visit compares a member's load below a limit the object keeps (`controller.active <
 * this.maxPerBrowser`; `usage < minUsage` with `usage = item.currentUsage()` and `minUsage =
 * this.maximumUsage`): a member with spare capacity.
 */
function comparesLoad(fn: ts.Node, v: Visit): boolean {
  const members = new Set(v.members);
  // Locals of the visit set from a member (`const usage = item.currentUsage()`).
  walk(v.body, (n) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      readsMember(n.initializer, v.members)
    )
      members.add(n.name.text);
  });
  const limit = (e: ts.Node): boolean => {
    const u = unwrap(e);
    if (keptOnThis(u)) return true;
    const init = ts.isIdentifier(u) ? localInit(fn, u.text) : undefined;
    return init !== undefined && keptOnThis(init);
  };
  let found = false;
  walk(v.body, (n) => {
    if (found || !ts.isBinaryExpression(n)) return;
    const op = n.operatorToken.kind;
    const below = op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken;
    const above =
      op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken;
    const [load, bound] = below ? [n.left, n.right] : above ? [n.right, n.left] : [];
    if (load === undefined || bound === undefined) return;
    if (ts.isIdentifier(unwrap(load)) && !members.has((unwrap(load) as ts.Identifier).text)) return;
    if (!ts.isIdentifier(unwrap(load)) && !readsMember(load, v.members)) return;
    if (limit(bound)) found = true;
  });
  return found;
}

/**
 * Whether the function hands a visited member out: the visit's callback result returned
 * (`return [...this.active].find(…)`), the member returned from its loop, or kept in a local
 * (`selected = client`) that the function returns.
 */
function handsOut(fn: ts.FunctionLikeDeclaration, v: Visit): boolean {
  const returned = new Set<string>();
  let direct = false;
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) && n.expression !== undefined) {
      const e = unwrap(n.expression);
      if (ts.isIdentifier(e)) returned.add(e.text);
      if (e === v.body.parent || (ts.isCallExpression(e) && e.arguments[0] === v.body))
        direct = true;
    }
    if (isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  if (fn.body !== undefined) ts.forEachChild(fn.body, visit);
  if (direct) return true;
  if ([...v.members].some((m) => returned.has(m))) return true;
  let kept = false;
  walk(v.body, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      returned.has(n.left.text) &&
      ts.isIdentifier(unwrap(n.right)) &&
      v.members.has((unwrap(n.right) as ts.Identifier).text)
    )
      kept = true;
  });
  return kept;
}

/**
 * Pools that pick a member with spare capacity: a function that visits the members an object
 * keeps, compares a member's load below a limit the object keeps, and hands that member out
 * (`pickBrowserWithFreeCapacity`, a least-used worker under a per-worker maximum, the busiest
 * client still under the per-client operation limit) — no free list, the members are shared.
 * @param facts - the file's facts
 * @returns one detection per picking function
 */
export function spareCapacityPicks(facts: FileFacts): Detection[] {
  const detections: Detection[] = [];
  const byFunction = visitsByFunction(facts);
  for (const [fn, visits] of byFunction) {
    const name = functionName(fn);
    if (name === undefined || !isFunctionLike(fn)) continue;
    const pick = visits.find((v) => comparesLoad(fn, v) && handsOut(fn, v));
    if (pick === undefined) continue;
    detections.push({
      kind: "object-pool",
      confidence: 0.7,
      nodes: [ownNode(fn)],
      evidence: [
        `picks a member of \`${pick.collection}\` whose load is below a limit it keeps, and hands it out: members shared up to a capacity`,
      ],
      name,
    });
  }
  const pickers = new Set(detections.map((d) => d.name as string));
  if (pickers.size > 0) detections.push(...pickOrMake(facts, pickers));
  return detections;
}

/** `!b`, `b === undefined`, `b == null`: the local holds no member. */
function absent(test: ts.Expression, local: string): boolean {
  const t = unwrap(test);
  if (ts.isPrefixUnaryExpression(t))
    return t.operator === ts.SyntaxKind.ExclamationToken && unwrap(t.operand).getText() === local;
  return (
    ts.isBinaryExpression(t) &&
    [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(
      t.operatorToken.kind,
    ) &&
    unwrap(t.left).getText() === local &&
    /^(undefined|null)$/.test(unwrap(t.right).getText())
  );
}

/**
 * The callers that take a picked member or make one: `let b = this.pick(); if (!b) b = await
 * this.launch();` — the pool's acquire, written where it is used.
 */
function pickOrMake(facts: FileFacts, pickers: ReadonlySet<string>): Detection[] {
  const found: Detection[] = [];
  for (const call of facts.calls) {
    const called = (callee(call) ?? "").replace(/^this\./, "");
    if (!pickers.has(called)) continue;
    const declaration = call.parent;
    if (
      !ts.isVariableDeclaration(declaration) ||
      unwrap(declaration.initializer ?? call) !== call ||
      !ts.isIdentifier(declaration.name)
    )
      continue;
    const statement = declaration.parent.parent;
    const block = statement.parent;
    if (!ts.isVariableStatement(statement) || !ts.isBlock(block)) continue;
    const next = block.statements[block.statements.indexOf(statement) + 1];
    const local = declaration.name.text;
    // `if (!b) b = make(…)`: the member made when none has room.
    if (
      next === undefined ||
      !ts.isIfStatement(next) ||
      next.elseStatement !== undefined ||
      !absent(next.expression, local)
    )
      continue;
    const made = ts.isBlock(next.thenStatement)
      ? next.thenStatement.statements[0]
      : next.thenStatement;
    const assigned =
      made !== undefined && ts.isExpressionStatement(made) ? unwrap(made.expression) : undefined;
    if (
      assigned === undefined ||
      !ts.isBinaryExpression(assigned) ||
      assigned.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      unwrap(assigned.left).getText() !== local
    )
      continue;
    found.push({
      kind: "object-pool",
      confidence: 0.7,
      nodes: [statement, next],
      evidence: [`takes a member picked by \`${called}()\` with spare capacity, or makes one`],
      name: local,
    });
  }
  return found;
}
