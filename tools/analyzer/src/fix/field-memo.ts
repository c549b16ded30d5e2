import { ts } from "ts-morph";
import { findAll } from "../ast.js";
import { madeFrom, undefinedValue, writtenReturnType } from "./defined-value.js";
import type { FieldMemoStore } from "./field-memo-store.js";
import { directValue, matchMemoBody } from "./memo-body.js";
import { ownStoreMemo } from "./own-store-memo.js";
import { refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import { isReference, ownNames } from "./scope-captures.js";
import { awaits } from "./statement-facts.js";

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
export function fieldMemo(input: RewriteInput, field: FieldMemoStore): Rewrite | Refusal {
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
  // The compute moves out of the method to where the field is made: the method's type parameters
  // stay behind (`getter<T>(meta: Meta<T>): Getter<T>` would leave `T` unbound there).
  const generic = fn.typeParameters?.[0];
  if (generic !== undefined)
    return refuse(
      `the method that fills \`${map}\` is generic (\`<${generic.getText(file)}>\`): its compute, moved to where the field is made, would lose its type parameters`,
    );
  const matched = matchMemoBody(file, fn, map, uses.length, keyType, true);
  if (!("body" in matched)) return matched;
  const { body, param, keyTypeText, st, compute, value, computeFrom, ttl, built } = matched;
  if (ttl !== undefined)
    return refuse(
      `the field \`${map}\` keeps entries that expire: memoizeLocal has no TTL, and a named cache would merge the instances' stores`,
    );
  const own = ownNames(fn);
  const shadowed = [...compute, value]
    .flatMap((n) => findAll(n, ts.isIdentifier))
    .find((id) => shadowing.has(id.text) && !own.has(id.text) && isReference(id));
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
  const direct = directValue(file, compute, value);
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
    ...(built === undefined ? {} : { built }),
  });
}
