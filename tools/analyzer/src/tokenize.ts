import { ts } from "ts-morph";
import type { TokenStream } from "./clones.js";
import { textId } from "./token-id.js";

/** A file's tokens plus what the scan learnt about its shape. */
export interface TokenizedSource extends TokenStream {
  /**
   * The deepest nesting of brackets, braces, parentheses and template substitutions: a file nested
   * past what the recursive-descent parser can take is skipped before it is parsed.
   */
  readonly maxDepth: number;
}

const IDENTIFIER = 1;
const LITERAL = 2;
const KIND_BASE = 16;

/** Tokens after which a `/` divides; after anything else it starts a regular expression. */
const ENDS_OPERAND = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
]);

const LITERALS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
]);

/**
 * Scans a file into normalised tokens with the TypeScript scanner (no parse), skipping comments
 * and trivia. A `/` is re-scanned as a regular expression where an operand is expected, and a `}`
 * that closes a template substitution continues the template, so neither derails the rest of the
 * file. Literals collapse to one id, so copies that differ only in strings and numbers match;
 * with `renamed`, identifiers collapse too (Type-2: renamed copies). The analyzer uses the first:
 * in typed code, Type-2 matching mostly finds look-alike signatures, not copied logic. Ids are
 * stable across runs (hashes of the token text), so streams can be cached.
 * @param file - relative path
 * @param text - source text
 * @param variant - TS or JSX flavour
 * @param renamed - also collapse identifiers (Type-2)
 * @returns the stream and the deepest nesting
 */
export function tokenize(
  file: string,
  text: string,
  variant: ts.LanguageVariant = ts.LanguageVariant.Standard,
  renamed = false,
): TokenizedSource {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const ids: number[] = [];
  const lines: number[] = [];
  // Open braces: true for a template substitution `${`, false for a block or object.
  const braces: boolean[] = [];
  let depth = 0;
  let maxDepth = 0;
  let line = 1;
  let lastPos = 0;
  let previous = ts.SyntaxKind.Unknown;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (
      (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) &&
      !ENDS_OPERAND.has(previous)
    )
      kind = scanner.reScanSlashToken();
    else if (kind === ts.SyntaxKind.CloseBraceToken && braces[braces.length - 1] === true)
      kind = scanner.reScanTemplateToken(false);
    switch (kind) {
      case ts.SyntaxKind.OpenParenToken:
      case ts.SyntaxKind.OpenBracketToken:
        depth++;
        break;
      case ts.SyntaxKind.OpenBraceToken:
      case ts.SyntaxKind.TemplateHead:
        braces.push(kind === ts.SyntaxKind.TemplateHead);
        depth++;
        break;
      case ts.SyntaxKind.CloseBraceToken:
      case ts.SyntaxKind.TemplateTail:
        braces.pop();
        depth = Math.max(0, depth - 1);
        break;
      case ts.SyntaxKind.CloseParenToken:
      case ts.SyntaxKind.CloseBracketToken:
        depth = Math.max(0, depth - 1);
        break;
      default:
        break;
    }
    if (depth > maxDepth) maxDepth = depth;
    const start = scanner.getTokenStart();
    for (let i = lastPos; i < start; i++) if (text.charCodeAt(i) === 10) line++;
    lastPos = start;
    let id: number;
    if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.PrivateIdentifier)
      id = renamed ? IDENTIFIER : textId(scanner.getTokenValue());
    else if (LITERALS.has(kind)) id = LITERAL;
    else id = KIND_BASE + kind;
    ids.push(id);
    lines.push(line);
    previous = kind;
  }
  return { file, ids: Int32Array.from(ids), lines: Int32Array.from(lines), maxDepth };
}
