// The label files of the real-code corpus (see README.md and ANALYZER-LABELS.md): loading, checking
// and turning their free-text scope and exclusions into walker globs.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import type { Category } from "../src/detector.js";

/** A hand-labelled instance of a hand-rolled idiom. */
export interface Positive {
  readonly id: string;
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly category: Category;
  readonly kind: string;
  readonly note: string;
  /** Code lines a migration would delete, counted by hand. */
  readonly removable?: number;
  /** Shared by the entries of one mechanism that sits in several places (a start mark far from its delta). */
  readonly group?: string;
}

/** Code that looks like an idiom but is not one: no finding may overlap it. */
export interface Negative {
  readonly id: string;
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly looksLike: string;
  readonly note: string;
}

/** Which part of the corpus a repository belongs to. */
export type Split = "tuning" | "held-out";

/** One repository's label file. */
export interface RepoLabels {
  /** `owner/name`. */
  readonly repo: string;
  readonly commit: string;
  readonly split: Split;
  /** How the file came to its split (e.g. a held-out round that was scored, then used for tuning). */
  readonly history?: string;
  /** Folders or files (relative to the repository root) the labels cover. */
  readonly scope: readonly string[];
  /** Free-text exclusions inside or beside the scope. */
  readonly excluded: readonly string[];
  readonly positives: readonly Positive[];
  readonly negatives: readonly Negative[];
}

const CATEGORIES: readonly string[] = ["caching", "memory", "response", "monitoring"];

/**
 * Repositories kept for an independent check of the analyzer (issue 14): never labelled, fetched or
 * scored here. Compared case-insensitively with a label file's `repo`.
 */
export const RESERVED_REPOSITORIES: readonly string[] = [
  "vitejs/vite",
  "mongodb/node-mongodb-native",
  "apollographql/apollo-server",
];

function fail(file: string, what: string): never {
  throw new PerflayerConfigError("ERR_CORPUS_LABELS", `${file}: ${what}`);
}

function checkRange(
  file: string,
  label: { id?: unknown; path?: unknown; start?: unknown; end?: unknown },
): void {
  if (typeof label.id !== "string") fail(file, "Expected every label to have a string `id`.");
  if (typeof label.path !== "string" || label.path === "")
    fail(
      file,
      `Expected \`path\` of ${label.id} to be a file path, got \`${String(label.path)}\`.`,
    );
  if (
    typeof label.start !== "number" ||
    typeof label.end !== "number" ||
    label.start < 1 ||
    label.end < label.start
  )
    fail(
      file,
      `Expected ${label.id} to have 1 <= start <= end, got \`${String(label.start)}\`–\`${String(label.end)}\`.`,
    );
}

/**
 * Reads and checks every label file of a folder.
 * @param dir - the `labels/` folder
 * @returns the repositories, sorted by name
 */
export function loadLabels(dir: string): RepoLabels[] {
  const all: RepoLabels[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".json")) continue;
    const file = join(dir, name);
    let data: RepoLabels;
    try {
      data = JSON.parse(readFileSync(file, "utf8")) as RepoLabels;
    } catch (error) {
      fail(file, `not valid JSON (${(error as Error).message}).`);
    }
    if (typeof data.repo !== "string" || !/^[\w.-]+\/[\w.-]+$/.test(data.repo))
      fail(file, `Expected \`repo\` to be "owner/name", got \`${String(data.repo)}\`.`);
    if (RESERVED_REPOSITORIES.includes(data.repo.toLowerCase()))
      fail(
        file,
        `\`${data.repo}\` is kept for an independent check of the analyzer: do not label, fetch or score it. Delete this file and pick another repository.`,
      );
    if (typeof data.commit !== "string" || !/^[0-9a-f]{40}$/.test(data.commit))
      fail(file, `Expected \`commit\` to be 40 hex digits, got \`${String(data.commit)}\`.`);
    if (data.split !== "tuning" && data.split !== "held-out")
      fail(file, `Expected \`split\` to be "tuning" or "held-out", got \`${String(data.split)}\`.`);
    if (!Array.isArray(data.scope) || data.scope.length === 0)
      fail(file, 'Expected `scope` to be a non-empty list of paths, e.g. ["src/"].');
    for (const entry of data.scope)
      if (typeof entry !== "string" || entry === "" || /\s/.test(entry))
        fail(
          file,
          `Expected every \`scope\` entry to be a path or glob without spaces, got \`${String(entry)}\`: list the folders and files to read and put what is left out in \`excluded\`.`,
        );
    for (const p of data.positives) {
      checkRange(file, p);
      if (!CATEGORIES.includes(p.category))
        fail(
          file,
          `Expected the category of ${p.id} to be one of ${CATEGORIES.join(", ")}, got \`${String(p.category)}\`.`,
        );
      if (
        p.removable !== undefined &&
        (typeof p.removable !== "number" || !Number.isInteger(p.removable) || p.removable < 0)
      )
        fail(
          file,
          `Expected \`removable\` of ${p.id} to be a whole number of lines, got \`${String(p.removable)}\` (${typeof p.removable}). A shared mechanism goes in \`group\`.`,
        );
      if (p.group !== undefined && typeof p.group !== "string")
        fail(file, `Expected \`group\` of ${p.id} to be a string, got \`${String(p.group)}\`.`);
    }
    for (const n of data.negatives) checkRange(file, n);
    all.push({ ...data, excluded: data.excluded ?? [] });
  }
  return all;
}

/**
 * The walker globs of a scope: `src/` → `src/**`, `index.js` → `index.js`.
 * @param scope - the label file's scope
 * @returns globs relative to the repository root
 */
export function scopeGlobs(scope: readonly string[]): string[] {
  return scope.map((s) => (s.endsWith("/") ? `${s}**` : s));
}

/**
 * The exclusions that name paths, as globs. Entries are free text ("test/, bench/ (outside lib/)",
 * "src/**\/*.spec.js", "lib/a.js and lib/b.json"); only tokens that are paths count, and a bare file
 * name without a folder is not taken (it would match files of that name everywhere).
 * @param excluded - the label file's exclusions
 * @returns globs relative to the repository root
 */
export function excludeGlobs(excluded: readonly string[]): string[] {
  const globs: string[] = [];
  for (const entry of excluded) {
    const text = entry.replace(/\([^)]*\)/g, " ");
    for (const token of text.split(/,| and /).map((t) => t.trim())) {
      if (token === "" || /\s/.test(token) || !token.includes("/")) continue;
      if (token.endsWith("/")) {
        const dir = token.slice(0, -1);
        globs.push(dir.includes("/") ? `${dir}/**` : `**/${dir}/**`);
      } else globs.push(token);
    }
  }
  return globs;
}
