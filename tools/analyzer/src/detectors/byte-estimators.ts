import { ts } from "ts-morph";
import { callee, isFunctionLike, ownNode, walk, walkKinds } from "../ast.js";
import type { Detection } from "../detector.js";
import { functionName, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";

/** A function of the file that works out a byte size, and how. */
interface Estimator {
  readonly fn: ts.FunctionLikeDeclaration;
  /** `sum`: a total raised by sizes and returned; `pick`: a size returned per case. */
  readonly form: "sum" | "pick";
}

/** The nearest function around a node. */
function nearestFunction(node: ts.Node): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) return c;
  return undefined;
}

/** Per file: the return statements of each function itself (not of the functions it holds). */
const returnsByFile = new WeakMap<ts.SourceFile, Map<ts.Node, ts.ReturnStatement[]>>();

/** The return statements of a function itself, from one indexed pass over the file's returns. */
function ownReturns(fn: ts.FunctionLikeDeclaration): readonly ts.ReturnStatement[] {
  const file = fn.getSourceFile();
  let byFunction = returnsByFile.get(file);
  if (byFunction === undefined) {
    const found = new Map<ts.Node, ts.ReturnStatement[]>();
    walkKinds(file, [ts.SyntaxKind.ReturnStatement], (n) => {
      const owner = ts.isReturnStatement(n) ? nearestFunction(n) : undefined;
      if (owner !== undefined && ts.isReturnStatement(n))
        found.set(owner, [...(found.get(owner) ?? []), n]);
    });
    returnsByFile.set(file, (byFunction = found));
  }
  return byFunction.get(fn) ?? [];
}

/** Whether a node is a number literal (`8`, `0x80`, `1.33`). */
function isNumber(node: ts.Node): boolean {
  return ts.isNumericLiteral(unwrap(node));
}

/**
 * Whether an expression works out bytes by itself: `Buffer.byteLength(x)`, `x.byteLength`, a
 * string's length times bytes per character (`name.length * 2`), or a call of an estimator of the
 * file (`estimatePrimitiveSize(v)`).
 */
function byteTerm(node: ts.Node, own: ReadonlySet<string>): boolean {
  let bytes = false;
  walk(node, (n) => {
    if (bytes) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === "byteLength") bytes = true;
    if (ts.isCallExpression(n) && own.has(calledName(n))) bytes = true;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
      const [l, r] = [unwrap(n.left), unwrap(n.right)];
      const length = (e: ts.Node): boolean =>
        ts.isPropertyAccessExpression(e) && e.name.text === "length";
      if ((length(l) && isNumber(r)) || (length(r) && isNumber(l))) bytes = true;
    }
  });
  return bytes;
}

/** `f()`, `this.f()` → `f`. */
function calledName(call: ts.CallExpression): string {
  return (callee(call) ?? "").replace(/^this\./, "");
}

/** The locals a function's body declares at its top set to a number (`let weight = 0`). */
function numberLocals(fn: ts.FunctionLikeDeclaration): Set<string> {
  const names = new Set<string>();
  const body = fn.body;
  if (body === undefined || !ts.isBlock(body)) return names;
  for (const st of body.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.initializer !== undefined && isNumber(d.initializer))
        names.add(d.name.text);
  }
  return names;
}

/** Whether a function reads character codes (`str.charCodeAt(i)`, `codePointAt`). */
function readsCodes(fn: ts.FunctionLikeDeclaration): boolean {
  let reads = false;
  walk(fn, (n) => {
    if (ts.isCallExpression(n) && /(^|\.)(charCodeAt|codePointAt)$/.test(callee(n) ?? ""))
      reads = true;
  });
  return reads;
}

/**
 * Whether `fn` sums a byte size: a total it declares set to a number, raised two or more times
 * (the addend of its `return total + …` counts), returned, one raise a byte term — or a UTF-8
 * length, raised by three or more different numbers of bytes per character code read.
 */
function sums(
  fn: ts.FunctionLikeDeclaration,
  raisesOf: ReadonlyMap<ts.Node, readonly ts.BinaryExpression[]>,
  own: ReadonlySet<string>,
): boolean {
  const totals = numberLocals(fn);
  if (totals.size === 0) return false;
  const returns = ownReturns(fn);
  for (const total of totals) {
    const returned = returns.filter((r) => {
      const e = r.expression === undefined ? undefined : unwrap(r.expression);
      if (e === undefined) return false;
      if (ts.isIdentifier(e)) return e.text === total;
      return (
        ts.isBinaryExpression(e) &&
        e.operatorToken.kind === ts.SyntaxKind.PlusToken &&
        ts.isIdentifier(unwrap(e.left)) &&
        (unwrap(e.left) as ts.Identifier).text === total
      );
    });
    if (returned.length === 0) continue;
    const addends: ts.Node[] = (raisesOf.get(fn) ?? [])
      .filter((b) => ts.isIdentifier(b.left) && b.left.text === total)
      .map((b) => b.right);
    for (const r of returned) {
      const e = unwrap(r.expression as ts.Expression);
      if (ts.isBinaryExpression(e)) addends.push(e.right);
    }
    if (addends.length < 2) continue;
    if (addends.some((a) => byteTerm(a, own))) return true;
    const perCode = new Set(addends.filter(isNumber).map((a) => unwrap(a).getText()));
    if (perCode.size >= 3 && readsCodes(fn)) return true;
  }
  return false;
}

/**
 * Whether `fn` picks a byte size per case: two or more returns, each a number or a byte term,
 * one a byte term (`typeof v === "string" ? v.length * 2 : 8`, `return utf8Length(s)`).
 */
function picks(fn: ts.FunctionLikeDeclaration, own: ReadonlySet<string>): boolean {
  const returns = ownReturns(fn);
  if (returns.length < 2) return false;
  let term = false;
  for (const r of returns) {
    if (r.expression === undefined) return false;
    if (isNumber(r.expression)) continue;
    if (!byteTerm(r.expression, own)) return false;
    term = true;
  }
  return term;
}

/** Per file: its byte-size estimators, found once (the size checks ask for their names too). */
const estimatorsByFile = new WeakMap<ts.SourceFile, Map<ts.Node, Estimator>>();

/** The file's byte-size estimators: functions that sum or pick a byte size. */
function estimatorsOf(facts: FileFacts): Map<ts.Node, Estimator> {
  const cached = estimatorsByFile.get(facts.sourceFile);
  if (cached !== undefined) return cached;
  const raisesOf = new Map<ts.Node, ts.BinaryExpression[]>();
  for (const b of facts.binaries) {
    if (b.operatorToken.kind !== ts.SyntaxKind.PlusEqualsToken || !ts.isIdentifier(b.left))
      continue;
    // Every function around the raise: a total of an outer function raised in a callback counts.
    for (let c = b.parent; c !== undefined; c = c.parent)
      if (isFunctionLike(c)) raisesOf.set(c, [...(raisesOf.get(c) ?? []), b]);
  }
  const named = facts.functions.filter((fn) => functionName(fn) !== undefined);
  const found = new Map<ts.Node, Estimator>();
  const own = new Set<string>();
  // Estimators that call estimators: settled in a few rounds (a chain is rarely deeper).
  for (let round = 0; round < 4; round++) {
    let grew = false;
    for (const fn of named) {
      if (found.has(fn)) continue;
      const form = sums(fn, raisesOf, own) ? "sum" : picks(fn, own) ? "pick" : undefined;
      if (form === undefined) continue;
      found.set(fn, { fn, form });
      own.add(functionName(fn) as string);
      grew = true;
    }
    if (!grew) break;
  }
  estimatorsByFile.set(facts.sourceFile, found);
  return found;
}

/**
 * The names of the file's byte-size estimators (`getStringSize`, `estimateSpanSize`): what a
 * size compared with a limit may be worked out by.
 * @param facts - the file's facts
 * @returns their names
 */
export function byteEstimatorNames(facts: FileFacts): ReadonlySet<string> {
  return new Set([...estimatorsOf(facts).values()].map((e) => functionName(e.fn) as string));
}

/**
 * Hand-written byte-size estimators: functions that sum a byte size from string lengths times
 * bytes per character, `Buffer.byteLength` and sizes of other estimators (`let weight = 156;
 * weight += span.name.length * 2; …; return weight`), or count UTF-8 bytes by character code;
 * with the functions that pick one of their sizes per case (`typeof v === "string" ? … : 8`),
 * when they call an estimator or one calls them. Estimators side by side are one finding.
 * @param facts - the file's facts
 * @returns one detection per run of adjacent estimators
 */
export function byteEstimators(facts: FileFacts): Detection[] {
  const found = estimatorsOf(facts);
  // A size picked per case is an estimator's part only beside a sum: one calls the other.
  const sumNames = new Set(
    [...found.values()].filter((e) => e.form === "sum").map((e) => functionName(e.fn) as string),
  );
  const calls = (fn: ts.Node, names: ReadonlySet<string>): boolean => {
    let hit = false;
    walk(fn, (n) => {
      if (!hit && ts.isCallExpression(n) && names.has(calledName(n))) hit = true;
    });
    return hit;
  };
  const kept = [...found.values()].filter((e) => {
    if (e.form === "sum") return true;
    const name = functionName(e.fn) as string;
    return (
      calls(e.fn, sumNames) ||
      [...found.values()].some((s) => s.form === "sum" && calls(s.fn, new Set([name])))
    );
  });
  // Nested estimators belong to the outer one.
  const nodes = kept
    .map((e) => ownNode(e.fn))
    .filter((n, _, all) => !all.some((o) => o !== n && o.pos <= n.pos && n.end <= o.end))
    .sort((a, b) => a.pos - b.pos);
  const runs: ts.Node[][] = [];
  for (const n of nodes) {
    const last = runs.at(-1)?.at(-1);
    const siblings = (a: ts.Node, b: ts.Node): boolean => {
      if (a.parent !== b.parent) return false;
      const list: readonly ts.Node[] =
        ts.isSourceFile(a.parent) || ts.isBlock(a.parent)
          ? a.parent.statements
          : ts.isClassLike(a.parent)
            ? a.parent.members
            : ts.isObjectLiteralExpression(a.parent)
              ? a.parent.properties
              : [];
      const i = list.indexOf(a);
      return i >= 0 && list[i + 1] === b;
    };
    if (last !== undefined && siblings(last, n)) runs.at(-1)?.push(n);
    else runs.push([n]);
  }
  return runs.map((run) => ({
    kind: "size-accounting",
    confidence: 0.7,
    nodes: run,
    evidence: [
      run.length === 1
        ? "a hand-written byte-size estimator: a size summed from lengths, bytes per character and `byteLength`"
        : `${String(run.length)} hand-written byte-size estimators side by side: sizes summed from lengths, bytes per character and \`byteLength\``,
    ],
    name: functionName(kept.find((e) => ownNode(e.fn) === run[0])?.fn ?? (run[0] as ts.Node)),
  }));
}
