import { ts } from "ts-morph";
import { callee, chain, isFunctionLike, isLoop, topStatement, walk, walkKinds } from "../ast.js";
import type { Detection } from "../detector.js";
import { functionName, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";

/** A function's name as its callers write it: `run`, `this.run`, `this.#run`. */
function leafOf(name: string): string {
  return name.replace(/^this\./, "");
}

/** The function of the file a name calls from `from`: the one declared nearest around it. */
function resolve(
  facts: FileFacts,
  name: string,
  from: ts.Node,
): ts.FunctionLikeDeclaration | undefined {
  const named = facts.functions.filter((f) => functionName(f) === name);
  if (named.length <= 1) return named[0];
  for (let scope: ts.Node = from; ; scope = functionOf(scope)) {
    const here = named.find((f) => f.pos >= scope.pos && f.end <= scope.end);
    if (here !== undefined || ts.isSourceFile(scope)) return here;
  }
}

/** The call a function is handed to: as an argument, or through the local it is kept in. */
function handedTo(fn: ts.Node): ts.CallExpression | undefined {
  const parent = fn.parent;
  if (parent !== undefined && ts.isCallExpression(parent) && parent.expression !== fn)
    return parent;
  if (parent === undefined || !ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name))
    return undefined;
  const name = parent.name.text;
  let found: ts.CallExpression | undefined;
  walk(functionOf(parent), (n) => {
    if (
      found === undefined &&
      ts.isCallExpression(n) &&
      n.arguments.some((a) => ts.isIdentifier(a) && a.text === name)
    )
      found = n;
  });
  return found;
}

/** Whether a node lies in code that runs when earlier work has ended: a callback, or after an `await`. */
function continues(node: ts.Node, fn: ts.Node): boolean {
  for (let c = node.parent; c !== undefined && c !== fn; c = c.parent) {
    if (ts.isCatchClause(c)) return false;
    if (isFunctionLike(c)) {
      // Only a callback handed to a call runs when work ends (`work(…, onEnd)` counts when `onEnd`
      // is a local handed over as it is); a function put in an object for a hook to call
      // (`{ replaceWithNewWorker }`) runs whenever someone calls it.
      const call = handedTo(c);
      if (call === undefined) return false;
      // A retry after a failure or a delay, or a listener, is not the next item of a worker.
      const method = ts.isPropertyAccessExpression(call.expression)
        ? call.expression.name.text
        : (callee(call) ?? "");
      // Nor is a callback of an array method, which runs at once (a traversal that recurses).
      return !/^(catch|setTimeout|setImmediate|on|once|addListener|addEventListener|some|every|map|forEach|filter|reduce|find|findIndex|flatMap|sort)$/.test(
        method,
      );
    }
  }
  let awaited = false;
  walk(fn, (n) => {
    if (!awaited && ts.isAwaitExpression(n) && n.end <= node.pos && functionOf(n) === fn)
      awaited = true;
  });
  return awaited;
}

/** Whether a function calls `name` (as `name(…)` or `this.name(…)`) where work has ended. */
function callsAgain(fn: ts.Node, name: string): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  walk(fn, (n) => {
    if (
      found === undefined &&
      ts.isCallExpression(n) &&
      leafOf(callee(n) ?? "") === name &&
      continues(n, fn)
    )
      found = n;
  });
  return found;
}

/**
 * Whether a function drains a source it was handed or shares with its siblings: a `for…of` or
 * `while` whose body awaits, over a name that is not the function's own local.
 */
function drainsShared(fn: ts.FunctionLikeDeclaration): boolean {
  const locals = new Set<string>();
  walk(fn, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && functionOf(n) === fn)
      locals.add(n.name.text);
  });
  let drains = false;
  walk(fn, (n) => {
    if (drains || !isLoop(n) || functionOf(n) !== fn) return;
    let source: ts.Node | undefined;
    if (ts.isForOfStatement(n)) source = n.expression;
    else if (ts.isWhileStatement(n)) {
      walk(n.expression, (m) => {
        if (
          source === undefined &&
          ts.isCallExpression(m) &&
          /\.(shift|pop|next)$/.test(callee(m) ?? "")
        )
          source = (m.expression as ts.PropertyAccessExpression).expression;
      });
    }
    const name = source === undefined ? undefined : chain(unwrap(source));
    if (name === undefined || locals.has(name.split(".")[0] ?? name)) return;
    let awaits = false;
    walk(n.statement, (m) => {
      if (ts.isAwaitExpression(m) && functionOf(m) === fn) awaits = true;
    });
    drains = awaits;
  });
  return drains;
}

/** The starts of a worker in a counted loop, `for (let i = 0; i < limit; i++) run(…)`, or `Array.from({ length: limit }, () => run(…))`. */
interface Start {
  /** The call that starts one worker. */
  readonly start: ts.CallExpression;
  /** How many are started. */
  readonly bound: ts.Node;
  /** The statement that starts them all. */
  readonly statement: ts.Node;
  /** The function the starting code runs in. */
  readonly starter: ts.Node;
  readonly loopVar?: string;
}

function starts(facts: FileFacts): Start[] {
  const found: Start[] = [];
  for (const call of facts.calls) {
    if (callee(call) === "Array.from") {
      const [shape, make] = call.arguments;
      if (shape === undefined || make === undefined || !ts.isObjectLiteralExpression(unwrap(shape)))
        continue;
      const length = (unwrap(shape) as ts.ObjectLiteralExpression).properties.find(
        (p) => ts.isPropertyAssignment(p) && p.name.getText() === "length",
      );
      if (length === undefined || !ts.isPropertyAssignment(length)) continue;
      const fn = unwrap(make);
      if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) continue;
      walk(fn.body, (n) => {
        if (ts.isCallExpression(n) && functionOf(n) === fn)
          found.push({
            start: n,
            bound: length.initializer,
            statement: topStatement(call),
            starter: functionOf(call),
          });
      });
      continue;
    }
  }
  walkKinds(facts.sourceFile, [ts.SyntaxKind.ForStatement], (n) => {
    if (!ts.isForStatement(n) || n.condition === undefined || n.initializer === undefined) return;
    const cond = unwrap(n.condition);
    if (
      !ts.isBinaryExpression(cond) ||
      (cond.operatorToken.kind !== ts.SyntaxKind.LessThanToken &&
        cond.operatorToken.kind !== ts.SyntaxKind.LessThanEqualsToken)
    )
      return;
    const loopVar = chain(cond.left);
    const bound = unwrap(cond.right);
    if (loopVar === undefined || (ts.isNumericLiteral(bound) && Number(bound.text) <= 1)) return;
    const statements = ts.isBlock(n.statement) ? n.statement.statements : [n.statement];
    // A worker loop only starts workers: one or two statements, each a call (or its result kept).
    if (statements.length > 2) return;
    for (const s of statements)
      walk(s, (m) => {
        if (ts.isCallExpression(m) && functionOf(m) === functionOf(n))
          found.push({
            start: m,
            bound,
            loopVar,
            statement: topStatement(n),
            starter: functionOf(n),
          });
      });
  });
  return found;
}

/**
 * Where the workers' promises are gathered: `const workers = []` before the start and the
 * `Promise.all(workers)` after it, in the starting function.
 */
function gathering(start: ts.CallExpression, statement: ts.Node, starter: ts.Node): ts.Node[] {
  const parent = start.parent;
  let list: string | undefined;
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isElementAccessExpression(parent.left)
  )
    list = chain(parent.left.expression);
  else if (ts.isCallExpression(parent) && /\.push$/.test(callee(parent) ?? ""))
    list = (callee(parent) ?? "").replace(/\.push$/, "");
  const block = statement.parent;
  if (list === undefined || block === undefined || !ts.isBlock(block) || block.parent !== starter)
    return [];
  const at = block.statements.indexOf(statement as ts.Statement);
  const declared = block.statements
    .slice(0, at)
    .find(
      (s) =>
        ts.isVariableStatement(s) &&
        s.declarationList.declarations.some((d) => d.name.getText() === list),
    );
  const awaited = block.statements
    .slice(at + 1)
    .find((s) => /Promise\.(all|allSettled)\(/.test(s.getText()) && s.getText().includes(list));
  return [declared, awaited].filter((n): n is ts.Statement => n !== undefined);
}

/**
 * Worker pools by hand: a counted loop (or `Array.from({ length })`) starts `limit` workers, and
 * each worker takes the next item when its work ends — it calls itself (or the starter) in a
 * continuation, drains a source every worker shares with an `await` in its loop, or is handed a
 * callback that starts the next item. A loop over a tree's children that recurses is a traversal
 * (its argument is the child): not reported. Replaced by `new ResponseOptimizer({ concurrency })`.
 */
export function workerPools(facts: FileFacts, sourceFile: ts.SourceFile): Detection[] {
  const detections: Detection[] = [];
  const seen = new Set<ts.Node>();
  for (const { start, bound, loopVar, statement, starter } of starts(facts)) {
    // `visit(children[i])` walks a structure: each call gets its own item, nothing is shared.
    const indexed = start.arguments.some((a) => {
      let hit = false;
      walk(a, (m) => {
        if (
          ts.isElementAccessExpression(m) &&
          loopVar !== undefined &&
          chain(unwrap(m.argumentExpression)) === loopVar
        )
          hit = true;
      });
      return hit;
    });
    if (indexed) continue;
    const name = leafOf(callee(start) ?? "");
    if (
      name === "" ||
      /^(push|set|add|then|catch|resolve|reject)$/.test(name.split(".").pop() ?? "")
    )
      continue;
    const worker = resolve(facts, name, start);
    let how: string | undefined;
    const parts: ts.Node[] = [statement];
    if (worker !== undefined && worker !== starter) {
      if (callsAgain(worker, name) !== undefined)
        how = `\`${name}\` starts its next item when one ends`;
      else if (drainsShared(worker)) how = `\`${name}\` drains a source all workers share`;
      else {
        const starterName = functionName(starter);
        if (starterName !== undefined && callsAgain(worker, leafOf(starterName)) !== undefined)
          how = `\`${name}\` refills the pool through \`${starterName}\` when one ends`;
      }
      if (how !== undefined) parts.push(worker);
    }
    if (how === undefined) {
      // `run(i, next)` where `next` runs `run` again: the callback starts the next item.
      for (const a of start.arguments) {
        const n = chain(unwrap(a));
        const next = n === undefined ? undefined : resolve(facts, n, start);
        if (next !== undefined && next !== starter && callsAgain(next, name) !== undefined) {
          how = `the callback \`${n ?? ""}\` starts the next item with \`${name}\``;
          parts.push(next);
          break;
        }
      }
    }
    if (how === undefined) continue;
    parts.push(...gathering(start, statement, starter));
    const nodes = [
      ...new Set(
        parts.map((p) =>
          ts.isVariableDeclaration(p.parent) || ts.isVariableDeclaration(p) ? topStatement(p) : p,
        ),
      ),
    ].sort((a, b) => a.pos - b.pos);
    if (nodes.some((n) => seen.has(n))) continue;
    nodes.forEach((n) => seen.add(n));
    detections.push({
      kind: "concurrency-limit",
      confidence: 0.8,
      nodes,
      evidence: [
        `starts \`${bound.getText(sourceFile).replace(/\s+/g, " ").slice(0, 40)}\` workers at once`,
        how,
      ],
      name,
    });
  }
  return detections;
}
