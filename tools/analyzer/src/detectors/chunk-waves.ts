import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, isLoop, topStatement } from "../ast.js";
import type { Detection } from "../detector.js";
import { unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";

/** `Promise.all` and `Promise.allSettled`: every call started at once, awaited together. */
const ALL = /^Promise\.(all|allSettled)$/;

/**
 * Whether a node can be a chunk size: a number above one, or a value worked out elsewhere (a name,
 * a property, an expression) — not a string, a function or a literal object (a key or a predicate
 * that groups items, whose groups have any size).
 */
function isSize(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  const n = unwrap(node);
  if (ts.isNumericLiteral(n)) return Number(n.text) > 1;
  if (
    ts.isStringLiteralLike(n) ||
    ts.isTemplateExpression(n) ||
    isFunctionLike(n) ||
    ts.isObjectLiteralExpression(n) ||
    ts.isArrayLiteralExpression(n) ||
    n.kind === ts.SyntaxKind.TrueKeyword ||
    n.kind === ts.SyntaxKind.FalseKeyword ||
    n.kind === ts.SyntaxKind.NullKeyword
  )
    return false;
  if (ts.isIdentifier(n)) {
    const d = bindingOf(n, n.text);
    // A name bound to a function (`groupBy(items, byKind)`) is a grouping rule, not a size.
    if (d !== undefined && (ts.isFunctionDeclaration(d) || isFunctionLike(d))) return false;
    if (
      d !== undefined &&
      ts.isVariableDeclaration(d) &&
      d.initializer !== undefined &&
      isFunctionLike(unwrap(d.initializer))
    )
      return false;
  }
  return true;
}

/** A call that splits a list by a size: `chunk(items, n)`, `splitArray(values, max)`. */
function splitsBySize(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  const n = unwrap(node);
  return ts.isCallExpression(n) && n.arguments.length === 2 && isSize(n.arguments[1]);
}

/** Whether a name is a local bound to a size-split list (`const chunks = chunk(items, n)`). */
function splitLocal(name: ts.Identifier): ts.VariableDeclaration | undefined {
  const d = bindingOf(name, name.text);
  return d !== undefined &&
    ts.isVariableDeclaration(d) &&
    ts.isIdentifier(d.name) &&
    splitsBySize(d.initializer)
    ? d
    : undefined;
}

/** The variable a `for (let i = …; …; i += n)` loop steps, and whether its step is above one. */
function stepped(loop: ts.Node): { name: string; wide: boolean } | undefined {
  if (
    !ts.isForStatement(loop) ||
    loop.initializer === undefined ||
    !ts.isVariableDeclarationList(loop.initializer)
  )
    return undefined;
  const first = loop.initializer.declarations[0];
  if (first === undefined || !ts.isIdentifier(first.name)) return undefined;
  const name = first.name.text;
  const inc = loop.incrementor === undefined ? undefined : unwrap(loop.incrementor);
  const wide =
    inc !== undefined &&
    ts.isBinaryExpression(inc) &&
    inc.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
    chain(inc.left) === name &&
    isSize(inc.right);
  return { name, wide };
}

/** Whether an element read is `list[i]` or `list[i + k]` (optionally called) for the loop variable `i`. */
function readsAt(node: ts.Node, index: string): boolean {
  let n = unwrap(node);
  while (ts.isCallExpression(n) || ts.isElementAccessExpression(n) || ts.isAwaitExpression(n)) {
    if (ts.isElementAccessExpression(n)) {
      const arg = unwrap(n.argumentExpression);
      if (chain(arg) === index) return true;
      if (
        ts.isBinaryExpression(arg) &&
        arg.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        chain(unwrap(arg.left)) === index &&
        ts.isNumericLiteral(unwrap(arg.right))
      )
        return true;
    }
    n = unwrap(n.expression);
  }
  return false;
}

/**
 * What a wave starts, when the list handed to `Promise.all` is a bounded chunk of the loop's work:
 * `part.map(fn)` over the loop's element of a size-split list (`for (const part of chunk(items, n))`
 * or `chunks[i]`), `items.splice(0, n).map(fn)`, `items.slice(i, i + n).map(fn)`, or a literal list
 * of calls on `list[i]`, `list[i + 1]` in a loop that steps `i += n`. The split that makes the
 * chunks, when it is a local of the function, is part of the construct.
 */
function wave(arg: ts.Node, loop: ts.IterationStatement): { split?: ts.Node } | undefined {
  const a = unwrap(arg);
  const index = stepped(loop);
  if (ts.isArrayLiteralExpression(a)) {
    if (index === undefined || !index.wide || a.elements.length < 2) return undefined;
    return a.elements.every((e) => readsAt(e, index.name)) ? {} : undefined;
  }
  if (!ts.isCallExpression(a) || !ts.isPropertyAccessExpression(a.expression)) return undefined;
  if (a.expression.name.text !== "map") return undefined;
  let list = unwrap(a.expression.expression);
  // A local of the turn holding the chunk (`const part = chunks[i]`).
  if (ts.isIdentifier(list)) {
    const d = bindingOf(list, list.text);
    if (
      d !== undefined &&
      ts.isVariableDeclaration(d) &&
      d.initializer !== undefined &&
      d.pos > loop.pos &&
      d.end < loop.end &&
      ts.isElementAccessExpression(unwrap(d.initializer))
    )
      list = unwrap(d.initializer);
  }
  // `items.splice(0, n)` (taken off the front each turn) or `items.slice(i, i + n)`.
  if (ts.isCallExpression(list) && ts.isPropertyAccessExpression(list.expression)) {
    const method = list.expression.name.text;
    const [from, to] = list.arguments;
    if (
      method === "splice" &&
      from !== undefined &&
      ts.isNumericLiteral(unwrap(from)) &&
      unwrap(from).getText() === "0" &&
      isSize(to)
    )
      return {};
    if (method === "slice" && index !== undefined && from !== undefined && to !== undefined) {
      const end = unwrap(to);
      if (
        chain(unwrap(from)) === index.name &&
        ts.isBinaryExpression(end) &&
        end.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        chain(unwrap(end.left)) === index.name &&
        isSize(end.right)
      )
        return {};
    }
    return undefined;
  }
  // `chunks[i].map(fn)` in a loop over the indexes of a size-split local.
  if (ts.isElementAccessExpression(list)) {
    const base = unwrap(list.expression);
    if (index === undefined || chain(unwrap(list.argumentExpression)) !== index.name)
      return undefined;
    const split = ts.isIdentifier(base) ? splitLocal(base) : undefined;
    return split === undefined ? undefined : { split };
  }
  // `part.map(fn)` where `part` is the element of a `for…of` over a size-split list.
  if (!ts.isIdentifier(list) || !ts.isForOfStatement(loop)) return undefined;
  const init = loop.initializer;
  if (
    !ts.isVariableDeclarationList(init) ||
    init.declarations.length !== 1 ||
    init.declarations[0]?.name.getText() !== list.text
  )
    return undefined;
  const over = unwrap(loop.expression);
  if (splitsBySize(over)) return {};
  const split = ts.isIdentifier(over) ? splitLocal(over) : undefined;
  return split === undefined ? undefined : { split };
}

/**
 * Work run in bounded waves: a loop whose every turn starts one chunk of the items at once and
 * awaits them all before the next turn (`for (const part of chunk(items, n)) await
 * Promise.all(part.map(run))`, `while (items.length) await Promise.all(items.splice(0, limit).map(fn))`):
 * at most a chunk's worth of calls is in flight. A `Promise.all` over the whole list (no bound), a
 * loop that hands each chunk to one call (a batch, not parallel calls) and groups split by a key or
 * a predicate (any size) are not waves.
 * @param facts - the file's facts
 * @returns one concurrency-limit detection per loop
 */
export function chunkWaves(facts: FileFacts): Detection[] {
  const out: Detection[] = [];
  const seen = new Set<ts.Node>();
  for (const call of facts.calls) {
    if (!ALL.test(callee(call) ?? "")) continue;
    const arg = call.arguments[0];
    let up = call.parent;
    while (ts.isParenthesizedExpression(up)) up = up.parent;
    if (arg === undefined || !ts.isAwaitExpression(up)) continue;
    const fn = functionOf(call);
    let loop: ts.IterationStatement | undefined;
    for (let c = call.parent; c !== undefined && c !== fn; c = c.parent)
      if (isLoop(c)) {
        loop = c;
        break;
      }
    if (loop === undefined || seen.has(loop)) continue;
    const found = wave(arg, loop);
    if (found === undefined) continue;
    seen.add(loop);
    const parts: ts.Node[] = [loop];
    if (found.split !== undefined && functionOf(found.split) === fn)
      parts.unshift(topStatement(found.split));
    // A helper that exists for the waves (its statements: the split, the results, the loop and
    // its return) is the construct as a whole.
    const body = isFunctionLike(fn) ? fn.body : undefined;
    const own =
      body !== undefined &&
      ts.isBlock(body) &&
      body.statements.length <= 5 &&
      body.statements.every(
        (s) => parts.includes(s) || ts.isVariableStatement(s) || ts.isReturnStatement(s),
      );
    const holder =
      own && ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : own ? fn : undefined;
    const size = ts.isCallExpression(unwrap(arg))
      ? unwrap(arg).getText().split(".map(")[0]
      : "the items at the loop's index";
    out.push({
      kind: "concurrency-limit",
      confidence: 0.8,
      nodes: holder !== undefined ? [holder] : parts,
      evidence: [
        `each turn of the loop starts one chunk (\`${(size ?? "").replace(/\s+/g, " ").slice(0, 40)}\`) at once`,
        "and awaits it whole before the next: a chunk's worth of calls in flight",
      ],
    });
  }
  return out;
}
