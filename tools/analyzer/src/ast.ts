import { ts } from "ts-morph";

/**
 * One parsed file's nodes in walk order (depth first, children in `ts.forEachChild` order), with
 * each node's start position and the index just past its subtree: a walk over any node of the
 * file is then a loop over a slice instead of a `ts.forEachChild` descent per node. Detectors walk
 * the same file many times (each its own passes, over the whole file and over functions in it).
 */
interface WalkOrder {
  readonly nodes: readonly ts.Node[];
  /** `pos` of each node: non-decreasing in walk order, so a node is found by binary search. */
  readonly starts: Int32Array;
  /** Per node, the index after its last descendant. */
  readonly ends: Int32Array;
  /** Per node kind, the positions of that kind's nodes, ascending (made by the first kind walk). */
  byKind?: Map<ts.SyntaxKind, Int32Array>;
  /**
   * Per set of several kinds (keyed by {@link kindsKey}), the positions of their nodes merged,
   * ascending: made by the first walk over that set, so the walks over one function after another
   * each read a slice of it.
   */
  byKinds?: Map<string, Int32Array>;
  /** Per set of several kinds not merged yet, how many walks over part of the file asked for it. */
  kindsAsked?: Map<string, number>;
}

// Each indexed tree's walk order, kept as long as the tree is (the per-file pass indexes the file
// it examines; the fix prediction, every file it plans at once). The last one looked up is kept
// at hand: walks come in runs over one file.
const orders = new WeakMap<ts.Node, WalkOrder>();
let lastFile: ts.Node | undefined;
let lastOrder: WalkOrder | undefined;

/**
 * Sets every node's `parent` (parse with `setParentNodes` off: this pass replaces the parser's
 * own) and records the file's walk order, so that later walks over its nodes visit the same nodes
 * in the same order from an array. Iterative, like {@link walk}. The order lives as long as the
 * tree does.
 * @param sourceFile - a file just parsed
 */
export function indexTree(sourceFile: ts.SourceFile): void {
  const nodes: ts.Node[] = [];
  const parents: number[] = [];
  const stack: ts.Node[] = [sourceFile];
  const stackParents: number[] = [-1];
  // One node's children, in order, before they go on the stack last first.
  const children: ts.Node[] = [];
  let parent: ts.Node = sourceFile;
  const collect = (child: ts.Node): undefined => {
    (child as { parent: ts.Node }).parent = parent;
    children.push(child);
    return undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    const index = nodes.length;
    parents.push(stackParents.pop() as number);
    nodes.push(node);
    parent = node;
    ts.forEachChild(node, collect);
    for (let k = children.length - 1; k >= 0; k--) {
      stack.push(children[k] as ts.Node);
      stackParents.push(index);
    }
    children.length = 0;
  }
  const starts = new Int32Array(nodes.length);
  const ends = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    starts[i] = (nodes[i] as ts.Node).pos;
    ends[i] = i + 1;
  }
  // Preorder: a node's subtree ends where its last descendant's does.
  for (let i = nodes.length - 1; i > 0; i--) {
    const p = parents[i] as number;
    if ((ends[i] as number) > (ends[p] as number)) ends[p] = ends[i] as number;
  }
  const order = { nodes, starts, ends };
  orders.set(sourceFile, order);
  lastFile = sourceFile;
  lastOrder = order;
}

/** The walk order of the indexed tree `node` is in (its parents lead to the file), if any. */
function orderOf(node: ts.Node): WalkOrder | undefined {
  let top = node;
  while (top.parent !== undefined) top = top.parent;
  if (top === lastFile) return lastOrder;
  const order = orders.get(top);
  if (order !== undefined) {
    lastFile = top;
    lastOrder = order;
  }
  return order;
}

/** Reverses `items` from `first` to the end (children pushed in order are popped first-first). */
function reverseFrom<T>(items: T[], first: number): void {
  for (let i = first, j = items.length - 1; i < j; i++, j--) {
    const item = items[i] as T;
    items[i] = items[j] as T;
    items[j] = item;
  }
}

/** `node`'s index in the indexed file's walk order, or -1 when it is not one of its nodes. */
function indexOf(order: WalkOrder, node: ts.Node): number {
  const { starts, nodes } = order;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] as number) < node.pos) low = middle + 1;
    else high = middle;
  }
  // Nested nodes can start at the same position (`a.b()`: the call, then its callee).
  for (let i = low; i < starts.length && starts[i] === node.pos; i++)
    if (nodes[i] === node) return i;
  return -1;
}

/**
 * Calls `visit` for every node below `root`, `root` included, depth first (raw compiler nodes: no
 * wrapping). Iterative: a deeply nested file cannot overflow the stack here. Over a file given to
 * {@link indexTree}, a loop over its recorded walk order.
 */
export function walk(root: ts.Node, visit: (node: ts.Node) => void): void {
  const order = orderOf(root);
  const at = order === undefined ? -1 : indexOf(order, root);
  if (order !== undefined && at >= 0) {
    const { nodes, ends } = order;
    for (let i = at, end = ends[at] as number; i < end; i++) visit(nodes[i] as ts.Node);
    return;
  }
  const stack: ts.Node[] = [root];
  const push = (child: ts.Node): undefined => {
    stack.push(child);
    return undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    visit(node);
    const first = stack.length;
    ts.forEachChild(node, push);
    // Children were pushed in order; reverse them so the first is visited first.
    reverseFrom(stack, first);
  }
}

/** The kinds of function-like nodes ({@link isFunctionLike}), for {@link walkKinds}. */
export const FUNCTION_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
];

/** The kinds of loop statements ({@link isLoop}), for {@link walkKinds}. */
export const LOOP_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ForInStatement,
];

const FUNCTION_KIND_SET: ReadonlySet<ts.SyntaxKind> = new Set(FUNCTION_KINDS);
const LOOP_KIND_SET: ReadonlySet<ts.SyntaxKind> = new Set(LOOP_KINDS);

/** Per node kind, the walk-order positions of `nodes` of that kind, ascending. */
function positionsByKind(nodes: readonly ts.Node[]): Map<ts.SyntaxKind, Int32Array> {
  // Counted first, then filled: one typed array per kind, no growing lists.
  const counts = new Map<ts.SyntaxKind, number>();
  for (let i = 0; i < nodes.length; i++) {
    const kind = (nodes[i] as ts.Node).kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const byKind = new Map<ts.SyntaxKind, Int32Array>();
  const filled = new Map<ts.SyntaxKind, number>();
  for (const [kind, count] of counts) {
    byKind.set(kind, new Int32Array(count));
    filled.set(kind, 0);
  }
  for (let i = 0; i < nodes.length; i++) {
    const kind = (nodes[i] as ts.Node).kind;
    const at = filled.get(kind) as number;
    (byKind.get(kind) as Int32Array)[at] = i;
    filled.set(kind, at + 1);
  }
  return byKind;
}

/** How many walks over part of a file ask for a set of kinds before its lists are merged. */
const MERGE_AFTER = 4;

/** No positions: a kind the file does not have. */
const NONE = new Int32Array(0);

/**
 * The walk-order positions of the nodes of any of `kinds`, ascending (a position twice when its
 * kind is listed twice, as a walk with a kind test would not, but as the walk over each kind did);
 * `undefined` while a set of several kinds is not worth merging yet ({@link MERGE_AFTER}).
 */
function positionsOfKinds(
  order: WalkOrder,
  kinds: readonly ts.SyntaxKind[],
  wholeFile: boolean,
): Int32Array | undefined {
  const byKind = (order.byKind ??= positionsByKind(order.nodes));
  if (kinds.length === 1) return byKind.get(kinds[0] as ts.SyntaxKind) ?? NONE;
  const byKinds = (order.byKinds ??= new Map<string, Int32Array>());
  const key = kindsKey(kinds);
  let merged = byKinds.get(key);
  if (merged === undefined && !wholeFile) {
    // Merging the whole file's lists pays only for a set walked again and again (per function):
    // the first few walks over part of the file take their slice of each kind's list instead.
    const asked = (order.kindsAsked ??= new Map<string, number>());
    const times = (asked.get(key) ?? 0) + 1;
    asked.set(key, times);
    if (times < MERGE_AFTER) return undefined;
  }
  if (merged === undefined) {
    let total = 0;
    for (const kind of kinds) total += byKind.get(kind)?.length ?? 0;
    merged = new Int32Array(total);
    let at = 0;
    for (const kind of kinds) {
      const positions = byKind.get(kind);
      if (positions === undefined) continue;
      merged.set(positions, at);
      at += positions.length;
    }
    merged.sort();
    byKinds.set(key, merged);
  }
  return merged;
}

/** A set of kinds as a key: its kinds joined, in the order given. */
function kindsKey(kinds: readonly ts.SyntaxKind[]): string {
  return kinds.join(",");
}

/** The first index of `sorted` whose value is at least `value`. */
function firstAtLeast(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Calls `visit` for every node below `root`, `root` included, whose kind is one of `kinds` — the
 * same nodes in the same order as {@link walk} with a kind test first, but over a file given to
 * {@link indexTree} it reads the file's per-kind positions instead of visiting every node.
 * @param root - where to start
 * @param kinds - the node kinds to visit (`ts.SyntaxKind`)
 * @param visit - called per matching node, in walk order
 */
export function walkKinds(
  root: ts.Node,
  kinds: readonly ts.SyntaxKind[],
  visit: (node: ts.Node) => void,
): void {
  const order = orderOf(root);
  const at = order === undefined ? -1 : indexOf(order, root);
  if (order === undefined || at < 0) {
    walk(root, (node) => {
      if (kinds.includes(node.kind)) visit(node);
    });
    return;
  }
  const { nodes } = order;
  const end = order.ends[at] as number;
  const positions = positionsOfKinds(order, kinds, at === 0);
  if (positions !== undefined) {
    for (let i = firstAtLeast(positions, at); i < positions.length; i++) {
      const position = positions[i] as number;
      if (position >= end) break;
      visit(nodes[position] as ts.Node);
    }
    return;
  }
  // The slice of each kind's list below `root`, in walk order.
  const picked: number[] = [];
  for (const kind of kinds) {
    const list = order.byKind?.get(kind);
    if (list === undefined) continue;
    for (let i = firstAtLeast(list, at); i < list.length; i++) {
      const position = list[i] as number;
      if (position >= end) break;
      picked.push(position);
    }
  }
  if (kinds.length > 1) picked.sort((a, b) => a - b);
  for (const position of picked) visit(nodes[position] as ts.Node);
}

/** Every node below `root` that satisfies `test`. */
export function findAll<T extends ts.Node>(root: ts.Node, test: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  walk(root, (node) => {
    if (test(node)) found.push(node);
  });
  return found;
}

/** The text of a property access or identifier chain, e.g. `this.cache.get`; undefined otherwise. */
export function chain(node: ts.Node): string | undefined {
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return "this";
  if (ts.isPropertyAccessExpression(node)) {
    const left = chain(node.expression);
    return left === undefined ? undefined : `${left}.${node.name.text}`;
  }
  if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node))
    return chain(node.expression);
  return undefined;
}

/** For a call `x.y.m(...)`, returns `["x.y", "m"]`. */
export function methodCall(node: ts.Node): [target: string, method: string] | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression))
    return undefined;
  const target = chain(node.expression.expression);
  return target === undefined ? undefined : [target, node.expression.name.text];
}

/** The callee chain of a call, e.g. `Promise.race`, `setTimeout`. */
export function callee(node: ts.Node): string | undefined {
  return ts.isCallExpression(node) ? chain(node.expression) : undefined;
}

const TIME_READS = new Set([
  "Date.now",
  "performance.now",
  "process.hrtime",
  "process.hrtime.bigint",
  "perf_hooks.performance.now",
]);

/** Whether a node reads the clock: `Date.now()`, `performance.now()`, `process.hrtime()`, `new Date().getTime()`. */
export function isTimeRead(node: ts.Node): boolean {
  if (ts.isCallExpression(node)) {
    const name = callee(node);
    if (name !== undefined && TIME_READS.has(name)) return true;
    if (
      ts.isPropertyAccessExpression(node.expression) &&
      (node.expression.name.text === "getTime" || node.expression.name.text === "valueOf")
    ) {
      const target = node.expression.expression;
      return (
        ts.isNewExpression(target) &&
        ts.isIdentifier(target.expression) &&
        target.expression.text === "Date"
      );
    }
  }
  if (
    ts.isNewExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === "Date" &&
    (node.arguments?.length ?? 0) === 0
  ) {
    // `+new Date()` and `new Date() - start` read the clock too.
    return ts.isPrefixUnaryExpression(node.parent) || ts.isBinaryExpression(node.parent);
  }
  return false;
}

/** Whether `root` contains a clock read. */
export function containsTimeRead(root: ts.Node): boolean {
  let found = false;
  walk(root, (node) => {
    if (!found && isTimeRead(node)) found = true;
  });
  return found;
}

/** 1-based first and last line of a node. */
export function lines(
  node: ts.Node,
  sourceFile: ts.SourceFile,
): { startLine: number; endLine: number } {
  const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
  return { startLine: start, endLine: end };
}

/** A function-like node: declaration, expression, arrow, method, accessor or constructor. */
export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return FUNCTION_KIND_SET.has(node.kind);
}

/** A function handed to `.catch(…)`, or as the second argument of `.then(…)`: a rejection handler. */
export function isRejectionCallback(node: ts.Node): boolean {
  const call = node.parent;
  return (
    isFunctionLike(node) &&
    call !== undefined &&
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    (call.expression.name.text === "catch" ||
      (call.expression.name.text === "then" && call.arguments[1] === node))
  );
}

/**
 * Whether a function is a callback handed to a promise step (`.then(() => …)`, `.catch(…)`,
 * `.finally(…)`): it runs once, when the promise settles, not once per call of its surroundings.
 */
export function isSettleCallback(fn: ts.Node): boolean {
  const call = fn.parent;
  return (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    call !== undefined &&
    ts.isCallExpression(call) &&
    call.arguments.includes(fn) &&
    ts.isPropertyAccessExpression(call.expression) &&
    /^(then|catch|finally)$/.test(call.expression.name.text)
  );
}

/** The nearest enclosing function or class of a node (not the node itself). */
export function enclosing(node: ts.Node, test: (node: ts.Node) => boolean): ts.Node | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent)
    if (test(current)) return current;
  return undefined;
}

/**
 * The one statement a branch is: the statement itself, or the only statement of its block
 * (`if (x) return y;` and `if (x) { return y; }` alike); `undefined` for a block of several.
 */
export function soleStatement(statement: ts.Statement): ts.Statement | undefined {
  if (!ts.isBlock(statement)) return statement;
  return statement.statements.length === 1 ? statement.statements[0] : undefined;
}

/**
 * The node a migration removes for a function: its declaration or method, the variable statement
 * of `const f = () => …` (the declaration alone when the statement declares several), or the
 * property `f: function () {…}`.
 */
export function ownNode(fn: ts.FunctionLikeDeclaration): ts.Node {
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) && ts.isVariableDeclarationList(p.parent))
    return p.parent.declarations.length === 1 ? p.parent.parent : p;
  if (ts.isPropertyAssignment(p)) return p;
  return fn;
}

/** The statement holding `node` at the top of its source file, block or `case` clause. */
export function topStatement(node: ts.Node): ts.Node {
  let current = node;
  while (
    current.parent !== undefined &&
    !ts.isSourceFile(current.parent) &&
    !ts.isBlock(current.parent) &&
    !ts.isModuleBlock(current.parent) &&
    !ts.isCaseClause(current.parent) &&
    !ts.isDefaultClause(current.parent)
  )
    current = current.parent;
  return current;
}

/** A readable name for a class, function or the variable a function is assigned to. */
export function nameOf(node: ts.Node): string | undefined {
  if (
    (ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isClassExpression(node)) &&
    node.name !== undefined
  )
    return node.name.text;
  if (ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) return node.name.getText();
  if (ts.isVariableStatement(node)) {
    const first = node.declarationList.declarations[0];
    return first !== undefined && ts.isIdentifier(first.name) ? first.name.text : undefined;
  }
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return node.name.text;
  if (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    ts.isVariableDeclaration(node.parent) &&
    ts.isIdentifier(node.parent.name)
  )
    return node.parent.name.text;
  return undefined;
}

/** How many lines a node spans. */
export function lineCount(node: ts.Node, sourceFile: ts.SourceFile): number {
  const { startLine, endLine } = lines(node, sourceFile);
  return endLine - startLine + 1;
}

/** Whether the node is `new Map(...)`, `new WeakMap()` is excluded (it cannot be a size-bounded cache). */
export function isNewMap(node: ts.Node | undefined): boolean {
  return (
    node !== undefined &&
    ts.isNewExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === "Map"
  );
}

/** Whether a node is an empty object literal `{}` or `Object.create(null)`. */
export function isEmptyObject(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  if (ts.isObjectLiteralExpression(node)) return node.properties.length === 0;
  return (
    ts.isCallExpression(node) &&
    callee(node) === "Object.create" &&
    node.arguments[0]?.kind === ts.SyntaxKind.NullKeyword
  );
}

/** Whether a node is a loop statement (`for`, `for…of`, `for…in`, `while`, `do`). */
export function isLoop(node: ts.Node): node is ts.IterationStatement {
  return LOOP_KIND_SET.has(node.kind);
}

/** The module-level `const`/`let`/`var` statement that declares `name`, if there is one. */
export function moduleVariable(
  sourceFile: ts.SourceFile,
  name: string,
): ts.VariableStatement | undefined {
  return sourceFile.statements.find(
    (s): s is ts.VariableStatement =>
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name),
  );
}

/**
 * Climbs from a test through `!`, `&&`, `||` and parentheses to the whole condition it is part of.
 * @param node - a comparison or call inside a condition
 * @returns the outermost logical expression around it (the node itself when there is none)
 */
export function logicalTop(node: ts.Node): ts.Node {
  let c = node;
  while (
    c.parent !== undefined &&
    (ts.isParenthesizedExpression(c.parent) ||
      (ts.isPrefixUnaryExpression(c.parent) &&
        c.parent.operator === ts.SyntaxKind.ExclamationToken) ||
      (ts.isBinaryExpression(c.parent) &&
        (c.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
          c.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)))
  )
    c = c.parent;
  return c;
}

/** Whether `node` lies inside `outer` (its text span within `outer`'s). */
export function inside(node: ts.Node, outer: ts.Node): boolean {
  return node.pos >= outer.pos && node.end <= outer.end;
}

/**
 * The statements of the innermost block holding both nodes, from the one holding `a` to `b`'s.
 * @param a - the first node
 * @param b - a node at or after `a`
 * @returns the statements, or none when no block holds both in order
 */
export function statementsBetween(a: ts.Node, b: ts.Node): ts.Node[] {
  for (let block = a.parent; block !== undefined; block = block.parent) {
    if (!ts.isBlock(block) || b.pos < block.pos || b.end > block.end) continue;
    const holding = (n: ts.Node): number =>
      block.statements.findIndex((s) => s.pos <= n.pos && n.end <= s.end);
    const from = holding(a);
    const to = holding(b);
    return from >= 0 && to >= from ? block.statements.slice(from, to + 1) : [];
  }
  return [];
}

/**
 * Whether every path through a branch ends in `return <value>` (its last statement, or an `if`
 * whose two sides both do).
 * @param branch - an `if`'s side, or undefined
 * @returns true when the branch always returns a value
 */
export function returnsValue(branch: ts.Statement | undefined): boolean {
  if (branch === undefined) return false;
  const last = ts.isBlock(branch) ? branch.statements.at(-1) : branch;
  if (last === undefined) return false;
  if (ts.isReturnStatement(last)) return last.expression !== undefined;
  return (
    ts.isIfStatement(last) && returnsValue(last.thenStatement) && returnsValue(last.elseStatement)
  );
}
