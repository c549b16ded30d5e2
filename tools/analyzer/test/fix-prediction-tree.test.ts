// The fix prediction plans a TypeScript file on the tree the per-file pass parsed (on the same
// thread) instead of parsing it again; the plan is the one a fresh parse gives.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "@perflayer/analyzer";
import { walkFiles } from "@perflayer/toolkit";
import { examineFile } from "../src/examine-file.ts";
import type { KeptTree } from "../src/examine.ts";
import { planFindings } from "../src/fix/plan-findings.ts";
import { tree } from "./fixture-tree.ts";

const RACE = `export function bounded(work: Promise<number>): Promise<number> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("slow")), 500)),
  ]);
}
`;
const RACE_JS = `export function bounded(work) {
  return Promise.race([
    work,
    new Promise((_, reject) => setTimeout(() => reject(new Error("slow")), 500)),
  ]);
}
`;

describe("the fix prediction on the per-file pass's trees", () => {
  it("keeps TypeScript trees with a fixable finding and plans on them as on a fresh parse", async () => {
    const root = tree({
      ".git/HEAD": "x",
      "src/slow.ts": RACE,
      "src/slow-js.js": RACE_JS,
      "src/plain.ts": "export const plain = 1;\n",
    });
    const trees = new Map<string, KeptTree>();
    for (const file of walkFiles({ root: join(root, "src"), base: root }).files) {
      const examined = await examineFile(file, readFileSync(file.path), "hash", false);
      if (examined.tree !== undefined) trees.set(file.relativePath, examined.tree);
    }
    // JavaScript is parsed with its JSDoc types for the rewrites: its tree is not the pass's.
    expect([...trees.keys()]).toEqual(["src/slow.ts"]);
    const { findings } = await analyze({ root, cacheDir: false });
    expect(findings.map((f) => `${f.file}: ${f.kind}`).sort()).toEqual([
      "src/slow-js.js: timeout-race",
      "src/slow.ts: timeout-race",
    ]);
    const fresh = planFindings(root, findings);
    expect(fresh.fixes.map((f) => f.status)).toEqual(["rewrite", "rewrite"]);
    expect(planFindings(root, findings, undefined, trees)).toEqual(fresh);
    // The kept tree is the one planned on: it now bears the file's absolute path, as a parse here.
    expect(trees.get("src/slow.ts")?.sourceFile.fileName).toBe(join(root, "src/slow.ts"));
  });

  it("parses a file again when its text is no longer the text of the kept tree", async () => {
    const root = tree({ ".git/HEAD": "x", "src/slow.ts": RACE });
    const [file] = walkFiles({ root: join(root, "src"), base: root }).files;
    if (file === undefined) throw new Error("the fixture has one file");
    const stale = (await examineFile(file, Buffer.from(`// before\n${RACE}`), "hash", false)).tree;
    if (stale === undefined) throw new Error("a TypeScript race is kept");
    const { findings } = await analyze({ root, cacheDir: false });
    const planned = planFindings(root, findings, undefined, new Map([["src/slow.ts", stale]]));
    expect(planned).toEqual(planFindings(root, findings));
    expect(stale.sourceFile.fileName).toBe("src/slow.ts");
  });
});
