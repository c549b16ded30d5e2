import { ts } from "ts-morph";
import { jsDocMapRetype } from "./defined-value.js";
import { importName } from "./file-imports.js";
import type { Rewrite, RewriteInput } from "./rewrite.js";

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);

/**
 * The key parameter as the new arrow declares it: as written, else typed as the map's key.
 * @param param - the memo function's one parameter
 * @param keyTypeText - the map's key type, if written
 * @param file - the file
 * @returns the parameter's text
 */
export function typedKey(
  param: ts.ParameterDeclaration,
  keyTypeText: string | undefined,
  file: ts.SourceFile,
): string {
  const key = (param.name as ts.Identifier).text;
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
  readonly statement: ts.VariableStatement;
  readonly keyword: string;
  readonly map: string;
  readonly compute: readonly ts.Statement[];
  readonly value: ts.Expression;
  /** A WeakMap (else a Map made per call). */
  readonly weak: boolean;
}

/** Each line after the first indented as the statement it replaces is. */
function indentAs(file: ts.SourceFile, statement: ts.Node, text: string): string {
  const start = statement.getStart(file);
  const indent =
    /^[ \t]*/.exec(file.text.slice(file.text.lastIndexOf("\n", start - 1) + 1))?.[0] ?? "";
  return text.replaceAll("\n", `\n${indent}`);
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
  const { input, fn, param, keyTypeText, statement, keyword, map, compute, value, weak } = shape;
  const { file } = input;
  const st = (fn.body as ts.Block).statements;
  const returned = st[st.length - 1] as ts.Statement;
  const isAsync = (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const api = weak ? "memoizeWeak" : "memoizeLocal";
  const memo = importName(file, input.names, "@perflayer/cache", api);
  const key = (param.name as ts.Identifier).text;
  const typed = typedKey(param, keyTypeText, file);
  const returnType = fn.type === undefined ? "" : `: ${fn.type.getText(file)}`;
  const lines = [
    ...compute.map((s) => file.text.slice(s.getStart(file), s.getEnd())),
    `return ${value.getText(file)};`,
  ].map((l) =>
    l
      .split("\n")
      .map((x) => `  ${x.trimStart()}`)
      .join("\n"),
  );
  // `async (k) => await load(k)` is `(k) => load(k)`.
  const awaited =
    compute.length === 0 && ts.isAwaitExpression(value) ? value.expression : undefined;
  const arrow =
    compute.length === 0 ? arrowResult(awaited ?? value, file) : `{\n${lines.join("\n")}\n}`;
  const declaration = statement.declarationList.declarations[0] as ts.VariableDeclaration;
  const memoType = weak ? "MemoizedWeak" : "MemoizedLocal";
  return {
    ok: true,
    api: `${api}(fn)`,
    edits: [
      {
        start: statement.getStart(file),
        end: statement.getEnd(),
        text: indentAs(
          file,
          statement,
          `${keyword} ${map} = ${memo.local}(${isAsync && awaited === undefined ? "async " : ""}(${typed})${returnType} => ${arrow});`,
        ),
      },
      {
        start: (st[0] as ts.Statement).getStart(file),
        end: returned.getEnd(),
        text: `return ${map}(${key});`,
      },
      ...optional(
        jsDocMapRetype(
          declaration,
          (k, v) =>
            `import("@perflayer/cache").${memoType}<${k}, ${isAsync ? `Promise<${v}>` : v}>`,
        ),
      ),
    ],
    imports: [memo],
    notes: [
      weak
        ? isAsync
          ? `results still go with their key object; concurrent calls with one key now share one call, and a failed call is not kept`
          : "results still go with their key object; an `undefined` result is now kept rather than computed again"
        : `one store per call, as the map was, now bounded: at most 10,000 results (the least recently used out first; pass { max } to memoizeLocal to change it)${isAsync ? "; concurrent calls with one key now share one call, and a failed call is not kept" : ""}`,
    ],
  };
}
