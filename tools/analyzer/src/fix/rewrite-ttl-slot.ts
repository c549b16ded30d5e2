import { ts } from "ts-morph";
import { findAll, isFunctionLike, soleStatement } from "../ast.js";
import { importName } from "./file-imports.js";
import { constantTtl, isNow } from "./memo-ttl.js";
import { inFinding, refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import { variableHome } from "./slot-home.js";
import { declaredNames, isPropertyName, isSlot, slotOf } from "./slot-shape.js";
import type { Slot } from "./slot-shape.js";
import type { TextEdit } from "./source-edit.js";
import { awaits } from "./statement-facts.js";

const bare = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) ? bare(node.expression) : node;

/** `x`, `x !== undefined`, `x != null`, `x !== null`: the slot's name when the test says it is filled. */
function filled(node: ts.Expression): { slot: Slot; falsy: boolean } | undefined {
  const n = bare(node);
  const slot = slotOf(n);
  if (slot !== undefined) return { slot, falsy: true };
  if (!ts.isBinaryExpression(n)) return undefined;
  const op = n.operatorToken.kind;
  const right = n.right.getText();
  const empty =
    (op === ts.SyntaxKind.ExclamationEqualsEqualsToken &&
      (right === "undefined" || right === "null")) ||
    (op === ts.SyntaxKind.ExclamationEqualsToken && (right === "undefined" || right === "null"));
  const left = slotOf(n.left);
  return empty && left !== undefined ? { slot: left, falsy: false } : undefined;
}

/** The stamp a freshness test reads: `Date.now() < stamp` (an expiry) or `Date.now() - stamp < TTL`. */
interface Freshness {
  readonly stamp: string;
  /** The TTL of a stored-time test (undefined: the stamp is an expiry). */
  readonly ttl?: ts.Expression;
}

function freshnessOf(node: ts.Expression, locals: ReadonlySet<string>): Freshness | undefined {
  const n = bare(node);
  if (!ts.isBinaryExpression(n)) return undefined;
  const op = n.operatorToken.kind;
  if (op !== ts.SyntaxKind.LessThanToken && op !== ts.SyntaxKind.GreaterThanToken) return undefined;
  const [small, big] = op === ts.SyntaxKind.LessThanToken ? [n.left, n.right] : [n.right, n.left];
  const s = bare(small);
  const b = bare(big);
  if (isNow(s) && ts.isIdentifier(b)) return { stamp: b.text };
  if (
    ts.isBinaryExpression(s) &&
    s.operatorToken.kind === ts.SyntaxKind.MinusToken &&
    isNow(bare(s.left)) &&
    ts.isIdentifier(bare(s.right))
  ) {
    const ttl = constantTtl(big, locals);
    return ttl === undefined ? undefined : { stamp: (bare(s.right) as ts.Identifier).text, ttl };
  }
  return undefined;
}

/** `stamp = Date.now()` (undefined TTL) or `stamp = Date.now() + TTL`: the TTL, `null` for a bare `Date.now()`. */
function stampWrite(
  statement: ts.Statement | undefined,
  stamp: string,
  locals: ReadonlySet<string>,
): ts.Expression | null | undefined {
  if (statement === undefined || !ts.isExpressionStatement(statement)) return undefined;
  const e = statement.expression;
  if (
    !ts.isBinaryExpression(e) ||
    e.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
    !ts.isIdentifier(e.left) ||
    e.left.text !== stamp
  )
    return undefined;
  const value = bare(e.right);
  if (isNow(value)) return null;
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const other = isNow(bare(value.left))
      ? value.right
      : isNow(bare(value.right))
        ? value.left
        : undefined;
    return other === undefined ? undefined : constantTtl(other, locals);
  }
  return undefined;
}

const thenReturn = (statement: ts.Statement): ts.Expression | undefined => {
  const only = soleStatement(statement);
  return only !== undefined && ts.isReturnStatement(only) ? only.expression : undefined;
};

/**
 * One value kept in a module variable with a clock stamp and returned while fresh →
 * `lazy(load, { ttl })` of `@perflayer/cache`:
 * `if (slot && Date.now() - loadedAt < TTL) return slot; slot = load; loadedAt = Date.now(); return slot;`
 * (or an expiry: `Date.now() < expiresAt`, `expiresAt = Date.now() + TTL`). The slot becomes
 * `const slot = lazy(() => load, { ttl: TTL })` where it is declared, the stamp's declaration
 * goes, and the function returns `slot.get()`. A TTL read from the loaded value after the fill
 * (`expiresAt = Date.now() + token.expiresIn`) becomes lazy's TTL function
 * (`ttl: (token) => token.expiresIn`). Refused: a stamp or slot read or written anywhere
 * else, exported, or declared with other values; a TTL that reads the function's parameters or
 * locals, the stamp, or the slot before it is filled; a load that reads the function's
 * parameters or locals.
 * @param input - the finding
 * @returns the rewrite, the refusal, or undefined when the finding has no such test
 */
export function rewriteTtlSlot(input: RewriteInput): Rewrite | Refusal | undefined {
  const { file } = input;
  const test = findAll(
    file,
    (n): n is ts.IfStatement =>
      ts.isIfStatement(n) &&
      inFinding(input, n) &&
      n.elseStatement === undefined &&
      ts.isBinaryExpression(bare(n.expression)) &&
      (bare(n.expression) as ts.BinaryExpression).operatorToken.kind ===
        ts.SyntaxKind.AmpersandAmpersandToken &&
      filled((bare(n.expression) as ts.BinaryExpression).left)?.slot.field === false,
  ).find((n) => {
    const e = bare(n.expression) as ts.BinaryExpression;
    return freshnessOf(e.right, new Set()) !== undefined;
  });
  if (test === undefined) return undefined;
  const condition = bare(test.expression) as ts.BinaryExpression;
  const { slot, falsy } = filled(condition.left) as { slot: Slot; falsy: boolean };
  const getter = test.parent.parent;
  if (!ts.isBlock(test.parent) || !isFunctionLike(getter) || getter.body !== test.parent)
    return refuse("the freshness test is not a statement of the function's body");
  const locals = declaredNames(getter);
  const fresh = freshnessOf(condition.right, locals);
  if (fresh === undefined)
    return refuse(
      `the TTL of \`${condition.right.getText(file)}\` is not the same on every call (it reads the function's parameters or locals, \`this\` or a call)`,
    );
  const returned = thenReturn(test.thenStatement);
  if (returned === undefined || !isSlot(returned, slot))
    return refuse(`the freshness test does not return \`${slot.text}\` alone`);
  const statements = getter.body.statements;
  const at = statements.indexOf(test);
  const [first, second, last, ...rest] = statements.slice(at + 1);
  if (rest.length > 0 || last === undefined || first === undefined || second === undefined)
    return refuse(
      `after the freshness test the function does more than fill \`${slot.text}\`, stamp it and return it`,
    );
  const fillOf = (s: ts.Statement): ts.Expression | undefined =>
    ts.isExpressionStatement(s) &&
    ts.isBinaryExpression(s.expression) &&
    s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    isSlot(s.expression.left, slot)
      ? s.expression.right
      : undefined;
  const value = fillOf(first) ?? fillOf(second);
  const stampStatement = fillOf(first) === undefined ? first : second;
  const written = stampWrite(stampStatement, fresh.stamp, locals);
  if (value === undefined || written === undefined)
    return refuse(
      `after the freshness test the function does not fill \`${slot.text}\` and stamp \`${fresh.stamp}\` with \`Date.now()\``,
    );
  if (
    !ts.isReturnStatement(last) ||
    last.expression === undefined ||
    !isSlot(last.expression, slot)
  )
    return refuse(`the function does not end by returning \`${slot.text}\``);
  // An expiry is written `Date.now() + TTL`, a stored time `Date.now()` and tested against a TTL.
  const ttl = fresh.ttl ?? written;
  if (ttl === null || (fresh.ttl !== undefined && written !== null))
    return refuse(
      `the stamp \`${fresh.stamp}\` is written as ${written === null ? "a time" : "an expiry"} but tested as ${fresh.ttl === undefined ? "an expiry" : "a time"}`,
    );
  const readsStamp = findAll(ttl, ts.isIdentifier).find(
    (n) => n.text === fresh.stamp && !isPropertyName(n),
  );
  if (readsStamp !== undefined)
    return refuse(`the TTL \`${ttl.getText(file)}\` reads the stamp \`${fresh.stamp}\` itself`);
  // A TTL read from the loaded value (`expiresAt = Date.now() + token.expiresIn`, after the fill):
  // lazy's TTL function of that value, called once per load as the stamp was written once.
  const fromValue = findAll(ttl, ts.isIdentifier).some(
    (n) => n.text === slot.name && !isPropertyName(n),
  );
  if (fromValue && fresh.ttl === undefined && stampStatement === first)
    return refuse(
      `the TTL \`${ttl.getText(file)}\` reads \`${slot.name}\` before it is filled (the previous value's)`,
    );
  if (stampStatement === first && awaits(value))
    return refuse(
      `\`${fresh.stamp}\` is stamped before the load finishes (lazy counts the TTL from when it finished)`,
    );
  const read = findAll(value, ts.isIdentifier).find(
    (n) =>
      (locals.has(n.text) || n.text === slot.name || n.text === "arguments") && !isPropertyName(n),
  );
  if (read !== undefined)
    return refuse(
      `the load reads \`${read.text}\`: a parameter or local of the function, or the slot itself`,
    );
  if (findAll(value, (n): n is ts.Node => n.kind === ts.SyntaxKind.ThisKeyword).length > 0)
    return refuse("the load reads `this`");
  const isAsync = (ts.getModifiers(getter) ?? []).some(
    (m) => m.kind === ts.SyntaxKind.AsyncKeyword,
  );
  if (awaits(value) && !isAsync) return refuse("the load awaits outside an async function");
  const home = variableHome(input, slot, getter);
  if (typeof home === "string") return refuse(home);
  const inGetter = (n: ts.Node): boolean => n.pos >= getter.pos && n.end <= getter.end;
  const stray = home.uses.find(
    (u) => !inGetter(u) && !home.declaredBy.some((d) => d.pos <= u.pos && u.end <= d.end),
  );
  if (stray !== undefined)
    return refuse(
      `the slot \`${slot.text}\` is also used outside its function (\`${stray.parent.getText(file).slice(0, 40)}\`)`,
    );
  // The stamp: a module variable declared alone with a number or nothing, used only here.
  const stamps = findAll(
    file,
    (n): n is ts.VariableDeclaration =>
      ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === fresh.stamp,
  );
  const stamp = stamps[0];
  const stampDeclaration = stamp?.parent.parent;
  if (
    stamps.length !== 1 ||
    stamp === undefined ||
    stampDeclaration === undefined ||
    !ts.isVariableStatement(stampDeclaration) ||
    stampDeclaration.declarationList.declarations.length !== 1 ||
    stampDeclaration.parent !== file ||
    (ts.getModifiers(stampDeclaration) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  )
    return refuse(
      `the stamp \`${fresh.stamp}\` is not a module variable declared alone (and not exported)`,
    );
  if (stamp.initializer !== undefined && !ts.isNumericLiteral(stamp.initializer))
    return refuse(`the stamp \`${fresh.stamp}\` starts with a value other than a number`);
  const stampUses = findAll(
    file,
    (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === fresh.stamp && !isPropertyName(n),
  ).filter((n) => n !== stamp.name);
  if (stampUses.some((u) => !inGetter(u)))
    return refuse(`the stamp \`${fresh.stamp}\` is read or written outside the function`);
  if (stampUses.length !== 2)
    return refuse(`the stamp \`${fresh.stamp}\` is read or written more than once in the function`);
  const lazy = importName(file, input.names, "@perflayer/cache", "lazy");
  const inner = isAsync && ts.isAwaitExpression(value) ? value.expression : value;
  const promised = isAsync || awaits(value);
  const type = home.type === undefined ? "" : `: ${isAsync ? `Promise<${home.type}>` : home.type}`;
  const asyncLoad = awaits(inner);
  const ttlText = fromValue ? `(${slot.name}) => ${ttl.getText(file)}` : ttl.getText(file);
  const load = `${lazy.local}(${asyncLoad ? "async " : ""}()${type} => ${inner.getText(file)}, { ttl: ${ttlText} })`;
  const lineOfStatement = (s: ts.Statement): TextEdit => {
    const start = file.text.lastIndexOf("\n", s.getStart(file) - 1);
    return { start: start < 0 ? s.getStart(file) : start, end: s.getEnd(), text: "" };
  };
  const edits: TextEdit[] = [
    home.declare(load),
    lineOfStatement(stampDeclaration),
    { start: test.getStart(file), end: last.getEnd(), text: `return ${slot.text}.get();` },
  ];
  return {
    ok: true,
    api: "lazy(load, { ttl }).get()",
    edits,
    imports: [lazy],
    notes: [
      `the value is loaded by \`lazy\` on the first \`${slot.text}.get()\` and loaded again once ${ttl.getText(file)} ms old (${fromValue ? "read from each loaded value, " : ""}counted from when the load finished, by core's clock)`,
      ...(fromValue
        ? [
            `a TTL that is not a number > 0 (\`NaN\` when the value has no such field) keeps the value for no time: the next call loads again, as the expired stamp did`,
          ]
        : []),
      ...(falsy
        ? ['a falsy value (`0`, `""`, `false`) is now kept rather than loaded again on each call']
        : []),
      ...(promised ? ["concurrent callers now share one load, and a failed load is not kept"] : []),
    ],
  };
}
