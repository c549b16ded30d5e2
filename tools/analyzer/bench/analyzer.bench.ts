// The analyzer at repository scale, side by side with jscpd 4.3.0 in the same run (fresh processes,
// rounds interleaved so machine load hits both alike):
//
// 1. a real repository with a generated docs folder: ethers-io/ethers.js at a pinned commit of its
//    v5 line, whose docs/ holds generated API sites (Sphinx builds of v3 and v4 with vendored
//    jQuery and underscore, the v5 site) and whose packages commit their compiled output
//    (lib/, lib.esm/ with sourceMappingURL comments) — `perflayer-analyze .` at its root, as a new
//    user would run it: cold (empty cache) with the default threads and with one thread per core
//    (`--jobs <cores>`), warm (nothing changed), warm after editing one file;
// 2. effect@3.17.7 + rxjs@7.8.2 sources (npm pack): throughput on ~250k hand-written lines.
//
// jscpd runs on exactly the source files perflayer grouped clones over (and, once per round, on
// the whole checkout as `jscpd .` would). Peak RSS comes from GNU time.
//
// Run: pnpm --filter @perflayer/analyzer bench   (PERFLAYER_BENCH_ROUNDS=3 by default)
// The checkout is cloned into the bench cache when missing (git with network), or point
// PERFLAYER_BENCH_REPO at a checkout of the pinned commit.
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { walkFiles } from "@perflayer/toolkit";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "..", "bin", "perflayer-analyze.js");
const jscpdBin = join(here, "..", "node_modules", ".bin", "jscpd");
// Outside the repository: jscpd honours .gitignore and would skip sources under an ignored folder.
const cacheDir = process.env["PERFLAYER_BENCH_CACHE"] ?? join(tmpdir(), "perflayer-bench-cache");
const rounds = Number(process.env["PERFLAYER_BENCH_ROUNDS"] ?? 3);
const REPOSITORY = {
  url: "https://github.com/ethers-io/ethers.js",
  commit: "608864fc3f00390e1260048a157af00378a98e41",
  edited: "packages/providers/src.ts/url-json-rpc-provider.ts",
};
const PACKAGES = ["effect@3.17.7", "rxjs@7.8.2"];

function checkout(): string {
  const folder = process.env["PERFLAYER_BENCH_REPO"] ?? join(cacheDir, "ethers.js-608864f");
  if (!existsSync(folder)) {
    console.error(`cloning ${REPOSITORY.url} at ${REPOSITORY.commit} into ${folder}…`);
    execFileSync("git", [
      "clone",
      "--quiet",
      "--filter=blob:none",
      "--no-checkout",
      REPOSITORY.url,
      folder,
    ]);
    execFileSync("git", ["-C", folder, "checkout", "--quiet", REPOSITORY.commit]);
  }
  const head = execFileSync("git", ["-C", folder, "rev-parse", "HEAD"], {
    encoding: "utf8",
  }).trim();
  if (head !== REPOSITORY.commit)
    throw new Error(
      `${folder} is at ${head}; check out ${REPOSITORY.commit} (the figures are for it).`,
    );
  return folder;
}

function packedSources(): string[] {
  mkdirSync(cacheDir, { recursive: true });
  return PACKAGES.map((spec) => {
    const folder = join(cacheDir, spec.replace("@", "-"));
    if (!existsSync(join(folder, "package", "src"))) {
      mkdirSync(folder, { recursive: true });
      const tarball = execFileSync(
        "npm",
        ["pack", spec, "--silent", "--pack-destination", folder],
        {
          encoding: "utf8",
        },
      )
        .trim()
        .split("\n")
        .pop() as string;
      execFileSync("tar", ["xzf", join(folder, tarball), "-C", folder]);
    }
    return join(folder, "package", "src");
  });
}

interface Run {
  readonly ms: number;
  /** User + system CPU time: on a machine shared with other work, closer to a quiet run's wall time. */
  readonly cpuMs: number;
  /** The main thread's share of it (NaN when not measured: jscpd, or no /proc). */
  readonly mainCpuMs: number;
  readonly rssMb: number;
  readonly stdout: string;
}

// Loaded into each perflayer process (`--import`): at exit it prints the main thread's CPU time
// (Linux /proc, in clock ticks). On an idle machine with two cores a cold run lasts about
// max(main thread, whole process / 2): V8 compiles and collects garbage on other threads, which
// the second core absorbs — so the main thread's time is what a change to the per-file pass must
// cut, and unlike wall time it barely moves with the machine's load.
const MAIN_THREAD_CPU = `data:text/javascript,${encodeURIComponent(
  `import { readFileSync } from "node:fs";
process.on("exit", () => {
  try {
    const f = readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1].split(" ");
    process.stderr.write("perflayer-bench main-thread-ticks " + (Number(f[11]) + Number(f[12])) + "\\n");
  } catch {}
});`,
)}`;
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Runs a command in a fresh process: wall time from here, CPU time and peak RSS from GNU time. */
function timed(command: string, args: readonly string[], cwd: string): Run {
  const start = performance.now();
  const result = spawnSync("/usr/bin/time", ["-f", "%M %U %S", command, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 29,
  });
  const ms = performance.now() - start;
  const [rssKb, user, system] = (result.stderr.trim().split("\n").pop() ?? "")
    .split(" ")
    .map(Number);
  if (result.status !== 0 && command !== jscpdBin)
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}`);
  const ticks = /perflayer-bench main-thread-ticks (\d+)/.exec(result.stderr)?.[1];
  return {
    ms,
    cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000,
    mainCpuMs: ticks === undefined ? Number.NaN : (Number(ticks) / ticksPerSecond) * 1000,
    rssMb: (rssKb ?? Number.NaN) / 1024,
    stdout: result.stdout,
  };
}

interface Report {
  summary: {
    files: number;
    testFiles: number;
    linesScanned: number;
    findings: number;
    cloneClasses: number;
  };
  skipped: { relativePath: string; code: string }[];
  timings: {
    ms: number;
    parsedFiles: number;
    cachedFiles: number;
    cachedCrossFile: boolean;
    threads: number;
  };
}

function analyse(
  cwd: string,
  paths: readonly string[],
  cache: string,
  extra: readonly string[] = [],
): { run: Run; report: Report } {
  const run = timed(
    process.execPath,
    [
      "--import",
      MAIN_THREAD_CPU,
      bin,
      ...paths,
      "--format",
      "json",
      "--quiet",
      "--cache-dir",
      cache,
      ...extra,
    ],
    cwd,
  );
  return { run, report: JSON.parse(run.stdout) as Report };
}

function jscpd(
  cwd: string,
  paths: readonly string[],
  formats: string,
): { run: Run; clones: number } {
  const out = mkdtempSync(join(tmpdir(), "jscpd-report-"));
  const run = timed(
    jscpdBin,
    [
      ...paths,
      "--silent",
      "--reporters",
      "json",
      "--output",
      out,
      "--format",
      formats,
      "--min-tokens",
      "60",
      "--min-lines",
      "6",
      "--max-size",
      "1mb",
      "--max-lines",
      "1000000",
    ],
    cwd,
  );
  let clones = Number.NaN;
  try {
    clones = (
      JSON.parse(readFileSync(join(out, "jscpd-report.json"), "utf8")) as { duplicates: unknown[] }
    ).duplicates.length;
  } catch {
    // no report: NaN
  }
  rmSync(out, { recursive: true, force: true });
  return { run, clones };
}

/** Lines of every TS/JS file under a folder (the repository's size before anything is skipped). */
function repositoryLines(root: string): { files: number; lines: number } {
  let files = 0;
  let lines = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === ".git" || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.[mc]?[jt]sx?$/.test(entry.name)) {
        files++;
        lines += readFileSync(path, "utf8").split("\n").length;
      }
    }
  };
  visit(root);
  return { files, lines };
}

const COLD = "perflayer cold (empty cache)";
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const spread = (xs: number[], digits = 2, unit = " s", scale = 1 / 1000): string =>
  `${(median(xs) * scale).toFixed(digits)}${unit} (${(Math.min(...xs) * scale).toFixed(digits)}–${(Math.max(...xs) * scale).toFixed(digits)})`;
const mb = (xs: number[]): string => `${Math.round(Math.max(...xs))} MB`;

function corpus(
  name: string,
  cwd: string,
  paths: readonly string[],
  formats: string,
  edit?: string,
): void {
  const rows = new Map<
    string,
    { ms: number[]; cpu: number[]; mainCpu: number[]; inRun: number[]; rss: number[]; note: string }
  >();
  const add = (row: string, run: Run, inRun: number, note = ""): void => {
    const r = rows.get(row) ?? { ms: [], cpu: [], mainCpu: [], inRun: [], rss: [], note };
    r.ms.push(run.ms);
    r.cpu.push(run.cpuMs);
    r.mainCpu.push(run.mainCpuMs);
    r.inRun.push(inRun);
    r.rss.push(run.rssMb);
    r.note = note || r.note;
    rows.set(row, r);
  };
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  let last: Report | undefined;
  let sourceFiles: string[] = [];
  let jscpdClones = Number.NaN;
  let jscpdAllClones = Number.NaN;
  const threadRatios: number[] = [];
  const cores = availableParallelism();
  for (let round = 0; round < rounds; round++) {
    const cache = mkdtempSync(join(tmpdir(), "perflayer-bench-run-"));
    const cold = analyse(cwd, paths, cache);
    last = cold.report;
    add(COLD, cold.run, cold.report.timings.ms, `${cold.report.timings.threads} thread(s)`);
    // One thread per core, alternating with the default, so load hits both alike.
    const coresCache = mkdtempSync(join(tmpdir(), "perflayer-bench-run-"));
    const perCore = analyse(cwd, paths, coresCache, ["--jobs", String(cores)]);
    rmSync(coresCache, { recursive: true, force: true });
    add(
      `perflayer cold, \`--jobs ${cores}\` (one thread per core)`,
      perCore.run,
      perCore.report.timings.ms,
      `${perCore.report.timings.threads} thread(s)`,
    );
    threadRatios.push(perCore.run.ms / cold.run.ms);
    const strip = (r: Report): string => JSON.stringify({ ...r, timings: undefined });
    if (strip(perCore.report) !== strip(cold.report))
      throw new Error("the report of the run on one thread per core differs from the default's");
    const warm = analyse(cwd, paths, cache);
    if (warm.report.timings.parsedFiles !== 0 || !warm.report.timings.cachedCrossFile)
      throw new Error(`the warm run re-did work: ${JSON.stringify(warm.report.timings)}`);
    add("perflayer warm (nothing changed)", warm.run, warm.report.timings.ms);
    if (edit !== undefined) {
      const original = readFileSync(join(cwd, edit));
      try {
        writeFileSync(
          join(cwd, edit),
          Buffer.concat([original, Buffer.from(`\n// bench edit ${round}\n`)]),
        );
        const edited = analyse(cwd, paths, cache);
        add(
          "perflayer warm, one file edited",
          edited.run,
          edited.report.timings.ms,
          `${edited.report.timings.parsedFiles} parsed`,
        );
      } finally {
        writeFileSync(join(cwd, edit), original);
      }
    }
    rmSync(cache, { recursive: true, force: true });
    if (sourceFiles.length === 0) {
      // Exactly the source files perflayer grouped clones over: walked, not skipped, not tests.
      const skipped = new Set(cold.report.skipped.map((s) => s.relativePath));
      sourceFiles = paths.flatMap((p) =>
        walkFiles({ root: join(cwd, p), base: cwd })
          .files.filter((f) => f.kind === "source" && !skipped.has(f.relativePath))
          .map((f) => f.relativePath),
      );
    }
    const same = jscpd(cwd, sourceFiles, formats);
    jscpdClones = same.clones;
    add("jscpd 4.3.0 on the same source files (clones only)", same.run, Number.NaN);
    ratios.push(cold.run.ms / same.run.ms);
    cpuRatios.push(cold.run.cpuMs / same.run.cpuMs);
    if (edit !== undefined && round === 0) {
      // Once: it takes minutes (jscpd has no notion of generated code).
      const all = jscpd(cwd, ["."], formats);
      jscpdAllClones = all.clones;
      add("jscpd 4.3.0 on the whole checkout (`jscpd .`)", all.run, Number.NaN);
    }
  }
  const report = last as Report;
  const size = paths
    .map((p) => repositoryLines(join(cwd, p)))
    .reduce((a, b) => ({ files: a.files + b.files, lines: a.lines + b.lines }));
  const byCode = new Map<string, number>();
  for (const s of report.skipped) byCode.set(s.code, (byCode.get(s.code) ?? 0) + 1);
  const cold = rows.get(COLD) as { ms: number[]; cpu: number[]; mainCpu: number[] };
  const perCore = rows.get(
    `perflayer cold, \`--jobs ${availableParallelism()}\` (one thread per core)`,
  ) as {
    ms: number[];
    cpu: number[];
  };
  // Per cold run: the wall time it would take on an idle 2-core machine, estimated from its
  // threads' CPU times (see MAIN_THREAD_CPU).
  const idle2 = cold.mainCpu.map((main, i) => Math.max(main, (cold.cpu[i] as number) / 2));
  const per300k = (ms: number[], lines: number): string =>
    `${((median(ms) / 1000) * (300_000 / lines)).toFixed(1)} s`;
  console.log(`\n### ${name}\n`);
  console.log(
    `${size.files} TS/JS files, ${size.lines.toLocaleString("en-US")} lines in the checkout; perflayer analysed ${report.summary.files} source + ${report.summary.testFiles} test files (${report.summary.linesScanned.toLocaleString("en-US")} source lines) and skipped ${report.skipped.length} (${[...byCode].map(([c, n]) => `${n} ${c}`).join(", ")}); ${report.summary.findings} findings, ${report.summary.cloneClasses} clone classes; jscpd: ${jscpdClones} clones on the same files${Number.isNaN(jscpdAllClones) ? "" : `, ${jscpdAllClones} on the whole checkout`}. ${rounds} rounds, node ${process.version}.\n`,
  );
  console.log(
    "| run | wall time, median (min–max) | CPU time (user + sys) | main thread's CPU time | `analyze()` time | peak RSS | |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---|");
  for (const [row, r] of rows)
    console.log(
      `| ${row} | ${spread(r.ms)} | ${spread(r.cpu)} | ${r.mainCpu.some(Number.isNaN) ? "—" : spread(r.mainCpu)} | ${r.inRun.some(Number.isNaN) ? "—" : spread(r.inRun)} | ${mb(r.rss)} | ${r.note} |`,
    );
  console.log(
    `\nperflayer cold / jscpd (same files), paired per round: wall ${spread(ratios, 2, "×", 1)}, CPU ${spread(cpuRatios, 2, "×", 1)}; one thread per core / default, paired: wall ${spread(threadRatios, 2, "×", 1)}. Cold per 300k lines (median wall / CPU), default: ${per300k(cold.ms, report.summary.linesScanned)} / ${per300k(cold.cpu, report.summary.linesScanned)} of analysed source lines, ${per300k(cold.ms, size.lines)} / ${per300k(cold.cpu, size.lines)} of checkout lines; \`--jobs ${availableParallelism()}\`: ${per300k(perCore.ms, report.summary.linesScanned)} / ${per300k(perCore.cpu, report.summary.linesScanned)} of analysed source lines.`,
  );
  if (!idle2.some(Number.isNaN))
    console.log(
      `\nCold, default, estimated for an idle 2-core machine (max(main thread's CPU, CPU / 2) per run; wall time decides on a quiet machine): ${spread(idle2)}, per 300k analysed source lines ${per300k(idle2, report.summary.linesScanned)}.`,
    );
}

console.log(
  `perflayer-analyze bench — load average at start: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
const repository = checkout();
corpus(
  `${REPOSITORY.url.replace("https://github.com/", "")} @ ${REPOSITORY.commit.slice(0, 7)} — \`perflayer-analyze .\``,
  repository,
  ["."],
  "typescript,javascript",
  REPOSITORY.edited,
);
corpus(
  `${PACKAGES.join(" + ")} sources`,
  cacheDir,
  packedSources().map((p) => relative(cacheDir, p)),
  "typescript",
);
console.log(
  `\nload average at end: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
