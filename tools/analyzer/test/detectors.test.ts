import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "@perflayer/analyzer";

/**
 * Corpus-style fixtures, one shape family each. A fixture states what the analyzer must report in
 * its header: `// expect: <category>/<kind> <start>-<end> elim <n> "<evidence phrase>"` once per
 * finding, or `// expect: none` for a look-alike that must stay silent.
 */
const families = join(import.meta.dirname, "__fixtures__", "families");

interface Expected {
  readonly ruleId: string;
  readonly range: string;
  readonly eliminableLines: number;
  readonly evidence: string;
}

function expectations(text: string): Expected[] {
  return [...text.matchAll(/^\/\/ expect: (\S+) (\d+-\d+) elim (-?\d+) "([^"]+)"$/gm)].map((m) => ({
    ruleId: m[1] as string,
    range: m[2] as string,
    eliminableLines: Number(m[3]),
    evidence: m[4] as string,
  }));
}

describe("idiom detectors on the shape-family fixtures", async () => {
  const report = await analyze({ root: families, cacheDir: false, clones: false });

  for (const name of readdirSync(families).sort()) {
    const text = readFileSync(join(families, name), "utf8");
    const expected = expectations(text);
    const silent = /^\/\/ expect: none$/m.test(text);
    it(`${silent ? "stays silent on" : "reports exact ranges, kinds and evidence in"} ${name}`, () => {
      expect(silent || expected.length > 0).toBe(true);
      const found = report.findings
        .filter((f) => f.file === name)
        .map((f) => ({
          ruleId: f.ruleId,
          range: `${String(f.startLine)}-${String(f.endLine)}`,
          eliminableLines: f.eliminableLines,
          evidence: f.evidence.join("; "),
        }));
      expect(found.map(({ evidence: _, ...rest }) => rest)).toEqual(
        expected.map(({ evidence: _, ...rest }) => rest),
      );
      found.forEach((f, i) => expect(f.evidence).toContain(expected[i]?.evidence));
    });
  }

  it("counts only the lines of a finding's own nodes, not the code between them", () => {
    // `const started = …` and the log line go; `await compile()` between them stays.
    const timing = report.findings.find((f) => f.file === "timer-delta.ts");
    expect(timing).toMatchObject({ startLine: 6, endLine: 8, lines: 3, eliminableLines: 2 });
  });

  it("gives every finding a range inside its file, evidence, a replacement and eliminable lines", () => {
    for (const f of report.findings) {
      expect(f.startLine).toBeGreaterThan(0);
      expect(f.endLine).toBeGreaterThanOrEqual(f.startLine);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.eliminableLines).toBeLessThanOrEqual(f.lines);
      // Never negative: where `fix` rewrites the finding, its imports and the shared module are
      // setup charged to fix's summary, not to a finding.
      expect(f.eliminableLines).toBeGreaterThanOrEqual(0);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("totals per category and orders the roadmap by value over risk", () => {
    const sum = Object.values(report.summary.byCategory).reduce((s, c) => s + c.eliminableLines, 0);
    expect(sum).toBe(report.summary.eliminableLines);
    const scores = report.roadmap.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(report.roadmap.reduce((s, step) => s + step.findings, 0)).toBe(report.findings.length);
  });
});
