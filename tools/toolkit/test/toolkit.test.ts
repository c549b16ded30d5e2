import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PerflayerConfigError, PerflayerError } from "@perflayer/core";
import {
  classifyFile,
  fingerprint,
  sortFindings,
  toSarif,
  walkFiles,
  memoryIo,
  withErrorBoundary,
} from "@perflayer/toolkit";
import type { Finding } from "@perflayer/toolkit";
import { tree } from "./fixture-tree.ts";

describe("walkFiles", () => {
  it("honours .gitignore files, skips node_modules and build output, classifies tests and fixtures", () => {
    const root = tree({
      ".gitignore": "ignored/\n*.log.ts\n",
      "src/a.ts": "export {}",
      "src/b.js": "module.exports = 1",
      "src/deep/.gitignore": "secret.ts\n",
      "src/deep/secret.ts": "x",
      "src/deep/kept.mts": "x",
      "ignored/c.ts": "x",
      "node_modules/pkg/index.js": "x",
      "dist/out.js": "x",
      "debug.log.ts": "x",
      "test/a.test.ts": "x",
      "src/__fixtures__/case/f.ts": "x",
      "types.d.ts": "x",
      "README.md": "x",
    });
    const result = walkFiles({ root });
    expect(result.files.map((f) => `${f.relativePath}:${f.kind}`)).toEqual([
      "src/__fixtures__/case/f.ts:fixture",
      "src/a.ts:source",
      "src/b.js:source",
      "src/deep/kept.mts:source",
      "test/a.test.ts:test",
    ]);
    expect(result.skipped).toContainEqual({
      relativePath: "types.d.ts",
      code: "generated",
      reason: "type declarations (.d.ts)",
    });
  });

  it("walks a node_modules folder a .gitignore re-includes (a project's own packages kept there), and no other", () => {
    const root = tree({
      ".gitignore": "node_modules\n!packages/node_modules\n",
      "packages/node_modules/@app/runtime/lib/a.js": "x",
      "packages/node_modules/@app/runtime/node_modules/dep/index.js": "x",
      "packages/other/node_modules/dep/index.js": "x",
      "node_modules/dep/index.js": "x",
      "src/b.ts": "x",
    });
    expect(walkFiles({ root }).files.map((f) => f.relativePath)).toEqual([
      "packages/node_modules/@app/runtime/lib/a.js",
      "src/b.ts",
    ]);
    // Without the negative rule (or with .gitignore files not read) node_modules stays closed.
    expect(walkFiles({ root, respectGitignore: false }).files.map((f) => f.relativePath)).toEqual([
      "src/b.ts",
    ]);
  });

  it("reports huge files and symlink loops instead of failing", () => {
    const root = tree({ "big.ts": "x".repeat(2_000), "a/ok.ts": "x" });
    symlinkSync(join(root, "a"), join(root, "a", "loop"));
    const result = walkFiles({ root, maxFileBytes: 1_000 });
    expect(result.files.map((f) => f.relativePath)).toEqual(["a/ok.ts"]);
    expect(result.skipped.map((s) => s.reason)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("too large"),
        "symlink loop (already visited)",
      ]),
    );
  });

  it("rejects a path that does not exist with a usage error", () => {
    expect(() => walkFiles({ root: "/no/such/place" })).toThrow(PerflayerConfigError);
  });

  it("classifies paths", () => {
    expect(classifyFile("src/cache.ts")).toBe("source");
    expect(classifyFile("src/cache.spec.ts")).toBe("test");
    expect(classifyFile("test/fixtures/x.ts")).toBe("fixture");
  });
});

describe("report vocabulary", () => {
  const finding = (file: string, line: number): Finding => ({
    ruleId: "caching/ttl-map-cache",
    file,
    startLine: line,
    endLine: line + 10,
    message: "A hand-rolled TTL cache.",
    severity: "warning",
    fingerprint: fingerprint("caching/ttl-map-cache", file, "const cache = new Map()"),
  });

  it("fingerprints ignore whitespace and line moves but not the rule or file", () => {
    expect(fingerprint("r", "f.ts", "a  =\n b")).toBe(fingerprint("r", "f.ts", "a = b"));
    expect(fingerprint("r", "f.ts", "a = b")).not.toBe(fingerprint("r2", "f.ts", "a = b"));
    expect(fingerprint("r", "f.ts", "a = b")).toMatch(/^[0-9a-f]{16}$/);
  });

  it(
    "P0 «SARIF 2.1.0»: writes SARIF 2.1.0 with rules, regions and partial fingerprints",
    { tags: ["p0"] },
    () => {
      const findings = sortFindings([finding("b.ts", 5), finding("a.ts", 9)]);
      const log = toSarif(
        { name: "perflayer-analyze", version: "0.1.0" },
        [{ id: "caching/ttl-map-cache", description: "Hand-rolled TTL cache" }],
        findings,
      );
      expect(log.version).toBe("2.1.0");
      const run = log.runs[0] as {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
          partialFingerprints: Record<string, string>;
        }[];
      };
      expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["caching/ttl-map-cache"]);
      expect(run.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe("a.ts");
      expect(run.results[0]?.locations[0]?.physicalLocation.region.startLine).toBe(9);
      expect(run.results[0]?.partialFingerprints["perflayer/v1"]).toMatch(/^[0-9a-f]{16}$/);
    },
  );
});

describe("CLI shape", () => {
  it("turns a PerflayerError into `code: message` and exit 2, a bug into a stack trace and exit 2", async () => {
    const io = memoryIo(process.cwd());
    expect(
      await withErrorBoundary("tool", io, () =>
        Promise.reject(new PerflayerError("ERR_X", "broken input")),
      ),
    ).toBe(2);
    expect(io.err()).toBe("tool: ERR_X: broken input\n");
    const io2 = memoryIo(process.cwd());
    expect(await withErrorBoundary("tool", io2, () => Promise.reject(new TypeError("oops")))).toBe(
      2,
    );
    expect(io2.err()).toContain("internal error");
    expect(io2.err()).toContain("TypeError: oops");
    expect(await withErrorBoundary("tool", memoryIo(process.cwd()), () => Promise.resolve(1))).toBe(
      1,
    );
  });
});
