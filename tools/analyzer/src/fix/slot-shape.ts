import { ts } from "ts-morph";
import { findAll } from "../ast.js";

// The shapes of a single slot filled on first use, read by `rewriteSingleSlot`.

/** A slot: a variable (`cache`) or a field read through `this` (`this._value`, `this.#value`). */
export interface Slot {
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
export function slotOf(n: ts.Expression): Slot | undefined {
  const e = strip(n);
  if (ts.isIdentifier(e)) return { text: e.text, name: e.text, field: false };
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword)
    return { text: `this.${e.name.text}`, name: e.name.text, field: true };
  return undefined;
}

export const isSlot = (n: ts.Node | undefined, slot: Slot): boolean =>
  n !== undefined && ts.isExpression(n) && slotOf(n)?.text === slot.text;

const EMPTY_VALUES = new Set(["null", "undefined", "void 0"]);
export const isEmptyValue = (n: ts.Node | undefined): boolean =>
  n === undefined || EMPTY_VALUES.has(n.getText());

export const FILLS: ReadonlySet<ts.SyntaxKind> = new Set([
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

/** `return Promise.resolve(S);` */
const resolvesSlot = (s: ts.Statement | undefined, slot: Slot): boolean => {
  const e = s !== undefined && ts.isReturnStatement(s) ? s.expression : undefined;
  return (
    e !== undefined &&
    ts.isCallExpression(e) &&
    e.expression.getText() === "Promise.resolve" &&
    e.arguments.length === 1 &&
    isSlot(e.arguments[0], slot)
  );
};

/** The getter's tail, matched: where it starts, the compute, the value, and how "empty" was tested. */
export interface Matched {
  /** The first statement of the slot's logic (the ones before it stay). */
  readonly from: number;
  /** Statements computing the value (moved into the load). */
  readonly compute: readonly ts.Statement[];
  /** The value stored (undefined when {@link Matched.branches} fill it). */
  readonly value: ts.Expression | undefined;
  /** "falsy" or "nullish". */
  readonly test: string;
  /** The nodes of the logic that name the slot. */
  readonly uses: readonly ts.Node[];
  /**
   * When the fill is an `if` in the middle of the function: the reads of the slot after it (each
   * becomes `slot.get()`, the `if` goes and the rest of the function stays).
   */
  readonly reads?: readonly ts.Expression[];
  /**
   * When each branch of an `if`/`else` fills the slot (`if (c) S = A; else S = B;`): that `if`,
   * the last statement of the compute (each fill becomes `return value;` in the load), and its
   * fills. `value` is then undefined.
   */
  readonly branches?: BranchFill;
  /**
   * When the function returns a promise chain whose last callback fills the slot
   * (`if (S) return Promise.resolve(S); return load().then((v) => { …; S = v; return v; });`):
   * that fill and the return after it, which become `return v;` in the load. `value` is then the
   * chain, and the load returns its promise.
   */
  readonly thenFill?: ThenFill;
  /**
   * When the fill is followed by statements that finish the value through the slot
   * (`S = Buffer.alloc(5); S[0] = 1;`, `S = Symbol(k); refs.set(S, this);`): those statements.
   * In the load the value is kept in a local, each of their reads of the slot reads that local,
   * and the load returns it. They never write the slot itself.
   */
  readonly finish?: readonly ts.Statement[];
}

/** The fill at the end of a promise chain's last callback, and the return after it. */
export interface ThenFill {
  /** `S = v;` */
  readonly statement: ts.ExpressionStatement;
  /** The value the slot is filled with (`v`). */
  readonly value: ts.Expression;
  /** `return v;` or `return S;` */
  readonly returned: ts.ReturnStatement;
  /** The callback (its parameters are the load's own names). */
  readonly callback: ts.ArrowFunction | ts.FunctionExpression;
}

/**
 * `return chain.then((v) => { …; S = E; return E | S; })`: the fill at the end of the chain's
 * last callback, when the chain is written in place and its callback is a function with a block.
 * @param returned - the expression the function returns
 * @param slot - the slot
 * @returns the fill, or undefined
 */
function thenFillOf(returned: ts.Expression, slot: Slot): ThenFill | undefined {
  if (
    !ts.isCallExpression(returned) ||
    !ts.isPropertyAccessExpression(returned.expression) ||
    returned.expression.name.text !== "then" ||
    returned.arguments.length !== 1
  )
    return undefined;
  const callback = returned.arguments[0];
  if (
    callback === undefined ||
    !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ||
    !ts.isBlock(callback.body)
  )
    return undefined;
  const st = callback.body.statements;
  const fill = st[st.length - 2];
  const ret = st[st.length - 1];
  if (
    fill === undefined ||
    ret === undefined ||
    !ts.isExpressionStatement(fill) ||
    !ts.isReturnStatement(ret) ||
    ret.expression === undefined
  )
    return undefined;
  const e = strip(fill.expression);
  if (
    !ts.isBinaryExpression(e) ||
    e.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
    !isSlot(e.left, slot)
  )
    return undefined;
  // The callback returns what it stored: the slot, or the same name it was filled with.
  const back = strip(ret.expression);
  const value = strip(e.right);
  const same =
    isSlot(back, slot) ||
    (ts.isIdentifier(back) && ts.isIdentifier(value) && back.text === value.text);
  return same ? { statement: fill, value: e.right, returned: ret, callback } : undefined;
}

/**
 * An `if`/`else` each of whose branches ends by filling the slot (`S = value`), or a
 * `try`/`catch` whose attempt and catch each end so.
 */
export interface BranchFill {
  readonly statement: ts.IfStatement | ts.TryStatement;
  /** The fills (`S = value`), one per branch. */
  readonly fills: readonly ts.BinaryExpression[];
}

/**
 * `if (c) { …; S = A; } else { …; S = B; }` (an `else if` chain too, each branch ending by filling
 * the slot with `=`), or `try { …; S = A; } catch { …; S = B; }` (nested in either): its fills,
 * else undefined.
 * @param s - the statement
 * @param slot - the slot
 * @returns the branches' fills, or undefined
 */
export function branchFill(s: ts.Statement | undefined, slot: Slot): BranchFill | undefined {
  // `try { …; S = A; } catch { …; S = B; }`: the value is A unless the attempt threw, then B (no
  // `finally`, which could change either).
  const branches =
    s === undefined
      ? undefined
      : ts.isIfStatement(s)
        ? s.elseStatement === undefined
          ? undefined
          : [s.thenStatement, s.elseStatement]
        : ts.isTryStatement(s) && s.catchClause !== undefined && s.finallyBlock === undefined
          ? [s.tryBlock, s.catchClause.block]
          : undefined;
  if (s === undefined || branches === undefined || !(ts.isIfStatement(s) || ts.isTryStatement(s)))
    return undefined;
  const fills: ts.BinaryExpression[] = [];
  for (const branch of branches) {
    const last = statementsOf(branch).at(-1);
    if (last === undefined) return undefined;
    if (ts.isIfStatement(last) || ts.isTryStatement(last)) {
      const inner = branchFill(last, slot);
      if (inner === undefined) return undefined;
      fills.push(...inner.fills);
      continue;
    }
    const e = ts.isExpressionStatement(last) ? strip(last.expression) : undefined;
    if (
      e === undefined ||
      !ts.isBinaryExpression(e) ||
      e.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      !isSlot(e.left, slot)
    )
      return undefined;
    fills.push(e);
  }
  return { statement: s, fills };
}

/** Whether a statement writes the slot itself (`S = …`, `S ??= …`, `delete S`, `S++`). */
function writesSlot(s: ts.Node, slot: Slot): boolean {
  return slotUses(s, slot).some(
    (u) =>
      isSlot(u, slot) &&
      ((ts.isBinaryExpression(u.parent) &&
        u.parent.left === u &&
        u.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        u.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
        ts.isDeleteExpression(u.parent) ||
        ((ts.isPrefixUnaryExpression(u.parent) || ts.isPostfixUnaryExpression(u.parent)) &&
          u.parent.operand === u)),
  );
}

/**
 * `…; S = E; …finish`: the one statement that fills the slot with `=`, followed by statements
 * that finish the value (reading the slot, never writing it) — its index, value and the rest.
 * @param st - the statements, the fill among them
 * @param slot - the slot
 * @returns the fill and what follows it, or undefined (no such fill, or nothing follows it)
 */
function finishingFill(
  st: readonly ts.Statement[],
  slot: Slot,
): { at: number; value: ts.Expression; fill: ts.Expression; finish: ts.Statement[] } | undefined {
  const fills = st.flatMap((s, i) => {
    const e = ts.isExpressionStatement(s) ? strip(s.expression) : undefined;
    return e !== undefined &&
      ts.isBinaryExpression(e) &&
      e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isSlot(e.left, slot)
      ? [{ at: i, value: e.right, fill: (s as ts.ExpressionStatement).expression }]
      : [];
  });
  const [only] = fills;
  if (fills.length !== 1 || only === undefined) return undefined;
  const finish = st.slice(only.at + 1);
  if (
    finish.length === 0 ||
    st.slice(0, only.at).some((s) => slotUses(s, slot).some((u) => isSlot(u, slot))) ||
    finish.some((s) => writesSlot(s, slot) || ts.isReturnStatement(s))
  )
    return undefined;
  return { ...only, finish };
}

/**
 * `if (!S) { …; S = E; }` (no else), or `if (!S) { …; if (c) S = A; else S = B; }`: its compute,
 * value (or branches) and test, else undefined.
 */
function fillBlock(
  s: ts.Statement | undefined,
  slot: Slot,
):
  | {
      compute: readonly ts.Statement[];
      value: ts.Expression | undefined;
      test: string;
      fills: readonly ts.Expression[];
      branches?: BranchFill;
      finish?: readonly ts.Statement[];
    }
  | undefined {
  if (s === undefined || !ts.isIfStatement(s) || s.elseStatement !== undefined) return undefined;
  const test = emptyTest(s.expression, slot, false);
  if (test === undefined) return undefined;
  const inner = statementsOf(s.thenStatement);
  const fill = inner[inner.length - 1];
  const branches = branchFill(fill, slot);
  if (branches !== undefined)
    return { compute: inner.slice(0, -1), value: undefined, test, fills: branches.fills, branches };
  const value =
    fill !== undefined && ts.isExpressionStatement(fill)
      ? fillOf(fill.expression, slot)
      : undefined;
  // `if (!S) { …; S = E; …finish }`: statements after the fill finish the value.
  const finishing = value === undefined ? finishingFill(inner, slot) : undefined;
  if (finishing !== undefined)
    return {
      compute: inner.slice(0, finishing.at),
      value: finishing.value,
      test,
      fills: [finishing.fill],
      finish: finishing.finish,
    };
  return value === undefined || fill === undefined
    ? undefined
    : {
        compute: inner.slice(0, -1),
        value,
        test,
        fills: [(fill as ts.ExpressionStatement).expression],
      };
}

/**
 * Matches the end of a getter's statements:
 * `if (!S) { …; S = E; } return S;`, `if (S) return S; …; S = E; return S;` (or `S = x; return x;`),
 * `if (S) return S; return (S = E);`, `S ??= E; return S;`, `return S ?? (S = E);`, `return S ??= E;`.
 */
export function matchTail(st: readonly ts.Statement[], slot: Slot): Matched | string {
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
      uses: [prev.expression, ...filled.fills, ...(filled.finish ?? []), returned],
      ...(filled.branches === undefined ? {} : { branches: filled.branches }),
      ...(filled.finish === undefined ? {} : { finish: filled.finish }),
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
    // `S = x; return x;` returns what `return S` would: the local the slot was just filled with.
    const returnsFill =
      value !== undefined &&
      ts.isIdentifier(returned) &&
      ts.isIdentifier(value) &&
      returned.text === value.text &&
      ts.isBinaryExpression((prev as ts.ExpressionStatement).expression) &&
      ((prev as ts.ExpressionStatement).expression as ts.BinaryExpression).operatorToken.kind ===
        ts.SyntaxKind.EqualsToken;
    if (value !== undefined && (isSlot(returned, slot) || returnsFill) && prev !== undefined)
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
    // if (S) return S; …; S = E; …finish; return S;
    const finishing = isSlot(returned, slot)
      ? finishingFill(st.slice(guardAt + 1, -1), slot)
      : undefined;
    if (finishing !== undefined)
      return {
        from: guardAt,
        compute: st.slice(guardAt + 1, guardAt + 1 + finishing.at),
        value: finishing.value,
        test,
        uses: [guard.expression, hit as ts.Node, finishing.fill, ...finishing.finish, returned],
        finish: finishing.finish,
      };
    // if (S) return S; …; if (c) S = A; else S = B; return S;
    const branches = isSlot(returned, slot) ? branchFill(prev, slot) : undefined;
    if (branches !== undefined && guardAt < st.length - 2)
      return {
        from: guardAt,
        compute: st.slice(guardAt + 1, -2),
        value: undefined,
        test,
        uses: [guard.expression, hit as ts.Node, ...branches.fills, returned],
        branches,
      };
  }
  // if (S) return Promise.resolve(S); return load().then((v) => { …; S = v; return v; });
  const resolvedAt = st.findIndex(
    (s) =>
      ts.isIfStatement(s) &&
      s.elseStatement === undefined &&
      emptyTest(s.expression, slot, true) !== undefined &&
      statementsOf(s.thenStatement).length === 1 &&
      resolvesSlot(statementsOf(s.thenStatement)[0], slot),
  );
  const resolved = st[resolvedAt] as ts.IfStatement | undefined;
  const chained = resolved === undefined ? undefined : thenFillOf(returned, slot);
  if (resolved !== undefined && chained !== undefined && resolvedAt === st.length - 2)
    return {
      from: resolvedAt,
      compute: [],
      value: returned,
      test: emptyTest(resolved.expression, slot, true) as string,
      uses: [
        resolved.expression,
        statementsOf(resolved.thenStatement)[0] as ts.Node,
        chained.statement,
        chained.returned,
      ],
      thenFill: chained,
    };
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
        uses: [
          (st[at] as ts.IfStatement).expression,
          ...block.fills,
          ...(block.finish ?? []),
          ...reads,
        ],
        reads,
        ...(block.branches === undefined ? {} : { branches: block.branches }),
        ...(block.finish === undefined ? {} : { finish: block.finish }),
      };
  }
  return "the slot is not filled in a shape recognised (`if (!slot) slot = compute(); return slot;`, `if (slot) return slot; …; slot = value; return slot;`, `return slot ??= compute();`)";
}

/** Every node under `root` that names the slot (a variable by name, a field through any object). */
export function slotUses(root: ts.Node, slot: Slot): ts.Expression[] {
  return findAll(root, (n): n is ts.Expression =>
    slot.field
      ? ts.isPropertyAccessExpression(n) && n.name.text === slot.name
      : ts.isIdentifier(n) && n.text === slot.name && !isPropertyName(n),
  );
}

/** Whether an identifier names a property (`o.name`, `{ name: … }`), not a variable. */
export const isPropertyName = (n: ts.Identifier): boolean =>
  (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) ||
  (ts.isPropertyAssignment(n.parent) && n.parent.name === n);

export const lineOf = (file: ts.SourceFile, n: ts.Node): number =>
  file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1;

/** Names declared in a function (its parameters and locals), which a load made elsewhere cannot read. */
export function declaredNames(fn: ts.Node): Set<string> {
  return new Set(
    findAll(
      fn,
      (n): n is ts.VariableDeclaration | ts.ParameterDeclaration | ts.FunctionDeclaration =>
        ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isFunctionDeclaration(n),
    ).flatMap((d) => (d.name !== undefined && ts.isIdentifier(d.name) ? [d.name.text] : [])),
  );
}
