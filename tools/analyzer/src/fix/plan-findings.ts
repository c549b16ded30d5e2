import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { ts } from "ts-morph";
import type { AnalyzerFinding } from "../analysis-report.js";
import { indexTree } from "../ast.js";
import type { KeptTree } from "../examine.js";
import { importEdits, isCommonJs } from "./file-imports.js";
import type { NeededImport } from "./file-imports.js";
import { applyEdits, codeLines, lineSpan, namesIn, overlaps } from "./source-edit.js";
import type { TextEdit } from "./source-edit.js";
import type { FixableKind } from "./fixable-kinds.js";
import { packageRoot } from "./package-root.js";
import { refuse } from "./rewrite.js";
import type { Refusal, Rewrite, Rewriter } from "./rewrite.js";
import { rewriteMemoMap } from "./rewrite-memo-map.js";
import { rewriteRetryLoop } from "./rewrite-retry-loop.js";
import { rewriteTimeoutRace } from "./rewrite-timeout-race.js";
import { rewriteTimerDelta } from "./rewrite-timer-delta.js";
import { SharedModule } from "./shared-module.js";
import { unifiedDiff } from "./unified-diff.js";

/** The rewriters by finding kind. */
const REWRITERS: Readonly<Record<FixableKind, Rewriter>> = {
  "timeout-race": rewriteTimeoutRace,
  "retry-poll": rewriteRetryLoop,
  "retry-backoff": rewriteRetryLoop,
  "timer-delta": rewriteTimerDelta,
  memoize: rewriteMemoMap,
  "cache-aside": rewriteMemoMap,
  "ttl-cache": rewriteMemoMap,
};

/** A finding `fix` rewrites. */
export interface RewrittenFix {
  /** Rewritten. */
  readonly status: "rewrite";
  /** The finding. */
  readonly finding: AnalyzerFinding;
  /** The perflayer API the code now calls. */
  readonly api: string;
  /** A unified diff of this finding's rewrite alone (its imports included). */
  readonly diff: string;
  /** Behaviour that changes on purpose. */
  readonly notes: readonly string[];
  /**
   * The analyzer's prediction for the finding: its `fixRemovesLines` (its eliminable lines when the
   * report carries no prediction).
   */
  readonly predictedLines: number;
  /**
   * Code lines the rewrite removes in place, net of the lines it writes there, never below 0: the
   * file's new imports, the shared module's new lines and what a rewrite writes beyond what it
   * removes are the plan's setup ({@link FileFix.setupLines}), charged to the summary, not to a
   * finding (so a plan's figures less its setup add up to what its files lose).
   */
  readonly removedLines: number;
}

/** A finding `fix` leaves alone. */
export interface RefusedFix {
  /** Left alone. */
  readonly status: "refused";
  /** The finding. */
  readonly finding: AnalyzerFinding;
  /** Why the rewrite could not be proven safe. */
  readonly reason: string;
  /** The analyzer's eliminable lines for the finding. */
  readonly predictedLines: number;
}

/** What `fix` decided for one finding. */
export type PlannedFix = RewrittenFix | RefusedFix;

/** One file's text before and after all its rewrites. */
export interface FileFix {
  /** The path relative to the root. */
  readonly file: string;
  /** The absolute path. */
  readonly path: string;
  /** The text now ("" for a file the plan creates: the shared module). */
  readonly before: string;
  /** The text with every rewrite of the file and its imports. */
  readonly after: string;
  /** The modules the new imports name (the project must depend on them). */
  readonly modules: readonly string[];
  /** Whether this is the shared monitor / cache manager module (written only with a file that uses it). */
  readonly shared?: true;
  /** Whether the file imports the shared module (rolled back when that module does not type-check). */
  readonly usesShared?: true;
  /**
   * Code lines of setup the file gains, charged to no finding: its new imports and what its
   * rewrites write beyond what they remove (the shared module: the lines it gains). What the file
   * loses is the sum of its findings' `removedLines` less this.
   */
  readonly setupLines: number;
}

/** Per finding a rewrite or a refusal, per file the new text. */
export interface PlannedFindings {
  /** One entry per finding given, in the order given. */
  readonly fixes: readonly PlannedFix[];
  /** The files that change (the shared modules last, one per package whose rewrites use one). */
  readonly files: readonly FileFix[];
}

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (path.endsWith(".jsx")) return ts.ScriptKind.JSX;
  return /\.[cm]?js$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** The net code lines an edit removes, counted over the whole lines it touches. */
const removedBy = (text: string, edits: readonly TextEdit[]): number =>
  edits.reduce((sum, edit) => {
    const span = lineSpan(text, edit);
    return sum + codeLines(span.before) - codeLines(span.after);
  }, 0);

/** A file with findings, read and parsed once. */
interface ParsedFile {
  /** The path relative to the root. */
  readonly file: string;
  /** The absolute path. */
  readonly path: string;
  /** Its text. */
  readonly before: string;
  /** Its syntax tree. */
  readonly source: ts.SourceFile;
}

const PARSE_OPTIONS: ts.CreateSourceFileOptions = {
  languageVersion: ts.ScriptTarget.Latest,
  jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
};

function parse(root: string, file: string, trees?: ReadonlyMap<string, KeptTree>): ParsedFile {
  const path = join(root, file);
  const before = readFileSync(path, "utf8");
  const kind = scriptKind(path);
  const kept = trees?.get(file);
  if (kept !== undefined && kept.text === before) {
    // The per-file pass's tree of this TypeScript file: the same parse (its JSDoc is not parsed
    // either way), named by its absolute path as here.
    kept.sourceFile.fileName = path;
    return { file, path, before, source: kept.sourceFile };
  }
  // JSDoc is parsed where it carries types (JavaScript: `@type`, `@returns`), not in TypeScript,
  // whose compiler ignores JSDoc types: most of the parse time on well-documented code. Parents
  // come from the parser where JSDoc nodes need them, and the walk order (which sets the others')
  // makes the rewriters' walks loops over an array.
  const js = kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX;
  const source = ts.createSourceFile(path, before, PARSE_OPTIONS, js, kind);
  indexTree(source);
  return { file, path, before, source };
}

/**
 * Plans the fixes of one file's findings: rewrites that do not overlap, imports once (their lines
 * the file's setup, charged to no finding).
 */
function planFile(
  { file, path, before, source }: ParsedFile,
  findings: readonly AnalyzerFinding[],
  shared: SharedModule,
): { fixes: PlannedFix[]; fileFix?: FileFix } {
  const names = namesIn(source);
  const accepted: { finding: AnalyzerFinding; rewrite: Rewrite; removed: number; diff: string }[] =
    [];
  const refused = new Map<AnalyzerFinding, RefusedFix>();
  for (const finding of findings) {
    const rewriter = REWRITERS[finding.kind as FixableKind];
    let result: Rewrite | Refusal;
    try {
      result = rewriter({ file: source, names, finding, shared });
    } catch (error) {
      // A rewriter's bug must not take the analysis (its line prediction) or the other findings
      // down: this one is left alone, and the reason says so.
      result = refuse(
        `the ${finding.kind} rewriter failed on this code (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}): left alone — a bug in perflayer-analyze fix; please report it with this file`,
      );
    }
    const unreachable =
      result.ok && (result.shared ?? []).length > 0 ? shared.unreachableFrom(source) : undefined;
    if (unreachable !== undefined) result = refuse(unreachable);
    const clash = result.ok
      ? accepted.find((a) => a.rewrite.edits.some((e) => result.edits.some((f) => overlaps(e, f))))
      : undefined;
    if (!result.ok || clash !== undefined) {
      refused.set(finding, {
        status: "refused",
        finding,
        reason: result.ok
          ? `its code overlaps the rewrite of the ${clash?.finding.kind} finding at line ${clash?.finding.startLine}`
          : result.reason,
        predictedLines: finding.eliminableLines,
      });
      continue;
    }
    for (const name of result.shared ?? []) shared.use(name);
    const own = importEdits(source, result.imports);
    accepted.push({
      finding,
      rewrite: result,
      removed: removedBy(before, result.edits),
      diff: unifiedDiff(file, before, applyEdits(before, [...result.edits, ...own])),
    });
  }
  const imports: NeededImport[] = accepted.flatMap((a) => a.rewrite.imports);
  const edits: TextEdit[] = [
    ...accepted.flatMap((a) => a.rewrite.edits),
    ...importEdits(source, imports),
  ];
  const after = applyEdits(before, edits);
  // What no finding is charged: the imports, and a rewrite's lines beyond those it removes.
  const setupLines =
    accepted.reduce((sum, a) => sum + Math.max(0, a.removed), 0) -
    (codeLines(before) - codeLines(after));
  const fixes = findings.map((finding): PlannedFix => {
    const a = accepted.find((r) => r.finding === finding);
    if (a === undefined) return refused.get(finding) as RefusedFix;
    return {
      status: "rewrite",
      finding,
      api: a.rewrite.api,
      diff: a.diff,
      notes: a.rewrite.notes,
      predictedLines: finding.fixRemovesLines ?? finding.eliminableLines,
      removedLines: Math.max(0, a.removed),
    };
  });
  if (accepted.length === 0) return { fixes };
  return {
    fixes,
    fileFix: {
      file,
      path,
      before,
      after,
      modules: [...new Set(imports.map((i) => i.module).filter((m) => !m.startsWith(".")))],
      ...(accepted.some((a) => (a.rewrite.shared ?? []).length > 0) ? { usesShared: true } : {}),
      setupLines,
    },
  };
}

/**
 * Plans the rewrites of findings of the kinds `fix` rewrites (others are skipped): per finding the
 * rewrite or the reason it is left alone, per file the new text, the shared module last. Reads
 * files, writes nothing.
 * @param root - the folder the findings' paths are relative to
 * @param findings - the findings (of any kind)
 * @param sharedModule - where the shared monitor and cache manager module is, relative to the root
 * @param trees - trees of TypeScript files from the per-file pass, by relative path: a file whose
 *   text is unchanged is planned on its tree instead of being parsed again
 * @returns the plan of the fixable findings, in the order given
 */
export function planFindings(
  root: string,
  findings: readonly AnalyzerFinding[],
  sharedModule?: string,
  trees?: ReadonlyMap<string, KeptTree>,
): PlannedFindings {
  const byFile = new Map<string, AnalyzerFinding[]>();
  for (const finding of findings)
    if (finding.kind in REWRITERS)
      byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const parsed = [...byFile.keys()].map((file) => parse(root, file, trees));
  // One shared module per package (a file never imports across a package's boundary), unless the
  // project names its one module.
  const byPackage = new Map<string, ParsedFile[]>();
  for (const p of parsed) {
    const home = sharedModule === undefined ? packageRoot(root, p.path) : root;
    byPackage.set(home, [...(byPackage.get(home) ?? []), p]);
  }
  const planned = new Map<AnalyzerFinding, PlannedFix>();
  const files: FileFix[] = [];
  const modules: SharedModule[] = [];
  for (const [home, members] of byPackage) {
    const shared = new SharedModule(
      home,
      sharedModule,
      members.map((p) => ({ path: p.path, commonJs: isCommonJs(p.source) })),
    );
    modules.push(shared);
    for (const p of members) {
      const { fixes, fileFix } = planFile(p, byFile.get(p.file) ?? [], shared);
      for (const fix of fixes) planned.set(fix.finding, fix);
      if (fileFix !== undefined) files.push(fileFix);
    }
  }
  const fixes = findings.flatMap((f) => {
    const fix = planned.get(f);
    return fix === undefined ? [] : [fix];
  });
  for (const shared of modules) {
    const sharedText = shared.render();
    if (sharedText === shared.before) continue;
    files.push({
      file: relative(root, shared.path).split(sep).join("/"),
      path: shared.path,
      before: shared.before,
      after: sharedText,
      modules: shared.modules(),
      shared: true,
      // The module's new lines are setup: no finding is charged for them.
      setupLines: codeLines(sharedText) - codeLines(shared.before),
    });
  }
  return { fixes, files };
}
