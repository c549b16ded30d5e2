import type { ts } from "ts-morph";
import type { AnalyzerFinding } from "../analysis-report.js";
import type { SharedModule, SharedName } from "./shared-module.js";
import type { NeededImport } from "./file-imports.js";
import type { TextEdit } from "./source-edit.js";

/** What a rewriter reads: the parsed file and the finding. */
export interface RewriteInput {
  /** The file, parsed. */
  readonly file: ts.SourceFile;
  /** Every identifier spelled in the file (new imports avoid them). */
  readonly names: ReadonlySet<string>;
  /** The finding to rewrite. */
  readonly finding: AnalyzerFinding;
  /** The project's shared monitor and cache manager module. */
  readonly shared: SharedModule;
}

/** A rewrite a rewriter could prove safe. */
export interface Rewrite {
  readonly ok: true;
  /** The perflayer API the code now calls. */
  readonly api: string;
  /** Edits of the file (imports apart). */
  readonly edits: readonly TextEdit[];
  /** Imports the edits need. */
  readonly imports: readonly NeededImport[];
  /** The shared module's instances the edits use (imported through `imports`). */
  readonly shared?: readonly SharedName[];
  /** Behaviour that changes on purpose (what the library does better or differently). */
  readonly notes: readonly string[];
}

/** A finding left alone, and why. */
export interface Refusal {
  readonly ok: false;
  /** Why the rewrite could not be proven safe. */
  readonly reason: string;
}

/** Turns one finding into a rewrite, or refuses it with the reason. */
export type Rewriter = (input: RewriteInput) => Rewrite | Refusal;

/** A refusal. */
export function refuse(reason: string): Refusal {
  return { ok: false, reason };
}

/** The 1-based line a node starts on. */
function lineOf(file: ts.SourceFile, node: ts.Node): number {
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

/** Whether a node starts within the finding's lines. */
export function inFinding(input: RewriteInput, node: ts.Node): boolean {
  const line = lineOf(input.file, node);
  return line >= input.finding.startLine && line <= input.finding.endLine;
}

/** A node's source text. */
export function textOf(file: ts.SourceFile, node: ts.Node): string {
  return node.getText(file);
}
