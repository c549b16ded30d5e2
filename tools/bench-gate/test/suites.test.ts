import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  INSTRUCTIONS_UNIT,
  compareWithBaseline,
  defineSuite,
  judgeTarget,
  loadResults,
  mergeResults,
  run,
  runSuites,
  seededRandom,
  spliceReport,
  toResultsFile,
} from "@perflayer/bench-gate";
import type { LoadedResults, SuiteRun } from "@perflayer/bench-gate";
import { memoryIo } from "@perflayer/toolkit";

const fixtures = join(import.meta.dirname, "__fixtures__", "suites");
const environment = { node: process.version, cpu: "test cpu", cores: 2, profile: "local" };

/** Synthetic timings: `center` with ±`noise` uniform noise, reproducible. */
function around(center: number, noise: number, n: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => center * (1 + noise * (2 * random() - 1)));
}

describe("judgeTarget", () => {
  it("meets a target only when the whole interval is within it", () => {
    const anchor = around(100, 0.01, 30, 1);
    expect(
      judgeTarget(anchor, around(110, 0.01, 30, 2), { maxRatio: 1.2 }, { tolerance: 0.05 }).kind,
    ).toBe("target met");
    expect(
      judgeTarget(anchor, around(5, 0.01, 30, 3), { minSpeedup: 10 }, { tolerance: 0.05 }).kind,
    ).toBe("target met");
  });

  it("misses a target only beyond it by more than the tolerance", () => {
    const anchor = around(100, 0.01, 30, 4);
    const far = judgeTarget(
      anchor,
      around(150, 0.01, 30, 5),
      { maxRatio: 1.2 },
      { tolerance: 0.05 },
    );
    expect(far.kind).toBe("target missed");
    expect(far.explanation).toContain("≤ 1.2× the anchor's time");
    const near = judgeTarget(
      anchor,
      around(123, 0.005, 30, 6),
      { maxRatio: 1.2 },
      { tolerance: 0.05 },
    );
    expect(near.kind).toBe("inconclusive");
    expect(near.explanation).toContain("within the 5.0 % noise tolerance");
  });

  it("is inconclusive when the interval straddles the target", () => {
    const straddles = judgeTarget(
      around(100, 0.3, 12, 7),
      around(120, 0.3, 12, 8),
      { maxRatio: 1.2 },
      { tolerance: 0.05 },
    );
    expect(straddles.kind).toBe("inconclusive");
    expect(straddles.explanation).toContain("straddles");
  });

  it("widens a tolerance tighter than the noise: a clear miss is still a miss, a near one is not", () => {
    const clear = judgeTarget(
      around(100, 0.3, 30, 9),
      around(300, 0.3, 30, 10),
      { maxRatio: 1.2 },
      { tolerance: 0.01 },
    );
    expect(clear.kind).toBe("target missed");
    expect(clear.explanation).toContain("tighter than 3× the observed noise");
    const near = judgeTarget(
      around(100, 0.3, 30, 11),
      around(135, 0.3, 30, 12),
      { maxRatio: 1.2 },
      { tolerance: 0.01 },
    );
    expect(near.kind).toBe("inconclusive");
  });
});

describe("defineSuite", () => {
  const setup = () => ({ ours: () => 1 });
  it("rejects duplicate names, targets without an anchor, bad targets and bad sample counts", () => {
    const bad = [
      {
        name: "s",
        benchmarks: [
          { name: "a", setup },
          { name: "a", setup },
        ],
      },
      { name: "s", benchmarks: [{ name: "a", target: { maxRatio: 1.2 }, setup }] },
      {
        name: "s",
        benchmarks: [{ name: "a", anchor: "x", target: { maxRatio: 1, minSpeedup: 2 }, setup }],
      },
      { name: "s", benchmarks: [{ name: "a", anchor: "x", target: { minSpeedup: -1 }, setup }] },
      { name: "s", benchmarks: [{ name: "a", minSamples: 2, setup }] },
      { name: "s", benchmarks: [{ name: "a", anchor: "x", isolate: true, setup }] },
      { name: "s", benchmarks: [{ name: "a", setup, contenders: { ours: () => () => 1 } }] },
    ];
    const messages = bad.map((suite) => {
      try {
        defineSuite(suite);
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(messages[0]).toContain("unique");
    expect(messages[1]).toContain("relative to an anchor");
    expect(messages[2]).toContain("exactly one of maxRatio");
    expect(messages[3]).toContain("positive number");
    expect(messages[4]).toContain("3 <= minSamples");
    expect(messages[5]).toContain("give contenders: { ours: (ctx) => measure");
    expect(messages[6]).toContain("exactly one of setup");
  });
});

// Concurrent: each test waits on processes of its own, and none reads another's figures (the effects
// asserted are 20× and more, or exact seeds and process ids), so they need not take turns.
describe.concurrent("runSuites (real benchmark processes)", () => {
  it(
    "measures each benchmark in a fresh process, judges targets, confirms a miss and keeps going after one that throws",
    // Real processes: a minute on a quiet machine is several on a saturated one. The verdicts
    // (20× and 100× effects, both sides in the same processes) do not depend on that.
    { timeout: 600_000 },
    async () => {
      const progress: string[] = [];
      const result = await runSuites({
        files: [join(fixtures, "demo.bench.ts")],
        mode: "quick",
        tolerance: 0.05,
        onProgress: (m) => progress.push(m),
      });
      const byName = new Map(result.results.map((r) => [r.name, r]));
      expect([...byName.keys()]).toEqual([
        "a twentieth of the work",
        "a hundred times the work",
        "alone",
        "throws",
      ]); // "full only" is skipped in quick mode
      const met = byName.get("a twentieth of the work");
      expect(met?.verdict?.kind).toBe("target met");
      expect(met?.verdict?.ratio.estimate).toBeGreaterThan(0.01);
      expect(met?.verdict?.ratio.estimate).toBeLessThan(0.2);
      expect(met?.ours.length).toBe(met?.anchor?.length);
      expect(new Set(met?.ours.map((s) => s.process))).toEqual(new Set([0, 1])); // quick mode: 2 processes
      expect(
        met?.ours.every(
          (s) => s.gcs !== undefined && s.cpu !== undefined && s.heapMb !== undefined,
        ),
      ).toBe(true);
      const missed = byName.get("a hundred times the work");
      expect(missed?.verdict?.kind).toBe("target missed");
      expect(missed?.confirmation?.kind).toBe("target missed");
      expect(progress).toContain(
        "demo › a hundred times the work: target missed, re-running to confirm",
      );
      expect(byName.get("alone")?.ours.length).toBeGreaterThanOrEqual(10);
      expect(byName.get("alone")?.verdict).toBeUndefined();
      expect(byName.get("throws")?.error).toContain("setup failed on purpose");
      expect(result.environment.node).toBe(process.version);
    },
  );

  it(
    "runs an isolated benchmark's contenders in processes of their own, several of each, in turn",
    { timeout: 600_000 },
    async () => {
      const result = await runSuites({
        files: [join(fixtures, "isolated.bench.ts")],
        mode: "quick",
        tolerance: 0.05,
      });
      const [r] = result.results;
      // The fixture reports its process id as peakMb, to show where each sample came from.
      const pids = (samples: readonly { peakMb?: number }[] | undefined) =>
        new Set((samples ?? []).map((s) => s.peakMb));
      expect(r?.isolate).toBe(true);
      expect(pids(r?.ours).size).toBe(2);
      expect(pids(r?.anchor).size).toBe(2);
      expect([...pids(r?.ours)].some((pid) => pids(r?.anchor).has(pid))).toBe(false);
      expect(r?.ours.length).toBeGreaterThanOrEqual(10);
      expect(r?.verdict?.kind).not.toBe("target missed");
    },
  );

  it(
    "starts the i-th process of each isolated side with the same V8 seeds, different per pair, and judges the ratio pair by pair",
    { timeout: 600_000 },
    async () => {
      const result = await runSuites({
        files: [join(fixtures, "seeded-pairs.bench.ts")],
        mode: "quick",
        tolerance: 0.05,
      });
      const [r] = result.results;
      // The fixture reports 1 + its first Math.random() (ours × 1.2), set by --random-seed.
      const drawsOf = (samples: readonly { value: number; process?: number }[] | undefined) => {
        const draws = new Map<number, Set<number>>();
        for (const s of samples ?? [])
          draws.set(s.process ?? -1, (draws.get(s.process ?? -1) ?? new Set()).add(s.value));
        return draws;
      };
      const ours = drawsOf(r?.ours);
      const anchor = drawsOf(r?.anchor);
      expect(r?.seededPairs).toBe(true);
      expect([...anchor.keys()].sort()).toEqual([0, 1, 2]);
      expect([...ours.keys()].sort()).toEqual([0, 1, 2]);
      for (const [pair, values] of anchor) {
        expect(values.size).toBe(1);
        const [drawn] = values;
        expect([...(ours.get(pair) ?? [])].map((v) => v / (drawn as number))).toEqual([
          expect.closeTo(1.2, 9),
        ]);
      }
      expect(new Set([...anchor.values()].flatMap((v) => [...v])).size).toBe(3);
      const pids = (samples: readonly { peakMb?: number }[] | undefined) =>
        new Set((samples ?? []).map((s) => s.peakMb));
      expect([...pids(r?.ours)].some((pid) => pids(r?.anchor).has(pid))).toBe(false);
      expect(r?.verdict?.kind).toBe("target met");
      expect(r?.verdict?.ratio.low).toBeCloseTo(1.2, 9);
      expect(r?.verdict?.ratio.high).toBeCloseTo(1.2, 9);
    },
  );

  it("keeps a seed the benchmark processes' own Node flags set", { timeout: 600_000 }, async () => {
    const result = await runSuites({
      files: [join(fixtures, "seeded-pairs.bench.ts")],
      mode: "quick",
      tolerance: 0.05,
      execArgv: [...process.execArgv, "--random_seed=7"],
    });
    const [r] = result.results;
    const anchorDraws = new Set(r?.anchor?.map((s) => s.value));
    expect(r?.anchor?.length).toBeGreaterThanOrEqual(3);
    expect(anchorDraws.size).toBe(1);
  });

  it(
    "runs a team's tinybench file as it is, with targets declared beside it",
    { timeout: 600_000 },
    async () => {
      const result = await runSuites({
        files: [join(fixtures, "tinybench.bench.ts")],
        mode: "quick",
        tolerance: 0.05,
      });
      expect(result.results.map((r) => r.id)).toEqual([
        "tinybench file › join",
        "tinybench file › sum",
      ]);
      const [join_, sum] = result.results;
      expect(join_?.anchorName).toBe("map + join");
      expect(join_?.verdict?.kind).toBe("target met"); // join alone is far cheaper than map + join
      expect(join_?.unit).toBe("ms");
      expect(sum?.ours.length).toBeGreaterThanOrEqual(10);
      expect(sum?.ours.every((s) => s.value > 0)).toBe(true);
    },
  );

  it("kills a benchmark that never finishes and says so", { timeout: 600_000 }, async () => {
    const result = await runSuites({
      files: [join(fixtures, "hang.bench.ts")],
      mode: "quick",
      tolerance: 0.05,
      timeoutMs: 2_000,
    });
    expect(result.results[0]?.error).toContain("did not finish within 2000 ms");
  });

  it("explains a file whose default export is not a suite", async () => {
    await expect(
      runSuites({
        files: [join(fixtures, "not-a-suite.bench.ts")],
        mode: "quick",
        tolerance: 0.05,
      }),
    ).rejects.toThrow(/Expected a suite exported as `suite`/);
  });
});

describe("compareWithBaseline", () => {
  const run = (oursCenter: number, anchorCenter: number, seed: number) => ({
    id: "s › b",
    ours: around(oursCenter, 0.01, 20, seed).map((value) => ({ value })),
    anchor: around(anchorCenter, 0.01, 20, seed + 1).map((value) => ({ value })),
  });
  const baseline: LoadedResults = {
    environment,
    benchmarks: { "s › b": around(100, 0.01, 20, 1) },
    anchors: { "s › b": around(200, 0.01, 20, 2) },
  };

  it("compares ratios to the anchor, so a uniformly slower machine is no regression", () => {
    const slowerMachine = compareWithBaseline(run(150, 300, 3), baseline, environment, 0.05);
    expect(slowerMachine).toMatchObject({
      basis: "ratio to anchor",
      verdict: { kind: "no change" },
    });
    const slowerCode = compareWithBaseline(run(130, 200, 5), baseline, environment, 0.05);
    expect(slowerCode).toMatchObject({ verdict: { kind: "regression" } });
  });

  it("compares absolute figures only on the same kind of machine", () => {
    const noAnchor = { ...baseline, anchors: {} };
    const ours = { id: "s › b", ours: around(130, 0.01, 20, 7).map((value) => ({ value })) };
    expect(compareWithBaseline(ours, noAnchor, environment, 0.05)).toMatchObject({
      basis: "absolute",
      verdict: { kind: "regression" },
    });
    const elsewhere = compareWithBaseline(ours, noAnchor, { ...environment, cpu: "other" }, 0.05);
    expect(elsewhere).toMatchObject({
      note: expect.stringContaining("another machine") as unknown,
    });
    expect(compareWithBaseline({ ...ours, id: "new" }, noAnchor, environment, 0.05)).toMatchObject({
      note: expect.stringContaining("not in the baseline") as unknown,
    });
  });
});

describe("compareWithBaseline, instruction counts", () => {
  const counted = (oursCenter: number, anchorSpread: number, seed: number) => ({
    id: "s › b",
    unit: INSTRUCTIONS_UNIT,
    ours: around(oursCenter, 0.0005, 5, seed).map((value) => ({ value })),
    anchor: around(200, anchorSpread, 5, seed + 1).map((value) => ({ value })),
  });
  const baseline: LoadedResults = {
    environment,
    benchmarks: { "s › b": around(100, 0.0005, 15, 1) },
    anchors: { "s › b": around(200, 0.02, 15, 2) },
    units: { "s › b": INSTRUCTIONS_UNIT },
  };

  it("compares counts as they are on the same kind of machine: the anchor's spread does not widen the interval", () => {
    // The anchor's counts spread by 2 % (an allocator's work varies), ours do not move: no change.
    expect(compareWithBaseline(counted(100, 0.02, 3), baseline, environment, 0.01)).toMatchObject({
      basis: "absolute",
      verdict: { kind: "no change" },
    });
    // Ours 2 % higher, the same anchor spread: a regression at the 1 % tolerance.
    expect(compareWithBaseline(counted(102, 0.02, 5), baseline, environment, 0.01)).toMatchObject({
      basis: "absolute",
      verdict: { kind: "regression" },
    });
    // On another machine the anchor cancels the difference, as for timings.
    const elsewhere = { ...environment, cpu: "other" };
    expect(compareWithBaseline(counted(100, 0.02, 3), baseline, elsewhere, 0.01)).toMatchObject({
      basis: "ratio to anchor",
    });
  });
  it("compares counts value by value: a cheap step at another index in this run is no change, every step 3 % dearer a regression", () => {
    const eviction = (values: number[]): LoadedResults => ({
      environment,
      benchmarks: { "s › e": values },
      units: { "s › e": INSTRUCTIONS_UNIT },
    });
    const run = (values: number[]) => ({
      id: "s › e",
      unit: INSTRUCTIONS_UNIT,
      ours: values.map((value) => ({ value })),
    });
    const base = eviction([1379.6, 1380.0, 1380.1, 1380.1, 1248.9]);
    const moved = run([1248.9, 1379.6, 1380.0, 1380.1, 1380.1]);
    expect(compareWithBaseline(moved, base, environment, 0.01)).toMatchObject({
      verdict: { kind: "no change" },
    });
    const dearer = run([1248.9, 1379.6, 1380.0, 1380.1, 1380.1].map((v) => v * 1.03));
    expect(compareWithBaseline(dearer, base, environment, 0.01)).toMatchObject({
      verdict: { kind: "regression" },
    });
  });
});

describe("baselines from several runs", () => {
  it("pools samples, keeps anchors only where every run has them, and names what differed", () => {
    const a: LoadedResults = {
      environment,
      mode: "quick",
      benchmarks: { x: [1, 2], y: [5] },
      anchors: { x: [3, 4], y: [6] },
    };
    const b: LoadedResults = {
      environment: { ...environment, cpu: "other" },
      mode: "quick",
      benchmarks: { x: [7], y: [8] },
      anchors: { x: [9] },
    };
    const { merged, differences } = mergeResults([a, { ...b, processes: { x: [3] } }]);
    expect(merged.benchmarks).toEqual({ x: [1, 2, 7], y: [5, 8] });
    // Processes stay apart between runs; a run that does not say counts as one process.
    expect(merged.processes).toEqual({ x: [0, 0, 1_003], y: [0, 1_000] });
    expect(merged.anchors).toEqual({ x: [3, 4, 9] });
    expect(merged.mode).toBe("quick");
    expect(differences).toEqual(["cpu: test cpu vs other"]);
  });
});

describe("reports", () => {
  it("splices a generated report between markers and keeps the prose around it", () => {
    const doc =
      "# Title\n\nprose\n\n<!-- bench-gate:start -->\nold\n<!-- bench-gate:end -->\n\nmore prose\n";
    const next = spliceReport(doc, "new table\n");
    expect(next).toContain(
      "prose\n\n<!-- bench-gate:start -->\n\nnew table\n\n<!-- bench-gate:end -->\n\nmore prose",
    );
    expect(next).not.toContain("old");
    expect(spliceReport("no markers", "report\n")).toBe("report\n");
  });

  it("stores a run's samples with anchors and units, and reads them back", () => {
    const suiteRun: SuiteRun = {
      environment,
      mode: "quick",
      savedAt: "2026-11-27T00:00:00.000Z",
      results: [
        {
          id: "s › b",
          file: "/x.bench.ts",
          suite: "s",
          name: "b",
          unit: "ns/op",
          forks: 1,
          ours: [
            { value: 1, process: 0 },
            { value: 2, process: 0 },
            { value: 3, process: 1 },
          ],
          anchor: [
            { value: 2, process: 0 },
            { value: 4, process: 1 },
            { value: 6, process: 1 },
          ],
        },
        {
          id: "s › broken",
          file: "/x.bench.ts",
          suite: "s",
          name: "broken",
          unit: "ns/op",
          forks: 1,
          ours: [],
          error: "boom",
        },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-results-"));
    writeFileSync(join(dir, "r.json"), JSON.stringify(toResultsFile(suiteRun)));
    const loaded = loadResults(join(dir, "r.json"));
    expect(loaded).toMatchObject({
      processes: { "s › b": [0, 0, 1] },
      anchorProcesses: { "s › b": [0, 1, 1] },
      mode: "quick",
      benchmarks: { "s › b": [1, 2, 3] },
      anchors: { "s › b": [2, 4, 6] },
      units: { "s › b": "ns/op" },
    });
    expect(loaded.benchmarks["s › broken"]).toBeUndefined();
  });
});

describe.concurrent("bench-gate check (CLI)", () => {
  it(
    "fails on a confirmed missed target and an unmeasurable benchmark, writes results and a spliced report",
    { timeout: 600_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "bench-gate-check-"));
      writeFileSync(
        join(dir, "bench.md"),
        "# Ours\n\n<!-- bench-gate:start -->\n<!-- bench-gate:end -->\n",
      );
      const io = memoryIo(dir);
      const code = await run(
        [
          "check",
          join(fixtures, "demo.bench.ts"),
          "--filter",
          "work",
          "--out",
          "r.json",
          "--report",
          "bench.md",
        ],
        io,
      );
      expect(io.err()).toContain("1 failing");
      expect(code).toBe(1);
      expect(io.err()).toContain("demo › a hundred times the work");
      expect(io.out()).toContain("a twentieth of the work");
      const report = readFileSync(join(dir, "bench.md"), "utf8");
      expect(report).toMatch(/^# Ours\n\n<!-- bench-gate:start -->\n\nMeasured .* in quick mode/);
      expect(report).toContain("| a twentieth of the work |");
      expect(
        loadResults(join(dir, "r.json")).anchors?.["demo › a twentieth of the work"]?.length,
      ).toBeGreaterThan(0);
      expect(
        await run(["baseline", "save", "--from", "r.json", "--to", "base.json"], memoryIo(dir)),
      ).toBe(0);
      const saved = loadResults(join(dir, "base.json"));
      const id = "demo › a twentieth of the work";
      expect(saved.processes?.[id]?.length).toBe(saved.benchmarks[id]?.length);
      expect(new Set(saved.processes?.[id])).toEqual(new Set([0, 1]));
      const again = memoryIo(dir);
      await run(
        [
          "check",
          join(fixtures, "demo.bench.ts"),
          "--filter",
          "twentieth",
          "--baseline",
          "base.json",
        ],
        again,
      );
      expect(again.out()).toMatch(
        /a twentieth of the work: .* baseline: (no change|inconclusive|improvement|regression) \(ratio to anchor\)/,
      );
    },
  );

  it("names a missing baseline with the command that creates one", async () => {
    const io = memoryIo(mkdtempSync(join(tmpdir(), "bench-gate-nobase-")));
    expect(
      await run(["check", join(fixtures, "demo.bench.ts"), "--baseline", "nope.json"], io),
    ).toBe(2);
    expect(io.err()).toContain("bench-gate baseline save");
  });
});

describe("bench-gate compare <suite files> (two trees)", () => {
  it(
    "measures each benchmark's own side in processes taken from each tree in turn; its verdict and exit code agree",
    { timeout: 600_000 },
    async () => {
      const trees = join(fixtures, "..", "trees");
      const io = memoryIo(join(trees, "head"));
      const code = await run(
        [
          "compare",
          "--base", // a folder: the base tree (like --base-dir)
          "../base",
          "work.bench.ts",
          "--quick",
          "--expect-faster",
          "30%",
          "--json",
        ],
        io,
      );
      const [result, ...others] = JSON.parse(io.out()) as {
        name: string;
        unit: string;
        verdict: { kind: string; ratio: { estimate: number } };
        base: unknown[];
      }[];
      expect(others).toHaveLength(0);
      expect(result?.name).toBe("work › the work");
      expect(result?.unit).toBe("ns/op");
      expect(result?.base.length).toBeGreaterThanOrEqual(10);
      expect(io.err()).toContain("note: work › new in head: only in head; not compared.");
      expect(io.err()).toContain("note: work › removed in head: only in base; not compared.");
      // Real timings: the work is 40× cheaper in head, so the median ratio shows it on any machine.
      // Whether the 95 % interval is narrow enough to promise "≥ 30 % faster" depends on the noise
      // of the moment (a quick run on a machine running two test suites can be inconclusive, and
      // then the gate must say so and fail); the decision rule itself is tested on fixed samples in
      // statistics.test.ts. Never a regression or "no change", and the exit code follows the verdict.
      expect(result?.verdict.ratio.estimate).toBeLessThan(0.5);
      expect(["improvement holds", "inconclusive"]).toContain(result?.verdict.kind);
      expect(code).toBe(result?.verdict.kind === "improvement holds" ? 0 : 1);
    },
  );
});
