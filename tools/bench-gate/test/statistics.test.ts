import { describe, expect, it } from "vitest";
import {
  bootstrapRatio,
  decide,
  mannWhitney,
  median,
  normalCdf,
  relativeNoise,
  seededRandom,
} from "@perflayer/bench-gate";

/** Synthetic timings: `center` with multiplicative noise, reproducible. */
function samples(center: number, noise: number, n: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from(
    { length: n },
    () => center * (1 + noise * (random() + random() + random() - 1.5) * 2),
  );
}

describe("statistics with known answers", () => {
  it("computes medians and robust noise", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(relativeNoise([10, 10, 10, 10])).toBe(0);
    expect(relativeNoise([9, 10, 11])).toBeCloseTo(0.148, 2);
  });

  it("has a standard normal CDF", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 4);
  });

  it("Mann–Whitney: identical distributions are not significant; shifted ones are", () => {
    expect(mannWhitney([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]).p).toBeGreaterThan(0.9);
    const shifted = mannWhitney(samples(100, 0.02, 30, 1), samples(110, 0.02, 30, 2));
    expect(shifted.p).toBeLessThan(1e-6);
    // All head values above all base values: U = n1 × n2.
    expect(mannWhitney([1, 2, 3], [4, 5, 6]).u).toBe(9);
  });

  it("bootstraps an interval that holds the true ratio", () => {
    const interval = bootstrapRatio(samples(100, 0.03, 40, 3), samples(80, 0.03, 40, 4));
    expect(interval.estimate).toBeCloseTo(0.8, 1);
    expect(interval.low).toBeLessThan(0.8);
    expect(interval.high).toBeGreaterThan(0.8);
    expect(interval.high - interval.low).toBeLessThan(0.05);
  });
});

describe("verdicts", () => {
  it("calls a clear 15 % slowdown a regression at a 5 % threshold", () => {
    const v = decide(samples(100, 0.01, 30, 5), samples(115, 0.01, 30, 6), { threshold: 0.05 });
    expect(v.kind).toBe("regression");
    expect(v.speedupPercent).toBeLessThan(-10);
  });

  it("calls identical code no change", () => {
    expect(
      decide(samples(100, 0.01, 40, 7), samples(100, 0.01, 40, 8), { threshold: 0.05 }).kind,
    ).toBe("no change");
  });

  it("widens a threshold tighter than 3× the observed noise: never claims no change, still catches a large regression", () => {
    const v = decide(samples(100, 0.05, 30, 9), samples(101, 0.05, 30, 10), { threshold: 0.02 });
    expect(v.kind).toBe("inconclusive");
    expect(v.explanation).toContain("tighter than 3× the observed noise");
    expect(v.explanation).toContain("cannot be told from noise");
    const slow = decide(samples(100, 0.05, 30, 9), samples(150, 0.05, 30, 10), { threshold: 0.02 });
    expect(slow.kind).toBe("regression");
    expect(slow.explanation).toContain("judged at");
  });

  it("compares runs relative to their anchors, so a slower machine is no regression", () => {
    const baseline = { base: samples(100, 0.01, 30, 21), anchor: samples(200, 0.01, 30, 22) };
    const slowerMachine = decide(baseline.base, samples(150, 0.01, 30, 23), {
      threshold: 0.05,
      anchors: { base: baseline.anchor, head: samples(300, 0.01, 30, 24) },
    });
    expect(slowerMachine.kind).toBe("no change");
    expect(slowerMachine.ratio.estimate).toBeCloseTo(1, 1);
    const slowerCode = decide(baseline.base, samples(130, 0.01, 30, 25), {
      threshold: 0.05,
      anchors: { base: baseline.anchor, head: samples(200, 0.01, 30, 26) },
    });
    expect(slowerCode.kind).toBe("regression");
    expect(slowerCode.ratio.low).toBeGreaterThan(1.2);
  });

  it("confirms an expected speed-up only when the whole interval clears it", () => {
    const base = samples(100, 0.01, 40, 11);
    expect(
      decide(base, samples(60, 0.01, 40, 12), { threshold: 0.05, expectFaster: 0.3 }).kind,
    ).toBe("improvement holds"); // 1.67× faster
    const short = decide(base, samples(85, 0.01, 40, 13), { threshold: 0.05, expectFaster: 0.3 }); // 1.18× faster
    expect(short.kind).toBe("inconclusive");
    expect(short.explanation).toContain("not 30.0 % faster");
  });

  it("says inconclusive when the interval straddles the bounds", () => {
    const v = decide(samples(100, 0.03, 6, 14), samples(104, 0.03, 6, 15), { threshold: 0.05 });
    expect(["inconclusive", "no change"]).toContain(v.kind);
    if (v.kind === "inconclusive") expect(v.explanation).toMatch(/interval|noise/);
  });
});
