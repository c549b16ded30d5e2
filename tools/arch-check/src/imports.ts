import { createRequire } from "node:module";
import type ts from "typescript";
import type { ImportKind } from "./module-resolver.js";
import { scanTokens } from "./token-scanner.js";
import type { Token } from "./token-scanner.js";

// TypeScript loads only for files with JSX, which arch-check's own scanner does not read.
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

// Only a comment that starts its line counts (not the text inside a string or a longer comment).
const SUPPRESSION = /^[ \t]*\/\/\s*arch-check-ignore-next-line\b([^\n]*)/gm;

function lineTable(text: string): (pos: number) => number {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function suppressionsOf(text: string, lineOf: (pos: number) => number): Suppression[] {
  const out: Suppression[] = [];
  for (const match of text.matchAll(SUPPRESSION)) {
    const [rulesPart = "", reason = ""] = (match[1] ?? "").split(/\s--\s?/, 2);
    out.push({
      line: lineOf(match.index) + 1,
      rules: rulesPart
        .split(/[\s,]+/)
        .filter((r) => r !== "")
        .map((r) => (r.includes("/") ? r : `arch/${r}`)),
      reason: reason.trim(),
    });
  }
  return out;
}

const is = (t: Token | undefined, type: Token["type"], value?: string): boolean =>
  t !== undefined && t.type === type && (value === undefined || t.value === value);

/**
 * Reads a `{ a, type B, c as d }` list starting at its `{`.
 * @returns the index after `}`, and whether it is non-empty with every specifier an inline type
 */
function specifierList(
  tokens: readonly Token[],
  open: number,
): { next: number; allTypes: boolean } {
  let j = open + 1;
  let count = 0;
  let types = 0;
  let first = true;
  for (; j < tokens.length && !is(tokens[j], "punct", "}"); j++) {
    const t = tokens[j];
    if (is(t, "punct", ",")) {
      first = true;
      continue;
    }
    if (first) {
      count++;
      // `type X` is an inline type; `type`, `type as x` and `type,` import a binding named type.
      const after = tokens[j + 1];
      if (
        is(t, "id", "type") &&
        after !== undefined &&
        (after.type === "id" || after.type === "str") &&
        !(is(after, "id", "as") && !is(tokens[j + 2], "id", "as"))
      )
        types++;
      first = false;
    }
  }
  return { next: j + 1, allTypes: count > 0 && types === count };
}

/** The imports a token stream holds: static imports and re-exports, `import()`, `require()`. */
function importsOf(tokens: readonly Token[], lineOf: (pos: number) => number): ImportRef[] {
  const imports: ImportRef[] = [];
  const tryBraces: boolean[] = [];
  let tries = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    const prev = tokens[k - 1];
    if (t.type === "punct") {
      if (t.value === "{") {
        const isTry = is(prev, "id", "try");
        tryBraces.push(isTry);
        if (isTry) tries++;
      } else if (t.value === "}" && tryBraces.pop() === true) tries--;
      continue;
    }
    if (t.type !== "id" || is(prev, "punct", ".") || is(prev, "punct", "?.")) continue;
    const next = tokens[k + 1];
    if ((t.value === "import" || t.value === "require") && is(next, "punct", "(")) {
      const arg = tokens[k + 2];
      const close = tokens[k + 3];
      const literal =
        is(arg, "str") || (is(arg, "template") && !(arg as Token).value.endsWith("${"));
      if (
        literal &&
        (is(close, "punct", ")") || is(close, "punct", ",")) &&
        !is(prev, "id", "function")
      )
        imports.push({
          specifier: (arg as Token).value,
          line: lineOf((arg as Token).pos),
          kind: t.value === "import" ? "dynamic" : "require",
          typeOnly: false,
          ...(tries > 0 ? { guarded: true as const } : {}),
        });
      continue;
    }
    if (t.value !== "import" && t.value !== "export") continue;
    let j = k + 1;
    let declaredType = false;
    if (
      is(tokens[j], "id", "type") &&
      !is(tokens[j + 1], "id", "from") &&
      !is(tokens[j + 1], "punct", "=") &&
      !is(tokens[j + 1], "punct", ",")
    ) {
      declaredType = true;
      j++;
    }
    if (t.value === "import" && is(tokens[j], "str")) {
      imports.push({
        specifier: (tokens[j] as Token).value,
        line: lineOf((tokens[j] as Token).pos),
        kind: "static",
        typeOnly: false,
      });
      continue;
    }
    if (t.value === "import" && is(tokens[j], "id") && is(tokens[j + 1], "punct", "=")) {
      // import x = require("m")
      if (
        is(tokens[j + 2], "id", "require") &&
        is(tokens[j + 3], "punct", "(") &&
        is(tokens[j + 4], "str")
      ) {
        imports.push({
          specifier: (tokens[j + 4] as Token).value,
          line: lineOf((tokens[j + 4] as Token).pos),
          kind: "require",
          typeOnly: declaredType,
        });
        k = j + 4; // past the `require(…)`: it is this import, not another
      }
      continue;
    }
    let values = false;
    let allTypes = false;
    // A clause: a default binding, `* as ns`, and/or a `{ … }` list, then `from "m"`.
    for (let guard = 0; j < tokens.length && guard < 6; guard++) {
      const c = tokens[j];
      if (is(c, "punct", "{")) {
        const list = specifierList(tokens, j);
        allTypes = list.allTypes;
        values ||= !list.allTypes;
        j = list.next;
      } else if (is(c, "punct", "*")) {
        values = true;
        j += is(tokens[j + 1], "id", "as") ? 3 : 1;
      } else if (is(c, "punct", ",")) j++;
      else if (is(c, "id", "from")) break;
      else if (t.value === "import" && is(c, "id")) {
        values = true;
        j++;
      } else break;
    }
    if (!is(tokens[j], "id", "from") || !is(tokens[j + 1], "str")) continue;
    const inline = !declaredType && allTypes && !values;
    const spec = tokens[j + 1] as Token;
    imports.push({
      specifier: spec.value,
      line: lineOf(spec.pos),
      kind: "static",
      typeOnly: declaredType || inline,
      ...(inline ? { inlineTypes: true as const } : {}),
    });
  }
  return imports;
}

/** The imports TypeScript's pre-processor finds (for files with JSX, which the scanner skips). */
function preProcessed(text: string, lineOf: (pos: number) => number): ImportRef[] {
  return loadTypeScript()
    .preProcessFile(text, true, true)
    .importedFiles.map((ref) => {
      const call = /\b(import|require)\s*\(\s*["'`]?$/.exec(
        text.slice(Math.max(0, ref.pos - 100), ref.pos),
      );
      const statement = /\b(import|export)\s+type\s+(?!from\b)[^;]*$/.test(
        text.slice(Math.max(0, ref.pos - 500), ref.pos),
      );
      return {
        specifier: ref.fileName,
        line: lineOf(ref.pos),
        kind: call === null ? "static" : call[1] === "import" ? "dynamic" : "require",
        typeOnly: call === null && statement,
      };
    });
}

/**
 * Extracts a file's imports — `import`/`export … from`, `import()`, `require()`, `import x =
 * require()` — with their kind and whether they are type-only (`import type`, `export type`, or
 * every specifier an inline `type`), and its suppression comments. One pass of arch-check's own
 * scanner (no compiler to load); JSX files go through TypeScript's pre-processor instead.
 * @param text - source text
 * @param jsx - whether the file may hold JSX @defaultValue false
 * @returns the imports in order and the suppressions
 * @throws SyntaxError when the code cannot be tokenised (and is not JSX)
 */
export function extractFacts(text: string, jsx = false): FileFacts {
  const lineOf = lineTable(text);
  const suppressions = suppressionsOf(text, lineOf);
  if (jsx) return { imports: preProcessed(text, lineOf), suppressions };
  const scan = scanTokens(text);
  if (scan.problem !== undefined) throw new SyntaxError(scan.problem);
  return { imports: importsOf(scan.tokens, lineOf), suppressions };
}

/**
 * Extracts a file's imports (see {@link extractFacts}).
 * @param text - source text
 * @returns the imports in order
 */
export function extractImports(text: string): ImportRef[] {
  return extractFacts(text).imports;
}

/** A file left out of the check. */
export interface SkippedSource {
  /** Why: `binary (…)`, `not UTF-8 text`, `syntax error: …`. */
  readonly skip: string;
}

/** What reading a file gives: its facts, or why it was skipped. */
export type SourceOutcome = FileFacts | SkippedSource;

/**
 * Reads a source file's bytes the way the check needs them: binary files (a NUL byte), text that
 * is not UTF-8, and TypeScript the scanner cannot tokenise (an unterminated string, template,
 * comment or regular expression, unbalanced brackets, a merge conflict marker) are skipped with
 * the reason; anything else yields its imports and suppression comments. JavaScript that does not
 * tokenise may hold JSX and is read by TypeScript's pre-processor instead.
 * @param bytes - the file's content
 * @param path - the file's name (its extension decides JSX)
 * @returns the facts, or `{ skip: reason }`
 */
export function examineSource(bytes: Uint8Array, path: string): SourceOutcome {
  if (bytes.includes(0)) return { skip: "binary (contains NUL bytes)" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { skip: "not UTF-8 text" };
  }
  const jsx = /\.[jt]sx$/.test(path);
  try {
    return extractFacts(text, jsx);
  } catch (error) {
    if (/\.[mc]?js$/.test(path)) return extractFacts(text, true);
    return { skip: `syntax error: ${(error as Error).message}` };
  }
}
