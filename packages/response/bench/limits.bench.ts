// Issue 27's bar for the default adaptive limit, as a bench-gate suite: a backend with a hidden
// capacity that changes 8 → 16 → 4 every 20 s (limit-scenarios.ts), simulated on core's
// ManualClock, so every figure is exact and the same on any machine. After each change, GradientLimit
// must settle within ±25 % of the capacity in ≤ 2 s, keep ≥ 95 % of the best fixed limit's ok
// throughput and a backend p50 ≤ 1.5× the unloaded latency — without deadlines, with 200 ms ones,
// and with the 100 ms ones, under which most tasks would spend their budget queued: with the
// optimizer's defaults (deadline-aware starts refuse a task with too little time left to finish),
// and also behind queue-delay shedding (`codel: true`).
//
// Run: pnpm --filter @perflayer/response bench (full mode only: each benchmark simulates 14 minutes
// of traffic). The whole report, every limit and scenario: pnpm --filter @perflayer/response bench:limits
import { defineSuite } from "@perflayer/bench-gate";
import type { BenchmarkDefinition } from "@perflayer/bench-gate";
import type { PhaseResult, Scenario } from "./limit-simulation.ts";
import { BAR, capacityScenario, evaluate } from "./limit-scenarios.ts";
import type { Evaluation } from "./limit-scenarios.ts";

/** The simulation is deterministic: it runs once per benchmark process and every sample reads it. */
const evaluations = new Map<string, Promise<Evaluation>>();
function evaluated(scenario: Scenario): Promise<Evaluation> {
  let evaluation = evaluations.get(scenario.name);
  if (evaluation === undefined) {
    evaluation = evaluate(scenario, undefined, 1);
    evaluations.set(scenario.name, evaluation);
  }
  return evaluation;
}

/** The phases after a change, with the best fixed limit's figures for each. */
async function afterChanges(
  scenario: Scenario,
): Promise<{ ours: PhaseResult; best: PhaseResult }[]> {
  const { adaptive, bestFixed } = await evaluated(scenario);
  const ours = (adaptive[0] as Evaluation["adaptive"][number]).run.phases;
  return ours.slice(1).map((phase, i) => ({
    ours: phase,
    best: (bestFixed[i + 1] as Evaluation["bestFixed"][number]).phase,
  }));
}

/** ms per 1,000 ok tasks (lower is better) in the phase where ours trails the best fixed most. */
function weakestPhase(scenario: Scenario, side: "ours" | "best") {
  return async (): Promise<number> => {
    const phases = await afterChanges(scenario);
    const weakest = phases.reduce((a, b) =>
      b.ours.throughput / b.best.throughput < a.ours.throughput / a.best.throughput ? b : a,
    );
    return 1e6 / weakest[side].throughput;
  };
}

function benchmarks(scenario: Scenario): BenchmarkDefinition[] {
  const common = { quick: false, forks: 1, minSamples: 3, maxSamples: 3 } as const;
  return [
    {
      ...common,
      name: `${scenario.name}: slowest settling within ±25 % of capacity after a change (GradientLimit)`,
      unit: "ms (simulated)",
      anchor: "the 2 s budget of issue 27",
      target: { maxRatio: 1 },
      setup: () => ({
        ours: async () => {
          const phases = await afterChanges(scenario);
          // Never settled counts as the whole phase.
          return Math.max(
            ...phases.map(({ ours }) => ours.convergeMs ?? ours.endMs - ours.phase.startMs),
          );
        },
        anchor: () => BAR.convergeMs,
      }),
    },
    {
      ...common,
      name: `${scenario.name}: ok throughput in the weaker phase after a change (GradientLimit)`,
      unit: "ms per 1,000 ok tasks (simulated)",
      anchor: "the best fixed limit for that phase",
      // 1.05: at least 95.2 % of its throughput, a hair stricter than the bar's 95 %.
      target: { maxRatio: 1.05 },
      setup: () => ({
        ours: weakestPhase(scenario, "ours"),
        anchor: weakestPhase(scenario, "best"),
      }),
    },
    {
      ...common,
      name: `${scenario.name}: backend p50 in the worse phase after a change (GradientLimit)`,
      unit: "ms (simulated)",
      anchor: "the backend's unloaded latency (10 ms)",
      target: { maxRatio: BAR.rttP50Ratio },
      setup: () => ({
        ours: async () =>
          Math.max(...(await afterChanges(scenario)).map(({ ours }) => ours.rttP50Ms)),
        anchor: () => scenario.serviceMs(0),
      }),
    },
  ];
}

export const suite = defineSuite({
  name: "@perflayer/response adaptive limits",
  benchmarks: [
    ...benchmarks(capacityScenario()),
    ...benchmarks(capacityScenario(200)),
    // The 100 ms deadlines, under which queue wait eats most of each budget.
    ...benchmarks(capacityScenario(100)),
    ...benchmarks(capacityScenario(100, true)),
  ],
});
