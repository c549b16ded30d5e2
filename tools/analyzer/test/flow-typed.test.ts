import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "@perflayer/analyzer";
import { removeFlowTypes } from "../src/remove-flow-types.ts";
import { tree } from "./fixture-tree.ts";

const flow = join(import.meta.dirname, "__fixtures__", "flow");

describe("Flow-typed JavaScript", () => {
  it("is analysed with the same findings and line ranges as the same code written as plain JavaScript", async () => {
    const report = await analyze({ root: flow, cacheDir: false, clones: false });
    expect(report.skipped).toEqual([]);
    // Kinds, ranges, names and the construct's own lines (eliminable lines also carry what `fix`
    // charges the project's first rewrite of a kind, which depends on the order of the files).
    const of = (file: string): string[] =>
      report.findings
        .filter((f) => f.file === file)
        .map(
          (f) =>
            `${f.ruleId} ${String(f.startLine)}-${String(f.endLine)} ${f.name ?? ""} ${String(f.lines)}`,
        );
    expect(of("typed.js")).toEqual(of("plain.js"));
    expect(of("typed.js").map((f) => f.split(" ").slice(0, 2).join(" "))).toEqual([
      "caching/memoize 18-26",
      "caching/memoize 36-40",
      "caching/cache-invalidate 42-44",
      "monitoring/timer-delta 48-50",
      "response/timeout-race 54-59",
    ]);
    // Code quoted as evidence reads without the gaps the types left (`const started = …`).
    const quoted = report.findings.filter((f) => f.file === "typed.js").flatMap((f) => f.evidence);
    expect(quoted.join("\n")).toContain("start mark `const started = Date.now();`");
    expect(quoted.filter((e) => /\S {2,}/.test(e))).toEqual([]);
  });

  it("keeps every line break and every character that is not Flow syntax in place", () => {
    const text =
      "// @flow\nconst a: number = 1; // é 🙂\nfunction f<T>(x: T): ?T {\n  return (x: any);\n}\n";
    const removal = removeFlowTypes(text);
    expect(removal).toEqual({
      text: "//      \nconst a         = 1; // é 🙂\nfunction f   (x   )     {\n  return (x     );\n}\n",
    });
  });

  it("is read without the pragma when its annotations are what the TypeScript parser rejects", async () => {
    const root = tree({
      "lib/once.js": [
        "type Entry = {| value: string |};",
        "let cached: ?Entry = null;",
        "export function load(read: () => string): string {",
        "  if (cached) return cached.value;",
        "  cached = { value: read() };",
        "  return cached.value;",
        "}",
        "export function reset(): void {",
        "  cached = null;",
        "}",
        "",
      ].join("\n"),
    });
    const report = await analyze({ root, cacheDir: false, clones: false });
    expect(report.skipped).toEqual([]);
    expect(
      report.findings.map((f) => `${f.ruleId} ${String(f.startLine)}-${String(f.endLine)}`),
    ).toContain("caching/memoize 4-5");
  });

  it("that the Flow parser rejects is listed as skipped with the Flow parser's reason", async () => {
    const root = tree({
      "broken.js": "// @flow\nconst limit: = 3;\n",
      "plain-error.js": "const = 3;\n",
    });
    const report = await analyze({ root, cacheDir: false, clones: false });
    expect(report.skipped.map((s) => [s.relativePath, s.code])).toEqual([
      ["broken.js", "syntax-error"],
      ["plain-error.js", "syntax-error"],
    ]);
    expect(report.skipped[0]?.reason).toBe(
      "Flow-typed JavaScript: the Flow parser rejects it: Unexpected token `=`, expected a type (2:13)",
    );
    expect(report.skipped[1]?.reason).toMatch(/^syntax error at line 1: /);
  });
});
