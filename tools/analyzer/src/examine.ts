import { basename, extname } from "node:path";
import { ts } from "ts-morph";
import type { WalkedFile } from "@perflayer/toolkit";
import { lines as lineRange } from "./ast.js";
import type { Detector } from "./detector.js";
import { DETECTORS } from "./detectors/index.js";
import type { FileResult, RawFinding } from "./file-result.js";
import { tokenize } from "./tokenize.js";

/** The detectors of the given ids, in precedence order. */
export function detectorsFor(ids: readonly string[]): Detector[] {
  return DETECTORS.filter((d) => ids.includes(d.id));
}

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

function toBase64(array: Int32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}

/**
 * Parses and examines one file: detections, tokens for clones, identifier counts and imports. */
export function examine(
  file: WalkedFile,
  text: string,
  hash: string,
  detectors: readonly Detector[],
): FileResult {
  const kind = scriptKind(file.path);
  const sourceFile = ts.createSourceFile(
    file.relativePath,
    text,
    ts.ScriptTarget.Latest,
    true,
    kind,
  );
  const syntaxErrors =
    (sourceFile as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics?.length ??
    0;
  const raw: (RawFinding & { own: number[] })[] = [];
  const codeLines = syntaxErrors === 0 ? codeLinesOf(text) : [];
  if (syntaxErrors === 0) {
    for (const detector of detectors) {
      if (!detector.prefilter.test(text)) continue;
      let detections;
      try {
        detections = detector.detect({ sourceFile, file: file.relativePath });
      } catch {
        continue; // a detector bug must not stop the run; the file is simply not reported by it
      }
      for (const d of detections) {
        const spans = [...d.nodes, ...(d.context ?? [])].map((n) => lineRange(n, sourceFile));
        if (spans.length === 0) continue;
        const own = new Set<number>();
        for (const n of d.nodes) {
          const range = lineRange(n, sourceFile);
          for (let line = range.startLine; line <= range.endLine; line++)
            if (codeLines[line - 1] === true) own.add(line);
        }
        raw.push({
          ruleId: `${detector.category}/${d.kind}`,
          category: detector.category,
          kind: d.kind,
          confidence: d.confidence,
          startLine: Math.min(...spans.map((r) => r.startLine)),
          endLine: Math.max(...spans.map((r) => r.endLine)),
          evidence: d.evidence,
          ...(d.name === undefined ? {} : { name: d.name }),
          code: d.nodes.map((n) => n.getText(sourceFile)).join("\n"),
          own: [...own],
        });
      }
    }
  }
  const variant =
    kind === ts.ScriptKind.TSX || kind === ts.ScriptKind.JSX || kind === ts.ScriptKind.JS
      ? ts.LanguageVariant.JSX
      : ts.LanguageVariant.Standard;
  const tokens = tokenize(file.relativePath, text, variant);
  const identifiers = new Map<string, number>();
  for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g))
    identifiers.set(match[0], (identifiers.get(match[0]) ?? 0) + 1);
  const imports = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)].map(
    (m) => basename(m[1] as string).replace(/\.[mc]?[jt]sx?$/, ""),
  );
  return {
    hash,
    lines: text.split("\n").length,
    raw: dedupe(raw).map(({ own, ...finding }) => ({ ...finding, ownLines: own.length })),
    ids: toBase64(tokens.ids),
    tokenLines: toBase64(tokens.lines),
    identifiers: [...identifiers],
    imports,
    syntaxErrors,
  };
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

/**
 * Detections of one category that share code lines: the earlier detector (by precedence), then the
 * higher confidence, then the larger one wins. Detections that only overlap in range (a timing that
 * spans another one's start mark) are two mechanisms and both stay.
 */
export function dedupe<T extends RawFinding & { own: number[] }>(raw: T[]): T[] {
  const order = new Map(DETECTORS.flatMap((d, i) => d.kinds.map((k) => [k, i] as const)));
  const sorted = [...raw].sort(
    (a, b) =>
      (order.get(a.kind) ?? 99) - (order.get(b.kind) ?? 99) ||
      b.confidence - a.confidence ||
      b.own.length - a.own.length,
  );
  const kept: T[] = [];
  for (const candidate of sorted) {
    const shares = kept.filter(
      (k) =>
        k.category === candidate.category && candidate.own.some((line) => k.own.includes(line)),
    );
    // A mechanism of another kind nested inside a larger construct (idle expiry inside a pool
    // class) is kept, and its lines are counted once: taken out of the outer finding.
    const nested = shares.every(
      (k) =>
        k.kind !== candidate.kind &&
        k.startLine <= candidate.startLine &&
        candidate.endLine <= k.endLine &&
        k.endLine - k.startLine > candidate.endLine - candidate.startLine,
    );
    if (shares.length > 0 && !nested) continue;
    for (const outer of shares) {
      outer.own = outer.own.filter((line) => !candidate.own.includes(line));
    }
    kept.push(candidate);
  }
  return kept;
}
