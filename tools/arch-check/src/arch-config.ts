import { readFileSync } from "node:fs";
import { PerflayerConfigError } from "@perflayer/core";
import { didYouMean } from "./did-you-mean.js";
import { RULE_IDS } from "./rules.js";
import { checkSchema } from "./schema-check.js";
import type { NameRef, SchemaNode } from "./schema-check.js";

/** One part of the architecture: a set of packages (by name) or paths (by glob). */
export interface ElementConfig {
  /** The element's name, used in `allow` lists and reports. */
  readonly name: string;
  /** What the element is for (rendered in PROJECT_STRUCTURE.md). */
  readonly description?: string;
  /** Workspace package names in this element. */
  readonly packages?: readonly string[];
  /** Path globs (relative to the workspace root) in this element. */
  readonly paths?: readonly string[];
  /** Elements this element may depend on (its own packages are always allowed to import themselves). */
  readonly allow: readonly string[];
  /** Extra elements test and bench files may depend on. */
  readonly allowInTests?: readonly string[];
  /** Whether packages of this element may import each other. @defaultValue false */
  readonly allowWithin?: boolean;
  /** Files each package of the element must have (globs relative to the package). */
  readonly requiredFiles?: readonly string[];
  /**
   * How a type-only import (`import type`, erased at runtime) that breaks `allow` is reported:
   * `"allow"` accepts it, `"warn"` reports a warning, `"error"` an error.
   * @defaultValue "error"
   */
  readonly typeOnly?: TypeOnlyPolicy;
}

/** How type-only imports that break a rule are reported. */
export type TypeOnlyPolicy = "allow" | "warn" | "error";

/** An external module only some elements may use. */
export interface OwnerRule {
  /** The module (package name). */
  readonly module: string;
  /** Elements (or package names) allowed to import and declare it. */
  readonly onlyFrom: readonly string[];
  /** Why. */
  readonly reason: string;
}

/** An import that is never allowed. */
export interface ForbiddenRule {
  /** Elements (or `*`) the rule applies to. */
  readonly from: readonly string[];
  /** Module patterns (globs over specifiers), e.g. `../../*` or `lodash`. */
  readonly to: readonly string[];
  /** Why. */
  readonly reason: string;
  /** How matching type-only imports are reported. @defaultValue "error" */
  readonly typeOnly?: TypeOnlyPolicy;
}

/** Findings accepted on purpose (listed in the report as suppressed, never hidden). */
export interface ExceptionRule {
  /** The rule id, e.g. `arch/layer`. */
  readonly rule: string;
  /** Globs over the files (relative to the root) the findings are in. */
  readonly files: readonly string[];
  /** Globs over import specifiers; when left out, any finding of the rule in those files. */
  readonly imports?: readonly string[];
  /** Why the finding is accepted. */
  readonly reason: string;
}

/** Modules a dynamic import may load without a declaration: the code copes when they are absent. */
export interface OptionalImportRule {
  /** Module globs, e.g. `pg-native` or `@sap/*`. */
  readonly modules: readonly string[];
  /** Why they are optional. */
  readonly reason: string;
}

/** How cycles are treated. */
export interface CycleRule {
  /** Runtime import cycles. @defaultValue "error" */
  readonly runtime?: "error" | "warning" | "off";
  /** Cycles through type-only imports. @defaultValue "warning" */
  readonly typeOnly?: "error" | "warning" | "off";
}

/** What public entry points may contain. */
export interface PublicApiRule {
  /** Forbid `export *`. @defaultValue true */
  readonly noExportStar?: boolean;
  /** Forbid default exports. @defaultValue true */
  readonly noDefaultExport?: boolean;
}

/** The declared structure: `perflayer.arch.json`. */
export interface ArchConfig {
  /** JSON Schema reference for editors. */
  readonly $schema?: string;
  /** The parts of the architecture. */
  readonly elements: readonly ElementConfig[];
  /** Exclusive owners of external modules. */
  readonly owners?: readonly OwnerRule[];
  /** Imports never allowed. */
  readonly forbidden?: readonly ForbiddenRule[];
  /** Cycle rule. @defaultValue `{ runtime: "error", typeOnly: "warning" }` */
  readonly cycles?: CycleRule;
  /** What a package's `src/index.ts` may export. @defaultValue `{ noExportStar: true, noDefaultExport: true }` */
  readonly publicApi?: PublicApiRule;
  /** Report dependencies declared in `dependencies` but never imported. @defaultValue true */
  readonly unusedDependencies?: boolean;
  /** Globs never checked. */
  readonly ignore?: readonly string[];
  /** Findings accepted on purpose, each with a reason. */
  readonly exceptions?: readonly ExceptionRule[];
  /** Modules dynamic imports may load without declaring them. */
  readonly optionalImports?: readonly OptionalImportRule[];
}

let schema: SchemaNode | undefined;
/** The schema shipped in the package (`@perflayer/arch-check/schema.json`): the one definition. */
function shippedSchema(): SchemaNode {
  schema ??= JSON.parse(
    readFileSync(new URL("../schema/perflayer.arch.schema.json", import.meta.url), "utf8"),
  ) as SchemaNode;
  return schema;
}

function fail(source: string, problems: readonly string[]): never {
  throw new PerflayerConfigError(
    "ERR_CONFIG",
    `${source} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  );
}

/**
 * Validates a parsed config against the shipped JSON Schema (types, enums, unknown keys, globs)
 * and checks every name it uses — elements in `allow` lists and rules, rule ids in `exceptions`,
 * and, when the workspace's package names are given, package names — each with a did-you-mean.
 * All problems are thrown at once, one line each with its JSON path.
 * @param data - the parsed JSON
 * @param source - the file name, for messages
 * @param workspacePackages - the workspace's package names, to catch misspelt ones
 * @returns the typed config
 */
export function validateConfig(
  data: unknown,
  source: string,
  workspacePackages?: ReadonlySet<string>,
): ArchConfig {
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new PerflayerConfigError(
      "ERR_CONFIG",
      `${source}: Expected a JSON object with "elements", got ${Array.isArray(data) ? "an array" : String(data)}. Pass e.g. { "elements": [{ "name": "core", "packages": ["@app/core"], "allow": [] }] }.`,
    );
  const problems: string[] = [];
  const names: NameRef[] = [];
  checkSchema(data, shippedSchema(), "$", problems, names);
  const elements = (data as { elements?: unknown }).elements;
  const elementNames = new Set<string>();
  const declaredPackages = new Set<string>();
  if (Array.isArray(elements))
    elements.forEach((raw: unknown, i) => {
      const element = (typeof raw === "object" && raw !== null ? raw : {}) as {
        name?: unknown;
        packages?: unknown;
      };
      if (typeof element.name === "string" && element.name !== "") {
        if (elementNames.has(element.name))
          problems.push(`$.elements[${i}].name: "${element.name}" is defined twice`);
        elementNames.add(element.name);
      }
      if (Array.isArray(element.packages))
        for (const p of element.packages) if (typeof p === "string") declaredPackages.add(p);
    });
  const packages = workspacePackages ?? declaredPackages;
  for (const { path, kind, value } of names) {
    if (kind === "rule") {
      if (!RULE_IDS.has(value))
        problems.push(`${path}: unknown rule "${value}"${didYouMean(value, RULE_IDS)}`);
    } else if (kind === "package") {
      if (workspacePackages !== undefined && !workspacePackages.has(value))
        problems.push(
          `${path}: no workspace package is named "${value}"${didYouMean(value, workspacePackages)}`,
        );
    } else if (kind === "element") {
      if (!elementNames.has(value))
        problems.push(
          `${path}: unknown element "${value}"${didYouMean(value, elementNames)}; defined: ${[...elementNames].join(", ")}`,
        );
    } else if (
      !(value === "*" && kind.endsWith("-or-star")) &&
      !elementNames.has(value) &&
      !packages.has(value)
    ) {
      problems.push(
        `${path}: unknown element or package "${value}"${didYouMean(value, [...elementNames, ...packages])}`,
      );
    }
  }
  if (problems.length > 0) fail(source, problems);
  return data as ArchConfig;
}

/**
 * Reads and validates `perflayer.arch.json`.
 * @param path - the config file
 * @param workspacePackages - the workspace's package names, to catch misspelt ones
 * @returns the config
 */
export function loadConfig(path: string, workspacePackages?: ReadonlySet<string>): ArchConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new PerflayerConfigError(
      "ERR_CONFIG",
      `No architecture config at ${path}. Create perflayer.arch.json (see docs/arch-check/rules.md) or pass --config.`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PerflayerConfigError(
      "ERR_CONFIG",
      `${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  return validateConfig(data, path, workspacePackages);
}
