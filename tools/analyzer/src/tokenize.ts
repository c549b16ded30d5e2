import { ts } from "ts-morph";
import type { TokenStream } from "./clones.js";

const vocabulary = new Map<string, number>();
const IDENTIFIER = 1;
const LITERAL = 2;

function idOf(text: string): number {
  let id = vocabulary.get(text);
  if (id === undefined) vocabulary.set(text, (id = vocabulary.size + 10));
  return id;
}

/**
 * Scans a file into normalised tokens (no parse: the scanner only), skipping comments and trivia.
 * Literals collapse to one id, so copies that differ only in strings and numbers match; with
 * `renamed`, identifiers collapse too (Type-2: renamed copies). The analyzer uses the first: in
 * typed code, Type-2 matching mostly finds look-alike signatures, not copied logic.
 * @param file - relative path
 * @param text - source text
 * @param variant - TS or JSX flavour
 * @param renamed - also collapse identifiers (Type-2)
 * @returns the stream
 */
export function tokenize(
  file: string,
  text: string,
  variant: ts.LanguageVariant = ts.LanguageVariant.Standard,
  renamed = false,
): TokenStream {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const ids: number[] = [];
  const lines: number[] = [];
  let line = 1;
  let lastPos = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const start = scanner.getTokenStart();
    for (let i = lastPos; i < start; i++) if (text.charCodeAt(i) === 10) line++;
    lastPos = start;
    let id: number;
    if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.PrivateIdentifier)
      id = renamed ? IDENTIFIER : idOf(`id:${scanner.getTokenValue()}`);
    else if (
      kind === ts.SyntaxKind.StringLiteral ||
      kind === ts.SyntaxKind.NumericLiteral ||
      kind === ts.SyntaxKind.BigIntLiteral ||
      kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
      kind === ts.SyntaxKind.TemplateHead ||
      kind === ts.SyntaxKind.TemplateMiddle ||
      kind === ts.SyntaxKind.TemplateTail ||
      kind === ts.SyntaxKind.RegularExpressionLiteral
    )
      id = LITERAL;
    else id = idOf(ts.SyntaxKind[kind] ?? String(kind));
    ids.push(id);
    lines.push(line);
  }
  return { file, ids: Int32Array.from(ids), lines: Int32Array.from(lines) };
}
