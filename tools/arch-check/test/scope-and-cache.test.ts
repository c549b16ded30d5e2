import { utimesSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "@perflayer/arch-check";
import { memoryIo } from "@perflayer/toolkit";
import { checkSrc, tempTree } from "./temp-tree.ts";

/** A repository without workspaces: src with a cycle, and a large test folder beside it. */
function repository() {
  const tree = tempTree("arch-scope-");
  tree.write("package.json", JSON.stringify({ name: "orm" }));
  tree.write(
    "perflayer.arch.json",
    JSON.stringify({
      elements: [{ name: "orm", paths: ["src/**"], allow: [] }],
      unusedDependencies: false,
    }),
  );
  tree.write("src/index.ts", 'export { Entity } from "./entity";\n');
  tree.write(
    "src/entity/index.ts",
    'import { Column } from "../column";\nexport class Entity { c = Column; }\n',
  );
  tree.write(
    "src/column/index.ts",
    'import { Entity } from "../entity";\nexport class Column { e = Entity; }\n',
  );
  for (let i = 0; i < 5; i++)
    tree.write(
      `test/case${i}.test.ts`,
      'import { Entity } from "../src";\nimport "undeclared-helper";\n',
    );
  return tree;
}

describe("scope", () => {
  it("checks only the paths given, with the config and tsconfig of --root", async () => {
    const { dir } = repository();
    const scoped = memoryIo(join(dir, "src"));
    expect(await run(["--root", dir, ".", "--format", "json", "--no-cache"], scoped)).toBe(1);
    const report = JSON.parse(scoped.out()) as {
      scope: string[];
      files: { file: string }[];
      findings: { ruleId: string }[];
    };
    expect(report.scope).toEqual(["src"]);
    expect(report.files.map((f) => f.file).sort()).toEqual([
      "src/column/index.ts",
      "src/entity/index.ts",
      "src/index.ts",
    ]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(["arch/cycle"]);
    // The whole repository also sees the tests' undeclared import.
    const all = memoryIo(dir);
    await run(["--format", "json", "--no-cache"], all);
    expect((JSON.parse(all.out()) as { files: unknown[] }).files).toHaveLength(8);
  });

  it("resolves directory imports to their index file, so the cycle through them is found", () => {
    const { dir } = repository();
    const report = checkSrc(dir, { paths: ["src"] });
    expect(report.cycles.map((c) => c.nodes)).toEqual([
      ["src/column/index.ts", "src/entity/index.ts"],
    ]);
    expect(report.stats.unresolved).toBe(0);
  });

  it("says plainly when a path to check does not exist", async () => {
    const { dir } = repository();
    const io = memoryIo(dir);
    expect(await run(["srcc"], io)).toBe(2);
    expect(io.err()).toContain("Expected the paths to check to exist, got `srcc`");
  });
});

describe("warm runs", () => {
  it("re-read only files that changed: size and mtime first, then the content hash", () => {
    const { dir, write } = repository();
    const check = () => checkSrc(dir, { paths: ["src"], cacheDir: undefined });
    expect(check().stats.cachedFiles).toBe(0);
    expect(check().stats.cachedFiles).toBe(3);
    // Touched but unchanged: recognised by its hash.
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, "src/index.ts"), later, later);
    expect(check().stats.cachedFiles).toBe(3);
    // Changed: read again, and the change is seen.
    write("src/column/index.ts", "export class Column {}\n");
    const changed = check();
    expect(changed.stats.cachedFiles).toBe(2);
    expect(changed.cycles).toEqual([]);
  });
});
