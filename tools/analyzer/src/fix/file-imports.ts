import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ts } from "ts-morph";
import type { TextEdit } from "./source-edit.js";

/**
 * A named import a rewrite needs: `import { name as local } from module` in an ES module,
 * `const { name: local } = require(module)` in a CommonJS one.
 */
export interface NeededImport {
  /** The module, e.g. `@perflayer/response`. */
  readonly module: string;
  /** The exported name. */
  readonly name: string;
  /** The name the file uses (equal to `name` unless that one is taken). */
  readonly local: string;
}

/** Whether a statement is ES module syntax (`import`, `export …`). */
function isModuleSyntax(statement: ts.Statement): boolean {
  return (
    ts.isImportDeclaration(statement) ||
    ts.isExportDeclaration(statement) ||
    ts.isExportAssignment(statement) ||
    (ts.canHaveModifiers(statement) &&
      (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
  );
}

/** The `type` of the nearest package.json above a folder ("commonjs" when it says nothing). */
function packageType(folder: string): string {
  for (let dir = folder; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        const { type } = JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown };
        return type === "module" ? "module" : "commonjs";
      } catch {
        return "commonjs";
      }
    }
    if (dirname(dir) === dir) return "commonjs";
  }
}

/**
 * Whether a file is a CommonJS module, so new imports are `require` calls: a `.cjs` file, or a
 * `.js` one without `import`/`export` statements that calls `require` or assigns `module.exports`
 * / `exports.x`, or whose package is not `"type": "module"`. TypeScript files use `import` (the
 * compiler emits what the project targets).
 * @param file - the parsed file (its name an absolute path)
 * @returns whether it is CommonJS
 */
export function isCommonJs(file: ts.SourceFile): boolean {
  if (file.fileName.endsWith(".cjs")) return true;
  if (!/\.jsx?$/.test(file.fileName)) return false;
  if (file.statements.some(isModuleSyntax)) return false;
  return (
    /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[\w$]+\s*=/.test(file.text) ||
    packageType(dirname(file.fileName)) !== "module"
  );
}

/** `require("module")` (through `.default`-free destructuring only): the module, else undefined. */
function requiredModule(node: ts.Expression | undefined): string | undefined {
  return node !== undefined &&
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === "require" &&
    node.arguments.length === 1 &&
    node.arguments[0] !== undefined &&
    ts.isStringLiteral(node.arguments[0])
    ? node.arguments[0].text
    : undefined;
}

/** Top-level `const { a, b: c } = require("module")` statements of a file, with their pattern. */
function requires(
  file: ts.SourceFile,
): { statement: ts.VariableStatement; module: string; pattern?: ts.ObjectBindingPattern }[] {
  const found: {
    statement: ts.VariableStatement;
    module: string;
    pattern?: ts.ObjectBindingPattern;
  }[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      const module = requiredModule(d.initializer);
      if (module === undefined) continue;
      found.push({
        statement,
        module,
        ...(ts.isObjectBindingPattern(d.name) && statement.declarationList.declarations.length === 1
          ? { pattern: d.name }
          : {}),
      });
    }
  }
  return found;
}

/** The local name an existing import or destructuring `require` of the file gives `module`'s `name`. */
function existingLocal(file: ts.SourceFile, module: string, name: string): string | undefined {
  for (const statement of file.statements) {
    if (
      !ts.isImportDeclaration(statement) ||
      !ts.isStringLiteral(statement.moduleSpecifier) ||
      statement.moduleSpecifier.text !== module ||
      statement.importClause?.isTypeOnly === true
    )
      continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements)
      if ((element.propertyName ?? element.name).text === name && !element.isTypeOnly)
        return element.name.text;
  }
  for (const r of requires(file))
    if (r.module === module)
      for (const element of r.pattern?.elements ?? [])
        if (
          ts.isIdentifier(element.name) &&
          (element.propertyName ?? element.name).getText(file) === name &&
          element.dotDotDotToken === undefined
        )
          return element.name.text;
  return undefined;
}

/**
 * The local name under which `module` exports `name` in this file: an existing import (or
 * destructuring `require`) of it, else `name` when no identifier of the file is spelled so, else
 * `perflayer` + `Name`.
 * @param file - the parsed file
 * @param names - the identifiers spelled in it
 * @param module - the module specifier
 * @param name - the exported name
 * @returns the import the rewrite needs
 */
export function importName(
  file: ts.SourceFile,
  names: ReadonlySet<string>,
  module: string,
  name: string,
): NeededImport {
  const local = existingLocal(file, module, name);
  if (local !== undefined) return { module, name, local };
  if (!names.has(name)) return { module, name, local: name };
  const capital = `perflayer${name[0]?.toUpperCase() ?? ""}${name.slice(1)}`;
  let free = capital;
  for (let i = 2; names.has(free); i++) free = `${capital}${i}`;
  return { module, name, local: free };
}

/** The imports of `needed` grouped by module, once per name. */
function byModule(needed: readonly NeededImport[]): Map<string, NeededImport[]> {
  const grouped = new Map<string, NeededImport[]>();
  for (const n of needed) {
    const list = grouped.get(n.module) ?? [];
    if (!list.some((m) => m.name === n.name && m.local === n.local)) list.push(n);
    grouped.set(n.module, list);
  }
  return grouped;
}

/** The last of the requires that open a file (after its directives), before any other code. */
function leadingRequires(
  file: ts.SourceFile,
  required: readonly { readonly statement: ts.VariableStatement }[],
): ts.Statement | undefined {
  let last: ts.Statement | undefined;
  for (const statement of file.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) continue;
    if (!required.some((r) => r.statement === statement)) break;
    last = statement;
  }
  return last;
}

/**
 * The edits that add imports to a file, once per name: into an existing value import (or
 * destructuring `require`) of the module when there is one, else one new declaration per module
 * after the last import (or `require`), or at the top. A CommonJS file gets
 * `const { name: local } = require("module");`.
 * @param file - the parsed file
 * @param needed - the imports the file's rewrites need
 * @returns the edits
 */
export function importEdits(file: ts.SourceFile, needed: readonly NeededImport[]): TextEdit[] {
  const commonJs = isCommonJs(file);
  const imports = file.statements.filter(ts.isImportDeclaration);
  const required = commonJs ? requires(file) : [];
  const edits: TextEdit[] = [];
  const fresh: string[] = [];
  for (const [module, list] of byModule(needed)) {
    const existing = imports.find(
      (i) =>
        ts.isStringLiteral(i.moduleSpecifier) &&
        i.moduleSpecifier.text === module &&
        i.importClause?.isTypeOnly !== true &&
        i.importClause?.namedBindings !== undefined &&
        ts.isNamedImports(i.importClause.namedBindings),
    )?.importClause?.namedBindings as ts.NamedImports | undefined;
    const pattern = required.find((r) => r.module === module && r.pattern !== undefined)?.pattern;
    const elements: readonly ts.Node[] = existing?.elements ?? pattern?.elements ?? [];
    const present = new Set(elements.map((e) => (e as ts.ImportSpecifier).name.getText(file)));
    const specifiers = list
      .filter((n) => !present.has(n.local))
      .map((n) =>
        n.local === n.name
          ? n.name
          : commonJs
            ? `${n.name}: ${n.local}`
            : `${n.name} as ${n.local}`,
      );
    if (specifiers.length === 0) continue;
    const into = existing ?? pattern;
    if (into !== undefined) {
      const last = elements[elements.length - 1];
      const at = last === undefined ? into.getStart(file) + 1 : last.getEnd();
      edits.push({
        start: at,
        end: at,
        text: `${last === undefined ? " " : ", "}${specifiers.join(", ")}`,
      });
    } else
      fresh.push(
        commonJs
          ? `const { ${specifiers.join(", ")} } = require("${module}");`
          : `import { ${specifiers.join(", ")} } from "${module}";`,
      );
  }
  if (fresh.length === 0) return edits;
  // A `require` runs where it stands: new ones go after the file's leading requires, before any
  // code that could use them (a later require, after module code, would come too late).
  const last = commonJs ? leadingRequires(file, required) : imports[imports.length - 1];
  if (last === undefined) {
    const { at, blankAfter } = headerEnd(file);
    edits.push({
      start: at,
      end: at,
      text: blankAfter ? `\n${fresh.join("\n")}\n` : `${fresh.join("\n")}\n\n`,
    });
  } else {
    const at = last.getEnd();
    edits.push({ start: at, end: at, text: `\n${fresh.join("\n")}` });
  }
  return edits;
}

/**
 * Where a file's header ends — its directives (`"use strict";`) and leading comments up to the
 * last one a blank line separates from what follows (a comment right above the first statement
 * documents it and stays with it) — and whether a blank line follows there. New imports go there,
 * else at the top.
 */
function headerEnd(file: ts.SourceFile): { at: number; blankAfter: boolean } {
  let index = 0;
  while (
    index < file.statements.length &&
    ts.isExpressionStatement(file.statements[index] as ts.Statement) &&
    ts.isStringLiteral((file.statements[index] as ts.ExpressionStatement).expression)
  )
    index++;
  const directive = index > 0 ? file.statements[index - 1] : undefined;
  const first = file.statements[index];
  const from = directive === undefined ? 0 : directive.getEnd();
  const ranges =
    first === undefined ? [] : (ts.getLeadingCommentRanges(file.text, first.getFullStart()) ?? []);
  let at = from;
  let blankAfter = false;
  if (directive !== undefined) {
    // After the directives: the imports follow them on a line of their own.
    const gap = /^[ \t]*\r?\n/.exec(file.text.slice(from));
    at = from + (gap?.[0].length ?? 0);
    blankAfter = gap !== null;
  }
  for (const range of ranges) {
    const gap = /^[ \t]*\r?\n([ \t]*\r?\n)?/.exec(file.text.slice(range.end));
    if (gap?.[1] !== undefined) {
      at = range.end + (gap[0].length - gap[1].length);
      blankAfter = true;
    }
  }
  return { at, blankAfter };
}
