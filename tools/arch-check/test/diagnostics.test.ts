import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PerflayerConfigError } from "@perflayer/core";
import { loadConfig, run, validateConfig } from "@perflayer/arch-check";
import { memoryIo } from "@perflayer/toolkit";
import { checkSrc, tempTree } from "./temp-tree.ts";

function problems(data: unknown, packages?: ReadonlySet<string>): string {
  try {
    validateConfig(data, "arch.json", packages);
  } catch (error) {
    expect(error).toBeInstanceOf(PerflayerConfigError);
    return (error as Error).message;
  }
  return "";
}

const ELEMENTS = [
  { name: "core", packages: ["@app/core"], allow: [] },
  { name: "web", packages: ["@app/web"], allow: ["core"] },
];

describe("the config is validated against the shipped schema", () => {
  it("rejects enum values outside the schema, with a did-you-mean", () => {
    expect(problems({ elements: ELEMENTS, cycles: { runtime: "warn" } })).toContain(
      '$.cycles.runtime: expected one of "error", "warning", "off", got "warn"; did you mean "warning"?',
    );
  });

  it("rejects globs picomatch would silently accept", () => {
    const message = problems({
      elements: [{ name: "x", paths: ["src/[ab"], allow: [] }],
      ignore: ["src/{a,b"],
      forbidden: [{ from: ["*"], to: ["lodash)"], reason: "r" }],
    });
    expect(message).toContain(
      '$.elements[0].paths[0]: invalid glob "src/[ab": "[" is never closed',
    );
    expect(message).toContain('$.ignore[0]: invalid glob "src/{a,b": "{" is never closed');
    expect(message).toContain('$.forbidden[0].to[0]: invalid glob "lodash)": unbalanced ")"');
  });

  it("names misspelt keys, elements, rules and workspace packages, with a did-you-mean", () => {
    const message = problems(
      {
        elements: [...ELEMENTS, { name: "api", packages: ["@app/apii"], allow: ["cor"] }],
        forbidden: [{ from: ["webb"], to: ["x"], reason: "r" }],
        exceptions: [{ rule: "arch/layers", files: ["src/**"], reason: "r" }],
        unusedDependency: false,
      },
      new Set(["@app/core", "@app/web", "@app/api"]),
    );
    expect(message).toContain(
      '$.elements[2].packages[0]: no workspace package is named "@app/apii"; did you mean "@app/api"?',
    );
    expect(message).toContain(
      '$.elements[2].allow[0]: unknown element "cor"; did you mean "core"?',
    );
    expect(message).toContain(
      '$.forbidden[0].from[0]: unknown element or package "webb"; did you mean "web"?',
    );
    expect(message).toContain(
      '$.exceptions[0].rule: unknown rule "arch/layers"; did you mean "arch/layer"?',
    );
    expect(message).toContain(
      '$.unusedDependency: unknown key; did you mean "unusedDependencies"?',
    );
  });

  it("checks package names against the workspace when the CLI runs (exit 2)", async () => {
    const { dir, write } = tempTree("arch-names-");
    write("package.json", JSON.stringify({ name: "root", workspaces: ["packages/*"] }));
    write("packages/core/package.json", JSON.stringify({ name: "@app/core" }));
    write(
      "perflayer.arch.json",
      JSON.stringify({ elements: [{ name: "core", packages: ["@app/cor"], allow: [] }] }),
    );
    const io = memoryIo(dir);
    expect(await run(["--no-cache"], io)).toBe(2);
    expect(io.err()).toContain(
      'no workspace package is named "@app/cor"; did you mean "@app/core"?',
    );
    expect(() => loadConfig(join(dir, "perflayer.arch.json"))).not.toThrow();
  });
});

describe("tsconfig problems are reported as such", () => {
  it.each([
    // The paths would have come from the base.
    [
      "a broken extends",
      '{ "extends": "./tsconfig.base.json" }',
      'extends "./tsconfig.base.json", which was not found',
    ],
    ["invalid JSON", '{ "compilerOptions": { "paths": { "@app/*": ["src/*"] } ', "not valid JSON"],
  ])(
    "%s: an arch/tsconfig finding, and the undeclared import says why",
    (_, tsconfig, expected) => {
      const { dir, write } = tempTree("arch-tsconfig-");
      write("package.json", JSON.stringify({ name: "app" }));
      write("tsconfig.json", tsconfig);
      write("src/a.ts", 'import { b } from "@app/b";\nexport const a = b;\n');
      write("src/b.ts", "export const b = 1;\n");
      const report = checkSrc(dir);
      const tsconfigFinding = report.findings.find((f) => f.ruleId === "arch/tsconfig");
      expect(tsconfigFinding?.file).toBe("tsconfig.json");
      expect(tsconfigFinding?.message).toContain(expected);
      const undeclared = report.findings.find((f) => f.ruleId === "arch/undeclared-dependency");
      expect(undeclared?.message).toContain("tsconfig.json has problems (see arch/tsconfig)");
    },
  );

  it("says so when no tsconfig applies at all", () => {
    const { dir, write } = tempTree("arch-notsconfig-");
    write("package.json", JSON.stringify({ name: "app" }));
    write("src/a.ts", 'import { b } from "@app/b";\nexport const a = b;\n');
    const report = checkSrc(dir);
    expect(
      report.findings.find((f) => f.ruleId === "arch/undeclared-dependency")?.message,
    ).toContain("no tsconfig.json applies to this file");
  });
});

describe("nothing is left out without a word", () => {
  it("lists every skipped file with its reason, and every unresolved import", async () => {
    const { dir, write } = tempTree("arch-skipped-");
    write("package.json", JSON.stringify({ name: "app" }));
    write(
      "perflayer.arch.json",
      JSON.stringify({ elements: [{ name: "app", paths: ["src/**"], allow: [] }] }),
    );
    write("src/ok.ts", 'import "./missing";\nexport const ok = 1;\n');
    write("src/huge.ts", `export const data = "${"x".repeat(1_100_000)}";\n`);
    write("src/binary.ts", new Uint8Array([0x65, 0x78, 0x00, 0x01, 0x02]));
    write("src/latin1.ts", new Uint8Array([0x2f, 0x2f, 0x20, 0xe9, 0x0a]));
    write("src/broken.ts", 'import { a } from "./ok";\nexport function f( {\n');
    write("src/loop/x.ts", "export const x = 1;\n");
    symlinkSync(join(dir, "src"), join(dir, "src/loop/back"));
    const report = checkSrc(dir);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    expect(reasons["src/huge.ts"]).toMatch(/^too large/);
    expect(reasons["src/binary.ts"]).toMatch(/^binary/);
    expect(reasons["src/latin1.ts"]).toBe("not UTF-8 text");
    expect(reasons["src/broken.ts"]).toBe('syntax error: "{" is never closed');
    expect(reasons["src/loop/back"]).toMatch(/symlink loop/);
    expect(report.unresolved).toEqual([
      { file: "src/ok.ts", line: 1, specifier: "./missing", reason: "no such file" },
    ]);
    const io = memoryIo(dir);
    await run(["--no-cache", "--verbose"], io);
    expect(io.out()).toContain("1 unresolved import(s), 5 skipped file(s):");
    expect(io.out()).toContain("unresolved src/ok.ts:1 `./missing`: no such file");
    expect(io.out()).toContain("skipped    src/broken.ts: syntax error");
  });
});
