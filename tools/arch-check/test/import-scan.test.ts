import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { examineSource, extractImports } from "@perflayer/arch-check";

const repo = join(import.meta.dirname, "..", "..", "..");

/** The workspace's own TypeScript: real code in every style the project writes. */
function ownSources(): string[] {
  const out: string[] = [];
  for (const group of ["packages", "tools"])
    for (const pkg of readdirSync(join(repo, group)))
      for (const folder of ["src", "test", "bench"]) {
        const walk = (dir: string): void => {
          let entries;
          try {
            entries = readdirSync(dir, { withFileTypes: true });
          } catch {
            return;
          }
          for (const e of entries)
            if (e.isDirectory() && e.name !== "__fixtures__" && e.name !== "node_modules")
              walk(join(dir, e.name));
            else if (/\.[mc]?ts$/.test(e.name) && !e.name.endsWith(".d.ts"))
              out.push(join(dir, e.name));
        };
        walk(join(repo, group, pkg, folder));
      }
  return out;
}

describe("arch-check's import scanner", () => {
  it("finds the same modules as TypeScript's pre-processor in every source file of this repository", () => {
    const files = ownSources();
    expect(files.length).toBeGreaterThan(150);
    const mismatches: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      const ours = examineSource(bytes, file);
      if ("skip" in ours) {
        mismatches.push(`${file}: skipped (${ours.skip})`);
        continue;
      }
      const theirs = ts
        .preProcessFile(bytes.toString("utf8"), true, true)
        .importedFiles.map((r) => r.fileName);
      const a = [...new Set(ours.imports.map((i) => i.specifier))].sort().join(" ");
      const b = [...new Set(theirs)].sort().join(" ");
      if (a !== b) mismatches.push(`${file}: ours ${a}; tsc ${b}`);
    }
    expect(mismatches).toEqual([]);
  });

  it.each([
    [
      "regex after an operator",
      'const r = x.replace(/"import \'y\'"/g, "");\nimport "./a";',
      ["./a"],
    ],
    [
      "division after a non-null assertion",
      'const q = n! / 2;\nimport "./a";\nconst s = "/";',
      ["./a"],
    ],
    [
      "a template with a nested template",
      'const t = `${a ? `import "x"` : ""}`;\nexport { b } from "./b";',
      ["./b"],
    ],
    [
      "imports in comments and strings",
      '// import "./no"\n/* require("./no") */\nconst s = \'import "./no"\';\nimport "./yes";',
      ["./yes"],
    ],
    ["a shebang", '#!/usr/bin/env node\nimport "./cli.js";', ["./cli.js"]],
    [
      "import = require, export * as",
      'import fs = require("node:fs");\nexport * as ns from "./ns";',
      ["node:fs", "./ns"],
    ],
    [
      "a member named import or require",
      'obj.import("./no");\nmodule.require("./no");\nconst m = require("./yes");',
      ["./yes"],
    ],
  ])("%s", (_, code, specifiers) => {
    expect(extractImports(code).map((r) => r.specifier)).toEqual(specifiers);
  });

  it("marks dynamic imports and requires inside a try block as guarded", () => {
    const refs = extractImports(
      'try {\n  await import("a");\n} catch {}\nrequire("b");\ntry { require("c") } finally {}\n',
    );
    expect(refs.map((r) => `${r.specifier}:${r.kind}:${r.guarded === true}`)).toEqual([
      "a:dynamic:true",
      "b:require:false",
      "c:require:true",
    ]);
  });
});
