// `perflayer-analyze fix` on the real-code corpus (a benchmark-style script, not part of `pnpm test`):
// per repository, the findings of the kinds fix rewrites, how many it rewrites, whether the
// rewritten files type-check (written in a scratch copy, never in the cache), and predicted vs
// actual lines.
// Run: pnpm --filter @perflayer/analyzer exec tsx --conditions=@perflayer/source corpus/fix-score.ts --checkouts /work/.mirror [--repo owner/name…] [--split tuning] [--details file]
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import { EXIT, defineCommand, processIo, runCli } from "@perflayer/toolkit";
import { analyze } from "../src/analyze.js";
import { applyFixes } from "../src/fix/apply-fixes.js";
import { planFixes } from "../src/fix/fix-plan.js";
import { checkout } from "./checkouts.js";
import { excludeGlobs, loadLabels, scopeGlobs } from "./labels.js";

const here = import.meta.dirname;
const workspace = join(here, "..", "..", "..");

const command = defineCommand({
  name: "",
  summary:
    "Runs perflayer-analyze fix (dry run, then --write in a scratch copy) on corpus repositories.",
  usage: ["--checkouts dir [--repo owner/name…] [--details file]"],
  flags: {
    checkouts: { type: "string", value: "dir", description: "folder of checkouts or bare mirrors" },
    repo: { type: "string", multiple: true, value: "owner/name", description: "only these" },
    split: {
      type: "string",
      value: "tuning|held-out",
      description: "only this split (default: tuning; the held-out set is for blind scoring only)",
    },
    cache: {
      type: "string",
      value: "dir",
      description: "extracted trees (default: tmp/perflayer-corpus-cache)",
    },
    details: {
      type: "string",
      value: "file",
      description: "also write one line per finding (repository, file:lines, kind, decision) there",
    },
  },
  async run({ values }, io) {
    if (values.checkouts === undefined)
      throw new PerflayerConfigError(
        "ERR_USAGE",
        "Expected --checkouts. Pass e.g. --checkouts /work/.mirror.",
      );
    const cacheDir = resolve(io.cwd, values.cache ?? join(tmpdir(), "perflayer-corpus-cache"));
    const wanted = values.repo ?? [];
    const split = values.split ?? "tuning";
    const chosen = loadLabels(join(here, "labels")).filter(
      (l) => l.split === split && (wanted.length === 0 || wanted.includes(l.repo)),
    );
    const rows: string[] = [
      [
        "repository".padEnd(28),
        "fixable",
        "rewritten",
        "written",
        "rolled back",
        "lines predicted→removed",
      ].join("  "),
    ];
    const reasons = new Map<string, number>();
    const byKind = new Map<string, { findings: number; rewritten: number }>();
    const byApi = new Map<string, number>();
    const notes: string[] = [];
    const details: string[] = [];
    for (const labels of chosen) {
      const got = checkout(labels, resolve(io.cwd, values.checkouts), cacheDir);
      if (!got.ok) {
        rows.push(`${labels.repo.padEnd(28)}  not reached: ${got.reason}`);
        continue;
      }
      const scratch = mkdtempSync(join(tmpdir(), "perflayer-fix-corpus-"));
      cpSync(got.root, scratch, { recursive: true });
      for (const p of ["core", "response", "cache", "monitor"]) {
        mkdirSync(join(scratch, "node_modules", "@perflayer"), { recursive: true });
        symlinkSync(
          join(workspace, "packages", p),
          join(scratch, "node_modules", "@perflayer", p),
          "dir",
        );
      }
      const report = await analyze({
        root: scratch,
        include: scopeGlobs(labels.scope),
        exclude: excludeGlobs(labels.excluded),
        cacheDir: false,
        clones: false,
      });
      const plan = await planFixes(report);
      for (const f of plan.fixes) {
        const k = byKind.get(f.finding.kind) ?? { findings: 0, rewritten: 0 };
        byKind.set(f.finding.kind, {
          findings: k.findings + 1,
          rewritten: k.rewritten + (f.status === "rewrite" ? 1 : 0),
        });
      }
      for (const f of plan.fixes)
        if (f.status === "rewrite") byApi.set(f.api, (byApi.get(f.api) ?? 0) + 1);
      for (const f of plan.fixes)
        details.push(
          `${labels.repo} ${f.finding.file}:${f.finding.startLine}-${f.finding.endLine} ${f.finding.kind} ${f.status === "rewrite" ? `rewrite ${f.predictedLines}→${f.removedLines}` : `refused: ${f.reason}`}`,
        );
      for (const f of plan.fixes)
        if (f.status === "refused") {
          const key = `${f.finding.kind}: ${f.reason.replace(/`[^`]*`/g, "`…`")}`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
      const result = applyFixes(plan);
      for (const r of result.rolledBack)
        notes.push(`${labels.repo} ${r.file}: ${r.diagnostics.slice(0, 2).join(" | ")}`);
      const t = plan.totals;
      rows.push(
        [
          labels.repo.padEnd(28),
          String(t.findings).padStart(7),
          String(t.rewritten).padStart(9),
          String(result.written.length).padStart(7),
          String(result.rolledBack.length).padStart(11),
          `${t.predictedLines}→${t.removedLines} (written: ${result.predictedLines}→${result.removedLines})`.padStart(
            23,
          ),
        ].join("  "),
      );
    }
    if (values.details !== undefined)
      writeFileSync(resolve(io.cwd, values.details), `${details.join("\n")}\n`);
    io.stdout.write(
      `${[...rows, "", "by kind (rewritten/findings):", ...[...byKind].map(([k, n]) => `  ${k}: ${n.rewritten}/${n.findings}`), "", "rewritten, by what they now call:", ...[...byApi].sort((a, b) => b[1] - a[1]).map(([api, n]) => `  ${n}× ${api}`), "", "left alone, by kind and reason:", ...[...reasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `  ${n}× ${r}`), "", "rolled back:", ...notes.map((n) => `  ${n}`)].join("\n")}\n`,
    );
    return EXIT.ok;
  },
});

process.exitCode = await runCli(
  { name: "fix-score", version: "0", summary: command.summary, commands: [command], footer: "" },
  process.argv.slice(2),
  processIo(),
);
