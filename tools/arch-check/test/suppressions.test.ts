import { describe, expect, it } from "vitest";
import { checkArchitecture, run, validateConfig } from "@perflayer/arch-check";
import type { ArchConfig } from "@perflayer/arch-check";
import { memoryIo } from "@perflayer/toolkit";
import { checkSrc, tempTree } from "./temp-tree.ts";

function layered(page: string, extra: Partial<ArchConfig> = {}) {
  const { dir, write } = tempTree("arch-suppress-");
  write(
    "package.json",
    JSON.stringify({
      name: "app",
      peerDependencies: { react: "18" },
      dependencies: { lodash: "4", "pg-native": "3" },
    }),
  );
  write("src/db/db.ts", "export const db = 1;\n");
  write("src/ui/page.ts", page);
  const config = validateConfig(
    {
      elements: [
        { name: "ui", paths: ["src/ui/**"], allow: [] },
        { name: "db", paths: ["src/db/**"], allow: [] },
      ],
      ...extra,
    },
    "inline",
  );
  return { dir, write, report: checkArchitecture({ root: dir, config, cacheDir: false }) };
}

describe("suppressions", () => {
  it("an ignore comment with a reason moves the finding to the suppressed list", () => {
    const { report } = layered(
      '// arch-check-ignore-next-line layer -- the page reads the db directly until the API lands\nimport { db } from "../db/db";\nexport const page = db;\n',
    );
    expect(report.findings.filter((f) => f.ruleId === "arch/layer")).toEqual([]);
    expect(
      report.suppressed.map((s) => [
        s.finding.ruleId,
        s.finding.file,
        s.finding.startLine,
        s.by,
        s.reason,
      ]),
    ).toEqual([
      [
        "arch/layer",
        "src/ui/page.ts",
        2,
        "comment",
        "the page reads the db directly until the API lands",
      ],
    ]);
  });

  it("a comment without a reason suppresses nothing and is reported; one that matches nothing too", () => {
    const { report } = layered(
      '// arch-check-ignore-next-line arch/layer\nimport { db } from "../db/db";\n// arch-check-ignore-next-line arch/cycle -- stale\nexport const page = db;\n',
    );
    const findings = report.findings.filter((f) => f.ruleId !== "arch/unused-dependency");
    expect(findings.map((f) => `${f.ruleId}:${f.startLine}:${f.message.slice(0, 50)}`)).toEqual([
      "arch/suppression:1:arch-check-ignore-next-line (arch/layer) needs a r",
      "arch/layer:2:ui may not depend on db (`../db/db`); it may depen",
      "arch/suppression:3:arch-check-ignore-next-line (arch/cycle) matches n",
    ]);
  });

  it("config exceptions accept findings by rule, files and imports, each listed with its reason", async () => {
    const config = {
      elements: [
        { name: "ui", paths: ["src/ui/**"], allow: [] },
        { name: "db", paths: ["src/db/**"], allow: [] },
      ],
      exceptions: [
        {
          rule: "arch/layer",
          files: ["src/ui/**"],
          imports: ["../db/*"],
          reason: "migration in progress",
        },
        { rule: "arch/forbidden-import", files: ["src/**"], reason: "nothing matches this one" },
      ],
    };
    const { write, dir, report } = layered(
      'import { db } from "../db/db";\nexport const page = db;\n',
      config,
    );
    expect(report.suppressed.map((s) => [s.finding.ruleId, s.by, s.reason])).toEqual([
      ["arch/layer", "config", "migration in progress"],
    ]);
    expect(
      report.findings.filter((f) => f.ruleId !== "arch/unused-dependency").map((f) => f.message),
    ).toEqual(["exceptions[1] (arch/forbidden-import in src/**) matches no finding; remove it"]);
    write("perflayer.arch.json", JSON.stringify(config));
    const io = memoryIo(dir);
    await run(["--no-cache", "--verbose"], io);
    expect(io.out()).toContain("1 suppressed finding(s):");
    expect(io.out()).toContain(
      "suppressed src/ui/page.ts:1 arch/layer (by config: migration in progress): ui may not depend on db",
    );
  });
});

describe("optional imports and peer dependencies", () => {
  const guarded =
    'export async function native() {\n  try {\n    return await import("pg-cursor");\n  } catch {\n    return undefined;\n  }\n}\n';

  it("an undeclared guarded dynamic import says how to declare it optional", () => {
    const { report } = layered(guarded);
    const finding = report.findings.find((f) => f.ruleId === "arch/undeclared-dependency");
    expect(finding?.message).toContain("`pg-cursor` is imported but not declared");
    expect(finding?.message).toContain("list it in optionalImports");
  });

  it("a module declared in optionalImports may be loaded dynamically; it is listed, not reported", () => {
    const { report } = layered(guarded, {
      optionalImports: [
        { modules: ["pg-*"], reason: "native cursor when installed, JS fallback otherwise" },
      ],
    });
    expect(report.findings.filter((f) => f.ruleId === "arch/undeclared-dependency")).toEqual([]);
    expect(report.optionalImports).toEqual([
      {
        file: "src/ui/page.ts",
        line: 3,
        module: "pg-cursor",
        reason: "native cursor when installed, JS fallback otherwise",
      },
    ]);
  });

  it("a static import of an optional module must still be declared", () => {
    const { report } = layered('import "pg-cursor";\n', {
      optionalImports: [{ modules: ["pg-cursor"], reason: "r" }],
    });
    expect(report.findings.map((f) => f.ruleId)).toContain("arch/undeclared-dependency");
  });

  it("peer dependencies are never unused; plain dependencies are", () => {
    const { report } = layered("export const page = 1;\n");
    expect(
      report.findings.filter((f) => f.ruleId === "arch/unused-dependency").map((f) => f.message),
    ).toEqual([
      "app declares `lodash` in dependencies but its sources never import it",
      "app declares `pg-native` in dependencies but its sources never import it",
    ]);
  });
});

describe("package imports (#x)", () => {
  it("that map to another package are checked as imports of that package", () => {
    const { dir, write } = tempTree("arch-imports-map-");
    write(
      "package.json",
      JSON.stringify({
        name: "app",
        imports: { "#db": "pg", "#util": "./src/util.ts" },
        dependencies: { pg: "8" },
      }),
    );
    write("tsconfig.json", JSON.stringify({ compilerOptions: { module: "nodenext" } }));
    write("src/util.ts", "export const util = 1;\n");
    write(
      "src/a.ts",
      'import pg from "#db";\nimport { util } from "#util";\nexport const a = [pg, util];\n',
    );
    const report = checkSrc(dir);
    expect(report.findings).toEqual([]);
    expect(
      report.files
        .find((f) => f.file === "src/a.ts")
        ?.imports.map((i) => `${i.target} ${i.resolved}`),
    ).toEqual(["external pg", "relative src/util.ts"]);
  });
});
