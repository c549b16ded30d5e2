import { ts } from "ts-morph";
import { findAll, isFunctionLike } from "../ast.js";
import { importName } from "./file-imports.js";
import { inFinding, refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import type { TextEdit } from "./source-edit.js";
import { awaits } from "./statement-facts.js";

/** A slot: a variable (`cache`) or a field read through `this` (`this._value`, `this.#value`). */
interface Slot {
  /** How the slot is spelled (`cache`, `this._value`). */
  readonly text: string;
  /** The variable's or field's name. */
  readonly name: string;
  /** Whether it is a field. */
  readonly field: boolean;
}

const strip = (n: ts.Expression): ts.Expression => {
  let e = n;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e))
    e = e.expression;
  return e;
};

/** The slot an expression names, if it is one. */
function slotOf(n: ts.Expression): Slot | undefined {
  const e = strip(n);
  if (ts.isIdentifier(e)) return { text: e.text, name: e.text, field: false };
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword)
    return { text: `this.${e.name.text}`, name: e.name.text, field: true };
  return undefined;
}

const isSlot = (n: ts.Node | undefined, slot: Slot): boolean =>
  n !== undefined && ts.isExpression(n) && slotOf(n)?.text === slot.text;

const EMPTY_VALUES = new Set(["null", "undefined", "void 0"]);
const isEmptyValue = (n: ts.Node | undefined): boolean =>
  n === undefined || EMPTY_VALUES.has(n.getText());

const FILLS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
]);

/** `S = E`, `S ??= E`, `S ||= E` on `slot`: the value, else undefined. */
function fillOf(n: ts.Node | undefined, slot: Slot): ts.Expression | undefined {
  if (n === undefined) return undefined;
  const e = ts.isExpression(n) ? strip(n) : n;
  return ts.isBinaryExpression(e) && FILLS.has(e.operatorToken.kind) && isSlot(e.left, slot)
    ? e.right
    : undefined;
}

/** How a test says the slot is empty (`!S`, `S == null`, `S === undefined`): "falsy", "nullish", or undefined. */
function emptyTest(test: ts.Expression, slot: Slot, negated: boolean): string | undefined {
  const t = strip(test);
  if (ts.isPrefixUnaryExpression(t) && t.operator === ts.SyntaxKind.ExclamationToken)
    return emptyTest(t.operand, slot, !negated);
  if (isSlot(t, slot)) return negated ? "falsy" : undefined;
  if (!ts.isBinaryExpression(t) || !isSlot(t.left, slot) || !isEmptyValue(t.right))
    return undefined;
  const op = t.operatorToken.kind;
  const equal =
    op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken;
  const unequal =
    op === ts.SyntaxKind.ExclamationEqualsToken ||
    op === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  return (equal && !negated) || (unequal && negated) ? "nullish" : undefined;
}

const statementsOf = (s: ts.Statement): readonly ts.Statement[] =>
  ts.isBlock(s) ? s.statements : [s];

const returnsSlot = (s: ts.Statement | undefined, slot: Slot): boolean =>
  s !== undefined &&
  ts.isReturnStatement(s) &&
  s.expression !== undefined &&
  isSlot(s.expression, slot);

/** The getter's tail, matched: where it starts, the compute, the value, and how "empty" was tested. */
interface Matched {
  /** The first statement of the slot's logic (the ones before it stay). */
  readonly from: number;
  /** Statements computing the value (moved into the load). */
  readonly compute: readonly ts.Statement[];
  /** The value stored. */
  readonly value: ts.Expression;
  /** "falsy" or "nullish". */
  readonly test: string;
  /** The nodes of the logic that name the slot. */
  readonly uses: readonly ts.Node[];
  /**
   * When the fill is an `if` in the middle of the function: the reads of the slot after it (each
   * becomes `slot.get()`, the `if` goes and the rest of the function stays).
   */
  readonly reads?: readonly ts.Expression[];
}

/** `if (!S) { …; S = E; }` (no else): its compute, value and test, else undefined. */
function fillBlock(
  s: ts.Statement | undefined,
  slot: Slot,
):
  | { compute: readonly ts.Statement[]; value: ts.Expression; test: string; fill: ts.Expression }
  | undefined {
  if (s === undefined || !ts.isIfStatement(s) || s.elseStatement !== undefined) return undefined;
  const test = emptyTest(s.expression, slot, false);
  const inner = statementsOf(s.thenStatement);
  const fill = inner[inner.length - 1];
  const value =
    fill !== undefined && ts.isExpressionStatement(fill)
      ? fillOf(fill.expression, slot)
      : undefined;
  return test === undefined || value === undefined || fill === undefined
    ? undefined
    : {
        compute: inner.slice(0, -1),
        value,
        test,
        fill: (fill as ts.ExpressionStatement).expression,
      };
}

/**
 * Matches the end of a getter's statements:
 * `if (!S) { …; S = E; } return S;`, `if (S) return S; …; S = E; return S;`,
 * `if (S) return S; return (S = E);`, `S ??= E; return S;`, `return S ?? (S = E);`, `return S ??= E;`.
 */
function matchTail(st: readonly ts.Statement[], slot: Slot): Matched | string {
  const last = st[st.length - 1];
  const prev = st[st.length - 2];
  if (last === undefined || !ts.isReturnStatement(last) || last.expression === undefined)
    return "the function does not end by returning the slot";
  const returned = strip(last.expression);
  // return S ?? (S = E) / return S || (S = E)
  if (
    ts.isBinaryExpression(returned) &&
    isSlot(returned.left, slot) &&
    (returned.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      returned.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    const value = fillOf(returned.right, slot);
    if (value !== undefined)
      return {
        from: st.length - 1,
        compute: [],
        value,
        test: returned.operatorToken.kind === ts.SyntaxKind.BarBarToken ? "falsy" : "nullish",
        uses: [returned.left, returned.right],
      };
  }
  // return S ??= E
  const compound = fillOf(returned, slot);
  if (compound !== undefined && ts.isBinaryExpression(returned)) {
    const kind = returned.operatorToken.kind;
    if (kind !== ts.SyntaxKind.EqualsToken)
      return {
        from: st.length - 1,
        compute: [],
        value: compound,
        test: kind === ts.SyntaxKind.BarBarEqualsToken ? "falsy" : "nullish",
        uses: [returned],
      };
  }
  // S ??= E; return S;
  if (
    prev !== undefined &&
    ts.isExpressionStatement(prev) &&
    isSlot(returned, slot) &&
    ts.isBinaryExpression(prev.expression) &&
    prev.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken
  ) {
    const value = fillOf(prev.expression, slot);
    if (value !== undefined)
      return {
        from: st.length - 2,
        compute: [],
        value,
        test:
          prev.expression.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken
            ? "falsy"
            : "nullish",
        uses: [prev.expression, returned],
      };
  }
  // if (!S) { …; S = E; } return S;
  const filled = isSlot(returned, slot) ? fillBlock(prev, slot) : undefined;
  if (filled !== undefined && prev !== undefined && ts.isIfStatement(prev))
    return {
      from: st.length - 2,
      compute: filled.compute,
      value: filled.value,
      test: filled.test,
      uses: [prev.expression, filled.fill, returned],
    };
  // if (S) return S; …; S = E; return S;   or   if (S) return S; …; return (S = E);
  const guardAt = st.findIndex(
    (s) =>
      ts.isIfStatement(s) &&
      s.elseStatement === undefined &&
      emptyTest(s.expression, slot, true) !== undefined &&
      statementsOf(s.thenStatement).length === 1 &&
      returnsSlot(statementsOf(s.thenStatement)[0], slot),
  );
  const guard = st[guardAt] as ts.IfStatement | undefined;
  if (guard !== undefined) {
    const test = emptyTest(guard.expression, slot, true) as string;
    const hit = (statementsOf(guard.thenStatement)[0] as ts.ReturnStatement).expression;
    const direct = fillOf(returned, slot);
    if (direct !== undefined && ts.isBinaryExpression(returned))
      return {
        from: guardAt,
        compute: st.slice(guardAt + 1, -1),
        value: direct,
        test,
        uses: [guard.expression, hit as ts.Node, returned],
      };
    const value =
      prev !== undefined && ts.isExpressionStatement(prev)
        ? fillOf(prev.expression, slot)
        : undefined;
    if (value !== undefined && isSlot(returned, slot) && prev !== undefined)
      return {
        from: guardAt,
        compute: st.slice(guardAt + 1, -2),
        value,
        test,
        uses: [
          guard.expression,
          hit as ts.Node,
          (prev as ts.ExpressionStatement).expression,
          returned,
        ],
      };
  }
  // if (!S) { …; S = E; } …statements that read S
  const at = st.findIndex((s) => fillBlock(s, slot) !== undefined);
  const block = fillBlock(st[at], slot);
  if (block !== undefined && !st.slice(0, at).some((s) => slotUses(s, slot).length > 0)) {
    const reads = st.slice(at + 1).flatMap((s) => slotUses(s, slot).filter((u) => isSlot(u, slot)));
    const written = reads.find(
      (u) =>
        (ts.isBinaryExpression(u.parent) && u.parent.left === u) ||
        ts.isDeleteExpression(u.parent) ||
        ((ts.isPrefixUnaryExpression(u.parent) || ts.isPostfixUnaryExpression(u.parent)) &&
          u.parent.operand === u),
    );
    if (written !== undefined)
      return `the slot is written again after it is filled (\`${written.parent.getText().slice(0, 40)}\`)`;
    if (reads.length > 0)
      return {
        from: at,
        compute: block.compute,
        value: block.value,
        test: block.test,
        uses: [(st[at] as ts.IfStatement).expression, block.fill, ...reads],
        reads,
      };
  }
  return "the slot is not filled in a shape recognised (`if (!slot) slot = compute(); return slot;`, `if (slot) return slot; …; slot = value; return slot;`, `return slot ??= compute();`)";
}

/** Every node under `root` that names the slot (a variable by name, a field through any object). */
function slotUses(root: ts.Node, slot: Slot): ts.Expression[] {
  return findAll(root, (n): n is ts.Expression =>
    slot.field
      ? ts.isPropertyAccessExpression(n) && n.name.text === slot.name
      : ts.isIdentifier(n) && n.text === slot.name && !isPropertyName(n),
  );
}

/** Whether an identifier names a property (`o.name`, `{ name: … }`), not a variable. */
const isPropertyName = (n: ts.Identifier): boolean =>
  (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) ||
  (ts.isPropertyAssignment(n.parent) && n.parent.name === n);

const lineOf = (file: ts.SourceFile, n: ts.Node): number =>
  file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1;

/** The type a slot's declaration writes, without `undefined` and `null` (a JSDoc type too). */
function heldType(declared: ts.TypeNode | undefined): string | undefined | false {
  if (declared === undefined) return undefined;
  const parts = ts.isUnionTypeNode(declared) ? declared.types : [declared];
  const kept = parts.filter(
    (t) =>
      t.kind !== ts.SyntaxKind.UndefinedKeyword &&
      !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
  );
  if (kept.length === 0) return false;
  return kept.map((t) => t.getText()).join(" | ");
}

/** Names declared in a function (its parameters and locals), which a load made elsewhere cannot read. */
function declaredNames(fn: ts.Node): Set<string> {
  return new Set(
    findAll(
      fn,
      (n): n is ts.VariableDeclaration | ts.ParameterDeclaration | ts.FunctionDeclaration =>
        ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isFunctionDeclaration(n),
    ).flatMap((d) => (d.name !== undefined && ts.isIdentifier(d.name) ? [d.name.text] : [])),
  );
}

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
  let fn: ts.Node | undefined = fill.parent;
  while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  if (fn === undefined || !isFunctionLike(fn) || fn.body === undefined)
    return refuse(`the slot \`${slot.text}\` is filled outside a function`);
  const getter = fn;
  const body = getter.body;
  if (body === undefined || !ts.isBlock(body))
    return refuse(`the function that fills \`${slot.text}\` has no block body`);
  const statements = body.statements;
  const matched = matchTail(statements, slot);
  if (typeof matched === "string") return refuse(matched);
  const { compute, value } = matched;
  const computed = [...compute, value];
  // The load runs where the slot is declared: it cannot read the function's parameters or locals.
  const locals = declaredNames(getter);
  for (const s of compute) for (const name of declaredNames(s)) locals.delete(name);
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
  const type = home.type === undefined ? "" : `: ${isAsync ? `Promise<${home.type}>` : home.type}`;
  const indent = home.indent;
  const loadBody =
    compute.length === 0
      ? ` ${(ts.isAwaitExpression(value) && isAsync ? value.expression : value).getText(file)}`
      : ` {\n${[...compute.map((s) => s.getText(file)), `return ${value.getText(file)};`]
          .map((l) =>
            l
              .split("\n")
              .map((x) => `${indent}  ${x.trimStart()}`)
              .join("\n"),
          )
          .join("\n")}\n${indent}}`;
  const asyncLoad = isAsync && !(compute.length === 0 && ts.isAwaitExpression(value));
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
    ...(isAsync ? ["concurrent callers now share one load, and a failed load is not kept"] : []),
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

/** Where the slot lives: its uses, what declares it, and the edit that makes it lazy. */
interface SlotHome {
  readonly uses: readonly ts.Expression[];
  /** Names declared where the load is made that the getter does not see. */
  readonly shadows: ReadonlySet<string>;
  readonly declaredBy: readonly ts.Node[];
  readonly type: string | undefined;
  readonly indent: string;
  readonly resets: number;
  readonly declare: (load: string) => TextEdit;
}

const indentOf = (file: ts.SourceFile, n: ts.Node): string =>
  /^[ \t]*/.exec(file.text.slice(file.text.lastIndexOf("\n", n.getStart(file)) + 1))?.[0] ?? "";

function countResets(uses: readonly ts.Expression[]): number {
  return uses.filter(
    (u) =>
      (ts.isBinaryExpression(u.parent) && u.parent.left === u && isEmptyValue(u.parent.right)) ||
      ts.isDeleteExpression(u.parent),
  ).length;
}

/** A variable slot: declared alone with no value (or null/undefined), not exported, not shadowed. */
function variableHome(input: RewriteInput, slot: Slot, getter: ts.Node): SlotHome | string {
  const { file } = input;
  const declarations = findAll(
    file,
    (n): n is ts.VariableDeclaration | ts.ParameterDeclaration | ts.FunctionDeclaration =>
      (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isFunctionDeclaration(n)) &&
      n.name !== undefined &&
      ts.isIdentifier(n.name) &&
      n.name.text === slot.name,
  );
  if (declarations.length !== 1)
    return declarations.length === 0
      ? `the slot \`${slot.name}\` is not declared in this file`
      : `the name \`${slot.name}\` is declared ${declarations.length} times in this file`;
  const declaration = declarations[0];
  if (declaration === undefined || !ts.isVariableDeclaration(declaration))
    return `the slot \`${slot.name}\` is a parameter or function, not a variable`;
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1)
    return `the slot \`${slot.name}\` is not declared alone`;
  if ((ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    return `the slot \`${slot.name}\` is exported: other modules may read it`;
  if (!isEmptyValue(declaration.initializer))
    return `the slot \`${slot.name}\` starts with a value (\`${declaration.initializer?.getText(file).slice(0, 40)}\`)`;
  // The getter must sit in the scope that declares the slot (the load is made there).
  let scope: ts.Node = statement.parent;
  while (!ts.isSourceFile(scope) && !isFunctionLike(scope)) scope = scope.parent;
  if (statement.pos >= getter.pos && statement.end <= getter.end)
    return `\`${slot.name}\` is a local of the function that fills it, not a slot kept between calls`;
  if (!(getter.pos >= scope.pos && getter.end <= scope.end))
    return `the slot \`${slot.name}\` is filled outside the scope that declares it`;
  for (let f: ts.Node = getter.parent; f !== scope; f = f.parent)
    if (isFunctionLike(f))
      return `the function that fills \`${slot.name}\` is nested in another function than the slot's`;
  const uses = slotUses(scope, slot);
  const jsDoc = ts.getJSDocType(declaration);
  const held = heldType(declaration.type ?? jsDoc);
  if (held === false) return `the slot \`${slot.name}\` is typed as always empty`;
  return {
    uses,
    shadows: new Set(),
    declaredBy: [declaration.name],
    type: declaration.type !== undefined ? held : undefined,
    indent: indentOf(file, statement),
    resets: countResets(uses),
    declare: (load) => ({
      start: statement.getStart(file),
      end: statement.getEnd(),
      text: `const ${slot.name} = ${load};`,
    }),
  };
}

/** A field slot: private (`#x`, `private`, a JavaScript `_x`), declared in the class or set empty in its constructor. */
function fieldHome(input: RewriteInput, slot: Slot, getter: ts.Node): SlotHome | string {
  const { file } = input;
  let cls: ts.Node | undefined = getter.parent;
  while (cls !== undefined && !ts.isClassLike(cls)) cls = cls.parent;
  if (cls === undefined || !ts.isClassLike(cls) || getter.parent !== cls)
    return `the slot \`${slot.text}\` is filled outside a method of its class (e.g. in a function-style constructor)`;
  const js = /\.[cm]?jsx?$/.test(file.fileName);
  const declared = cls.members.find(
    (m): m is ts.PropertyDeclaration =>
      ts.isPropertyDeclaration(m) && m.name.getText(file) === slot.name,
  );
  const priv =
    slot.name.startsWith("#") ||
    (declared !== undefined &&
      (ts.getModifiers(declared) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) ||
    (js && slot.name.startsWith("_"));
  if (!priv)
    return `the field \`${slot.text}\` is not private (\`#${slot.name.replace(/^#/, "")}\`, \`private\`, or \`_\` in JavaScript): other code may read it`;
  const uses = slotUses(file, slot);
  const foreign = uses.find(
    (u) =>
      !(ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword) ||
      !(u.pos >= cls.pos && u.end <= cls.end),
  );
  if (foreign !== undefined)
    return `the field \`${slot.name}\` is read on another object or outside the class (line ${lineOf(file, foreign)}: \`${foreign.getText(file).slice(0, 40)}\`)`;
  const ctor = cls.members.find(ts.isConstructorDeclaration);
  const ctorInit = ctor?.body?.statements.find(
    (s): s is ts.ExpressionStatement =>
      ts.isExpressionStatement(s) &&
      ts.isBinaryExpression(s.expression) &&
      s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isSlot(s.expression.left, slot),
  );
  if (ctorInit !== undefined && !isEmptyValue((ctorInit.expression as ts.BinaryExpression).right))
    return `the constructor sets \`${slot.text}\` to a value (\`${ctorInit.getText(file).slice(0, 40)}\`)`;
  if (declared !== undefined && !isEmptyValue(declared.initializer))
    return `the field \`${slot.name}\` starts with a value (\`${declared.initializer?.getText(file).slice(0, 40)}\`)`;
  const held = heldType(
    declared?.type ?? (declared === undefined ? undefined : ts.getJSDocType(declared)),
  );
  if (held === false) return `the field \`${slot.name}\` is typed as always empty`;
  const base = {
    uses,
    shadows: new Set<string>(),
    type: declared?.type !== undefined ? held : undefined,
    resets: countResets(uses),
  };
  if (ctorInit !== undefined) {
    const right = (ctorInit.expression as ts.BinaryExpression).right;
    const edits: TextEdit = { start: right.getStart(file), end: right.getEnd(), text: "" };
    if (declared !== undefined && declared.type !== undefined)
      return `the field \`${slot.name}\` is both declared with a type and set in the constructor`;
    return {
      ...base,
      shadows: ctor === undefined ? new Set<string>() : declaredNames(ctor),
      declaredBy: [ctorInit],
      indent: indentOf(file, ctorInit),
      declare: (load) => ({ ...edits, text: load }),
    };
  }
  // A field initialiser of a derived class runs after `super()`: a base constructor that reads
  // the slot (through a method) would find no lazy value yet.
  const derived = (cls.heritageClauses ?? []).some((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  if (derived)
    return `the class extends another and \`${slot.text}\` is not set in its constructor: a lazy field would be initialised after \`super()\`, which may read it first`;
  if (declared !== undefined) {
    const modifiers = (ts.getModifiers(declared) ?? [])
      .filter((m) => m.kind !== ts.SyntaxKind.ReadonlyKeyword && !ts.isDecorator(m))
      .map((m) => m.getText(file));
    if ((ts.getDecorators(declared) ?? []).length > 0)
      return `the field \`${slot.name}\` is decorated`;
    return {
      ...base,
      declaredBy: [declared],
      indent: indentOf(file, declared),
      declare: (load) => ({
        start: declared.getStart(file),
        end: declared.getEnd(),
        text: `${[...modifiers, ...(js ? [] : ["readonly"]), slot.name].join(" ")} = ${load};`,
      }),
    };
  }
  if (!js) return `the field \`${slot.text}\` is not declared in its class`;
  // A JavaScript class that never declares the field: declare it first in the class body.
  const open = cls.members.pos;
  return {
    ...base,
    declaredBy: [],
    indent: indentOf(file, cls.members[0] ?? cls),
    declare: (load) => ({
      start: open,
      end: open,
      text: `\n${indentOf(file, cls.members[0] ?? cls)}${slot.name} = ${load};`,
    }),
  };
}
