// `pnpm release:check`: what users get from a release, checked for real. Packs every public
// package, runs publint on each tarball, then installs each tarball ALONE (its workspace
// dependencies as tarballs too, everything else from the registry) into a fresh project with npm,
// imports it from an ESM script and exercises its main API (CLIs run `--help` and one real
// command), requires it from CommonJS, and checks that it carries the MIT LICENSE (pnpm packs the
// root's into each tarball) and that every source and declaration map resolves to a shipped file.
// The root README's "Use a package" example runs against the package it installs and must print
// the output the README shows. On success the tarballs are kept in `.tarballs/` (the README:
// trying the packages before they are published).
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { consumerExample } from "./consumer-example.ts";
import { checkPackageContents } from "./package-contents.ts";

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), "perflayer-release-"));
const tarballs = join(work, "tarballs");
mkdirSync(tarballs);
const sh = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

// What each package's smoke script does with its public API (plain ESM, as a user would write it).
const SMOKE: Record<string, string> = {
  "@perflayer/core": `
    import { ManualClock, PerflayerConfigError, assertNumber, estimateSize } from "@perflayer/core";
    const clock = new ManualClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 10);
    clock.advance(10);
    if (fired !== 1 || clock.now() !== 10) throw new Error("ManualClock did not fire");
    try { assertNumber(-1, { name: "x", context: "smoke", min: 0 }); throw new Error("no throw"); }
    catch (e) { if (!(e instanceof PerflayerConfigError)) throw e; }
    if (!(estimateSize("abc") > 0)) throw new Error("estimateSize");`,
  "@perflayer/cache": `
    import { CacheManager } from "@perflayer/cache";
    const caches = new CacheManager();
    const users = caches.cache("users", { max: 10, ttl: 1000 });
    let loads = 0;
    const all = await Promise.all([1, 2, 3].map(() => users.getOrLoad("a", async () => (loads++, 42))));
    if (loads !== 1 || all.some((v) => v !== 42)) throw new Error("single-flight");
    await caches.close();`,
  "@perflayer/cache-redis": `
    import { CacheManager } from "@perflayer/cache";
    import { RedisTier } from "@perflayer/cache-redis";
    // No Redis on this port: the tier says so, and every read is still answered (loader, then memory).
    const tier = new RedisTier({ url: "redis://127.0.0.1:1", namespace: "smoke" });
    if ((await tier.connect(500)) !== false) throw new Error("connected to nothing");
    const caches = new CacheManager({ defaults: { ttl: 60_000, secondTier: tier } });
    let loads = 0;
    const first = await caches.cache("users").getOrLoad("a", async () => (loads++, 42));
    const again = await caches.cache("users").getOrLoad("a", async () => (loads++, 0));
    if (first !== 42 || again !== 42 || loads !== 1) throw new Error(JSON.stringify({ first, again, loads }));
    await caches.close();
    await tier.close();`,
  "@perflayer/monitor": `
    import { PerformanceMonitor } from "@perflayer/monitor";
    const monitor = new PerformanceMonitor();
    const c = monitor.counter({ name: "smoke_total", help: "smoke", labelNames: ["k"] });
    c.bind({ k: "a" }).inc();
    const text = await monitor.metrics("prometheus");
    if (!/^smoke_total\\{k="a"\\} 1$/m.test(text)) throw new Error(text);
    await monitor.close();`,
  "@perflayer/monitor-otel": `
    import { PerformanceMonitor } from "@perflayer/monitor";
    import { PerflayerMetricProducer, otelName } from "@perflayer/monitor-otel";
    const monitor = new PerformanceMonitor();
    monitor.counter({ name: "smoke_jobs_total", help: "smoke" }).inc(2);
    const { resourceMetrics } = await new PerflayerMetricProducer(monitor).collect();
    const jobs = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === "smoke_jobs");
    if (jobs?.dataPoints[0]?.value !== 2) throw new Error(JSON.stringify(jobs));
    if (otelName("x_seconds", "histogram").unit !== "s") throw new Error("otelName");
    await monitor.close();`,
  "@perflayer/memory": `
    import { BufferPool, MemoryOptimizer } from "@perflayer/memory";
    const memory = new MemoryOptimizer({ budget: 512 * 1024 * 1024 });
    const pool = new BufferPool({ name: "smoke" });
    memory.register(pool);
    const b = pool.take(1000);
    pool.release(b);
    if (pool.take(1000).buffer !== b.buffer) throw new Error("BufferPool did not reuse");
    if (!["normal", "elevated", "high", "critical"].includes(memory.status().level)) throw new Error("level");
    await memory.close();`,
  "@perflayer/response": `
    import { ResponseOptimizer, retry } from "@perflayer/response";
    const responses = new ResponseOptimizer({ concurrency: 2 });
    const r = await Promise.all([1, 2, 3].map((i) => responses.run(async () => i * 2, { priority: "high" })));
    if (r.join() !== "2,4,6") throw new Error(r.join());
    let n = 0;
    if ((await retry(() => (++n < 2 ? Promise.reject(new Error("x")) : "ok"), { backoff: { initialMs: 1 } })) !== "ok") throw new Error("retry");
    await responses.close();`,
  "@perflayer/toolkit": `
    import { fingerprint, toSarif } from "@perflayer/toolkit";
    if (!/^[0-9a-f]{16}$/.test(fingerprint("r", "f", "code"))) throw new Error("fingerprint");
    if (typeof toSarif !== "function") throw new Error("toSarif");`,
  "@perflayer/analyzer": `
    import { writeFileSync, mkdirSync } from "node:fs";
    import { execFileSync } from "node:child_process";
    import { analyze } from "@perflayer/analyzer";
    mkdirSync("app", { recursive: true });
    writeFileSync("app/cache.js", "const cache = new Map();\\nexport function get(k, load) {\\n  const hit = cache.get(k);\\n  if (hit && hit.expires > Date.now()) return hit.value;\\n  const value = load(k);\\n  cache.set(k, { value, expires: Date.now() + 1000 });\\n  return value;\\n}\\n");
    const report = await analyze({ root: "app", cacheDir: false });
    if (report.summary.findings < 1) throw new Error("no finding");
    execFileSync("npx", ["perflayer-analyze", "--help"], { stdio: "ignore" });
    const json = JSON.parse(execFileSync("npx", ["perflayer-analyze", "app", "--format", "json", "--no-cache"], { encoding: "utf8" }));
    if (json.findings[0].category !== "caching") throw new Error("cli");`,
  "@perflayer/arch-check": `
    import { writeFileSync, mkdirSync } from "node:fs";
    import { execFileSync } from "node:child_process";
    mkdirSync("src/ui", { recursive: true }); mkdirSync("src/db", { recursive: true });
    writeFileSync("src/db/db.js", "export const db = 1;\\n");
    writeFileSync("src/ui/page.js", "import { db } from '../db/db.js';\\nexport const page = db;\\n");
    writeFileSync("perflayer.arch.json", JSON.stringify({ elements: [
      { name: "ui", paths: ["src/ui/**"], allow: [] },
      { name: "db", paths: ["src/db/**"], allow: [] } ] }));
    execFileSync("npx", ["arch-check", "--help"], { stdio: "ignore" });
    let code = 0;
    try { execFileSync("npx", ["arch-check", "--no-cache"], { stdio: "pipe" }); } catch (e) { code = e.status; }
    if (code !== 1) throw new Error("arch-check should report ui → db, exit " + code);`,
  "@perflayer/bench-gate": `
    import { execFileSync } from "node:child_process";
    import { decide } from "@perflayer/bench-gate";
    const base = Array.from({ length: 20 }, (_, i) => 10 + (i % 5) * 0.1);
    const v = decide(base, base.map((x) => x / 2), { threshold: 0.05 });
    if (v.kind !== "improvement") throw new Error(v.kind);
    execFileSync("npx", ["bench-gate", "--help"], { stdio: "ignore" });
    execFileSync("npx", ["bench-gate", "run", "--cmd", "noop=node -e 0", "--samples", "3", "--out", "r.json"], { stdio: "ignore" });
    execFileSync("npx", ["bench-gate", "compare", "--base", "r.json", "--head", "r.json"], { stdio: "ignore" });`,
};

const dirs = ["packages", "tools"].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(root, group, name))
    .filter((dir) => existsSync(join(dir, "package.json"))),
);
const manifests = new Map<string, { dir: string; manifest: Manifest; tarball: string }>();
for (const dir of dirs) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
  if (manifest.private === true) continue;
  // pnpm pack rewrites `workspace:*` to the real versions, as `pnpm publish` does.
  const out = sh("pnpm", ["pack", "--pack-destination", tarballs, "--json"], dir);
  const tarball = (JSON.parse(out) as { filename: string }).filename;
  manifests.set(manifest.name, { dir, manifest, tarball });
}
console.log(`packed ${manifests.size} packages into ${tarballs}`);

const failures: string[] = [];
const licence = readFileSync(join(root, "LICENSE"), "utf8");
if (!licence.startsWith("MIT License") || !licence.includes("perflayer contributors"))
  failures.push("LICENSE: expected the MIT licence of the perflayer contributors at the root");
for (const [name, { tarball }] of manifests) {
  try {
    sh("npx", ["publint", "run", tarball, "--strict"], root);
  } catch (error) {
    failures.push(`${name}: publint: ${String((error as { stdout?: string }).stdout ?? error)}`);
  }
}

/** The root README's "Use a package" example: what a newcomer copies first. */
const readmeExample = consumerExample(readFileSync(join(root, "README.md"), "utf8"));
if (readmeExample === undefined)
  failures.push('README.md: no `npm i`, ```js and ```text blocks under "## Use a package"');
else if (!manifests.has(readmeExample.install))
  failures.push(
    `README.md: "Use a package" installs ${readmeExample.install}, not a public package`,
  );

function workspaceClosure(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(manifests.get(name)?.manifest.dependencies ?? {}))
    if (manifests.has(dep)) workspaceClosure(dep, seen);
  return seen;
}

for (const [name] of manifests) {
  const smoke = SMOKE[name];
  if (smoke === undefined) {
    failures.push(`${name}: no smoke test in scripts/release-check.ts — add one`);
    continue;
  }
  const project = join(work, name.replace("/", "__"));
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "smoke", version: "1.0.0", private: true, type: "module" }),
  );
  const started = performance.now();
  try {
    const files = [...workspaceClosure(name)].map((n) => manifests.get(n)!.tarball);
    sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files], project);
    writeFileSync(join(project, "smoke.mjs"), smoke);
    sh(process.execPath, ["smoke.mjs"], project);
    // CommonJS consumers: require() of an ES module works from Node 20.19 / 22.12 (engines says so).
    if (process.features.require_module === true) {
      writeFileSync(
        join(project, "require.cjs"),
        `const api = require(${JSON.stringify(name)});\nif (Object.keys(api).length === 0) throw new Error("require() returned nothing");\n`,
      );
      sh(process.execPath, ["require.cjs"], project);
    }
    const contents = checkPackageContents(join(project, "node_modules", name), licence);
    failures.push(...contents.problems.map((problem) => `${name}: ${problem}`));
    const { maps } = contents;
    if (name === readmeExample?.install) {
      writeFileSync(join(project, "readme.mjs"), readmeExample.code);
      const printed = sh(process.execPath, ["readme.mjs"], project);
      if (printed !== readmeExample.output)
        failures.push(
          `README.md: the "Use a package" example printed ${printed}, not what it shows`,
        );
    }
    console.log(
      `ok   ${name} (installed alone, smoke test${process.features.require_module === true ? ", require()" : ""}, ${maps} maps resolve${name === readmeExample?.install ? ", README example" : ""}, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    failures.push(`${name}: ${e.stderr?.trim() || e.message}`);
    console.log(`FAIL ${name}`);
  }
}

if (failures.length > 0) {
  console.error(`\nrelease:check failed:\n${failures.map((f) => `- ${f}`).join("\n")}`);
  console.error(`(work left in ${work})`);
  process.exitCode = 1;
} else {
  const kept = join(root, ".tarballs");
  rmSync(kept, { recursive: true, force: true });
  cpSync(tarballs, kept, { recursive: true });
  rmSync(work, { recursive: true, force: true });
  console.log(
    `release:check: every public package packs with its LICENSE, passes publint, works installed alone (ESM and require()), and its maps resolve. Tarballs: ${relative(root, kept)}/`,
  );
}
