import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "@perflayer/analyzer";
import type { AnalysisReport } from "@perflayer/analyzer";
import { TTL, handler, tree } from "./fixture-tree.ts";

function project(): string {
  return tree({
    ".git/HEAD": "x",
    "src/cache.ts": TTL,
    "src/a.ts": handler("same"),
    "src/b.ts": handler("same"),
    "lib/c.ts": "export const c = 1;\n",
  });
}

const options = { clones: { minTokens: 40, minLines: 6 } } as const;
const cacheFolder = (root: string): string =>
  join(root, "node_modules", ".cache", "perflayer", "analyzer");

function comparable(report: AnalysisReport): unknown {
  return { findings: report.findings, clones: report.clones, skipped: report.skipped };
}

describe("the analysis cache", () => {
  it(
    "P0 «a warm run re-does only what changed»: serves a warm run without parsing a file or recomputing cross-file results",
    { tags: ["p0"] },
    async () => {
      const root = project();
      const cold = await analyze({ root, ...options });
      expect(cold.timings).toMatchObject({
        parsedFiles: 4,
        cachedFiles: 0,
        cachedCrossFile: false,
      });
      const warm = await analyze({ root, ...options });
      expect(warm.timings).toMatchObject({ parsedFiles: 0, cachedFiles: 4, cachedCrossFile: true });
      expect(comparable(warm)).toEqual(comparable(cold));
      expect(cold.clones).toHaveLength(1);
      expect(cold.findings[0]?.risk.callSites).toBe(warm.findings[0]?.risk.callSites);
    },
  );

  it("re-does only what changed: one edited file is parsed and the clones follow it", async () => {
    const root = project();
    await analyze({ root, ...options });
    writeFileSync(join(root, "src", "b.ts"), "export const b = 2;\n");
    const edited = await analyze({ root, ...options });
    expect(edited.timings).toMatchObject({
      parsedFiles: 1,
      cachedFiles: 3,
      cachedCrossFile: false,
    });
    expect(edited.clones).toEqual([]);
  });

  it("keeps what it knows of files outside a narrower scan", async () => {
    const root = project();
    await analyze({ root, ...options });
    const narrow = await analyze({ root, paths: [join(root, "src")], ...options });
    expect(narrow.timings.parsedFiles).toBe(0);
    const whole = await analyze({ root, ...options });
    expect(whole.timings).toMatchObject({ parsedFiles: 0, cachedCrossFile: true });
  });

  it("recovers when another run removed its token pack, and when its index is corrupt", async () => {
    const root = project();
    const cold = await analyze({ root, ...options });
    for (const name of readdirSync(cacheFolder(root)))
      if (name.endsWith(".bin")) rmSync(join(cacheFolder(root), name));
    const other = await analyze({ root, ...options, clones: { minTokens: 41, minLines: 6 } });
    expect(other.clones).toHaveLength(1);
    writeFileSync(join(cacheFolder(root), "index.json"), "{ not json");
    const rebuilt = await analyze({ root, ...options });
    expect(rebuilt.timings.parsedFiles).toBe(4);
    expect(comparable(rebuilt)).toEqual(comparable(cold));
  });

  it("remembers files left out for their content, without reading them again", async () => {
    const root = project();
    writeFileSync(join(root, "src", "gen.ts"), `// @generated\n${TTL}`);
    const cold = await analyze({ root, ...options });
    expect(cold.skipped).toEqual([
      {
        relativePath: "src/gen.ts",
        code: "generated",
        reason: "generated (header: // @generated)",
      },
    ]);
    const warm = await analyze({ root, ...options });
    expect(warm.skipped).toEqual(cold.skipped);
    expect(warm.timings.parsedFiles).toBe(0);
  });
});
