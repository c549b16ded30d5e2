import { ts } from "ts-morph";
import { findAll } from "../ast.js";
import { jsDocMapRetype } from "./defined-value.js";
import { cacheNameFor } from "./memo-store.js";
import { fieldMapIn, isThisField } from "./field-map.js";
import { refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import { awaits } from "./statement-facts.js";
import { checkMemoUses, nullableKeyRefusal, swapRewrite } from "./store-swap.js";

/** Whether a field is private: `#field`, or TypeScript's `private`. */
function isPrivate(name: string, declared: ts.PropertyDeclaration | undefined): boolean {
  return (
    name.startsWith("#") ||
    (declared !== undefined &&
      (ts.getModifiers(declared) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword))
  );
}

/**
 * A memo (a derived value, not a load) kept in a private field (`#cache = new Map()`, `private readonly cache = new Map()`, or
 * `this.#cache = new Map()` in the constructor) by a method whose values depend on the key alone:
 * the method takes one parameter and reads no `this` but the field, so every instance would
 * compute the same value for a key, and one named cache of the shared `CacheManager` can serve
 * them all — the field's `new Map()` becomes `caches.cache(name)`, the code around it stays.
 * Refused: a field other code may reach (not private), set more than once, a method that reads
 * other instance state or more than its key, and everything {@link checkMemoUses} refuses.
 * @param input - the finding
 * @returns the rewrite, the refusal, or undefined when the store is not a field holding a Map
 */
export function swapFieldStore(input: RewriteInput): Rewrite | Refusal | undefined {
  const { file } = input;
  const found = fieldMapIn(input, ["Map"]);
  if (found === undefined) return undefined;
  const { field, cls, declared, assigned, newMap } = found;
  const label = `the field \`this.${field}\``;
  // A load (I/O, a callback) is fresh for each new instance; shared, it would outlive them.
  if (input.finding.kind !== "memoize")
    return refuse(
      `${label} keeps loaded values (${input.finding.kind}): each new instance loads them afresh, and one shared cache would serve an older instance's load`,
    );
  if (!isPrivate(field, declared))
    return refuse(
      `${label} is not private (\`#${field.replace(/^#/, "")}\` or \`private\`): other code may reach its Map`,
    );
  const uses = findAll(
    cls,
    (n): n is ts.PropertyAccessExpression =>
      ts.isPropertyAccessExpression(n) &&
      n.name.text === field &&
      !assigned.some((a) => a.left === n),
  );
  const foreign = uses.find((u) => !isThisField(u));
  if (foreign !== undefined)
    return refuse(`${label} is read on another object (\`${foreign.getText(file).slice(0, 40)}\`)`);
  const annotation = declared?.type;
  const annotated =
    annotation !== undefined &&
    ts.isTypeReferenceNode(annotation) &&
    annotation.typeName.getText(file) === "Map"
      ? annotation.typeArguments?.[1]
      : undefined;
  const valueType = newMap.typeArguments?.[1] ?? annotated ?? jsDocValueType(declared);
  const checked = checkMemoUses(file, label, uses, valueType);
  if ("ok" in checked) return checked;
  const { fn } = checked;
  if (awaits(fn))
    return refuse(
      `the method that fills ${label} awaits: each new instance loads afresh, and one shared cache would serve an older instance's load`,
    );
  if (!ts.isFunctionLike(fn) || fn.parameters.length !== 1)
    return refuse(
      `the method that fills ${label} takes more than its key: values may differ between instances, and one cache would serve them all`,
    );
  const other = findAll(
    fn,
    (n): n is ts.Node =>
      (n.kind === ts.SyntaxKind.ThisKeyword && !uses.some((u) => u.expression === n)) ||
      n.kind === ts.SyntaxKind.SuperKeyword,
  )[0];
  if (other !== undefined)
    return refuse(
      `the method that fills ${label} reads other instance state (\`${other.parent.getText(file).slice(0, 40)}\`): values may differ between instances, and one cache would serve them all`,
    );
  const owner = ts.isClassDeclaration(cls) && cls.name !== undefined ? cls.name.text : "class";
  const cacheName = cacheNameFor(input, `${owner}.${field.replace(/^#/, "")}`);
  const retype = (k: string, v: string): string => `import("@perflayer/cache").Cache<${k}, ${v}>`;
  const retyped =
    annotation !== undefined &&
    ts.isTypeReferenceNode(annotation) &&
    annotation.typeArguments?.length === 2
      ? {
          start: annotation.getStart(file),
          end: annotation.getEnd(),
          text: retype(
            (annotation.typeArguments[0] as ts.TypeNode).getText(file),
            (annotation.typeArguments[1] as ts.TypeNode).getText(file),
          ),
        }
      : declared === undefined
        ? undefined
        : jsDocMapRetype(declared, retype);
  const nullableKey =
    annotation !== undefined && ts.isTypeReferenceNode(annotation)
      ? nullableKeyRefusal(annotation.typeArguments?.[0], file)
      : undefined;
  if (nullableKey !== undefined) return nullableKey;
  return swapRewrite({
    input,
    newMap,
    cacheName,
    retyped,
    api: "caches.cache(name) in place of the field's Map",
    note: `the instances now share one cache, \`${cacheName}\` of the shared CacheManager (the values depend on the key alone), which keeps at most 10,000 entries (the default max) beyond any one instance's life; the code that reads and fills it stays`,
  });
}

/** The value type of a field's JSDoc `@type {Map<K, V>}`. */
function jsDocValueType(declared: ts.PropertyDeclaration | undefined): ts.TypeNode | undefined {
  if (declared === undefined) return undefined;
  const documented = ts.getJSDocType(declared);
  return documented !== undefined &&
    ts.isTypeReferenceNode(documented) &&
    documented.typeName.getText() === "Map"
    ? documented.typeArguments?.[1]
    : undefined;
}
