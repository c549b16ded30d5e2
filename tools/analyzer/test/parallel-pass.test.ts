import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, run } from "@perflayer/analyzer";
import type { AnalysisReport } from "@perflayer/analyzer";
import { memoryIo, walkFiles } from "@perflayer/toolkit";
import { examineFile } from "../src/examine-file.ts";
import type { ExaminedFile } from "../src/examine-file.ts";
import { examineOnThreads, threadsFor } from "../src/examine-pool.ts";
import type { ExamineTask } from "../src/examine-pool.ts";
import { TTL, handler, tree } from "./fixture-tree.ts";

const fixtures = join(import.meta.dirname, "__fixtures__");

/** The report without its timings (the only part that may differ between runs). */
const content = ({ timings: _timings, ...rest }: AnalysisReport): Omit<AnalysisReport, "timings"> =>
  rest;

describe("the per-file pass on several threads", () => {
  it("writes the same report on two threads as on one: findings, clones, skipped files and their order", async () => {
    // Findings, a clone pair, test files, and the broken files of the robustness fixtures.
    const root = tree({
      "package.json": '{ "name": "parallel" }\n',
      "src/ttl.ts": TTL,
      "src/a.ts": handler("first"),
      "src/b.ts": handler("second"),
      "src/c.js": "const seen = new Map();\nexport const once = (k, f) => seen.get(k) ?? f(k);\n",
      "src/broken.ts": "export const x = (;\n",
      "src/minified.js": `var a=${"1,".repeat(400)}1;`.repeat(4),
      "test/ttl.test.ts": 'import { get } from "../src/ttl";\nget("k");\n',
    });
    const options = { root, cacheDir: false as const, includeTests: true };
    const serial = await analyze({ ...options, jobs: 1 });
    const parallel = await analyze({ ...options, jobs: 2 });
    expect(serial.timings.threads).toBe(1);
    // The worker may still be loading its parser when this thread is done with these few files.
    expect(parallel.timings.threads).toBeGreaterThanOrEqual(1);
    expect(parallel.timings.parsedFiles).toBe(serial.timings.parsedFiles);
    expect(serial.findings.map((f) => f.kind)).toContain("ttl-cache");
    expect(serial.clones).toHaveLength(1);
    expect(serial.skipped.map((s) => `${s.relativePath}: ${s.code}`)).toEqual([
      "src/broken.ts: syntax-error",
      "src/minified.js: minified",
    ]);
    expect(JSON.stringify(content(parallel))).toBe(JSON.stringify(content(serial)));
  });

  it("examines on a worker thread exactly as on the main one, broken files included", async () => {
    const files = [
      ...walkFiles({ root: join(fixtures, "robustness"), base: fixtures }).files,
      ...walkFiles({ root: join(fixtures, "families"), base: fixtures })
        .files.filter((f) => /^families\/(ttl|memoize|retry)/.test(f.relativePath))
        .slice(0, 6),
    ];
    const tasks: ExamineTask[] = files.map((file) => {
      const bytes = readFileSync(file.path);
      return { file, bytes, hash: createHash("sha1").update(bytes).digest("hex") };
    });
    const here: ExaminedFile[] = [];
    for (const task of tasks) here.push(await examineFile(task.file, task.bytes, task.hash, false));
    const there: ExaminedFile[] = [];
    // Two threads, this one left out: every file goes to the one worker.
    const run = await examineOnThreads(tasks, 2, false, (i, e) => (there[i] = e), false);
    expect(run).toEqual({ threads: 1, examinedHere: 0 });
    expect(here.map((e) => e.result.skip?.code ?? "analysed")).toEqual([
      "too-deep",
      "encoding",
      "syntax-error",
      "binary",
      ...Array<string>(tasks.length - 4).fill("analysed"),
    ]);
    expect(here.some((e) => e.result.raw.length > 0)).toBe(true);
    // Tokens come back as typed arrays (transferred), results as they were made; the syntax trees
    // kept for the fix prediction (TypeScript files with a fixable finding) stay on their thread.
    expect(here.some((e) => e.tree !== undefined)).toBe(true);
    expect(there.some((e) => e.tree !== undefined)).toBe(false);
    const sent = ({ result, cacheable, tokens }: ExaminedFile): ExaminedFile => ({
      result,
      cacheable,
      ...(tokens === undefined ? {} : { tokens }),
    });
    expect(there).toEqual(here.map(sent));
  });

  it("chooses one thread per core but one, as many as the megabytes to parse pay for; --jobs as asked", () => {
    const task = (bytes: number): ExamineTask => ({
      file: { path: "/x.ts", relativePath: "x.ts", kind: "source", size: bytes, mtimeMs: 0 },
      bytes: new Uint8Array(bytes),
      hash: "",
    });
    const large = [task(3_000_000), task(2_000_000), task(1_000_000), task(500), task(500)];
    expect(threadsFor(large, undefined, 2)).toBe(1);
    expect(threadsFor(large, undefined, 4)).toBe(3);
    expect(threadsFor(large, undefined, 64)).toBe(4);
    expect(threadsFor([task(900_000), task(900_000)], undefined, 8)).toBe(1);
    expect(threadsFor([task(1_500_000), task(600_000)], undefined, 8)).toBe(2);
    // Asked for: never more threads than files.
    expect(threadsFor([task(10)], 4)).toBe(1);
    expect(threadsFor([task(10), task(10), task(10)], 2)).toBe(2);
  });

  it("refuses --jobs that is not an integer >= 1 (exit 2, saying what to pass)", async () => {
    const io = memoryIo(fixtures);
    expect(await run(["families", "--jobs", "0"], io)).toBe(2);
    expect(io.err()).toBe(
      'perflayer-analyze: ERR_USAGE: Expected --jobs to be an integer >= 1, got "0". Pass e.g. --jobs 2, or --jobs 1 to stay on one thread.\n',
    );
    await expect(analyze({ root: fixtures, jobs: 1.5 })).rejects.toThrow(/`jobs`.*integer >= 1/);
  });
});
