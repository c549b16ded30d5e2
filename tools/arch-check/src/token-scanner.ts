/** A token of TypeScript/JavaScript source, as far as finding imports needs. */
export interface Token {
  /** `id` (identifier or keyword), `str` (string or template without substitutions), `punct`, `num`, `regex`, `template`. */
  readonly type: "id" | "str" | "punct" | "num" | "regex" | "template";
  /** The text: the identifier, the string's value, or the punctuator. */
  readonly value: string;
  /** Offset of the token's first character. */
  readonly pos: number;
}

/** Tokens of a file, or the first syntax problem that makes them unreliable. */
export type ScanResult =
  | { readonly tokens: Token[]; readonly problem?: undefined }
  | { readonly problem: string; readonly tokens?: undefined };

// After an identifier a `/` divides, except after these keywords, where an expression starts.
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);
// Multi-character punctuators by their first character, longest first.
const PUNCTUATORS = new Map<string, string[]>();
for (const p of [
  ">>>=",
  "...",
  "===",
  "!==",
  "**=",
  "<<=",
  ">>=",
  ">>>",
  "&&=",
  "||=",
  "??=",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "??",
  "?.",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "**",
  "<<",
  ">>",
])
  PUNCTUATORS.set(p[0] as string, [...(PUNCTUATORS.get(p[0] as string) ?? []), p]);
const CLOSING: Record<string, string> = { "}": "{", ")": "(", "]": "[" };

function isIdStart(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 || c === 35 || c > 127
  );
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}

/**
 * Tokenises TypeScript or JavaScript source without JSX — strings, templates (nested), comments,
 * regular expressions (told from division by the token before), numbers, identifiers and
 * punctuators — checking that strings, templates, comments and brackets close. One pass, no
 * compiler to load.
 * @param text - the source
 * @returns the tokens, or the first problem with its line
 */
export function scanTokens(text: string): ScanResult {
  const tokens: Token[] = [];
  const brackets: { ch: string; template: boolean }[] = [];
  const line = (pos: number): number => {
    let n = 1;
    for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) n++;
    return n;
  };
  const n = text.length;
  // A shebang line is not code.
  let i = text.startsWith("#!") ? Math.max(text.indexOf("\n"), 0) : 0;
  const regexAllowed = (): boolean => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return true;
    if (
      last.type === "num" ||
      last.type === "str" ||
      last.type === "regex" ||
      last.type === "template"
    )
      return false;
    if (last.type === "id") return KEYWORDS_BEFORE_EXPRESSION.has(last.value);
    // `x! / y`: a non-null assertion ends an operand too.
    const before = tokens[tokens.length - 2];
    if (
      last.value === "!" &&
      before !== undefined &&
      (before.type === "id"
        ? !KEYWORDS_BEFORE_EXPRESSION.has(before.value)
        : before.type !== "punct" || before.value === ")" || before.value === "]")
    )
      return false;
    return (
      last.value !== ")" &&
      last.value !== "]" &&
      last.value !== "}" &&
      last.value !== "++" &&
      last.value !== "--"
    );
  };
  /** Scans a template from after its opening backtick (or a `}` closing a substitution). */
  const template = (start: number): string | undefined => {
    let j = i;
    let value = "";
    while (j < n) {
      const c = text[j];
      if (c === "\\") {
        value += text.slice(j, j + 2);
        j += 2;
      } else if (c === "`") {
        i = j + 1;
        tokens.push({ type: "template", value, pos: start });
        return undefined;
      } else if (c === "$" && text[j + 1] === "{") {
        i = j + 2;
        tokens.push({ type: "template", value: `${value}\${`, pos: start });
        brackets.push({ ch: "{", template: true });
        return undefined;
      } else {
        value += c;
        j++;
      }
    }
    return `unterminated template literal (line ${line(start)})`;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (
      c === 32 ||
      c === 9 ||
      c === 10 ||
      c === 13 ||
      c === 0xfeff ||
      c === 0xa0 ||
      c === 0x2028 ||
      c === 0x2029
    ) {
      i++;
      continue;
    }
    const start = i;
    const ch = text[i] as string;
    if (ch === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? n : end;
      continue;
    }
    if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) return { problem: `unterminated comment (line ${line(start)})` };
      i = end + 2;
      continue;
    }
    if (ch === "<" && text.startsWith("<<<<<<< ", i) && (i === 0 || text[i - 1] === "\n"))
      return { problem: `merge conflict marker (line ${line(start)})` };
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= n || text[j] === "\n")
          return { problem: `unterminated string literal (line ${line(start)})` };
        const d = text[j] as string;
        if (d === ch) break;
        if (d === "\\") {
          // A line continuation or an escape: keep the escaped character as written.
          value += text[j + 1] === "\n" || text[j + 1] === "\r" ? "" : (text[j + 1] ?? "");
          j += text[j + 1] === "\r" && text[j + 2] === "\n" ? 3 : 2;
        } else {
          value += d;
          j++;
        }
      }
      i = j + 1;
      tokens.push({ type: "str", value, pos: start });
      continue;
    }
    if (ch === "`") {
      i++;
      const problem = template(start);
      if (problem !== undefined) return { problem };
      continue;
    }
    if (ch === "}" && brackets[brackets.length - 1]?.template === true) {
      brackets.pop();
      i++;
      const problem = template(start);
      if (problem !== undefined) return { problem };
      continue;
    }
    if (isIdStart(c) || (ch === "\\" && text[i + 1] === "u")) {
      let j = i + 1;
      while (j < n && (isIdPart(text.charCodeAt(j)) || text[j] === "\\")) j++;
      tokens.push({ type: "id", value: text.slice(i, j), pos: start });
      i = j;
      continue;
    }
    if ((c >= 48 && c <= 57) || (ch === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < n && /[0-9a-zA-Z_.]/.test(text[j] as string)) {
        // An exponent's sign belongs to the number.
        j +=
          (text[j] === "e" || text[j] === "E") &&
          (text[j + 1] === "+" || text[j + 1] === "-") &&
          !/^0[xX]/.test(text.slice(i, j))
            ? 2
            : 1;
      }
      tokens.push({ type: "num", value: text.slice(i, j), pos: start });
      i = j;
      continue;
    }
    if (ch === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      for (;;) {
        if (j >= n || text[j] === "\n")
          return { problem: `unterminated regular expression literal (line ${line(start)})` };
        const d = text[j];
        if (d === "\\") j += 2;
        else {
          if (d === "[") inClass = true;
          else if (d === "]") inClass = false;
          else if (d === "/" && !inClass) break;
          j++;
        }
      }
      j++;
      while (j < n && isIdPart(text.charCodeAt(j))) j++;
      tokens.push({ type: "regex", value: text.slice(i, j), pos: start });
      i = j;
      continue;
    }
    const punct = PUNCTUATORS.get(ch)?.find((p) => text.startsWith(p, i)) ?? ch;
    if (punct === "{" || punct === "(" || punct === "[")
      brackets.push({ ch: punct, template: false });
    else if (punct === "}" || punct === ")" || punct === "]") {
      if (brackets.pop()?.ch !== CLOSING[punct])
        return { problem: `unbalanced "${punct}" (line ${line(start)})` };
    }
    tokens.push({ type: "punct", value: punct, pos: start });
    i += punct.length;
  }
  const open = brackets[brackets.length - 1];
  if (open !== undefined)
    return {
      problem: open.template ? "unterminated template literal" : `"${open.ch}" is never closed`,
    };
  return { tokens };
}
