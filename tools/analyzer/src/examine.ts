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
  const raw: RawFinding[] = [];
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
        const first = d.nodes[0];
        const last = d.nodes[d.nodes.length - 1];
        if (first === undefined || last === undefined) continue;
        const startLine = lineRange(first, sourceFile).startLine;
        const endLine = Math.max(...d.nodes.map((n) => lineRange(n, sourceFile).endLine));
        const code = d.nodes.map((n) => n.getText(sourceFile)).join("\n");
        const covered = new Set<number>();
        for (const n of d.nodes) {
          const range = lineRange(n, sourceFile);
          for (let line = range.startLine; line <= range.endLine; line++) covered.add(line);
        }
        raw.push({
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
    raw: dedupe(raw),
    ids: toBase64(tokens.ids),
    tokenLines: toBase64(tokens.lines),
    identifiers: [...identifiers],
    imports,
    syntaxErrors,
  };
}

/** Overlapping detections of one category: the earlier detector (by precedence) or the higher confidence wins. */
export function dedupe(raw: RawFinding[]): RawFinding[] {
  const order = new Map(DETECTORS.flatMap((d, i) => d.kinds.map((k) => [k, i] as const)));
  const sorted = [...raw].sort(
    (a, b) =>
      (order.get(a.kind) ?? 99) - (order.get(b.kind) ?? 99) ||
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
