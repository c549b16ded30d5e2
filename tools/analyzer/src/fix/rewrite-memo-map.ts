import { ts } from "ts-morph";
import { findAll, isFunctionLike } from "../ast.js";
import {
  jsDocMapRetype,
  madeFrom,
  undefinedValue,
  writtenReturnType,
  writtenValueType,
} from "./defined-value.js";
import { referencesTo } from "./binding-references.js";
import { cacheNameFor, mapsInFinding, storeRefusal } from "./memo-store.js";
import { directValue, matchMemoBody, missTest } from "./memo-body.js";
import { nestedMemo } from "./nested-memo.js";
import { importName } from "./file-imports.js";
import { refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import { awaits } from "./statement-facts.js";
import { swapFieldStore } from "./field-swap.js";
import { capturedBetween } from "./scope-captures.js";
import { fieldMemoStore } from "./field-memo-store.js";
import { fieldMemo } from "./field-memo.js";
import { swapStore } from "./store-swap.js";
import { rewriteSingleSlot } from "./rewrite-single-slot.js";
import { rewriteTtlSlot } from "./rewrite-ttl-slot.js";
import { arrowResult, ownStoreMemo, typedKey } from "./own-store-memo.js";

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);

/** Keys `memoize` uses as they are by default; others get `{ key: (k) => k }` (compared as a Map compares them). */
const PRIMITIVE_KEYS = new Set(["string", "number"]);

/**
 * A get-or-compute memo: a module-level `new Map<K, V>()` used only by one module-level function
 * of one parameter (the key), which returns the stored value when there is one, else computes
 * it, stores it and returns it →
 * - an async function: `return memo.getOrLoad(key, async () => { …compute… })`, the map becoming
 *   `caches.cache("path:memo")` of the project's shared `CacheManager` (concurrent calls with one
 *   key now share one load; failures are not kept);
 * - a sync function: `const memo = memoize((key) => …compute…, caches.cache("path:memo"))` and
 *   the function returns `memo(key)` (a key not typed string or number is kept by identity,
 *   `{ key: (k) => k }`, as the Map kept it);
 * - entries stamped with `Date.now()` and tested against it (`{ value, expires: Date.now() + ttl }`
 *   or `{ value, at: Date.now() }`): the same, with `{ ttl }` on the cache.
 * Otherwise, when only the store can change safely, {@link swapStore}. Refused: a map read or
 * written in other functions (iterated, bounded or cleared by hand), one created per call (one
 * store per instance), a value that may be `undefined` (the cache refuses it), a compute that
 * assigns outer state, reads `this` or returns early, a map of promises, other clock stamps.
 */
export function rewriteMemoMap(input: RewriteInput): Rewrite | Refusal {
  const rewrite = rewriteGetOrCompute(input);
  if (rewrite.ok || rewrite.final === true) return rewrite;
  // Not the one shape: the store alone can still change, when that is proven safe.
  const swapped = swapStore(input) ?? swapFieldStore(input);
  // A field memo of each instance, refused: its reason first, then why one shared cache will not do.
  if (swapped !== undefined && !swapped.ok && rewrite.perInstance === true)
    return refuse(`${rewrite.reason}; nor can the instances share one cache: ${swapped.reason}`);
  if (swapped !== undefined) return swapped;
  const maps = mapsInFinding(input, ["Map", "WeakMap"]);
  if (maps.length === 0) return rewriteTtlSlot(input) ?? rewriteSingleSlot(input) ?? rewrite;
  // Maps made inside a function (an index the compute builds, `const byName = new Map()`) are no
  // store of their own: a single slot the function fills with what they make may still be one.
  if (maps.every((d) => functionAround(d) !== undefined)) {
    const slot = rewriteTtlSlot(input) ?? rewriteSingleSlot(input);
    if (slot?.ok === true) return slot;
  }
  return rewrite;
}

/** The innermost function a node is in, if any. */
function functionAround(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n !== undefined; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

/**
 * A refusal; `final` when the shape was recognised and a store swap would not do either;
 * `perInstance` when a field memo of each instance was recognised and refused.
 */
type MemoRefusal = Refusal & { readonly final?: true; readonly perInstance?: true };

function rewriteGetOrCompute(input: RewriteInput): Rewrite | MemoRefusal {
  const declarations = mapsInFinding(input, ["Map", "WeakMap"]);
  if (declarations.length === 0) return rewriteFieldMemo(input);
  const declared = rewriteDeclaredMaps(input, declarations);
  if (declared.ok || declared.final === true) return declared;
  // Maps the compute makes for itself (`const context = new Map()` in the method that fills a
  // field) are not the store: the field is, when it is a memo's.
  const field = fieldMemoStore(input);
  if (
    field !== undefined &&
    typeof field !== "string" &&
    declarations.every((d) => d.pos >= field.fn.pos && d.end <= field.fn.end)
  )
    return rewriteFieldMemo(input);
  return declared;
}

/** The memo over a field of `this`, per instance or (values of the key alone) shared. */
function rewriteFieldMemo(input: RewriteInput): Rewrite | MemoRefusal {
  const field = fieldMemoStore(input);
  if (field === undefined) return refuse(storeRefusal(input));
  if (typeof field === "string") return refuse(field);
  // A memo whose values depend on the key alone shares one named cache between instances.
  const shared = swapFieldStore(input);
  if (shared?.ok === true) return shared;
  const own = fieldMemo(input, field);
  return own.ok ? own : { ...own, perInstance: true };
}

/** The memo over the one map of `declarations` whose uses are a memo's. */
function rewriteDeclaredMaps(
  input: RewriteInput,
  declarations: readonly ts.VariableDeclaration[],
): Rewrite | MemoRefusal {
  if (declarations.length === 1)
    return rewriteDeclared(input, declarations[0] as ts.VariableDeclaration);
  // Several maps (a memo whose values are maps, two memos side by side): the one whose uses are a
  // memo's, when exactly one is.
  const rewrites = declarations.map((d) => rewriteDeclared(input, d)).filter((r) => r.ok);
  return rewrites.length === 1
    ? (rewrites[0] as Rewrite)
    : refuse(
        `several maps in the finding's lines${rewrites.length > 1 ? ", each a memo: one is rewritten at a time" : ""}`,
      );
}

/**
 * {@link rewriteGetOrCompute} for the one map `declaration`.
 * @param input - the finding
 * @param declaration - the map's declaration
 * @returns the rewrite or the refusal
 */
function rewriteDeclared(
  input: RewriteInput,
  declaration: ts.VariableDeclaration,
): Rewrite | MemoRefusal {
  const { file } = input;
  const map = (declaration.name as ts.Identifier).text;
  const statement = declaration.parent.parent;
  const perCallRefusal = refuse(
    `the map \`${map}\` is created per call of the function around it (one store per instance); a named shared cache would merge them`,
  );
  // A map made per call of a function (a factory, a plugin's apply) holds one store per call: its
  // memo function, nested in that call, becomes a memo with a store of its own.
  const home = statement.parent;
  const perCall = !ts.isSourceFile(home);
  if (!ts.isVariableStatement(statement) || (perCall && !ts.isBlock(home))) return perCallRefusal;
  // `let`/`var` too: the uses checked below (get, has and set in one function) leave no room for
  // a reassignment.
  if (statement.declarationList.declarations.length !== 1)
    return refuse(`the map \`${map}\` is not declared alone`);
  const keyword = statement.declarationList.getFirstToken(file)?.getText(file) ?? "const";
  const newMap = declaration.initializer as ts.NewExpression;
  // A WeakMap's entries go with their key object: memoizeWeak keeps that (and is refused a TTL).
  const weak = newMap.expression.getText(file) === "WeakMap";
  const [keyType] = newMap.typeArguments ?? [];
  const valueType = writtenValueType(declaration);
  if (valueType !== undefined && /^Promise</.test(valueType.getText(file)))
    return refuse(
      `the ${weak ? "WeakMap" : "map"} \`${map}\` keeps promises (a promise cache is not rewritten yet)`,
    );
  const uses = referencesTo(declaration);
  let fn: ts.Node | undefined = uses[0];
  let nested = perCall;
  // `function f`, `const f = (…) =>`, or `exports.f = function (…)` at the module's top level.
  const topLevel = (n: ts.Node): boolean =>
    ts.isSourceFile(n.parent) ||
    (ts.isVariableDeclaration(n.parent) && ts.isSourceFile(n.parent.parent.parent.parent)) ||
    (ts.isBinaryExpression(n.parent) &&
      n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      n.parent.right === n &&
      ts.isExpressionStatement(n.parent.parent) &&
      ts.isSourceFile(n.parent.parent.parent));
  if (!perCall) while (fn !== undefined && !(isFunctionLike(fn) && topLevel(fn))) fn = fn.parent;
  if (fn === undefined) {
    // A module map read in a nested function: its innermost function, checked as a per-call one.
    fn = uses[0];
    nested = true;
  }
  if (nested) while (fn !== undefined && !isFunctionLike(fn)) fn = fn.parent;
  if (fn === undefined || !isFunctionLike(fn))
    return refuse(`the map \`${map}\` is used outside a module-level function`);
  // The map filled in the very call that made it: a store per call, not a memo across calls.
  if (perCall && (fn.pos <= statement.pos || fn.end > home.end)) return perCallRefusal;
  const outside = uses.find((u) => u.pos < fn.pos || u.end > fn.end);
  if (outside !== undefined)
    return refuse(
      `the map \`${map}\` is also read or written elsewhere (line ${file.getLineAndCharacterOfPosition(outside.getStart(file)).line + 1}): cleared, iterated or bounded by hand`,
    );
  // `this` in an arrow is the `this` of where the map is made, when every function between is an
  // arrow too.
  let arrowsOnly = perCall;
  for (let n: ts.Node = fn; arrowsOnly && n !== home; n = n.parent)
    if (isFunctionLike(n) && !ts.isArrowFunction(n)) arrowsOnly = false;
  // A map of maps read by a function of two keys (a WeakMap, or a Map made per call): a memo of
  // memos.
  if ((weak || perCall) && fn.parameters.length > 1) {
    const pair = nestedMemo({
      input,
      declaration,
      fn,
      useCount: uses.length,
      home: nested ? home : undefined,
      weak,
    });
    if (pair !== undefined) return pair.ok ? pair : { ...pair, final: true };
  }
  // Guards before the lookup (`if (!x) return y;`) stay in the function; the memo is the rest.
  let guards = guardsBefore(fn, map);
  // An optional key (`k?: K`, `K | undefined`) is typed without null in the memo moved out when a
  // guard returns on it (`if (k == null)`, `if (k === undefined)`, `if (!k)`); else no guard stays.
  const first = fn.parameters[0];
  const optionalKey =
    first !== undefined &&
    (first.questionToken !== undefined ||
      /\b(undefined|null)\b/.test(first.type?.getText(file) ?? ""));
  const guarded =
    fn.body !== undefined && ts.isBlock(fn.body) ? fn.body.statements.slice(0, guards) : [];
  const narrowed =
    optionalKey &&
    first !== undefined &&
    ts.isIdentifier(first.name) &&
    guarded.some((g) => ts.isIfStatement(g) && missTest(g.expression, first.name.getText(file)));
  if (optionalKey && !narrowed) guards = 0;
  const matched = matchMemoBody(
    file,
    fn,
    map,
    uses.length,
    keyType,
    arrowsOnly,
    guards === 0 || fn.parameters.length !== 1
      ? undefined
      : {
          statements: (fn.body as ts.Block).statements.slice(guards),
          param: fn.parameters[0] as ts.ParameterDeclaration,
        },
  );
  if (!("body" in matched)) return matched;
  const {
    body,
    param,
    key,
    keyTypeText,
    st,
    compute,
    value,
    computeFrom,
    ttl,
    entry,
    returned,
    built,
  } = matched;
  // A value built up after it is made is carried over by the memos whose compute is moved whole.
  if (built !== undefined && !weak && !perCall)
    return refuse(
      `the value \`${built.name}\` is built up after it is made, before it is stored: only a WeakMap memo or a map made per call carries that over`,
    );
  const captured = nested ? capturedBetween([...compute, value], fn, home) : undefined;
  if (captured !== undefined)
    return refuse(
      `the compute reads \`${captured}\`, declared between the map and its function: moved to where the map is made, it would see another \`${captured}\` or none`,
    );
  if (perCall && !weak && ttl !== undefined)
    return {
      ...refuse(
        `the map \`${map}\` made per call keeps entries that expire: memoizeLocal has no TTL, and a named cache would merge the calls' stores`,
      ),
      final: true,
    };
  const late =
    ttl === undefined
      ? undefined
      : findAll(ttl, ts.isIdentifier).find((n) =>
          file.statements.some(
            (s) =>
              s.pos >= statement.end &&
              ts.isVariableStatement(s) &&
              s.declarationList.declarations.some((d) => d.name.getText(file) === n.text),
          ),
        );
  if (weak && ttl !== undefined)
    return {
      ...refuse(
        `the WeakMap \`${map}\` keeps entries that expire: memoizeWeak keeps a result as long as its key, with no TTL`,
      ),
      final: true,
    };
  if (late !== undefined)
    return {
      ...refuse(
        `the TTL \`${late.text}\` is declared after the map (the cache is made where the map was)`,
      ),
      final: true,
    };
  // A TTL memo's own test and stamp are read above; any other clock read is not carried over.
  const clocked = ttl === undefined ? st : compute;
  if (/Date\.now\(\)|performance\.now\(\)/.test(clocked.map((s) => s.getText(file)).join("\n")))
    return refuse(
      "entries are stamped with the clock in a shape not recognised (a TTL is carried over from `{ value, expires: Date.now() + ttl }` tested `hit && hit.expires > Date.now()`, or `{ value, at: Date.now() }` tested `hit && Date.now() - hit.at < ttl`)",
    );
  const isAsync = (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  // The value's written type: the map's (a TTL entry's value member), else the function's.
  const storedType =
    ttl === undefined
      ? valueType
      : valueType !== undefined && ts.isTypeLiteralNode(valueType)
        ? valueType.members.find(
            (m): m is ts.PropertySignature =>
              ts.isPropertySignature(m) && m.name.getText(file) === entry?.valueProp,
          )?.type
        : undefined;
  const type = storedType ?? writtenReturnType(fn);
  if (!isAsync && type !== undefined && /^Promise\s*</.test(type.getText(file)))
    return refuse(
      "the function keeps promises (a promise cache keeps rejections; getOrLoad does not)",
    );
  const made = madeFrom(value, body);
  if (ts.isNewExpression(made) && made.expression.getText(file) === "Promise")
    return refuse(
      "the value is a promise (a promise cache keeps rejections; getOrLoad does not): not rewritten",
    );
  // memoizeWeak keeps any result, `undefined` included; a cache refuses `undefined`.
  // memoizeLocal keeps no `undefined` either: behind a `get` test (computeFrom 2) the code computed
  // it again, as memoizeLocal will.
  const why =
    weak || (perCall && computeFrom === 2) ? undefined : undefinedValue(value, body, type, fn);
  if (why !== undefined) return refuse(why);
  if (!isAsync && compute.some((s) => awaits(s)))
    return refuse("the compute awaits outside an async function");
  const caches = input.shared.importInto(file, input.names, "caches");
  const cacheName = cacheNameFor(input, map);
  // Type arguments only where the map had them (a JSDoc type stays a comment in JavaScript).
  const generics =
    keyType !== undefined && storedType !== undefined && newMap.typeArguments !== undefined
      ? `<${keyType.getText(file)}, ${storedType.getText(file)}>`
      : "";
  // What the cache holds: the map's values, or a TTL entry's value member.
  const held = (v: string): string =>
    ttl === undefined ? v : (storedType?.getText(file) ?? "unknown");
  const cacheCall = `${caches.local}.cache${generics}(${JSON.stringify(cacheName)}${ttl === undefined ? "" : `, { ttl: ${ttl.getText(file)} }`})`;
  const kept =
    ttl === undefined
      ? `the cache \`${cacheName}\` keeps at most 10,000 entries (the default max; pass { max } to change it)`
      : `entries expire ${ttl.getText(file)} ms after they are stored, as before (expired ones are dropped, not kept until overwritten); the cache \`${cacheName}\` keeps at most 10,000 entries (the default max; pass { max } to change it)`;
  const indent =
    /^[ \t]*/.exec(
      file.text.slice(file.text.lastIndexOf("\n", st[0]?.getStart(file) ?? 0) + 1),
    )?.[0] ?? "  ";
  const computeText = (inner: string): string => {
    const lines = compute.map((s) => file.text.slice(s.getStart(file), s.getEnd()));
    return [...lines, `return ${value.getText(file)};`]
      .map((l) =>
        l
          .split("\n")
          .map((x) => inner + x.trimStart())
          .join("\n"),
      )
      .join("\n");
  };
  const direct = directValue(file, compute, value);
  if (weak || perCall)
    return ownStoreMemo({
      input,
      fn,
      param,
      keyTypeText,
      place: { statement, keyword },
      map,
      compute: direct === undefined ? compute : [],
      value: direct ?? value,
      weak,
      statements: st,
      ...(built === undefined ? {} : { built }),
      ...(narrowed ? { narrowed } : {}),
    });
  const bodyStart = (st[0] as ts.Statement).getStart(file);
  const bodyEnd = returned.getEnd();
  if (isAsync) {
    const loader =
      direct !== undefined
        ? `${ts.isAwaitExpression(direct) ? "" : "async "}() => ${arrowResult(ts.isAwaitExpression(direct) ? direct.expression : direct, file)}`
        : `async () => {\n${computeText(`${indent}  `)}\n${indent}}`;
    return {
      ok: true,
      api: "cache.getOrLoad(key, loader)",
      edits: [
        { start: newMap.getStart(file), end: newMap.getEnd(), text: cacheCall },
        ...optional(
          jsDocMapRetype(
            declaration,
            (k, v) => `import("@perflayer/cache").Cache<${k}, ${held(v)}>`,
          ),
        ),
        { start: bodyStart, end: bodyEnd, text: `return ${map}.getOrLoad(${key}, ${loader});` },
      ],
      imports: [caches],
      shared: ["caches"],
      notes: [
        `concurrent calls with one key now share one load, and a failed load is not kept; ${kept}`,
      ],
    };
  }
  const memoize = importName(file, input.names, "@perflayer/cache", "memoize");
  const typed = typedKey(param, keyTypeText, file, narrowed);
  // memoize keys a lone string or number argument as is and anything else by its JSON: an object
  // key is kept by identity, as the Map kept it.
  const keyOption =
    keyTypeText !== undefined && PRIMITIVE_KEYS.has(keyTypeText)
      ? ""
      : `\n  { key: (${key}) => ${key} },`;
  const returnType = fn.type === undefined ? "" : `: ${fn.type.getText(file)}`;
  const arrowBody = direct !== undefined ? arrowResult(direct, file) : `{\n${computeText("  ")}\n}`;
  return {
    ok: true,
    api: "memoize(fn, caches.cache(name))",
    edits: [
      {
        start: statement.getStart(file),
        end: statement.getEnd(),
        text: `${keyword} ${map} = ${memoize.local}(\n  (${typed})${returnType} => ${arrowBody.replaceAll("\n", "\n  ")},\n  ${cacheCall},${keyOption}\n);`,
      },
      { start: bodyStart, end: bodyEnd, text: `return ${map}(${key});` },
      ...optional(
        jsDocMapRetype(
          declaration,
          (k, v) => `import("@perflayer/cache").Memoized<[${k}], ${held(v)}>`,
        ),
      ),
    ],
    imports: [memoize, caches],
    shared: ["caches"],
    notes: [kept],
  };
}

/**
 * How many statements a memo function starts with that return early without naming the store
 * (`if (!key) return "";`, `if (key instanceof Done) return key;`): guards that stay where they
 * are, before the memo.
 * @param fn - the memo function
 * @param map - the store's name
 * @returns the number of guards (0 when the first statement is not one)
 */
function guardsBefore(fn: ts.FunctionLikeDeclaration, map: string): number {
  const body = fn.body;
  const param = fn.parameters[0];
  if (
    body === undefined ||
    !ts.isBlock(body) ||
    param === undefined ||
    !ts.isIdentifier(param.name) ||
    param.initializer !== undefined
  )
    return 0;
  const st = body.statements;
  let n = 0;
  for (const s of st) {
    if (!ts.isIfStatement(s) || s.elseStatement !== undefined) break;
    const then = ts.isBlock(s.thenStatement)
      ? s.thenStatement.statements.length === 1
        ? s.thenStatement.statements[0]
        : undefined
      : s.thenStatement;
    if (
      then === undefined ||
      !ts.isReturnStatement(then) ||
      findAll(s, ts.isIdentifier).some((id) => id.text === map)
    )
      break;
    n++;
  }
  // The rest must still be a memo: at least a lookup, a store and a return.
  return n > 0 && st.length - n >= 3 ? n : 0;
}
