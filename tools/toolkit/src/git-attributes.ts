import picomatch from "picomatch";
import type { SkipReason } from "./skipped-file.js";

type Attribute = "linguist-generated" | "linguist-vendored";

/** One line's settings: true (set), false (unset) or null (back to unspecified). */
interface AttributeLine {
  readonly source: string;
  readonly matches: (relativePath: string) => boolean;
  readonly settings: ReadonlyMap<Attribute, boolean | null>;
}

const ATTRIBUTES: readonly Attribute[] = ["linguist-generated", "linguist-vendored"];

function parseSetting(token: string): [Attribute, boolean | null] | undefined {
  const prefix = token[0];
  const body = prefix === "-" || prefix === "!" ? token.slice(1) : token;
  const [name, value] = body.split("=", 2) as [string, string | undefined];
  if (!(ATTRIBUTES as readonly string[]).includes(name)) return undefined;
  if (prefix === "!") return [name as Attribute, null];
  if (prefix === "-") return [name as Attribute, false];
  return [name as Attribute, value === undefined || value === "true"];
}

/**
 * The `linguist-generated` and `linguist-vendored` attributes of one `.gitattributes` file, with
 * git's matching rules: a pattern without a slash matches the file name at any depth, one with a
 * slash matches from the file's folder, and a folder pattern (`docs/`) matches no file (use
 * `docs/**`, as git and GitHub Linguist do).
 */
export class GitAttributes {
  readonly #folder: string;
  readonly #lines: readonly AttributeLine[];

  private constructor(folder: string, lines: readonly AttributeLine[]) {
    this.#folder = folder;
    this.#lines = lines;
  }

  /**
   * Reads the linguist lines of a `.gitattributes` file.
   * @param text - the file's text
   * @param folder - its folder relative to the walk's base (`""` for the base), `/` separators
   * @returns the attributes, or undefined when the file sets no linguist attribute
   */
  static parse(text: string, folder: string): GitAttributes | undefined {
    const lines: AttributeLine[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith('"')) continue;
      const [pattern, ...tokens] = line.split(/\s+/) as [string, ...string[]];
      const settings = new Map<Attribute, boolean | null>();
      for (const token of tokens) {
        const setting = parseSetting(token);
        if (setting !== undefined) settings.set(setting[0], setting[1]);
      }
      if (settings.size === 0 || pattern.endsWith("/")) continue;
      const anchored = pattern.includes("/");
      const test = picomatch(anchored ? pattern.replace(/^\//, "") : pattern, { dot: true });
      lines.push({
        source: line,
        matches: anchored ? test : (path) => test(path.slice(path.lastIndexOf("/") + 1)),
        settings,
      });
    }
    return lines.length === 0 ? undefined : new GitAttributes(folder, lines);
  }

  /**
   * Applies this file's matching lines, in order, to the state of one path.
   * @param relativePath - the path relative to the walk's base
   * @param state - attribute → [value, the line that set it]; updated in place
   */
  apply(relativePath: string, state: Map<Attribute, [boolean | null, string]>): void {
    if (this.#folder !== "" && !relativePath.startsWith(`${this.#folder}/`)) return;
    const path = this.#folder === "" ? relativePath : relativePath.slice(this.#folder.length + 1);
    for (const line of this.#lines) {
      if (!line.matches(path)) continue;
      for (const [name, value] of line.settings) state.set(name, [value, line.source]);
    }
  }
}

/**
 * The linguist verdict on a path, from every `.gitattributes` file above it (the deeper file and
 * the later line win, as in git).
 * @param files - the attribute files on the way down, shallowest first
 * @param relativePath - the path relative to the walk's base
 * @returns `generated` or `vendored` with the deciding line, or undefined
 */
export function linguistReason(
  files: readonly GitAttributes[],
  relativePath: string,
): SkipReason | undefined {
  if (files.length === 0) return undefined;
  const state = new Map<Attribute, [boolean | null, string]>();
  for (const file of files) file.apply(relativePath, state);
  const generated = state.get("linguist-generated");
  if (generated?.[0] === true)
    return { code: "generated", reason: `marked generated (.gitattributes: ${generated[1]})` };
  const vendored = state.get("linguist-vendored");
  if (vendored?.[0] === true)
    return { code: "vendored", reason: `marked vendored (.gitattributes: ${vendored[1]})` };
  return undefined;
}
