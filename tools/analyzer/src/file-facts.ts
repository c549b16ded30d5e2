import { ts } from "ts-morph";
import { callee, chain, FUNCTION_KINDS, isFunctionLike, walk, walkKinds } from "./ast.js";

/**
 * What every detector needs of a file, gathered in one walk: the nodes by shape, and the clock — which
 * calls read it (directly or through a helper defined in the file), and which variables and
 * properties hold a clock reading (start marks).
 */
export interface FileFacts {
  readonly sourceFile: ts.SourceFile;
  readonly calls: readonly ts.CallExpression[];
  readonly binaries: readonly ts.BinaryExpression[];
  readonly functions: readonly ts.FunctionLikeDeclaration[];
  readonly classes: readonly ts.ClassLikeDeclaration[];
  /** `x++`, `++x`, `x--`, `--x`. */
  readonly updates: readonly (ts.PrefixUnaryExpression | ts.PostfixUnaryExpression)[];
  /** Names of functions in the file that return a clock reading (`now()`, `this.now()`). */
  readonly clockHelpers: ReadonlySet<string>;
  /** Names of functions in the file that return the time elapsed since their argument. */
  readonly elapsedHelpers: ReadonlySet<string>;
  /**
   * Start marks: variable names (`start`) and property names (`.startedAt`) assigned a clock reading
   * somewhere in the file, each with the statements that assign it.
   */
  readonly marks: ReadonlyMap<string, readonly ts.Node[]>;
}

const factsByFile = new WeakMap<ts.SourceFile, FileFacts>();

/** The node kinds the facts are gathered from (each tested in the facts walk). */
const FACT_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.BinaryExpression,
  ...FUNCTION_KINDS,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.PrefixUnaryExpression,
  ts.SyntaxKind.PostfixUnaryExpression,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.Parameter,
];

/** The kinds a clock reading ({@link isDirectClockRead}, unwrapped) or a clock local can be. */
const CLOCK_READ_KINDS: readonly ts.SyntaxKind[] = [
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.NewExpression,
  ts.SyntaxKind.PrefixUnaryExpression,
  ts.SyntaxKind.VariableDeclaration,
];

const CLOCK_CALLS = new Set([
  "Date.now",
  "performance.now",
  "globalThis.performance.now",
  "perf_hooks.performance.now",
  "process.hrtime",
  "process.hrtime.bigint",
  "hrtime",
  "hrtime.bigint",
  "process.uptime",
]);

function unwrap(node: ts.Node): ts.Node {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isSatisfiesExpression(current)
  )
    current = current.expression;
  return current;
}

/**
 * The function a `f.bind(x)` call binds (through parentheses and casts), or the node itself
 * unwrapped: `this.fail.bind(this)` → `this.fail`.
 * @param node - any expression
 * @returns the bound function's expression, or the unwrapped node
 */
export function withoutBind(node: ts.Node): ts.Node {
  const n = unwrap(node);
  return ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    n.expression.name.text === "bind"
    ? unwrap(n.expression.expression)
    : n;
}

/**
 * Whether a node reads the clock by itself: `Date.now()`, `performance.now()`, `process.hrtime()`,
 * `new Date()` (and its `getTime()`/`valueOf()`), or a zero-argument `now()` of any receiver (a
 * clock seam such as `clock.now()`).
 * @param node - any node
 * @returns whether it is a clock reading
 */
export function isDirectClockRead(node: ts.Node): boolean {
  const n = unwrap(node);
  if (ts.isCallExpression(n)) {
    const name = callee(n);
    if (name !== undefined) {
      if (CLOCK_CALLS.has(name)) return true;
      if ((name === "now" || name.endsWith(".now")) && n.arguments.length === 0) return true;
      if (/(^|\.)hrtime(\.bigint)?$/.test(name)) return true;
    }
    if (
      ts.isPropertyAccessExpression(n.expression) &&
      (n.expression.name.text === "getTime" || n.expression.name.text === "valueOf") &&
      isNewDate(n.expression.expression)
    )
      return true;
    if (name === "Number" && n.arguments[0] !== undefined && isNewDate(n.arguments[0])) return true;
  }
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.PlusToken)
    return isNewDate(n.operand);
  return isNewDate(n);
}

function isNewDate(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    ts.isNewExpression(n) &&
    ts.isIdentifier(n.expression) &&
    n.expression.text === "Date" &&
    (n.arguments?.length ?? 0) === 0
  );
}

/** The name a call is known by in the file: `now` for `now()` and `this.now()`/`this.#now()`. */
function helperName(call: ts.CallExpression): string | undefined {
  const name = callee(call);
  if (name === undefined) return undefined;
  return name.replace(/^this\./, "");
}

/**
 * The key a start mark is stored under: the variable's name, or `.prop` for any property.
 * @param node - an identifier, property access or element access with a literal key
 * @returns the key, or undefined for other shapes
 */
export function markKey(node: ts.Node): string | undefined {
  const n = unwrap(node);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) return `.${n.name.text}`;
  if (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression))
    return `.${n.argumentExpression.text}`;
  return undefined;
}

function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (fn.body === undefined) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const found: ts.Expression[] = [];
  walk(fn.body, (node) => {
    if (ts.isReturnStatement(node) && node.expression !== undefined) found.push(node.expression);
  });
  return found;
}

/** The name a function is called by: its own, or the variable or property it is assigned to. */
export function functionName(fn: ts.Node): string | undefined {
  if (
    (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) &&
    fn.name !== undefined &&
    (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))
  )
    return fn.name.text;
  const parent = fn.parent;
  if (parent === undefined) return undefined;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (
    (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    (ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name))
  )
    return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return chain(parent.left)?.split(".").pop();
  return undefined;
}

/** What a clock function is bound from: `process.hrtime.bigint`, `performance.now.bind(performance)`. */
function clockFunction(node: ts.Node): boolean {
  const n = unwrap(node);
  const target =
    ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    n.expression.name.text === "bind"
      ? n.expression.expression
      : n;
  return CLOCK_CALLS.has(chain(target) ?? "");
}

/**
 * Module-level names bound to a clock function: `const hrtimeBigint = process.hrtime.bigint`,
 * `const now = performance.now.bind(performance)`, `const { now } = performance`; a call of one
 * reads the clock.
 */
function clockAliases(sourceFile: ts.SourceFile): string[] {
  const aliases: string[] = [];
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (d.initializer === undefined) continue;
      if (ts.isIdentifier(d.name) && clockFunction(d.initializer)) aliases.push(d.name.text);
      const owner = chain(unwrap(d.initializer));
      if (ts.isObjectBindingPattern(d.name) && owner !== undefined)
        for (const e of d.name.elements) {
          const property = (e.propertyName ?? e.name).getText(sourceFile);
          if (ts.isIdentifier(e.name) && CLOCK_CALLS.has(`${owner}.${property}`))
            aliases.push(e.name.text);
        }
    }
  }
  return aliases;
}

/**
 * Gathers the facts of a file once (detectors share them).
 * @param sourceFile - the parsed file
 * @returns its facts
 */
export function factsOf(sourceFile: ts.SourceFile): FileFacts {
  const known = factsByFile.get(sourceFile);
  if (known !== undefined) return known;
  const calls: ts.CallExpression[] = [];
  const binaries: ts.BinaryExpression[] = [];
  const functions: ts.FunctionLikeDeclaration[] = [];
  const classes: ts.ClassLikeDeclaration[] = [];
  const updates: (ts.PrefixUnaryExpression | ts.PostfixUnaryExpression)[] = [];
  const assignments: [target: ts.Node, value: ts.Node, statement: ts.Node][] = [];
  walkKinds(sourceFile, FACT_KINDS, (node) => {
    if (ts.isCallExpression(node)) calls.push(node);
    else if (ts.isBinaryExpression(node)) {
      binaries.push(node);
      if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
        assignments.push([node.left, node.right, node]);
    } else if (isFunctionLike(node)) functions.push(node);
    else if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) classes.push(node);
    else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken ||
        node.operator === ts.SyntaxKind.MinusMinusToken)
    )
      updates.push(node);
    else if (ts.isVariableDeclaration(node) && node.initializer !== undefined)
      assignments.push([node.name, node.initializer, node]);
    else if (ts.isPropertyAssignment(node)) assignments.push([node.name, node.initializer, node]);
    else if (ts.isPropertyDeclaration(node) && node.initializer !== undefined)
      assignments.push([node.name, node.initializer, node]);
    else if (ts.isParameter(node) && node.initializer !== undefined)
      assignments.push([node.name, node.initializer, node]);
  });

  // One level of helpers: a small function whose returned value comes from a clock reading.
  const clockHelpers = new Set<string>();
  const elapsedHelpers = new Set<string>();
  for (const fn of functions) {
    const name = functionName(fn);
    if (name === undefined || fn.body === undefined) continue;
    if (ts.isBlock(fn.body) && fn.body.statements.length > 8) continue;
    const clockLocals = new Set<string>();
    let reads = false;
    // Only these kinds can be a clock reading or declare one (a parenthesised or cast reading
    // holds the reading itself, visited too).
    walkKinds(fn.body, CLOCK_READ_KINDS, (node) => {
      if (isDirectClockRead(node)) reads = true;
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.initializer !== undefined &&
        isDirectClockRead(node.initializer)
      )
        clockLocals.add(node.name.text);
    });
    if (!reads) continue;
    const params = new Set(
      fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
    );
    const isClock = (node: ts.Node): boolean =>
      isDirectClockRead(node) ||
      (ts.isIdentifier(unwrap(node)) && clockLocals.has((unwrap(node) as ts.Identifier).text));
    const isParam = (node: ts.Node): boolean =>
      ts.isIdentifier(unwrap(node)) && params.has((unwrap(node) as ts.Identifier).text);
    for (const expression of returnedExpressions(fn)) {
      const e = unwrap(expression);
      // `return now() - start` / `return process.hrtime(start)`: time elapsed since the argument.
      if (
        fn.parameters.length <= 2 &&
        ((ts.isBinaryExpression(e) &&
          e.operatorToken.kind === ts.SyntaxKind.MinusToken &&
          isClock(e.left) &&
          isParam(e.right)) ||
          (ts.isCallExpression(e) &&
            /(^|\.)hrtime$/.test(callee(e) ?? "") &&
            e.arguments.length === 1 &&
            isParam(e.arguments[0] as ts.Node)))
      )
        elapsedHelpers.add(name);
      // `return Date.now()`, `return hr[0] * 1e3 + hr[1] / 1e6` over a clock local: a clock.
      else if (
        fn.parameters.length === 0 &&
        !ts.isObjectLiteralExpression(e) &&
        !ts.isArrowFunction(e)
      ) {
        let clock = false;
        let other = false;
        walk(e, (node) => {
          if (isClock(node)) clock = true;
          if (
            ts.isCallExpression(node) &&
            !isDirectClockRead(node) &&
            !/^Math\./.test(callee(node) ?? "")
          )
            other = true;
        });
        if (clock && !other) clockHelpers.add(name);
      }
    }
  }

  for (const alias of clockAliases(sourceFile)) clockHelpers.add(alias);

  const facts: FileFacts = {
    sourceFile,
    calls,
    binaries,
    functions,
    classes,
    updates,
    clockHelpers,
    elapsedHelpers,
    marks: new Map(),
  };
  const marks = facts.marks as Map<string, ts.Node[]>;
  // A clock reading assigned directly, or copied from another mark (`item.time = now`), or picked
  // by a condition (`const now = trackTime ? Date.now() : 0`).
  const holdsTime = (value: ts.Node, depth: number): boolean => {
    const v = unwrap(value);
    if (isClockRead(facts, v)) return true;
    if (ts.isConditionalExpression(v))
      return holdsTime(v.whenTrue, depth) || holdsTime(v.whenFalse, depth);
    if (depth > 0 && ts.isIdentifier(v)) return marks.has(v.text);
    return false;
  };
  for (const pass of [0, 1])
    for (const [target, value, statement] of assignments) {
      if (!holdsTime(value, pass)) continue;
      const key = ts.isIdentifier(target)
        ? target.text
        : ts.isPrivateIdentifier(target) || ts.isStringLiteral(target)
          ? `.${target.text}`
          : markKey(target);
      if (key === undefined) continue;
      // A property assignment or declaration names a property, whatever the receiver.
      const normalised =
        ts.isPropertyAssignment(statement) || ts.isPropertyDeclaration(statement)
          ? `.${key.replace(/^\./, "")}`
          : key;
      let list = marks.get(normalised);
      if (list === undefined) marks.set(normalised, (list = []));
      if (!list.includes(statement)) list.push(statement);
    }
  factsByFile.set(sourceFile, facts);
  return facts;
}

/**
 * Whether a node reads the clock, directly or through a clock helper of the file.
 * @param facts - the file's facts
 * @param node - any node
 * @returns whether it is a clock reading
 */
export function isClockRead(facts: FileFacts, node: ts.Node): boolean {
  if (isDirectClockRead(node)) return true;
  const n = unwrap(node);
  if (ts.isCallExpression(n) && n.arguments.length === 0) {
    const name = helperName(n);
    return name !== undefined && facts.clockHelpers.has(name);
  }
  return false;
}

/**
 * Whether a node is a call of a helper that returns the time elapsed since its argument.
 * @param facts - the file's facts
 * @param node - any node
 * @returns the start argument, when it is one
 */
export function elapsedHelperCall(facts: FileFacts, node: ts.Node): ts.Expression | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return undefined;
  const name = helperName(node);
  return name !== undefined && facts.elapsedHelpers.has(name) ? node.arguments[0] : undefined;
}

export { unwrap };

/**
 * Whether an operator is one of the four arithmetic ones a value is carried through: `+`, `-`,
 * `*`, `/`.
 * @param kind - the operator token's kind
 * @returns true for the four
 */
export function isArithmetic(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.PlusToken ||
    kind === ts.SyntaxKind.MinusToken ||
    kind === ts.SyntaxKind.AsteriskToken ||
    kind === ts.SyntaxKind.SlashToken
  );
}

/**
 * Whether an operator orders two values: `<`, `>`, `<=`, `>=`.
 * @param kind - the operator token's kind
 * @returns true for the four orderings
 */
export function isOrdering(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.LessThanToken ||
    kind === ts.SyntaxKind.GreaterThanToken ||
    kind === ts.SyntaxKind.LessThanEqualsToken ||
    kind === ts.SyntaxKind.GreaterThanEqualsToken
  );
}

/**
 * Whether a node reads the clock (directly or through a clock helper), or is a local named `now`.
 * @param facts - the file's facts
 * @param node - the node
 * @returns true when it stands for the current time
 */
export function isClockish(facts: FileFacts, node: ts.Node): boolean {
  const u = unwrap(node);
  return isClockRead(facts, u) || (ts.isIdentifier(u) && /^now$/i.test(u.text));
}

/**
 * Whether a node is `null` or `undefined` (through parentheses and casts).
 * @param node - the node
 * @returns true for the two empty values
 */
export function isNullish(node: ts.Node): boolean {
  const n = unwrap(node);
  return (
    n.kind === ts.SyntaxKind.NullKeyword ||
    n.kind === ts.SyntaxKind.UndefinedKeyword ||
    (ts.isIdentifier(n) && n.text === "undefined")
  );
}
