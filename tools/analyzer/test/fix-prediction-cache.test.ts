// The findings `fix` rewrites carry what its rewrite removes (`fixRemovesLines`, beside the lines a
// migration deletes); a warm run with the same files and findings reads that prediction from the
// cache instead of planning again.
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
    // A migration deletes the helper, which exists for the race (six lines); fix writes one call in
    // place of the race's four: 3 fewer (the file's new import line is fix's setup, charged to its
    // summary, not to the finding).
    expect(race?.eliminableLines).toBe(6);
    expect(race?.fixRemovesLines).toBe(3);
    // fix's total charges that import line once: 3 − 1, what the file loses; the report's
    // eliminable lines stay the migration's.
    expect(cold.summary).toMatchObject({
      eliminableLines: 6,
      fixSetupLines: 1,
      fixRemovesLines: 2,
    });
    expect(cold.summary.byCategory.response.eliminableLines).toBe(6);
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
    expect(warm.findings[0]).toMatchObject({ eliminableLines: 6, fixRemovesLines: 42 });
    expect(warm.summary).toMatchObject({
      eliminableLines: 6,
      fixSetupLines: 5,
      fixRemovesLines: 37,
    });
    // A prediction kept without its setup (an older cache) is planned again, then kept anew.
    writeFileSync(kept(root), JSON.stringify({ key: stored.key, removed: planted }));
    expect((await analyze({ root })).summary).toMatchObject({
      eliminableLines: 6,
      fixSetupLines: 1,
      fixRemovesLines: 2,
    });
    writeFileSync(
      kept(root),
      JSON.stringify({ key: stored.key, removed: planted, setup: { response: 5 } }),
    );
    // Another file of the project changes: the findings' files did not, the prediction stands.
    writeFileSync(join(root, "src/other.ts"), "export const other = 1;\n");
    expect((await analyze({ root })).findings[0]?.fixRemovesLines).toBe(42);
    // The finding's file changes: planned again.
    writeFileSync(join(root, "src/slow.ts"), `// bounded work\n${RACE}`);
    expect((await analyze({ root })).findings[0]?.fixRemovesLines).toBe(3);
    // Without a cache, nothing is read.
    writeFileSync(
      kept(root),
      JSON.stringify({ key: stored.key, removed: planted, setup: { response: 5 } }),
    );
    expect((await analyze({ root, cacheDir: false })).findings[0]?.fixRemovesLines).toBe(3);
  });
});
