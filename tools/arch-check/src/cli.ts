import { existsSync, readFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import {
  EXIT,
  defineCommand,
  emit,
  fingerprint,
  oneOf,
  outputFlags,
  packageVersion,
  painter,
  plain,
  runCli,
  toSarif,
} from "@perflayer/toolkit";
import type { CliIo, CliSpec, Finding, Paint } from "@perflayer/toolkit";
import { loadConfig } from "./arch-config.js";
import type { ArchReport } from "./arch-report.js";
import { checkArchitecture } from "./check-architecture.js";
import { projectStructure } from "./project-structure.js";
import { RULES } from "./rules.js";
import { loadWorkspace } from "./workspace.js";

const VERSION = packageVersion(import.meta.url);

function renderText(
  report: ArchReport,
  fresh: ReadonlySet<string> | undefined,
  verbose: boolean,
  paint: Paint,
): string {
  const errors = report.findings.filter((f) => f.severity === "error");
  const warnings = report.findings.filter((f) => f.severity !== "error");
  const { stats } = report;
  const out = [
    `arch-check: ${stats.files} files, ${stats.imports} imports in ${report.elements.length} elements (${stats.ms} ms, ${stats.cachedFiles} from cache)${report.scope.join(",") === "." ? "" : `; checked ${report.scope.join(", ")}`}`,
  ];
  for (const f of report.findings)
    out.push(
      `  ${paint(f.severity, f.severity === "error" ? "error  " : "warning")} ${fresh?.has(f.fingerprint) === true ? paint("strong", "[new] ") : ""}${f.file}:${f.startLine} ${f.ruleId}: ${f.message}`,
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
      ? paint("ok", "The workspace matches its declared structure.")
      : paint(
          errors.length > 0 ? "error" : "warning",
          `${errors.length} error(s), ${warnings.length} warning(s).`,
        ),
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

/** The flags every command has: where the workspace is and how it is read. */
const WORKSPACE_FLAGS = {
  root: {
    type: "string",
    value: "dir",
    description:
      "the repository root: package.json, workspaces, tsconfig (default: the\nconfig's folder)",
  },
  config: {
    type: "string",
    value: "file",
    description:
      "the declared structure (default: perflayer.arch.json in --root, else in the\nworking directory)",
  },
  "no-cache": { type: "boolean", description: "do not read or write .perflayer-cache" },
  "cache-dir": {
    type: "string",
    value: "dir",
    description: "where .perflayer-cache goes (default: the root)",
  },
} as const;

/** The declared structure and the workspace (only `paths` of it, when given) checked against it. */
function checked(
  values: {
    readonly root?: string;
    readonly config?: string;
    readonly "no-cache"?: boolean;
    readonly "cache-dir"?: string;
  },
  positionals: readonly string[],
  io: CliIo,
) {
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
  const paths = positionals.map((p) => resolve(io.cwd, p));
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
  return { config, root, workspace, report };
}

const check = defineCommand({
  name: "",
  summary: "Checks a workspace against its declared structure (perflayer.arch.json).",
  usage: ["[paths…] [options]"],
  description:
    "Checks the whole workspace, or only these folders or files when given. Exit 1 on errors (or on\nnew errors against --baseline).",
  flags: {
    ...WORKSPACE_FLAGS,
    verbose: {
      type: "boolean",
      description:
        "also list unresolved imports, skipped files, suppressed findings and every\nedge to cut",
    },
    format: { type: "string", value: "f", description: "text (default), json, sarif, md" },
    json: { type: "boolean", description: "same as --format json" },
    ...outputFlags("the report"),
    baseline: {
      type: "string",
      value: "file",
      description: "a previous --format json report: its findings are known and do not fail",
    },
    "warnings-fail": { type: "boolean", description: "exit 1 on warnings too" },
  },
  run({ values, positionals }, io) {
    const format =
      values.json === true
        ? "json"
        : oneOf("format", values.format ?? "text", ["text", "json", "sarif", "md"] as const);
    const { report } = checked(values, positionals, io);
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
                { name: "arch-check", version: VERSION },
                RULES.map(([id, description]) => ({ id, description })),
                report.findings,
                cutProperties(report),
              ),
              null,
              2,
            )}\n`
          : format === "md"
            ? renderMarkdown(report)
            : renderText(
                report,
                fresh,
                values.verbose === true,
                values.out === undefined ? painter(io) : plain,
              );
    emit(io, text, values.out, { mkdir: values.mkdir });
    const failing = report.findings.filter(
      (f) =>
        (f.severity === "error" || values["warnings-fail"] === true) &&
        (fresh === undefined || fresh.has(f.fingerprint)),
    );
    return Promise.resolve(failing.length > 0 ? EXIT.findings : EXIT.ok);
  },
});

const doc = defineCommand({
  name: "doc",
  summary: "write PROJECT_STRUCTURE.md (--check: fail when it is stale)",
  usage: ["[--check] [--out PROJECT_STRUCTURE.md]"],
  maxArguments: 0,
  flags: {
    ...WORKSPACE_FLAGS,
    check: {
      type: "boolean",
      description: "exit 1 when the document is stale instead of writing it",
    },
    ...outputFlags("the document"),
  },
  run({ values }, io) {
    const { config, report, workspace } = checked(values, [], io);
    const text = projectStructure(config, report, workspace);
    const target = resolve(io.cwd, values.out ?? "PROJECT_STRUCTURE.md");
    if (values.check !== true) {
      emit(io, text, target, { mkdir: values.mkdir });
      return Promise.resolve(EXIT.ok);
    }
    const current = existsSync(target) ? readFileSync(target, "utf8") : "";
    if (current !== text) {
      io.stderr.write(
        `${relative(io.cwd, target)} is stale: run \`arch-check doc\` and commit the result.\n`,
      );
      return Promise.resolve(EXIT.findings);
    }
    io.stdout.write(`${relative(io.cwd, target)} is up to date.\n`);
    return Promise.resolve(EXIT.ok);
  },
});

const explain = defineCommand({
  name: "explain",
  summary: "a file's element, imports and the rules that apply",
  usage: ["<file>"],
  maxArguments: 1,
  flags: WORKSPACE_FLAGS,
  run({ values, positionals }, io) {
    const wanted = positionals[0];
    if (wanted === undefined)
      throw new PerflayerConfigError(
        "ERR_USAGE",
        "arch-check explain needs a file, e.g. arch-check explain packages/cache/src/cache.ts",
      );
    const { config, root, report } = checked(values, [], io);
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
  },
});

const CLI: CliSpec = {
  name: "arch-check",
  version: VERSION,
  summary: check.summary,
  commands: [check, doc, explain],
  footer: "Exit codes: 0 clean, 1 violations (or a stale document), 2 usage or internal error.",
};

/**
 * The `arch-check` command (check, `doc`, `explain`). Only `bin/arch-check.js` sets the exit code.
 * @param argv - arguments after the command name
 * @param io - streams and environment
 * @returns 0 clean, 1 violations, 2 usage or internal error
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runCli(CLI, argv, io);
}
