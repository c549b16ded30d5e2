import { createRequire } from "node:module";
import type ts from "typescript";
import type { ImportKind } from "./module-resolver.js";

// TypeScript loads on first use only: a fully cached run never needs it (~0.3 s saved).
let typescript: typeof ts | undefined;
function loadTypeScript(): typeof ts {
  typescript ??= createRequire(import.meta.url)("typescript") as typeof ts;
  return typescript;
}

/** One import of a file. */
export interface ImportRef {
  /** The module specifier as written. */
  readonly specifier: string;
  /** 1-based line. */
  readonly line: number;
  /** `import`/`export … from` (static), `import()` (dynamic) or `require()`. */
  readonly kind: ImportKind;
  /**
   * Erased at runtime: `import type`, `export type … from`, or an import/export whose every
   * specifier is an inline `type` (see {@link ImportRef.inlineTypes}).
   */
  readonly typeOnly: boolean;
  /**
   * Type-only through inline specifiers only (`import { type A, type B } from "m"`): under
   * `verbatimModuleSyntax` such an import stays as `import {} from "m"` and loads the module.
   */
  readonly inlineTypes?: true;
  /** A dynamic `import()`/`require()` inside a `try` block: the code copes when it is missing. */
  readonly guarded?: true;
}

/** An `// arch-check-ignore-next-line <rule> -- reason` comment. */
export interface Suppression {
  /** The line it suppresses findings on (1-based: the comment's line + 1). */
  readonly line: number;
  /** The rule ids it names (`arch/` may be left out); empty means every rule. */
  readonly rules: readonly string[];
  /** The reason after `--`; empty when none was given. */
  readonly reason: string;
}

/** What a file contributes: its imports and its suppression comments. */
export interface FileFacts {
  /** The imports, in order. */
  readonly imports: ImportRef[];
  /** The suppression comments. */
  readonly suppressions: Suppression[];
}

/** Whether a named-specifier list (`{ type A, type B as C }`) is non-empty and all inline types. */
function allInlineTypes(clause: string): boolean {
  const open = clause.indexOf("{");
  const close = clause.lastIndexOf("}");
  if (open === -1 || close < open) return false;
  // A default or namespace binding before the braces is a value import.
  if (/^(import|export)\s+[\w$*]/.test(clause.slice(0, open).trim())) return false;
  const parts = clause
    .slice(open + 1, close)
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  return parts.length > 0 && parts.every((p) => /^type\s+[\w$]/.test(p));
}

/** Whether `pos` sits inside a `try { … }` block (a cheap brace count back to the nearest `try {`). */
function insideTry(text: string, pos: number): boolean {
  let depth = 0;
  for (let i = pos - 1, seen = 0; i >= 0 && seen < 4000; i--, seen++) {
    const ch = text[i];
    if (ch === "}") depth++;
    else if (ch === "{") {
      if (depth === 0) {
        if (/\btry\s*$/.test(text.slice(Math.max(0, i - 8), i))) return true;
      } else depth--;
    }
  }
  return false;
}

// Only a comment that starts its line counts (not the text inside a string or a longer comment).
const SUPPRESSION = /^[ \t]*\/\/\s*arch-check-ignore-next-line\b([^\n]*)/gm;

/**
 * Extracts a file's imports without a full parse — `ts.preProcessFile` scans for `import`,
 * `export … from`, `import()` and `require()` — and its suppression comments. Each import is marked
 * with its kind and whether it is type-only (`import type`, `export type`, or all specifiers
 * inline `type`).
 * @param text - source text
 * @returns the imports in order and the suppressions
 */
export function extractFacts(text: string): FileFacts {
  const info = loadTypeScript().preProcessFile(text, true, true);
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const imports = info.importedFiles.map((ref): ImportRef => {
    const before = text.slice(Math.max(0, ref.pos - 2000), ref.pos);
    const call = /\b(import|require)\s*\(\s*["'`]?$/.exec(before);
    const line = lineOf(ref.pos);
    if (call !== null) {
      const kind = call[1] === "import" ? "dynamic" : "require";
      return {
        specifier: ref.fileName,
        line,
        kind,
        typeOnly: false,
        ...(insideTry(text, ref.pos) ? { guarded: true as const } : {}),
      };
    }
    // The statement starts at the last `import`/`export` keyword before the specifier (code without
    // semicolons has no other reliable boundary).
    let start = -1;
    for (const match of before.matchAll(/\b(import|export)\b/g)) start = match.index;
    const statement = start === -1 ? "" : before.slice(start);
    const declared = /^(import|export)\s+type\s+(?!from\b)/.test(statement);
    const inline = !declared && allInlineTypes(statement);
    return {
      specifier: ref.fileName,
      line,
      kind: /^import\s+[\w$]+\s*=\s*require/.test(statement) ? "require" : "static",
      typeOnly: declared || inline,
      ...(inline ? { inlineTypes: true as const } : {}),
    };
  });
  const suppressions: Suppression[] = [];
  for (const match of text.matchAll(SUPPRESSION)) {
    const [rulesPart = "", reason = ""] = (match[1] ?? "").split(/\s--\s?/, 2);
    suppressions.push({
      line: lineOf(match.index) + 1,
      rules: rulesPart
        .split(/[\s,]+/)
        .filter((r) => r !== "")
        .map((r) => (r.includes("/") ? r : `arch/${r}`)),
      reason: reason.trim(),
    });
  }
  return { imports, suppressions };
}

/**
 * Extracts a file's imports (see {@link extractFacts}).
 * @param text - source text
 * @returns the imports in order
 */
export function extractImports(text: string): ImportRef[] {
  return extractFacts(text).imports;
}

/**
 * A syntax problem the scanner sees — an unterminated string, template or comment, a merge
 * conflict marker, an invalid character, or unbalanced brackets — that would make the import scan
 * unreliable. A token scan costs about what the pre-processor does (a full parse would cost 5×).
 */
function syntaxProblem(text: string, tsModule: typeof ts): string | undefined {
  const K = tsModule.SyntaxKind;
  let problem: string | undefined;
  const lineAt = (pos: number): number => text.slice(0, pos).split("\n").length;
  const scanner = tsModule.createScanner(
    tsModule.ScriptTarget.Latest,
    true,
    tsModule.LanguageVariant.Standard,
    text,
    (message) => {
      problem ??= `${tsModule.flattenDiagnosticMessageText(message.message, " ")} (line ${lineAt(scanner.getTokenEnd())})`;
    },
  );
  // After these a `/` divides; anywhere else it starts a regular expression.
  const endsOperand = new Set<ts.SyntaxKind>([
    K.Identifier,
    K.PrivateIdentifier,
    K.ThisKeyword,
    K.SuperKeyword,
    K.NullKeyword,
    K.TrueKeyword,
    K.FalseKeyword,
    K.CloseParenToken,
    K.CloseBracketToken,
    K.NumericLiteral,
    K.BigIntLiteral,
    K.StringLiteral,
    K.RegularExpressionLiteral,
    K.NoSubstitutionTemplateLiteral,
    K.TemplateTail,
    K.PlusPlusToken,
    K.MinusMinusToken,
  ]);
  const closes = new Map<ts.SyntaxKind, ts.SyntaxKind>([
    [K.CloseBraceToken, K.OpenBraceToken],
    [K.CloseParenToken, K.OpenParenToken],
    [K.CloseBracketToken, K.OpenBracketToken],
  ]);
  const open: ts.SyntaxKind[] = [];
  let previous: ts.SyntaxKind = K.Unknown;
  for (let token = scanner.scan(); token !== K.EndOfFileToken; token = scanner.scan()) {
    if (problem !== undefined) return problem;
    if ((token === K.SlashToken || token === K.SlashEqualsToken) && !endsOperand.has(previous)) {
      token = scanner.reScanSlashToken();
    } else if (token === K.CloseBraceToken && open[open.length - 1] === K.TemplateHead) {
      token = scanner.reScanTemplateToken(false);
      if (token === K.TemplateTail) open.pop();
    }
    if (
      token === K.OpenBraceToken ||
      token === K.OpenParenToken ||
      token === K.OpenBracketToken ||
      token === K.TemplateHead
    )
      open.push(token);
    else if (closes.has(token) && open.pop() !== closes.get(token))
      return `unbalanced "${tsModule.tokenToString(token) ?? "?"}" (line ${lineAt(scanner.getTokenEnd())})`;
    previous = token;
  }
  if (problem !== undefined) return problem;
  return open.length > 0
    ? `"${tsModule.tokenToString(open[open.length - 1] as ts.SyntaxKind) ?? "?"}" is never closed`
    : undefined;
}

/** What reading a file gives: its facts, or why it was skipped. */
export type SourceOutcome = FileFacts | { readonly skip: string };

/**
 * Reads a source file's bytes the way the check needs them: binary files (a NUL byte), text that
 * is not UTF-8, and code the scanner cannot tokenise are skipped with the reason; anything else
 * yields its imports and suppression comments.
 * @param bytes - the file's content
 * @returns the facts, or `{ skip: reason }`
 */
export function examineSource(bytes: Uint8Array): SourceOutcome {
  if (bytes.includes(0)) return { skip: "binary (contains NUL bytes)" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { skip: "not UTF-8 text" };
  }
  const problem = syntaxProblem(text, loadTypeScript());
  if (problem !== undefined) return { skip: `syntax error: ${problem}` };
  return extractFacts(text);
}
