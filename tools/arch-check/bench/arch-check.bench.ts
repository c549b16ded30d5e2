// arch-check vs dependency-cruiser 17.4 on the same real sources (effect@3.17.7 + rxjs@7.8.2, fetched
// with `npm pack` into a cache folder outside git), with equivalent rules: no runtime cycles.
// Run: pnpm --filter @perflayer/arch-check bench
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = process.env["PERFLAYER_BENCH_CACHE"] ?? join(tmpdir(), "perflayer-bench-cache");
const PACKAGES = ["effect@3.17.7", "rxjs@7.8.2"];

mkdirSync(cacheDir, { recursive: true });
const workspace = join(cacheDir, "arch-workspace");
rmSync(workspace, { recursive: true, force: true });
mkdirSync(join(workspace, "packages"), { recursive: true });
for (const spec of PACKAGES) {
  const folder = join(cacheDir, spec.replace("@", "-"));
  if (!existsSync(join(folder, "package", "src"))) {
    mkdirSync(folder, { recursive: true });
    const tarball = execFileSync("npm", ["pack", spec, "--silent", "--pack-destination", folder], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop() as string;
    execFileSync("tar", ["xzf", join(folder, tarball), "-C", folder]);
  }
  symlinkSync(join(folder, "package"), join(workspace, "packages", spec.split("@")[0] as string));
}
writeFileSync(join(workspace, "package.json"), JSON.stringify({ name: "bench", private: true }));
writeFileSync(join(workspace, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
writeFileSync(
  join(workspace, "perflayer.arch.json"),
  JSON.stringify({
    elements: [
      { name: "effect", packages: ["effect"], allow: [] },
      { name: "rxjs", packages: ["rxjs"], allow: [] },
    ],
    cycles: { runtime: "error", typeOnly: "off" },
    unusedDependencies: false,
  }),
);
writeFileSync(
  join(workspace, ".dependency-cruiser.cjs"),
  `module.exports = { forbidden: [{ name: "no-circular", severity: "error", from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } } }], options: { tsPreCompilationDeps: true, doNotFollow: { path: "node_modules" } } };\n`,
);

function time(command: string, args: string[]): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: workspace, encoding: "utf8", maxBuffer: 1 << 28 });
  return { ms: performance.now() - start, stdout: result.stdout };
}

const arch = join(here, "..", "bin", "arch-check.js");
rmSync(join(workspace, ".perflayer-cache"), { recursive: true, force: true });
const cold = time(process.execPath, [arch, "--format", "json"]);
const warm = time(process.execPath, [arch, "--format", "json"]);
const report = JSON.parse(cold.stdout) as {
  stats: { files: number; imports: number };
  cycles: { nodes: string[] }[];
};
const depcruise = join(here, "..", "node_modules", ".bin", "depcruise");
const dc = time(depcruise, [
  "--config",
  ".dependency-cruiser.cjs",
  "--output-type",
  "json",
  "packages/effect/src",
  "packages/rxjs/src",
]);
let dcViolations = Number.NaN;
let dcModules = Number.NaN;
let dcCyclic = new Set<string>();
try {
  const out = JSON.parse(dc.stdout) as {
    summary: { violations: { from: string }[]; totalCruised: number };
  };
  dcViolations = out.summary.violations.length;
  dcModules = out.summary.totalCruised;
  dcCyclic = new Set(out.summary.violations.map((v) => v.from.replace(/^.*?\/package\/src\//, "")));
} catch {
  // reported as NaN
}
const ours = new Set(
  report.cycles
    .flatMap((c) => c.nodes)
    .filter((n) => !n.startsWith("pkg:"))
    .map((n) => n.replace(/^packages\/[^/]+\/src\//, "")),
);
const same = [...ours].filter((n) => dcCyclic.has(n)).length;
const cycleModules = report.cycles.reduce((sum, c) => sum + c.nodes.length, 0);
console.log(
  `\narch-check vs dependency-cruiser 17.4.3 on ${PACKAGES.join(" + ")} sources — node ${process.version}\n`,
);
console.log("| tool | time | files/modules | cycle findings |");
console.log("|---|---:|---:|---:|");
console.log(
  `| arch-check cold | ${(cold.ms / 1000).toFixed(2)} s | ${report.stats.files} files, ${report.stats.imports} imports | ${report.cycles.length} strongly connected components (${cycleModules} modules) |`,
);
console.log(`| arch-check warm (content-hash cache) | ${(warm.ms / 1000).toFixed(2)} s | — | — |`);
console.log(
  `| dependency-cruiser cold | ${(dc.ms / 1000).toFixed(2)} s | ${dcModules} modules | ${dcViolations} violations (one per module on a cycle) |`,
);
console.log(`\nratio arch-check cold / dependency-cruiser cold: ${(cold.ms / dc.ms).toFixed(2)}×`);
console.log(
  `modules on runtime cycles: arch-check ${ours.size}, dependency-cruiser ${dcCyclic.size}, in both ${same}`,
);
