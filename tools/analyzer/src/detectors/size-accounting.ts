import { ts } from "ts-morph";
import {
  callee,
  chain,
  isFunctionLike,
  logicalTop,
  returnsValue,
  soleStatement,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { byteEstimators } from "./byte-estimators.js";
import { serializedSizeChecks } from "./serialized-size.js";
import { factsOf, functionName, isOrdering, unwrap } from "../file-facts.js";

/**
 * Sizes: `x.length`, `x.byteLength`, `Buffer.byteLength(x)`, `x.size`, `x.getSize()`, `sizeOf(x)`;
 * with `byName`, also a size kept under its own name (`this._payloadLength`, a local `byteLength`),
 * for what is added to a running total.
 */
function isSize(node: ts.Node, byName = false): boolean {
  let size = false;
  walk(node, (n) => {
    if (size) return;
    if (ts.isPropertyAccessExpression(n) && /^(length|byteLength|size|_size)$/.test(n.name.text))
      size = true;
    // A size under its own name: `this._payloadLength`, a local `byteLength` or `size`.
    if (
      byName &&
      (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) &&
      /^[_#]?([a-z]\w*(Length|Size|Bytes)|bytes|byteLength)$/.test(n.text) &&
      !/^[_#]?(min|max|limit|chunk|header|frame|block|page|batch|buffer|key|name|default|initial)/i.test(
        n.text,
      ) &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) &&
      // A function's name is judged with its call (below).
      !(ts.isCallExpression(n.parent) && n.parent.expression === n)
    )
      size = true;
    if (
      ts.isCallExpression(n) &&
      /(^|\.)(byteLength|getSize|sizeOf|size|estimateSize)$/i.test(callee(n) ?? "")
    )
      size = true;
    // A helper that works out a size (`calculateMessageSize(message)`, `getByteLength(x)`), with
    // `byName` — what a running total is raised by.
    if (
      byName &&
      ts.isCallExpression(n) &&
      /(^|\.)[a-z]\w*(Size|Bytes|Length)$/.test(callee(n) ?? "") &&
      !/(^|\.)(min|max|limit|default|initial)/i.test(callee(n) ?? "") &&
      sizeHelper(n)
    )
      size = true;
    // A local holding a size (`const size = Buffer.byteLength(id)`; `this.bytes += size`).
    if (
      byName &&
      ts.isIdentifier(n) &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
    ) {
      const init = localInitializer(n);
      if (init !== undefined && byteSize(init)) size = true;
    }
    if (ts.isElementAccessExpression(n) && /length/i.test(n.argumentExpression.getText()))
      size = true;
  });
  return size;
}

/** A size added to a total: a size read, or a local holding a byte size worked out before. */
function addend(node: ts.Node): boolean {
  if (isSize(node)) return true;
  const n = unwrap(node);
  const init = ts.isIdentifier(n) ? localInitializer(n) : undefined;
  return init !== undefined && byteSize(init);
}

/** Per file: its own functions by name, each with whether its body reads a byte length. */
const ownHelpers = new WeakMap<ts.SourceFile, Map<string, boolean>>();

/**
 * Whether a call named as a size helper works out bytes: one of another file is taken at its
 * name, as is any named for bytes (`getNodeBytes`); a "size" or "length" of this file only when
 * its body reads a byte length (`getItemSize(group)` counting display lines is no byte size).
 */
function sizeHelper(call: ts.CallExpression): boolean {
  const file = call.getSourceFile();
  let own = ownHelpers.get(file);
  if (own === undefined) {
    own = new Map();
    // One pass over the byte lengths the file reads: each marks the functions around it.
    const reading = new Set<ts.Node>();
    walkKinds(file, [ts.SyntaxKind.PropertyAccessExpression], (n) => {
      if (!ts.isPropertyAccessExpression(n) || n.name.text !== "byteLength") return;
      for (let c = n.parent; c !== undefined; c = c.parent) if (isFunctionLike(c)) reading.add(c);
    });
    for (const fn of factsOf(file).functions) {
      const name = functionName(fn);
      if (name !== undefined) own.set(name, (own.get(name) ?? false) || reading.has(fn));
    }
    ownHelpers.set(file, own);
  }
  const name = (callee(call) ?? "").replace(/^this\./, "");
  // "Bytes" says what is counted; "Size" or "Length" of this file may count anything.
  return /Bytes$/.test(name) || (own.get(name) ?? true);
}

/**
 * Whether an expression works out a byte size: `Buffer.byteLength(x)`, `x.byteLength`, a size
 * helper (`calculateMessageSize(m)`) — not a count (`group.size`, `items.length`).
 */
function byteSize(node: ts.Node): boolean {
  let bytes = false;
  walk(node, (n) => {
    if (ts.isPropertyAccessExpression(n) && n.name.text === "byteLength") bytes = true;
    if (
      ts.isCallExpression(n) &&
      /(^|\.)[a-zA-Z]\w*(Size|Bytes|Length)$/.test(callee(n) ?? "") &&
      sizeHelper(n)
    )
      bytes = true;
  });
  return bytes;
}

/**
 * The initializer of the `const` a local identifier names, declared earlier in its function (a
 * size worked out once and then added).
 */
function localInitializer(id: ts.Identifier): ts.Expression | undefined {
  let fn: ts.Node | undefined;
  for (let c = id.parent; c !== undefined; c = c.parent)
    if (isFunctionLike(c)) {
      fn = c;
      break;
    }
  if (fn === undefined || !isFunctionLike(fn) || fn.body === undefined) return undefined;
  let init: ts.Expression | undefined;
  walkKinds(fn.body, [ts.SyntaxKind.VariableDeclaration], (d) => {
    if (
      ts.isVariableDeclaration(d) &&
      ts.isIdentifier(d.name) &&
      d.name.text === id.text &&
      d.pos < id.pos &&
      d.initializer !== undefined &&
      ts.isVariableDeclarationList(d.parent) &&
      (d.parent.flags & ts.NodeFlags.Const) !== 0
    )
      init = d.initializer;
  });
  return init;
}

/** Whether a bound is a real limit: a name or an expression, or a literal past a small framing size. */
function isLimit(node: ts.Node): boolean {
  const n = unwrap(node);
  // "Enough bytes arrived" (needed, expected, a header's size) frames a protocol; it bounds nothing.
  if (/(need|expect|requir|header|frame|min)/i.test(n.getText())) return false;
  if (ts.isNumericLiteral(n)) return Number(n.text) >= 1024;
  // Nor does another size of the data (`bufferedBytes < this.payloadLength`: a frame not yet whole).
  return !ts.isStringLiteralLike(n) && n.kind !== ts.SyntaxKind.NullKeyword && !isSize(n, true);
}

/** Whether the guarded branch acts on the bound: flush, spill, drop, evict, fail, stop. */
function actsOnBound(branch: ts.Node): boolean {
  let acts = false;
  walk(branch, (n) => {
    if (acts) return;
    if (ts.isThrowStatement(n) || ts.isReturnStatement(n) || ts.isBreakStatement(n)) acts = true;
    if (ts.isCallExpression(n)) acts = true;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) acts = true;
  });
  return acts;
}

/**
 * Byte or size accounting by hand: a running total of sizes (`total += chunk.length`,
 * `len = this._len + Buffer.byteLength(data)`) compared with a limit that flushes, spills,
 * drops, evicts or fails. Sums kept only to concatenate or to write a length header, and checks of
 * one item's size, are not accounting. Replaced by a byte-bounded `@perflayer/cache` cache
 * (`maxSize` + `sizeOf`) or a `@perflayer/memory` budget.
 */
export const sizeAccountingDetector: Detector = {
  id: "memory/size-accounting",
  category: "memory",
  kinds: ["size-accounting"],
  prefilter: /length|byteLength|[sS]ize/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const totals = new Map<string, ts.Node[]>(); // name → accumulation statements
    const note = (name: string | undefined, node: ts.Node): void => {
      if (name === undefined) return;
      const list = totals.get(name) ?? [];
      list.push(node);
      totals.set(name, list);
    };
    for (const b of facts.binaries) {
      const op = b.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusEqualsToken && isSize(b.right, true))
        note(chain(b.left) ?? markText(b.left), b);
    }
    walkKinds(sourceFile, [ts.SyntaxKind.VariableDeclaration], (n) => {
      // `const len = this._len + Buffer.byteLength(data)`
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer !== undefined) {
        const init = unwrap(n.initializer);
        // One side a kept total, the other a size: two sizes added (`tokens.length +
        // fids.length`) are one count of the input, checked once — no total is kept.
        if (
          ts.isBinaryExpression(init) &&
          init.operatorToken.kind === ts.SyntaxKind.PlusToken &&
          // (A byte size worked out into a local first counts: `const len = this._len + dataLen`.)
          addend(init.right) !== addend(init.left) &&
          chain(init.left) !== undefined &&
          chain(init.right) !== undefined
        )
          note(n.name.text, n);
      }
    });
    const detections: Detection[] = [];
    const seen = new Set<ts.Node>();
    const spread = new Set<string>();
    const grown = growingBuffers(facts.binaries, facts.calls);
    const line = (n: ts.Node): number =>
      sourceFile.getLineAndCharacterOfPosition(n.getStart(sourceFile)).line;
    for (const [name, accumulations] of totals) {
      // A position advanced by lengths is a cursor (in a buffer, or a column on a line), not a size
      // kept: named so, unless the file never uses it as a position (an index, an argument, a
      // bound of a slice) and the check empties a buffer it grows beside (below) — a byte total
      // called `_offset` that queues its batch is a total.
      const cursorNamed =
        /^[_#]?(i|j|k|n|pos|position|offset|index|idx|start|end|cursor|ptr|col|column|width|line)$/i.test(
          name.split(".").pop() ?? name,
        ) ||
        // …also under a compound name (`dataEnd`, `readOffset`).
        /[a-z](Start|End|Offset|Index|Pos|Position|Cursor)$/.test(name.split(".").pop() ?? name);
      if (cursorNamed && usedAsPosition(facts.calls, sourceFile, name)) continue;
      for (const b of facts.binaries) {
        const op = b.operatorToken.kind;
        if (!isOrdering(op)) continue;
        const [total, bound] = totalIn(b.left, name)
          ? [b.left, b.right]
          : totalIn(b.right, name)
            ? [b.right, b.left]
            : [undefined, undefined];
        if (total === undefined || bound === undefined || !isLimit(bound)) continue;
        // The check sits near the accumulation (same function) and guards an action.
        const fn = enclosingFunction(b);
        let own = accumulations.filter((a) => enclosingFunction(a) === fn);
        // …or in another function of the closure the total lives in (added in a `data` handler,
        // checked when the body ends): the check is a place of its own.
        const apart = own.length === 0;
        // A bound that is a parameter of the checking function is an amount asked for
        // (`consume(n)` refusing more than is buffered), not a limit kept for the total.
        if (apart && !requested(fn, bound))
          own = accumulations.filter((a) => sharesTotal(a, b, name));
        if (own.length === 0) continue;
        let guard: ts.Node | undefined;
        for (let c = b.parent; c !== undefined && c !== fn; c = c.parent) {
          if (ts.isIfStatement(c) || ts.isWhileStatement(c) || ts.isConditionalExpression(c)) {
            guard = c;
            break;
          }
        }
        // The check answered to callers (`isFull() { return this.bytes >= max; }`), or kept in a
        // local the function then tests (`const over = total + size > max; if (!over) …`).
        const answer = guard === undefined ? answered(b, fn) : undefined;
        const flag = guard === undefined && answer === undefined ? flagged(b, fn) : undefined;
        if (flag !== undefined) guard = flag.guard;
        if (answer !== undefined) guard = answer;
        if (guard === undefined || seen.has(guard)) continue;
        const branch = ts.isIfStatement(guard)
          ? guard.thenStatement
          : ts.isWhileStatement(guard)
            ? guard.statement
            : guard;
        // Acting on the bound: flush, drop, fail — or raise the total only within it.
        // A total cut into pieces of the bound (`while (l > max) { parts.push(max); l -= max; }`)
        // is split for framing, not kept under a limit.
        if (ts.isWhileStatement(guard) && cutsBy(guard.statement, name, bound)) continue;
        // A local sum a loop raises until it reaches an amount its caller asked for (`while
        // (removed < bytesToRemove)`: a greedy pick of what to drop) bounds nothing kept.
        if (
          ts.isWhileStatement(guard) &&
          !apart &&
          requested(fn, bound) &&
          zeroLocal(b, name) !== undefined
        )
          continue;
        // A length of the data in hand, summed within one call from a literal start and checked
        // against a format's limit that only hands back a refusal or a fallback (`return null`,
        // `return -1`): it sizes the input for a choice, it bounds nothing kept.
        if (
          !apart &&
          ts.isIfStatement(guard) &&
          refusesOnly(guard.thenStatement) &&
          literalLocal(fn, name)
        )
          continue;
        const raises = accumulations.some((a) => a.pos >= branch.pos && a.end <= branch.end);
        if (answer === undefined && !raises && !actsOnBound(branch)) continue;
        if (cursorNamed && !emptiesBeside(branch, own, grown)) continue;
        // Both branches hand back a value: a choice between two forms (plain or exponent
        // notation by digit count), not a limit enforced.
        if (
          ts.isIfStatement(guard) &&
          returnsValue(guard.thenStatement) &&
          returnsValue(guard.elseStatement)
        )
          continue;
        seen.add(guard);
        // What the bound replaces: the total's local declaration (`let total = 0`) when it is
        // its function's own, the running sum, and the check with what it does on the limit
        // (the `if` and its branch; an `else` goes on doing other work).
        // (Once: a total checked in two places keeps its declaration with the first.)
        const local = apart ? undefined : zeroLocal(b, name);
        const declared = local !== undefined && !seen.has(local) ? local : undefined;
        if (declared !== undefined) seen.add(declared);
        const nodes = new Set<ts.Node>([
          ...(declared === undefined ? [] : [declared]),
          ...(apart ? [] : own.map((a) => topStatement(a))),
          ...(flag === undefined ? [] : flag.locals),
          ...(ts.isIfStatement(guard) && answer === undefined
            ? reaction(guard)
            : [ts.isIfStatement(guard) ? guard.expression : topStatement(guard)]),
        ]);
        detections.push({
          kind: "size-accounting",
          confidence: 0.8,
          nodes: [...nodes].sort((a, b2) => a.pos - b2.pos),
          context: [guard],
          evidence: [
            apart
              ? `running size \`${name}\` summed from lengths in another function of its closure`
              : `running size \`${name}\` summed from lengths`,
            `compared with the limit \`${bound.getText(sourceFile).replace(/\s+/g, " ").slice(0, 40)}\``,
          ],
          name,
        });
        // A module's total (`let activeBytes = 0` at the top) kept by several functions: its
        // declaration (with the limit declared beside it) and each function's raising of it are
        // the mechanism's other places, each a range of its own.
        const module = apart && !spread.has(name) ? moduleTotal(sourceFile, name) : undefined;
        if (module !== undefined) {
          spread.add(name);
          const declaration: ts.Node[] = [module];
          const limit = unwrap(bound);
          const beside = ts.isIdentifier(limit)
            ? moduleDeclaration(sourceFile, limit.text)
            : undefined;
          if (beside !== undefined && Math.abs(line(beside) - line(module)) <= 3)
            declaration.push(beside);
          const places = new Map<ts.Node, ts.Node[]>();
          // …raised, or given back (`activeBytes -= length` when a request ends).
          const given = facts.binaries.filter(
            (x) =>
              x.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken && chain(x.left) === name,
          );
          for (const a of [...accumulations, ...given]) {
            const where = enclosingFunction(a);
            if (where === fn) continue;
            places.set(where, [...(places.get(where) ?? []), topStatement(a)]);
          }
          for (const part of [declaration, ...places.values()])
            detections.push({
              kind: "size-accounting",
              confidence: 0.75,
              nodes: [...new Set(part)].sort((a, b2) => a.pos - b2.pos),
              evidence: [
                `running size \`${name}\` kept by the module`,
                part === declaration
                  ? "declared here, checked against its limit elsewhere"
                  : "raised or given back here, checked against its limit elsewhere",
              ],
              name,
            });
        }
      }
    }
    detections.push(...measuredBuffers(grown, facts.binaries, seen));
    // Sizes of data in its wire form checked against a limit, where no total above holds them.
    detections.push(
      ...serializedSizeChecks(
        facts,
        detections.flatMap((d) => [...d.nodes, ...(d.context ?? [])]),
      ),
    );
    // Byte-size estimators, where no limit check above already holds them.
    const overlaps = (a: ts.Node, b: ts.Node): boolean => a.pos < b.end && b.pos < a.end;
    for (const e of byteEstimators(facts))
      if (!detections.some((d) => d.nodes.some((n) => e.nodes.some((m) => overlaps(n, m)))))
        detections.push(e);
    return detections;
  },
};

/**
 * Whether a branch only hands back a plain value: `return null`, `return -1`, `return this`,
 * `return false` — nothing flushed, dropped, thrown or called.
 */
function refusesOnly(branch: ts.Statement): boolean {
  const only = soleStatement(branch);
  if (only === undefined || !ts.isReturnStatement(only)) return false;
  if (only.expression === undefined) return true;
  const value = unwrap(only.expression);
  if (ts.isPrefixUnaryExpression(value)) return ts.isNumericLiteral(value.operand);
  return (
    ts.isNumericLiteral(value) ||
    ts.isStringLiteralLike(value) ||
    value.kind === ts.SyntaxKind.NullKeyword ||
    value.kind === ts.SyntaxKind.TrueKeyword ||
    value.kind === ts.SyntaxKind.FalseKeyword ||
    value.kind === ts.SyntaxKind.ThisKeyword ||
    (ts.isIdentifier(value) && value.text === "undefined")
  );
}

/**
 * Whether `name` is a local of the function `fn` itself, started at a number (`let size = 0`,
 * `let size = 2`): a total of what this call looks at — not one carried over from kept state
 * (`let next = this._length`).
 */
function literalLocal(fn: ts.Node, name: string): boolean {
  if (!isFunctionLike(fn)) return false;
  let found = false;
  walkKinds(fn, [ts.SyntaxKind.VariableDeclaration], (d) => {
    if (
      found ||
      !ts.isVariableDeclaration(d) ||
      !ts.isIdentifier(d.name) ||
      d.name.text !== name ||
      d.initializer === undefined ||
      enclosingFunction(d) !== fn
    )
      return;
    found = ts.isNumericLiteral(unwrap(d.initializer));
  });
  return found;
}

/** Calls that empty a buffer object or take its contents. */
const DRAINS = /^(drain|consume|clear|reset|splice|flush)$/;

/**
 * Whether a branch empties the buffer `name`: sets it to an empty value (`''`, `[]`, `undefined`,
 * `null`), drains it (`buf.drain()`), hands it to a call (`send(this.pending)`) — or calls a
 * method of the same class (`this.flush()`) that does, `depth` levels down.
 */
function empties(branch: ts.Node, name: string, depth: number): boolean {
  let found = false;
  const methods: string[] = [];
  walk(branch, (n) => {
    if (found) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      chain(n.left) === name
    ) {
      const r = unwrap(n.right);
      if (
        (ts.isStringLiteralLike(r) && r.text === "") ||
        (ts.isArrayLiteralExpression(r) && r.elements.length === 0) ||
        r.kind === ts.SyntaxKind.NullKeyword ||
        (ts.isIdentifier(r) && r.text === "undefined")
      )
        found = true;
    }
    if (!ts.isCallExpression(n)) return;
    if (
      ts.isPropertyAccessExpression(n.expression) &&
      chain(n.expression.expression) === name &&
      DRAINS.test(n.expression.name.text)
    )
      found = true;
    if (n.arguments.some((a) => chain(a) === name)) found = true;
    const c = callee(n);
    if (c !== undefined && /^this\.[#\w$]+$/.test(c)) methods.push(c.slice(5));
  });
  if (found || depth === 0 || methods.length === 0) return found;
  let cls: ts.Node | undefined = branch.parent;
  while (cls !== undefined && !ts.isClassDeclaration(cls) && !ts.isClassExpression(cls))
    cls = cls.parent;
  if (cls === undefined || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls))) return false;
  return cls.members.some(
    (m) =>
      (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) &&
      m.name !== undefined &&
      methods.includes(m.name.getText()) &&
      empties(m, name, depth - 1),
  );
}

/** Whether a branch takes pieces the size of the bound off the buffer (`bl.consume(length)`). */
function cutsPieces(branch: ts.Node, name: string, bound: ts.Node): boolean {
  const text = unwrap(bound).getText();
  let cuts = false;
  walk(branch, (n) => {
    if (
      !cuts &&
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      chain(n.expression.expression) === name &&
      n.arguments.some((a) => unwrap(a).getText() === text)
    )
      cuts = true;
  });
  return cuts;
}

/** Calls that append bytes to a buffer object (not `push`: a list's length counts items). */
const APPENDS = /^(fill|write|append)$/;

/** Held buffers by how they grow: concatenated (`+=` of data, not a size) or appended by a call. */
interface GrowingBuffers {
  readonly concatenated: ReadonlyMap<string, ts.Node[]>;
  readonly appended: ReadonlyMap<string, ts.Node[]>;
}

function growingBuffers(
  binaries: readonly ts.BinaryExpression[],
  calls: readonly ts.CallExpression[],
): GrowingBuffers {
  const concatenated = new Map<string, ts.Node[]>();
  const appended = new Map<string, ts.Node[]>();
  const add = (map: Map<string, ts.Node[]>, name: string | undefined, n: ts.Node): void => {
    if (name !== undefined) map.set(name, [...(map.get(name) ?? []), n]);
  };
  for (const b of binaries)
    if (b.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && !isSize(b.right, true))
      add(concatenated, chain(b.left), b);
  for (const c of calls)
    if (
      ts.isPropertyAccessExpression(c.expression) &&
      APPENDS.test(c.expression.name.text) &&
      c.arguments.length > 0
    )
      add(appended, chain(c.expression.expression), c);
  return { concatenated, appended };
}

/**
 * Whether a check's branch empties a buffer grown in a function that raises the total (`_offset`
 * raised beside `_buffer += line`, and the branch queues and clears `_buffer`).
 */
function emptiesBeside(
  branch: ts.Node,
  raising: readonly ts.Node[],
  grown: GrowingBuffers,
): boolean {
  const fns = new Set(raising.map((a) => enclosingFunction(a)));
  for (const map of [grown.concatenated, grown.appended])
    for (const [name, grows] of map)
      if (grows.some((g) => fns.has(enclosingFunction(g))) && empties(branch, name, 1)) return true;
  return false;
}

/**
 * A buffer measured as it fills: data appended to a held buffer (`this.pending += line`,
 * `out.fill(chunk)`), its size read (`Buffer.byteLength(this.pending)`, `out.size()`, a string's
 * `length`) and compared with a limit whose branch flushes or drains it. No running total is
 * kept — the buffer is its own — but the bound is the same. A list's item count (`push`, then
 * `length`) is a batch, not bytes.
 */
function measuredBuffers(
  grown: GrowingBuffers,
  binaries: readonly ts.BinaryExpression[],
  seen: Set<ts.Node>,
): Detection[] {
  const { concatenated, appended } = grown;
  if (concatenated.size === 0 && appended.size === 0) return [];
  // The buffer whose size a node reads, with the places it grows.
  const measured = (n: ts.Node): [string, ts.Node[]] | undefined => {
    let found: [string, ts.Node[]] | undefined;
    walk(n, (m) => {
      if (found !== undefined) return;
      if (ts.isCallExpression(m) && /(^|\.)byteLength$/.test(callee(m) ?? "")) {
        const name = m.arguments[0] === undefined ? undefined : chain(m.arguments[0]);
        const grows = name === undefined ? undefined : concatenated.get(name);
        if (name !== undefined && grows !== undefined) found = [name, grows];
      }
      if (
        ts.isCallExpression(m) &&
        m.arguments.length === 0 &&
        ts.isPropertyAccessExpression(m.expression) &&
        m.expression.name.text === "size"
      ) {
        const name = chain(m.expression.expression);
        const grows = name === undefined ? undefined : appended.get(name);
        if (name !== undefined && grows !== undefined) found = [name, grows];
      }
      if (
        ts.isPropertyAccessExpression(m) &&
        /^(length|byteLength)$/.test(m.name.text) &&
        !ts.isCallExpression(m.parent)
      ) {
        const name = chain(m.expression);
        const grows =
          name === undefined ? undefined : (concatenated.get(name) ?? appended.get(name));
        if (name !== undefined && grows !== undefined) found = [name, grows];
      }
    });
    return found;
  };
  const detections: Detection[] = [];
  for (const b of binaries) {
    if (!isOrdering(b.operatorToken.kind)) continue;
    // The buffer on the larger side (`size > max`, `max <= size`): it has grown past the limit.
    const op = b.operatorToken.kind;
    const greater =
      op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken;
    const hit = greater ? measured(b.left) : measured(b.right);
    const bound = greater ? b.right : b.left;
    if (hit === undefined || measured(bound) !== undefined || !isLimit(bound)) continue;
    const fn = enclosingFunction(b);
    let guard: ts.IfStatement | ts.WhileStatement | undefined;
    for (let c = b.parent; c !== undefined && c !== fn; c = c.parent)
      if (ts.isIfStatement(c) || ts.isWhileStatement(c)) {
        // The comparison decides the branch (not one nested inside it).
        if (b.pos >= c.expression.pos && b.end <= c.expression.end) guard = c;
        break;
      }
    if (guard === undefined || seen.has(guard)) continue;
    const branch = ts.isIfStatement(guard) ? guard.thenStatement : guard.statement;
    const [name, grows] = hit;
    // A local or parameter is one binding only where it grows beside the check (a `text` of
    // another function is another string).
    if (!name.startsWith("this") && !grows.some((g) => enclosingFunction(g) === fn)) continue;
    // The branch empties the buffer (directly, or through a method of its own class it calls),
    // and not by cutting pieces of the bound off it (`consume(length)` while longer than
    // `length`: packets framed at a size, not a buffer flushed at a limit).
    if (!empties(branch, name, 1) || cutsPieces(branch, name, bound)) continue;
    seen.add(guard);
    const file = b.getSourceFile();
    const line = (n: ts.Node): number => file.getLineAndCharacterOfPosition(n.getStart(file)).line;
    // The append just before the check, in the same function, is part of the construct.
    const near = grows
      .filter(
        (g) => enclosingFunction(g) === fn && g.end <= guard.pos && line(guard) - line(g) <= 10,
      )
      .map((g) => topStatement(g));
    const nodes = new Set<ts.Node>([
      ...near,
      ...(ts.isIfStatement(guard) ? reaction(guard) : [guard]),
    ]);
    detections.push({
      kind: "size-accounting",
      confidence: 0.75,
      nodes: [...nodes].sort((x, y) => x.pos - y.pos),
      context: [guard],
      evidence: [
        `buffer \`${name}\` measured as it fills`,
        `compared with the limit \`${bound.getText(file).replace(/\s+/g, " ").slice(0, 40)}\`, then emptied`,
      ],
      name,
    });
  }
  return detections;
}

/**
 * Whether a total is used as a position somewhere in its file: an element index (`buf[pos]`), a
 * call's argument (`buf.write(s, pos)`, `slice(start, end)`), alone or in a sum.
 */
function usedAsPosition(
  calls: readonly ts.CallExpression[],
  file: ts.SourceFile,
  name: string,
): boolean {
  const names = (e: ts.Node): boolean => {
    const x = unwrap(e);
    if (chain(x) === name) return true;
    return (
      ts.isBinaryExpression(x) &&
      [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken].includes(x.operatorToken.kind) &&
      (names(x.left) || names(x.right))
    );
  };
  if (calls.some((c) => c.arguments.some((a) => names(a)))) return true;
  let indexed = false;
  walkKinds(file, [ts.SyntaxKind.ElementAccessExpression], (n) => {
    if (!indexed && ts.isElementAccessExpression(n) && names(n.argumentExpression)) indexed = true;
  });
  return indexed;
}

/** The top-level statement of a file declaring `name`, if any. */
function moduleDeclaration(file: ts.SourceFile, name: string): ts.VariableStatement | undefined {
  return file.statements.find(
    (st): st is ts.VariableStatement =>
      ts.isVariableStatement(st) &&
      st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name),
  );
}

/** Code lines a check's branch may hold and still be the reaction to the bound alone. */
const REACTION_LINES = 10;

/**
 * The nodes of an `if` on the bound that a migration removes: its condition, and its branch when
 * that is a short reaction (fail, drop, flush); the `else` stays (other work).
 */
function reaction(guard: ts.IfStatement): ts.Node[] {
  const file = guard.getSourceFile();
  const branch = guard.thenStatement;
  const first = file.getLineAndCharacterOfPosition(branch.getStart(file)).line;
  const last = file.getLineAndCharacterOfPosition(branch.end).line;
  return last - first + 1 <= REACTION_LINES ? [guard.expression, branch] : [guard.expression];
}

/**
 * The statement declaring a running total as a local set to 0 (`let totalLength = 0`), in a
 * function around the check — the total's own line — when it is within a few lines of it.
 */
function zeroLocal(check: ts.Node, name: string): ts.Node | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const file = check.getSourceFile();
  const line = (n: ts.Node): number => file.getLineAndCharacterOfPosition(n.getStart(file)).line;
  for (let c = check.parent; c !== undefined; c = c.parent) {
    if (!isFunctionLike(c) || c.body === undefined || !ts.isBlock(c.body)) continue;
    for (const st of c.body.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== name || d.initializer === undefined)
          continue;
        const init = unwrap(d.initializer);
        return ts.isNumericLiteral(init) &&
          init.text === "0" &&
          st.declarationList.declarations.length === 1 &&
          line(check) - line(st) <= 15
          ? st
          : undefined;
      }
    }
  }
  return undefined;
}

/**
 * Whether a side of a comparison is the running total, or the total once the next item is added
 * (`this._bytes + byteLength > this._maxBytes`: checked before it is added).
 */
function totalIn(side: ts.Node, name: string): boolean {
  const s = unwrap(side);
  if (chain(s) === name || markText(s) === name) return true;
  return (
    ts.isBinaryExpression(s) &&
    s.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    (chain(unwrap(s.left)) === name || markText(s.left) === name) &&
    isSize(s.right, true)
  );
}

/** Whether a loop body takes the bound off the total (`l -= max`). */
function cutsBy(body: ts.Node, name: string, bound: ts.Node): boolean {
  let cuts = false;
  walk(body, (n) => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken &&
      (chain(unwrap(n.left)) ?? markText(n.left)) === name &&
      unwrap(n.right).getText() === unwrap(bound).getText()
    )
      cuts = true;
  });
  return cuts;
}

/**
 * A predicate of a few statements that returns the comparison (`canFit(m) { return this.bytes +
 * size(m) <= max; }`, an arrow returning it): its callers act on the bound. Returns the return.
 */
function answered(check: ts.Node, fn: ts.Node): ts.Node | undefined {
  if (!isFunctionLike(fn) || fn.body === undefined) return undefined;
  const top = logicalTop(check);
  if (fn.body === top) return top;
  if (!ts.isBlock(fn.body) || fn.body.statements.length > 4) return undefined;
  const parent = top.parent;
  return parent !== undefined && ts.isReturnStatement(parent) && parent.parent === fn.body
    ? parent
    : undefined;
}

/**
 * A comparison kept in a local (or a local made from that one) that an `if` of the same function
 * then tests: the `if` and the locals' declarations.
 */
function flagged(check: ts.Node, fn: ts.Node): { guard: ts.Node; locals: ts.Node[] } | undefined {
  const top = logicalTop(check);
  const declaration = top.parent;
  if (
    declaration === undefined ||
    !ts.isVariableDeclaration(declaration) ||
    declaration.initializer !== top ||
    !ts.isIdentifier(declaration.name)
  )
    return undefined;
  const names = new Set([declaration.name.text]);
  const locals: ts.Node[] = [topStatement(declaration)];
  const mentions = (node: ts.Node): boolean => {
    let found = false;
    walk(node, (n) => {
      if (!found && ts.isIdentifier(n) && names.has(n.text)) found = true;
    });
    return found;
  };
  let guard: ts.Node | undefined;
  walkKinds(fn, [ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.IfStatement], (n) => {
    if (guard !== undefined || n.pos < declaration.end) return;
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      names.size < 3 &&
      mentions(n.initializer)
    ) {
      names.add(n.name.text);
      locals.push(topStatement(n));
    } else if (ts.isIfStatement(n) && mentions(n.expression)) guard = n;
  });
  return guard === undefined ? undefined : { guard, locals };
}

/** Whether a bound is a parameter of the function that checks it. */
function requested(fn: ts.Node, bound: ts.Node): boolean {
  const b = unwrap(bound);
  return (
    isFunctionLike(fn) &&
    ts.isIdentifier(b) &&
    fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === b.text)
  );
}

/**
 * Whether an accumulation and a check in different functions read one total: a local declared in
 * a function around both, or a field of the class around both.
 */
function sharesTotal(accumulation: ts.Node, check: ts.Node, name: string): boolean {
  if (name.startsWith("this.")) {
    const cls = (n: ts.Node): ts.Node | undefined => {
      for (let c = n.parent; c !== undefined; c = c.parent)
        if (ts.isClassDeclaration(c) || ts.isClassExpression(c)) return c;
      return undefined;
    };
    return cls(accumulation) !== undefined && cls(accumulation) === cls(check);
  }
  if (name.includes(".")) return false;
  for (let c = check.parent; c !== undefined; c = c.parent) {
    if (!isFunctionLike(c) || c.body === undefined || !ts.isBlock(c.body)) continue;
    const declares = c.body.statements.some(
      (st) =>
        ts.isVariableStatement(st) &&
        st.declarationList.declarations.some((d) => d.name.getText() === name),
    );
    if (declares) return accumulation.pos >= c.pos && accumulation.end <= c.end;
  }
  // A total of the module (`let activeBytes = 0` at the top of the file), raised in one function
  // and checked in another.
  return moduleTotal(check.getSourceFile(), name) !== undefined;
}

/** The statement declaring `name` at the top level of a file as a number set to 0, if any. */
function moduleTotal(file: ts.SourceFile, name: string): ts.VariableStatement | undefined {
  for (const st of file.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name || d.initializer === undefined) continue;
      const init = unwrap(d.initializer);
      return ts.isNumericLiteral(init) && init.text === "0" ? st : undefined;
    }
  }
  return undefined;
}

function markText(node: ts.Node): string | undefined {
  const n = unwrap(node);
  return ts.isElementAccessExpression(n) ? n.getText().replace(/\s+/g, "") : undefined;
}

function enclosingFunction(node: ts.Node): ts.Node {
  for (let c = node.parent; c !== undefined; c = c.parent)
    if (isFunctionLike(c) || ts.isSourceFile(c)) return c;
  return node.getSourceFile();
}
