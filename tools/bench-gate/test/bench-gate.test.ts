import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  commandRunner,
  compareRunners,
  parseSelfTimed,
  loadResults,
  run,
  seededRandom,
} from "@perflayer/bench-gate";
import type { Runner } from "@perflayer/bench-gate";
import { memoryIo } from "@perflayer/toolkit";
import { gitRepository } from "./git-repository.ts";

/** A runner returning synthetic timings around `center` (no real waiting). */
function synthetic(center: number, seed: number): Runner {
  const random = seededRandom(seed);
  return () => Promise.resolve({ value: center * (1 + 0.01 * (random() - 0.5)) });
}

describe("compareRunners", () => {
  it("stops early once the interval is tight, and reports a clear improvement", async () => {
    const result = await compareRunners({
      base: synthetic(100, 1),
      head: synthetic(50, 2),
      decision: { threshold: 0.05, expectFaster: 0.3 },
      minSamples: 10,
      maxSamples: 60,
    });
    expect(result.verdict.kind).toBe("improvement holds");
    expect(result.base.length).toBeLessThan(60);
  });

  it("re-runs a regression once and reports it only when confirmed", async () => {
    let headCalls = 0;
    let baseCalls = 0;
    // Head is slow only during the first sampling pass (1 warm-up + 15 rounds): a passing
    // disturbance, not a regression.
    const flaky: Runner = () =>
      Promise.resolve({ value: (headCalls++ < 16 ? 120 : 100) + (headCalls % 3) });
    const stable: Runner = () => Promise.resolve({ value: 100 + (baseCalls++ % 3) });
    const result = await compareRunners({
      base: stable,
      head: flaky,
      decision: { threshold: 0.05 },
      minSamples: 15,
      maxSamples: 15,
    });
    expect(result.confirmation).toBeDefined();
    expect(result.verdict.kind).toBe("inconclusive");
    expect(result.verdict.explanation).toContain("did not confirm");
  });

  it("measures real commands in fresh processes", async () => {
    const runner = commandRunner(`${JSON.stringify(process.execPath)} -e "0"`);
    const sample = await runner();
    expect(sample.value).toBeGreaterThan(1);
    await expect(commandRunner("exit 3")()).rejects.toThrow("exited with 3");
  });
});

describe("results formats", () => {
  it("reads hyperfine, tinybench, vitest bench and mitata JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-"));
    const write = (name: string, data: unknown): string => {
      writeFileSync(join(dir, name), JSON.stringify(data));
      return join(dir, name);
    };
    expect(
      loadResults(write("h.json", { results: [{ command: "sleep", times: [0.1, 0.2] }] }))
        .benchmarks,
    ).toEqual({ sleep: [100, 200] });
    expect(
      loadResults(
        write("t.json", { tasks: [{ name: "get", result: { latency: { samples: [0.5, 0.6] } } }] }),
      ).benchmarks,
    ).toEqual({ get: [0.5, 0.6] });
    expect(
      loadResults(
        write("v.json", {
          files: [{ groups: [{ benchmarks: [{ name: "set", samples: [1, 2] }] }] }],
        }),
      ).benchmarks,
    ).toEqual({ set: [1, 2] });
    expect(
      loadResults(
        write("m.json", {
          benchmarks: [{ alias: "x", runs: [{ stats: { samples: [1_000_000] } }] }],
        }),
      ).benchmarks,
    ).toEqual({ x: [1] });
    expect(() => loadResults(write("bad.json", { nothing: true }))).toThrow(
      "no benchmark samples found",
    );
  });
});

describe("bench-gate CLI", () => {
  function results(dir: string, name: string, center: number, seed: number): string {
    const random = seededRandom(seed);
    const file = {
      format: "perflayer-bench-gate/1",
      environment: { node: process.version, cpu: "x", cores: 2, profile: "local" },
      savedAt: "2026-01-01T00:00:00Z",
      benchmarks: {
        "cache get": Array.from({ length: 30 }, () => center * (1 + 0.01 * (random() - 0.5))),
      },
    };
    writeFileSync(join(dir, name), JSON.stringify(file));
    return name;
  }

  it(
    "P0 «exit 0 no change / 1 regression or unmet speed-up»: passes no change, fails a regression, and fails an expected speed-up that does not hold",
    { tags: ["p0"] },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "bench-gate-cli-"));
      results(dir, "base.json", 100, 1);
      results(dir, "same.json", 100, 2);
      results(dir, "slow.json", 130, 3);
      results(dir, "fast.json", 50, 4);
      const same = memoryIo(dir);
      expect(await run(["compare", "--base", "base.json", "--head", "same.json"], same)).toBe(0);
      expect(same.out()).toContain("no change");
      expect(
        await run(["compare", "--base", "base.json", "--head", "slow.json"], memoryIo(dir)),
      ).toBe(1);
      expect(
        await run(
          ["compare", "--base", "base.json", "--head", "fast.json", "--expect-faster", "30%"],
          memoryIo(dir),
        ),
      ).toBe(0);
      const notEnough = memoryIo(dir);
      expect(
        await run(
          ["compare", "--base", "base.json", "--head", "same.json", "--expect-faster", "30%"],
          notEnough,
        ),
      ).toBe(1);
      expect(notEnough.out()).toContain("DOES NOT HOLD");
    },
  );

  it("writes Markdown, JSON and an SVG plot", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-fmt-"));
    results(dir, "a.json", 100, 5);
    results(dir, "b.json", 80, 6);
    const md = memoryIo(dir);
    await run(["compare", "--base", "a.json", "--head", "b.json", "--format", "md"], md);
    expect(md.out()).toContain("| cache get |");
    await run(
      ["compare", "--base", "a.json", "--head", "b.json", "--format", "svg", "--out", "plot.svg"],
      memoryIo(dir),
    );
    expect(readFileSync(join(dir, "plot.svg"), "utf8")).toContain("<svg");
    const json = memoryIo(dir);
    await run(["compare", "--base", "a.json", "--head", "b.json", "--json"], json);
    expect((JSON.parse(json.out()) as { verdict: { kind: string } }[])[0]?.verdict.kind).toBe(
      "improvement",
    );
  });

  it("records command samples and saves and shows a baseline with its fingerprint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-run-"));
    expect(
      await run(
        [
          "run",
          "--cmd",
          `noop=${JSON.stringify(process.execPath)} -e 0`,
          "--samples",
          "3",
          "--out",
          "r.json",
        ],
        memoryIo(dir),
      ),
    ).toBe(0);
    expect(await run(["baseline", "save", "--from", "r.json"], memoryIo(dir))).toBe(0);
    const show = memoryIo(dir);
    expect(await run(["baseline", "show"], show)).toBe(0);
    expect(show.out()).toContain("noop: 3 samples");
  }, 30_000);

  it("exits 2 with a clear message on bad input", async () => {
    const bad = memoryIo(process.cwd());
    expect(await run(["compare", "--base", "missing.json", "--head", "x.json"], bad)).toBe(2);
    expect(bad.err()).toContain("ERR_RESULTS");
    const pct = memoryIo(process.cwd());
    expect(
      await run(
        ["compare", "--base-cmd", "true", "--head-cmd", "true", "--expect-faster", "lots"],
        pct,
      ),
    ).toBe(2);
    expect(pct.err()).toContain("Expected --expect-faster to be a percentage");
    const confidence = memoryIo(process.cwd());
    expect(
      await run(
        ["compare", "--base-cmd", "true", "--head-cmd", "true", "--confidence", "2"],
        confidence,
      ),
    ).toBe(2);
    expect(confidence.err()).toContain("Expected --confidence to be a number between 0.5 and 1");
  });
});

describe("compare --base-ref", () => {
  // Base checkouts go to the temporary directory: one of the test's own, to see what is left there.
  let temp = "";
  const saved = process.env["TMPDIR"];
  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), "bench-gate-tmp-"));
    process.env["TMPDIR"] = temp;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = saved;
  });

  it("measures one command on a git worktree of the base and on the working tree, then removes the worktree", async () => {
    // Base: the work takes 600 ms; the working tree makes it 30 ms. The command times itself
    // (a `bench-gate: ms=…` line), so node's start-up, slow and erratic on a loaded machine, is
    // not part of what is compared. `--setup` writes a marker the base command needs, so the test
    // also proves setup runs in the checkout.
    const { dir, git } = gitRepository({
      "delay.txt": "600",
      "work.js":
        'const fs = require("fs");\nif (!fs.existsSync("ready") && !fs.existsSync("head.txt")) process.exit(3);\nconst start = Date.now();\nconst end = start + Number(fs.readFileSync("delay.txt", "utf8"));\nwhile (Date.now() < end);\nconsole.log(`bench-gate: ms=${Date.now() - start}`);\n',
    });
    writeFileSync(join(dir, "delay.txt"), "30");
    writeFileSync(join(dir, "head.txt"), "untracked: only in the working tree");
    const cli = memoryIo(dir);
    const code = await run(
      [
        "compare",
        "--base-ref",
        "HEAD",
        "--head-cmd",
        "node work.js",
        "--setup",
        "touch ready",
        "--expect-faster",
        "30%",
        "--min-samples",
        "8",
        "--max-samples",
        "10",
        "--json",
      ],
      cli,
    );
    const [result] = JSON.parse(cli.out()) as {
      verdict: { kind: string; ratio: { estimate: number } };
    }[];
    expect(cli.err()).toBe(""); // self-timed: no start-up warning
    expect(result?.verdict.kind).toBe("improvement holds");
    expect(result?.verdict.ratio.estimate).toBeLessThan(0.1);
    expect(code).toBe(0);
    expect(git("worktree", "list").split("\n")).toHaveLength(1); // the base checkout is gone
    expect(readdirSync(temp).filter((n) => n.startsWith("bench-gate-base-"))).toEqual([]); // and its folder
  }, 600_000);

  it("names a ref that does not exist, with a typed usage error", async () => {
    const { execFileSync } = await import("node:child_process");
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-git-"));
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const cli = memoryIo(dir);
    expect(await run(["compare", "--base-ref", "nope", "--head-cmd", "true"], cli)).toBe(2);
    expect(cli.err()).toMatch(/ERR_USAGE.*"nope" is not a commit/);
  });
});

describe("self-timed commands", () => {
  it("use the figures a command prints instead of its process's wall time", async () => {
    // The process sleeps 300 ms but reports 5 ms of measured work: start-up and the sleep are not it.
    const sample = await commandRunner(
      `node -e "setTimeout(() => console.log('noise\\nbench-gate: ms=5.5 cpuMs=4 peakMb=30.5'), 300)"`,
    )();
    expect(sample).toEqual({ value: 5.5, cpu: 4, peakMb: 30.5, selfTimed: true });
  });

  it("take the last report line, and ignore lines without ms", () => {
    expect(parseSelfTimed("bench-gate: ms=1\nbench-gate: ms=2 cpuMs=1.5\n")).toEqual({
      value: 2,
      cpu: 1.5,
    });
    expect(parseSelfTimed("bench-gate: cpuMs=3\n")).toBeUndefined();
    expect(parseSelfTimed("plain output\n")).toBeUndefined();
  });

  it("reportSample prints a line commandRunner understands, with CPU time and peak RSS", async () => {
    const sample = await commandRunner(
      "node --conditions=@perflayer/source --import tsx test/__fixtures__/self-timed.ts",
      {
        cwd: join(import.meta.dirname, ".."),
      },
    )();
    expect(sample.value).toBeGreaterThan(0);
    expect(sample.value).toBeLessThan(1_000);
    expect(sample.cpu).toBeGreaterThan(0);
    expect(sample.peakMb).toBeGreaterThan(10);
  });
});
