import { readFileSync } from "node:fs";
import { PerflayerConfigError } from "@perflayer/core";
import type { Category } from "./detector.js";
import { validateJson } from "./json-schema.js";
import { readJson } from "./read-json.js";
import type { JsonSchema } from "./json-schema.js";

/** `perflayer.analyzer.json`: see `schema/perflayer.analyzer.schema.json` (shipped in the package). */
export interface AnalyzerConfig {
  /** Globs (relative to the project root) of the files to analyse. */
  readonly include?: readonly string[];
  /** Globs of the files to leave out. */
  readonly exclude?: readonly string[];
  /** Per category, globs of the code that owns the concern: its findings there are not reported. */
  readonly owners?: Readonly<Partial<Record<Category, readonly string[]>>>;
  /** Analyse generated, vendored and minified files too. */
  readonly includeGenerated?: boolean;
  /** Where the HTML report's file:line links point. */
  readonly linkTemplate?: string;
}

let schema: JsonSchema | undefined;

/**
 * The config's JSON Schema, read from the package (`schema/perflayer.analyzer.schema.json`, one
 * level above both `src/` and `dist/`).
 * @returns the schema
 */
export function analyzerConfigSchema(): JsonSchema {
  schema ??= JSON.parse(
    readFileSync(new URL("../schema/perflayer.analyzer.schema.json", import.meta.url), "utf8"),
  ) as JsonSchema;
  return schema;
}

/**
 * Reads and validates an analyzer config against its schema. A file that is not JSON, a wrong
 * type or an unknown key is a usage error naming the JSON path (the CLI exits 2): a config that
 * silently selects nothing would let a CI gate pass on no files.
 * @param path - the config file
 * @returns the config
 */
export function readAnalyzerConfig(path: string): AnalyzerConfig {
  const data = readJson(
    path,
    "the analyzer config",
    "ERR_CONFIG",
    "Pass a JSON file (schema: @perflayer/analyzer/schema.json).",
  );
  const problems = validateJson(analyzerConfigSchema(), data);
  if (problems.length === 1)
    throw new PerflayerConfigError("ERR_CONFIG", `${path}: ${problems[0] as string}`);
  if (problems.length > 1)
    throw new PerflayerConfigError(
      "ERR_CONFIG",
      `${path} has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  return data as AnalyzerConfig;
}
