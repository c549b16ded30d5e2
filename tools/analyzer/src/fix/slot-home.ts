import { ts } from "ts-morph";
import { findAll, isFunctionLike } from "../ast.js";
import type { RewriteInput } from "./rewrite.js";
import type { TextEdit } from "./source-edit.js";
import { declaredNames, isEmptyValue, isSlot, lineOf, slotUses } from "./slot-shape.js";
import type { Slot } from "./slot-shape.js";

/** The type a slot's declaration writes, without `undefined` and `null` (a JSDoc type too). */
function heldType(declared: ts.TypeNode | undefined): string | undefined | false {
  if (declared === undefined) return undefined;
  const parts = ts.isUnionTypeNode(declared) ? declared.types : [declared];
  const kept = parts.filter(
    (t) =>
      t.kind !== ts.SyntaxKind.UndefinedKeyword &&
      !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
  );
  if (kept.length === 0) return false;
  return kept.map((t) => t.getText()).join(" | ");
}

/** Where the slot lives: its uses, what declares it, and the edit that makes it lazy. */
export interface SlotHome {
  readonly uses: readonly ts.Expression[];
  /** Names declared where the load is made that the getter does not see. */
  readonly shadows: ReadonlySet<string>;
  readonly declaredBy: readonly ts.Node[];
  readonly type: string | undefined;
  readonly indent: string;
  readonly resets: number;
  readonly declare: (load: string) => TextEdit;
}

const indentOf = (file: ts.SourceFile, n: ts.Node): string =>
  /^[ \t]*/.exec(file.text.slice(file.text.lastIndexOf("\n", n.getStart(file)) + 1))?.[0] ?? "";

function countResets(uses: readonly ts.Expression[]): number {
  return uses.filter(
    (u) =>
      (ts.isBinaryExpression(u.parent) && u.parent.left === u && isEmptyValue(u.parent.right)) ||
      ts.isDeleteExpression(u.parent),
  ).length;
}

/** A variable slot: declared alone with no value (or null/undefined), not exported, not shadowed. */
export function variableHome(input: RewriteInput, slot: Slot, getter: ts.Node): SlotHome | string {
  const { file } = input;
  const declarations = findAll(
    file,
    (n): n is ts.VariableDeclaration | ts.ParameterDeclaration | ts.FunctionDeclaration =>
      (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isFunctionDeclaration(n)) &&
      n.name !== undefined &&
      ts.isIdentifier(n.name) &&
      n.name.text === slot.name,
  );
  if (declarations.length !== 1)
    return declarations.length === 0
      ? `the slot \`${slot.name}\` is not declared in this file`
      : `the name \`${slot.name}\` is declared ${declarations.length} times in this file`;
  const declaration = declarations[0];
  if (declaration === undefined || !ts.isVariableDeclaration(declaration))
    return `the slot \`${slot.name}\` is a parameter or function, not a variable`;
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1)
    return `the slot \`${slot.name}\` is not declared alone`;
  if ((ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    return `the slot \`${slot.name}\` is exported: other modules may read it`;
  if (!isEmptyValue(declaration.initializer))
    return `the slot \`${slot.name}\` starts with a value (\`${declaration.initializer?.getText(file).slice(0, 40)}\`)`;
  // The getter must sit in the scope that declares the slot (the load is made there).
  let scope: ts.Node = statement.parent;
  while (!ts.isSourceFile(scope) && !isFunctionLike(scope)) scope = scope.parent;
  if (statement.pos >= getter.pos && statement.end <= getter.end)
    return `\`${slot.name}\` is a local of the function that fills it, not a slot kept between calls`;
  if (!(getter.pos >= scope.pos && getter.end <= scope.end))
    return `the slot \`${slot.name}\` is filled outside the scope that declares it`;
  for (let f: ts.Node = getter.parent; f !== scope; f = f.parent)
    if (isFunctionLike(f))
      return `the function that fills \`${slot.name}\` is nested in another function than the slot's`;
  const uses = slotUses(scope, slot);
  const jsDoc = ts.getJSDocType(declaration);
  const held = heldType(declaration.type ?? jsDoc);
  if (held === false) return `the slot \`${slot.name}\` is typed as always empty`;
  return {
    uses,
    shadows: new Set(),
    declaredBy: [declaration.name],
    type: declaration.type !== undefined ? held : undefined,
    indent: indentOf(file, statement),
    resets: countResets(uses),
    declare: (load) => ({
      start: statement.getStart(file),
      end: statement.getEnd(),
      text: `const ${slot.name} = ${load};`,
    }),
  };
}

/** A field slot: private (`#x`, `private`, a JavaScript `_x`), declared in the class or set empty in its constructor. */
export function fieldHome(input: RewriteInput, slot: Slot, getter: ts.Node): SlotHome | string {
  const { file } = input;
  let cls: ts.Node | undefined = getter.parent;
  while (cls !== undefined && !ts.isClassLike(cls)) cls = cls.parent;
  if (cls === undefined || !ts.isClassLike(cls) || getter.parent !== cls)
    return `the slot \`${slot.text}\` is filled outside a method of its class (e.g. in a function-style constructor)`;
  const js = /\.[cm]?jsx?$/.test(file.fileName);
  const declared = cls.members.find(
    (m): m is ts.PropertyDeclaration =>
      ts.isPropertyDeclaration(m) && m.name.getText(file) === slot.name,
  );
  const priv =
    slot.name.startsWith("#") ||
    (declared !== undefined &&
      (ts.getModifiers(declared) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) ||
    (js && slot.name.startsWith("_"));
  if (!priv)
    return `the field \`${slot.text}\` is not private (\`#${slot.name.replace(/^#/, "")}\`, \`private\`, or \`_\` in JavaScript): other code may read it`;
  const uses = slotUses(file, slot);
  const foreign = uses.find(
    (u) =>
      !(ts.isPropertyAccessExpression(u) && u.expression.kind === ts.SyntaxKind.ThisKeyword) ||
      !(u.pos >= cls.pos && u.end <= cls.end),
  );
  if (foreign !== undefined)
    return `the field \`${slot.name}\` is read on another object or outside the class (line ${lineOf(file, foreign)}: \`${foreign.getText(file).slice(0, 40)}\`)`;
  const ctor = cls.members.find(ts.isConstructorDeclaration);
  const ctorInit = ctor?.body?.statements.find(
    (s): s is ts.ExpressionStatement =>
      ts.isExpressionStatement(s) &&
      ts.isBinaryExpression(s.expression) &&
      s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      isSlot(s.expression.left, slot),
  );
  if (ctorInit !== undefined && !isEmptyValue((ctorInit.expression as ts.BinaryExpression).right))
    return `the constructor sets \`${slot.text}\` to a value (\`${ctorInit.getText(file).slice(0, 40)}\`)`;
  if (declared !== undefined && !isEmptyValue(declared.initializer))
    return `the field \`${slot.name}\` starts with a value (\`${declared.initializer?.getText(file).slice(0, 40)}\`)`;
  const held = heldType(
    declared?.type ?? (declared === undefined ? undefined : ts.getJSDocType(declared)),
  );
  if (held === false) return `the field \`${slot.name}\` is typed as always empty`;
  const base = {
    uses,
    shadows: new Set<string>(),
    type: declared?.type !== undefined ? held : undefined,
    resets: countResets(uses),
  };
  if (ctorInit !== undefined) {
    const right = (ctorInit.expression as ts.BinaryExpression).right;
    const edits: TextEdit = { start: right.getStart(file), end: right.getEnd(), text: "" };
    if (declared !== undefined && declared.type !== undefined)
      return `the field \`${slot.name}\` is both declared with a type and set in the constructor`;
    return {
      ...base,
      shadows: ctor === undefined ? new Set<string>() : declaredNames(ctor),
      declaredBy: [ctorInit],
      indent: indentOf(file, ctorInit),
      declare: (load) => ({ ...edits, text: load }),
    };
  }
  // A field initialiser of a derived class runs after `super()`: a base constructor that reads
  // the slot (through a method) would find no lazy value yet.
  const derived = (cls.heritageClauses ?? []).some((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  if (derived)
    return `the class extends another and \`${slot.text}\` is not set in its constructor: a lazy field would be initialised after \`super()\`, which may read it first`;
  if (declared !== undefined) {
    const modifiers = (ts.getModifiers(declared) ?? [])
      .filter((m) => m.kind !== ts.SyntaxKind.ReadonlyKeyword && !ts.isDecorator(m))
      .map((m) => m.getText(file));
    if ((ts.getDecorators(declared) ?? []).length > 0)
      return `the field \`${slot.name}\` is decorated`;
    return {
      ...base,
      declaredBy: [declared],
      indent: indentOf(file, declared),
      declare: (load) => ({
        start: declared.getStart(file),
        end: declared.getEnd(),
        text: `${[...modifiers, ...(js ? [] : ["readonly"]), slot.name].join(" ")} = ${load};`,
      }),
    };
  }
  if (!js) return `the field \`${slot.text}\` is not declared in its class`;
  // A JavaScript class that never declares the field: declare it first in the class body.
  const open = cls.members.pos;
  return {
    ...base,
    declaredBy: [],
    indent: indentOf(file, cls.members[0] ?? cls),
    declare: (load) => ({
      start: open,
      end: open,
      text: `\n${indentOf(file, cls.members[0] ?? cls)}${slot.name} = ${load};`,
    }),
  };
}
