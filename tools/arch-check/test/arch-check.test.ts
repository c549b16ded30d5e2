import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PerflayerConfigError } from "@perflayer/core";
import {
  checkArchitecture,
  extractImports,
  findCycles,
  loadConfig,
  run,
  validateConfig,
} from "@perflayer/arch-check";
import { memoryIo } from "@perflayer/toolkit";
import { tempTree } from "./temp-tree.ts";

const fixture = join(import.meta.dirname, "__fixtures__", "violations");

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), "arch-"));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

describe("checkArchitecture on a fixture with one violation of each rule", () => {
  const report = checkArchitecture({
    root: fixture,
    config: loadConfig(join(fixture, "perflayer.arch.json")),
    cacheDir: false,
  });
  const rules = (id: string): string[] =>
    report.findings.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.startLine}`);

  it.each([
    ["arch/layer", ["packages/app/src/index.ts:3"]],
    ["arch/exclusive-owner", ["packages/app/package.json:1", "packages/app/src/index.ts:1"]],
    ["arch/deep-import", ["packages/app/src/index.ts:2"]],
    ["arch/relative-cross-package", ["packages/app/src/index.ts:4"]],
    ["arch/forbidden-import", ["packages/app/src/index.ts:5"]],
    ["arch/undeclared-dependency", ["packages/app/src/index.ts:3", "packages/app/src/index.ts:5"]],
    ["arch/unused-dependency", ["packages/cache/package.json:1"]],
    ["arch/required-file", ["packages/cache/package.json:1"]],
    ["arch/public-api", ["packages/app/src/index.ts:6", "packages/core/src/index.ts:1"]],
  ])("%s", (rule, where) => {
    expect(rules(rule)).toEqual(where);
  });

  it("reports a runtime cycle once, as a strongly connected component with a cut, and a type-only cycle apart", () => {
    expect(report.cycles).toHaveLength(1);
    expect(report.cycles[0]?.nodes).toEqual(["packages/core/src/a.ts", "packages/core/src/b.ts"]);
    expect(report.cycles[0]?.cut).toHaveLength(1);
    expect(rules("arch/cycle")).toHaveLength(1);
    // The type-only edges b ⇄ c widen the tangle: reported apart, as a warning.
    expect(report.typeOnlyCycles.map((c) => c.nodes)).toEqual([
      ["packages/core/src/a.ts", "packages/core/src/b.ts", "packages/core/src/c.ts"],
    ]);
    expect(report.findings.find((f) => f.ruleId === "arch/cycle-type-only")?.severity).toBe(
      "warning",
    );
  });

  it("lists actual element dependencies, declared or not", () => {
    expect(report.edges).toEqual([
      { from: "app", to: "cache", imports: 1, declared: false },
      { from: "app", to: "core", imports: 2, declared: true },
      { from: "cache", to: "core", imports: 1, declared: true },
    ]);
  });
});

describe("imports and graphs", () => {
  it("extracts imports with lines and tells type-only ones apart", () => {
    const refs = extractImports(
      'import { a } from "./a.js";\nimport type { T } from "./t.js";\nexport type { U } from "./u.js";\nconst m = await import("./lazy.js");\nexport { b } from "b";\n',
    );
    expect(refs.map((r) => `${r.line}:${r.specifier}:${r.typeOnly}`)).toEqual([
      "1:./a.js:false",
      "2:./t.js:true",
      "3:./u.js:true",
      "4:./lazy.js:false",
      "5:b:false",
    ]);
  });

  it("finds strongly connected components and a cut that breaks them", () => {
    const edges = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a", "d"])],
      ["d", new Set(["d"])],
      ["e", new Set(["a"])],
    ]);
    const cycles = findCycles(edges);
    expect(cycles.map((c) => c.nodes)).toEqual([["a", "b", "c"], ["d"]]);
    const cut = new Set(cycles[0]?.cut.map((e) => `${e.from}>${e.to}`));
    const remaining = new Map(
      [...edges].map(([k, v]) => [k, new Set([...v].filter((t) => !cut.has(`${k}>${t}`)))]),
    );
    expect(findCycles(remaining).filter((c) => c.nodes.length > 1)).toEqual([]);
  });
});

describe("config validation", () => {
  it("reports one problem per mistake with its JSON path", () => {
    let message = "";
    try {
      validateConfig(
        {
          elements: [
            { name: "a", packages: ["x"], allow: ["ghost"], colour: "red" },
            { name: "a", paths: ["[bad"], allow: [] },
          ],
          owners: [{ module: "m", onlyFrom: ["nobody"] }],
          extra: 1,
        },
        "arch.json",
      );
    } catch (error) {
      expect(error).toBeInstanceOf(PerflayerConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain("$.extra: unknown key");
    expect(message).toContain("$.elements[0].colour: unknown key");
    expect(message).toContain('$.elements[0].allow[0]: unknown element "ghost"');
    expect(message).toContain('$.elements[1].name: "a" is defined twice');
    expect(message).toContain('$.owners[0].onlyFrom[0]: unknown element or package "nobody"');
    expect(message).toContain("$.owners[0].reason: required");
  });
});

describe("arch-check CLI", () => {
  it(
    "P0 «exit 0 clean / 1 violations»: exits 1 on violations, 0 against a baseline of them, and 1 again for a new one",
    { tags: ["p0"] },
    async () => {
      const dir = copy();
      const first = memoryIo(dir);
      expect(await run(["--no-cache"], first)).toBe(1);
      expect(first.out()).toContain("arch/layer");
      expect(
        await run(["--format", "json", "--out", "baseline.json", "--no-cache"], memoryIo(dir)),
      ).toBe(1);
      expect(await run(["--baseline", "baseline.json", "--no-cache"], memoryIo(dir))).toBe(0);
      writeFileSync(join(dir, "packages/cache/src/extra.ts"), 'import "@fx/app";\n');
      expect(await run(["--baseline", "baseline.json", "--no-cache"], memoryIo(dir))).toBe(1);
    },
  );

  it("writes PROJECT_STRUCTURE.md with a Mermaid graph and detects when it is stale", async () => {
    const dir = copy();
    expect(await run(["doc", "--no-cache"], memoryIo(dir))).toBe(0);
    const doc = readFileSync(join(dir, "PROJECT_STRUCTURE.md"), "utf8");
    expect(doc).toContain("```mermaid");
    expect(doc).toContain('app -. "1 undeclared" .-> cache');
    expect(doc).toContain("one cache implementation");
    expect(await run(["doc", "--check", "--no-cache"], memoryIo(dir))).toBe(0);
    writeFileSync(join(dir, "PROJECT_STRUCTURE.md"), `${doc}\nedited by hand\n`);
    const stale = memoryIo(dir);
    expect(await run(["doc", "--check", "--no-cache"], stale)).toBe(1);
    expect(stale.err()).toContain("is stale");
  });

  it("explains a file's edges and the rules that apply", async () => {
    const cli = memoryIo(fixture);
    expect(await run(["explain", "packages/app/src/index.ts", "--no-cache"], cli)).toBe(0);
    expect(cli.out()).toContain("element app");
    expect(cli.out()).toContain(
      "@fx/cache → workspace packages/cache/src/index.ts [cache]  ✗ arch/undeclared-dependency, arch/layer",
    );
  });

  it(
    "P0 «SARIF and exit 2 on a bad config»: writes SARIF, and exits 2 on a bad config",
    { tags: ["p0"] },
    async () => {
      const cli = memoryIo(fixture);
      await run(["--format", "sarif", "--no-cache"], cli);
      expect(JSON.parse(cli.out())).toMatchObject({ version: "2.1.0" });
      const dir = copy();
      writeFileSync(join(dir, "perflayer.arch.json"), "{ not json");
      const bad = memoryIo(dir);
      expect(await run([], bad)).toBe(2);
      expect(bad.err()).toContain("ERR_CONFIG");
    },
  );
});

describe("tsconfig paths", () => {
  it("resolves path aliases to files, so aliased imports are neither undeclared nor missed in cycles", () => {
    const { dir, write } = tempTree("arch-paths-");
    write("package.json", JSON.stringify({ name: "root", private: true }));
    write("pnpm-workspace.yaml", "packages:\n  - packages/*\n");
    write("packages/app/package.json", JSON.stringify({ name: "app" }));
    write(
      "packages/app/tsconfig.json",
      '{\n  // comments are allowed\n  "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/*"] } }\n}\n',
    );
    write(
      "packages/app/src/index.ts",
      'import { util } from "@app/util";\nexport const app = util;\n',
    );
    write(
      "packages/app/src/util.ts",
      'import { app } from "@app/index";\nexport const util = () => app;\n',
    );
    const report = checkArchitecture({
      root: dir,
      config: validateConfig(
        { elements: [{ name: "app", packages: ["app"], allow: [] }] },
        "inline",
      ),
      cacheDir: false,
    });
    expect(report.findings.filter((f) => f.ruleId === "arch/undeclared-dependency")).toEqual([]);
    expect(report.cycles.map((c) => c.nodes)).toEqual([
      ["packages/app/src/index.ts", "packages/app/src/util.ts"],
    ]);
  });
});

describe("a repository without workspaces", () => {
  it("is checked as one package: path elements inside it are enforced", () => {
    const { dir, write } = tempTree("arch-single-");
    write("package.json", JSON.stringify({ name: "app", type: "module" }));
    write("src/db/db.js", "export const db = 1;\n");
    write("src/ui/page.js", "import { db } from '../db/db.js';\nexport const page = db;\n");
    const report = checkArchitecture({
      root: dir,
      config: validateConfig(
        {
          elements: [
            { name: "ui", paths: ["src/ui/**"], allow: [] },
            { name: "db", paths: ["src/db/**"], allow: [] },
          ],
        },
        "inline",
      ),
      cacheDir: false,
    });
    expect(report.files.map((f) => f.file).sort()).toEqual(["src/db/db.js", "src/ui/page.js"]);
    expect(report.findings.map((f) => [f.ruleId, f.file])).toEqual([
      ["arch/layer", "src/ui/page.js"],
    ]);
  });
});
