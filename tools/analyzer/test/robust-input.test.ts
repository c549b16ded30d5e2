import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, run } from "@perflayer/analyzer";
import type { Detector } from "@perflayer/analyzer";
import { memoryIo } from "@perflayer/toolkit";
import { examine } from "../src/examine.ts";
import { TTL, tree } from "./fixture-tree.ts";

// The broken files, and one good file beside them (the TTL cache shape-family fixture).
const fixtures = join(import.meta.dirname, "__fixtures__");
const paths = ["robustness", "families/ttl-cache.ts"];

describe("files that cannot be analysed", () => {
  it(
    "P0 «a file that cannot be analysed never stops the run»: become one skipped entry each while the rest of the run completes",
    { tags: ["p0"] },
    async () => {
      const report = await analyze({
        root: fixtures,
        paths: paths.map((p) => join(fixtures, p)),
        cacheDir: false,
      });
      const reasons = Object.fromEntries(
        report.skipped.map((s) => [
          s.relativePath.replace("robustness/", ""),
          `${s.code}: ${s.reason}`,
        ]),
      );
      expect(Object.keys(reasons)).toEqual([
        "deep-nesting.ts",
        "latin1.ts",
        "syntax-error.ts",
        "video-segment.ts",
      ]);
      expect(reasons["deep-nesting.ts"]).toBe(
        "too-deep: nested too deep to parse (depth 800 > 256)",
      );
      expect(reasons["latin1.ts"]).toBe(
        "encoding: not UTF-8 (byte 0xE9 at offset 6, line 1); re-save the file as UTF-8",
      );
      expect(reasons["syntax-error.ts"]).toMatch(
        /^syntax-error: syntax error at line 4: .+ \(and \d+ more\)$/,
      );
      expect(reasons["video-segment.ts"]).toBe("binary: binary content (a NUL byte at offset 2)");
      expect(report.findings.map((f) => `${f.file}: ${f.kind}`)).toEqual([
        "families/ttl-cache.ts: ttl-cache",
      ]);
    },
  );

  it("are reported by the CLI, which still writes the report and exits 0", async () => {
    const cli = memoryIo(fixtures);
    expect(
      await run([...paths, "--root", ".", "--format", "json", "--no-cache", "--quiet"], cli),
    ).toBe(0);
    const report = JSON.parse(cli.out()) as { skipped: unknown[]; findings: unknown[] };
    expect(report.skipped).toHaveLength(4);
    expect(report.findings).toHaveLength(1);
  });

  it("a statement chain too deep for the parser is skipped and the next file still parses", async () => {
    const root = tree({ "a-deep.ts": `${"if (a) ".repeat(20_000)}run();\n`, "b.ts": TTL });
    const report = await analyze({ root, cacheDir: false });
    expect(report.skipped).toEqual([
      {
        relativePath: "a-deep.ts",
        code: "too-deep",
        reason: "too deep for the parser (Maximum call stack size exceeded)",
      },
    ]);
    expect(report.findings.map((f) => f.file)).toEqual(["b.ts"]);
  });
});

describe("a detector that fails", () => {
  const file = {
    path: "/x/cache.ts",
    relativePath: "cache.ts",
    kind: "source",
    size: 1,
    mtimeMs: 1,
  } as const;
  const finding: Detector = {
    id: "caching/always",
    category: "caching",
    kinds: ["memoize"],
    prefilter: /./,
    detect: ({ sourceFile }) => [
      {
        kind: "memoize",
        confidence: 0.9,
        nodes: [sourceFile.statements[0] as never],
        evidence: ["`x`"],
      },
    ],
  };
  const throwing: Detector = {
    ...finding,
    id: "memory/throws",
    category: "memory",
    detect: () => {
      throw new TypeError("cannot read x of undefined");
    },
  };
  const recursing: Detector = {
    ...finding,
    id: "response/recurses",
    category: "response",
    detect: () => {
      const down = (n: number): number => down(n + 1) + 1;
      down(0);
      return [];
    },
  };

  it("is recorded, and the other detectors' findings on the file are kept", () => {
    const { result, tokens } = examine(file, TTL, "hash", [throwing, recursing, finding]);
    expect(result.failures).toEqual([
      { detector: "memory/throws", message: "TypeError: cannot read x of undefined" },
      { detector: "response/recurses", message: "RangeError: Maximum call stack size exceeded" },
    ]);
    expect(result.raw.map((r) => r.ruleId)).toEqual(["caching/memoize"]);
    expect(tokens?.ids.length).toBeGreaterThan(0);
  });
});
