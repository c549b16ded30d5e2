import { existsSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { PerflayerConfigError } from "@perflayer/core";
import { fingerprint, sortFindings, walkFiles } from "@perflayer/toolkit";
import type { Severity } from "@perflayer/toolkit";
import { validateConfig } from "./arch-config.js";
import type { ArchConfig, ElementConfig, TypeOnlyPolicy } from "./arch-config.js";
import type {
  ArchReport,
  CheckedFile,
  OptionalImport,
  ResolvedImport,
  SkippedFile,
  UnresolvedImport,
} from "./arch-report.js";
import { FactsCache } from "./facts-cache.js";
import { cycleFindings } from "./cycle-findings.js";
import { examineSource } from "./imports.js";
import type { Suppression } from "./imports.js";
import { ModuleResolver, packageOf } from "./module-resolver.js";
import { checkPackage } from "./package-checks.js";
import type { AddFinding } from "./package-checks.js";
import { isExported, exportedKeys } from "./package-exports.js";
import { applySuppressions } from "./suppressions.js";
import type { Draft } from "./suppressions.js";
import { TsconfigIndex } from "./tsconfig-index.js";
import { loadWorkspace } from "./workspace.js";
import type { WorkspacePackage } from "./workspace.js";

/** Options of {@link checkArchitecture}. */
export interface CheckOptions {
  /** The workspace root (holding package.json and, for a monorepo, its workspaces). */
  readonly root: string;
  /** The declared structure. */
  readonly config: ArchConfig;
  /** Where per-file facts are cached; `false` for none. @defaultValue `<root>/.perflayer-cache` */
  readonly cacheDir?: string | false;
  /**
   * Folders or files to check (absolute, or relative to the root), e.g. `["src"]`: files elsewhere
   * are not walked, though imports into them still resolve. Package-wide checks (unused and
   * required files, public API) run only for packages wholly inside them.
   * @defaultValue the whole root
   */
  readonly paths?: readonly string[];
}

const BUILTINS = new Set(builtinModules);
const toPosix = (path: string): string => path.split(sep).join("/");

/** The element lookups, compiled once so that each edge costs a map lookup. */
function elementIndex(config: ArchConfig) {
  const byPackage = new Map<string, ElementConfig>();
  const byPath: { element: ElementConfig; match: (path: string) => boolean }[] = [];
  for (const element of config.elements) {
    for (const name of element.packages ?? []) byPackage.set(name, element);
    if (element.paths !== undefined) byPath.push({ element, match: picomatch([...element.paths]) });
  }
  const byFile = new Map<string, ElementConfig | undefined>();
  return (pkg: WorkspacePackage | undefined, rel: string): ElementConfig | undefined => {
    const owner = pkg === undefined ? undefined : byPackage.get(pkg.name);
    if (owner !== undefined) return owner;
    if (!byFile.has(rel)) byFile.set(rel, byPath.find((p) => p.match(rel))?.element);
    return byFile.get(rel);
  };
}

/** The severity a type-only import gets under a policy, or undefined when it is accepted. */
function typeOnlySeverity(
  policy: TypeOnlyPolicy | undefined,
  typeOnly: boolean,
): Severity | undefined {
  if (!typeOnly || policy === undefined || policy === "error") return "error";
  return policy === "warn" ? "warning" : undefined;
}

/**
 * Checks a workspace against its declared structure: element dependencies (type-only imports per
 * the rule's `typeOnly`), exclusive owners, forbidden imports, cycles (strongly connected
 * components, runtime and type-only apart, each with a small cut), deep imports, relative imports
 * across packages, declared and unused dependencies, required files and public APIs. Imports are
 * resolved as TypeScript resolves them for each file's tsconfig; unresolved ones, skipped files and
 * suppressed findings are all listed in the report.
 * @param options - root, config, cache, scope
 * @returns the report data
 * @throws PerflayerConfigError when the config names packages the workspace lacks, or a scope path
 *   does not exist
 */
export function checkArchitecture(options: CheckOptions): ArchReport {
  const started = performance.now();
  const root = resolve(options.root);
  const workspace = loadWorkspace(root);
  const config = validateConfig(
    options.config,
    "perflayer.arch.json",
    new Set(workspace.packages.keys()),
  );
  const scope = (options.paths ?? []).map((p) => resolve(root, p));
  for (const path of scope)
    if (!existsSync(path))
      throw new PerflayerConfigError(
        "ERR_INVALID_ARGUMENT",
        `Expected the paths to check to exist, got \`${path}\`. Pass folders or files inside ${root}, e.g. src.`,
      );
  const within = (dir: string, path: string): boolean => path === dir || path.startsWith(dir + sep);
  const drafts: Draft[] = [];
  const add: AddFinding = (ruleId, severity, file, line, message, key, specifier) => {
    drafts.push({
      finding: {
        ruleId,
        severity,
        file,
        startLine: line,
        endLine: line,
        message,
        fingerprint: fingerprint(ruleId, file, key),
      },
      ...(specifier === undefined ? {} : { specifier }),
    });
  };
  const elementFor = elementIndex(config);
  const packages = [...workspace.packages.values()].sort((a, b) => b.dir.length - a.dir.length);
  const packageOfFile = (abs: string): WorkspacePackage | undefined =>
    packages.find((p) => within(p.dir, abs));
  const ownerOf = new Map((config.owners ?? []).map((o) => [o.module, o]));
  const ignored = config.ignore === undefined ? undefined : picomatch([...config.ignore]);
  const forbidden = (config.forbidden ?? []).map((rule) => ({
    rule,
    match: picomatch([...rule.to]),
  }));
  const optional = (config.optionalImports ?? []).map((rule) => ({
    rule,
    match: picomatch([...rule.modules]),
  }));
  const resolver = new ModuleResolver(workspace);
  const tsconfigs = new TsconfigIndex(root);
  const cache = new FactsCache(
    options.cacheDir === false
      ? undefined
      : join(options.cacheDir ?? root, ".perflayer-cache", "arch-check-v2.json"),
  );

  const files: CheckedFile[] = [];
  const skipped: SkippedFile[] = [];
  const unresolved: UnresolvedImport[] = [];
  const optionalImports: OptionalImport[] = [];
  const comments = new Map<string, readonly Suppression[]>();
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
  const elementFiles = new Map<string, number>();
  const entries = new Map<WorkspacePackage, string | undefined>();
  const sourceEntry = (target: WorkspacePackage): string | undefined => {
    if (!entries.has(target)) {
      const entry = `${target.relativeDir === "" ? "" : `${target.relativeDir}/`}src/index.ts`;
      entries.set(target, existsSync(join(root, entry)) ? entry : undefined);
    }
    return entries.get(target);
  };
  let importCount = 0;

  for (const pkg of [...workspace.packages.values()].sort((a, b) =>
    a.relativeDir.localeCompare(b.relativeDir),
  )) {
    // What of this package to walk: all of it, the scope paths inside it, or nothing.
    const starts =
      scope.length === 0 || scope.some((s) => within(s, pkg.dir))
        ? [pkg.dir]
        : scope.filter((s) => within(pkg.dir, s));
    if (starts.length === 0) continue;
    const whole = starts[0] === pkg.dir;
    const pkgElement = elementFor(pkg, pkg.relativeDir);
    // The root of a repository without workspaces is assigned file by file, through path elements.
    if (whole && pkgElement === undefined && pkg.relativeDir !== "")
      add(
        "arch/unassigned-package",
        "warning",
        `${pkg.relativeDir}/package.json`,
        1,
        `package ${pkg.name} belongs to no element; add it to an element of perflayer.arch.json`,
        pkg.name,
      );
    const used = new Set<string>();
    const pkgFiles: string[] = [];
    for (const start of starts) {
      const walked = walkFiles({ root: start, exclude: ["**/__fixtures__/**"] });
      const base = statSync(start).isDirectory() ? start : resolve(start, "..");
      for (const s of walked.skipped)
        skipped.push({
          file: toPosix(relative(root, join(base, s.relativePath))),
          reason: s.reason,
        });
      for (const walkedFile of walked.files) {
        const rel = toPosix(relative(root, walkedFile.path));
        // Nested packages are checked as themselves.
        if (packageOfFile(walkedFile.path) !== pkg) continue;
        pkgFiles.push(toPosix(relative(pkg.dir, walkedFile.path)));
        if (ignored?.(rel) === true) continue;
        let stat;
        try {
          stat = statSync(walkedFile.path);
        } catch (error) {
          skipped.push({
            file: rel,
            reason: `unreadable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          });
          continue;
        }
        const outcome = cache.get(
          rel,
          stat,
          () => readFileSync(walkedFile.path),
          (bytes) => examineSource(bytes, walkedFile.path),
        );
        if ("skip" in outcome) {
          skipped.push({ file: rel, reason: outcome.skip });
          continue;
        }
        const element = elementFor(pkg, rel);
        if (element !== undefined)
          elementFiles.set(element.name, (elementFiles.get(element.name) ?? 0) + 1);
        if (outcome.suppressions.length > 0) comments.set(rel, outcome.suppressions);
        importCount += outcome.imports.length;
        const settings = tsconfigs.settingsFor(walkedFile.path);
        const inTests =
          walkedFile.kind !== "source" ||
          /(^|\/)(test|tests|bench|__tests__)\//.test(rel) ||
          /\.config\.[mc]?[jt]s$/.test(rel);
        const resolvedImports: ResolvedImport[] = [];
        for (const ref of outcome.imports) {
          // Under verbatimModuleSyntax `import { type A } from "m"` stays as `import {} from "m"`.
          const typeOnly =
            ref.typeOnly && !(ref.inlineTypes === true && settings.verbatimModuleSyntax);
          const spec = ref.specifier;
          const violations: string[] = [];
          const flag = (ruleId: string, severity: Severity, message: string): void => {
            violations.push(ruleId);
            add(ruleId, severity, rel, ref.line, message, spec, spec);
          };
          for (const { rule, match } of forbidden) {
            const applies =
              rule.from.includes("*") ||
              (element !== undefined && rule.from.includes(element.name)) ||
              rule.from.includes(pkg.name);
            const severity = typeOnlySeverity(rule.typeOnly, typeOnly);
            if (applies && severity !== undefined && match(spec))
              flag(
                "arch/forbidden-import",
                severity,
                `\`${spec}\`${typeOnly ? " (type-only)" : ""} is forbidden here: ${rule.reason}`,
              );
          }
          if (
            spec.startsWith("node:") ||
            BUILTINS.has(spec) ||
            BUILTINS.has(spec.split("/")[0] ?? "")
          ) {
            resolvedImports.push({
              ...ref,
              typeOnly,
              target: "builtin",
              resolved: spec,
              violations,
            });
            continue;
          }
          const resolution = resolver.resolve(spec, walkedFile.path, settings, ref.kind);
          const bare = !spec.startsWith(".") && !spec.startsWith("/") && !spec.startsWith("#");
          const named = bare ? packageOf(spec) : undefined;
          const namedPkg = named === undefined ? undefined : workspace.packages.get(named.name);
          // Reached through the workspace's package name (not a path alias to the same files).
          const byName =
            namedPkg !== undefined &&
            (resolution.kind !== "file" || within(namedPkg.dir, resolution.file));
          if (resolution.kind === "unresolved" && !byName) {
            unresolved.push({
              file: rel,
              line: ref.line,
              specifier: spec,
              reason: resolution.reason,
            });
            resolvedImports.push({
              ...ref,
              typeOnly,
              target: "unresolved",
              resolved: spec,
              violations,
            });
            continue;
          }
          const targetFile = resolution.kind === "file" ? resolution.file : undefined;
          const targetPkg = byName
            ? namedPkg
            : targetFile === undefined
              ? undefined
              : packageOfFile(targetFile);
          const targetRel =
            targetFile === undefined ? undefined : toPosix(relative(root, targetFile));
          const targetElement =
            targetPkg === undefined && targetRel === undefined
              ? undefined
              : elementFor(targetPkg, targetRel ?? targetPkg?.relativeDir ?? "");
          if (byName || targetPkg !== pkg) {
            if (!byName && targetPkg !== undefined && targetFile !== undefined) {
              flag(
                "arch/relative-cross-package",
                "error",
                `\`${spec}\` reaches into ${targetPkg.name} by relative path; import "${targetPkg.name}" by name (its exports)`,
              );
            }
          }
          if (resolution.kind === "external" || (byName && namedPkg !== pkg)) {
            const name = resolution.kind === "external" ? resolution.name : (named?.name ?? spec);
            const guardedOptional =
              ref.kind !== "static" ? optional.find((o) => o.match(name)) : undefined;
            const declared =
              pkg.runtimeDependencies.has(name) ||
              (inTests &&
                (pkg.devDependencies.has(name) || workspace.rootDevDependencies.has(name))) ||
              name === pkg.name;
            if (!declared && guardedOptional !== undefined) {
              optionalImports.push({
                file: rel,
                line: ref.line,
                module: name,
                reason: guardedOptional.rule.reason,
              });
            } else if (!declared) {
              const settingsHint =
                settings.configFile === undefined
                  ? "; no tsconfig.json applies to this file, so no compilerOptions.paths were used"
                  : tsconfigs.problems.some((p) => p.file === settings.configFile)
                    ? `; ${toPosix(relative(root, settings.configFile))} has problems (see arch/tsconfig), so its paths may be missing`
                    : "";
              const optionalHint =
                ref.guarded === true
                  ? "; if the code copes without it, list it in optionalImports (perflayer.arch.json) or as an optional peer dependency"
                  : "";
              flag(
                "arch/undeclared-dependency",
                "error",
                `\`${name}\` is imported but not declared in ${pkg.name}'s package.json ${inTests ? "(dependencies or devDependencies)" : "dependencies"}${settingsHint}${optionalHint}`,
              );
            }
            if (!inTests) used.add(name);
            const owner = ownerOf.get(name);
            if (
              owner !== undefined &&
              !owner.onlyFrom.includes(pkg.name) &&
              !(element !== undefined && owner.onlyFrom.includes(element.name))
            )
              flag(
                "arch/exclusive-owner",
                "error",
                `\`${name}\` may only be used from ${owner.onlyFrom.join(", ")}: ${owner.reason}`,
              );
          }
          if (
            byName &&
            namedPkg !== pkg &&
            named !== undefined &&
            !isExported(namedPkg.manifest["exports"], named.subpath)
          )
            flag(
              "arch/deep-import",
              "error",
              `\`${spec}\` is not in ${named.name}'s exports (${exportedKeys(namedPkg.manifest["exports"]).join(", ")}); import the package's public entry`,
            );
          if (resolution.kind === "external") {
            resolvedImports.push({
              ...ref,
              typeOnly,
              target: "external",
              resolved: resolution.name,
              violations,
            });
            continue;
          }
          // Layers: between elements (packages or path elements), and between packages of one element.
          if (element !== undefined && targetElement !== undefined) {
            const samePackage = targetPkg === pkg;
            const sameElement = targetElement.name === element.name;
            const allowed = sameElement
              ? samePackage || element.allowWithin === true
              : element.allow.includes(targetElement.name) ||
                (inTests && (element.allowInTests ?? []).includes(targetElement.name));
            const severity = allowed ? undefined : typeOnlySeverity(element.typeOnly, typeOnly);
            if (severity !== undefined)
              flag(
                "arch/layer",
                severity,
                `${element.name}${samePackage ? "" : ` (${pkg.name})`} may not depend on ${targetElement.name}${targetPkg !== undefined && targetPkg !== pkg ? ` (${targetPkg.name})` : ""} (\`${spec}\`${typeOnly ? ", type-only" : ""})${sameElement ? ": packages of this element do not import each other" : `; it may depend on: ${element.allow.join(", ") || "nothing"}`}`,
              );
            if (!sameElement) countEdge(element, targetElement);
          }
          // The graph: file to file. A workspace package whose exports lead to no file (an
          // unbuilt dist) is reached at its src/index.ts, so cross-package cycles still close.
          const node = targetRel ?? (targetPkg === undefined ? undefined : sourceEntry(targetPkg));
          if (!inTests && node !== undefined) {
            link(allEdges, rel, node);
            if (!typeOnly) link(runtimeEdges, rel, node);
          }
          resolvedImports.push({
            ...ref,
            typeOnly,
            target: byName || targetPkg !== pkg ? "workspace" : "relative",
            resolved: targetRel ?? targetPkg?.name ?? spec,
            ...(targetElement === undefined ? {} : { element: targetElement.name }),
            violations,
          });
        }
        files.push({
          file: rel,
          element: element?.name,
          package: pkg.name,
          kind: walkedFile.kind,
          imports: resolvedImports,
        });
      }
    }
    if (whole) checkPackage(pkg, pkgElement, config, used, pkgFiles, add);
  }
  for (const problem of tsconfigs.problems)
    add(
      "arch/tsconfig",
      "error",
      toPosix(relative(root, problem.file)),
      1,
      problem.message,
      problem.message,
    );

  const { cycles, typeOnlyCycles } = cycleFindings(
    config.cycles ?? {},
    runtimeEdges,
    allEdges,
    cache,
    add,
  );
  cache.save();
  const seen = new Set<string>();
  const unique = drafts.filter(({ finding: f }) =>
    seen.has(f.fingerprint + f.startLine) ? false : (seen.add(f.fingerprint + f.startLine), true),
  );
  const { findings, suppressed } = applySuppressions(
    unique,
    comments,
    config.exceptions ?? [],
    scope.length === 0,
  );
  return {
    schemaVersion: 2,
    root,
    scope: scope.length === 0 ? ["."] : scope.map((s) => toPosix(relative(root, s)) || "."),
    elements: config.elements.map((e) => ({
      name: e.name,
      packages: [...workspace.packages.values()]
        .filter((p) => elementFor(p, p.relativeDir)?.name === e.name)
        .map((p) => p.name),
      paths: e.paths ?? [],
      files: elementFiles.get(e.name) ?? 0,
    })),
    edges: [...elementEdges]
      .map(([key, v]) => {
        const [from, to] = key.split("\u0000") as [string, string];
        return { from, to, imports: v.imports, declared: v.declared };
      })
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    findings: sortFindings(findings),
    suppressed,
    cycles,
    typeOnlyCycles,
    unresolved,
    optionalImports,
    skipped: skipped.sort((a, b) => a.file.localeCompare(b.file)),
    files,
    stats: {
      files: files.length,
      imports: importCount,
      unresolved: unresolved.length,
      skipped: skipped.length,
      cachedFiles: cache.hits,
      ms: Math.round(performance.now() - started),
    },
  };
}
