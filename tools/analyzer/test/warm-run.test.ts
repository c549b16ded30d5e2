import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { runBin } from "@perflayer/toolkit";
import { analyze } from "../src/index.js";
import type { AnalysisReport } from "../src/index.js";

const BIN = join(import.meta.dirname, "..", "bin", "perflayer-analyze.js");
const REPORT_LOADED = pathToFileURL(
  join(import.meta.dirname, "__fixtures__", "warm-run", "report-loaded-parser.mjs"),
).href;

describe("perflayer-analyze: a warm run", () => {
  it("serves every file from the cache without loading TypeScript or ts-morph, with the same findings", async () => {
    const dir = mkdtempSync(join(tmpdir(), "analyze-warm-"));
    mkdirSync(join(dir, "src"));
    // A TTL cache: a finding `fix` rewrites, so the warm run reads the cached fix prediction too.
    writeFileSync(
      join(dir, "src", "cache.js"),
      "const cache = new Map();\nexport function get(k, load) {\n  const hit = cache.get(k);\n  if (hit && hit.expires > Date.now()) return hit.value;\n  const value = load(k);\n  cache.set(k, { value, expires: Date.now() + 1000 });\n  return value;\n}\n",
    );
    writeFileSync(join(dir, "package.json"), '{ "name": "warm" }\n');
    const cacheDir = join(dir, "cache");
    // The cold run parses (in this process: the child below then only reads the cache).
    const cold = await analyze({ root: dir, cacheDir });
    expect(cold.findings.map((f) => f.kind)).toEqual(["ttl-cache"]);

    const warm = await runBin(BIN, [".", "--cache-dir", cacheDir, "--json"], {
      cwd: dir,
      execArgv: [...inject("sourceExecArgv"), "--import", REPORT_LOADED],
    });
    expect(warm.code).toBe(0);
    expect(warm.stderr).toContain("(0 parsed, 1 from cache)");
    expect(warm.stderr).toContain("parser modules loaded: []\n");
    const report = JSON.parse(warm.stdout) as AnalysisReport;
    expect(report.findings).toEqual(cold.findings);
  }, 600_000);
});
