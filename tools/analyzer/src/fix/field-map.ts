import { ts } from "ts-morph";
import { findAll } from "../ast.js";
import { isAssignment } from "./defined-value.js";
import { inFinding } from "./rewrite.js";
import type { RewriteInput } from "./rewrite.js";

/** `this.name` (a field read through `this`). */
export const isThisField = (n: ts.Node, name?: string): boolean =>
  ts.isPropertyAccessExpression(n) &&
  n.expression.kind === ts.SyntaxKind.ThisKeyword &&
  (name === undefined || n.name.text === name);

/** A field of `this` that a finding reads or fills as a map, and the one map it is set to. */
export interface FieldMap {
  /** The field's name (`#cache`, `cache`, `_cache`). */
  readonly field: string;
  /** The class that holds it. */
  readonly cls: ts.ClassLikeDeclaration;
  /** The field's declaration, if it has one. */
  readonly declared: ts.PropertyDeclaration | undefined;
  /** Every `this.field = …` in the class. */
  readonly assigned: readonly ts.BinaryExpression[];
  /** The field's one `new Map()` (or another of the accepted constructors), without arguments. */
  readonly newMap: ts.NewExpression;
}

/**
 * The field a finding uses as a map store (`this.field.get/has/set(…)` in the finding's lines),
 * when the class sets it exactly once — where it is declared or by one assignment — to an empty
 * `new <constructor>()`.
 * @param input - the finding
 * @param constructors - the accepted map constructors (`Map`, `WeakMap`)
 * @returns the field and its map, or undefined when the finding's store is no such field
 */
export function fieldMapIn(
  input: RewriteInput,
  constructors: readonly string[],
): FieldMap | undefined {
  const { file } = input;
  const access = findAll(
    file,
    (n): n is ts.PropertyAccessExpression =>
      ts.isPropertyAccessExpression(n) &&
      isThisField(n) &&
      inFinding(input, n) &&
      ts.isPropertyAccessExpression(n.parent) &&
      ["get", "has", "set"].includes(n.parent.name.text),
  )[0];
  if (access === undefined) return undefined;
  const field = access.name.text;
  let cls: ts.Node | undefined = access.parent;
  while (cls !== undefined && !ts.isClassLike(cls)) cls = cls.parent;
  if (cls === undefined || !ts.isClassLike(cls)) return undefined;
  const declared = cls.members.find(
    (m): m is ts.PropertyDeclaration =>
      ts.isPropertyDeclaration(m) && m.name.getText(file) === field,
  );
  const assigned = findAll(
    cls,
    (n): n is ts.BinaryExpression => isAssignment(n) && isThisField(n.left, field),
  );
  const made = [
    ...(declared?.initializer === undefined ? [] : [declared.initializer]),
    ...assigned.map((a) => a.right),
  ];
  const newMap = made[0];
  if (
    made.length !== 1 ||
    newMap === undefined ||
    !ts.isNewExpression(newMap) ||
    !constructors.includes(newMap.expression.getText(file)) ||
    (newMap.arguments?.length ?? 0) > 0
  )
    return undefined;
  return { field, cls, declared, assigned, newMap };
}
