import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "@perflayer/analyzer";

const corpus = join(import.meta.dirname, "__fixtures__", "corpus");

describe("idiom detectors on the labelled corpus", async () => {
  const report = await analyze({ root: corpus, cacheDir: false, clones: false });
  const byFile = new Map<string, string[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.ruleId]);

  for (const name of readdirSync(join(corpus, "positive"))) {
    const expected = /\/\/ expect: (\S+)/.exec(
      readFileSync(join(corpus, "positive", name), "utf8"),
    )?.[1];
    it(`finds ${String(expected)} in positive/${name}`, () => {
      expect(byFile.get(`positive/${name}`)).toEqual([expected]);
    });
  }

  for (const name of readdirSync(join(corpus, "negative"))) {
    it(`reports nothing in negative/${name}`, () => {
      expect(byFile.get(`negative/${name}`)).toBeUndefined();
    });
  }

  it("counts only the lines of a finding's own nodes, not the code between them", () => {
    const timing = report.findings.find((f) => f.file === "positive/timing-record.ts");
    expect(timing?.endLine).toBe(8);
    expect(timing?.startLine).toBe(6);
    expect(timing?.lines).toBe(2); // `const start = …` and `recordDuration(…)`, not `await work()`
  });

  it("gives every finding a range inside its file, evidence, a replacement and eliminable lines", () => {
    for (const f of report.findings) {
      expect(f.startLine).toBeGreaterThan(0);
      expect(f.endLine).toBeGreaterThanOrEqual(f.startLine);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.eliminableLines).toBe(Math.max(0, f.lines - f.replacement.lines));
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
