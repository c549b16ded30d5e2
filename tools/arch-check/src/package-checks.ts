import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import picomatch from "picomatch";
import type { Severity } from "@perflayer/toolkit";
import type { ArchConfig, ElementConfig } from "./arch-config.js";
import type { WorkspacePackage } from "./workspace.js";

/** Adds a finding; `key` makes its fingerprint, `specifier` is the import it is about (if any). */
export type AddFinding = (
  ruleId: string,
  severity: Severity,
  file: string,
  line: number,
  message: string,
  key: string,
  specifier?: string,
) => void;

/**
 * The checks of a package as a whole: modules it declares but may not own, `dependencies` its
 * sources never import (peer and optional dependencies are never "unused": the host or the code's
 * fallbacks provide them), files its element requires, and what its `src/index.ts` exports.
 * @param pkg - the package
 * @param element - its element
 * @param config - the declared structure
 * @param used - the packages its sources import
 * @param files - its files, relative to the package folder
 * @param add - where findings go
 */
export function checkPackage(
  pkg: WorkspacePackage,
  element: ElementConfig | undefined,
  config: ArchConfig,
  used: ReadonlySet<string>,
  files: readonly string[],
  add: AddFinding,
): void {
  const manifest = pkg.relativeDir === "" ? "package.json" : `${pkg.relativeDir}/package.json`;
  for (const rule of config.owners ?? []) {
    const declares =
      pkg.runtimeDependencies.has(rule.module) || pkg.devDependencies.has(rule.module);
    if (
      declares &&
      !rule.onlyFrom.includes(pkg.name) &&
      !(element !== undefined && rule.onlyFrom.includes(element.name))
    )
      add(
        "arch/exclusive-owner",
        "error",
        manifest,
        1,
        `${pkg.name} declares \`${rule.module}\`, which only ${rule.onlyFrom.join(", ")} may use: ${rule.reason}`,
        `${pkg.name}:${rule.module}`,
      );
  }
  if (config.unusedDependencies !== false)
    for (const dep of pkg.dependencies)
      if (!used.has(dep) && !dep.startsWith("@types/"))
        add(
          "arch/unused-dependency",
          "warning",
          manifest,
          1,
          `${pkg.name} declares \`${dep}\` in dependencies but its sources never import it`,
          `${pkg.name}:${dep}`,
        );
  for (const required of element?.requiredFiles ?? []) {
    const match = picomatch(required);
    if (!existsSync(join(pkg.dir, required)) && !files.some((f) => match(f)))
      add(
        "arch/required-file",
        "error",
        manifest,
        1,
        `${pkg.name} lacks ${required} (required for ${element?.name ?? "its element"})`,
        `${pkg.name}:${required}`,
      );
  }
  const indexPath = join(pkg.dir, "src", "index.ts");
  if (!existsSync(indexPath)) return;
  const api = config.publicApi ?? {};
  const index = pkg.relativeDir === "" ? "src/index.ts" : `${pkg.relativeDir}/src/index.ts`;
  readFileSync(indexPath, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (api.noExportStar !== false && /^\s*export\s+\*/.test(line))
        add(
          "arch/public-api",
          "error",
          index,
          i + 1,
          "`export *` hides the public API: name every export",
          `${pkg.name}:${line.trim()}`,
        );
      if (api.noDefaultExport !== false && /^\s*export\s+default\b/.test(line))
        add(
          "arch/public-api",
          "error",
          index,
          i + 1,
          "default exports are not allowed in a public API: use named exports",
          `${pkg.name}:${line.trim()}`,
        );
    });
}
