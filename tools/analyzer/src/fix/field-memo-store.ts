import { ts } from "ts-morph";
import { findAll } from "../ast.js";
import { fieldMapIn, isThisField } from "./field-map.js";
import type { RewriteInput } from "./rewrite.js";

/** A memo's store kept in a field of each instance, filled by one method. */
export interface FieldMemoStore {
  /** How the code names the store: `this.#cache`, `this._cache`. */
  readonly map: string;
  /** The field's `new Map()` / `new WeakMap()`. */
  readonly newMap: ts.NewExpression;
  /** The field's declaration, if it has one. */
  readonly declared: ts.PropertyDeclaration | undefined;
  /** Every `this.field` but the one that sets it. */
  readonly uses: readonly ts.PropertyAccessExpression[];
  /** The method that reads and fills it. */
  readonly fn: ts.MethodDeclaration;
  /** Names the constructor declares, when the store is made there (a moved compute must not read them). */
  readonly shadowing: ReadonlySet<string>;
}

const isStatic = (n: ts.Node): boolean =>
  ts.canHaveModifiers(n) &&
  (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);

/**
 * The store of a memo kept per instance: a private field (`#cache`, `private`, `_cache` in
 * JavaScript) set once to `new Map()` or `new WeakMap()` — where it is declared or in the
 * constructor — and read and filled only by one method of the class (its one parameter the key).
 * @param input - the finding
 * @returns the store, why it is not one (a refusal), or undefined when the finding's store is not
 *   a field of `this`
 */
export function fieldMemoStore(input: RewriteInput): FieldMemoStore | string | undefined {
  const { file } = input;
  const found = fieldMapIn(input, ["Map", "WeakMap"]);
  if (found === undefined) return undefined;
  const { field, cls, declared, assigned, newMap } = found;
  const label = `the field \`this.${field}\``;
  const javaScript = /\.[cm]?jsx?$/.test(file.fileName);
  const isPrivate =
    field.startsWith("#") ||
    (declared !== undefined &&
      (ts.getModifiers(declared) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) ||
    (javaScript && field.startsWith("_"));
  if (!isPrivate)
    return `${label} is not private (\`#${field.replace(/^#/, "")}\`, \`private\`, or \`_\` in JavaScript): other code may reach its Map`;
  if (declared !== undefined && isStatic(declared)) return `${label} is static`;
  const setter = assigned[0];
  const ctor = setter === undefined ? undefined : setter.parent;
  if (
    setter !== undefined &&
    !(
      ts.isExpressionStatement(ctor as ts.Node) &&
      ts.isBlock((ctor as ts.Node).parent) &&
      ts.isConstructorDeclaration((ctor as ts.Node).parent.parent)
    )
  )
    return `${label} is set outside the constructor's body`;
  // Declared with a type and set in the constructor: the type must name the store's key and value
  // (`Map<K, V>`), which the memo's type is written from.
  const type = declared?.type;
  if (
    type !== undefined &&
    declared?.initializer === undefined &&
    !(
      ts.isTypeReferenceNode(type) &&
      ["Map", "WeakMap"].includes(type.typeName.getText(file)) &&
      type.typeArguments?.length === 2
    )
  )
    return `${label} is declared with a type other than \`Map<K, V>\` (\`${type.getText(file).slice(0, 40)}\`) and set in the constructor: the memo's type could not be written from it`;
  // Every `.field` of the file: read through `this` in this class, and nowhere else.
  const all = findAll(
    file,
    (n): n is ts.PropertyAccessExpression =>
      ts.isPropertyAccessExpression(n) &&
      n.name.text === field &&
      !assigned.some((a) => a.left === n),
  );
  const foreign = all.find((u) => !isThisField(u) || u.pos < cls.pos || u.end > cls.end);
  if (foreign !== undefined)
    return `${label} is read on another object or outside the class (line ${file.getLineAndCharacterOfPosition(foreign.getStart(file)).line + 1}: \`${foreign.getText(file).slice(0, 40)}\`)`;
  let fn: ts.Node | undefined = all[0];
  while (fn !== undefined && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (
    fn === undefined ||
    !ts.isMethodDeclaration(fn) ||
    fn.parent !== cls ||
    isStatic(fn) ||
    all.some((u) => u.pos < fn.pos || u.end > fn.end)
  )
    return `${label} is read or filled other than by one method of the instance`;
  const constructorDeclaration =
    ctor === undefined ? undefined : (ctor.parent.parent as ts.ConstructorDeclaration);
  const shadowing = new Set(
    constructorDeclaration === undefined
      ? []
      : [
          ...findAll(constructorDeclaration, ts.isParameter),
          ...findAll(constructorDeclaration, ts.isVariableDeclaration),
        ].flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : [])),
  );
  return {
    map: `this.${field}`,
    newMap,
    declared,
    uses: all,
    fn,
    shadowing,
  };
}
