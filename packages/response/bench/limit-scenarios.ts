// The scenarios of the adaptive-limit simulation suite, and how a run of them is judged: every
// adaptive limit and a sweep of fixed limits run the same deterministic simulation (no randomness,
// so no seed: see limit-simulation.ts), and each phase is compared with the best fixed limit for it.
import { AimdLimit, GradientLimit, VegasLimit } from "@perflayer/response";
import type { LimitAlgorithm } from "@perflayer/response";
import { simulate } from "./limit-simulation.ts";
import type { PhaseResult, RunResult, Scenario } from "./limit-simulation.ts";

const CAPACITY_PHASES = [
  { startMs: 0, servers: 8 },
  { startMs: 20_000, servers: 16 },
  { startMs: 40_000, servers: 4 },
];

/**
 * Capacity 8 → 16 → 4 every 20 s, 10 ms per request, FIFO beyond capacity; 64 clients.
 * @param timeoutMs - each task's deadline from enqueue; none when undefined
 * @param codel - whether the optimizer sheds by queue delay (`codel: true`)
 * @param deadlineAware - the optimizer's `deadlineAware`: `false` starts every task with time left
 */
export function capacityScenario(
  timeoutMs?: number,
  codel = false,
  deadlineAware = true,
): Scenario {
  return {
    name: `capacity 8 → 16 → 4${timeoutMs === undefined ? "" : `, deadline ${timeoutMs} ms`}${codel ? ", CoDel" : ""}${deadlineAware ? "" : ", deadlineAware: false"}`,
    durationMs: 60_000,
    clients: 64,
    phases: CAPACITY_PHASES,
    serviceMs: () => 10,
    overflow: "queue",
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(codel ? { codel } : {}),
    ...(deadlineAware ? {} : { deadlineAware }),
  };
}

/** 8 servers whose latency rises from 10 to 20 ms between 20 s and 40 s; 64 clients. */
export function latencyScenario(timeoutMs?: number): Scenario {
  return {
    name: `latency 10 → 20 ms${timeoutMs === undefined ? "" : `, deadline ${timeoutMs} ms`}`,
    durationMs: 60_000,
    clients: 64,
    phases: CAPACITY_PHASES.map((phase) => ({ ...phase, servers: 8 })),
    serviceMs: (t) => 10 + 10 * Math.min(1, Math.max(0, (t - 20_000) / 20_000)),
    overflow: "queue",
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

/** Capacity 8 → 16 → 4 with a hard error cliff: beyond capacity, requests fail at once. */
export function cliffScenario(timeoutMs?: number): Scenario {
  return {
    ...capacityScenario(timeoutMs),
    name: `error cliff 8 → 16 → 4${timeoutMs === undefined ? "" : `, deadline ${timeoutMs} ms`}`,
    overflow: "error",
  };
}

/**
 * Every scenario of the report: each with and without deadlines, plus the issue's 100 ms, without
 * and with the optimizer's CoDel shedding, and without deadline-aware starts (what it fixes).
 */
export const SCENARIOS: readonly Scenario[] = [
  capacityScenario(),
  capacityScenario(200),
  capacityScenario(100),
  capacityScenario(100, true),
  capacityScenario(100, false, false),
  latencyScenario(),
  latencyScenario(200),
  cliffScenario(),
  cliffScenario(200),
];

/** The adaptive limits under test, with their default options; the first is the default choice. */
export const ADAPTIVE: readonly { readonly name: string; readonly make: () => LimitAlgorithm }[] = [
  { name: "GradientLimit", make: () => new GradientLimit() },
  { name: "VegasLimit", make: () => new VegasLimit() },
  { name: "AimdLimit", make: () => new AimdLimit() },
];

/** Fixed limits tried for "the best fixed limit of a phase": around every capacity, and wider. */
export const FIXED: readonly number[] = [3, 4, 5, 6, 8, 9, 10, 12, 16, 17, 18, 20, 24];

/** One contender's run, judged phase by phase against the best fixed limit. */
export interface Judged {
  /** The contender, e.g. `GradientLimit` or `fixed 16`. */
  readonly name: string;
  /** The run. */
  readonly run: RunResult;
  /** Per phase: its throughput over the best fixed limit's for that phase. */
  readonly throughputShare: readonly number[];
}

/** A scenario's evaluation: adaptive limits, and the best fixed limit per phase. */
export interface Evaluation {
  /** The scenario. */
  readonly scenario: Scenario;
  /** The adaptive limits, judged. */
  readonly adaptive: readonly Judged[];
  /**
   * Per phase: the best fixed limit (highest throughput, within 0.5 % the lowest backend p50, then
   * the smallest limit) and its figures.
   */
  readonly bestFixed: readonly { readonly limit: number; readonly phase: PhaseResult }[];
}

/** Throughputs this close count as equal (a backlog drained after a change adds a few tasks). */
const TIE = 0.005;

function better(a: PhaseResult, b: PhaseResult): boolean {
  if (a.throughput > b.throughput * (1 + TIE)) return true;
  if (b.throughput > a.throughput * (1 + TIE)) return false;
  return a.rttP50Ratio < b.rttP50Ratio;
}

/**
 * Runs a scenario against every adaptive limit (or the first `adaptiveCount`) and the fixed sweep.
 * @param scenario - the scenario
 * @param fixed - fixed limits to sweep
 * @param adaptiveCount - how many of {@link ADAPTIVE} to run
 * @returns the evaluation
 */
export async function evaluate(
  scenario: Scenario,
  fixed: readonly number[] = FIXED,
  adaptiveCount = ADAPTIVE.length,
): Promise<Evaluation> {
  const bestFixed: { limit: number; phase: PhaseResult }[] = [];
  for (const limit of fixed) {
    const run = await simulate(scenario, limit);
    run.phases.forEach((phase, i) => {
      const best = bestFixed[i];
      if (best === undefined || better(phase, best.phase)) bestFixed[i] = { limit, phase };
    });
  }
  const adaptive: Judged[] = [];
  for (const { name, make } of ADAPTIVE.slice(0, adaptiveCount)) {
    const run = await simulate(scenario, make());
    adaptive.push({
      name,
      run,
      throughputShare: run.phases.map(
        (phase, i) => phase.throughput / (bestFixed[i] as { phase: PhaseResult }).phase.throughput,
      ),
    });
  }
  return { scenario, adaptive, bestFixed };
}

/** The issue's bar, applied after each capacity change (phases 2 and 3). */
export const BAR = { convergeMs: 2_000, throughputShare: 0.95, rttP50Ratio: 1.5 } as const;

/**
 * Whether a judged run meets the bar in every phase after a change.
 * @param judged - the run
 * @returns one line per phase that misses, empty when all meet it
 */
export function misses(judged: Judged): string[] {
  const out: string[] = [];
  judged.run.phases.forEach((phase, i) => {
    if (i === 0) return;
    const share = judged.throughputShare[i] as number;
    const where = `phase ${i + 1} (capacity ${phase.phase.servers})`;
    if (phase.convergeMs === undefined || phase.convergeMs > BAR.convergeMs)
      out.push(`${where}: settled in ${String(phase.convergeMs ?? "never")} ms`);
    if (share < BAR.throughputShare)
      out.push(`${where}: ${(share * 100).toFixed(1)} % of the best fixed limit's throughput`);
    if (phase.rttP50Ratio > BAR.rttP50Ratio)
      out.push(`${where}: backend p50 ${phase.rttP50Ratio.toFixed(2)}× unloaded`);
  });
  return out;
}
