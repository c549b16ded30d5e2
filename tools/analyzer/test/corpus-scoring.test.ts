import { describe, expect, it } from "vitest";
import type { Positive, RepoLabels } from "../corpus/labels.ts";
import { type ScoredFinding, scoreRepo } from "../corpus/scoring.ts";

function positive(id: string, start: number, end: number, removable: number): Positive {
  return {
    id,
    path: "src/a.ts",
    start,
    end,
    category: "caching",
    kind: "memoize",
    note: "n",
    removable,
  };
}

const labels: RepoLabels = {
  repo: "o/r",
  commit: "a".repeat(40),
  split: "tuning",
  scope: ["src/"],
  excluded: [],
  positives: [positive("found", 10, 20, 8), positive("missed", 40, 50, 6)],
  negatives: [{ id: "neg", path: "src/a.ts", start: 60, end: 62, looksLike: "memoize", note: "n" }],
};

const finding = (startLine: number, endLine: number, eliminableLines: number): ScoredFinding => ({
  file: "src/a.ts",
  startLine,
  endLine,
  category: "caching",
  kind: "memoize",
  eliminableLines,
});

describe("corpus scoring", () => {
  it("counts a missed positive's hand lines against the total and marks it not found", () => {
    const score = scoreRepo(labels, [finding(12, 18, 7)], new Set(["src/a.ts"]));
    expect(score.lines.hand).toBe(14);
    expect(score.lines.analyzer).toBe(7);
    expect(score.lines.perPositive).toEqual([
      {
        id: "found",
        category: "caching",
        kind: "memoize",
        hand: 8,
        analyzer: 7,
        found: true,
        path: "src/a.ts",
        start: 10,
        end: 20,
        findings: [finding(12, 18, 7)],
        elsewhere: [],
      },
      {
        id: "missed",
        category: "caching",
        kind: "memoize",
        hand: 6,
        analyzer: 0,
        found: false,
        path: "src/a.ts",
        start: 40,
        end: 50,
        findings: [],
        elsewhere: [],
      },
    ]);
    expect(score.missed.map((p) => p.id)).toEqual(["missed"]);
  });

  it("marks a positive found when its finding reports no eliminable lines", () => {
    const score = scoreRepo(labels, [finding(45, 46, 0)], new Set(["src/a.ts"]));
    expect(score.lines.perPositive.find((p) => p.id === "missed")?.found).toBe(true);
    expect(score.lines.perPositive.find((p) => p.id === "found")?.found).toBe(false);
  });

  it("lists the findings behind a positive's lines and those overlapping it counted elsewhere", () => {
    const other = { ...finding(14, 14, 1), category: "monitoring" as const, kind: "counter" };
    const score = scoreRepo(
      labels,
      [finding(12, 18, 7), finding(19, 19, 1), other],
      new Set(["src/a.ts"]),
    );
    const found = score.lines.perPositive.find((p) => p.id === "found");
    expect(found?.analyzer).toBe(8);
    expect(found?.findings).toEqual([finding(12, 18, 7), finding(19, 19, 1)]);
    expect(found?.elsewhere).toEqual([other]);
  });

  it("reports a negative any finding overlaps as violated", () => {
    const score = scoreRepo(labels, [finding(61, 61, 1)], new Set(["src/a.ts"]));
    expect(score.violated).toEqual(["neg"]);
    expect(score.unlabelled).toBe(0);
  });
});
