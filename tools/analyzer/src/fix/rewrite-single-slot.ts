import { ts } from "ts-morph";
import { findAll, isFunctionLike } from "../ast.js";
import { importName } from "./file-imports.js";
import { inFinding, refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import type { TextEdit } from "./source-edit.js";
import { fieldHome, variableHome } from "./slot-home.js";
import {
  FILLS,
  declaredNames,
  isEmptyValue,
  isPropertyName,
  isSlot,
  lineOf,
  matchTail,
  slotOf,
  slotUses,
} from "./slot-shape.js";
import type { BranchFill, Slot, ThenFill } from "./slot-shape.js";
import { awaits } from "./statement-facts.js";

/**
 * A single slot filled on first use → `lazy(load)` of `@perflayer/cache`: a module variable or a
 * field (`#x`, `private x`, or in JavaScript `_x`) holding one computed value, filled by one
 * function that returns it (`if (!slot) slot = compute(); return slot;` and the like). The slot
 * becomes `lazy(() => compute)` where it is declared (a field: its declaration, or its
 * constructor's `this.x = null`), the function returns `slot.get()`, and a reset elsewhere
 * (`slot = null`, `delete this.x`) becomes `slot.invalidate()`. Refused: a slot read or written
 * anywhere else (read without the compute path, written with another value, iterated), a
 * compute that reads the function's parameters or locals, returns early, or reads `arguments`,
 * an exported or public slot.
 * @param input - the finding
 * @returns the rewrite, the refusal, or undefined when the finding fills no single slot
 */
export function rewriteSingleSlot(input: RewriteInput): Rewrite | Refusal | undefined {
  const { file } = input;
  // A variable declared in the function that fills it is a local, not a slot kept between calls.
  const fill = findAll(
    file,
    (n): n is ts.BinaryExpression =>
      ts.isBinaryExpression(n) &&
      FILLS.has(n.operatorToken.kind) &&
      inFinding(input, n) &&
      slotOf(n.left) !== undefined,
  ).find((n) => {
    const slot = slotOf(n.left) as Slot;
    if (slot.field) return true;
    let f: ts.Node | undefined = n.parent;
    while (f !== undefined && !isFunctionLike(f)) f = f.parent;
    return f === undefined || !declaredNames(f).has(slot.name);
  });
  if (fill === undefined) return undefined;
  const slot = slotOf(fill.left) as Slot;
  let found: ts.Node | undefined = fill.parent;
  while (found !== undefined && !isFunctionLike(found)) found = found.parent;
  if (found === undefined || !isFunctionLike(found) || found.body === undefined)
    return refuse(`the slot \`${slot.text}\` is filled outside a function`);
  let fn: ts.FunctionLikeDeclaration = found;
  // Filled in the last callback of a promise chain the function returns: the function is the getter.
  const chain = fn.parent;
  if (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    ts.isCallExpression(chain) &&
    ts.isPropertyAccessExpression(chain.expression) &&
    chain.expression.name.text === "then" &&
    ts.isReturnStatement(chain.parent)
  ) {
    let outer: ts.Node | undefined = chain.parent.parent;
    while (outer !== undefined && !isFunctionLike(outer)) outer = outer.parent;
    if (outer !== undefined && isFunctionLike(outer) && outer.body !== undefined) fn = outer;
  }
  const getter = fn;
  const body = getter.body;
  if (body === undefined || !ts.isBlock(body))
    return refuse(`the function that fills \`${slot.text}\` has no block body`);
  const statements = body.statements;
  const matched = matchTail(statements, slot);
  if (typeof matched === "string") return refuse(matched);
  const { compute, value, branches, thenFill } = matched;
  const finish = matched.finish ?? [];
  // The statements and value the load runs: a fill in each branch of an `if`/`else` is its last;
  // the statements that finish the value after its fill come last.
  const computed: ts.Node[] = [...compute, value ?? (branches as BranchFill).statement, ...finish];
  // The slot the branches fill is not a read of it.
  const filled = new Set<ts.Node>(branches?.fills.map((f) => f.left) ?? []);
  // Nor are the finishing statements' reads of it: they read the load's local.
  const finishReads = finish.flatMap((st) => slotUses(st, slot).filter((u) => isSlot(u, slot)));
  for (const read of finishReads) filled.add(read);
  // A field read in a function with its own `this` is another object's field, not the value.
  const rebound = finishReads.find((read) => {
    for (let n = read.parent; !finish.includes(n as ts.Statement); n = n.parent)
      if (isFunctionLike(n) && !ts.isArrowFunction(n)) return slot.field;
    return false;
  });
  if (rebound !== undefined)
    return refuse(
      `the statements after the fill read \`${slot.text}\` in a function with its own \`this\``,
    );
  // Nor is the fill at the end of a promise chain, or the callback's return of the slot.
  if (thenFill !== undefined) {
    filled.add((thenFill.statement.expression as ts.BinaryExpression).left);
    if (thenFill.returned.expression !== undefined && isSlot(thenFill.returned.expression, slot))
      filled.add(thenFill.returned.expression);
  }
  // The load runs where the slot is declared: it cannot read the function's parameters or locals.
  const locals = declaredNames(getter);
  for (const s of branches === undefined
    ? [...compute, ...finish]
    : [...compute, branches.statement])
    for (const name of declaredNames(s)) locals.delete(name);
  // The functions the value makes declare their own names — a promise chain's callbacks, a
  // `filter`'s or `reduce`'s parameters (`this.x = list.filter((h) => …)`) — unless the function
  // declares them too.
  if (value !== undefined) {
    const outside = findAll(
      getter,
      (n): n is ts.NamedDeclaration =>
        (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isFunctionDeclaration(n)) &&
        (n.pos < value.pos || n.end > value.end),
    ).flatMap((d) => (d.name !== undefined && ts.isIdentifier(d.name) ? [d.name.text] : []));
    for (const name of declaredNames(value)) if (!outside.includes(name)) locals.delete(name);
  }
  const reads = computed.flatMap((s) =>
    findAll(s, (n): n is ts.Identifier => ts.isIdentifier(n) && locals.has(n.text)),
  );
  const local = reads.find((n) => !isPropertyName(n));
  if (local !== undefined)
    return refuse(
      `the compute reads \`${local.text}\`, a parameter or local of the function: the value would depend on the first call's`,
    );
  for (const s of computed) {
    let why: string | undefined;
    // `nested`: inside a function of the compute; `bound`: inside one with its own `this`.
    const visit = (n: ts.Node, nested: boolean, bound: boolean): void => {
      if (filled.has(n)) return;
      if (ts.isReturnStatement(n) && !nested) why ??= "returns early";
      else if (ts.isIdentifier(n) && n.text === "arguments" && !bound) why ??= "reads `arguments`";
      else if (ts.isYieldExpression(n) && !nested) why ??= "yields";
      else if (!slot.field && n.kind === ts.SyntaxKind.ThisKeyword && !bound)
        why ??= "reads `this`";
      else if (ts.isExpression(n) && isSlot(n, slot) && (slot.field || !bound))
        why ??= `reads the slot \`${slot.text}\` itself`;
      const fnLike = isFunctionLike(n);
      ts.forEachChild(n, (c) =>
        visit(c, nested || fnLike, bound || (fnLike && !ts.isArrowFunction(n))),
      );
    };
    visit(s, false, false);
    if (why !== undefined) return refuse(`the compute ${why}`);
  }
  const empty = computed.map((s) => emptyResult(file, s)).find((e) => e !== undefined);
  if (empty !== undefined)
    return refuse(
      `the compute calls \`${empty}\`, whose declared result may be empty (\`undefined\`, \`null\` or \`void\`): the slot's test computed it again, lazy would keep it`,
    );
  const isAsync = (ts.getModifiers(getter) ?? []).some(
    (m) => m.kind === ts.SyntaxKind.AsyncKeyword,
  );
  if (!isAsync && computed.some((s) => awaits(s)))
    return refuse("the compute awaits outside an async function");
  const home = slot.field ? fieldHome(input, slot, getter) : variableHome(input, slot, getter);
  if (typeof home === "string") return refuse(home);
  // The load is made where the slot is declared: names declared there must not shadow the compute's.
  const shadowed = computed
    .flatMap((s) => findAll(s, ts.isIdentifier))
    .find((n) => home.shadows.has(n.text) && !isPropertyName(n));
  if (shadowed !== undefined)
    return refuse(
      `the compute reads \`${shadowed.text}\`, which the constructor that would make the load declares too`,
    );
  // Every other use of the slot must be a reset (→ invalidate()).
  const edits: TextEdit[] = [];
  for (const use of home.uses) {
    if (matched.uses.some((m) => m === use || (m.pos <= use.pos && use.end <= m.end))) continue;
    if (home.declaredBy.some((d) => d.pos <= use.pos && use.end <= d.end)) continue;
    const parent = use.parent;
    const reset =
      ts.isBinaryExpression(parent) &&
      parent.left === use &&
      parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isEmptyValue(parent.right) &&
      ts.isExpressionStatement(parent.parent)
        ? parent.parent
        : ts.isDeleteExpression(parent) && ts.isExpressionStatement(parent.parent)
          ? parent.parent
          : undefined;
    if (reset !== undefined && isSlot(use, slot)) {
      edits.push({
        start: reset.getStart(file),
        end: reset.getEnd(),
        text: `${slot.text}.invalidate();`,
      });
      continue;
    }
    const written =
      ts.isBinaryExpression(parent) && parent.left === use && FILLS.has(parent.operatorToken.kind);
    return refuse(
      written
        ? `the slot \`${slot.text}\` is also written with another value (line ${lineOf(file, use)}: \`${parent.getText(file).slice(0, 40)}\`)`
        : `the slot \`${slot.text}\` is also read without the compute path (line ${lineOf(file, use)}: \`${parent.getText(file).slice(0, 40)}\`)`,
    );
  }
  const lazy = importName(file, input.names, "@perflayer/cache", "lazy");
  // A load that returns a promise chain keeps its promise, as an async one does.
  const promised = isAsync || thenFill !== undefined;
  const type = home.type === undefined ? "" : `: ${promised ? `Promise<${home.type}>` : home.type}`;
  const indent = home.indent;
  // A statement's lines move one level in from the declaration, their nesting kept (its later
  // lines lose the indentation of its first).
  // One level: a tab where the code indents with tabs.
  const unit = indent.startsWith("\t") ? "\t" : "  ";
  const flat = (l: string, base = ""): string =>
    l
      .split("\n")
      .map(
        (x, i) =>
          `${indent}${unit}${i > 0 && base !== "" && x.startsWith(base) ? x.slice(base.length) : x.trimStart()}`,
      )
      .join("\n");
  const lineIndent = (s: ts.Node): string =>
    /^[ \t]*/.exec(file.text.slice(file.text.lastIndexOf("\n", s.getStart(file) - 1) + 1))?.[0] ??
    "";
  const flatStatement = (s: ts.Node): string => flat(s.getText(file), lineIndent(s));
  // The value the finishing statements complete is kept in a local named after the slot.
  const kept = freeLocal(input.names, slot.name);
  const loadBody =
    thenFill !== undefined && value !== undefined
      ? ` ${chainLoad(file, value, thenFill, indent)}`
      : finish.length > 0 && value !== undefined
        ? ` {\n${[
            ...compute.map(flatStatement),
            flat(`const ${kept} = ${value.getText(file)};`),
            ...finish.map((s) => flat(withReads(file, s, finishReads, kept), lineIndent(s))),
            flat(`return ${kept};`),
          ].join("\n")}\n${indent}}`
        : compute.length === 0 && value !== undefined
          ? ` ${(ts.isAwaitExpression(value) && isAsync ? value.expression : value).getText(file)}`
          : ` {\n${[
              ...compute.map(flatStatement),
              value === undefined
                ? branchReturns(file, branches as BranchFill, `${indent}${unit}`)
                : flat(`return ${value.getText(file)};`),
            ].join("\n")}\n${indent}}`;
  const asyncLoad =
    isAsync &&
    !(
      compute.length === 0 &&
      finish.length === 0 &&
      value !== undefined &&
      ts.isAwaitExpression(value)
    );
  const load = `${lazy.local}(${asyncLoad ? "async " : ""}()${type} =>${loadBody})`;
  edits.push(home.declare(load));
  const from = statements[matched.from] as ts.Statement;
  if (matched.reads === undefined)
    edits.push({
      start: from.getStart(file),
      end: (statements[statements.length - 1] as ts.Statement).getEnd(),
      text: `return ${slot.text}.get();`,
    });
  else {
    // The `if` goes with its line; each later read of the slot reads the lazy value.
    const lineStart = file.text.lastIndexOf("\n", from.getStart(file) - 1);
    const before = file.text.slice(lineStart + 1, from.getStart(file));
    edits.push({
      start: /^[ \t]*$/.test(before) ? lineStart : from.getStart(file),
      end: from.getEnd(),
      text: "",
    });
    for (const read of matched.reads)
      edits.push({ start: read.getEnd(), end: read.getEnd(), text: ".get()" });
  }
  const notes = [
    `the value is loaded by \`lazy\` on the first \`${slot.text}.get()\` and kept${home.resets > 0 ? `; the ${home.resets} reset(s) elsewhere are now \`invalidate()\`` : ""}`,
    ...(matched.test === "falsy"
      ? ['a falsy value (`0`, `""`, `false`) is now kept rather than computed again on each call']
      : []),
    ...(promised ? ["concurrent callers now share one load, and a failed load is not kept"] : []),
    ...(finish.length === 0
      ? []
      : [
          `the ${finish.length} statement(s) after the fill that finished the value through \`${slot.text}\` now finish the load's \`${kept}\``,
        ]),
    ...(branches === undefined
      ? []
      : [
          `each of the ${branches.fills.length} branches that filled the slot now returns its value`,
        ]),
    ...(slot.field
      ? [`each instance holds a \`Lazy\` in \`${slot.text}\` (one object per instance)`]
      : []),
  ];
  return {
    ok: true,
    api: "lazy(load).get()",
    edits,
    imports: [lazy],
    notes,
  };
}

/**
 * The text of a promise chain whose last callback fills the slot, that fill and the return after
 * it written as `return value;` (the load's promise resolves to what the slot was filled with),
 * its lines after the first moved to `indent` with their nesting kept.
 * @param file - the file
 * @param chain - the chain the function returned
 * @param fill - the fill at the end of its last callback
 * @param indent - the indentation of the slot's declaration
 * @returns the chain's text
 */
function chainLoad(
  file: ts.SourceFile,
  chain: ts.Expression,
  fill: ThenFill,
  indent: string,
): string {
  const start = chain.getStart(file);
  const text = file.text.slice(start, chain.getEnd());
  const from = fill.statement.getStart(file) - start;
  const to = fill.returned.getEnd() - start;
  const replaced = `${text.slice(0, from)}return ${fill.value.getText(file)};${text.slice(to)}`;
  const lineStart = file.text.lastIndexOf("\n", start - 1) + 1;
  const base = /^[ \t]*/.exec(file.text.slice(lineStart))?.[0] ?? "";
  return replaced
    .split("\n")
    .map((line, i) =>
      i === 0 || line.trim() === ""
        ? line.trimEnd()
        : `${indent}${line.startsWith(base) ? line.slice(base.length) : line.trimStart()}`,
    )
    .join("\n");
}

/** A local name for the kept value, free in the file: the slot's name, else `value`. */
function freeLocal(names: ReadonlySet<string>, slotName: string): string {
  const base = /^[A-Za-z_$][\w$]*$/.test(slotName.replace(/^[#_]+/, ""))
    ? slotName.replace(/^[#_]+/, "")
    : "value";
  let name = base;
  for (let i = 2; names.has(name); i++) name = `${base}${i}`;
  return name;
}

/**
 * A statement's text with each of the given reads of the slot in it written as `local`.
 * @param file - the file
 * @param statement - the statement
 * @param reads - reads of the slot (those outside the statement are ignored)
 * @param local - the name that replaces them
 * @returns the text
 */
function withReads(
  file: ts.SourceFile,
  statement: ts.Statement,
  reads: readonly ts.Node[],
  local: string,
): string {
  const start = statement.getStart(file);
  let text = file.text.slice(start, statement.getEnd());
  const inside = reads
    .filter((r) => r.pos >= statement.pos && r.end <= statement.end)
    .sort((a, b) => b.getStart(file) - a.getStart(file));
  for (const read of inside)
    text = `${text.slice(0, read.getStart(file) - start)}${local}${text.slice(read.getEnd() - start)}`;
  return text;
}

/**
 * The text of an `if`/`else` whose branches fill the slot, each fill `S = value;` written as
 * `return value;` (the load returns what the slot was filled with), its lines moved to `indent`
 * with their nesting kept.
 * @param file - the file
 * @param branches - the `if` and its fills
 * @param indent - the indentation of the load's statements
 * @returns the statement's text
 */
function branchReturns(file: ts.SourceFile, branches: BranchFill, indent: string): string {
  const start = branches.statement.getStart(file);
  let text = file.text.slice(start, branches.statement.getEnd());
  for (const fill of [...branches.fills].sort((a, b) => b.pos - a.pos)) {
    let statement: ts.Node = fill;
    while (!ts.isExpressionStatement(statement)) statement = statement.parent;
    const from = statement.getStart(file) - start;
    const to = statement.getEnd() - start;
    text = `${text.slice(0, from)}return ${fill.right.getText(file)};${text.slice(to)}`;
  }
  const base =
    /^[ \t]*/.exec(file.text.slice(file.text.lastIndexOf("\n", start - 1) + 1))?.[0] ?? "";
  return text
    .split("\n")
    .map((line, i) =>
      i === 0
        ? indent + line
        : line.trim() === ""
          ? ""
          : indent + (line.startsWith(base) ? line.slice(base.length) : line.trimStart()),
    )
    .join("\n");
}

/**
 * A call in the compute whose result is assigned as is (`x = await this.readId()`, `x = readId()`)
 * to a method or function the file declares
 * with a written result type that admits an empty value (`Promise<string | undefined>`, `?T`,
 * `void`): its name, or undefined when there is none.
 */
function emptyResult(file: ts.SourceFile, statement: ts.Node): string | undefined {
  for (const call of findAll(statement, ts.isCallExpression)) {
    // Only a call whose result is what the slot is given (`slot = await this.readId()`): a chain
    // (`find().then((id) => …)`) decides what it keeps itself.
    let value: ts.Node = call;
    while (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent))
      value = value.parent;
    const given = value.parent;
    if (
      !ts.isBinaryExpression(given) ||
      given.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      given.right !== value
    )
      continue;
    const called = call.expression;
    const name =
      ts.isPropertyAccessExpression(called) && called.expression.kind === ts.SyntaxKind.ThisKeyword
        ? called.name.text
        : ts.isIdentifier(called)
          ? called.text
          : undefined;
    if (name === undefined) continue;
    const declared = findAll(
      file,
      (n): n is ts.MethodDeclaration | ts.FunctionDeclaration =>
        (ts.isMethodDeclaration(n) || ts.isFunctionDeclaration(n)) &&
        n.name !== undefined &&
        n.name.getText(file) === name &&
        (ts.isMethodDeclaration(n)
          ? ts.isPropertyAccessExpression(called)
          : ts.isIdentifier(called)),
    );
    if (
      declared.some(
        (d) =>
          d.type !== undefined && /\b(undefined|null|void)\b|\?\s*\w/.test(d.type.getText(file)),
      )
    )
      return called.getText(file);
  }
  return undefined;
}
