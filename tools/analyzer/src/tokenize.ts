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
const ENDS_OPERAND = kindSet([
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

const LITERALS = kindSet([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
]);

/** A set of token kinds as a table indexed by kind (a lookup per token, cheaper than a `Set`). */
function kindSet(kinds: readonly ts.SyntaxKind[]): Uint8Array {
  const table = new Uint8Array(ts.SyntaxKind.Count);
  for (const kind of kinds) table[kind] = 1;
  return table;
}

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
  // Typed buffers grown by doubling (about one token per four characters in typical code).
  let ids = new Int32Array(64 + (text.length >> 2));
  let lines = new Int32Array(ids.length);
  let count = 0;
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
      ENDS_OPERAND[previous] !== 1
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
    else if (LITERALS[kind] === 1) id = LITERAL;
    else id = KIND_BASE + kind;
    if (count === ids.length) {
      ids = grown(ids);
      lines = grown(lines);
    }
    ids[count] = id;
    lines[count] = line;
    count++;
    previous = kind;
  }
  return { file, ids: ids.slice(0, count), lines: lines.slice(0, count), maxDepth };
}

function grown(buffer: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(buffer.length * 2);
  larger.set(buffer);
  return larger;
}
