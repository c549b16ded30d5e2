import { existsSync, readFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import {
  EXIT,
  defineCommand,
  emit,
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
import { checkArchitecture, workspaceOf } from "./check-architecture.js";
import type { ArchReport } from "./check-architecture.js";
import { projectStructure } from "./project-structure.js";

const VERSION = packageVersion(import.meta.url);

function renderText(
  report: ArchReport,
  fresh: ReadonlySet<string> | undefined,
  paint: Paint,
): string {
  const errors = report.findings.filter((f) => f.severity === "error");
  const warnings = report.findings.filter((f) => f.severity !== "error");
  const out = [
    `arch-check: ${report.stats.files} files, ${report.stats.imports} imports in ${report.elements.length} elements (${report.stats.ms} ms, ${report.stats.cachedFiles} from cache)`,
  ];
  for (const f of report.findings)
    out.push(
      `  ${paint(f.severity, f.severity === "error" ? "error  " : "warning")} ${fresh?.has(f.fingerprint) === true ? paint("strong", "[new] ") : ""}${f.file}:${f.startLine} ${f.ruleId}: ${f.message}`,
    );
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

const RULES = [
  ["arch/layer", "A dependency between elements that the config does not allow."],
  ["arch/exclusive-owner", "An external module used or declared outside its owners."],
  ["arch/forbidden-import", "An import matching a forbidden rule."],
  ["arch/cycle", "An import cycle at runtime (one strongly connected component)."],
  ["arch/cycle-type-only", "A cycle through type-only imports."],
  ["arch/deep-import", "An import of a subpath another package does not export."],
  ["arch/relative-cross-package", "A relative import into another package."],
  ["arch/undeclared-dependency", "An import of a package the importer does not declare."],
  ["arch/unused-dependency", "A declared dependency never imported."],
  ["arch/required-file", "A file the element requires is missing."],
  ["arch/public-api", "`export *` or a default export in a public entry."],
  ["arch/unassigned-package", "A package in no element."],
] as const;

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

const CONFIG_FLAG = {
  config: {
    type: "string",
    value: "file",
    description: "the declared structure (default: perflayer.arch.json in the working directory)",
  },
  "no-cache": { type: "boolean", description: "do not read or write .perflayer-cache" },
} as const;

/** The declared structure and the workspace checked against it. */
function checked(values: { readonly config?: string; readonly "no-cache"?: boolean }, io: CliIo) {
  const configPath = resolve(io.cwd, values.config ?? "perflayer.arch.json");
  const config = loadConfig(configPath);
  const root = resolve(configPath, "..");
  const report = checkArchitecture({
    root,
    config,
    ...(values["no-cache"] === true ? { cacheDir: false as const } : {}),
  });
  return { config, root, report };
}

const check = defineCommand({
  name: "",
  summary: "Checks a workspace against its declared structure (perflayer.arch.json).",
  usage: ["[options]"],
  description: "Exit 1 on errors (or on new errors against --baseline).",
  maxArguments: 0,
  flags: {
    ...CONFIG_FLAG,
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
  run({ values }, io) {
    const { report } = checked(values, io);
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
                { name: "arch-check", version: VERSION },
                RULES.map(([id, description]) => ({ id, description })),
                report.findings,
              ),
              null,
              2,
            )}\n`
          : format === "md"
            ? renderMarkdown(report)
            : renderText(report, fresh, values.out === undefined ? painter(io) : plain);
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
    ...CONFIG_FLAG,
    check: {
      type: "boolean",
      description: "exit 1 when the document is stale instead of writing it",
    },
    ...outputFlags("the document"),
  },
  run({ values }, io) {
    const { config, root, report } = checked(values, io);
    const text = projectStructure(config, report, workspaceOf(root));
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
  flags: CONFIG_FLAG,
  run({ values, positionals }, io) {
    const wanted = positionals[0];
    if (wanted === undefined)
      throw new PerflayerConfigError(
        "ERR_USAGE",
        "arch-check explain needs a file, e.g. arch-check explain packages/cache/src/cache.ts",
      );
    const { config, root, report } = checked(values, io);
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
