// The eliminable lines of the findings `fix` rewrites are what its rewrite removes; a warm run with
// the same files and findings reads that prediction from the cache instead of planning again.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "@perflayer/analyzer";
import { tree } from "./fixture-tree.ts";

const RACE = `export function bounded(work: Promise<number>): Promise<number> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("slow")), 500)),
  ]);
}
`;

const kept = (root: string): string =>
  join(root, "node_modules", ".cache", "perflayer", "fix", "fix-prediction.json");

describe("the fix prediction in analyze()", () => {
  it("keeps the prediction, serves a warm run from it, and predicts again when a file changes", async () => {
    const root = tree({ ".git/HEAD": "x", "src/slow.ts": RACE, "src/other.ts": "export {};\n" });
    const cold = await analyze({ root });
    const [race] = cold.findings;
    expect(race).toMatchObject({ kind: "timeout-race", file: "src/slow.ts" });
    // Four lines of race become one call: 3 fewer (the file's new import line is fix's setup,
    // charged to its summary, not to the finding).
    expect(race?.eliminableLines).toBe(3);
    // The report's total charges that import line once: 3 − 1, what the file loses.
    expect(cold.summary).toMatchObject({ eliminableLines: 2, fixSetupLines: 1 });
    // The categories carry it too (the file's under its finding's): they add up to the total.
    expect(cold.summary.byCategory.response.eliminableLines).toBe(2);
    const stored = JSON.parse(readFileSync(kept(root), "utf8")) as {
      key: string;
      removed: Record<string, number>;
      setup: Record<string, number>;
    };
    expect(Object.values(stored.removed)).toEqual([3]);
    expect(stored.setup).toEqual({ response: 1 });
    // A warm run reads what was kept: values planted there are what the report shows.
    const planted = Object.fromEntries(Object.keys(stored.removed).map((k) => [k, 42]));
    writeFileSync(
      kept(root),
      JSON.stringify({ key: stored.key, removed: planted, setup: { response: 5 } }),
    );
    const warm = await analyze({ root });
    expect(warm.findings[0]?.eliminableLines).toBe(42);
    expect(warm.summary).toMatchObject({ eliminableLines: 37, fixSetupLines: 5 });
    // A prediction kept without its setup (an older cache) is planned again, then kept anew.
    writeFileSync(kept(root), JSON.stringify({ key: stored.key, removed: planted }));
    expect((await analyze({ root })).summary).toMatchObject({
      eliminableLines: 2,
      fixSetupLines: 1,
    });
    writeFileSync(
      kept(root),
      JSON.stringify({ key: stored.key, removed: planted, setup: { response: 5 } }),
    );
    // Another file of the project changes: the findings' files did not, the prediction stands.
    writeFileSync(join(root, "src/other.ts"), "export const other = 1;\n");
    expect((await analyze({ root })).findings[0]?.eliminableLines).toBe(42);
    // The finding's file changes: planned again.
    writeFileSync(join(root, "src/slow.ts"), `// bounded work\n${RACE}`);
    expect((await analyze({ root })).findings[0]?.eliminableLines).toBe(3);
    // Without a cache, nothing is read.
    writeFileSync(
      kept(root),
      JSON.stringify({ key: stored.key, removed: planted, setup: { response: 5 } }),
    );
    expect((await analyze({ root, cacheDir: false })).findings[0]?.eliminableLines).toBe(3);
  });
});
