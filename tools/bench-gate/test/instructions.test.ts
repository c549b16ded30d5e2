import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  INSTRUCTIONS_UNIT,
  checkSuites,
  defineSuite,
  renderRunText,
  runSuites,
  valgrindCommand,
} from "@perflayer/bench-gate";
import type { BenchmarkResult, LoadedResults, SuiteRun } from "@perflayer/bench-gate";

const fixtures = join(import.meta.dirname, "__fixtures__", "suites");
const suiteFile = join(fixtures, "instructions.bench.ts");

/**
 * Tests that count instructions call this first. Without valgrind: under CI (`CI` set) the test
 * fails with the install command; locally it is reported as skipped, with the same command.
 */
function requireValgrind(context: { skip: (note?: string) => void }): void {
  if (valgrindCommand() !== undefined) return;
  const message =
    "valgrind is not installed, so this test did not run: install it with `apt-get install -y valgrind`";
  if (process.env["CI"] !== undefined) throw new Error(`${message} (.ci/run installs it).`);
  context.skip(message);
}

const spread = (r: BenchmarkResult | undefined, side: "ours" | "anchor"): number => {
  const values = (r?.[side] ?? []).map((s) => s.value);
  return (Math.max(...values) - Math.min(...values)) / Math.min(...values);
};

/**
 * One quick run of the fixture suite, shared by the tests that read its counts: every run counts
 * the file's whole batch under callgrind (minutes on a busy machine), and the counts of a second
 * run are the same.
 */
let fixtureRun: Promise<SuiteRun> | undefined;
const runFixture = (): Promise<SuiteRun> =>
  (fixtureRun ??= runSuites({ files: [suiteFile], mode: "quick", tolerance: 0.05 }));

const median = (r: BenchmarkResult | undefined, side: "ours" | "anchor"): number => {
  const values = (r?.[side] ?? []).map((s) => s.value).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
};

describe("measure: instructions (definitions)", () => {
  it("rejects an unknown measure and a unit on an instructions benchmark, saying what to pass", () => {
    const ours = () => 1;
    expect(() =>
      defineSuite({
        name: "s",
        benchmarks: [{ name: "b", measure: "cycles" as "time", setup: () => ({ ours }) }],
      }),
    ).toThrow(/Expected measure to be "time" or "instructions", got `cycles` \(string\)/);
    expect(() =>
      defineSuite({
        name: "s",
        benchmarks: [
          { name: "b", measure: "instructions", unit: "ns/op", setup: () => ({ ours }) },
        ],
      }),
    ).toThrow(`counts ${INSTRUCTIONS_UNIT}; remove unit: "ns/op"`);
  });
});

describe("measure: instructions (real processes under callgrind)", () => {
  it(
    "counts instructions per call exactly enough to see twice the work, side by side and isolated, beside a time benchmark",
    // Processes under valgrind: minutes on a saturated machine; the counts do not depend on that.
    { timeout: 900_000 },
    async (context) => {
      requireValgrind(context);
      const run = await runFixture();
      const byName = new Map(run.results.map((r) => [r.name, r]));

      const twice = byName.get("twice the work");
      expect(twice?.measure).toBe("instructions");
      expect(twice?.unit).toBe(INSTRUCTIONS_UNIT);
      expect(twice?.error).toBeUndefined();
      // sum(400) against sum(200): the loop body is all of the work, so the ratio is 2 (1.9977
      // measured; 1.976 while V8's compilation cache gave every loop of a batch one shared loop
      // function for the same source text, whose call site saw every body and inlined none).
      expect(twice?.verdict?.ratio.estimate).toBeGreaterThan(1.98);
      expect(twice?.verdict?.ratio.estimate).toBeLessThan(2.02);
      expect(twice?.verdict?.kind).toBe("target missed"); // ≤ 1.5× declared
      expect(twice?.confirmation?.kind).toBe("target missed");
      // Load does not move a count: the samples of a side agree within 0.5 %.
      expect(spread(twice, "ours")).toBeLessThan(0.005);
      expect(spread(twice, "anchor")).toBeLessThan(0.005);

      const isolated = byName.get("isolated, the same work");
      expect(isolated?.isolate).toBe(true);
      expect(isolated?.verdict?.kind).toBe("target met");
      // The same body in two processes that hold different sets of loops counts the same (0.99997
      // measured). While V8's compilation cache gave every loop of a process one shared function,
      // ours — beside every side-by-side loop — counted 1.0108× the anchor.
      expect(isolated?.verdict?.ratio.estimate).toBeGreaterThan(0.999);
      expect(isolated?.verdict?.ratio.estimate).toBeLessThan(1.001);
      // Each side in a process of its own: the anchor's samples carry another process number.
      expect(new Set(isolated?.ours.map((s) => s.process))).not.toEqual(
        new Set(isolated?.anchor?.map((s) => s.process)),
      );

      const async = byName.get("async: sum(400) against sum(200)");
      expect(async?.error).toBeUndefined();
      expect(async?.verdict).toBeUndefined(); // no target declared
      const asyncRatio = median(async, "ours") / median(async, "anchor");
      // An awaited call adds its promise's fixed cost to both sides: a little under 2.
      expect(asyncRatio).toBeGreaterThan(1.7);
      expect(asyncRatio).toBeLessThan(2.05);
      expect(spread(async, "ours")).toBeLessThan(0.005);

      // countedAndTimed: the counted variant under the name, no target; the timed one only in full runs.
      const both = byName.get("both modes");
      expect(both?.measure).toBe("instructions");
      // A/A: the same body in two loops of one process counts the same…
      const aa = median(both, "ours") / median(both, "anchor");
      expect(aa).toBeGreaterThan(0.999);
      expect(aa).toBeLessThan(1.001);
      // …and so does the same body in two benchmarks of one batch.
      const across = median(both, "ours") / median(twice, "anchor");
      expect(across).toBeGreaterThan(0.999);
      expect(across).toBeLessThan(1.001);
      expect(both?.target).toBeUndefined();
      expect(both?.unit).toBe(INSTRUCTIONS_UNIT);
      expect(byName.has("both modes, time")).toBe(false);

      expect(byName.get("a negative warm-up")?.error).toContain(
        "Expected warmupCalls to be a whole number ≥ 0, got `-1`",
      );
      expect(byName.get("not a loop")?.error).toContain("was not made by loop(body)");
      const timed = byName.get("in time");
      expect(timed?.measure).toBe("time");
      expect(timed?.unit).toBe("ns/op");
      expect(timed?.ours.length).toBeGreaterThanOrEqual(10);

      const text = renderRunText(run);
      expect(text).toMatch(/twice the work: .*instructions\/op/);
      expect(text).toContain("[instructions]");
    },
  );

  it(
    "fails a regression of a few percent against the baseline, decided on counts",
    { timeout: 900_000 },
    async (context) => {
      requireValgrind(context);
      // A benchmark without a target: the only re-run is the regression's confirmation.
      const id = "instructions › both modes";
      const first = await runFixture();
      const measured = first.results.find((r) => r.id === id);
      // A baseline 3 % cheaper than today's counts: today is a 3 % regression against it.
      const baseline: LoadedResults = {
        environment: first.environment,
        mode: "quick",
        benchmarks: { [id]: (measured?.ours ?? []).map((s) => s.value / 1.03) },
        anchors: { [id]: (measured?.anchor ?? []).map((s) => s.value) },
        units: { [id]: INSTRUCTIONS_UNIT },
      };
      const checked = await checkSuites({
        files: [suiteFile],
        mode: "quick",
        tolerance: 0.05,
        threshold: 0.05, // the time threshold; instructions benchmarks are judged at 1 %
        filter: "both modes",
        baseline,
      });
      const comparison = checked.baseline.get(id);
      expect(comparison !== undefined && "verdict" in comparison && comparison.verdict.kind).toBe(
        "regression",
      );
      // Confirmed by a fresh count of the whole batch.
      expect(
        comparison !== undefined && "verdict" in comparison && comparison.confirmation?.kind,
      ).toBe("regression");
      expect(checked.failures.some((f) => f.startsWith(`${id}: slower than the baseline`))).toBe(
        true,
      );
    },
  );
});

describe("measure: instructions without valgrind", () => {
  it(
    "says plainly that the benchmark did not run and how to install valgrind; under CI the gate fails",
    { timeout: 600_000 },
    async () => {
      const saved = { path: process.env["PATH"], ci: process.env["CI"] };
      // An empty directory as PATH: no valgrind there (processes are started by absolute path).
      process.env["PATH"] = mkdtempSync(join(tmpdir(), "no-valgrind-"));
      try {
        delete process.env["CI"];
        const local = await checkSuites({
          files: [suiteFile],
          mode: "quick",
          tolerance: 0.05,
          threshold: 0.05,
          filter: "twice",
        });
        const [result] = local.run.results;
        expect(result?.notRun).toContain("valgrind is not installed");
        expect(result?.notRun).toContain("apt-get install valgrind");
        expect(result?.ours).toEqual([]);
        expect(local.failures).toEqual([]);
        expect(local.warnings.some((w) => w.includes("did NOT RUN"))).toBe(true);

        process.env["CI"] = "true";
        const ci = await checkSuites({
          files: [suiteFile],
          mode: "quick",
          tolerance: 0.05,
          threshold: 0.05,
          filter: "twice",
        });
        expect(ci.failures).toEqual([
          expect.stringContaining("instructions › twice the work: did not run (CI is set)"),
        ]);
      } finally {
        process.env["PATH"] = saved.path;
        if (saved.ci === undefined) delete process.env["CI"];
        else process.env["CI"] = saved.ci;
      }
    },
  );
});
