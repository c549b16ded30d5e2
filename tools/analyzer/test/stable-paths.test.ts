import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findProjectRoot, run } from "@perflayer/analyzer";
import { memoryIo } from "@perflayer/toolkit";
import { TTL, tree } from "./fixture-tree.ts";

interface Report {
  root: string;
  paths: string[];
  findings: { file: string; fingerprint: string }[];
}

async function scan(cwd: string, args: string[]): Promise<Report> {
  const cli = memoryIo(cwd);
  expect(await run([...args, "--format", "json", "--quiet"], cli)).toBe(0);
  return JSON.parse(cli.out()) as Report;
}

describe("paths relative to the project root", () => {
  it(
    "P0 «paths relative to the project root»: scanning . and src gives identical paths and fingerprints for the same findings",
    { tags: ["p0"] },
    async () => {
      const root = tree({
        ".git/HEAD": "ref: refs/heads/main\n",
        "src/cmap/connect.ts": TTL,
        "README.md": "x",
      });
      const whole = await scan(root, ["."]);
      const src = await scan(root, ["src"]);
      const fromInside = await scan(join(root, "src", "cmap"), ["."]);
      expect(whole.findings.map((f) => f.file)).toEqual(["src/cmap/connect.ts"]);
      expect(src.findings).toEqual(whole.findings);
      expect(fromInside.findings).toEqual(whole.findings);
      expect([whole.paths, src.paths, fromInside.paths]).toEqual([["."], ["src"], ["src/cmap"]]);
      expect(src.root).toBe(root);
    },
  );

  it("takes --root as the project root", async () => {
    const root = tree({ ".git/HEAD": "x", "packages/a/src/cache.ts": TTL });
    const report = await scan(root, ["packages/a/src", "--root", "packages/a", "--no-cache"]);
    expect(report.findings.map((f) => f.file)).toEqual(["src/cache.ts"]);
    const cli = memoryIo(root);
    expect(await run(["packages/a", "--root", "packages/a/src"], cli)).toBe(2);
    expect(cli.err()).toContain("Expected every path inside the root");
  });

  it("keeps its cache in node_modules/.cache/perflayer of the root, or in --cache-dir", async () => {
    const root = tree({ ".git/HEAD": "x", "src/cache.ts": TTL });
    await scan(root, ["src"]);
    expect(
      existsSync(join(root, "node_modules", ".cache", "perflayer", "analyzer", "index.json")),
    ).toBe(true);
    expect(existsSync(join(root, "src", ".perflayer-cache"))).toBe(false);
    const elsewhere = mkdtempSync(join(tmpdir(), "perflayer-cache-dir-"));
    await scan(root, ["src", "--cache-dir", elsewhere]);
    expect(existsSync(join(elsewhere, "analyzer", "index.json"))).toBe(true);
  });
});

describe("findProjectRoot", () => {
  it("finds the nearest .git folder or file (worktrees, submodules)", () => {
    const root = tree({ ".git": "gitdir: /elsewhere\n", "a/b/c.ts": "" });
    expect(findProjectRoot(join(root, "a", "b", "c.ts"))).toBe(root);
  });

  it("stops at a workspace root above a package with its own package.json", () => {
    const root = tree({
      "pnpm-workspace.yaml": "packages: ['packages/*']\n",
      "packages/core/package.json": "{}",
      "packages/core/src/x.ts": "",
    });
    expect(findProjectRoot(join(root, "packages", "core", "src"))).toBe(root);
    const npm = tree({
      "package.json": JSON.stringify({ workspaces: ["pkg/*"] }),
      "pkg/a/package.json": "{}",
    });
    expect(findProjectRoot(join(npm, "pkg", "a"))).toBe(npm);
  });

  it("falls back to the nearest package.json, then to the folder itself", () => {
    const app = tree({ "package.json": "{}", "src/x.ts": "" });
    expect(findProjectRoot(join(app, "src"))).toBe(app);
    const bare = tree({ "src/x.ts": "" });
    expect(findProjectRoot(join(bare, "src"))).toBe(join(bare, "src"));
  });
});
