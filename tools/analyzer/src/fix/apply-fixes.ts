import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import { Project, ts } from "ts-morph";
import type { Diagnostic, SourceFile } from "ts-morph";
import type { FixPlan } from "./fix-plan.js";
import type { FileFix } from "./plan-findings.js";
import { codeLines } from "./source-edit.js";

/** Options of {@link applyFixes}. */
export interface ApplyFixesOptions {
  /**
   * A shell command run in the root after writing (the project's tests); when it exits non-zero,
   * every written file is restored.
   * @defaultValue none
   */
  readonly test?: string;
}

/** A file whose rewrite did not type-check, so it was not written. */
export interface RolledBackFile {
  /** The path relative to the root. */
  readonly file: string;
  /** The diagnostics the rewrite added (`line: TSnnnn: message`). */
  readonly diagnostics: readonly string[];
}

/** The project's test command and how it ended. */
export interface TestRun {
  /** The command. */
  readonly command: string;
  /** Its exit code (null when it was killed). */
  readonly exitCode: number | null;
  /** The end of its output (stdout and stderr). */
  readonly output: string;
}

/** What {@link applyFixes} did. */
export interface ApplyFixesResult {
  /** Files written and kept (relative to the root). */
  readonly written: readonly string[];
  /** Files not written because the rewrite added type errors. */
  readonly rolledBack: readonly RolledBackFile[];
  /** The test run, when a command was given. */
  readonly test?: TestRun;
  /** Whether the test command failed and every written file was restored. */
  readonly restored: boolean;
  /** Eliminable lines predicted for the findings whose rewrite was kept, less the kept files' setup. */
  readonly predictedLines: number;
  /** Lines of setup of the kept files (imports, the shared module), charged to no finding. */
  readonly setupLines: number;
  /** Code lines the kept rewrites removed, net (setup counted). */
  readonly removedLines: number;
}

/** The nearest `tsconfig.json` above a file, up to the root. */
function tsconfigOf(path: string, root: string): string | undefined {
  for (let dir = dirname(path); dir.startsWith(root); dir = dirname(dir)) {
    const candidate = join(dir, "tsconfig.json");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  return undefined;
}

function describe(diagnostic: Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, "\n");
  return `${diagnostic.getLineNumber() ?? "?"}: TS${diagnostic.getCode()}: ${message}`;
}

/** Diagnostics as line-free keys, so the ones a rewrite adds can be told from those it found. */
function keys(diagnostics: readonly Diagnostic[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of diagnostics) {
    const key = `TS${d.getCode()}: ${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n")}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The diagnostics of `after` that `before` did not have (by code and message). */
function added(before: readonly Diagnostic[], after: readonly Diagnostic[]): string[] {
  const known = keys(before);
  const out: string[] = [];
  for (const d of after) {
    const key = `TS${d.getCode()}: ${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n")}`;
    const left = known.get(key) ?? 0;
    if (left > 0) known.set(key, left - 1);
    else out.push(describe(d));
  }
  return out;
}

const isJavaScript = (path: string): boolean => /\.[cm]?jsx?$/.test(path);

/** The syntax errors of a JavaScript text (`line: TSnnnn: message`). */
function syntaxErrors(path: string, text: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(text, {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: { allowJs: true },
  });
  return diagnostics.map((d) => {
    const line =
      d.file === undefined || d.start === undefined
        ? "?"
        : String(d.file.getLineAndCharacterOfPosition(d.start).line + 1);
    return `${line}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

/** "… can only be used in TypeScript files" (TS8002–TS8017): type syntax in a JavaScript file. */
const typeSyntax = (d: string): boolean => /^[^:]*: TS80(0[2-9]|1[0-7]):/.test(d);

/**
 * The syntax errors a JavaScript file's rewrite adds (JavaScript is not type-checked). A file
 * already written with type syntax (Flow: `// @flow`, `(x: any) =>`) keeps its annotations in
 * what the rewrite moves, so more of them are not errors of the rewrite.
 */
function addedSyntaxErrors(f: FileFix): string[] {
  const known = new Map<string, number>();
  const key = (d: string): string => d.replace(/^[^:]*: /, "");
  const before = syntaxErrors(f.path, f.before);
  const typed = before.some(typeSyntax);
  for (const d of before) known.set(key(d), (known.get(key(d)) ?? 0) + 1);
  return syntaxErrors(f.path, f.after).filter((d) => {
    if (typed && typeSyntax(d)) return false;
    const left = known.get(key(d)) ?? 0;
    known.set(key(d), left - 1);
    return left <= 0;
  });
}

/**
 * Type-checks each rewritten file with its project's `tsconfig.json` (the nearest above it; default
 * compiler options without one) and returns, per file, the diagnostics the rewrite adds; a
 * JavaScript file is checked for syntax only.
 */
function verify(root: string, files: readonly FileFix[]): Map<FileFix, string[]> {
  const groups = new Map<string | undefined, FileFix[]>();
  const failures = new Map<FileFix, string[]>();
  for (const f of files.filter((file) => isJavaScript(file.path))) {
    const extra = addedSyntaxErrors(f);
    if (extra.length > 0) failures.set(f, extra);
  }
  const shared = files.find((f) => f.shared === true && !isJavaScript(f.path));
  for (const f of files) {
    if (f === shared || isJavaScript(f.path)) continue;
    const config = tsconfigOf(f.path, root);
    groups.set(config, [...(groups.get(config) ?? []), f]);
  }
  // The shared module is checked with every group of files (they import it).
  if (shared !== undefined) {
    if (groups.size === 0) groups.set(tsconfigOf(shared.path, root), []);
    for (const group of groups.values()) group.push(shared);
  }
  for (const [config, group] of groups) {
    const project =
      config === undefined
        ? new Project({
            compilerOptions: {
              allowJs: true,
              noEmit: true,
              // Without a tsconfig, `.ts` import paths (node's type stripping) are the project's own.
              allowImportingTsExtensions: true,
              skipLibCheck: true,
              target: ts.ScriptTarget.ES2022,
              module: ts.ModuleKind.NodeNext,
              moduleResolution: ts.ModuleResolutionKind.NodeNext,
            },
          })
        : new Project({ tsConfigFilePath: config, skipAddingFilesFromTsConfig: true });
    const sources: [FileFix, SourceFile][] = group.map((f) => [
      f,
      f.before === "" && !existsSync(f.path)
        ? project.createSourceFile(f.path, "")
        : project.addSourceFileAtPath(f.path),
    ]);
    project.resolveSourceFileDependencies();
    const before = new Map(sources.map(([f, s]) => [f, s.getPreEmitDiagnostics()]));
    for (const [f, s] of sources) s.replaceWithText(f.after);
    for (const [f, s] of sources) {
      const extra = added(before.get(f) ?? [], s.getPreEmitDiagnostics());
      if (extra.length > 0) failures.set(f, extra);
    }
  }
  return failures;
}

/**
 * Writes a plan's rewrites, verified: each file is type-checked with its rewrite first and not
 * written when the rewrite adds type errors (rolled back, with the diagnostics); then the optional
 * test command runs, and when it fails every written file is restored.
 * @param plan - from {@link planFixes}
 * @param options - the test command
 * @returns what was written, rolled back and restored, and predicted vs actual lines
 */
export function applyFixes(plan: FixPlan, options: ApplyFixesOptions = {}): ApplyFixesResult {
  for (const f of plan.files)
    if ((existsSync(f.path) ? readFileSync(f.path, "utf8") : "") !== f.before)
      throw new PerflayerConfigError(
        "ERR_STALE_PLAN",
        `${f.file} changed since the fixes were planned; plan them again (run fix again).`,
      );
  const failures = verify(plan.root, plan.files);
  const sharedFailed = plan.files.find((f) => f.shared === true && failures.has(f));
  if (sharedFailed !== undefined)
    for (const f of plan.files)
      if (f.usesShared === true && !failures.has(f))
        failures.set(f, [`imports ${sharedFailed.file}, which does not type-check`]);
  let kept = plan.files.filter((f) => !failures.has(f));
  // The shared module goes only with a file that imports it.
  if (!kept.some((f) => f.usesShared === true)) kept = kept.filter((f) => f.shared !== true);
  for (const f of kept) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.after);
  }
  let test: TestRun | undefined;
  let restored = false;
  if (options.test !== undefined && kept.length > 0) {
    const run = spawnSync(options.test, { cwd: plan.root, shell: true, encoding: "utf8" });
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
    test = { command: options.test, exitCode: run.status, output: output.slice(-4_000) };
    if (run.status !== 0) {
      for (const f of kept)
        if (f.before === "" && f.shared === true) rmSync(f.path);
        else writeFileSync(f.path, f.before);
      restored = true;
    }
  }
  const final = restored ? [] : kept;
  const keptFiles = new Set(final.map((f) => f.file));
  const setupLines = final.reduce((sum, f) => sum + f.setupLines, 0);
  return {
    written: final.map((f) => f.file),
    rolledBack: [...failures].map(([f, diagnostics]) => ({ file: f.file, diagnostics })),
    ...(test === undefined ? {} : { test }),
    restored,
    predictedLines:
      plan.fixes
        .filter((f) => f.status === "rewrite" && keptFiles.has(f.finding.file))
        .reduce((sum, f) => sum + f.predictedLines, 0) - setupLines,
    setupLines,
    removedLines: final.reduce((sum, f) => sum + codeLines(f.before) - codeLines(f.after), 0),
  };
}
