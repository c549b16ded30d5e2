// `fix --write` on a scratch copy of examples/legacy-service (the example in the repo is never
// touched): the findings fix supports are migrated, tsc is clean, and the example's own contract
// tests pass against the rewritten service; predicted vs actual lines are reported.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { memoryIo } from "@perflayer/toolkit";
import { analyze, run } from "@perflayer/analyzer";
import { WORKSPACE, scratchProject } from "./fix-scratch.js";

const LEGACY = join(WORKSPACE, "examples", "legacy-service");
const NODE_BIN = (name: string, bin: string): string =>
  JSON.stringify(join(WORKSPACE, "node_modules", name, bin));

it("migrates the legacy service's timeout, retry, request timer and promise-cache store: tsc clean, its contract tests pass, lines reported", async () => {
  const root = scratchProject(
    {
      "vitest.config.mjs": [
        'import { defineConfig } from "vitest/config";',
        'const conditions = ["@perflayer/source", "node", "import", "module", "default"];',
        'export default defineConfig({ resolve: { conditions }, ssr: { resolve: { conditions } }, test: { include: ["test/**/*.test.ts"] } });',
        "",
      ].join("\n"),
    },
    { src: join(LEGACY, "src"), test: join(LEGACY, "test") },
  );
  writeFileSync(join(root, "package.json"), readFileSync(join(LEGACY, "package.json")));
  // The analyzer's own report predicts, for the findings fix rewrites, what fix then removes
  // (`fixRemovesLines`, beside the lines a migration deletes).
  const before = await analyze({ root, cacheDir: false });
  const rewritten = [
    "src/resilience.ts:3",
    "src/resilience.ts:12",
    "src/server.ts:97",
    "src/cache.ts:47",
  ];
  const predicted = before.findings
    .filter((f) => rewritten.includes(`${f.file}:${f.startLine}`))
    .reduce((sum, f) => sum + (f.fixRemovesLines ?? 0), 0);
  const io = memoryIo(root);
  const test = `node ${NODE_BIN("vitest", "vitest.mjs")} run --config vitest.config.mjs`;
  const code = await run(["fix", ".", "--write", "--test", test], io);
  const out = io.out();
  expect({ code, err: io.err() }).toEqual({ code: 0, err: "" });
  // Per finding, what its rewrite removes in place (never below 0); the new imports and the shared
  // module are setup, charged to the summary.
  expect(out).toContain(
    "src/resilience.ts:3-10 timeout-race → withTimeout(work, ms): 5 line(s) removed (predicted 5)",
  );
  expect(out).toContain(
    "src/resilience.ts:12-24 retry-poll → retry(fn, { attempts, backoff, retryOn }): 5 line(s) removed (predicted 5)",
  );
  expect(out).toContain(
    "src/server.ts:97-115 timer-delta → monitor.startTimer(name): 0 line(s) removed (predicted 0)",
  );
  // The promise cache keeps its code (and its rejections): only its Map becomes a named cache.
  expect(out).toContain(
    "src/cache.ts:47-56 memoize → caches.cache(name) in place of the Map: 0 line(s) removed (predicted 0)",
  );
  expect(out).toMatch(/7 finding\(s\) of the kinds fix rewrites \(.*\): 4 rewritten, 3 left alone/);
  // The other caches there are a TTL class and a memo made per call of a factory, whose `has` test
  // keeps an `undefined` result (memoizeLocal would compute it again).
  expect(out).toContain(
    "src/cache.ts:38-42 memoize: left alone: the value `result` may be `undefined` (no written type or literal says otherwise)",
  );
  expect(out).toMatch(
    /written: 4 file\(s\) \(src\/cache\.ts, src\/resilience\.ts, src\/server\.ts, src\/perflayer\.ts\)\n.*exited 0\nlines: 3 removed vs 3 predicted \(\+0\.0 %\); net of 7 line\(s\) of setup \(new imports, the shared module\) charged to no finding/,
  );
  expect(readFileSync(join(root, "src", "server.ts"), "utf8")).toContain(
    "recordDuration(route, stopHandleTimer() * 1000);",
  );
  const written = /\nlines: (-?\d+) removed vs.*net of (\d+) line/.exec(
    out.slice(out.indexOf("written:")),
  );
  const removed = Number(written?.[1]);
  // The report's figures (10) less the setup fix charges to its summary (7: three files' imports,
  // the shared module's four lines) predict what the files lose.
  expect(predicted).toBe(10);
  const setup = Number(written?.[2]);
  expect(setup).toBe(7);
  // The report's fix total already charges that setup: the figure a user reads is what fix removes.
  expect(before.summary.fixSetupLines).toBe(setup);
  expect(before.summary.fixRemovesLines).toBe(predicted - setup);
  // Its eliminable lines stay what a migration deletes: at least what fix removes in place.
  expect(before.summary.eliminableLines).toBe(
    before.findings.reduce((sum, f) => sum + f.eliminableLines, 0),
  );
  for (const f of before.findings)
    expect(f.eliminableLines).toBeGreaterThanOrEqual(f.fixRemovesLines ?? 0);
  const predictedNet = predicted - setup;
  expect(readFileSync(join(root, "src", "cache.ts"), "utf8")).toContain(
    'const inflight = caches.cache<string, Promise<unknown>>("src.cache:inflight");',
  );
  expect(Math.abs(removed - predictedNet)).toBeLessThanOrEqual(Math.abs(predictedNet) * 0.05);
  const resilience = readFileSync(join(root, "src", "resilience.ts"), "utf8");
  expect(resilience).not.toMatch(/Promise\.race\(|for \(/);
  expect(readFileSync(join(LEGACY, "src", "resilience.ts"), "utf8")).toMatch(/Promise\.race/);
  const tsc = spawnSync(
    process.execPath,
    [join(WORKSPACE, "node_modules", "typescript", "bin", "tsc"), "-p", root],
    {
      encoding: "utf8",
    },
  );
  expect({ status: tsc.status, output: tsc.stdout + tsc.stderr }).toEqual({
    status: 0,
    output: "",
  });
}, 300_000);
