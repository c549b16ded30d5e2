// A discrete-event simulation of a ResponseOptimizer in front of a backend whose capacity is hidden
// from it, driven on core's ManualClock: results are exact and independent of the machine's load.
//
// The backend has `servers` servers, each serving one request in `serviceMs(t)`; beyond them it
// either queues requests FIFO (a service that slows down under load) or fails them at once with an
// OverloadError (a hard error cliff). Closed-loop clients each submit one task through the
// optimizer, wait for its answer, and submit the next at once (10 ms after a failure).
import { ManualClock, OverloadError } from "@perflayer/core";
import { ResponseOptimizer } from "@perflayer/response";
import type { LimitAlgorithm } from "@perflayer/response";

/** One stretch of constant capacity. */
export interface Phase {
  /** When it starts, in simulated ms. */
  readonly startMs: number;
  /** Servers of the backend: its hidden concurrency capacity. */
  readonly servers: number;
}

/** A backend and its load. */
export interface Scenario {
  /** Short name, e.g. "capacity 8 → 16 → 4". */
  readonly name: string;
  /** Simulated duration in ms. */
  readonly durationMs: number;
  /** Closed-loop clients. */
  readonly clients: number;
  /** Capacity over time; the first phase starts at 0. */
  readonly phases: readonly Phase[];
  /** Unloaded service time of a request that starts at `t`, in ms. */
  readonly serviceMs: (t: number) => number;
  /** Beyond capacity: queue FIFO in the backend, or fail at once with `OverloadError`. */
  readonly overflow: "queue" | "error";
  /** Each task's deadline from enqueue (`run({ timeoutMs })`); none when undefined. */
  readonly timeoutMs?: number;
  /** Whether the optimizer sheds by queue delay (`ResponseOptimizer`'s `codel: true`). */
  readonly codel?: boolean;
  /** The optimizer's `deadlineAware` (deadline-aware starts); its default (on) when undefined. */
  readonly deadlineAware?: boolean;
}

/** Figures of one phase of one run. */
export interface PhaseResult {
  /** The phase. */
  readonly phase: Phase;
  /** Its end, in simulated ms. */
  readonly endMs: number;
  /** Tasks answered ok per simulated second. */
  readonly throughput: number;
  /** Clients' p99 time from `run()` to an ok answer, in ms. */
  readonly clientP99Ms: number;
  /** Backend round-trip (arrival to response) of served requests: p50 and p99, in ms. */
  readonly rttP50Ms: number;
  /** See {@link PhaseResult.rttP50Ms}. */
  readonly rttP99Ms: number;
  /** p50 of each served request's round-trip over its unloaded service time. */
  readonly rttP50Ratio: number;
  /** Mean, min and max of the limit (sampled every {@link SAMPLE_MS}). */
  readonly limitMean: number;
  /** See {@link PhaseResult.limitMean}. */
  readonly limitMin: number;
  /** See {@link PhaseResult.limitMean}. */
  readonly limitMax: number;
  /**
   * Simulated ms from the phase's start until the limit entered ±25 % of the phase's capacity for
   * good (to the phase's end); `undefined` when it was outside at the end.
   */
  readonly convergeMs: number | undefined;
  /** Tasks that failed by kind: timed out, overload (backend error or shed). */
  readonly timeouts: number;
  /** See {@link PhaseResult.timeouts}. */
  readonly overloads: number;
  /** Tasks the optimizer started (by start time). */
  readonly starts: number;
  /**
   * Of {@link PhaseResult.starts}: tasks started with less of their deadline left than the
   * backend's unloaded service time (0 without deadlines).
   */
  readonly startsShort: number;
  /**
   * Share of the backend's service time (by completion) spent on requests whose caller did not get
   * an ok answer: it had timed out by then.
   */
  readonly lateWorkShare: number;
  /** The optimizer's queue wait of started tasks: p50 and p99, in ms. */
  readonly queueWaitP50Ms: number;
  /** See {@link PhaseResult.queueWaitP50Ms}. */
  readonly queueWaitP99Ms: number;
}

/** One run: the limit over time and the figures per phase. */
export interface RunResult {
  /** The limit every {@link SAMPLE_MS}, from 0. */
  readonly limits: readonly number[];
  /** Per phase. */
  readonly phases: readonly PhaseResult[];
}

/** How often the limit is sampled, in simulated ms. */
export const SAMPLE_MS = 50;
/** How long a request beyond the cliff takes to fail, in simulated ms. */
const ERROR_MS = 1;
/** How long a client waits after a failure before it submits again, in simulated ms. */
const RETRY_MS = 10;

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Request {
  readonly arrivedAt: number;
  readonly resolve: () => void;
  /** Told the request's service time just before it is answered. */
  readonly onServed: ((serviceMs: number) => void) | undefined;
}

/** The backend: `servers` servers, FIFO or errors beyond them, recording every round-trip. */
class SimulatedBackend {
  readonly #clock: ManualClock;
  readonly #scenario: Scenario;
  readonly #waiting: Request[] = [];
  #head = 0;
  #busy = 0;
  servers: number;
  /** End time, round-trip and unloaded service time of each served request, flat. */
  readonly served: number[] = [];

  constructor(clock: ManualClock, scenario: Scenario) {
    this.#clock = clock;
    this.#scenario = scenario;
    this.servers = (scenario.phases[0] as Phase).servers;
  }

  /**
   * One request.
   * @param onServed - told its service time just before it is answered (not after an error)
   * @returns a promise, resolved when served
   */
  call = (onServed?: (serviceMs: number) => void): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const request: Request = { arrivedAt: this.#clock.now(), resolve, onServed };
      if (this.#busy < this.servers) this.#serve(request);
      else if (this.#scenario.overflow === "queue") this.#waiting.push(request);
      else
        this.#clock.setTimeout(
          () => reject(new OverloadError("backend at capacity", { retryAfterMs: 0 })),
          ERROR_MS,
        );
    });

  /** Sets the capacity; extra servers start on queued requests at once. */
  resize(servers: number): void {
    this.servers = servers;
    this.#startWaiting();
  }

  #serve(request: Request): void {
    this.#busy++;
    const serviceMs = this.#scenario.serviceMs(this.#clock.now());
    this.#clock.setTimeout(() => {
      this.#busy--;
      const now = this.#clock.now();
      this.served.push(now, now - request.arrivedAt, serviceMs);
      request.onServed?.(serviceMs);
      request.resolve();
      this.#startWaiting();
    }, serviceMs);
  }

  #startWaiting(): void {
    while (this.#busy < this.servers && this.#head < this.#waiting.length) {
      this.#serve(this.#waiting[this.#head++] as Request);
    }
    if (this.#head > 1_024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * Runs one scenario against one concurrency setting.
 * @param scenario - the backend and its load
 * @param concurrency - a fixed limit, or a fresh LimitAlgorithm (it is consumed)
 * @returns the limit over time and the figures per phase
 */
export async function simulate(
  scenario: Scenario,
  concurrency: number | LimitAlgorithm,
): Promise<RunResult> {
  const clock = new ManualClock();
  const backend = new SimulatedBackend(clock, scenario);
  const optimizer = new ResponseOptimizer({
    concurrency,
    clock,
    codel: scenario.codel ?? false,
    ...(scenario.deadlineAware === undefined ? {} : { deadlineAware: scenario.deadlineAware }),
  });
  const end = scenario.durationMs;
  const limits: number[] = [];
  const ok: number[] = []; // answer time, client latency
  const timeouts: number[] = [];
  const overloads: number[] = [];
  const starts: number[] = []; // start time, queue wait, whether less than the service time was left
  const work: { end: number; serviceMs: number; attempt: { ok: boolean } }[] = [];
  clock.setInterval(() => limits.push(optimizer.limit), SAMPLE_MS);
  limits.push(optimizer.limit);
  for (const phase of scenario.phases.slice(1))
    clock.setTimeout(() => backend.resize(phase.servers), phase.startMs);
  const timeoutMs = scenario.timeoutMs;
  const options = timeoutMs === undefined ? {} : { timeoutMs };
  const client = async (): Promise<void> => {
    while (clock.now() < end) {
      const at = clock.now();
      const deadline = at + (timeoutMs ?? Number.POSITIVE_INFINITY);
      const attempt = { ok: false };
      // Synchronous, returning the backend's own promise: no extra microtask changes the order
      // in which the simulation's events interleave.
      const task = (): Promise<void> => {
        const now = clock.now();
        // Finishing exactly at the deadline is too late: the deadline's timer fires first.
        starts.push(now, now - at, deadline - now <= scenario.serviceMs(now) ? 1 : 0);
        return backend.call((serviceMs) => work.push({ end: clock.now(), serviceMs, attempt }));
      };
      try {
        await optimizer.run(task, options);
        attempt.ok = true;
        ok.push(clock.now(), clock.now() - at);
      } catch (error) {
        (error instanceof OverloadError ? overloads : timeouts).push(clock.now());
        await new Promise<void>((resolve) => clock.setTimeout(resolve, RETRY_MS));
      }
    }
  };
  for (let i = 0; i < scenario.clients; i++) void client();
  for (let due = clock.nextDue(); due !== undefined && due <= end; due = clock.nextDue()) {
    clock.advance(due - clock.now());
    await flush();
  }
  await optimizer.close();

  const phases = scenario.phases.map((phase, index): PhaseResult => {
    const endMs = scenario.phases[index + 1]?.startMs ?? end;
    const within = (t: number): boolean => t >= phase.startMs && t < endMs;
    const latencies: number[] = [];
    for (let i = 0; i < ok.length; i += 2)
      if (within(ok[i] as number)) latencies.push(ok[i + 1] as number);
    const rtts: number[] = [];
    const ratios: number[] = [];
    const served = backend.served;
    for (let i = 0; i < served.length; i += 3) {
      if (!within(served[i] as number)) continue;
      rtts.push(served[i + 1] as number);
      ratios.push((served[i + 1] as number) / (served[i + 2] as number));
    }
    const sampled = limits.slice(phase.startMs / SAMPLE_MS, endMs / SAMPLE_MS);
    let lastOutside = -1;
    sampled.forEach((limit, i) => {
      if (limit < 0.75 * phase.servers || limit > 1.25 * phase.servers) lastOutside = i;
    });
    const waits: number[] = [];
    let startsShort = 0;
    for (let i = 0; i < starts.length; i += 3) {
      if (!within(starts[i] as number)) continue;
      waits.push(starts[i + 1] as number);
      startsShort += starts[i + 2] as number;
    }
    let busy = 0;
    let late = 0;
    for (const { end, serviceMs, attempt } of work) {
      if (!within(end)) continue;
      busy += serviceMs;
      if (!attempt.ok) late += serviceMs;
    }
    for (const list of [latencies, rtts, ratios, waits]) list.sort((a, b) => a - b);
    return {
      phase,
      endMs,
      throughput: (latencies.length * 1_000) / (endMs - phase.startMs),
      clientP99Ms: quantile(latencies, 0.99),
      rttP50Ms: quantile(rtts, 0.5),
      rttP99Ms: quantile(rtts, 0.99),
      rttP50Ratio: quantile(ratios, 0.5),
      limitMean: sampled.reduce((a, b) => a + b, 0) / sampled.length,
      limitMin: Math.min(...sampled),
      limitMax: Math.max(...sampled),
      convergeMs: lastOutside === sampled.length - 1 ? undefined : (lastOutside + 1) * SAMPLE_MS,
      timeouts: timeouts.filter(within).length,
      overloads: overloads.filter(within).length,
      starts: waits.length,
      startsShort,
      lateWorkShare: busy === 0 ? 0 : late / busy,
      queueWaitP50Ms: quantile(waits, 0.5),
      queueWaitP99Ms: quantile(waits, 0.99),
    };
  });
  return { limits, phases };
}
