import { ts } from "ts-morph";
import { containsTimeRead, findAll, isFunctionLike } from "../ast.js";
import { jsDocMapRetype, undefinedValue, writtenValueType } from "./defined-value.js";
import { referencesTo } from "./binding-references.js";
import { handBound } from "./hand-bound.js";
import type { HandBound } from "./hand-bound.js";
import { cacheNameFor, mapsInFinding } from "./memo-store.js";
import { refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import type { TextEdit } from "./source-edit.js";

/** The Map methods a cache answers alike (for keys it still holds). */
const METHODS = new Set(["get", "has", "set", "delete", "clear"]);

/** The methods that only drop entries (a cache may drop them too): callable from anywhere. */
const DROPS = new Set(["delete", "clear"]);

/** The `map.method(…)` call a use of the map is the receiver of, if it is one. */
function methodCallOf(use: ts.Expression): ts.CallExpression | undefined {
  const access = use.parent;
  if (!ts.isPropertyAccessExpression(access) || access.expression !== use) return undefined;
  const call = access.parent;
  return ts.isCallExpression(call) && call.expression === access && METHODS.has(access.name.text)
    ? call
    : undefined;
}

/** Methods that change the object they are called on. */
const MUTATORS = new Set([
  "push",
  "pop",
  "shift",
  "unshift",
  "splice",
  "sort",
  "reverse",
  "fill",
  "set",
  "add",
  "delete",
  "clear",
]);

/** Whether `a` and `b` are both inside one loop (either may then run after the other). */
function sameLoop(a: ts.Node, b: ts.Node): boolean {
  for (let n = a.parent; n !== undefined && !isFunctionLike(n); n = n.parent)
    if (ts.isIterationStatement(n, false) && n.pos <= b.pos && b.end <= n.end) return true;
  return false;
}

/**
 * A write into the object `name` holds that may run after `stored` put it in the map:
 * `name.x = …`, `name.x++`, `name.push(…)` (building it before it is stored is fine).
 */
function mutation(fn: ts.Node, name: string, stored: ts.Node): ts.Node | undefined {
  const held = (n: ts.Node): boolean => {
    let target = n;
    while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target))
      target = target.expression;
    return target !== n && ts.isIdentifier(target) && target.text === name;
  };
  return findAll(
    fn,
    (n): n is ts.Node =>
      (n.pos >= stored.end || sameLoop(n, stored)) &&
      ((ts.isBinaryExpression(n) &&
        n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
        held(n.left)) ||
        ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && held(n.operand)) ||
        (ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          MUTATORS.has(n.expression.name.text) &&
          (held(n.expression.expression) ||
            (ts.isIdentifier(n.expression.expression) && n.expression.expression.text === name))) ||
        (ts.isCallExpression(n) &&
          n.expression.getText() === "Object.assign" &&
          n.arguments[0] !== undefined &&
          ts.isIdentifier(n.arguments[0]) &&
          n.arguments[0].text === name)),
  )[0];
}

/** The innermost function-like around a node. */
function functionAround(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n !== undefined; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

/**
 * The checks a store swap needs, on the uses of a store (its name, or `this.field`): every use a
 * `get`/`has`/`set`/`delete`/`clear` call, the reads and writes in one function (the drops
 * anywhere), no clock read there, every `set` after a lookup of its key, its value never
 * `undefined` nor updated in place afterwards.
 * @param file - the file
 * @param label - how refusals name the store
 * @param all - the store's uses
 * @param valueType - the values' written type, if any
 * @param bound - a hand-written bound of the store (its `.size` read is then not a stray use)
 * @returns the function that reads and fills it, or the refusal
 */
export function checkMemoUses(
  file: ts.SourceFile,
  label: string,
  all: readonly ts.Expression[],
  valueType: ts.TypeNode | undefined,
  bound?: HandBound,
): { readonly fn: ts.Node } | Refusal {
  // A hand-written bound's `.size` read goes with the swap (its `.clear()` is a drop, as any).
  const uses = bound === undefined ? all : all.filter((u) => u !== bound.size);
  const calls = uses.map(methodCallOf);
  const stray = uses.find((_, i) => calls[i] === undefined);
  if (stray !== undefined)
    return refuse(
      `${label} is used other than by get/has/set/delete/clear (\`${stray.parent.getText(file).slice(0, 40)}\`): iterated, sized or handed on`,
    );
  const method = (c: ts.CallExpression): string =>
    (c.expression as ts.PropertyAccessExpression).name.text;
  const present = calls as ts.CallExpression[];
  const reads = present.filter((c) => !DROPS.has(method(c)));
  const fn = reads[0] === undefined ? undefined : functionAround(reads[0]);
  if (fn === undefined || reads.some((c) => c.pos < fn.pos || c.end > fn.end))
    return refuse(
      `${label} is read or filled in more than one function (only deletes and clears may be elsewhere)`,
    );
  if (containsTimeRead(fn))
    return refuse(
      "the function reads the clock (entries that expire by hand are carried over only in the get-or-compute shape)",
    );
  const keyOf = (c: ts.CallExpression): string => c.arguments[0]?.getText(file) ?? "";
  for (const set of present.filter((c) => method(c) === "set")) {
    const looked = present.some(
      (c) =>
        (method(c) === "get" || method(c) === "has") && c.end <= set.pos && keyOf(c) === keyOf(set),
    );
    if (!looked)
      return refuse(
        `${label}: \`set(${keyOf(set)}, …)\` does not follow a lookup of the same key: a registry that must keep what it is given, not a memo`,
      );
    const value = set.arguments[1];
    if (value === undefined) return refuse(`${label}: \`set\` stores no value`);
    const changed = ts.isIdentifier(value) ? mutation(fn, value.text, set) : undefined;
    if (changed !== undefined)
      return refuse(
        `the entry \`${value.getText(file)}\` is state the function updates in place (\`${changed.getText(file).slice(0, 40)}\`): a cache that drops it would lose what it holds`,
      );
    // A promise is a value like any other here (the code that stores it stays).
    const promises = valueType !== undefined && /^Promise\s*</.test(valueType.getText(file));
    const why = promises ? undefined : undefinedValue(value, fn, valueType, fn);
    if (why !== undefined) return refuse(why);
  }
  return { fn };
}

/**
 * A get-or-compute memo whose function is not in the one shape {@link rewriteMemoMap} turns into
 * `memoize`/`getOrLoad` (a key computed first, early returns, the lookup in a branch): the
 * module-level `new Map()` becomes a named cache of the shared `CacheManager`, and the code around
 * it stays as it is — `get`, `has`, `set`, `delete` and `clear` answer alike, so only the store
 * changes (bounded at 10,000 entries, counted in the cache's metrics). Proven safe when: the map
 * is a module-level `new Map()` without initial entries, every use of it is one of those calls,
 * the reads and writes inside one function (deletes and clears anywhere), every `set` follows a `get`/`has` of the same key there (a memo, not a registry
 * that must keep what it was given), every value set is never `undefined` (the cache refuses it)
 * nor updated in place after it is stored (a get-or-create holder of state), and the function
 * reads no clock (entries that expire by hand are not carried over here). A bound written by hand
 * in that function, `if (map.size >= N) map.clear();`, goes: the cache is made with `{ max: N }`
 * (a limit `const` declared after the map moving above it).
 * @param input - the finding
 * @returns the rewrite, the refusal, or undefined when the store is not one module-level Map
 */
export function swapStore(input: RewriteInput): Rewrite | Refusal | undefined {
  const { file } = input;
  const [declaration, ...others] = mapsInFinding(input);
  if (declaration === undefined || others.length > 0) return undefined;
  const map = (declaration.name as ts.Identifier).text;
  const statement = declaration.parent.parent;
  const newMap = declaration.initializer as ts.NewExpression;
  if (
    !ts.isVariableStatement(statement) ||
    !ts.isSourceFile(statement.parent) ||
    (newMap.arguments?.length ?? 0) > 0
  )
    return undefined;
  // A `Map<K, V>` annotation on the declaration types the store: it becomes the cache's type.
  const annotated = mapAnnotation(declaration.type);
  const nullableKey = nullableKeyRefusal(annotated?.[0], file);
  if (nullableKey !== undefined) return nullableKey;
  const valueType = writtenValueType(declaration) ?? annotated?.[1];
  const uses = referencesTo(declaration);
  // `if (map.size >= N) map.clear();` before a set: the cache's `max` keeps that bound.
  const bounds = uses.flatMap((u) => {
    const b = handBound(file, u, map, statement);
    return b === undefined ? [] : [b];
  });
  const bound = bounds.length === 1 ? bounds[0] : undefined;
  const checked = checkMemoUses(file, `the map \`${map}\``, uses, valueType, bound);
  if ("ok" in checked) return checked;
  if (
    bound !== undefined &&
    (bound.statement.pos < checked.fn.pos || bound.statement.end > checked.fn.end)
  )
    return refuse(
      `the map \`${map}\` is emptied when full (\`${bound.statement.expression.getText(file)}\`) outside the function that fills it`,
    );
  const cacheName = cacheNameFor(input, map);
  const kept =
    bound === undefined
      ? "keeps at most 10,000 entries (the default max; pass { max } to change it)"
      : `keeps at most ${bound.max} entries, as the hand-written bound \`${bound.statement.expression.getText(file)}\` did (that test and its \`clear()\` go): past it the least recently used entry goes, not every entry at once`;
  return swapRewrite({
    input,
    newMap,
    cacheName,
    retyped:
      declaration.type !== undefined && annotated !== undefined
        ? {
            start: declaration.type.getStart(file),
            end: declaration.type.getEnd(),
            text: cacheType(annotated[0].getText(file), annotated[1].getText(file)),
          }
        : jsDocMapRetype(declaration, cacheType),
    api:
      bound === undefined
        ? "caches.cache(name) in place of the Map"
        : "caches.cache(name, { max }) in place of the Map and its bound",
    note: `only the store changes: the Map becomes the cache \`${cacheName}\` of the shared CacheManager, which ${kept}, and counts hits and misses; the code that reads and fills it stays`,
    ...(bound === undefined
      ? {}
      : {
          options: `{ max: ${bound.max} }`,
          removed: [
            statementRemoval(file, bound.statement),
            // A limit declared after the map moves above it (the cache is made where the map was).
            ...(bound.moved === undefined
              ? []
              : [
                  statementRemoval(file, bound.moved),
                  {
                    start: statement.getStart(file),
                    end: statement.getStart(file),
                    text: `${bound.moved.getText(file)}\n`,
                  },
                ]),
          ],
        }),
  });
}

/** The type of a named cache of the shared CacheManager, written where a Map's type was. */
function cacheType(key: string, value: string): string {
  return `import("@perflayer/cache").Cache<${key}, ${value}>`;
}

/** The key and value types of a `Map<K, V>` annotation, if the type is one. */
function mapAnnotation(
  type: ts.TypeNode | undefined,
): readonly [ts.TypeNode, ts.TypeNode] | undefined {
  if (
    type === undefined ||
    !ts.isTypeReferenceNode(type) ||
    type.typeName.getText() !== "Map" ||
    type.typeArguments?.length !== 2
  )
    return undefined;
  return [type.typeArguments[0] as ts.TypeNode, type.typeArguments[1] as ts.TypeNode];
}

/** An edit that removes a statement with its line (when nothing else is on it). */
function statementRemoval(file: ts.SourceFile, statement: ts.Statement): TextEdit {
  const start = statement.getStart(file);
  const lineStart = file.text.lastIndexOf("\n", start - 1);
  const before = file.text.slice(lineStart + 1, start);
  return {
    start: lineStart >= 0 && /^[ \t]*$/.test(before) ? lineStart : start,
    end: statement.getEnd(),
    text: "",
  };
}

/**
 * The rewrite of a store swap: `new Map<K, V>()` → `caches.cache<K, V>(name)` (type arguments kept
 * where the map had them), with the edit that retypes the store, if any.
 * @param swap - the finding, the map's `new Map()`, the cache's name, the retyping edit, the API
 *   named and the note
 * @returns the rewrite, or the refusal when the map's keys may be `undefined` or `null`
 */
export function swapRewrite(swap: {
  readonly input: RewriteInput;
  readonly newMap: ts.NewExpression;
  readonly cacheName: string;
  readonly retyped: TextEdit | undefined;
  readonly api: string;
  readonly note: string;
  /** The cache's options, as code (`{ max: 500 }`). */
  readonly options?: string;
  /** Code the swap removes besides (a hand-written bound). */
  readonly removed?: readonly TextEdit[];
}): Rewrite | Refusal {
  const { input, newMap } = swap;
  const { file } = input;
  const [keyType, valueType] = newMap.typeArguments ?? [];
  const nullable = nullableKeyRefusal(keyType, file);
  if (nullable !== undefined) return nullable;
  const caches = input.shared.importInto(file, input.names, "caches");
  const generics =
    keyType !== undefined && valueType !== undefined
      ? `<${keyType.getText(file)}, ${valueType.getText(file)}>`
      : "";
  return {
    ok: true,
    api: swap.api,
    edits: [
      {
        start: newMap.getStart(file),
        end: newMap.getEnd(),
        text: `${caches.local}.cache${generics}(${JSON.stringify(swap.cacheName)}${swap.options === undefined ? "" : `, ${swap.options}`})`,
      },
      ...(swap.retyped === undefined ? [] : [swap.retyped]),
      ...(swap.removed ?? []),
    ],
    imports: [caches],
    shared: ["caches"],
    notes: [swap.note],
  };
}

/**
 * A Map's key type that may hold `undefined` or `null` (or says nothing: `any`, `unknown`): the
 * cache's keys are non-nullable (`K extends NonNullable<unknown>`), so a swap would not type-check.
 * @param keyType - the key type written on the map, if any
 * @param file - the source file
 * @returns the refusal, or undefined when the key type is absent or non-nullable
 */
export function nullableKeyRefusal(
  keyType: ts.TypeNode | undefined,
  file: ts.SourceFile,
): Refusal | undefined {
  const text = keyType?.getText(file);
  if (text === undefined || !/\b(undefined|null|any|unknown|void)\b/.test(text)) return undefined;
  return refuse(
    `the map's keys are typed \`${text}\`: the cache takes no \`undefined\` or \`null\` key, so the store cannot be swapped`,
  );
}
