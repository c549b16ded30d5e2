import { ts } from "ts-morph";
import { findAll, isFunctionLike } from "../ast.js";
import {
  jsDocMapRetype,
  madeFrom,
  undefinedValue,
  writtenReturnType,
  writtenValueType,
} from "./defined-value.js";
import { cacheNameFor, mapsInFinding, storeRefusal } from "./memo-store.js";
import { ttlEntry, ttlOfHit } from "./memo-ttl.js";
import { importName } from "./file-imports.js";
import { refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import { awaits, outerWrite } from "./statement-facts.js";
import { swapFieldStore } from "./field-swap.js";
import { capturedBetween } from "./scope-captures.js";
import { fieldMemoStore } from "./field-memo-store.js";
import type { FieldMemoStore } from "./field-memo-store.js";
import { swapStore } from "./store-swap.js";
import { rewriteSingleSlot } from "./rewrite-single-slot.js";
import { arrowResult, ownStoreMemo, typedKey } from "./own-store-memo.js";

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);

/** Keys `memoize` uses as they are by default; others get `{ key: (k) => k }` (compared as a Map compares them). */
const PRIMITIVE_KEYS = new Set(["string", "number"]);

/** `M.method(…)` on the identifier `map`: the call, else undefined. */
function mapCall(
  node: ts.Node | undefined,
  map: string,
  method: string,
): ts.CallExpression | undefined {
  let n = node;
  while (
    n !== undefined &&
    (ts.isNonNullExpression(n) || ts.isAsExpression(n) || ts.isParenthesizedExpression(n))
  )
    n = n.expression;
  return n !== undefined &&
    ts.isCallExpression(n) &&
    ts.isPropertyAccessExpression(n.expression) &&
    n.expression.expression.getText() === map &&
    n.expression.name.text === method
    ? n
    : undefined;
}

/** The statement a one-statement block holds, or the statement. */
const single = (s: ts.Statement): ts.Statement | undefined =>
  ts.isBlock(s) ? (s.statements.length === 1 ? s.statements[0] : undefined) : s;

/** `if (hit !== undefined) return hit;` (or `if (hit)`, `!= null`): whether it returns `hit` when present. */
function returnsHit(statement: ts.Statement | undefined, hit: string): boolean {
  if (
    statement === undefined ||
    !ts.isIfStatement(statement) ||
    statement.elseStatement !== undefined
  )
    return false;
  const then = single(statement.thenStatement);
  if (then === undefined || !ts.isReturnStatement(then) || then.expression?.getText() !== hit)
    return false;
  const test = statement.expression;
  if (ts.isIdentifier(test)) return test.text === hit;
  return (
    ts.isBinaryExpression(test) &&
    test.left.getText() === hit &&
    ((test.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken &&
      test.right.getText() === "undefined") ||
      (test.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken &&
        ["null", "undefined"].includes(test.right.getText())))
  );
}

/** `v === undefined`, `v == null`, `!v`: whether the test is true when `v` holds nothing. */
function missTest(test: ts.Expression, v: string): boolean {
  if (ts.isPrefixUnaryExpression(test))
    return (
      test.operator === ts.SyntaxKind.ExclamationToken &&
      ts.isIdentifier(test.operand) &&
      test.operand.text === v
    );
  if (!ts.isBinaryExpression(test) || test.left.getText() !== v) return false;
  const op = test.operatorToken.kind;
  const right = test.right.getText();
  return (
    (op === ts.SyntaxKind.EqualsEqualsEqualsToken && right === "undefined") ||
    (op === ts.SyntaxKind.EqualsEqualsToken && (right === "null" || right === "undefined"))
  );
}

/**
 * The fill-on-miss shape of a memo: `let v = map.get(key); if (v === undefined) { …compute…; v =
 * value; map.set(key, v); } return v;` (`!v` and `v == null` as tests too).
 * @returns the compute, the value and the `set`, or undefined when the body is not that shape
 */
function fillOnMiss(
  st: readonly ts.Statement[],
  got: ts.VariableDeclaration,
  v: string,
  map: string,
  key: string,
): { compute: readonly ts.Statement[]; value: ts.Expression; set: ts.CallExpression } | undefined {
  const [, branch, returned, ...rest] = st;
  if (
    rest.length > 0 ||
    (got.parent.flags & ts.NodeFlags.Let) === 0 ||
    branch === undefined ||
    !ts.isIfStatement(branch) ||
    branch.elseStatement !== undefined ||
    !missTest(branch.expression, v) ||
    returned === undefined ||
    !ts.isReturnStatement(returned) ||
    returned.expression === undefined ||
    !ts.isIdentifier(returned.expression) ||
    returned.expression.text !== v
  )
    return undefined;
  const inner = ts.isBlock(branch.thenStatement) ? branch.thenStatement.statements : [];
  const [assign, store] = inner.slice(-2);
  const set =
    store !== undefined && ts.isExpressionStatement(store)
      ? mapCall(store.expression, map, "set")
      : undefined;
  if (
    assign === undefined ||
    !ts.isExpressionStatement(assign) ||
    !ts.isBinaryExpression(assign.expression) ||
    assign.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
    assign.expression.left.getText() !== v ||
    set === undefined ||
    set.arguments[0]?.getText() !== key ||
    set.arguments[1]?.getText() !== v
  )
    return undefined;
  const compute = inner.slice(0, -2);
  // The compute may not read or write the slot it fills.
  if (compute.some((s) => findAll(s, ts.isIdentifier).some((id) => id.text === v)))
    return undefined;
  return { compute, value: assign.expression.right, set };
}

/** Whether `node` reads `this` or `arguments`, or returns, outside functions nested in it. */
function leavesScope(node: ts.Node, allowThis = false): string | undefined {
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found !== undefined) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword && !allowThis) found = "reads `this`";
    else if (ts.isIdentifier(n) && n.text === "arguments") found = "reads `arguments`";
    else if (ts.isReturnStatement(n)) found = "returns early";
    if (!isFunctionLike(n) || ts.isArrowFunction(n)) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

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
  return (
    swapStore(input) ??
    swapFieldStore(input) ??
    (mapsInFinding(input, ["Map", "WeakMap"]).length === 0
      ? rewriteSingleSlot(input)
      : undefined) ??
    rewrite
  );
}

/** A memo function's body, matched: its key, the compute and the value it stores. */
interface MemoBody {
  readonly body: ts.Block;
  readonly param: ts.ParameterDeclaration;
  readonly key: string;
  readonly keyTypeText: string | undefined;
  readonly st: ts.NodeArray<ts.Statement>;
  readonly compute: readonly ts.Statement[];
  readonly value: ts.Expression;
  /** 2 behind a `get` test (an `undefined` value was computed again), 1 behind a `has` test. */
  readonly computeFrom: number;
  readonly ttl: ts.Expression | undefined;
  readonly entry: ReturnType<typeof ttlEntry>;
  readonly returned: ts.Statement;
}

/**
 * Matches a get-or-compute body over the store `map` (`cache`, `this.#cache`): a lookup that
 * returns the stored value, the compute, the `set` and the return.
 * @param file - the file
 * @param fn - the memo function
 * @param map - the store as the code names it
 * @param useCount - how many times the code names the store
 * @param keyType - the store's written key type, if any
 * @param allowThis - whether the compute may read `this` (it moves where `this` is the same)
 * @returns the match, or the refusal
 */
function matchMemoBody(
  file: ts.SourceFile,
  fn: ts.FunctionLikeDeclaration,
  map: string,
  useCount: number,
  keyType: ts.TypeNode | undefined,
  allowThis: boolean,
): MemoBody | Refusal {
  const body = fn.body;
  if (body === undefined || !ts.isBlock(body)) return refuse("the function has no block body");
  if (fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0]?.name as ts.Node))
    return refuse("the function does not take exactly one named argument (the key)");
  const param = fn.parameters[0] as ts.ParameterDeclaration;
  const key = (param.name as ts.Identifier).text;
  const keyTypeText = param.type?.getText(file) ?? keyType?.getText(file);
  const st = body.statements;
  const locals = new Set([
    key,
    ...findAll(body, ts.isVariableDeclaration).flatMap((d) =>
      ts.isIdentifier(d.name) ? [d.name.text] : [],
    ),
  ]);
  const stored = st[st.length - 2];
  const returned = st[st.length - 1];
  const set =
    stored !== undefined && ts.isExpressionStatement(stored)
      ? mapCall(stored.expression, map, "set")
      : undefined;
  // `map.set(key, { value, expires: Date.now() + TTL })`: a TTL memo, when the hit test agrees.
  const entry = ttlEntry(set?.arguments[1], locals);
  let ttl: ts.Expression | undefined;
  let computeFrom: number;
  const first = st[0];
  const got =
    first !== undefined &&
    ts.isVariableStatement(first) &&
    first.declarationList.declarations.length === 1
      ? first.declarationList.declarations[0]
      : undefined;
  const hit =
    got !== undefined &&
    ts.isIdentifier(got.name) &&
    mapCall(got.initializer, map, "get")?.arguments[0]?.getText(file) === key
      ? got.name.text
      : undefined;
  const hitTtl =
    hit !== undefined && entry !== undefined ? ttlOfHit(st[1], hit, entry, locals) : undefined;
  // `let v = map.get(key); if (v === undefined) { …; v = compute; map.set(key, v); } return v;`
  const filled =
    hit !== undefined && got !== undefined ? fillOnMiss(st, got, hit, map, key) : undefined;
  if (filled !== undefined) computeFrom = 2;
  else if (hit !== undefined && returnsHit(st[1], hit)) computeFrom = 2;
  else if (hitTtl !== undefined) {
    computeFrom = 2;
    ttl = hitTtl;
  } else if (
    first !== undefined &&
    ts.isIfStatement(first) &&
    first.elseStatement === undefined &&
    mapCall(first.expression, map, "has")?.arguments[0]?.getText(file) === key &&
    (() => {
      const then = single(first.thenStatement);
      return (
        then !== undefined &&
        ts.isReturnStatement(then) &&
        mapCall(then.expression, map, "get")?.arguments[0]?.getText(file) === key
      );
    })()
  )
    computeFrom = 1;
  else
    return refuse(
      `the function does not start by returning the stored value of \`${key}\` (\`${map}.get\`/\`${map}.has\`${entry === undefined ? "" : ", or a TTL entry tested against `Date.now()`"})`,
    );
  const storedValue = ttl === undefined ? set?.arguments[1] : entry?.value;
  if (
    filled === undefined &&
    (set === undefined ||
      set.arguments[0]?.getText(file) !== key ||
      returned === undefined ||
      !ts.isReturnStatement(returned) ||
      returned.expression?.getText(file) !== storedValue?.getText(file))
  )
    return refuse(
      `the function does not end by storing the value under \`${key}\` and returning it`,
    );
  if (useCount !== (computeFrom === 2 ? 2 : 3))
    return refuse(
      `the map \`${map}\` is used more than to get, test and set in \`${key}\`'s function`,
    );
  const compute = filled?.compute ?? st.slice(computeFrom, st.length - 2);
  const value = filled?.value ?? ((returned as ts.ReturnStatement).expression as ts.Expression);
  for (const s of [...compute, value]) {
    const why = leavesScope(s, allowThis);
    if (why !== undefined) return refuse(`the compute ${why}`);
    const written = outerWrite(s, file, compute);
    if (written !== undefined)
      return refuse(`the compute is not a pure call: it assigns \`${written}\``);
  }
  return {
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
    returned: returned as ts.Statement,
  };
}

/** A refusal; `final` when the shape was recognised and a store swap would not do either. */
type MemoRefusal = Refusal & { readonly final?: true };

function rewriteGetOrCompute(input: RewriteInput): Rewrite | MemoRefusal {
  const { file } = input;
  const declarations = mapsInFinding(input, ["Map", "WeakMap"]);
  if (declarations.length === 0) {
    const field = fieldMemoStore(input);
    if (field === undefined) return refuse(storeRefusal(input));
    if (typeof field === "string") return refuse(field);
    // A memo whose values depend on the key alone shares one named cache between instances.
    const shared = swapFieldStore(input);
    return shared?.ok === true ? shared : fieldMemo(input, field);
  }
  if (declarations.length > 1) return refuse("several maps in the finding's lines");
  const declaration = declarations[0] as ts.VariableDeclaration;
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
  const uses = findAll(
    file,
    (u): u is ts.Identifier => ts.isIdentifier(u) && u !== declaration.name && u.text === map,
  );
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
  const matched = matchMemoBody(file, fn, map, uses.length, keyType, arrowsOnly);
  if (!("body" in matched)) return matched;
  const { body, param, key, keyTypeText, st, compute, value, computeFrom, ttl, entry, returned } =
    matched;
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
  const sole = compute.length === 1 ? compute[0] : undefined;
  const soleDecl =
    sole !== undefined &&
    ts.isVariableStatement(sole) &&
    sole.declarationList.declarations.length === 1
      ? sole.declarationList.declarations[0]
      : undefined;
  const direct =
    soleDecl?.initializer !== undefined && soleDecl.name.getText(file) === value.getText(file)
      ? soleDecl.initializer
      : compute.length === 0
        ? value
        : undefined;
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
    });
  const bodyStart = (st[0] as ts.Statement).getStart(file);
  const bodyEnd = (returned as ts.Statement).getEnd();
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
  const typed = typedKey(param, keyTypeText, file);
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
 * A get-or-compute memo kept in a private field of each instance (see {@link fieldMemoStore}) →
 * the field becomes `memoizeLocal((key) => compute)` (`memoizeWeak` for a WeakMap) where its Map
 * was made, the method returning `this.field(key)`: one store per instance as before, now
 * bounded; the compute reads `this` as the method did (an arrow in the field's initializer or the
 * constructor sees the instance).
 * @param input - the finding
 * @param field - the field and its method
 * @returns the rewrite, or the refusal
 */
function fieldMemo(input: RewriteInput, field: FieldMemoStore): Rewrite | MemoRefusal {
  const { file } = input;
  const { map, newMap, declared, uses, fn, shadowing } = field;
  const weak = newMap.expression.getText(file) === "WeakMap";
  const annotation = declared?.type;
  const annotated =
    annotation !== undefined &&
    ts.isTypeReferenceNode(annotation) &&
    ["Map", "WeakMap"].includes(annotation.typeName.getText(file))
      ? annotation.typeArguments
      : undefined;
  const keyType = newMap.typeArguments?.[0] ?? annotated?.[0];
  const valueType = newMap.typeArguments?.[1] ?? annotated?.[1];
  if (valueType !== undefined && /^Promise</.test(valueType.getText(file)))
    return refuse(`the field \`${map}\` keeps promises (a promise cache is not rewritten yet)`);
  const matched = matchMemoBody(file, fn, map, uses.length, keyType, true);
  if (!("body" in matched)) return matched;
  const { body, param, keyTypeText, st, compute, value, computeFrom, ttl } = matched;
  if (ttl !== undefined)
    return refuse(
      `the field \`${map}\` keeps entries that expire: memoizeLocal has no TTL, and a named cache would merge the instances' stores`,
    );
  const shadowed = [...compute, value]
    .flatMap((n) => findAll(n, ts.isIdentifier))
    .find((id) => shadowing.has(id.text) && !ts.isPropertyAccessExpression(id.parent));
  if (shadowed !== undefined)
    return refuse(
      `the compute reads \`${shadowed.text}\`, which the constructor that makes the field declares too: moved there, it would read the constructor's`,
    );
  if (/Date\.now\(\)|performance\.now\(\)/.test(st.map((s) => s.getText(file)).join("\n")))
    return refuse("the method reads the clock (entries that expire by hand are not carried over)");
  const isAsync = (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const type = valueType ?? writtenReturnType(fn);
  if (!isAsync && type !== undefined && /^Promise\s*</.test(type.getText(file)))
    return refuse(
      "the method keeps promises (a promise cache keeps rejections; memoizeLocal does not)",
    );
  const made = madeFrom(value, body);
  if (ts.isNewExpression(made) && made.expression.getText(file) === "Promise")
    return refuse(
      "the value is a promise (a promise cache keeps rejections; memoizeLocal does not)",
    );
  // Behind a `get` test an `undefined` value was computed again, as memoizeLocal does.
  const why = weak || computeFrom === 2 ? undefined : undefinedValue(value, body, type, fn);
  if (why !== undefined) return refuse(why);
  if (!isAsync && compute.some((s) => awaits(s)))
    return refuse("the compute awaits outside an async function");
  const sole = compute.length === 1 ? compute[0] : undefined;
  const soleDecl =
    sole !== undefined &&
    ts.isVariableStatement(sole) &&
    sole.declarationList.declarations.length === 1
      ? sole.declarationList.declarations[0]
      : undefined;
  const direct =
    soleDecl?.initializer !== undefined && soleDecl.name.getText(file) === value.getText(file)
      ? soleDecl.initializer
      : compute.length === 0
        ? value
        : undefined;
  return ownStoreMemo({
    input,
    fn,
    param,
    keyTypeText,
    place: { newMap, declared },
    map,
    compute: direct === undefined ? compute : [],
    value: direct ?? value,
    weak,
  });
}
