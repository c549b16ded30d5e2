import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PerflayerConfigError } from "@perflayer/core";
import { loadLabels } from "../corpus/labels.ts";

const LABELS = join(import.meta.dirname, "..", "corpus", "labels");

function labelsDir(positive: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "perflayer-labels-"));
  writeFileSync(
    join(dir, "o+r.json"),
    JSON.stringify({
      repo: "o/r",
      commit: "a".repeat(40),
      split: "tuning",
      scope: ["src/"],
      positives: [
        {
          id: "r-p001",
          path: "src/a.ts",
          start: 1,
          end: 3,
          category: "caching",
          kind: "memoize",
          note: "n",
          ...positive,
        },
      ],
      negatives: [],
    }),
  );
  return dir;
}

describe("the corpus's label files", () => {
  it("every committed label file passes the checks, with held-out and tuning repositories", () => {
    const repos = loadLabels(LABELS);
    expect(repos.filter((r) => r.split === "held-out").length).toBeGreaterThan(0);
    expect(repos.filter((r) => r.split === "tuning").length).toBeGreaterThan(0);
    for (const repo of repos)
      for (const p of repo.positives)
        if (p.removable !== undefined) expect(Number.isInteger(p.removable)).toBe(true);
  });

  it("rejects a `removable` that is not a whole number of lines, naming the label", () => {
    expect(() => loadLabels(labelsDir({ removable: "mapper-cache" }))).toThrow(
      PerflayerConfigError,
    );
    expect(() => loadLabels(labelsDir({ removable: "mapper-cache" }))).toThrow(
      /removable` of r-p001/,
    );
    expect(() => loadLabels(labelsDir({ removable: 2.5 }))).toThrow(/whole number/);
    expect(loadLabels(labelsDir({ removable: 2 }))[0]?.positives[0]?.removable).toBe(2);
  });

  it("rejects a scope entry that is prose, not a path (git archive would fail on it)", () => {
    const dir = labelsDir({});
    const file = join(dir, "o+r.json");
    const data = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...data, scope: ["src/ (excluding src/v1/)"] }));
    expect(() => loadLabels(dir)).toThrow(PerflayerConfigError);
    expect(() => loadLabels(dir)).toThrow(/scope` entry .*src\/ \(excluding src\/v1\/\)/);
  });

  it("rejects a `group` that is not a string", () => {
    expect(() => loadLabels(labelsDir({ group: 3 }))).toThrow(/`group` of r-p001/);
  });

  it("refuses the repositories kept for the independent check, whatever their case", () => {
    const dir = labelsDir({});
    const file = join(dir, "o+r.json");
    const data = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...data, repo: "MongoDB/node-mongodb-native" }));
    expect(() => loadLabels(dir)).toThrow(PerflayerConfigError);
    expect(() => loadLabels(dir)).toThrow(
      /MongoDB\/node-mongodb-native` is kept for an independent check/,
    );
  });
});
