import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, run } from "@perflayer/analyzer";
import type { Detector } from "@perflayer/analyzer";
import { memoryIo } from "@perflayer/toolkit";
import { examine } from "../src/examine.ts";

const fixtures = join(import.meta.dirname, "__fixtures__", "robustness");
const TTL = readFileSync(join(fixtures, "user-cache.ts"), "utf8");

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "perflayer-robust-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("files that cannot be analysed", () => {
  it("become one skipped entry each while the rest of the run completes", async () => {
    const report = await analyze({ root: fixtures, cacheDir: false });
    expect(report.skipped.map((s) => `${s.relativePath}: ${s.code}`)).toEqual([
      "deep-nesting.ts: too-deep",
      "latin1.ts: encoding",
      "syntax-error.ts: syntax-error",
      "video-segment.ts: binary",
    ]);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.relativePath, s.reason]));
    expect(reasons["deep-nesting.ts"]).toBe("nested too deep to parse (depth 800 > 256)");
    expect(reasons["latin1.ts"]).toBe(
      "not UTF-8 (byte 0xE9 at offset 6, line 1); re-save the file as UTF-8",
    );
    expect(reasons["syntax-error.ts"]).toMatch(/^syntax error at line 4: .+ \(and \d+ more\)$/);
    expect(reasons["video-segment.ts"]).toBe("binary content (a NUL byte at offset 2)");
    expect(report.findings.map((f) => `${f.file}: ${f.kind}`)).toEqual([
      "user-cache.ts: ttl-map-cache",
    ]);
  });

  it("are reported by the CLI, which still writes the report and exits 0", async () => {
    const cli = memoryIo(fixtures);
    expect(await run([".", "--root", ".", "--format", "json", "--no-cache", "--quiet"], cli)).toBe(
      0,
    );
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
    kinds: ["map-cache"],
    prefilter: /./,
    detect: ({ sourceFile }) => [
      {
        kind: "map-cache",
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
    expect(result.raw.map((r) => r.ruleId)).toEqual(["caching/map-cache"]);
    expect(tokens?.ids.length).toBeGreaterThan(0);
  });
});
