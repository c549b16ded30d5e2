import { createRequire } from "node:module";
import type ts from "typescript";

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
  /** `import type` / `export type`: erased at runtime. */
  readonly typeOnly: boolean;
}

/**
 * Extracts imports without a full parse: `ts.preProcessFile` scans for `import`, `export … from`,
 * `import()`, `require()` and triple-slash references. `import type`/`export type` are marked so
 * cycles can tell type-only edges from runtime ones.
 * @param text - source text
 * @returns the imports in order
 */
export function extractImports(text: string): ImportRef[] {
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
  return info.importedFiles.map((ref) => {
    // The statement starts at the last `import`/`export` keyword before the specifier (code without
    // semicolons has no other reliable boundary).
    const before = text.slice(Math.max(0, ref.pos - 2000), ref.pos);
    let start = -1;
    for (const match of before.matchAll(/\b(import|export)\b/g)) start = match.index;
    const statement = start === -1 ? "" : before.slice(start);
    const typeOnly = /^(import|export)\s+type\s/.test(statement) && !/^import\s*\(/.test(statement);
    return { specifier: ref.fileName, line: lineOf(ref.pos), typeOnly };
  });
}
