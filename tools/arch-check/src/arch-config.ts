import { readFileSync } from "node:fs";
import picomatch from "picomatch";
import { PerflayerConfigError } from "@perflayer/core";

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
}

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
}

type Problem = string;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  problems: Problem[],
): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key))
      problems.push(`${path}.${key}: unknown key; expected one of ${allowed.join(", ")}`);
}

function checkGlobs(globs: readonly string[], path: string, problems: Problem[]): void {
  globs.forEach((glob, i) => {
    try {
      picomatch.makeRe(glob);
      if (glob.trim() === "") problems.push(`${path}[${i}]: empty glob`);
    } catch (error) {
      problems.push(`${path}[${i}]: invalid glob "${glob}": ${(error as Error).message}`);
    }
  });
}

/**
 * Validates a parsed config, collecting one problem per mistake (with its JSON path), and throws
 * them all at once.
 * @param data - the parsed JSON
 * @param source - the file name, for messages
 * @returns the typed config
 */
export function validateConfig(data: unknown, source: string): ArchConfig {
  const problems: Problem[] = [];
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new PerflayerConfigError(
      "ERR_CONFIG",
      `${source}: Expected a JSON object with "elements".`,
    );
  }
  const config = data as Record<string, unknown>;
  checkKeys(
    config,
    [
      "$schema",
      "elements",
      "owners",
      "forbidden",
      "cycles",
      "publicApi",
      "unusedDependencies",
      "ignore",
    ],
    "$",
    problems,
  );
  const names = new Set<string>();
  const packageNames = new Set<string>();
  if (!Array.isArray(config["elements"]) || config["elements"].length === 0) {
    problems.push("$.elements: expected a non-empty array of elements");
  } else {
    (config["elements"] as unknown[]).forEach((raw, i) => {
      const path = `$.elements[${i}]`;
      if (typeof raw !== "object" || raw === null) {
        problems.push(`${path}: expected an object`);
        return;
      }
      const element = raw as Record<string, unknown>;
      checkKeys(
        element,
        [
          "name",
          "description",
          "packages",
          "paths",
          "allow",
          "allowInTests",
          "allowWithin",
          "requiredFiles",
        ],
        path,
        problems,
      );
      if (typeof element["name"] !== "string" || element["name"] === "")
        problems.push(`${path}.name: expected a non-empty string`);
      else if (names.has(element["name"]))
        problems.push(`${path}.name: "${element["name"]}" is defined twice`);
      else names.add(element["name"]);
      if (element["packages"] === undefined && element["paths"] === undefined)
        problems.push(`${path}: expected "packages" or "paths"`);
      if (element["packages"] !== undefined && !isStringArray(element["packages"]))
        problems.push(`${path}.packages: expected an array of package names`);
      if (isStringArray(element["packages"]))
        for (const p of element["packages"]) packageNames.add(p);
      if (element["paths"] !== undefined) {
        if (!isStringArray(element["paths"]))
          problems.push(`${path}.paths: expected an array of globs`);
        else checkGlobs(element["paths"], `${path}.paths`, problems);
      }
      if (!isStringArray(element["allow"]))
        problems.push(`${path}.allow: expected an array of element names (use [] for none)`);
      if (element["allowInTests"] !== undefined && !isStringArray(element["allowInTests"]))
        problems.push(`${path}.allowInTests: expected an array of element names`);
      if (element["requiredFiles"] !== undefined && !isStringArray(element["requiredFiles"]))
        problems.push(`${path}.requiredFiles: expected an array of globs`);
    });
    (config["elements"] as Record<string, unknown>[]).forEach((element, i) => {
      for (const key of ["allow", "allowInTests"] as const) {
        const list = element?.[key];
        if (!isStringArray(list)) continue;
        list.forEach((name, j) => {
          if (!names.has(name))
            problems.push(
              `$.elements[${i}].${key}[${j}]: unknown element "${name}"; defined: ${[...names].join(", ")}`,
            );
        });
      }
    });
  }
  const refOk = (name: string): boolean => names.has(name) || packageNames.has(name);
  if (config["owners"] !== undefined) {
    if (!Array.isArray(config["owners"])) problems.push("$.owners: expected an array");
    else
      (config["owners"] as unknown[]).forEach((raw, i) => {
        const rule = (raw ?? {}) as Record<string, unknown>;
        const path = `$.owners[${i}]`;
        checkKeys(rule, ["module", "onlyFrom", "reason"], path, problems);
        if (typeof rule["module"] !== "string")
          problems.push(`${path}.module: expected a package name`);
        if (!isStringArray(rule["onlyFrom"]))
          problems.push(`${path}.onlyFrom: expected an array of element or package names`);
        else
          rule["onlyFrom"].forEach(
            (n, j) =>
              !refOk(n) &&
              problems.push(`${path}.onlyFrom[${j}]: unknown element or package "${n}"`),
          );
        if (typeof rule["reason"] !== "string" || rule["reason"] === "")
          problems.push(`${path}.reason: every rule needs a reason`);
      });
  }
  if (config["forbidden"] !== undefined) {
    if (!Array.isArray(config["forbidden"])) problems.push("$.forbidden: expected an array");
    else
      (config["forbidden"] as unknown[]).forEach((raw, i) => {
        const rule = (raw ?? {}) as Record<string, unknown>;
        const path = `$.forbidden[${i}]`;
        checkKeys(rule, ["from", "to", "reason"], path, problems);
        if (!isStringArray(rule["from"]))
          problems.push(`${path}.from: expected an array of element names or "*"`);
        else
          rule["from"].forEach(
            (n, j) =>
              n !== "*" && !refOk(n) && problems.push(`${path}.from[${j}]: unknown element "${n}"`),
          );
        if (!isStringArray(rule["to"]))
          problems.push(`${path}.to: expected an array of module globs`);
        else checkGlobs(rule["to"], `${path}.to`, problems);
        if (typeof rule["reason"] !== "string" || rule["reason"] === "")
          problems.push(`${path}.reason: every rule needs a reason`);
      });
  }
  if (config["ignore"] !== undefined) {
    if (!isStringArray(config["ignore"])) problems.push("$.ignore: expected an array of globs");
    else checkGlobs(config["ignore"], "$.ignore", problems);
  }
  if (problems.length > 0) {
    throw new PerflayerConfigError(
      "ERR_CONFIG",
      `${source} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  return config as unknown as ArchConfig;
}

/**
 * Reads and validates `perflayer.arch.json`.
 * @param path - the config file
 * @returns the config
 */
export function loadConfig(path: string): ArchConfig {
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
  return validateConfig(data, path);
}
