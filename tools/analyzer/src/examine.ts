import { basename, extname } from "node:path";
import { ts } from "ts-morph";
import type { WalkedFile } from "@perflayer/toolkit";
import { indexTree, lines as lineRange } from "./ast.js";
import type { Detector } from "./detector.js";
import { DETECTORS } from "./detectors/index.js";
import { FIXABLE_KINDS } from "./fix/fixable-kinds.js";
import type { Tokens } from "./analysis-cache.js";
import type { DetectorFailure, FileResult, RawFinding } from "./file-result.js";
import { declaresFlow, removeFlowTypes } from "./remove-flow-types.js";
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

/**
 * A TypeScript file's syntax tree, kept for the fix prediction, which would otherwise parse the
 * file again (see {@link Examined.tree}).
 */
export interface KeptTree {
  /** The text it was parsed from. */
  readonly text: string;
  /** The tree: parents set, walk order indexed. */
  readonly sourceFile: ts.SourceFile;
}

/** One file examined: what is cached of it, and its tokens for clone detection. */
export interface Examined {
  /** The cacheable result. */
  readonly result: FileResult;
  /** Its tokens (none when the file was skipped). */
  readonly tokens?: Tokens;
  /**
   * The file's tree, when it is TypeScript (parsed as the fix prediction parses it: JSDoc is
   * parsed in JavaScript only) and a detection is of a kind `fix` rewrites; never cached, never
   * sent between threads.
   */
  readonly tree?: KeptTree;
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
 * Parses and examines one file: every detector's detections, tokens for clones, imports. Flow-typed
 * JavaScript (an `@flow` header, or annotations that make the parse fail) is read with its types
 * blanked, line breaks kept. A file nested too deep for the parser, with syntax the parser
 * rejects, or Flow the Flow parser rejects comes back with a `skip` reason instead; a detector that
 * throws is recorded and the others still run.
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
  const js = kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX;
  // Flow-typed JavaScript: its types are blanked (line breaks kept) before it is parsed.
  let code = text;
  if (js && declaresFlow(text)) {
    const removal = removeFlowTypes(text);
    if ("error" in removal)
      return {
        result: {
          ...base,
          skip: { code: "syntax-error", reason: `Flow-typed JavaScript: ${removal.error}` },
        },
      };
    code = removal.text;
  }
  let tokens = tokenize(file.relativePath, code, variant);
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
    sourceFile = ts.createSourceFile(file.relativePath, code, PARSE_OPTIONS, false, kind);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      result: {
        ...base,
        skip: { code: "too-deep", reason: `too deep for the parser (${error.message})` },
      },
    };
  }
  let syntax = parseError(sourceFile);
  if (syntax !== undefined && js && code === text) {
    // Flow annotations without the pragma: parsed again without them when that parses.
    const removal = removeFlowTypes(text);
    if ("text" in removal && removal.text !== text) {
      const stripped = ts.createSourceFile(
        file.relativePath,
        removal.text,
        PARSE_OPTIONS,
        false,
        kind,
      );
      if (parseError(stripped) === undefined) {
        code = removal.text;
        sourceFile = stripped;
        tokens = tokenize(file.relativePath, code, variant);
        syntax = undefined;
      }
    }
  }
  if (syntax !== undefined)
    return {
      result: {
        ...base,
        skip: {
          code: "syntax-error",
          reason: code === text ? syntax : `${syntax}, after its Flow types were removed`,
        },
      },
    };
  // Parents are set here, with the walk order every detector's walks reuse.
  indexTree(sourceFile);
  const raw: Owned[] = [];
  const failures: DetectorFailure[] = [];
  const codeLines = codeLinesOf(code);
  for (const detector of detectors) {
    if (!detector.prefilter.test(code)) continue;
    try {
      raw.push(...detect(detector, sourceFile, file.relativePath, codeLines, code !== text));
    } catch (error) {
      // A detector bug (or a recursion too deep) must not stop the run: it is reported.
      failures.push({
        detector: detector.id,
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  const kept =
    !js && code === text && raw.some((r) => FIXABLE_KINDS.includes(r.kind))
      ? { tree: { text, sourceFile } }
      : {};
  return {
    result: {
      ...base,
      raw: settle(raw).map(({ own, classWide: _, ...finding }) => ({
        ...finding,
        ownLines: own.length,
      })),
      ...(failures.length > 0 ? { failures } : {}),
    },
    tokens: { ids: tokens.ids, lines: tokens.lines },
    ...kept,
  };
}

/** A detection with the code lines of its own nodes (what a migration deletes). */
/** A detection with its own code lines; `classWide` when its one node is a class (it exists for the pattern). */
type Owned = RawFinding & { own: number[]; classWide?: boolean };

/**
 * One detector's detections: the range spans the construct's nodes and its context (a helper it
 * calls, a give-back far away); the own lines are the code lines of the nodes only.
 */
function detect(
  detector: Detector,
  sourceFile: ts.SourceFile,
  file: string,
  codeLines: readonly boolean[],
  flow: boolean,
): Owned[] {
  const found: Owned[] = [];
  for (const d of detector.detect({ sourceFile, file })) {
    const spans = [...d.nodes, ...(d.context ?? [])].map((n) => lineRange(n, sourceFile));
    if (spans.length === 0) continue;
    const own = new Set<number>();
    for (const n of d.nodes) {
      const range = lineRange(n, sourceFile);
      for (let line = range.startLine; line <= range.endLine; line++)
        if (codeLines[line - 1] === true) own.add(line);
    }
    found.push({
      ruleId: `${detector.category}/${d.kind}`,
      category: detector.category,
      kind: d.kind,
      confidence: d.confidence,
      startLine: Math.min(...spans.map((r) => r.startLine)),
      endLine: Math.max(...spans.map((r) => r.endLine)),
      // Code quoted from a Flow file reads without the spaces its types left (`const x    = 1`).
      evidence: flow ? d.evidence.map((e) => e.replace(/(\S) {2,}/g, "$1 ")) : d.evidence,
      ...(d.name === undefined ? {} : { name: d.name }),
      ...(d.needs === undefined ? {} : { needs: d.needs }),
      code: d.nodes.map((n) => n.getText(sourceFile)).join("\n"),
      own: [...own],
      ...(d.nodes.length === 1 &&
      d.nodes[0] !== undefined &&
      (ts.isClassDeclaration(d.nodes[0]) || ts.isClassExpression(d.nodes[0]))
        ? { classWide: true }
        : {}),
    });
  }
  return found;
}

/**
 * Which lines hold code: not blank, not only a comment (a line-based reading: a line inside a block
 * comment that does not start with `*` counts as code).
 * @param text - the file's text
 * @returns per 0-based line, whether it holds code
 */
export function codeLinesOf(text: string): boolean[] {
  let inBlock = false;
  return text.split("\n").map((raw) => {
    let line = raw.trim();
    if (inBlock) {
      const close = line.indexOf("*/");
      if (close < 0) return false;
      inBlock = false;
      line = line.slice(close + 2).trim();
    }
    if (line === "" || line.startsWith("//")) return false;
    if (line.startsWith("/*")) {
      const close = line.indexOf("*/", 2);
      if (close < 0) {
        inBlock = true;
        return false;
      }
      return line.slice(close + 2).trim() !== "";
    }
    if (line.startsWith("*")) return false;
    return true;
  });
}

/** Each kind's detector's position in the precedence order. */
const ORDER = new Map(DETECTORS.flatMap((d, i) => d.kinds.map((k) => [k, i] as const)));

/**
 * {@link dedupe} over the findings that stand on the file alone; a held one (`needs`, decided
 * after every file is read) is kept only where none of them of its category already holds its
 * lines, so it can never take lines from, or hide, a finding that stands.
 */
function settle(raw: readonly Owned[]): Owned[] {
  const settled = dedupe(raw.filter((r) => r.needs === undefined));
  const held = dedupe(raw.filter((r) => r.needs !== undefined)).filter(
    (h) => !settled.some((k) => sharesLines(k, h)),
  );
  return [...settled, ...held];
}

/** Whether two detections of one category hold a code line in common. */
function sharesLines(a: Owned, b: Owned): boolean {
  return a.category === b.category && b.own.some((line) => a.own.includes(line));
}

/**
 * Detections of one category that share code lines: the earlier detector (by precedence), then the
 * higher confidence, then the larger one wins. Detections that only overlap in range (a timing that
 * spans another one's start mark) are two mechanisms and both stay.
 * @param raw - the detections of one file, with their own lines
 * @returns the detections kept
 */
export function dedupe<T extends Owned>(raw: readonly T[]): T[] {
  const sorted = [...raw].sort(
    (a, b) =>
      (ORDER.get(a.kind) ?? 99) - (ORDER.get(b.kind) ?? 99) ||
      b.confidence - a.confidence ||
      b.own.length - a.own.length,
  );
  const kept: T[] = [];
  for (const candidate of sorted) {
    const shares = kept.filter((k) => sharesLines(k, candidate));
    // A mechanism of another kind nested inside a larger construct (idle expiry inside a pool
    // class) is kept, and its lines are counted once: taken out of the outer finding.
    const nested = shares.every(
      (k) =>
        k.kind !== candidate.kind &&
        k.startLine <= candidate.startLine &&
        candidate.endLine <= k.endLine &&
        k.endLine - k.startLine > candidate.endLine - candidate.startLine,
    );
    // The other way round (a class that exists for a limiter, holding a dedup found first): a
    // class reported whole, at least twice as long as each it holds, is kept too, without the
    // lines the inner one already counts.
    const encloses =
      !nested &&
      candidate.classWide === true &&
      shares.every(
        (k) =>
          k.kind !== candidate.kind &&
          candidate.startLine <= k.startLine &&
          k.endLine <= candidate.endLine &&
          candidate.endLine - candidate.startLine + 1 >= 2 * (k.endLine - k.startLine + 1),
      );
    if (shares.length > 0 && !nested && !encloses) continue;
    if (encloses)
      candidate.own = candidate.own.filter((line) => !shares.some((k) => k.own.includes(line)));
    else
      for (const outer of shares) {
        outer.own = outer.own.filter((line) => !candidate.own.includes(line));
      }
    kept.push(candidate);
  }
  return kept;
}
