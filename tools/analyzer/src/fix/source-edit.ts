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
