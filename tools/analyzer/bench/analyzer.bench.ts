// Scans a large real codebase (effect + rxjs TypeScript sources, pinned, fetched with `npm pack`
// into a cache folder outside git) cold and warm, and runs jscpd 4 on the same files in the same run.
// Run: pnpm --filter @perflayer/analyzer bench
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// Outside the repository: jscpd honours .gitignore and would skip sources under an ignored folder.
const cacheDir = process.env["PERFLAYER_BENCH_CACHE"] ?? join(tmpdir(), "perflayer-bench-cache");
const PACKAGES = ["effect@3.17.7", "rxjs@7.8.2"];

function fetchSources(): string[] {
  mkdirSync(cacheDir, { recursive: true });
  const roots: string[] = [];
  for (const spec of PACKAGES) {
    const folder = join(cacheDir, spec.replace("@", "-"));
    if (!existsSync(join(folder, "package", "src"))) {
      mkdirSync(folder, { recursive: true });
      const tarball = execFileSync(
        "npm",
        ["pack", spec, "--silent", "--pack-destination", folder],
        { encoding: "utf8" },
      )
        .trim()
        .split("\n")
        .pop() as string;
      execFileSync("tar", ["xzf", join(folder, tarball), "-C", folder]);
    }
    roots.push(join(folder, "package", "src"));
  }
  return roots;
}

interface Run {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly stdout: string;
}

/** Runs a command in a fresh process; wall time from here, peak RSS from GNU time when present. */
function timed(command: string, args: string[]): Run {
  const hasTime = existsSync("/usr/bin/time");
  const start = performance.now();
  const result = hasTime
    ? spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], {
        encoding: "utf8",
        maxBuffer: 1 << 28,
      })
    : spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  const rssKb = hasTime ? Number(result.stderr.trim().split("\n").pop()) : Number.NaN;
  return { ms, maxRssMb: rssKb / 1024, stdout: result.stdout };
}

const roots = fetchSources();
const bin = join(here, "..", "bin", "perflayer-analyze.js");
const workdir = join(cacheDir, "work");
rmSync(join(workdir, ".perflayer-cache"), { recursive: true, force: true });
mkdirSync(workdir, { recursive: true });
// Cold (no cache), then a first cached run to fill the cache, then a warm re-run.
const cold = timed(process.execPath, [bin, ...roots, "--format", "json", "--no-cache"]);
const report = JSON.parse(cold.stdout) as {
  summary: {
    files: number;
    linesScanned: number;
    findings: number;
    cloneClasses: number;
    cloneEliminableLines: number;
  };
  timings: { ms: number };
};
timed(process.execPath, [bin, ...roots, "--format", "json"]);
const warm = timed(process.execPath, [bin, ...roots, "--format", "json"]);
const warmReport = JSON.parse(warm.stdout) as { timings: { ms: number; cachedFiles: number } };

const jscpdBin = join(here, "..", "node_modules", ".bin", "jscpd");
const jscpdOut = join(cacheDir, "jscpd-report");
const jscpd = timed(jscpdBin, [
  ...roots,
  "--silent",
  "--reporters",
  "json",
  "--output",
  jscpdOut,
  "--format",
  "typescript",
  "--min-tokens",
  "60",
  "--min-lines",
  "6",
]);
let jscpdClones = Number.NaN;
try {
  const file = readdirSync(jscpdOut).find((f) => f.endsWith(".json"));
  if (file !== undefined)
    jscpdClones = (
      JSON.parse(
        execFileSync("cat", [join(jscpdOut, file)], { encoding: "utf8", maxBuffer: 1 << 28 }),
      ) as { duplicates: unknown[] }
    ).duplicates.length;
} catch {
  // jscpd's report missing: reported as NaN
}

const lines = report.summary.linesScanned;
console.log(
  `\nperflayer-analyze on ${PACKAGES.join(" + ")} sources: ${report.summary.files} files, ${lines.toLocaleString("en-US")} lines — node ${process.version}\n`,
);
console.log("| run | wall time | analyze() time | lines/s | peak RSS |");
console.log("|---|---:|---:|---:|---:|");
console.log(
  `| cold (no cache) | ${(cold.ms / 1000).toFixed(2)} s | ${(report.timings.ms / 1000).toFixed(2)} s | ${Math.round(lines / (report.timings.ms / 1000)).toLocaleString("en-US")} | ${cold.maxRssMb.toFixed(0)} MB |`,
);
console.log(
  `| warm (content-hash cache, ${warmReport.timings.cachedFiles} files reused) | ${(warm.ms / 1000).toFixed(2)} s | ${(warmReport.timings.ms / 1000).toFixed(2)} s | — | ${warm.maxRssMb.toFixed(0)} MB |`,
);
console.log(
  `| jscpd 4.3.0 (clones only, same files, min 60 tokens / 6 lines) | ${(jscpd.ms / 1000).toFixed(2)} s | — | ${Math.round(lines / (jscpd.ms / 1000)).toLocaleString("en-US")} | ${jscpd.maxRssMb.toFixed(0)} MB |`,
);
console.log(
  `\nperflayer: ${report.summary.findings} idiom findings, ${report.summary.cloneClasses} clone classes (${report.summary.cloneEliminableLines.toLocaleString("en-US")} lines in extra copies); jscpd: ${jscpdClones} clone pairs.`,
);
