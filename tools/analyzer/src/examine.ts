import { basename, extname } from "node:path";
import { ts } from "ts-morph";
import type { WalkedFile } from "@perflayer/toolkit";
import { lines as lineRange } from "./ast.js";
import type { Detector } from "./detector.js";
import { DETECTORS } from "./detectors/index.js";
import type { Tokens } from "./analysis-cache.js";
import type { DetectorFailure, FileResult, RawFinding } from "./file-result.js";
import { tokenize } from "./tokenize.js";

function scriptKind(path: string): ts.ScriptKind {
  switch (extname(path)) {
    case ".tsx":
      return ts.ScriptKind.TSX;
    case ".jsx":
      return ts.ScriptKind.JSX;
    case ".js":
    case ".mjs":
    case ".cjs":
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

function lineCount(text: string): number {
  let lines = 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
  return lines;
}

/**
 * Deepest nesting parsed. The TypeScript parser recurses per level and overflows the stack near
 * 600–800 levels (measured on node 20); real code stays far below this bound.
 */
export const MAX_NESTING = 256;

/**
 * Parser options: detectors read code, never doc comments, and parsing JSDoc is most of the
 * parse time on well-documented code (about 60% on effect's sources).
 */
const PARSE_OPTIONS: ts.CreateSourceFileOptions = {
  languageVersion: ts.ScriptTarget.Latest,
  jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
};

/** One file examined: what is cached of it, and its tokens for clone detection. */
export interface Examined {
  /** The cacheable result. */
  readonly result: FileResult;
  /** Its tokens (none when the file was skipped). */
  readonly tokens?: Tokens;
}

function parseError(sourceFile: ts.SourceFile): string | undefined {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] })
    .parseDiagnostics;
  const first = diagnostics?.[0];
  if (first === undefined) return undefined;
  const line = sourceFile.getLineAndCharacterOfPosition(first.start ?? 0).line + 1;
  const more =
    (diagnostics?.length ?? 1) > 1 ? ` (and ${(diagnostics?.length ?? 1) - 1} more)` : "";
  return `syntax error at line ${line}: ${ts.flattenDiagnosticMessageText(first.messageText, " ")}${more}`;
}

/**
 * Parses and examines one file: every detector's detections, tokens for clones, imports. A file
 * nested too deep for the parser, or with syntax the parser rejects, comes back with a `skip`
 * reason instead; a detector that throws is recorded and the others still run.
 * @param file - the walked file
 * @param text - its text
 * @param hash - its content hash
 * @param detectors - the detectors to run, in precedence order
 * @returns the result and tokens
 */
export function examine(
  file: WalkedFile,
  text: string,
  hash: string,
  detectors: readonly Detector[] = DETECTORS,
): Examined {
  const kind = scriptKind(file.path);
  const variant =
    kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX || kind === ts.ScriptKind.JS
      ? ts.LanguageVariant.JSX
      : ts.LanguageVariant.Standard;
  const base = {
    hash,
    lines: lineCount(text),
    raw: [],
    imports: [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)].map((m) =>
      basename(m[1] as string).replace(/\.[mc]?[jt]sx?$/, ""),
    ),
  };
  const tokens = tokenize(file.relativePath, text, variant);
  if (tokens.maxDepth > MAX_NESTING)
    return {
      result: {
        ...base,
        skip: {
          code: "too-deep",
          reason: `nested too deep to parse (depth ${tokens.maxDepth} > ${MAX_NESTING})`,
        },
      },
    };
  let sourceFile: ts.SourceFile;
  try {
    sourceFile = ts.createSourceFile(file.relativePath, text, PARSE_OPTIONS, true, kind);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      result: {
        ...base,
        skip: { code: "too-deep", reason: `too deep for the parser (${error.message})` },
      },
    };
  }
  const syntax = parseError(sourceFile);
  if (syntax !== undefined)
    return { result: { ...base, skip: { code: "syntax-error", reason: syntax } } };
  const raw: RawFinding[] = [];
  const failures: DetectorFailure[] = [];
  for (const detector of detectors) {
    if (!detector.prefilter.test(text)) continue;
    try {
      raw.push(...detect(detector, sourceFile, file.relativePath));
    } catch (error) {
      // A detector bug (or a recursion too deep) must not stop the run: it is reported.
      failures.push({
        detector: detector.id,
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  return {
    result: { ...base, raw: dedupe(raw), ...(failures.length > 0 ? { failures } : {}) },
    tokens: { ids: tokens.ids, lines: tokens.lines },
  };
}

function detect(detector: Detector, sourceFile: ts.SourceFile, file: string): RawFinding[] {
  const found: RawFinding[] = [];
  for (const d of detector.detect({ sourceFile, file })) {
    const first = d.nodes[0];
    if (first === undefined) continue;
    const startLine = lineRange(first, sourceFile).startLine;
    const endLine = Math.max(...d.nodes.map((n) => lineRange(n, sourceFile).endLine));
    const code = d.nodes.map((n) => n.getText(sourceFile)).join("\n");
    const covered = new Set<number>();
    for (const n of d.nodes) {
      const range = lineRange(n, sourceFile);
      for (let line = range.startLine; line <= range.endLine; line++) covered.add(line);
    }
    found.push({
      ruleId: `${detector.category}/${d.kind}`,
      category: detector.category,
      kind: d.kind,
      confidence: d.confidence,
      startLine,
      endLine,
      evidence: d.evidence,
      ...(d.name === undefined ? {} : { name: d.name }),
      code,
      ownLines: covered.size,
    });
  }
  return found;
}

/** Each kind's detector's position in the precedence order. */
const ORDER = new Map(DETECTORS.flatMap((d, i) => d.kinds.map((k) => [k, i] as const)));

/** Overlapping detections of one category: the earlier detector (by precedence) or the higher confidence wins. */
export function dedupe(raw: readonly RawFinding[]): RawFinding[] {
  const sorted = [...raw].sort(
    (a, b) =>
      (ORDER.get(a.kind) ?? 99) - (ORDER.get(b.kind) ?? 99) ||
      b.confidence - a.confidence ||
      b.endLine - b.startLine - (a.endLine - a.startLine),
  );
  const kept: RawFinding[] = [];
  for (const candidate of sorted) {
    const clash = kept.some(
      (k) =>
        k.category === candidate.category &&
        k.startLine <= candidate.endLine &&
        candidate.startLine <= k.endLine,
    );
    if (!clash) kept.push(candidate);
  }
  return kept;
}
