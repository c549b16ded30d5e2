import { ts } from "ts-morph";
import { chain, isFunctionLike, statementsBetween, walkKinds } from "../ast.js";
import { FACT_KIND, fillerFact } from "../cross-file-facts.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, isNullish, unwrap } from "../file-facts.js";
import { keyedFlows } from "./keyed-flows.js";

/**
 * Read-through over a member store: a method reads `this.<store>` under a key and returns the hit;
 * on a miss it awaits a load (I/O) and the loaded value goes into the store — through the store's
 * own `set`/`put`/`add` (an injected cache backend), or handed to a method that writes the store
 * (`return this._add(data)`, with `_add` doing `this.cache.set(id, entry)`), one level deep. That
 * method may live in a base class in another file: each file states its store-filling methods as
 * cross-file facts, and a read-through filled through a method is held until one is stated.
 */

const READS = /^(get|has|find)$/;
const WRITES = /^(set|put|add)$/;

/** `this.<…>.get(k)` / `.has(k)`: the store's chain (`this.cache`), or undefined. */
function memberRead(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return undefined;
  const target = node.expression;
  if (!ts.isPropertyAccessExpression(target) || !READS.test(target.name.text)) return undefined;
  const store = chain(target.expression);
  return store?.startsWith("this.") === true ? store : undefined;
}

/** `this.<…>.set(k, v)` (or `put`, `add` of a key and a value): the store's chain. */
function memberWrite(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length < 2) return undefined;
  const target = node.expression;
  if (!ts.isPropertyAccessExpression(target) || !WRITES.test(target.name.text)) return undefined;
  const store = chain(target.expression);
  return store?.startsWith("this.") === true ? store : undefined;
}

/** The innermost function around a node (undefined at the top of the file). */
function functionAround(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
}

/** Whether `root` refers to one of `names` (a property name is not a reference). */
function mentions(root: ts.Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  walkKinds(root, [ts.SyntaxKind.Identifier], (n) => {
    if (found || !ts.isIdentifier(n) || !names.has(n.text)) return;
    if (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) return;
    found = true;
  });
  return found;
}

/** The names a binding pattern or name declares. */
function boundNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) boundNames(e.name, into);
}

/**
 * Names of `fn` that carry what `from` holds (a parameter, a loaded value): `from` itself and every
 * local declared or assigned, after `after`, from an expression that mentions one of them.
 */
function carriers(fn: ts.Node, from: ReadonlySet<string>, after: number): Set<string> {
  const names = new Set(from);
  walkKinds(fn, [ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.BinaryExpression], (n) => {
    if (n.pos < after) return;
    if (
      ts.isVariableDeclaration(n) &&
      n.initializer !== undefined &&
      mentions(n.initializer, names)
    )
      boundNames(n.name, names);
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(n.left) &&
      mentions(n.right, names)
    )
      names.add(n.left.text);
  });
  return names;
}

/** A method's name (`_add`, `#fill`), when it is a class member. */
function methodName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (!ts.isMethodDeclaration(fn)) return undefined;
  return ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name) ? fn.name.text : undefined;
}

/**
 * The facts a file states: each method that writes a member store with what it is handed (a
 * parameter, or a local made from one), as `this.<method>() fills this.<store>`.
 */
function fillerFacts(calls: readonly ts.CallExpression[]): Map<string, ts.Node> {
  const found = new Map<string, ts.Node>();
  for (const call of calls) {
    const store = memberWrite(call);
    if (store === undefined) continue;
    const fn = functionAround(call);
    if (fn === undefined || fn.body === undefined) continue;
    const name = methodName(fn);
    if (name === undefined) continue;
    const params = new Set<string>();
    for (const p of fn.parameters) boundNames(p.name, params);
    if (!call.arguments.some((a) => mentions(a, carriers(fn.body as ts.Node, params, 0)))) continue;
    const fact = fillerFact(name, store.slice("this.".length));
    if (!found.has(fact)) found.set(fact, fn);
  }
  return found;
}

/** Whether a statement always leaves the function (`return`/`throw`, or a block ending in one). */
function leaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements[statement.statements.length - 1];
  return last !== undefined && leaves(last);
}

/** Whether a test is true on a miss: `!x`, `x === undefined`, `x == null`, `!this.s.has(k)`. */
function testsMiss(test: ts.Expression): boolean {
  const t = unwrap(test);
  if (ts.isPrefixUnaryExpression(t) && t.operator === ts.SyntaxKind.ExclamationToken) return true;
  if (!ts.isBinaryExpression(t)) return false;
  const op = t.operatorToken.kind;
  return (
    (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) &&
    (isNullish(t.left) || isNullish(t.right))
  );
}

/** One read of a member store under a key, checked, with the code that runs on a miss. */
interface ReadCheck {
  readonly store: string;
  readonly read: ts.CallExpression;
  readonly check: ts.IfStatement;
  /** Where the miss path starts (after the check, or the check's `then` when it tests a miss). */
  readonly from: number;
  /** Where it ends. */
  readonly to: number;
}

/** The check of a read: `if (hit) return hit` (miss after it) or `if (!hit) { … }` (miss inside). */
function checkOf(read: ts.CallExpression, store: string): ReadCheck | undefined {
  let holder: string | undefined;
  let at: ts.Node = read;
  while (ts.isAwaitExpression(at.parent) || ts.isParenthesizedExpression(at.parent)) at = at.parent;
  if (ts.isVariableDeclaration(at.parent) && ts.isIdentifier(at.parent.name))
    holder = at.parent.name.text;
  const fn = functionAround(read);
  if (fn?.body === undefined) return undefined;
  // The `if` testing the read (or its holder) soonest after it.
  let check: ts.IfStatement | undefined;
  const names = new Set(holder === undefined ? [] : [holder]);
  walkKinds(fn.body, [ts.SyntaxKind.IfStatement], (n) => {
    if (check !== undefined || !ts.isIfStatement(n) || n.end < read.pos) return;
    if (n.expression.pos <= read.pos && read.end <= n.expression.end) check = n;
    else if (n.pos > read.end && mentions(n.expression, names)) check = n;
  });
  if (check === undefined || functionAround(check) !== fn) return undefined;
  const hit = check.thenStatement;
  const returnsHit =
    check.elseStatement === undefined &&
    leaves(hit) &&
    (mentions(hit, names) ||
      ((ts.isBlock(hit) || ts.isReturnStatement(hit)) &&
        walkFinds(hit, (n) => memberRead(n) === store))) &&
    !testsMiss(check.expression);
  if (returnsHit) return { store, read, check, from: check.end, to: fn.body.end };
  if (testsMiss(check.expression)) return { store, read, check, from: hit.pos, to: hit.end };
  return undefined;
}

/** Whether some node under `root` satisfies `test`. */
function walkFinds(root: ts.Node, test: (n: ts.Node) => boolean): boolean {
  let found = false;
  walkKinds(root, [ts.SyntaxKind.CallExpression], (n) => {
    if (!found && test(n)) found = true;
  });
  return found;
}

export const memberReadThroughDetector: Detector = {
  id: "caching/member-read-through",
  category: "caching",
  kinds: ["cache-aside"],
  prefilter: /this\.[\w$#.]+\.(get|has)\(/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    for (const [fact, fn] of fillerFacts(facts.calls))
      detections.push({
        kind: FACT_KIND,
        confidence: 1,
        nodes: [],
        context: [fn],
        evidence: [`states that ${fact}`],
        name: fact,
      });
    const seen = new Set<ts.Node>();
    for (const call of facts.calls) {
      const store = memberRead(call);
      if (store === undefined) continue;
      const found = checkOf(call, store);
      if (found === undefined || seen.has(found.check)) continue;
      const fn = functionAround(call);
      if (fn?.body === undefined) continue;
      // The load on the miss: the first `await` after the check, and the names holding its value.
      let load: ts.AwaitExpression | undefined;
      walkKinds(fn.body, [ts.SyntaxKind.AwaitExpression], (n) => {
        if (
          load === undefined &&
          ts.isAwaitExpression(n) &&
          n.pos >= found.from &&
          n.end <= found.to
        )
          if (functionAround(n) === fn) load = n;
      });
      if (load === undefined) continue;
      const awaited: ts.AwaitExpression = load;
      const loaded = new Set<string>();
      const holder = unwrap(load.parent);
      if (ts.isVariableDeclaration(load.parent)) boundNames(load.parent.name, loaded);
      else if (ts.isBinaryExpression(holder) && ts.isIdentifier(holder.left))
        loaded.add(holder.left.text);
      const carried = carriers(fn.body, loaded, load.pos);
      const carries = (n: ts.Node): boolean =>
        mentions(n, carried) || (n.pos <= awaited.pos && awaited.end <= n.end);
      // The fill after the load: the store's own write, or a method of the class handed the value.
      let fill: { node: ts.CallExpression; needs?: string } | undefined;
      walkKinds(fn.body, [ts.SyntaxKind.CallExpression], (n) => {
        if (
          fill !== undefined ||
          !ts.isCallExpression(n) ||
          n.pos < awaited.end ||
          n.end > found.to
        )
          return;
        if (functionAround(n) !== fn) return;
        if (memberWrite(n) === store) {
          const [key, ...rest] = n.arguments;
          const readKey = found.read.arguments[0];
          if (
            key !== undefined &&
            readKey !== undefined &&
            unwrap(key).getText() === unwrap(readKey).getText() &&
            rest.some(carries)
          )
            fill = { node: n };
          return;
        }
        const target = n.expression;
        if (
          ts.isPropertyAccessExpression(target) &&
          target.expression.kind === ts.SyntaxKind.ThisKeyword &&
          n.arguments.some(carries)
        )
          fill = {
            node: n,
            needs: fillerFact(target.name.text, store.slice("this.".length)),
          };
      });
      if (fill === undefined) continue;
      // A direct fill that is a keyed flow of the file already: keyed-store reports (and kinds) it.
      const direct = fill.needs === undefined ? fill.node : undefined;
      if (direct !== undefined && keyedFlows(sourceFile).some((f) => f.write === direct)) continue;
      const nodes = statementsBetween(found.read, fill.node);
      if (nodes.length === 0) continue;
      seen.add(found.check);
      detections.push({
        kind: "cache-aside",
        confidence: 0.8,
        nodes,
        evidence: [
          `reads \`${store}\` under a key and returns the hit`,
          fill.needs === undefined
            ? `on a miss loads (\`await\`) and writes \`${store}\` under the same key`
            : `on a miss loads (\`await\`) and hands the value to \`${chain(fill.node.expression) ?? "a method"}\`, which writes \`${store}\``,
          "loaded (I/O or a callback) on a miss and kept",
        ],
        name: store,
        ...(fill.needs === undefined ? {} : { needs: fill.needs }),
      });
    }
    return detections;
  },
};
