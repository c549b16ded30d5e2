import { describe, expect, it } from "vitest";
import {
  bootstrapMedians,
  medianNoise,
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

  it("names each outcome of an expected speed-up: holds, does not hold, inconclusive, and a slower head a regression", () => {
    const base = samples(100, 0.01, 40, 11);
    const expect30 = { threshold: 0.05, expectFaster: 0.3 };
    const holds = decide(base, samples(60, 0.01, 40, 12), expect30); // 1.67× faster
    expect(holds.kind).toBe("improvement holds");
    expect(holds.bounds.map((b) => b.label)).toEqual(["≥ 30.0 % faster", "+5.0 % slower"]);
    const short = decide(base, samples(85, 0.01, 40, 13), expect30); // 1.18× faster
    expect(short.kind).toBe("improvement does not hold");
    expect(short.explanation).toContain("not 30.0 % faster");
    const slower = decide(base, samples(130, 0.01, 40, 14), expect30);
    expect(slower.kind).toBe("regression");
    expect(slower.explanation).toContain("the expected 30.0 % speed-up does not hold");
    const straddles = decide(base, samples(100 / 1.3, 0.05, 40, 15), expect30); // right at the bound
    expect(straddles.kind).toBe("inconclusive");
    expect(straddles.ratio.low).toBeLessThan(1 / 1.3);
    expect(straddles.ratio.high).toBeGreaterThan(1 / 1.3);
  });

  it("compares index-aligned counts step by step: a step cheap in both runs leaves the verdict no change, a 3 % rise is still a regression", () => {
    // Five counts of one loop, the last step evicting less (cheaper) in every run.
    const base = [1379.6, 1380.0, 1380.1, 1380.1, 1248.9];
    const same = [1380.1, 1379.7, 1380.0, 1379.9, 1249.2];
    const unaligned = decide(base, same, { threshold: 0.01 });
    expect(unaligned.kind).toBe("inconclusive");
    const aligned = decide(base, same, { threshold: 0.01, aligned: true });
    expect(aligned.kind).toBe("no change");
    expect(aligned.ratio.high - aligned.ratio.low).toBeLessThan(0.002);
    const steady = [1379.6, 1380.0, 1380.1, 1380.3, 1379.8];
    const slower = decide(
      steady,
      steady.map((v) => v * 1.03),
      { threshold: 0.01, aligned: true },
    );
    expect(slower.kind).toBe("regression");
    // The same five steps taken as independent samples: the rank test cannot confirm at 1 %.
    const independent = decide(
      steady,
      steady.map((v) => v * 1.03),
      { threshold: 0.01 },
    );
    expect(independent.kind).toBe("inconclusive");
    expect(independent.explanation).toContain("rank test does not confirm");
    // Different numbers of samples cannot be aligned: compared as two independent sets.
    expect(decide(base, same.slice(0, 4), { threshold: 0.01, aligned: true }).kind).toBe(
      "inconclusive",
    );
  });

  it("says inconclusive when the interval straddles the bounds", () => {
    const v = decide(samples(100, 0.03, 6, 14), samples(104, 0.03, 6, 15), { threshold: 0.05 });
    expect(["inconclusive", "no change"]).toContain(v.kind);
    if (v.kind === "inconclusive") expect(v.explanation).toMatch(/interval|noise/);
  });
});

describe("samples from several processes", () => {
  // Two processes per side, each steady within itself but running at its own speed (as this
  // machine does): most samples from a process at 100 (head 102), a few from one at 130 (head 132).
  const steady = (center: number, n: number, seed: number) => samples(center, 0.005, n, seed);
  const base = [...steady(100, 16, 31), ...steady(130, 4, 32)];
  const head = [...steady(102, 16, 33), ...steady(132, 4, 34)];
  const twoProcesses = Array.from({ length: 20 }, (_, i) => (i < 16 ? 0 : 1));

  it("widens the interval to the variation between processes, which samples alone hide", () => {
    const ratio = (m: readonly number[]) => (m[1] as number) / (m[0] as number);
    const plain = bootstrapMedians([{ values: base }, { values: head }], ratio);
    const byProcess = bootstrapMedians(
      [
        { values: base, processes: twoProcesses },
        { values: head, processes: twoProcesses },
      ],
      ratio,
    );
    expect(byProcess.estimate).toBeCloseTo(plain.estimate, 6);
    expect(plain.high - plain.low).toBeLessThan(0.05); // one process's luck, taken as certainty
    expect(byProcess.high - byProcess.low).toBeGreaterThan(4 * (plain.high - plain.low));
    expect(byProcess.high).toBeGreaterThan(1.2);
  });

  it("takes the spread between process medians as the noise of the median", () => {
    expect(medianNoise({ values: base })).toBeLessThan(
      medianNoise({ values: base, processes: twoProcesses }),
    );
    expect(medianNoise({ values: base, processes: twoProcesses })).toBeGreaterThan(0.1);
    expect(medianNoise({ values: base, processes: base.map(() => 7) })).toBe(
      medianNoise({ values: base }),
    );
  });

  it("resamples sides measured in the same processes together, so a slow process slows both", () => {
    // Process 0 ran at normal speed, process 1 three times slower — for ours and the anchor alike.
    const ours = [...samples(25, 0.01, 10, 41), ...samples(75, 0.01, 10, 42)];
    const anchor = [...samples(100, 0.01, 10, 43), ...samples(300, 0.01, 10, 44)];
    const processes = ours.map((_, i) => (i < 10 ? 0 : 1));
    const ratio = (m: readonly number[]) => (m[1] as number) / (m[0] as number);
    const paired = bootstrapMedians(
      [
        { values: anchor, processes, family: "run" },
        { values: ours, processes, family: "run" },
      ],
      ratio,
    );
    const apart = bootstrapMedians(
      [
        { values: anchor, processes },
        { values: ours, processes },
      ],
      ratio,
    );
    expect(paired.low).toBeGreaterThan(0.2);
    expect(paired.high).toBeLessThan(0.3);
    expect(apart.high - apart.low).toBeGreaterThan(3 * (paired.high - paired.low));
  });
});
