import { ts } from "ts-morph";
import { findAll } from "../ast.js";
import { undefinedValue, writtenReturnType, writtenValueType } from "./defined-value.js";
import { importName } from "./file-imports.js";
import { directValue, matchMemoBody, missTest } from "./memo-body.js";
import { arrowResult, typedKey } from "./own-store-memo.js";
import { refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import { capturedBetween, isReference, ownNames } from "./scope-captures.js";
import type { TextEdit } from "./source-edit.js";

/** What {@link nestedMemo} reads: the outer map's declaration and the one function using it. */
export interface NestedMemoInput {
  readonly input: RewriteInput;
  /** `const outer = new WeakMap()`, at the module's top level or in a function. */
  readonly declaration: ts.VariableDeclaration;
  /** The function that reads and fills it (the only place it is named). */
  readonly fn: ts.FunctionLikeDeclaration;
  /** How many times the code names the outer map (its declaration apart). */
  readonly useCount: number;
  /** Where the outer map is made, when the function is nested in a scope below it (else undefined). */
  readonly home: ts.Node | undefined;
  /** The outer map is a `WeakMap` (else a `Map` made per call of a function). */
  readonly weak: boolean;
}

/** `name.method(arg)` with `arg` an identifier: the argument's name, else undefined. */
function callOn(node: ts.Node | undefined, name: string, method: string): string | undefined {
  let n = node;
  while (n !== undefined && (ts.isParenthesizedExpression(n) || ts.isAsExpression(n)))
    n = n.expression;
  if (
    n === undefined ||
    !ts.isCallExpression(n) ||
    !ts.isPropertyAccessExpression(n.expression) ||
    n.expression.expression.getText() !== name ||
    n.expression.name.text !== method
  )
    return undefined;
  const args = n.arguments.map((a) => a.getText());
  return method === "set" ? args.join(",") : args.length === 1 ? args[0] : undefined;
}

/** The `new WeakMap()` / `new Map()` an inner store is made with, without arguments. */
function innerStore(node: ts.Expression): "WeakMap" | "Map" | undefined {
  if (!ts.isNewExpression(node) || (node.arguments?.length ?? 0) > 0) return undefined;
  const cls = node.expression.getText();
  return cls === "WeakMap" || cls === "Map" ? cls : undefined;
}

/** The lines of `text` after the first, moved from `from`'s indentation to `to`'s. */
function reindent(text: string, from: string, to: string): string {
  return text
    .split("\n")
    .map((line, i) =>
      i === 0 ? line : to + (line.startsWith(from) ? line.slice(from.length) : line.trimStart()),
    )
    .join("\n");
}

/** The indentation of the line a node starts on. */
function indentOf(file: ts.SourceFile, node: ts.Node): string {
  const start = node.getStart(file);
  return /^[ \t]*/.exec(file.text.slice(file.text.lastIndexOf("\n", start - 1) + 1))?.[0] ?? "";
}

/**
 * A memo of two keys kept as a map of maps: a `WeakMap` (or a `Map` made per call of a function)
 * from the first key to a map
 * (made on the first miss) from the second key to the value —
 * `let inner = outer.get(a); if (!inner) { inner = new WeakMap(); outer.set(a, inner); }` and then
 * the get-or-compute shape over `inner` with the key `b` — →
 * `const outer = memoizeWeak((a) => memoizeWeak((b) => compute))` where the outer map was made (a
 * `Map`: `memoizeLocal`), the function returning `outer(a)(b)`. Results still go with the first
 * key object of a `WeakMap`; statements before the lookup (guards that return early) stay in the
 * function. Refused: a compute that reads another parameter or local of the function, or a
 * variable of a scope between the map and its function.
 * @param nested - the outer map and its function
 * @returns the rewrite or the refusal; undefined when the function is not this shape
 */
export function nestedMemo(nested: NestedMemoInput): Rewrite | Refusal | undefined {
  const { input, declaration, fn, useCount, home, weak } = nested;
  const { file } = input;
  const outer = (declaration.name as ts.Identifier).text;
  const body = fn.body;
  if (body === undefined || !ts.isBlock(body)) return undefined;
  const st = body.statements;
  const at = st.findIndex(
    (s) =>
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.length === 1 &&
      callOn(s.declarationList.declarations[0]?.initializer, outer, "get") !== undefined,
  );
  if (at < 0) return undefined;
  const lookup = st[at] as ts.VariableStatement;
  const got = lookup.declarationList.declarations[0] as ts.VariableDeclaration;
  const made = st[at + 1];
  if (!ts.isIdentifier(got.name) || made === undefined || !ts.isIfStatement(made)) return undefined;
  const inner = got.name.text;
  const first = callOn(got.initializer, outer, "get") as string;
  const fill = ts.isBlock(made.thenStatement) ? made.thenStatement.statements : [];
  const [assign, store] = fill;
  const innerKind =
    assign !== undefined &&
    ts.isExpressionStatement(assign) &&
    ts.isBinaryExpression(assign.expression) &&
    assign.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    assign.expression.left.getText(file) === inner
      ? innerStore(assign.expression.right)
      : undefined;
  if (
    (lookup.declarationList.flags & ts.NodeFlags.Let) === 0 ||
    made.elseStatement !== undefined ||
    !missTest(made.expression, inner) ||
    fill.length !== 2 ||
    innerKind === undefined ||
    store === undefined ||
    !ts.isExpressionStatement(store) ||
    callOn(store.expression, outer, "set") !== `${first},${inner}`
  )
    return undefined;
  // From here on the shape is a map of maps: a refusal says why it is not rewritten.
  const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  const firstParam = fn.parameters[params.indexOf(first)];
  if (firstParam === undefined || firstParam.initializer !== undefined)
    return refuse(
      `the map of maps \`${outer}\` is keyed by \`${first}\`, not a parameter of its function`,
    );
  if (useCount !== 2)
    return refuse(
      `the map \`${outer}\` is used more than to get and set \`${first}\`'s map in its function`,
    );
  const prefix = st.slice(0, at);
  if (
    prefix.some((s) =>
      findAll(s, ts.isIdentifier).some((id) => id.text === inner || id.text === outer),
    )
  )
    return refuse(`the map \`${outer}\` is read before its lookup`);
  const tail = st.slice(at + 2);
  // The second key: the argument of the inner map's `get`/`has` in the statement after.
  const second = tail
    .flatMap((s) => findAll(s, ts.isCallExpression))
    .map((c) => callOn(c, inner, "get") ?? callOn(c, inner, "has"))
    .find((k) => k !== undefined);
  const secondParam = second === undefined ? undefined : fn.parameters[params.indexOf(second)];
  if (
    second === undefined ||
    second === first ||
    secondParam === undefined ||
    secondParam.initializer !== undefined
  )
    return refuse(
      `the inner map \`${inner}\` is not keyed by a second parameter of the function (${second === undefined ? "no lookup" : `\`${second}\``})`,
    );
  const innerUses = tail.flatMap((s) =>
    findAll(s, (n): n is ts.Identifier => ts.isIdentifier(n) && n.text === inner),
  ).length;
  const [firstType, innerType] = innerTypes(declaration);
  const [secondType, valueType] =
    innerType !== undefined && ts.isTypeReferenceNode(innerType)
      ? [innerType.typeArguments?.[0], innerType.typeArguments?.[1]]
      : [undefined, undefined];
  const matched = matchMemoBody(file, fn, inner, innerUses, undefined, false, {
    statements: tail,
    param: secondParam,
  });
  if (!("body" in matched)) return matched;
  const { compute, value, computeFrom, ttl, built } = matched;
  if (built !== undefined)
    return refuse(
      `the inner value \`${built.name}\` is built up after it is made, before it is stored (not carried over into a memo of memos)`,
    );
  if (ttl !== undefined)
    return refuse(`the inner map \`${inner}\` keeps entries that expire: memoizeWeak has no TTL`);
  const isAsync = (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const type = valueType ?? writtenReturnType(fn);
  if (/^Promise\s*</.test(type?.getText(file) ?? "") && !isAsync)
    return refuse(
      "the function keeps promises (a promise cache keeps rejections; memoizeWeak does not)",
    );
  // Moved out of the function, the compute sees the two keys and module names only.
  const own = ownNames(fn);
  const moved = new Set(
    [...compute, value].flatMap((n) =>
      findAll(n, ts.isVariableDeclaration).flatMap((d) =>
        ts.isIdentifier(d.name) ? [d.name.text] : [],
      ),
    ),
  );
  for (const node of [...compute, value])
    for (const id of findAll(node, ts.isIdentifier))
      if (
        isReference(id) &&
        own.has(id.text) &&
        id.text !== first &&
        id.text !== second &&
        !moved.has(id.text) &&
        !findAll(node, ts.isParameter).some((p) => p.name.getText(file) === id.text)
      )
        return refuse(
          `the compute reads \`${id.text}\`, a parameter or local of the function other than its two keys: the value would depend on the first call's`,
        );
  const captured = home === undefined ? undefined : capturedBetween([...compute, value], fn, home);
  if (captured !== undefined)
    return refuse(
      `the compute reads \`${captured}\`, declared between the map and its function: moved to where the map is made, it would see another \`${captured}\` or none`,
    );
  // memoizeWeak keeps an `undefined` result; memoizeLocal does not (a `get` test computed it again).
  if (innerKind === "Map" && computeFrom !== 2) {
    const why = undefinedValue(value, body, type, fn);
    if (why !== undefined) return refuse(why);
  }
  const outerName = weak ? "memoizeWeak" : "memoizeLocal";
  const innerName = innerKind === "WeakMap" ? "memoizeWeak" : "memoizeLocal";
  // A JSDoc `@type {WeakMap<A, WeakMap<B, V>>}` becomes the memo's type, for a checked JavaScript.
  const documented = ts.getJSDocType(declaration);
  const memoType = (api: string): string =>
    api === "memoizeWeak" ? "MemoizedWeak" : "MemoizedLocal";
  let retyped: TextEdit | undefined;
  if (documented !== undefined) {
    if (firstType === undefined || secondType === undefined || valueType === undefined)
      return refuse(
        `the map \`${outer}\`'s JSDoc type does not spell out its inner map's key and value (\`${documented.getText(file).slice(0, 60)}\`): it could not be retyped for the memo`,
      );
    const held = isAsync ? `Promise<${valueType.getText(file)}>` : valueType.getText(file);
    retyped = {
      start: documented.getStart(file),
      end: documented.getEnd(),
      text: `import("@perflayer/cache").${memoType(outerName)}<${firstType.getText(file)}, import("@perflayer/cache").${memoType(innerName)}<${secondType.getText(file)}, ${held}>>`,
    };
  }
  const outerApi = importName(file, input.names, "@perflayer/cache", outerName);
  const innerApi =
    innerName === outerName
      ? outerApi
      : importName(file, input.names, "@perflayer/cache", innerName);
  const returnType = fn.type === undefined ? "" : `: ${fn.type.getText(file)}`;
  const statement = declaration.parent.parent as ts.VariableStatement;
  const keyword = statement.declarationList.getFirstToken(file)?.getText(file) ?? "const";
  const base = indentOf(file, statement);
  const unit = indentOf(file, st[0] as ts.Statement).startsWith("\t") ? "\t" : "  ";
  const direct = directValue(file, compute, value);
  const awaited =
    direct !== undefined && ts.isAwaitExpression(direct) ? direct.expression : undefined;
  const from = indentOf(file, compute[0] ?? value);
  const block = [
    ...compute.map((s) => file.text.slice(s.getStart(file), s.getEnd())),
    `return ${value.getText(file)};`,
  ]
    .map((l) => base + unit + unit + reindent(l, from, base + unit + unit))
    .join("\n");
  // Types only where the maps had type arguments (a JSDoc type stays a comment in JavaScript).
  const written = (declaration.initializer as ts.NewExpression).typeArguments !== undefined;
  const firstKey = typedKey(firstParam, written ? firstType?.getText(file) : undefined, file);
  const secondKey = typedKey(secondParam, written ? secondType?.getText(file) : undefined, file);
  const memoText =
    direct !== undefined
      ? `${keyword} ${outer} = ${outerApi.local}((${firstKey}) =>\n${base}${unit}${innerApi.local}(${isAsync && awaited === undefined ? "async " : ""}(${secondKey})${returnType} => ${arrowResult(awaited ?? direct, file)}),\n${base});`
      : `${keyword} ${outer} = ${outerApi.local}((${firstKey}) =>\n${base}${unit}${innerApi.local}(${isAsync ? "async " : ""}(${secondKey})${returnType} => {\n${block}\n${base}${unit}}),\n${base});`;
  const edits: TextEdit[] = [
    { start: statement.getStart(file), end: statement.getEnd(), text: memoText },
    {
      start: lookup.getStart(file),
      end: (st[st.length - 1] as ts.Statement).getEnd(),
      text: `return ${outer}(${first})(${second});`,
    },
  ];
  if (retyped !== undefined) edits.push(retyped);
  return {
    ok: true,
    api: `${outerName}(fn) of ${innerName}(fn)`,
    edits,
    imports: innerApi === outerApi ? [outerApi] : [outerApi, innerApi],
    notes: [
      `${
        weak
          ? `results still go with the first key object (each holds its own memo of \`${second}\`); a first key that is not an object now throws PerflayerConfigError before the compute runs`
          : `one store per call, as the map was, now bounded: at most 10,000 first keys (the least recently used out first), each with its own memo of \`${second}\``
      }; ${
        innerKind === "WeakMap"
          ? "an `undefined` result is now kept rather than computed again"
          : "each first key's memo keeps at most 10,000 results (the least recently used out first)"
      }${isAsync ? "; concurrent calls with the same keys now share one call, and a failed call is not kept" : ""}`,
    ],
  };
}

/** The outer map's written key type and value type (the inner map's type), if written. */
function innerTypes(
  declaration: ts.VariableDeclaration,
): [ts.TypeNode | undefined, ts.TypeNode | undefined] {
  const init = declaration.initializer;
  const args = init !== undefined && ts.isNewExpression(init) ? init.typeArguments : undefined;
  if (args !== undefined) return [args[0], args[1]];
  const documented = ts.getJSDocType(declaration);
  return documented !== undefined && ts.isTypeReferenceNode(documented)
    ? [documented.typeArguments?.[0], writtenValueType(declaration)]
    : [undefined, undefined];
}
