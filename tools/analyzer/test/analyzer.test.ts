import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, findClones, run, tokenize } from "@perflayer/analyzer";
import { memoryIo } from "@perflayer/toolkit";
import { TTL, handler, tree } from "./fixture-tree.ts";

describe("clone classes", () => {
  it("groups all N renamed copies of a fragment into one class", () => {
    const streams = ["a", "b", "c"].map((f, i) =>
      tokenize(`${f}.ts`, handler(`handle${i}`), undefined, true),
    );
    const classes = findClones(streams, { minTokens: 40, minLines: 6 });
    expect(classes).toHaveLength(1);
    expect(classes[0]?.instances.map((i) => i.file)).toEqual(["a.ts", "b.ts", "c.ts"]);
  });

  it("reports eliminable lines of copies (differing only in literals) in the analysis", async () => {
    const root = tree({
      "a.ts": handler("same"),
      "b.ts": handler("same").replace('"not found: "', '"missing: "'),
    });
    const report = await analyze({ root, cacheDir: false, clones: { minTokens: 40, minLines: 6 } });
    expect(report.clones).toHaveLength(1);
    expect(report.clones[0]?.eliminableLines).toBe(report.clones[0]?.lines);
  });
});

describe("analyze()", () => {
  it("keeps test findings apart and continues past syntax errors and binary files", async () => {
    const root = tree({
      "src/cache.ts": TTL,
      "test/cache.test.ts": `import { rate } from "../src/cache";\n${TTL}`,
      "src/broken.ts": "export const = ;;; {",
      "src/blob.js": Buffer.from([0, 1, 2, 3]),
    });
    const report = await analyze({ root, cacheDir: false, includeTests: true });
    expect(report.findings.map((f) => f.file)).toEqual(["src/cache.ts"]);
    expect(report.testFindings.map((f) => f.file)).toEqual(["test/cache.test.ts"]);
    expect(report.skipped.map((s) => `${s.relativePath}: ${s.reason.split(" ")[0]}`)).toEqual([
      "src/blob.js: binary",
      "src/broken.ts: syntax",
    ]);
    expect(report.findings[0]?.risk.coveredByTests).toBe(true);
  });

  it("reuses unchanged files from its content-hash cache", async () => {
    const root = tree({ "src/cache.ts": TTL, "src/other.ts": "export const x = 1;\n" });
    const first = await analyze({ root });
    expect(first.timings).toMatchObject({ parsedFiles: 2, cachedFiles: 0 });
    writeFileSync(join(root, "src/other.ts"), "export const x = 2;\n");
    const second = await analyze({ root });
    expect(second.timings).toMatchObject({ parsedFiles: 1, cachedFiles: 1 });
    expect(second.findings).toEqual(first.findings);
  });

  it("filters by category and confidence", async () => {
    const root = tree({ "a.ts": TTL });
    expect((await analyze({ root, cacheDir: false, categories: ["monitoring"] })).findings).toEqual(
      [],
    );
    expect((await analyze({ root, cacheDir: false, minConfidence: 0.99 })).findings).toEqual([]);
  });
});

describe("perflayer-analyze CLI", () => {
  it("prints help and exits 0", async () => {
    const cli = memoryIo(process.cwd());
    expect(await run(["--help"], cli)).toBe(0);
    expect(cli.out()).toContain(
      "Exit codes: 0 clean, 1 findings over the --fail-on threshold, 2 usage or internal error.",
    );
  });

  it.each(["text", "md", "json", "sarif", "html"])("writes a %s report", async (format) => {
    const root = tree({ "src/cache.ts": TTL });
    const cli = memoryIo(root);
    expect(await run(["src", "--format", format, "--no-cache"], cli)).toBe(0);
    const out = cli.out();
    if (format === "json")
      expect(JSON.parse(out)).toMatchObject({ schemaVersion: 1, summary: { findings: 1 } });
    if (format === "sarif") expect(JSON.parse(out)).toMatchObject({ version: "2.1.0" });
    if (format === "html") expect(out).toContain("<svg");
    if (format === "md") expect(out).toContain("## Elimination roadmap");
    if (format === "text") expect(out).toContain("ttl-cache");
  });

  it("says, with no findings, how many files it read and which detectors ran, and claims no more", async () => {
    const root = tree({
      "src/plain.ts": "export const add = (a: number, b: number): number => a + b;\n",
    });
    for (const format of ["text", "md", "html"]) {
      const cli = memoryIo(root);
      expect(
        await run(["src", "--format", format, "--no-cache", "--category", "memory"], cli),
      ).toBe(0);
      const out = cli.out().replace(/\s+/g, " ");
      expect(out).toContain(
        "No findings in 1 source file(s) read (2 lines), by 4 detector(s): memory/object-pool, memory/size-accounting, memory/memory-polling, memory/manual-gc.",
      );
      expect(out).toContain(
        "They recognise these shapes only: pool-idle-expiry, object-pool, size-accounting, memory-polling, manual-gc.",
      );
      expect(out).toContain("not a statement that the code is free of hand-rolled");
    }
  });

  it(
    "P0 «exit 0 clean / 1 findings over threshold»: fails on new findings against a baseline, and on any with --fail-on any",
    { tags: ["p0"] },
    async () => {
      const root = tree({ "src/cache.ts": TTL });
      const cli = memoryIo(root);
      expect(
        await run(["src", "--format", "json", "--out", "baseline.json", "--no-cache"], cli),
      ).toBe(0);
      expect(await run(["src", "--baseline", "baseline.json", "--no-cache"], memoryIo(root))).toBe(
        0,
      );
      writeFileSync(
        join(root, "src/more.ts"),
        TTL.replace(/rates/g, "prices").replace(/\brate\b/g, "price"),
      );
      const again = memoryIo(root);
      expect(await run(["src", "--baseline", "baseline.json", "--no-cache"], again)).toBe(1);
      expect(again.err()).toContain("1 new finding(s)");
      expect(await run(["src", "--fail-on", "any", "--no-cache"], memoryIo(root))).toBe(1);
    },
  );

  it(
    "P0 «exit 2 on a usage error»: exits 2 with a clear message on bad input",
    { tags: ["p0"] },
    async () => {
      const cli = memoryIo(process.cwd());
      expect(await run(["/no/such/path"], cli)).toBe(2);
      expect(cli.err()).toContain("No such file or folder");
      const bad = memoryIo(process.cwd());
      expect(await run(["--format", "pdf"], bad)).toBe(2);
      expect(bad.err()).toContain("Expected --format to be one of text, md, json, sarif, html");
      expect(await run(["--fail-on", "new"], memoryIo(process.cwd()))).toBe(2);
    },
  );

  it("leaves out findings in paths that own their category (config owners)", async () => {
    const root = tree({
      "packages/cache/src/lru.ts": TTL,
      "src/app.ts": TTL,
      "perflayer.analyzer.json": JSON.stringify({ owners: { caching: ["packages/cache/**"] } }),
    });
    const cli = memoryIo(root);
    expect(await run([".", "--format", "json", "--no-cache", "--fail-on", "any"], cli)).toBe(1);
    expect(
      (JSON.parse(cli.out()) as { findings: { file: string }[] }).findings.map((f) => f.file),
    ).toEqual(["src/app.ts"]);
  });
});
