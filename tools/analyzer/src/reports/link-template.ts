import { PerflayerConfigError } from "@perflayer/core";

/** Where a report's file:line links point by default: the file in VS Code, at the line. */
export const DEFAULT_LINK_TEMPLATE = "vscode://file/{root}/{path}:{line}";

const PLACEHOLDERS = ["path", "line", "endLine", "root"];

/**
 * Checks a link template: it must place `{path}` and use only `{path}`, `{line}`, `{endLine}` and
 * `{root}`.
 * @param template - e.g. `https://github.com/o/r/blob/main/{path}#L{line}-L{endLine}`
 * @returns the template
 */
export function checkLinkTemplate(template: string): string {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1] as string)
    .filter((name) => !PLACEHOLDERS.includes(name));
  if (!template.includes("{path}") || unknown.length > 0)
    throw new PerflayerConfigError(
      "ERR_USAGE",
      `Expected the link template to contain {path} and only the placeholders ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}, got "${template}". Pass e.g. https://github.com/org/repo/blob/main/{path}#L{line}-L{endLine}.`,
    );
  return template;
}

/**
 * Fills a link template for one location (path segments URL-encoded).
 * @param template - a checked template
 * @param location - the project root, the relative path and the lines
 * @returns the URL
 */
export function linkTo(
  template: string,
  location: { root: string; path: string; line: number; endLine: number },
): string {
  const encode = (path: string): string => path.split("/").map(encodeURIComponent).join("/");
  const values: Record<string, string> = {
    path: encode(location.path),
    root: encode(location.root.split("\\").join("/")).replace(/^\//, ""),
    line: String(location.line),
    endLine: String(location.endLine),
  };
  return template.replace(/\{(path|line|endLine|root)\}/g, (_, name: string) => values[name] ?? "");
}
