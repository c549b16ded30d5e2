import { ts } from "ts-morph";

/** One replacement of the text between two offsets of a file. */
export interface TextEdit {
  /** Offset of the first character replaced. */
  readonly start: number;
  /** Offset after the last character replaced. */
  readonly end: number;
  /** The text put in their place. */
  readonly text: string;
}

/** A named import a rewrite needs: `import { name as local } from module`. */
export interface NeededImport {
  /** The module, e.g. `@perflayer/response`. */
  readonly module: string;
  /** The exported name. */
  readonly name: string;
  /** The name the file uses (equal to `name` unless that one is taken). */
  readonly local: string;
}

/**
 * Applies edits that do not overlap to a text.
 * @param text - the original text
 * @param edits - the edits, in any order
 * @returns the edited text
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** Whether two edits touch the same characters. */
export function overlaps(a: TextEdit, b: TextEdit): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Lines that hold code: not blank, not only a comment (the analyzer's eliminable-lines count).
 * @param text - source text
 * @returns the number of code lines
 */
export function codeLines(text: string): number {
  let count = 0;
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t !== "" && !t.startsWith("//") && !t.startsWith("/*") && !t.startsWith("*")) count++;
  }
  return count;
}

/** The whole lines an edit touches, as an edit of those lines (so line counts compare like with like). */
export function lineSpan(text: string, edit: TextEdit): { before: string; after: string } {
  const start = text.lastIndexOf("\n", edit.start - 1) + 1;
  const next = text.indexOf("\n", Math.max(edit.end - 1, edit.start));
  const end = next === -1 ? text.length : next;
  return {
    before: text.slice(start, end),
    after: text.slice(start, edit.start) + edit.text + text.slice(edit.end, end),
  };
}

/** Every identifier text in a file (a name a new import must not shadow or be shadowed by). */
export function namesIn(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

/**
 * The local name under which `module` exports `name` in this file: an existing import of it, else
 * `name` when no identifier of the file is spelled so, else `perflayer` + `Name`.
 */
export function importName(
  file: ts.SourceFile,
  names: ReadonlySet<string>,
  module: string,
  name: string,
): NeededImport {
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
        return { module, name, local: element.name.text };
  }
  if (!names.has(name)) return { module, name, local: name };
  let local = `perflayer${name[0]?.toUpperCase() ?? ""}${name.slice(1)}`;
  for (let i = 2; names.has(local); i++)
    local = `perflayer${name[0]?.toUpperCase() ?? ""}${name.slice(1)}${i}`;
  return { module, name, local };
}

/**
 * The edits that add imports to a file, once per name: into an existing value import of the module
 * when there is one, else one new declaration per module after the last import (or at the top).
 */
export function importEdits(file: ts.SourceFile, needed: readonly NeededImport[]): TextEdit[] {
  const byModule = new Map<string, NeededImport[]>();
  for (const n of needed) {
    const list = byModule.get(n.module) ?? [];
    if (!list.some((m) => m.name === n.name && m.local === n.local)) list.push(n);
    byModule.set(n.module, list);
  }
  const imports = file.statements.filter(ts.isImportDeclaration);
  const edits: TextEdit[] = [];
  const fresh: string[] = [];
  for (const [module, list] of byModule) {
    const existing = imports.find(
      (i) =>
        ts.isStringLiteral(i.moduleSpecifier) &&
        i.moduleSpecifier.text === module &&
        i.importClause?.isTypeOnly !== true &&
        i.importClause?.namedBindings !== undefined &&
        ts.isNamedImports(i.importClause.namedBindings),
    );
    const bindings = existing?.importClause?.namedBindings;
    const present = new Set(
      bindings !== undefined && ts.isNamedImports(bindings)
        ? bindings.elements.map((e) => e.name.text)
        : [],
    );
    const specifiers = list
      .filter((n) => !present.has(n.local))
      .map((n) => (n.local === n.name ? n.name : `${n.name} as ${n.local}`));
    if (specifiers.length === 0) continue;
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      const last = bindings.elements[bindings.elements.length - 1];
      const at = last === undefined ? bindings.getStart(file) + 1 : last.getEnd();
      edits.push({
        start: at,
        end: at,
        text: `${last === undefined ? " " : ", "}${specifiers.join(", ")}`,
      });
    } else fresh.push(`import { ${specifiers.join(", ")} } from "${module}";`);
  }
  if (fresh.length > 0) {
    const last = imports[imports.length - 1];
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
  }
  return edits;
}

/**
 * Where a file's header ends — its leading comments up to the last one a blank line separates from
 * what follows (a comment right above the first statement documents it and stays with it) — and
 * whether a blank line follows there. New imports go there, else at the top.
 */
function headerEnd(file: ts.SourceFile): { at: number; blankAfter: boolean } {
  const first = file.statements[0];
  const ranges =
    first === undefined ? [] : (ts.getLeadingCommentRanges(file.text, first.getFullStart()) ?? []);
  let at = 0;
  let blankAfter = false;
  for (const range of ranges) {
    const gap = /^[ \t]*\r?\n([ \t]*\r?\n)?/.exec(file.text.slice(range.end));
    if (gap?.[1] !== undefined) {
      at = range.end + (gap[0].length - gap[1].length);
      blankAfter = true;
    }
  }
  return { at, blankAfter };
}
