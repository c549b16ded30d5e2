// Scores the analyzer on the hand-labelled real-code corpus (a benchmark-style script, not part of
// `pnpm test`: the code comes from checkouts or mirrors of public repositories).
// Run: pnpm --filter @perflayer/analyzer corpus:score -- --checkouts /path/to/mirrors [--split tuning]
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PerflayerConfigError } from "@perflayer/core";
import {
  EXIT,
  defineCommand,
  oneOf,
  packageVersion,
  processIo,
  runCli,
  walkFiles,
} from "@perflayer/toolkit";
import type { CliIo } from "@perflayer/toolkit";
import { analyze } from "../src/analyze.js";
import type { AnalyzerFinding } from "../src/analysis-report.js";
import type { Category } from "../src/detector.js";
import { checkout } from "./checkouts.js";
import { excludeGlobs, loadLabels, scopeGlobs } from "./labels.js";
import type { Positive, RepoLabels } from "./labels.js";
import { addTallies, scoreRepo } from "./scoring.js";
import type { RepoScore, ScoredFinding, Tally } from "./scoring.js";

const CATEGORIES: readonly Category[] = ["caching", "memory", "response", "monitoring"];
const here = import.meta.dirname;

interface RepoRun {
  readonly repo: string;
  readonly split: string;
  readonly reachable: boolean;
  readonly reason?: string;
  readonly root?: string;
  readonly files?: number;
  readonly lines?: number;
  readonly ms?: number;
  readonly findings?: readonly AnalyzerFinding[];
  readonly score?: RepoScore;
}

function pct(part: number, whole: number): string {
  return whole === 0 ? "—" : (part / whole).toFixed(2);
}

function frac(t: Tally): string {
  return t.positives === 0 ? "—" : `${t.found}/${t.positives} ${pct(t.found, t.positives)}`;
}

function lineError(hand: number, analyzer: number): string {
  if (hand === 0) return "—";
  const e = ((analyzer - hand) / hand) * 100;
  return `${e >= 0 ? "+" : ""}${e.toFixed(1)} %`;
}

/** A small seeded generator (mulberry32), so a sample can be drawn again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function scoreOne(labels: RepoLabels, checkouts: string, cacheDir: string): Promise<RepoRun> {
  const got = checkout(labels, checkouts, cacheDir);
  if (!got.ok)
    return { repo: labels.repo, split: labels.split, reachable: false, reason: got.reason };
  const include = scopeGlobs(labels.scope);
  const exclude = excludeGlobs(labels.excluded);
  // Clones are left out: this scores idiom detection (the full run is timed by the bench).
  const report = await analyze({
    root: got.root,
    include,
    exclude,
    cacheDir: false,
    clones: false,
  });
  // The files read as source (the walker's, minus those skipped for syntax errors): a label in any
  // other file is reported as unreached rather than missed.
  const skipped = new Set(report.skipped.map((s) => s.relativePath));
  const analysed = new Set(
    walkFiles({ root: got.root, include, exclude })
      .files.filter((f) => f.kind === "source" && !skipped.has(f.relativePath))
      .map((f) => f.relativePath),
  );
  return {
    repo: labels.repo,
    split: labels.split,
    reachable: true,
    root: got.root,
    files: report.summary.files,
    lines: report.summary.linesScanned,
    ms: report.timings.ms,
    findings: report.findings,
    score: scoreRepo(labels, report.findings, analysed),
  };
}

function table(runs: readonly RepoRun[]): string {
  const out: string[] = [];
  const head = [
    "repository".padEnd(24),
    "files".padStart(5),
    "lines".padStart(8),
    "ms".padStart(6),
    "findings".padStart(8),
    "recall".padStart(13),
    "same cat".padStart(9),
    ...CATEGORIES.map((c) => c.padStart(13)),
    "neg viol".padStart(9),
    "lines hand→analyzer".padStart(21),
  ].join(" ");
  out.push(head);
  const scored = runs.filter((r) => r.score !== undefined);
  for (const r of scored) {
    const s = r.score as RepoScore;
    out.push(
      [
        r.repo.padEnd(24),
        String(r.files).padStart(5),
        String(r.lines).padStart(8),
        String(r.ms).padStart(6),
        String(r.findings?.length).padStart(8),
        frac(s.total).padStart(13),
        pct(s.total.sameCategory, s.total.positives).padStart(9),
        ...CATEGORIES.map((c) => frac(s.byCategory[c]).padStart(13)),
        `${s.violated.length}/${s.negatives}`.padStart(9),
        `${s.lines.hand}→${s.lines.analyzer} ${lineError(s.lines.hand, s.lines.analyzer)}`.padStart(
          21,
        ),
      ].join(" "),
    );
  }
  const total = addTallies(scored.map((r) => (r.score as RepoScore).total));
  const negatives = scored.reduce((n, r) => n + (r.score as RepoScore).negatives, 0);
  const violated = scored.reduce((n, r) => n + (r.score as RepoScore).violated.length, 0);
  const hand = scored.reduce((n, r) => n + (r.score as RepoScore).lines.hand, 0);
  const analyzer = scored.reduce((n, r) => n + (r.score as RepoScore).lines.analyzer, 0);
  out.push(
    [
      "total".padEnd(24),
      String(scored.reduce((n, r) => n + (r.files ?? 0), 0)).padStart(5),
      String(scored.reduce((n, r) => n + (r.lines ?? 0), 0)).padStart(8),
      String(scored.reduce((n, r) => n + (r.ms ?? 0), 0)).padStart(6),
      String(scored.reduce((n, r) => n + (r.findings?.length ?? 0), 0)).padStart(8),
      frac(total).padStart(13),
      pct(total.sameCategory, total.positives).padStart(9),
      ...CATEGORIES.map((c) =>
        frac(addTallies(scored.map((r) => (r.score as RepoScore).byCategory[c]))).padStart(13),
      ),
      `${violated}/${negatives}`.padStart(9),
      `${hand}→${analyzer} ${lineError(hand, analyzer)}`.padStart(21),
    ].join(" "),
  );
  out.push("");
  out.push("category     positives  found  recall  same category  same kind");
  for (const c of CATEGORIES) {
    const t = addTallies(scored.map((r) => (r.score as RepoScore).byCategory[c]));
    out.push(
      `${c.padEnd(12)} ${String(t.positives).padStart(9)} ${String(t.found).padStart(6)} ${pct(t.found, t.positives).padStart(7)} ${pct(t.sameCategory, t.positives).padStart(14)} ${pct(t.sameKind, t.positives).padStart(10)}`,
    );
  }
  out.push(
    `${"all".padEnd(12)} ${String(total.positives).padStart(9)} ${String(total.found).padStart(6)} ${pct(total.found, total.positives).padStart(7)} ${pct(total.sameCategory, total.positives).padStart(14)} ${pct(total.sameKind, total.positives).padStart(10)}`,
  );
  out.push(`negatives violated: ${violated}/${negatives} (${pct(violated, negatives)})`);
  const unreached = scored.reduce((n, r) => n + (r.score as RepoScore).unreached.length, 0);
  if (unreached > 0)
    out.push(
      `labels not scored: ${unreached} in files the analyzer did not read (out of scope, excluded or skipped — listed by --details); fix the label file's scope or excluded entries if they were meant to count`,
    );
  const found = scored.flatMap((r) =>
    (r.score as RepoScore).lines.perPositive.filter((p) => p.found),
  );
  const foundHand = found.reduce((n, p) => n + p.hand, 0);
  const foundAnalyzer = found.reduce((n, p) => n + p.analyzer, 0);
  out.push(
    `eliminable lines: ${hand}→${analyzer} ${lineError(hand, analyzer)} over every hand-counted positive (a miss counts 0); ${foundHand}→${foundAnalyzer} ${lineError(foundHand, foundAnalyzer)} over the ${found.length} a finding was attributed to`,
  );
  out.push(
    "lines by category (hand → analyzer): every hand-counted positive; those a finding was attributed to",
  );
  const counted = scored.flatMap((r) => (r.score as RepoScore).lines.perPositive);
  for (const c of CATEGORIES) {
    const all = counted.filter((p) => p.category === c);
    const hit = all.filter((p) => p.found);
    const sum = (list: typeof all, key: "hand" | "analyzer"): number =>
      list.reduce((n, p) => n + p[key], 0);
    out.push(
      `  ${c.padEnd(12)} ${String(all.length).padStart(4)}: ${sum(all, "hand")}→${sum(all, "analyzer")} ${lineError(sum(all, "hand"), sum(all, "analyzer"))}; ${String(hit.length).padStart(4)} attributed: ${sum(hit, "hand")}→${sum(hit, "analyzer")} ${lineError(sum(hit, "hand"), sum(hit, "analyzer"))}`,
    );
  }
  const unlabelled = scored.reduce((n, r) => n + (r.score as RepoScore).unlabelled, 0);
  out.push(
    `findings overlapping no label: ${unlabelled} (not wrong until read: judge a --sample for precision)`,
  );
  return out.join("\n");
}

function describe(p: Positive): string {
  return `${p.id} ${p.path}:${p.start}-${p.end} ${p.category}/${p.kind}`;
}

function details(runs: readonly RepoRun[], all: readonly RepoLabels[]): string {
  const out: string[] = [];
  for (const r of runs) {
    const s = r.score;
    const labels = all.find((l) => l.repo === r.repo);
    if (s === undefined || labels === undefined) continue;
    out.push(`\n## ${r.repo}`);
    for (const p of s.missed) out.push(`  missed     ${describe(p)} — ${p.note}`);
    for (const w of s.wrongKind)
      out.push(`  other kind ${describe(w.positive)} ← ${w.kinds.join(", ")}`);
    for (const id of s.violated) {
      const n = labels.negatives.find((x) => x.id === id);
      const by = (r.findings ?? [])
        .filter(
          (f) =>
            n !== undefined && f.file === n.path && f.startLine <= n.end && n.start <= f.endLine,
        )
        .map((f) => `${f.kind} ${f.startLine}-${f.endLine}`);
      out.push(
        `  violated   ${id} ${n?.path ?? ""}:${n?.start ?? ""}-${n?.end ?? ""} (${n?.looksLike ?? ""}) ← ${by.join(", ")}`,
      );
    }
    for (const u of s.unreached) out.push(`  unreached  ${u}`);
    for (const a of s.lines.perPositive)
      out.push(`  lines      ${a.id} ${a.kind} hand ${a.hand} → analyzer ${a.analyzer}`);
  }
  return out.join("\n");
}

/**
 * Every hand-counted positive a finding was attributed to, the largest gap first: its hand count,
 * the analyzer's lines, and the findings behind them (`range n`: the finding's range in lines;
 * `fix removes n`: what `fix` removes in place, for a finding it rewrites), then overlapping
 * findings counted elsewhere.
 */
function lineListing(runs: readonly RepoRun[]): string {
  const rows = runs.flatMap((r) =>
    (r.score?.lines.perPositive ?? []).filter((p) => p.found).map((p) => ({ run: r, p })),
  );
  rows.sort(
    (a, b) =>
      Math.abs(b.p.analyzer - b.p.hand) - Math.abs(a.p.analyzer - a.p.hand) ||
      a.p.id.localeCompare(b.p.id),
  );
  const describeFinding = (run: RepoRun, f: ScoredFinding): string => {
    const full = (run.findings ?? []).find(
      (x) =>
        x.file === f.file &&
        x.startLine === f.startLine &&
        x.endLine === f.endLine &&
        x.kind === f.kind,
    );
    const fix = full?.fixRemovesLines === undefined ? "" : ` (fix removes ${full.fixRemovesLines})`;
    return `${f.category}/${f.kind} ${f.startLine}-${f.endLine} (range ${f.endLine - f.startLine + 1}) → ${f.eliminableLines}${fix}`;
  };
  const out = [
    `\nEliminable lines per attributed hand-counted positive (${rows.length}), largest gap first:`,
  ];
  for (const { run, p } of rows) {
    const gap = p.analyzer - p.hand;
    out.push(
      `${(gap >= 0 ? `+${gap}` : String(gap)).padStart(5)}  ${run.repo} ${p.id} ${p.category}/${p.kind} ${p.path}:${p.start}-${p.end} (label ${p.end - p.start + 1}) hand ${p.hand} → analyzer ${p.analyzer}`,
    );
    for (const f of p.findings) out.push(`         ← ${describeFinding(run, f)}`);
    for (const f of p.elsewhere)
      out.push(`         ~ ${describeFinding(run, f)} (counted elsewhere)`);
  }
  return out.join("\n");
}

function labelOf(labels: RepoLabels, f: AnalyzerFinding): string {
  const hits = [...labels.positives, ...labels.negatives].filter(
    (l) => l.path === f.file && f.startLine <= l.end && l.start <= f.endLine,
  );
  if (hits.length === 0) return "unlabelled";
  return hits
    .map((l) =>
      "kind" in l ? `positive ${l.id} (${l.kind})` : `NEGATIVE ${l.id} (${l.looksLike})`,
    )
    .join(", ");
}

function sample(
  runs: readonly RepoRun[],
  all: readonly RepoLabels[],
  n: number,
  seed: number,
  showCode: boolean,
  blind: boolean,
): string {
  const pool = runs.flatMap((r) => (r.findings ?? []).map((f) => ({ run: r, f })));
  const next = random(seed);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as (typeof pool)[number], pool[i] as (typeof pool)[number]];
  }
  const out = [
    `\nSample of ${Math.min(n, pool.length)} of ${pool.length} findings (seed ${seed}):`,
  ];
  pool.slice(0, n).forEach(({ run, f }, i) => {
    const labels = all.find((l) => l.repo === run.repo) as RepoLabels;
    out.push(
      `\n${i + 1}. ${run.repo} ${f.file}:${f.startLine}-${f.endLine} ${f.category}/${f.kind} (${Math.round(f.confidence * 100)} %, ${f.eliminableLines} eliminable)${blind ? "" : ` [${labelOf(labels, f)}]`}`,
    );
    for (const e of f.evidence) out.push(`     - ${e}`);
    if (showCode && run.root !== undefined) {
      const text = readFileSync(join(run.root, f.file), "utf8").split("\n");
      for (let line = f.startLine; line <= f.endLine && line <= text.length; line++)
        out.push(`     ${String(line).padStart(5)}| ${text[line - 1] ?? ""}`);
    }
  });
  return out.join("\n");
}

const scoreCommand = defineCommand({
  name: "",
  summary:
    "Runs the analyzer on the labelled real-code corpus and prints recall per repository and category, the negative violation rate, eliminable lines against the hand counts, findings and time.",
  usage: [
    "[--checkouts dir] [--cache dir] [--split tuning|held-out|all] [--repo owner/name]… [--json] [--details] [--lines] [--sample n --seed s [--show-code] [--blind]]",
  ],
  maxArguments: 0,
  flags: {
    checkouts: {
      type: "string",
      value: "dir",
      description:
        "folder of checkouts or bare mirrors (<owner>+<name>/repo, <owner>+<name> or <name>)\n(default $PERFLAYER_CORPUS_CHECKOUTS)",
    },
    cache: {
      type: "string",
      value: "dir",
      description:
        "where trees are extracted at the pinned commit\n(default $PERFLAYER_CORPUS_CACHE or <tmp>/perflayer-corpus-cache)",
    },
    split: { type: "string", value: "s", description: "tuning (default), held-out or all" },
    repo: {
      type: "string",
      multiple: true,
      value: "o/n",
      description: "only this repository (repeatable)",
    },
    json: { type: "boolean", description: "the scores as JSON" },
    lines: {
      type: "boolean",
      description:
        "also list every hand-counted positive a finding was attributed to: hand count,\nanalyzer lines and the findings behind them, largest gap first",
    },
    details: {
      type: "boolean",
      description: "also list missed positives, kind disagreements and violated negatives",
    },
    sample: {
      type: "string",
      value: "n",
      description:
        "print a seeded sample of n findings (file:range, kind, evidence, label match)\nfor a person to judge precision",
    },
    seed: { type: "string", value: "s", description: "the sample's seed (default 1)" },
    "show-code": {
      type: "boolean",
      description: "print each sampled finding's lines from the extracted tree",
    },
    blind: {
      type: "boolean",
      description:
        "leave out each sampled finding's label match (for a judge who must not see labels)",
    },
  },
  async run({ values }, io) {
    const checkouts = values.checkouts ?? io.env["PERFLAYER_CORPUS_CHECKOUTS"];
    if (checkouts === undefined)
      throw new PerflayerConfigError(
        "ERR_USAGE",
        "Expected a folder of checkouts or mirrors. Pass e.g. --checkouts /work/.mirror or set PERFLAYER_CORPUS_CHECKOUTS.",
      );
    const cacheDir = resolve(
      io.cwd,
      values.cache ?? io.env["PERFLAYER_CORPUS_CACHE"] ?? join(tmpdir(), "perflayer-corpus-cache"),
    );
    const split = oneOf("split", values.split ?? "tuning", ["tuning", "held-out", "all"] as const);
    const sampleSize = values.sample === undefined ? 0 : Number(values.sample);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(sampleSize) || sampleSize < 0 || !Number.isInteger(seed))
      throw new PerflayerConfigError(
        "ERR_USAGE",
        `Expected --sample and --seed to be integers, got \`${String(values.sample)}\` and \`${String(values.seed)}\`. Pass e.g. --sample 60 --seed 7.`,
      );
    const all = loadLabels(join(here, "labels"));
    const wanted = values.repo ?? [];
    for (const repo of wanted)
      if (!all.some((l) => l.repo === repo))
        throw new PerflayerConfigError(
          "ERR_USAGE",
          `Expected --repo to name a labelled repository, got \`${repo}\`. Pass e.g. --repo ${all[0]?.repo ?? "owner/name"}.`,
        );
    const chosen = all.filter(
      (l) =>
        (split === "all" || l.split === split) && (wanted.length === 0 || wanted.includes(l.repo)),
    );
    const runs: RepoRun[] = [];
    for (const labels of chosen) {
      if (io.stderr.isTTY === true) io.stderr.write(`scoring ${labels.repo}…\n`);
      runs.push(await scoreOne(labels, resolve(io.cwd, checkouts), cacheDir));
    }
    const unreachable = runs.filter((r) => !r.reachable);
    if (values.json === true) {
      io.stdout.write(
        `${JSON.stringify(
          runs.map(({ findings, root: _root, ...r }) => ({ ...r, findingCount: findings?.length })),
          null,
          2,
        )}\n`,
      );
      return EXIT.ok;
    }
    const out = [
      `corpus:score — split ${split}, ${runs.length - unreachable.length} of ${runs.length} repositories reached (node ${process.version})`,
      "",
      table(runs),
    ];
    if (unreachable.length > 0) {
      out.push("", `NOT SCORED — ${unreachable.length} repositories could not be reached:`);
      for (const r of unreachable) out.push(`  ${r.repo}: ${r.reason ?? "unknown"}`);
    }
    if (values.details === true) out.push(details(runs, all));
    if (values.lines === true) out.push(lineListing(runs));
    if (sampleSize > 0)
      out.push(
        sample(runs, all, sampleSize, seed, values["show-code"] === true, values.blind === true),
      );
    io.stdout.write(`${out.join("\n")}\n`);
    return EXIT.ok;
  },
});

/**
 * The script: flags → scores → printed table, JSON, details or sample.
 * @param argv - arguments after the script name
 * @param io - streams and environment
 * @returns the exit code
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runCli(
    {
      name: "corpus:score",
      version: packageVersion(import.meta.url),
      summary: scoreCommand.summary,
      commands: [scoreCommand],
      footer: "Exit codes: 0 scored, 2 usage or internal error.",
    },
    argv.filter((a) => a !== "--"),
    io,
  );
}

process.exitCode = await run(process.argv.slice(2), processIo());
