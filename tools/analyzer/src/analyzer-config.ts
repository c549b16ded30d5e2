import { readFileSync } from "node:fs";
import { PerflayerConfigError } from "@perflayer/core";
import type { Category } from "./detector.js";
import { missingReason, reversedRanges } from "./exemption.js";
import type { Exemption } from "./analysis-report.js";
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
  /** Findings that stay, each with its reason (listed apart in every report). */
  readonly exemptions?: readonly Exemption[];
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
 * silently selects nothing would let a CI gate pass on no files. An exemption without a reason is
 * its own error (`ERR_EXEMPTION_REASON`).
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
  const noReason = missingReason(
    (data as { exemptions?: unknown } | null)?.exemptions,
    path,
    "$.exemptions",
  );
  if (noReason !== undefined) throw noReason;
  const problems = validateJson(analyzerConfigSchema(), data);
  if (problems.length === 0)
    problems.push(...reversedRanges((data as AnalyzerConfig).exemptions ?? [], "$.exemptions"));
  if (problems.length === 1)
    throw new PerflayerConfigError("ERR_CONFIG", `${path}: ${problems[0] as string}`);
  if (problems.length > 1)
    throw new PerflayerConfigError(
      "ERR_CONFIG",
      `${path} has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  return data as AnalyzerConfig;
}

/**
 * Validates exemptions given to `analyze()` (the config file's are validated by the same schema
 * definitions): a missing reason is `ERR_EXEMPTION_REASON`, anything else
 * `ERR_INVALID_OPTION`, each naming the entry.
 * @param value - the option's value
 * @returns the exemptions
 */
export function checkExemptions(value: unknown): readonly Exemption[] {
  if (value === undefined) return [];
  const noReason = missingReason(value, "analyze()", "exemptions");
  if (noReason !== undefined) throw noReason;
  const config = analyzerConfigSchema();
  const problems = validateJson(
    { ...config.properties?.["exemptions"], definitions: config.definitions },
    value,
    "exemptions",
  );
  if (problems.length === 0) problems.push(...reversedRanges(value as Exemption[], "exemptions"));
  if (problems.length > 0)
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      `analyze(): ${problems.length === 1 ? (problems[0] as string) : problems.join(" ")}`,
    );
  return value as Exemption[];
}
