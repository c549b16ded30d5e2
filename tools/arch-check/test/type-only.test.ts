import { describe, expect, it } from "vitest";
import { checkArchitecture, extractImports, validateConfig } from "@perflayer/arch-check";
import type { ElementConfig } from "@perflayer/arch-check";
import { checkSrc, tempTree } from "./temp-tree.ts";

describe("type-only imports", () => {
  it.each([
    ['import type { A } from "./m";', true],
    ['export type { A } from "./m";', true],
    ['import { type A, type B as C } from "./m";', true],
    ['export { type A } from "./m";', true],
    ['import {\n  type A,\n  type B,\n} from "./m";', true],
    ['import { type A, b } from "./m";', false],
    ['import D, { type A } from "./m";', false],
    ['import {} from "./m";', false],
    ['import type from "./m";', false],
    ['import "./m";', false],
    ['const m = await import("./m");', false],
  ])("%s → type-only %s", (code, typeOnly) => {
    expect(extractImports(code).map((r) => r.typeOnly)).toEqual([typeOnly]);
  });

  it("counts an all-inline-type import as runtime under verbatimModuleSyntax, where it stays `import {} from`", () => {
    const cycleWith = (verbatim: boolean): number => {
      const { dir, write } = tempTree("arch-verbatim-");
      write("package.json", JSON.stringify({ name: "app" }));
      write(
        "tsconfig.json",
        JSON.stringify({ compilerOptions: { verbatimModuleSyntax: verbatim } }),
      );
      write("src/a.ts", 'import { b } from "./b";\nexport const a = b;\nexport interface A {}\n');
      write("src/b.ts", 'import { type A } from "./a";\nexport const b = 1;\nexport type B = A;\n');
      const report = checkSrc(dir);
      return report.cycles.length;
    };
    expect(cycleWith(false)).toBe(0);
    expect(cycleWith(true)).toBe(1);
  });
});

describe("typeOnly on layer and forbidden rules", () => {
  /** ui imports a db type and a db value; db is not allowed from ui. */
  function check(ui: Partial<ElementConfig>, forbiddenTypeOnly?: "allow" | "warn" | "error") {
    const { dir, write } = tempTree("arch-typeonly-");
    write("package.json", JSON.stringify({ name: "app" }));
    write(
      "src/db/model.ts",
      "export interface Row { id: number }\nexport const rows: Row[] = [];\n",
    );
    write("src/db/legacy.ts", "export interface Old { id: number }\n");
    write(
      "src/ui/page.ts",
      'import type { Row } from "../db/model";\nimport { type Old } from "../db/legacy";\nexport const page = (r: Row, o: Old) => [r, o];\n',
    );
    write("src/ui/list.ts", 'import { rows } from "../db/model";\nexport const list = rows;\n');
    const report = checkArchitecture({
      root: dir,
      config: validateConfig(
        {
          elements: [
            { name: "ui", paths: ["src/ui/**"], allow: [], ...ui },
            { name: "db", paths: ["src/db/**"], allow: [] },
          ],
          forbidden: [
            {
              from: ["ui"],
              to: ["../db/legacy"],
              reason: "the legacy schema is going away",
              ...(forbiddenTypeOnly === undefined ? {} : { typeOnly: forbiddenTypeOnly }),
            },
          ],
        },
        "inline",
      ),
      cacheDir: false,
    });
    return report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.startLine}`);
  }

  it("is strict by default: type-only imports break layers like any other", () => {
    expect(check({})).toEqual([
      "arch/layer error src/ui/list.ts:1",
      "arch/layer error src/ui/page.ts:1",
      "arch/forbidden-import error src/ui/page.ts:2",
      "arch/layer error src/ui/page.ts:2",
    ]);
  });

  it('"warn" turns type-only violations into warnings and "allow" accepts them; runtime ones stay errors', () => {
    expect(check({ typeOnly: "warn" }, "warn")).toEqual([
      "arch/layer error src/ui/list.ts:1",
      "arch/layer warning src/ui/page.ts:1",
      "arch/forbidden-import warning src/ui/page.ts:2",
      "arch/layer warning src/ui/page.ts:2",
    ]);
    expect(check({ typeOnly: "allow" }, "allow")).toEqual(["arch/layer error src/ui/list.ts:1"]);
  });

  it("rejects a typeOnly value outside allow, warn, error with a did-you-mean", () => {
    expect(() =>
      validateConfig(
        { elements: [{ name: "ui", paths: ["src/**"], allow: [], typeOnly: "warning" }] },
        "arch.json",
      ),
    ).toThrow(
      '$.elements[0].typeOnly: expected one of "allow", "warn", "error", got "warning"; did you mean "warn"?',
    );
  });
});
