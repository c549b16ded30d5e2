import { ts } from "ts-morph";
import {
  callee,
  chain,
  isFunctionLike,
  logicalTop,
  ownNode,
  returnsValue,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection } from "../detector.js";
import { byteEstimatorNames } from "./byte-estimators.js";
import { functionName, isOrdering, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";

/**
 * Calls that turn data into its wire form (`JSON.stringify(events)`, `encoder.encode(text)`,
 * `encodeURI(json)`, `Buffer.from(s)`): a length read off their result is the data's size.
 */
const ENCODES = /(^|\.)(stringify|encodeURI|encodeURIComponent|encode|serialize|Buffer\.from)$/;

/** A cheap test on a file's text: no wire form and no byte length, no encoded size. */
const MARKERS = /stringify|encode|Blob|byteLength|serialize/;

/** What the file's size helpers are: name → the unit they count in (1 for bytes, 1024 for KB). */
type Helpers = ReadonlyMap<string, number>;

/** `f()`, `this.f()`, `this.#f()` → `f`. */
function calledName(call: ts.CallExpression): string {
  return (callee(call) ?? "").replace(/^this\.#?/, "");
}

/**
 * Walks an expression without entering the functions it holds — save the callback of a
 * `reduce`, which sums what it is handed (`events.reduce((n, e) => n + new Blob([e]).size, 0)`).
 */
function within(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => {
    if (
      isFunctionLike(child) &&
      !(ts.isCallExpression(child.parent) && /(^|\.)reduce$/.test(callee(child.parent) ?? ""))
    )
      return;
    within(child, visit);
  });
}

/**
 * Whether a node creates the wire form of data: an encoding call or `new Blob([…])`, or a local
 * holding one (`const bytes = JSON.stringify(batch)`; then `bytes.length`).
 */
function encodes(node: ts.Node, depth = 0): boolean {
  let found = false;
  within(node, (n) => {
    if (found) return;
    if (ts.isCallExpression(n) && ENCODES.test(callee(n) ?? "")) found = true;
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "Blob")
      found = true;
    if (depth === 0 && ts.isIdentifier(n) && !isName(n)) {
      const init = localInitializer(n);
      if (init !== undefined && encodes(init, 1)) found = true;
    }
  });
  return found;
}

/**
 * The unit of the encoded size an expression carries (1 for bytes, 1024 for a helper counting
 * KB), or undefined when it carries none: a length read off the wire form
 * (`JSON.stringify(x).length`, `new Blob([s]).size`, `encoder.encode(s).byteLength`),
 * `Buffer.byteLength(s)`, a call of a size helper of the file, or a local holding one of these.
 */
function carried(node: ts.Node, helpers: Helpers, depth = 0): number | undefined {
  let unit: number | undefined;
  within(node, (n) => {
    if (unit !== undefined) return;
    if (
      ts.isPropertyAccessExpression(n) &&
      /^(length|byteLength|size)$/.test(n.name.text) &&
      !ts.isCallExpression(n.parent) &&
      encodes(n.expression)
    )
      unit = 1;
    else if (ts.isCallExpression(n) && /(^|\.)Buffer\.byteLength$/.test(callee(n) ?? "")) unit = 1;
    else if (ts.isCallExpression(n) && helpers.has(calledName(n)))
      unit = helpers.get(calledName(n));
    else if (ts.isIdentifier(n) && depth < 2 && !isName(n)) {
      const init = localInitializer(n);
      if (init !== undefined) unit = carried(init, helpers, depth + 1);
    }
  });
  return unit;
}

/** Whether an identifier is a name rather than a value read (`x.name`, a property's key). */
function isName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.name === id) ||
    (ts.isPropertyAssignment(p) && p.name === id) ||
    (ts.isCallExpression(p) && p.expression === id)
  );
}

/**
 * The initializer of the local (or module variable) an identifier reads, declared before it in
 * the nearest function or file around it that declares the name.
 */
function localInitializer(id: ts.Identifier): ts.Expression | undefined {
  // Once the file's helpers are known, only names set from a wire form or a helper can hold one.
  if (wireNamesByFile.get(id.getSourceFile())?.has(id.text) === false) return undefined;
  return localDeclaration(id)?.initializer;
}

function localDeclaration(id: ts.Identifier): ts.VariableDeclaration | undefined {
  const declared = declarationsOf(id.getSourceFile()).get(id.text);
  if (declared === undefined) return undefined;
  for (let scope: ts.Node | undefined = id.parent; scope !== undefined; scope = scope.parent) {
    if (!isFunctionLike(scope) && !ts.isSourceFile(scope)) continue;
    const found = declared.find((d) => d.owner === scope && d.declaration.pos < id.pos);
    if (found !== undefined) return found.declaration;
  }
  return undefined;
}

/** Per file: the names of its variables set from a wire form, a size or a size helper. */
const wireNamesByFile = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/**
 * The names of a file's variables whose initializer may hold a wire form or a size: its text
 * names an encoding, a byte length, a size or length, or one of the file's size helpers.
 */
function wireNames(file: ts.SourceFile, helpers: Helpers): ReadonlySet<string> {
  const names = new Set<string>();
  const helper =
    helpers.size === 0
      ? undefined
      : new RegExp(
          `\\b(${[...helpers.keys()].map((h) => h.replace(/\$/g, "\\$")).join("|")})\\s*\\(`,
        );
  for (const [name, list] of declarationsOf(file))
    if (
      list.some((d) => {
        const text = d.declaration.initializer?.getText(file) ?? "";
        return WIRE.test(text) || (helper?.test(text) ?? false);
      })
    )
      names.add(name);
  return names;
}

/** Text an initializer holding a wire form, a size or a local of one has. */
const WIRE = /stringify|encode|Blob|byteLength|serialize|Buffer|length|size|Size|[a-z]+Bytes\b/;

/** Per file: its variables by name, each with the function (or the file) that declares it. */
const declarationsByFile = new WeakMap<
  ts.SourceFile,
  Map<string, { declaration: ts.VariableDeclaration; owner: ts.Node }[]>
>();

/** The file's variable declarations by name, in file order, found in one pass. */
function declarationsOf(
  file: ts.SourceFile,
): Map<string, { declaration: ts.VariableDeclaration; owner: ts.Node }[]> {
  let byName = declarationsByFile.get(file);
  if (byName !== undefined) return byName;
  byName = new Map();
  const found = byName;
  walkKinds(file, [ts.SyntaxKind.VariableDeclaration], (n) => {
    if (!ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name)) return;
    const list = found.get(n.name.text) ?? [];
    list.push({ declaration: n, owner: ownerOf(n) });
    found.set(n.name.text, list);
  });
  for (const list of found.values()) list.sort((a, b) => a.declaration.pos - b.declaration.pos);
  declarationsByFile.set(file, found);
  return found;
}

/** The expressions a function hands back: its returns, or an arrow's expression body. */
function returned(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (fn.body === undefined) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const found: ts.Expression[] = [];
  const look = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) && n.expression !== undefined) found.push(n.expression);
    if (!isFunctionLike(n)) ts.forEachChild(n, look);
  };
  ts.forEachChild(fn.body, look);
  return found;
}

/** Whether a function divides what it returns by 1024 or 1000 (a size in KB). */
function inKilobytes(fn: ts.FunctionLikeDeclaration): boolean {
  let kb = false;
  walk(fn, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.SlashToken &&
      /^(1024|1000)$/.test(unwrap(n.right).getText())
    )
      kb = true;
  });
  return kb;
}

/**
 * The file's size helpers: its byte-size estimators, and the functions that hand back an encoded
 * size (`kilobytes(buffer)`, `calculateSize(ctx)`, `const byteLength = (s) => new
 * Blob([s]).size`), each with its unit.
 */
function sizeHelpers(facts: FileFacts): Map<string, number> {
  const helpers = new Map<string, number>();
  for (const name of byteEstimatorNames(facts)) helpers.set(name, 1);
  // Helpers of helpers: settled in two rounds.
  for (let round = 0; round < 2; round++)
    for (const fn of facts.functions) {
      const name = functionName(fn);
      if (name === undefined || helpers.has(name)) continue;
      const values = returned(fn);
      if (values.length === 0) continue;
      const units = values.map((v) => carried(v, helpers));
      // Every value handed back is the size (a helper that also returns a count is no size).
      if (units.some((u) => u === undefined) || values.some((v) => compares(v))) continue;
      helpers.set(name, (units[0] as number) * (inKilobytes(fn) ? 1024 : 1));
    }
  return helpers;
}

/** Calls whose result is a collection (`events.map(…)`, `[...].slice(0, n)`, `map.values()`). */
const COLLECTS =
  /(^|\.)(map|filter|slice|concat|values|entries|flat|flatMap|Array\.from|Object\.values)$/;

/**
 * The data a size measures: what is encoded (`JSON.stringify(events)` → `events`), what a Blob
 * holds, what `Buffer.byteLength` or a size helper is handed — through the locals that hold the
 * size or the encoded form.
 */
function measured(node: ts.Node, helpers: Helpers, depth = 0): ts.Node[] {
  const data: ts.Node[] = [];
  within(node, (n) => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "Blob") {
      const parts = n.arguments?.[0];
      if (parts !== undefined && ts.isArrayLiteralExpression(unwrap(parts)))
        data.push(...(unwrap(parts) as ts.ArrayLiteralExpression).elements);
    } else if (
      ts.isCallExpression(n) &&
      n.arguments[0] !== undefined &&
      (ENCODES.test(callee(n) ?? "") ||
        /(^|\.)Buffer\.byteLength$/.test(callee(n) ?? "") ||
        helpers.has(calledName(n)))
    )
      data.push(n.arguments[0]);
    else if (ts.isIdentifier(n) && depth < 2 && !isName(n)) {
      const init = localInitializer(n);
      if (init !== undefined && (carried(init, helpers) !== undefined || encodes(init, 1)))
        data.push(...measured(init, helpers, depth + 1));
    }
  });
  return data;
}

/** Whether a type names a collection (`string[]`, `Array<T>`, `Set<T>`, `Map<K, V>`). */
function collectionType(type: ts.TypeNode | undefined): boolean {
  if (type === undefined) return false;
  if (ts.isArrayTypeNode(type) || ts.isTupleTypeNode(type)) return true;
  if (ts.isTypeOperatorNode(type)) return collectionType(type.type);
  return (
    ts.isTypeReferenceNode(type) &&
    /^(Array|ReadonlyArray|Set|Map|ReadonlySet|ReadonlyMap)$/.test(type.typeName.getText())
  );
}

/**
 * Whether measured data is a collection or state kept — queued events, a batch, a list being
 * built, a held buffer (`[...this.events.values()]`, `[...batch, event]`, a local started at
 * `[]`, a parameter typed as an array) — rather than one value in hand (a message whose fields
 * hold lists is still one message).
 */
function aggregate(node: ts.Node, depth = 0): boolean {
  const n = unwrap(node);
  if (depth > 3) return false;
  if (ts.isArrayLiteralExpression(n))
    return n.elements.some((e) => ts.isSpreadElement(e) || aggregate(e, depth + 1));
  if (ts.isCallExpression(n)) return COLLECTS.test(callee(n) ?? "");
  if (ts.isPropertyAccessExpression(n)) return (chain(n) ?? "").startsWith("this.");
  if (ts.isElementAccessExpression(n)) return aggregate(n.expression, depth + 1);
  if (!ts.isIdentifier(n)) return false;
  const declaration = localDeclaration(n);
  if (declaration !== undefined) {
    if (collectionType(declaration.type)) return true;
    const init =
      declaration.initializer === undefined ? undefined : unwrap(declaration.initializer);
    return init !== undefined && aggregate(init, depth + 1);
  }
  const param = parameterOf(n);
  return param !== undefined && collectionType(param.type);
}

/** The parameter of a function around an identifier that it names. */
function parameterOf(id: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let c: ts.Node | undefined = id.parent; c !== undefined; c = c.parent)
    if (isFunctionLike(c)) {
      const p = c.parameters.find((q) => ts.isIdentifier(q.name) && q.name.text === id.text);
      if (p !== undefined) return p;
    }
  return undefined;
}

/** The names measured data is read through (`trimmedEvents`, `str`). */
function namesIn(nodes: readonly ts.Node[]): Set<string> {
  const names = new Set<string>();
  for (const n of nodes)
    walk(n, (m) => {
      if (ts.isIdentifier(m) && !isName(m)) names.add(m.text);
    });
  return names;
}

/**
 * Whether the checking function cuts the measured data down to fit: a prefix of it taken
 * (`str.slice(0, mid)`, `events.slice(0, lo)`), or the function called again for a smaller form
 * (`normalizeToSize(object, depth - 1, maxSize)`).
 */
function cutsToFit(fn: ts.Node, names: ReadonlySet<string>, bound: string): boolean {
  if (!isFunctionLike(fn)) return false;
  const own = functionName(fn);
  let cuts = false;
  let pieces = false;
  walk(fn, (n) => {
    if (!ts.isCallExpression(n)) return;
    if (own !== undefined && calledName(n) === own) cuts = true;
    if (
      ts.isPropertyAccessExpression(n.expression) &&
      /^(slice|substring|substr|subarray)$/.test(n.expression.name.text) &&
      names.has(chain(n.expression.expression) ?? "")
    ) {
      cuts = true;
      // Cut at the limit itself (`chunk.subarray(0, max)`, the rest sent next): pieces framed
      // at a size, not data fitted under a limit.
      if (n.arguments.some((a) => unwrap(a).getText() === bound)) pieces = true;
    }
  });
  return cuts && !pieces;
}

/** Whether an expression is itself a comparison (a predicate's answer, not a size). */
function compares(node: ts.Node): boolean {
  const n = unwrap(logicalTop(unwrap(node)));
  return (
    (ts.isBinaryExpression(n) &&
      (isOrdering(n.operatorToken.kind) ||
        n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        n.operatorToken.kind === ts.SyntaxKind.BarBarToken)) ||
    (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken)
  );
}

/**
 * Whether the other side of the comparison is a limit: a name or an expression of names and
 * numbers (`MAX_PAYLOAD_SIZE - 50`, `64 * 1024`, `this.maxPersistedEventsSize`), or a number of
 * at least 1 KB in the size's unit — not a protocol field's maximum (`65535`, 2ⁿ − 1), not an
 * amount a frame needs, not a stream's high-water mark, not another size or count.
 */
function isLimit(node: ts.Node, unit: number): boolean {
  const n = unwrap(node);
  if (
    /(need|expect|requir|header|frame|min|watermark|offset|index|position|cursor)/i.test(
      n.getText(),
    )
  )
    return false;
  if (ts.isNumericLiteral(n)) {
    const value = Number(n.text);
    return value * unit >= 1024 && !Number.isInteger(Math.log2(value + 1));
  }
  if (ts.isStringLiteralLike(n) || n.kind === ts.SyntaxKind.NullKeyword) return false;
  let ok = true;
  walk(n, (m) => {
    if (ts.isPropertyAccessExpression(m) && /^(length|byteLength|size)$/.test(m.name.text))
      ok = false;
    if (ts.isCallExpression(m)) ok = false;
  });
  return ok;
}

/** Calls that only report (a warning logged acts on nothing). */
const LOGS = /(^console\.|(^|\.)(log|warn|debug|info|error|trace|emitWarning)$)/;

/**
 * Whether a branch acts on the bound: hands back, fails, stops, calls (other than to log),
 * assigns or steps.
 */
function acts(branch: ts.Node): boolean {
  let found = false;
  walk(branch, (n) => {
    if (
      ts.isReturnStatement(n) ||
      ts.isThrowStatement(n) ||
      ts.isBreakStatement(n) ||
      ts.isContinueStatement(n) ||
      (ts.isCallExpression(n) && !LOGS.test(callee(n) ?? "")) ||
      ts.isPostfixUnaryExpression(n) ||
      ts.isPrefixUnaryExpression(n) ||
      (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    )
      found = true;
  });
  return found;
}

/** Code lines a branch may hold and still be the reaction to the bound alone. */
const REACTION_LINES = 10;

/** Lines a function may span and still be one limit's search for what fits. */
const WHOLE_LINES = 40;

/** Lines of a node's text. */
function span(node: ts.Node): number {
  const file = node.getSourceFile();
  const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
  return file.getLineAndCharacterOfPosition(node.end).line - first + 1;
}

/** A check found: where it sits and what it tests. */
interface Check {
  readonly fn: ts.Node;
  /** The `if`, `while`, or the predicate function that answers the comparison. */
  readonly guard: ts.Node;
  readonly nodes: ts.Node[];
  readonly bound: string;
  readonly helpers: Set<string>;
}

/** The nearest function (or the file) around a node. */
function ownerOf(node: ts.Node): ts.Node {
  for (let c = node.parent; c !== undefined; c = c.parent)
    if (isFunctionLike(c) || ts.isSourceFile(c)) return c;
  return node.getSourceFile();
}

/**
 * The locals of the checking function the comparison reads that set it up: the size worked out
 * into a local (`const eventSize = this.calculateSize(ctx)`), a local size helper (`const
 * byteLength = (s) => new Blob([s]).size`), the limit declared beside it.
 */
function setUp(compared: ts.Node, fn: ts.Node, guard: ts.Node, helpers: Helpers): ts.Node[] {
  const found: ts.Node[] = [];
  const file = guard.getSourceFile();
  const line = (n: ts.Node): number => file.getLineAndCharacterOfPosition(n.getStart(file)).line;
  walk(compared, (n) => {
    if (!ts.isIdentifier(n) || (isName(n) && !ts.isCallExpression(n.parent))) return;
    const d = localDeclaration(n);
    if (d === undefined || d.initializer === undefined || ownerOf(d) !== fn) return;
    const st = topStatement(d);
    if (st.end > guard.pos || line(guard) - line(st) > REACTION_LINES) return;
    const init = unwrap(d.initializer);
    if (
      carried(init, helpers) !== undefined ||
      (isFunctionLike(init) && helpers.has(n.text)) ||
      ts.isNumericLiteral(init) ||
      (ts.isBinaryExpression(init) && !init.getText().includes("("))
    )
      found.push(st);
  });
  return found;
}

/**
 * Sizes of data in its wire form compared with a limit that acts: the serialized size of queued
 * events checked before one more is kept (`JSON.stringify([...events]).length > LIMIT` → reject),
 * a beacon payload's byte length (`new Blob([payload]).size`) trimmed to fit, a body truncated
 * to a byte limit, a batch split or flushed when its encoded size nears the API's limit — with
 * the helpers of the file that work the size out. A plain `.length` of a buffer (a frame's
 * validity), a header's declared length and a stream's high-water mark are not such sizes, and a
 * check that only throws is input validation.
 * @param facts - the file's facts
 * @param taken - nodes other size-accounting findings of the file hold already
 * @returns one detection per checking place, one per size helper it calls
 */
export function serializedSizeChecks(facts: FileFacts, taken: readonly ts.Node[]): Detection[] {
  const file = facts.sourceFile;
  if (!MARKERS.test(file.text)) return [];
  const helpers = sizeHelpers(facts);
  wireNamesByFile.set(file, wireNames(file, helpers));
  const overlaps = (a: ts.Node, b: ts.Node): boolean => a.pos < b.end && b.pos < a.end;
  const checks: Check[] = [];
  for (const b of facts.binaries) {
    if (!isOrdering(b.operatorToken.kind)) continue;
    if (checks.some((c) => b.pos >= c.guard.pos && b.end <= c.guard.end)) continue;
    const [left, right] = [carried(b.left, helpers), carried(b.right, helpers)];
    if ((left === undefined) === (right === undefined)) continue;
    const [sized, bound, unit] =
      left !== undefined ? [b.left, b.right, left] : [b.right, b.left, right as number];
    if (!isLimit(bound, unit)) continue;
    // A share of a size (`part / totalBytes`) is a ratio, and a size less what is consumed
    // (`byteLength(buf) - offset`) is what remains to read: neither is a size kept under a limit.
    const whole = unwrap(sized);
    if (
      ts.isBinaryExpression(whole) &&
      (whole.operatorToken.kind === ts.SyntaxKind.MinusToken ||
        (whole.operatorToken.kind === ts.SyntaxKind.SlashToken &&
          carried(whole.right, helpers) !== undefined))
    )
      continue;
    const top = logicalTop(b);
    const parent = top.parent;
    const fn = ownerOf(b);
    let guard: ts.Node | undefined;
    let nodes: ts.Node[] = [];
    if (parent !== undefined && (ts.isIfStatement(parent) || ts.isWhileStatement(parent))) {
      if (parent.expression !== top) continue;
      const branch = ts.isIfStatement(parent) ? parent.thenStatement : parent.statement;
      // A check that ends in a failure is input validation (a frame, a path too large), and one
      // whose both branches hand back a value is a choice between two forms.
      const last = ts.isBlock(branch) ? branch.statements.at(-1) : branch;
      if (last !== undefined && ts.isThrowStatement(last)) continue;
      if (
        ts.isIfStatement(parent) &&
        returnsValue(parent.thenStatement) &&
        returnsValue(parent.elseStatement)
      )
        continue;
      if (!acts(branch)) continue;
      guard = parent;
      nodes = span(branch) <= REACTION_LINES ? [parent.expression, branch] : [parent.expression];
      if (
        ts.isIfStatement(parent) &&
        parent.elseStatement === undefined &&
        span(branch) <= REACTION_LINES
      )
        nodes = [parent];
    } else if (isFunctionLike(fn) && fn.body !== undefined) {
      // A predicate answering the comparison (`return kilobytes(buffer) >= MAX - 50`): its
      // callers act on it.
      const body = fn.body;
      const answers =
        body === top ||
        (ts.isBlock(body) &&
          body.statements.length <= 2 &&
          parent !== undefined &&
          ts.isReturnStatement(parent) &&
          parent.parent === body);
      // (An amount the caller asks about — `canRead(length)` — is no limit kept.)
      const asked =
        ts.isIdentifier(unwrap(bound)) &&
        fn.parameters.some(
          (p) => ts.isIdentifier(p.name) && p.name.text === unwrap(bound).getText(file),
        );
      if (!answers || asked || functionName(fn) === undefined) continue;
      guard = fn;
      nodes = [ownNode(fn)];
    }
    if (guard === undefined || taken.some((t) => overlaps(t, guard))) continue;
    // What is bounded is a collection or kept state (queued events, a batch), or the data is cut
    // down to fit; one value in hand checked against a limit (a message routed elsewhere when
    // too large) bounds nothing. A predicate's data is what its callers hand it.
    const data = measured(sized, helpers);
    const name = functionName(fn);
    const handed =
      guard === fn && name !== undefined
        ? facts.calls.filter((c) => calledName(c) === name).flatMap((c) => [...c.arguments])
        : [];
    const limitText = unwrap(bound).getText(file);
    if (![...data, ...handed].some((d) => aggregate(d)) && !cutsToFit(fn, namesIn(data), limitText))
      continue;
    if (guard !== fn) nodes = [...setUp(b, fn, guard, helpers), ...nodes];
    // The helpers the size is worked out by, called here or by the locals set up for it.
    const used = new Set<string>();
    for (const n of [sized, ...nodes])
      walk(n, (m) => {
        if (ts.isCallExpression(m) && helpers.has(calledName(m))) used.add(calledName(m));
      });
    checks.push({
      fn,
      guard,
      nodes,
      bound: unwrap(bound).getText(file).replace(/\s+/g, " "),
      helpers: used,
    });
  }
  const detections: Detection[] = [];
  // Checks of one function against one limit (a fit test, then the search for what fits) are
  // one place.
  const merged: Check[] = [];
  for (const c of checks) {
    const same = merged.find((m) => m.fn === c.fn && m.bound === c.bound && m.guard !== m.fn);
    if (same !== undefined && c.guard !== c.fn) {
      same.nodes.push(...c.nodes);
      for (const h of c.helpers) same.helpers.add(h);
      // A short function that tests the fit and then searches for what fits (`truncate(s,
      // maxBytes)`) exists for the bound: it is the construct.
      if (isFunctionLike(c.fn) && span(c.fn) <= WHOLE_LINES) same.nodes.push(ownNode(c.fn));
    } else merged.push(c);
  }
  const placed: ts.Node[] = [];
  for (const c of merged) {
    const nodes = [...new Set(c.nodes)]
      .filter((n, _, all) => !all.some((o) => o !== n && o.pos <= n.pos && n.end <= o.end))
      .sort((a, b) => a.pos - b.pos);
    placed.push(...nodes);
    detections.push({
      kind: "size-accounting",
      confidence: 0.75,
      nodes,
      context: c.guard === c.fn ? [] : [c.guard],
      evidence: [
        "a size of the data in its wire form (serialized, encoded or as a Blob)",
        `compared with the limit \`${c.bound.slice(0, 40)}\``,
      ],
      name: functionName(c.fn),
    });
  }
  // The helpers those checks call, where no finding holds them already.
  const called = new Set(merged.flatMap((c) => [...c.helpers]));
  // …and those the file's other size findings call, directly or through a local holding the
  // size (`this.bytes += eventSize`, `const eventSize = this.calculateSize(ctx)`).
  for (const t of taken)
    walk(t, (n) => {
      if (ts.isCallExpression(n) && helpers.has(calledName(n))) called.add(calledName(n));
      if (ts.isIdentifier(n) && !isName(n)) {
        const init = localInitializer(n);
        if (init !== undefined && ts.isCallExpression(unwrap(init))) {
          const c = unwrap(init) as ts.CallExpression;
          if (helpers.has(calledName(c))) called.add(calledName(c));
        }
      }
    });
  for (const fn of facts.functions) {
    const name = functionName(fn);
    if (name === undefined || !called.has(name)) continue;
    const own = ownNode(fn);
    if ([...taken, ...placed].some((t) => overlaps(t, own))) continue;
    // A helper of the checks' own estimators is reported with the estimators.
    if (byteEstimatorNames(facts).has(name)) continue;
    placed.push(own);
    detections.push({
      kind: "size-accounting",
      confidence: 0.7,
      nodes: [own],
      evidence: ["a helper working out the size of data in its wire form for a limit check"],
      name,
    });
  }
  return detections;
}
