import { ts } from "ts-morph";
import { jsDocMapRetype } from "./defined-value.js";
import type { BuiltValue } from "./memo-body.js";
import { importName } from "./file-imports.js";
import type { Rewrite, RewriteInput } from "./rewrite.js";
import type { TextEdit } from "./source-edit.js";

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);

/**
 * The key parameter as the new arrow declares it: as written, else typed as the map's key.
 * @param param - the memo function's one parameter
 * @param keyTypeText - the map's key type, if written
 * @param narrowed - whether a guard before the memo took `null`/`undefined` out of the key's type
 * @param file - the file
 * @returns the parameter's text
 */
export function typedKey(
  param: ts.ParameterDeclaration,
  keyTypeText: string | undefined,
  file: ts.SourceFile,
  narrowed = false,
): string {
  const key = (param.name as ts.Identifier).text;
  // A key a guard before the memo narrowed (`if (k == null) return …`) reaches it without null.
  if (narrowed && param.type !== undefined)
    return `${key}: NonNullable<${param.type.getText(file)}>`;
  if (param.type !== undefined) return param.getText(file);
  return keyTypeText === undefined ? key : `${key}: ${keyTypeText}`;
}

/**
 * An expression as the body of an arrow function: an object literal in parentheses (bare, its
 * braces would open a block).
 * @param value - the expression
 * @param file - the file
 * @returns its text
 */
export function arrowResult(value: ts.Expression, file: ts.SourceFile): string {
  let inner: ts.Expression = value;
  while (
    ts.isAsExpression(inner) ||
    ts.isSatisfiesExpression(inner) ||
    ts.isNonNullExpression(inner)
  )
    inner = inner.expression;
  return ts.isObjectLiteralExpression(inner) ? `(${value.getText(file)})` : value.getText(file);
}

/** What {@link ownStoreMemo} rewrites: the function and its map, matched as a get-or-compute memo. */
interface OwnStoreMemoShape {
  readonly input: RewriteInput;
  readonly fn: ts.FunctionLikeDeclaration;
  readonly param: ts.ParameterDeclaration;
  readonly keyTypeText: string | undefined;
  /** Where the store is made: a variable's statement (and its keyword), or a field's `new Map()`. */
  readonly place:
    | { readonly statement: ts.VariableStatement; readonly keyword: string }
    | { readonly newMap: ts.NewExpression; readonly declared: ts.PropertyDeclaration | undefined };
  readonly map: string;
  readonly compute: readonly ts.Statement[];
  readonly value: ts.Expression;
  /** A WeakMap (else a Map made per call). */
  readonly weak: boolean;
  /** The memo's statements (the function's body after any guards that stay); default the body. */
  readonly statements?: readonly ts.Statement[];
  /** A value built up after it is made: its `v = value;` is declared in the memo (`const v = value;`). */
  readonly built?: BuiltValue;
  /** Whether a guard before the memo took `null`/`undefined` out of the key's type. */
  readonly narrowed?: boolean;
}

/** The indentation of the line a node starts on. */
function lineIndent(file: ts.SourceFile, node: ts.Node): string {
  const start = node.getStart(file);
  return /^[ \t]*/.exec(file.text.slice(file.text.lastIndexOf("\n", start - 1) + 1))?.[0] ?? "";
}

/** Each line after the first indented as the statement it replaces is. */
function indentAs(file: ts.SourceFile, statement: ts.Node, text: string): string {
  return text.replaceAll("\n", `\n${lineIndent(file, statement)}`);
}

/**
 * A get-or-compute memo whose store is its own, not a named cache:
 * - over a `new WeakMap()` → `memoizeWeak((key) => compute)`: results still go with their key
 *   object;
 * - over a `new Map()` made per call of a function (a factory, a plugin's `apply`) →
 *   `memoizeLocal((key) => compute)` where the map was made: one bounded store per call, as the
 *   map was one per call;
 * the function returning `memo(key)`, the compute as it was (an async one now shared by
 * concurrent calls with one key; a rejection is not kept, as the map kept only fulfilled values).
 * @param shape - the memo, matched
 * @returns the rewrite
 */
export function ownStoreMemo(shape: OwnStoreMemoShape): Rewrite {
  const { input, fn, param, keyTypeText, place, map, compute, value, weak } = shape;
  const { file } = input;
  const st = shape.statements ?? (fn.body as ts.Block).statements;
  const returned = st[st.length - 1] as ts.Statement;
  const isAsync = (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const api = weak ? "memoizeWeak" : "memoizeLocal";
  const memo = importName(file, input.names, "@perflayer/cache", api);
  const key = (param.name as ts.Identifier).text;
  const typed = typedKey(param, keyTypeText, file, shape.narrowed === true);
  const returnType = fn.type === undefined ? "" : `: ${fn.type.getText(file)}`;
  // The compute keeps its own nesting: its lines lose the indentation of its first statement and
  // gain one level (a tab where the code indents with tabs).
  const first = compute[0] ?? st[0];
  const base = first === undefined ? "" : lineIndent(file, first);
  const unit = base.startsWith("\t") ? "\t" : "  ";
  // A function made on a miss whose parameters were typed by the variable it was assigned to
  // keeps that type: the function's own (it returns the value).
  const builtFrom = shape.built?.made;
  const untyped =
    builtFrom !== undefined &&
    (ts.isArrowFunction(builtFrom) || ts.isFunctionExpression(builtFrom)) &&
    builtFrom.parameters.some((p) => p.type === undefined) &&
    !isAsync &&
    fn.type !== undefined &&
    !/\.(c|m)?jsx?$/.test(file.fileName);
  const lines = [
    ...compute.map((s) =>
      s === shape.built?.assign
        ? `const ${shape.built.name}${untyped ? returnType : ""} = ${shape.built.made.getText(file)};`
        : file.text.slice(s.getStart(file), s.getEnd()),
    ),
    `return ${value.getText(file)};`,
  ].map((l) =>
    l
      .split("\n")
      .map((x, i) => unit + (i > 0 && x.startsWith(base) ? x.slice(base.length) : x.trimStart()))
      .join("\n"),
  );
  // `async (k) => await load(k)` is `(k) => load(k)`.
  const awaited =
    compute.length === 0 && ts.isAwaitExpression(value) ? value.expression : undefined;
  const arrow =
    compute.length === 0 ? arrowResult(awaited ?? value, file) : `{\n${lines.join("\n")}\n}`;
  const memoCall = `${memo.local}(${isAsync && awaited === undefined ? "async " : ""}(${typed})${returnType} => ${arrow})`;
  const memoType = weak ? "MemoizedWeak" : "MemoizedLocal";
  const retype = (k: string, v: string): string =>
    `import("@perflayer/cache").${memoType}<${k}, ${isAsync ? `Promise<${v}>` : v}>`;
  const made: TextEdit[] =
    "statement" in place
      ? [
          {
            start: place.statement.getStart(file),
            end: place.statement.getEnd(),
            text: indentAs(file, place.statement, `${place.keyword} ${map} = ${memoCall};`),
          },
          ...optional(
            jsDocMapRetype(
              place.statement.declarationList.declarations[0] as ts.VariableDeclaration,
              retype,
            ),
          ),
        ]
      : [
          {
            start: place.newMap.getStart(file),
            end: place.newMap.getEnd(),
            text: indentAs(file, place.newMap, memoCall),
          },
          // A written `Map<K, V>` type goes: the field's type is now the memo's, inferred — or,
          // for a field the constructor sets, written from the map's (`MemoizedLocal<K, V>`).
          ...(place.declared?.type === undefined
            ? optional(
                place.declared === undefined ? undefined : jsDocMapRetype(place.declared, retype),
              )
            : place.declared.initializer === undefined &&
                ts.isTypeReferenceNode(place.declared.type) &&
                place.declared.type.typeArguments?.length === 2
              ? [
                  {
                    start: place.declared.type.getStart(file),
                    end: place.declared.type.getEnd(),
                    text: retype(
                      (place.declared.type.typeArguments[0] as ts.TypeNode).getText(file),
                      (place.declared.type.typeArguments[1] as ts.TypeNode).getText(file),
                    ),
                  },
                ]
              : [
                  {
                    start: place.declared.name.getEnd(),
                    end: place.declared.type.getEnd(),
                    text: "",
                  },
                ]),
        ];
  return {
    ok: true,
    api: `${api}(fn)`,
    edits: [
      ...made,
      {
        start: (st[0] as ts.Statement).getStart(file),
        end: returned.getEnd(),
        text: `return ${map}(${key});`,
      },
    ],
    imports: [memo],
    notes: [
      weak
        ? isAsync
          ? `results still go with their key object; concurrent calls with one key now share one call, and a failed call is not kept; a key that is not an object now throws PerflayerConfigError before the compute runs`
          : "results still go with their key object; an `undefined` result is now kept rather than computed again; a key that is not an object now throws PerflayerConfigError before the compute runs"
        : `one store per ${"statement" in place ? "call, as the map was" : "instance, as the field was"}, now bounded: at most 10,000 results (the least recently used out first; pass { max } to memoizeLocal to change it)${isAsync ? "; concurrent calls with one key now share one call, and a failed call is not kept" : ""}`,
    ],
  };
}
