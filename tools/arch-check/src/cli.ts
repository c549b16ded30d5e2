import { existsSync, readFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import {
  EXIT,
  emit,
  fingerprint,
  oneOf,
  parseFlags,
  toSarif,
  withErrorBoundary,
} from "@perflayer/toolkit";
import type { CliIo, Finding } from "@perflayer/toolkit";
import { loadConfig } from "./arch-config.js";
import type { ArchReport } from "./arch-report.js";
import { checkArchitecture } from "./check-architecture.js";
import { projectStructure } from "./project-structure.js";
import { RULES } from "./rules.js";
import { loadWorkspace } from "./workspace.js";

const USAGE =
  "arch-check [paths…] [--root dir] [--config perflayer.arch.json] [--format text|json|sarif|md] [--out file] [--baseline file] [--verbose] [--no-cache | --cache-dir dir] | arch-check doc [--check] [--out PROJECT_STRUCTURE.md] | arch-check explain <file>";

const HELP = `Checks a workspace against its declared structure (perflayer.arch.json).

Usage:
  arch-check [paths…] [options]   check (only these folders or files, when given); exit 1 on errors
                                  (or on new errors against --baseline)
  arch-check doc [--check]        write PROJECT_STRUCTURE.md (--check: fail when it is stale)
  arch-check explain <file>       a file's element, imports and the rules that apply

Options:
  --root <dir>        the repository root: package.json, workspaces, tsconfig (default: the
                      config's folder)
  --config <file>     the declared structure (default: perflayer.arch.json in --root, else in the
                      working directory)
  --verbose           also list unresolved imports, skipped files, suppressed findings and every
                      edge to cut
  --format <f>        text (default), json, sarif, md
  --json              same as --format json
  --out <file>        write the report (or the document) to a file
  --baseline <file>   a previous --format json report: its findings are known and do not fail
  --warnings-fail     exit 1 on warnings too
  --no-cache          do not read or write .perflayer-cache
  --cache-dir <dir>   where .perflayer-cache goes (default: the root)
  --help              this text

Exit codes: 0 clean, 1 violations, 2 usage or internal error.
`;

function renderText(
  report: ArchReport,
  fresh: ReadonlySet<string> | undefined,
  verbose: boolean,
): string {
  const errors = report.findings.filter((f) => f.severity === "error");
  const warnings = report.findings.filter((f) => f.severity !== "error");
  const { stats } = report;
  const out = [
    `arch-check: ${stats.files} files, ${stats.imports} imports in ${report.elements.length} elements (${stats.ms} ms, ${stats.cachedFiles} from cache)${report.scope.join(",") === "." ? "" : `; checked ${report.scope.join(", ")}`}`,
  ];
  for (const f of report.findings)
    out.push(
      `  ${f.severity === "error" ? "error  " : "warning"} ${fresh?.has(f.fingerprint) === true ? "[new] " : ""}${f.file}:${f.startLine} ${f.ruleId}: ${f.message}`,
    );
  const notes = [
    [stats.unresolved, "unresolved import(s)"],
    [stats.skipped, "skipped file(s)"],
    [report.suppressed.length, "suppressed finding(s)"],
    [report.optionalImports.length, "optional import(s)"],
  ] as const;
  const counted = notes.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  if (counted.length > 0)
    out.push(`  ${counted.join(", ")}${verbose ? ":" : " (listed with --verbose)"}`);
  if (verbose) {
    for (const u of report.unresolved)
      out.push(`    unresolved ${u.file}:${u.line} \`${u.specifier}\`: ${u.reason}`);
    for (const s of report.skipped) out.push(`    skipped    ${s.file}: ${s.reason}`);
    for (const s of report.suppressed)
      out.push(
        `    suppressed ${s.finding.file}:${s.finding.startLine} ${s.finding.ruleId} (by ${s.by}: ${s.reason}): ${s.finding.message}`,
      );
    for (const o of report.optionalImports)
      out.push(`    optional   ${o.file}:${o.line} \`${o.module}\`: ${o.reason}`);
    for (const cycle of [...report.cycles, ...report.typeOnlyCycles])
      out.push(
        `    cut ${cycle.cut.length} of ${cycle.edges} imports in the tangle of ${cycle.nodes.length} modules:`,
        ...cycle.cut.map(
          (e) => `      ${e.from} → ${e.to} (on cycles through ${e.cycleNodes} modules)`,
        ),
      );
  }
  out.push(
    errors.length === 0 && warnings.length === 0
      ? "The workspace matches its declared structure."
      : `${errors.length} error(s), ${warnings.length} warning(s).`,
  );
  return `${out.join("\n")}\n`;
}

function renderMarkdown(report: ArchReport): string {
  const out = [
    "# Architecture check",
    "",
    `${report.stats.files} files, ${report.stats.imports} imports, ${report.findings.length} finding(s).`,
    "",
    "| severity | where | rule | message |",
    "|---|---|---|---|",
  ];
  for (const f of report.findings)
    out.push(
      `| ${f.severity} | \`${f.file}:${f.startLine}\` | ${f.ruleId} | ${f.message.replace(/\|/g, "\\|")} |`,
    );
  out.push(
    "",
    "## Element dependencies",
    "",
    "| from | to | imports | declared |",
    "|---|---|---:|---|",
  );
  for (const e of report.edges)
    out.push(`| ${e.from} | ${e.to} | ${e.imports} | ${e.declared ? "yes" : "**no**"} |`);
  return `${out.join("\n")}\n`;
}

/** The full cut of each cycle finding, as SARIF result properties (the message shows the first few). */
function cutProperties(report: ArchReport): Map<string, Record<string, unknown>> {
  const extra = new Map<string, Record<string, unknown>>();
  for (const [ruleId, cycles] of [
    ["arch/cycle", report.cycles],
    ["arch/cycle-type-only", report.typeOnlyCycles],
  ] as const)
    for (const cycle of cycles) {
      const file = cycle.nodes[0] ?? "";
      extra.set(fingerprint(ruleId, file, cycle.nodes.join(",")), {
        modules: cycle.nodes,
        edges: cycle.edges,
        cut: cycle.cut,
      });
    }
  return extra;
}

function readBaseline(path: string): Set<string> {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as { findings?: Finding[] };
    if (!Array.isArray(data.findings)) throw new Error("no findings array");
    return new Set(data.findings.map((f) => f.fingerprint));
  } catch (error) {
    throw new PerflayerConfigError(
      "ERR_BASELINE",
      `Could not read the baseline ${path}: ${(error as Error).message}. Create one with --format json --out ${path}.`,
    );
  }
}

/**
 * The `arch-check` command (check, `doc`, `explain`). Only `bin/arch-check.js` sets the exit code.
 * @param argv - arguments after the command name
 * @param io - streams and environment
 * @returns 0 clean, 1 violations, 2 usage or internal error
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return withErrorBoundary("arch-check", io, () => {
    const { values, positionals } = parseFlags(
      argv,
      {
        config: { type: "string" },
        root: { type: "string" },
        verbose: { type: "boolean" },
        format: { type: "string" },
        json: { type: "boolean" },
        out: { type: "string" },
        baseline: { type: "string" },
        check: { type: "boolean" },
        "warnings-fail": { type: "boolean" },
        "no-cache": { type: "boolean" },
        "cache-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      USAGE,
    );
    if (values.help === true) {
      io.stdout.write(HELP);
      return Promise.resolve(EXIT.ok);
    }
    const command =
      positionals[0] === "doc" || positionals[0] === "explain" ? positionals[0] : undefined;
    const rootFlag = values.root === undefined ? undefined : resolve(io.cwd, values.root);
    if (rootFlag !== undefined && !existsSync(rootFlag))
      throw new PerflayerConfigError(
        "ERR_USAGE",
        `Expected --root to be a folder that exists, got \`${values.root}\`. Pass the repository root, e.g. --root .`,
      );
    const configPath = resolve(rootFlag ?? io.cwd, values.config ?? "perflayer.arch.json");
    const root = rootFlag ?? resolve(configPath, "..");
    const workspace = loadWorkspace(root);
    const config = loadConfig(configPath, new Set(workspace.packages.keys()));
    const paths = command === undefined ? positionals.map((p) => resolve(io.cwd, p)) : [];
    for (const path of paths)
      if (!existsSync(path))
        throw new PerflayerConfigError(
          "ERR_USAGE",
          `Expected the paths to check to exist, got \`${relative(io.cwd, path)}\`. Pass folders or files, e.g. arch-check src (commands: doc, explain).`,
        );
    const report = checkArchitecture({
      root,
      config,
      paths,
      ...(values["no-cache"] === true
        ? { cacheDir: false as const }
        : values["cache-dir"] === undefined
          ? {}
          : { cacheDir: resolve(io.cwd, values["cache-dir"]) }),
    });
    if (command === "doc") {
      const text = projectStructure(config, report, workspace);
      const target = resolve(io.cwd, values.out ?? "PROJECT_STRUCTURE.md");
      if (values.check === true) {
        const current = existsSync(target) ? readFileSync(target, "utf8") : "";
        if (current !== text) {
          io.stderr.write(
            `${relative(io.cwd, target)} is stale: run \`arch-check doc\` and commit the result.\n`,
          );
          return Promise.resolve(EXIT.findings);
        }
        io.stdout.write(`${relative(io.cwd, target)} is up to date.\n`);
        return Promise.resolve(EXIT.ok);
      }
      emit(io, text, values.out ?? "PROJECT_STRUCTURE.md");
      return Promise.resolve(EXIT.ok);
    }
    if (command === "explain") {
      const wanted = positionals[1];
      if (wanted === undefined)
        throw new PerflayerConfigError(
          "ERR_USAGE",
          "arch-check explain needs a file, e.g. arch-check explain packages/cache/src/cache.ts",
        );
      const rel = relative(root, resolve(io.cwd, wanted)).split(sep).join("/");
      const file = report.files.find((f) => f.file === rel);
      if (file === undefined)
        throw new PerflayerConfigError(
          "ERR_USAGE",
          `${wanted} is not a checked file (not in a workspace package, ignored, or not source).`,
        );
      const element = config.elements.find((e) => e.name === file.element);
      const lines = [
        `${file.file}: element ${file.element ?? "(none)"}, package ${file.package ?? "(none)"}, ${file.kind}`,
      ];
      if (element !== undefined)
        lines.push(
          `  may depend on: ${element.allow.join(", ") || "nothing"}${(element.allowInTests ?? []).length > 0 ? `; tests also: ${(element.allowInTests ?? []).join(", ")}` : ""}`,
        );
      for (const imp of file.imports)
        lines.push(
          `  line ${imp.line}: ${imp.specifier}${imp.typeOnly ? " (type-only)" : ""} → ${imp.target} ${imp.resolved}${imp.element === undefined ? "" : ` [${imp.element}]`}${imp.violations.length > 0 ? `  ✗ ${imp.violations.join(", ")}` : "  ✓"}`,
        );
      io.stdout.write(`${lines.join("\n")}\n`);
      return Promise.resolve(EXIT.ok);
    }
    const format =
      values.json === true
        ? "json"
        : oneOf("format", values.format ?? "text", ["text", "json", "sarif", "md"] as const);
    const baseline =
      values.baseline === undefined ? undefined : readBaseline(resolve(io.cwd, values.baseline));
    const fresh =
      baseline === undefined
        ? undefined
        : new Set(
            report.findings.filter((f) => !baseline.has(f.fingerprint)).map((f) => f.fingerprint),
          );
    const text =
      format === "json"
        ? `${JSON.stringify(report, null, 2)}\n`
        : format === "sarif"
          ? `${JSON.stringify(
              toSarif(
                { name: "arch-check", version: "0.1.0" },
                RULES.map(([id, description]) => ({ id, description })),
                report.findings,
                cutProperties(report),
              ),
              null,
              2,
            )}\n`
          : format === "md"
            ? renderMarkdown(report)
            : renderText(report, fresh, values.verbose === true);
    emit(io, text, values.out);
    const failing = report.findings.filter(
      (f) =>
        (f.severity === "error" || values["warnings-fail"] === true) &&
        (fresh === undefined || fresh.has(f.fingerprint)),
    );
    return Promise.resolve(failing.length > 0 ? EXIT.findings : EXIT.ok);
  });
}
