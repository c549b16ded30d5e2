import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { fingerprint, sortFindings, walkFiles } from "@perflayer/toolkit";
import type { FileKind, Finding, Severity } from "@perflayer/toolkit";
import type { ArchConfig, ElementConfig } from "./arch-config.js";
import { findCycles } from "./graph.js";
import type { Cycle } from "./graph.js";
import { extractImports } from "./imports.js";
import type { ImportRef } from "./imports.js";
import { loadPathAliases, mapAlias } from "./tsconfig-paths.js";
import { loadWorkspace } from "./workspace.js";
import type { Workspace, WorkspacePackage } from "./workspace.js";

/** Options of {@link checkArchitecture}. */
export interface CheckOptions {
  /** The workspace root. */
  readonly root: string;
  /** The declared structure. */
  readonly config: ArchConfig;
  /** Where per-file import lists are cached by content hash; `false` for none. @defaultValue `<root>/.perflayer-cache` */
  readonly cacheDir?: string | false;
}

/** An actual dependency between two elements. */
export interface ElementEdge {
  /** The importing element. */
  readonly from: string;
  /** The imported element. */
  readonly to: string;
  /** How many imports make it. */
  readonly imports: number;
  /** Whether the config allows it (for src files). */
  readonly declared: boolean;
}

/** One import of one file, resolved (for `explain`). */
export interface ResolvedImport extends ImportRef {
  /** What the specifier is. */
  readonly target: "builtin" | "relative" | "workspace" | "external" | "unresolved";
  /** The package (workspace or external) or file it reaches. */
  readonly resolved: string;
  /** The element it reaches, for workspace targets. */
  readonly element?: string;
  /** Rule ids it broke. */
  readonly violations: readonly string[];
}

/** A checked file. */
export interface CheckedFile {
  /** Path relative to the root. */
  readonly file: string;
  /** Its element, if any. */
  readonly element: string | undefined;
  /** Its package, if any. */
  readonly package: string | undefined;
  /** source, test or fixture. */
  readonly kind: FileKind;
  /** Its imports, resolved. */
  readonly imports: readonly ResolvedImport[];
}

/** An element of the report. */
export interface ElementSummary {
  /** Its name. */
  readonly name: string;
  /** Its workspace packages. */
  readonly packages: readonly string[];
  /** Files checked in it. */
  readonly files: number;
}

/** Counts and time of a check. */
export interface CheckStats {
  /** Files checked. */
  readonly files: number;
  /** Imports seen. */
  readonly imports: number;
  /** Files whose imports came from the cache. */
  readonly cachedFiles: number;
  /** Wall time in milliseconds. */
  readonly ms: number;
}

/** What `checkArchitecture()` returns. */
export interface ArchReport {
  /** Report format version. */
  readonly schemaVersion: 1;
  /** The workspace root. */
  readonly root: string;
  /** Elements with their packages and file counts. */
  readonly elements: readonly ElementSummary[];
  /** Actual element dependencies. */
  readonly edges: readonly ElementEdge[];
  /** Violations, sorted. */
  readonly findings: readonly Finding[];
  /** Runtime cycles (strongly connected components). */
  readonly cycles: readonly Cycle[];
  /** Cycles that exist only through type-only imports. */
  readonly typeOnlyCycles: readonly Cycle[];
  /** Every file checked. */
  readonly files: readonly CheckedFile[];
  /** Counts and time. */
  readonly stats: CheckStats;
}

const BUILTINS = new Set(builtinModules);
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

function packageOf(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split("/");
  const take = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, take).join("/");
  const rest = parts.slice(take).join("/");
  return { name, subpath: rest === "" ? "." : `./${rest}` };
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  return probe(resolve(dirname(fromFile), specifier));
}

/** The file a path (with or without extension, or a folder with an index) names. */
function probe(base: string): string | undefined {
  const candidates = [
    base,
    base.replace(/\.[mc]?js$/, ".ts"),
    base.replace(/\.[mc]?js$/, ".tsx"),
    base.replace(/\.jsx$/, ".tsx"),
    ...EXTENSIONS.map((e) => base + e),
    ...EXTENSIONS.map((e) => join(base, `index${e}`)),
  ];
  return candidates.find((c) => existsSync(c) && !c.endsWith(sep));
}

interface CacheEntry {
  readonly hash: string;
  readonly imports: ImportRef[];
}

/**
 * Checks a workspace against its declared structure: element dependencies, exclusive owners,
 * forbidden imports, cycles (strongly connected components, runtime and type-only apart), deep
 * imports, relative imports across packages, declared and unused dependencies, required files and
 * public APIs. Imports come from the TypeScript pre-processor (no full parse), cached by content hash.
 * @param options - root, config, cache
 * @returns the report data
 */
export function checkArchitecture(options: CheckOptions): ArchReport {
  const started = performance.now();
  const root = resolve(options.root);
  const config = options.config;
  const workspace = loadWorkspace(root);
  const findings: Finding[] = [];
  const add = (
    ruleId: string,
    severity: Severity,
    file: string,
    line: number,
    message: string,
    key: string,
  ): void => {
    findings.push({
      ruleId,
      severity,
      file,
      startLine: line,
      endLine: line,
      message,
      fingerprint: fingerprint(ruleId, file, key),
    });
  };

  // Elements: compiled once into lookups, so each edge costs one map lookup.
  const elementOfPackage = new Map<string, ElementConfig>();
  const pathElements: { element: ElementConfig; match: (path: string) => boolean }[] = [];
  for (const element of config.elements) {
    for (const name of element.packages ?? []) elementOfPackage.set(name, element);
    if (element.paths !== undefined)
      pathElements.push({ element, match: picomatch([...element.paths]) });
  }
  const ignored = config.ignore === undefined ? undefined : picomatch([...config.ignore]);
  const elementFor = (pkg: WorkspacePackage | undefined, rel: string): ElementConfig | undefined =>
    (pkg === undefined ? undefined : elementOfPackage.get(pkg.name)) ??
    pathElements.find((p) => p.match(rel))?.element;
  const packageOfFile = (abs: string): WorkspacePackage | undefined => {
    let best: WorkspacePackage | undefined;
    for (const pkg of workspace.packages.values())
      if (
        (abs === pkg.dir || abs.startsWith(pkg.dir + sep)) &&
        (best === undefined || pkg.dir.length > best.dir.length)
      )
        best = pkg;
    return best;
  };
  const ownerOf = new Map((config.owners ?? []).map((o) => [o.module, o]));
  const rootAliases = loadPathAliases(root);
  const forbidden = (config.forbidden ?? []).map((rule) => ({
    rule,
    match: picomatch([...rule.to]),
  }));

  const cachePath =
    options.cacheDir === false
      ? undefined
      : join(options.cacheDir ?? root, ".perflayer-cache", "arch-check-v1.json");
  const cache = readCache(cachePath);
  const fresh = new Map<string, CacheEntry>();
  let cachedFiles = 0;
  let importCount = 0;

  const files: CheckedFile[] = [];
  const runtimeEdges = new Map<string, Set<string>>();
  const allEdges = new Map<string, Set<string>>();
  const link = (map: Map<string, Set<string>>, from: string, to: string): void => {
    let set = map.get(from);
    if (set === undefined) map.set(from, (set = new Set()));
    set.add(to);
  };
  const elementEdges = new Map<string, { imports: number; declared: boolean }>();
  const countEdge = (from: ElementConfig | undefined, to: ElementConfig | undefined): void => {
    if (from === undefined || to === undefined || from.name === to.name) return;
    const key = `${from.name}\u0000${to.name}`;
    const edge = elementEdges.get(key) ?? { imports: 0, declared: from.allow.includes(to.name) };
    edge.imports++;
    elementEdges.set(key, edge);
  };
  const usedDependencies = new Map<string, Set<string>>();
  const elementFiles = new Map<string, number>();

  for (const pkg of [...workspace.packages.values()].sort((a, b) =>
    a.relativeDir.localeCompare(b.relativeDir),
  )) {
    const pkgElement = elementFor(pkg, pkg.relativeDir);
    // The root of a repository without workspaces is assigned file by file, through path elements.
    if (pkgElement === undefined && pkg.relativeDir !== "") {
      add(
        "arch/unassigned-package",
        "warning",
        `${pkg.relativeDir}/package.json`,
        1,
        `package ${pkg.name} belongs to no element; add it to an element of perflayer.arch.json`,
        pkg.name,
      );
    }
    const walked = walkFiles({ root: pkg.dir, exclude: ["**/__fixtures__/**"] });
    const aliases = loadPathAliases(pkg.dir) ?? rootAliases;
    for (const walkedFile of walked.files) {
      const rel = relative(root, walkedFile.path).split(sep).join("/");
      if (ignored?.(rel) === true) continue;
      const element = elementFor(pkg, rel);
      if (element !== undefined)
        elementFiles.set(element.name, (elementFiles.get(element.name) ?? 0) + 1);
      let text: string;
      try {
        text = readFileSync(walkedFile.path, "utf8");
      } catch {
        continue;
      }
      const hash = createHash("sha1").update(text).digest("hex");
      const previous = cache.get(rel);
      let imports: ImportRef[];
      if (previous?.hash === hash) {
        imports = previous.imports;
        cachedFiles++;
      } else {
        imports = extractImports(text);
      }
      fresh.set(rel, { hash, imports });
      importCount += imports.length;
      const inTests =
        walkedFile.kind !== "source" ||
        /(^|\/)(test|tests|bench|__tests__)\//.test(rel) ||
        /\.config\.[mc]?[jt]s$/.test(rel);
      const resolvedImports: ResolvedImport[] = [];
      for (const ref of imports) {
        const violations: string[] = [];
        const flag = (ruleId: string, severity: Severity, message: string): void => {
          violations.push(ruleId);
          add(ruleId, severity, rel, ref.line, message, `${ref.specifier}`);
        };
        for (const { rule, match } of forbidden) {
          const applies =
            rule.from.includes("*") ||
            (element !== undefined && rule.from.includes(element.name)) ||
            rule.from.includes(pkg.name);
          if (applies && match(ref.specifier))
            flag(
              "arch/forbidden-import",
              "error",
              `\`${ref.specifier}\` is forbidden here: ${rule.reason}`,
            );
        }
        const spec = ref.specifier;
        if (
          spec.startsWith("node:") ||
          BUILTINS.has(spec) ||
          BUILTINS.has(spec.split("/")[0] ?? "")
        ) {
          resolvedImports.push({ ...ref, target: "builtin", resolved: spec, violations });
          continue;
        }
        const aliased =
          aliases === undefined || spec.startsWith(".") ? undefined : mapAlias(aliases, spec);
        if (spec.startsWith(".") || spec.startsWith("/") || aliased !== undefined) {
          const target =
            aliased === undefined
              ? resolveRelative(walkedFile.path, spec)
              : aliased.map(probe).find((t) => t !== undefined);
          if (target === undefined) {
            resolvedImports.push({ ...ref, target: "unresolved", resolved: spec, violations });
            continue;
          }
          const targetRel = relative(root, target).split(sep).join("/");
          const targetPkg = packageOfFile(target);
          if (
            targetPkg !== undefined &&
            targetPkg !== pkg &&
            !targetRel.startsWith(`${pkg.relativeDir}/`)
          ) {
            flag(
              "arch/relative-cross-package",
              "error",
              `\`${spec}\` reaches into ${targetPkg.name} by relative path; import "${targetPkg.name}" by name (its exports)`,
            );
            countEdge(element, elementFor(targetPkg, targetPkg.relativeDir));
          } else {
            // Inside one package, path elements (e.g. `src/ui/**` vs `src/db/**`) are layers too.
            const targetElement = elementFor(targetPkg, targetRel);
            if (
              element !== undefined &&
              targetElement !== undefined &&
              targetElement.name !== element.name
            ) {
              const allowed =
                element.allow.includes(targetElement.name) ||
                (inTests && (element.allowInTests ?? []).includes(targetElement.name));
              if (!allowed)
                flag(
                  "arch/layer",
                  "error",
                  `${element.name} may not depend on ${targetElement.name} (\`${spec}\`); it may depend on: ${element.allow.join(", ") || "nothing"}`,
                );
              countEdge(element, targetElement);
            }
          }
          if (!inTests) {
            link(allEdges, rel, targetRel);
            if (!ref.typeOnly) link(runtimeEdges, rel, targetRel);
          }
          resolvedImports.push({ ...ref, target: "relative", resolved: targetRel, violations });
          continue;
        }
        const { name, subpath } = packageOf(spec);
        const workspaceTarget = workspace.packages.get(name);
        // Declared dependency: src needs dependencies/peer; tests may also use devDependencies and root tooling.
        const declared =
          pkg.runtimeDependencies.has(name) ||
          (inTests && (pkg.devDependencies.has(name) || workspace.rootDevDependencies.has(name))) ||
          name === pkg.name;
        if (!declared && !spec.startsWith("#")) {
          flag(
            "arch/undeclared-dependency",
            "error",
            `\`${name}\` is imported but not declared in ${pkg.name}'s package.json ${inTests ? "(dependencies or devDependencies)" : "dependencies"}`,
          );
        }
        if (!inTests) {
          let used = usedDependencies.get(pkg.name);
          if (used === undefined) usedDependencies.set(pkg.name, (used = new Set()));
          used.add(name);
        }
        const owner = ownerOf.get(name);
        if (
          owner !== undefined &&
          !owner.onlyFrom.includes(pkg.name) &&
          !(element !== undefined && owner.onlyFrom.includes(element.name))
        ) {
          flag(
            "arch/exclusive-owner",
            "error",
            `\`${name}\` may only be used from ${owner.onlyFrom.join(", ")}: ${owner.reason}`,
          );
        }
        if (workspaceTarget !== undefined && workspaceTarget !== pkg) {
          const targetElement = elementFor(workspaceTarget, workspaceTarget.relativeDir);
          if (
            subpath !== "." &&
            workspaceTarget.exportedSubpaths !== undefined &&
            !workspaceTarget.exportedSubpaths.has(subpath)
          ) {
            flag(
              "arch/deep-import",
              "error",
              `\`${spec}\` is not in ${name}'s exports (${[...workspaceTarget.exportedSubpaths].join(", ")}); import the package's public entry`,
            );
          }
          if (element !== undefined && targetElement !== undefined) {
            const sameElement = targetElement.name === element.name;
            const allowed = sameElement
              ? element.allowWithin === true
              : element.allow.includes(targetElement.name) ||
                (inTests && (element.allowInTests ?? []).includes(targetElement.name));
            if (!allowed) {
              flag(
                "arch/layer",
                "error",
                `${element.name} (${pkg.name}) may not depend on ${targetElement.name} (${name})${sameElement ? ": packages of this element do not import each other" : `; it may depend on: ${element.allow.join(", ") || "nothing"}`}`,
              );
            }
            countEdge(element, targetElement);
          }
          if (!inTests) {
            const entry = `pkg:${name}`;
            link(allEdges, rel, entry);
            if (!ref.typeOnly) link(runtimeEdges, rel, entry);
          }
          resolvedImports.push({
            ...ref,
            target: "workspace",
            resolved: name,
            ...(targetElement === undefined ? {} : { element: targetElement.name }),
            violations,
          });
        } else {
          resolvedImports.push({
            ...ref,
            target: workspaceTarget === pkg ? "workspace" : "external",
            resolved: name,
            violations,
          });
        }
      }
      files.push({
        file: rel,
        element: element?.name,
        package: pkg.name,
        kind: walkedFile.kind,
        imports: resolvedImports,
      });
    }
    // A package's entry node leads to its index, so cross-package cycles close.
    const index = `${pkg.relativeDir}/src/index.ts`;
    if (fresh.has(index)) {
      link(allEdges, `pkg:${pkg.name}`, index);
      link(runtimeEdges, `pkg:${pkg.name}`, index);
    }
    // Owners, unused dependencies, required files, public API.
    for (const [module, rule] of ownerOf) {
      const declares = pkg.runtimeDependencies.has(module) || pkg.devDependencies.has(module);
      if (
        declares &&
        !rule.onlyFrom.includes(pkg.name) &&
        !(pkgElement !== undefined && rule.onlyFrom.includes(pkgElement.name))
      ) {
        add(
          "arch/exclusive-owner",
          "error",
          `${pkg.relativeDir}/package.json`,
          1,
          `${pkg.name} declares \`${module}\`, which only ${rule.onlyFrom.join(", ")} may use: ${rule.reason}`,
          `${pkg.name}:${module}`,
        );
      }
    }
    if (config.unusedDependencies !== false) {
      const used = usedDependencies.get(pkg.name) ?? new Set<string>();
      for (const dep of pkg.runtimeDependencies) {
        if (!used.has(dep) && !dep.startsWith("@types/"))
          add(
            "arch/unused-dependency",
            "warning",
            `${pkg.relativeDir}/package.json`,
            1,
            `${pkg.name} declares \`${dep}\` in dependencies but its sources never import it`,
            `${pkg.name}:${dep}`,
          );
      }
    }
    for (const required of pkgElement?.requiredFiles ?? []) {
      const match = picomatch(required);
      const present = required.endsWith("/")
        ? existsSync(join(pkg.dir, required))
        : existsSync(join(pkg.dir, required)) ||
          walked.files.some((f) => match(relative(pkg.dir, f.path).split(sep).join("/")));
      if (!present)
        add(
          "arch/required-file",
          "error",
          `${pkg.relativeDir}/package.json`,
          1,
          `${pkg.name} lacks ${required} (required for ${pkgElement?.name ?? "its element"})`,
          `${pkg.name}:${required}`,
        );
    }
    const indexPath = join(pkg.dir, "src", "index.ts");
    if (existsSync(indexPath)) {
      const text = readFileSync(indexPath, "utf8");
      const api = config.publicApi ?? {};
      text.split("\n").forEach((line, i) => {
        if (api.noExportStar !== false && /^\s*export\s+\*/.test(line))
          add(
            "arch/public-api",
            "error",
            `${pkg.relativeDir}/src/index.ts`,
            i + 1,
            "`export *` hides the public API: name every export",
            `${pkg.name}:${line.trim()}`,
          );
        if (api.noDefaultExport !== false && /^\s*export\s+default\b/.test(line))
          add(
            "arch/public-api",
            "error",
            `${pkg.relativeDir}/src/index.ts`,
            i + 1,
            "default exports are not allowed in a public API: use named exports",
            `${pkg.name}:${line.trim()}`,
          );
      });
    }
  }
  writeCache(cachePath, fresh);

  const cycleLevel = config.cycles ?? {};
  const cycles = cycleLevel.runtime === "off" ? [] : findCycles(runtimeEdges);
  const runtimeNodes = new Set(cycles.flatMap((c) => c.nodes));
  const typeOnlyCycles =
    cycleLevel.typeOnly === "off"
      ? []
      : findCycles(allEdges).filter((c) => !c.nodes.every((n) => runtimeNodes.has(n)));
  for (const cycle of cycles) {
    const files2 = cycle.nodes.filter((n) => !n.startsWith("pkg:"));
    add(
      "arch/cycle",
      cycleLevel.runtime === "warning" ? "warning" : "error",
      files2[0] ?? cycle.nodes[0] ?? "",
      1,
      `import cycle through ${cycle.nodes.length} modules (${cycle.nodes.slice(0, 6).join(", ")}${cycle.nodes.length > 6 ? ", …" : ""}); cut ${cycle.cut.map(([a, b]) => `${a} → ${b}`).join("; ")}`,
      cycle.nodes.join(","),
    );
  }
  for (const cycle of typeOnlyCycles) {
    const files2 = cycle.nodes.filter((n) => !n.startsWith("pkg:"));
    add(
      "arch/cycle-type-only",
      cycleLevel.typeOnly === "error" ? "error" : "warning",
      files2[0] ?? "",
      1,
      `type-only import cycle through ${cycle.nodes.length} modules (erased at runtime): ${cycle.nodes.slice(0, 6).join(", ")}`,
      cycle.nodes.join(","),
    );
  }

  return {
    schemaVersion: 1,
    root,
    elements: config.elements.map((e) => ({
      name: e.name,
      packages: [...workspace.packages.values()]
        .filter((p) => elementFor(p, p.relativeDir)?.name === e.name)
        .map((p) => p.name),
      files: elementFiles.get(e.name) ?? 0,
    })),
    edges: [...elementEdges]
      .map(([key, v]) => {
        const [from, to] = key.split("\u0000") as [string, string];
        return { from, to, imports: v.imports, declared: v.declared };
      })
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    findings: sortFindings(dedupeFindings(findings)),
    cycles,
    typeOnlyCycles,
    files,
    stats: {
      files: files.length,
      imports: importCount,
      cachedFiles,
      ms: Math.round(performance.now() - started),
    },
  };
}

function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) =>
    seen.has(f.fingerprint + f.startLine) ? false : (seen.add(f.fingerprint + f.startLine), true),
  );
}

function readCache(path: string | undefined): Map<string, CacheEntry> {
  if (path === undefined || !existsSync(path)) return new Map();
  try {
    return new Map(
      Object.entries(JSON.parse(readFileSync(path, "utf8")) as Record<string, CacheEntry>),
    );
  } catch {
    return new Map();
  }
}

function writeCache(path: string | undefined, entries: Map<string, CacheEntry>): void {
  if (path === undefined) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(Object.fromEntries(entries)));
  } catch {
    // the check still ran; only the cache is lost
  }
}

/** @returns the workspace a report was made for (for `doc`). */
export function workspaceOf(root: string): Workspace {
  return loadWorkspace(root);
}
