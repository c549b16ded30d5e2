/**
 * Why a file was left out, as a stable code (tools and reports group by it) — one vocabulary for
 * every perflayer tool:
 *
 * - `generated`: build output, declarations, files marked generated (header, `.gitattributes`
 *   `linguist-generated`, a `sourceMappingURL`) and generated documentation sites;
 * - `vendored`: third-party code kept in the repository (well-known library files, `vendor/`
 *   folders, bundle banners, `linguist-vendored`);
 * - `minified`: minified or packed text (long lines, little whitespace);
 * - `binary`, `encoding` (not UTF-8), `too-large`, `too-deep` (nesting past what the parser
 *   handles), `syntax-error`: content a tool cannot analyse;
 * - `unreadable`, `symlink`: the file system said no;
 * - `failed`: the tool itself failed on the file (a bug to report; the run went on).
 */
export type SkipCode =
  | "generated"
  | "vendored"
  | "minified"
  | "binary"
  | "encoding"
  | "too-large"
  | "too-deep"
  | "syntax-error"
  | "unreadable"
  | "symlink"
  | "failed";

/** A reason to leave a file out: its code and a sentence a person can check. */
export interface SkipReason {
  /** The stable code. */
  readonly code: SkipCode;
  /** e.g. `minified (96 % of the text in lines over 250 characters, 2.6 % whitespace)`. */
  readonly reason: string;
}

/** A file or folder left out, and why. */
export interface SkippedFile extends SkipReason {
  /** Path relative to the walk's base, `/` separators. */
  readonly relativePath: string;
}

function inUnit(bytes: number, unit: number, digits: number): string {
  return (bytes / unit).toFixed(digits).replace(/\.0+$/, "");
}

/**
 * Describes a size over a limit so that the two numbers printed differ: `3.1 MiB > 1 MiB`, and
 * exact byte counts when rounding would print `1 MiB > 1 MiB`.
 * @param size - the file's size in bytes
 * @param limit - the limit in bytes
 * @returns e.g. `too large (3.1 MiB > limit 1 MiB)`
 */
export function describeTooLarge(size: number, limit: number): string {
  const [unit, name] = limit >= 1_048_576 ? [1_048_576, "MiB"] : [1024, "KiB"];
  for (const digits of [1, 2, 3]) {
    const shown = inUnit(size, unit, digits);
    const bound = inUnit(limit, unit, digits);
    if (shown !== bound) return `too large (${shown} ${name} > limit ${bound} ${name})`;
  }
  return `too large (${size.toLocaleString("en-US")} bytes > limit ${limit.toLocaleString("en-US")} bytes)`;
}
