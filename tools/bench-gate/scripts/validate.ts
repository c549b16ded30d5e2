// Validates the gate itself on this machine (not a unit test: it measures real, noisy timings):
//  - A/A: the same workload against itself, 40 times: false-positive rate at the default threshold;
//  - an injected 10 % slowdown, 40 times: detection rate;
//  - injected 20 % and 40 % speed-ups with --expect-faster 30 %: confirmed only for the true ≥ 30 %.
// Run: pnpm --filter @perflayer/bench-gate validate
import { detectProfile } from "@perflayer/core";
import { compareRunners, functionRunner } from "@perflayer/bench-gate";
import type { VerdictKind } from "@perflayer/bench-gate";

const REPEATS = Number(process.env["VALIDATE_REPEATS"] ?? 40);
const data = new Float64Array(200_000).map((_, i) => (i % 97) / 7);

/** A CPU workload of `scale` × ~1 ms. */
function workload(scale: number): () => number {
  const n = Math.round(data.length * scale);
  return () => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.sqrt((data[i % data.length] as number) + i);
    return sum;
  };
}

async function scenario(
  label: string,
  headScale: number,
  expectFaster?: number,
): Promise<Record<VerdictKind, number>> {
  const counts: Record<VerdictKind, number> = {
    regression: 0,
    "improvement holds": 0,
    "improvement does not hold": 0,
    improvement: 0,
    "no change": 0,
    inconclusive: 0,
    "target met": 0,
    "target missed": 0,
  };
  const threshold = detectProfile().benchNoiseTolerance;
  for (let i = 0; i < REPEATS; i++) {
    const { verdict } = await compareRunners({
      base: functionRunner(workload(1), { iterations: 3 }),
      head: functionRunner(workload(headScale), { iterations: 3 }),
      decision: { threshold, ...(expectFaster === undefined ? {} : { expectFaster }) },
      maxTimeMs: 20_000, // defaults otherwise: 10–60 rounds, stop when the interval is within 3 %
      seed: i + 1,
    });
    counts[verdict.kind]++;
  }
  process.stdout.write(`${label}: ${JSON.stringify(counts)}\n`);
  return counts;
}

const threshold = detectProfile().benchNoiseTolerance;
console.log(
  `bench-gate validation — node ${process.version}, ${REPEATS} repeats per scenario, threshold ${(threshold * 100).toFixed(0)} % (${detectProfile().name} profile)\n`,
);
const aa = await scenario("A/A (identical)", 1);
const slow = await scenario("head 10 % slower", 1.1);
const fast20 = await scenario("head 20 % faster, expect 30 %", 1 / 1.2, 0.3);
const fast40 = await scenario("head 40 % faster, expect 30 %", 1 / 1.4, 0.3);
const rate = (n: number): string => `${((n / REPEATS) * 100).toFixed(1)} %`;
console.log("\n| scenario | goal | measured |");
console.log("|---|---|---:|");
console.log(
  `| A/A false-positive rate (regression or improvement on identical code) | ≤ 5 % | ${rate(aa.regression + aa.improvement)} |`,
);
console.log(
  `| injected 10 % slowdown detected as a regression | ≥ 90 % | ${rate(slow.regression)} |`,
);
console.log(
  `| true 20 % speed-up wrongly confirmed by --expect-faster 30 % | 0 % | ${rate(fast20["improvement holds"])} |`,
);
console.log(
  `| true 40 % speed-up confirmed by --expect-faster 30 % | high | ${rate(fast40["improvement holds"])} |`,
);
