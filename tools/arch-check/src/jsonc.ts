/**
 * Parses JSON with comments and trailing commas (tsconfig's dialect). Comments are removed with
 * strings left intact (so `"https://…"` survives), then trailing commas, then `JSON.parse`.
 * @param text - the file's text
 * @returns the value
 * @throws SyntaxError with a 1-based line number when the text is not valid
 */
export function parseJsonc(text: string): unknown {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      // Keep the newlines so reported line numbers stay right.
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else {
      out += ch;
      i++;
    }
  }
  const clean = out.replace(/,(\s*[}\]])/g, "$1");
  try {
    return JSON.parse(clean) as unknown;
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const line =
      position === undefined ? undefined : clean.slice(0, Number(position)).split("\n").length;
    throw new SyntaxError(
      `${(error as Error).message.replace(/ in JSON at position \d+.*$/, "")}${line === undefined ? "" : ` (line ${line})`}`,
    );
  }
}
