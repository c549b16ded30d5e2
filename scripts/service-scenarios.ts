// The five scenarios of issue 25: the same catalogue service written three ways (legacy,
// anchor-service on lru-cache + p-queue + prom-client, service on perflayer), each in a process of
// its own on 127.0.0.1, compared pairwise through bench-gate (interleaved rounds, a bootstrap
// interval on the ratio of medians). Used by `pnpm bench:services` and by the demo's step 5.
import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { compareRunners } from "@perflayer/bench-gate";
import type { Comparison, Runner } from "@perflayer/bench-gate";
import { burst, catalogPath } from "@perflayer-examples/shared";
import type { BackendOptions } from "@perflayer-examples/shared";
import type { ServiceCommand, ServiceReply } from "./service-process.ts";

/** The three services. */
export type ServiceKind = "legacy" | "anchor" | "perflayer";

/** How each service is named in reports. */
export const SERVICE_NAMES: Readonly<Record<ServiceKind, string>> = {
  legacy: "legacy-service",
  anchor: "anchor-service",
  perflayer: "service (perflayer)",
};

/** A service running in a child process. */
export interface ServiceProcess {
  readonly kind: ServiceKind;
  readonly url: string;
  /** Heap in use after a full GC, and backend queries so far. */
  probe(): Promise<ServiceReply>;
  /** Sets the backend's time per query from now on. */
  setLatency(ms: number): Promise<ServiceReply>;
  stop(): Promise<void>;
}

/**
 * Starts one service in a process of its own (`scripts/service-process.ts`, `--expose-gc`).
 * @param kind - which service
 * @param backend - its simulated backend
 * @param root - the workspace root
 * @returns the running process, once it listens
 */
export async function startServiceProcess(
  kind: ServiceKind,
  backend: BackendOptions,
  root: string,
): Promise<ServiceProcess> {
  const child = fork(join(root, "scripts", "service-process.ts"), [kind, JSON.stringify(backend)], {
    cwd: root,
    // Workspace packages from source, as the tests read them (a fresh clone has no dist/).
    execArgv: ["--expose-gc", "--conditions=@perflayer/source", "--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${kind} service exited with ${String(code)}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
  });
  let nextId = 0;
  const waiting = new Map<number, (reply: ServiceReply) => void>();
  child.on("message", (reply: ServiceReply) => {
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const ask = (command: ServiceCommand): Promise<ServiceReply> =>
    new Promise((resolve) => {
      waiting.set(command.id, resolve);
      child.send(command);
    });
  return {
    kind,
    url,
    probe: () => ask({ id: nextId++, op: "probe" }),
    setLatency: (ms) => ask({ id: nextId++, op: "latency", ms }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** One request's outcome, as the client saw it. */
interface Answer {
  /** Time to the whole answer, in ms. */
  readonly ms: number;
  /** HTTP status; 0 when no answer came within 30 s. */
  readonly status: number;
}

async function timedGet(url: string, headers?: Record<string, string>): Promise<Answer> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(30_000),
      ...(headers && { headers }),
    });
    await res.arrayBuffer();
    return { ms: performance.now() - t0, status: res.status };
  } catch {
    return { ms: performance.now() - t0, status: 0 };
  }
}

/**
 * Nearest-rank percentile.
 * @param values - samples (not modified)
 * @param p - 0–100
 * @returns the percentile, or NaN for no samples
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const share = (part: number, whole: number): number => (whole === 0 ? 0 : (part / whole) * 100);
const mib = (bytes: number): number => bytes / 2 ** 20;

/** Side figures of one sample, by name (medians over samples are reported). */
export type Notes = Record<string, number>;

/** How many rounds a comparison samples. */
export interface Sampling {
  readonly warmup: number;
  readonly minSamples: number;
  readonly maxSamples: number;
  readonly maxTimeMs: number;
}

/** A scenario: the load, what one sample measures, and how many samples to take. */
export interface Scenario {
  readonly id: string;
  /** What the load is, in a line. */
  readonly title: string;
  /** What a sample's figure is (lower is better). */
  readonly measure: string;
  readonly unit: "ms" | "MiB" | "%";
  readonly backend: BackendOptions;
  readonly sampling: Sampling;
  /** Rounds against the legacy service, when its samples take much longer. @defaultValue `sampling` */
  readonly legacySampling?: Sampling;
  /** A runner for one service; each sample also pushes its side figures to `notes`. */
  runner(service: ServiceProcess, notes: Notes[]): Runner;
}

/** Steady catalogue traffic: the demo's burst, a hot set drifting one key per round. */
export const steady: Scenario = {
  id: "steady",
  title:
    "steady catalogue traffic: 400 requests, 32 in flight, 40 hot keys drifting by one per burst",
  measure: "time for the burst",
  unit: "ms",
  backend: {},
  sampling: { warmup: 2, minSamples: 12, maxSamples: 40, maxTimeMs: 30_000 },
  runner(service) {
    let round = 0;
    return async () => {
      const offset = round++;
      const t0 = performance.now();
      await burst(service.url, { requests: 400, concurrency: 32, hotKeys: 40, offset });
      return { value: performance.now() - t0 };
    };
  },
};

/** A cold-key stampede: 200 concurrent requests of a product nobody asked for yet. */
export const stampede: Scenario = {
  id: "stampede",
  title: "cold-key stampede: 200 concurrent requests of one cold product (a new one each round)",
  measure: "time until all 200 are answered",
  unit: "ms",
  backend: { products: 100_000_000 },
  sampling: { warmup: 1, minSamples: 10, maxSamples: 30, maxTimeMs: 30_000 },
  runner(service, notes) {
    let id = 1_000_000;
    return async () => {
      const url = `${service.url}/products/${id++}`;
      const before = (await service.probe()).queries;
      const t0 = performance.now();
      const answers = await Promise.all(Array.from({ length: 200 }, () => timedGet(url)));
      const value = performance.now() - t0;
      notes.push({
        "backend queries": (await service.probe()).queries - before,
        "non-200": answers.filter((a) => a.status !== 200).length,
      });
      return { value };
    };
  },
};

/** The backend's capacity for cold keys: 4 connections, 30 ms per query. */
const CAPACITY_PER_S = 4 / 0.03;

/** What a sample of the overload scenario reports as its figure. */
export type OverloadFigure = "high-p99" | "normal-lost";

/**
 * 2× overload: cold products (each request needs one backend query) offered open-loop at twice
 * the backend's capacity, every fifth request `x-priority: high`.
 * @param seconds - how long the load is offered per sample
 * @param sampling - rounds
 * @param figure - `high-p99`: the high-priority requests' p99 time to an answer (scenario
 *   `overload`); `normal-lost`: the share of normal-priority requests not answered 200 — the
 *   goodput left for everyone else (scenario `overload-goodput`)
 * @returns the scenario
 */
export function overload(
  seconds = 3,
  sampling: Sampling = { warmup: 1, minSamples: 8, maxSamples: 12, maxTimeMs: 60_000 },
  figure: OverloadFigure = "high-p99",
): Scenario {
  const rate = 2 * CAPACITY_PER_S;
  return {
    id: figure === "high-p99" ? "overload" : "overload-goodput",
    title: `2× overload: ${Math.round(rate)} requests/s of cold products for ${seconds} s (capacity ${Math.round(CAPACITY_PER_S)}/s), 20 % \`x-priority: high\``,
    measure:
      figure === "high-p99"
        ? "p99 time to an answer of the high-priority requests (any status)"
        : "normal-priority requests not answered 200 (shed, timed out or failed)",
    unit: figure === "high-p99" ? "ms" : "%",
    backend: { products: 100_000_000 },
    sampling,
    // Without deadlines the legacy service takes tens of seconds to drain each round.
    legacySampling: { warmup: 0, minSamples: 3, maxSamples: 3, maxTimeMs: 1 },
    runner(service, notes) {
      let nextId = 1;
      return async () => {
        const answers: (Answer & { high: boolean })[] = [];
        const inFlight = new Set<Promise<void>>();
        const total = Math.round(rate * seconds);
        const start = performance.now();
        // Open loop: requests leave on schedule, whether or not earlier ones were answered.
        for (let sent = 0; sent < total;) {
          await sleep(2);
          const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
          for (; sent < due; sent++) {
            const high = sent % 5 === 0;
            const request = timedGet(
              `${service.url}/products/${nextId++}`,
              high ? { "x-priority": "high" } : undefined,
            ).then((answer) => void answers.push({ ...answer, high }));
            inFlight.add(request);
            void request.then(() => inFlight.delete(request));
          }
        }
        const outstanding = inFlight.size;
        const { heapBytes } = await service.probe();
        await Promise.all(inFlight);
        const of = (high: boolean): Answer[] => answers.filter((a) => a.high === high);
        const ok = (list: Answer[]): number => list.filter((a) => a.status === 200).length;
        const highP99 = percentile(
          of(true).map((a) => a.ms),
          99,
        );
        const normalOk = share(ok(of(false)), of(false).length);
        const value = figure === "high-p99" ? highP99 : 100 - normalOk;
        notes.push({
          "high p99 ms": highP99,
          "normal p99 ms": percentile(
            of(false).map((a) => a.ms),
            99,
          ),
          "high 200 %": share(ok(of(true)), of(true).length),
          "normal 200 %": normalOk,
          "503": answers.filter((a) => a.status === 503).length,
          "504": answers.filter((a) => a.status === 504).length,
          "500": answers.filter((a) => a.status === 500).length,
          "no answer in 30 s": answers.filter((a) => a.status === 0).length,
          "in flight at end": outstanding,
          "heap MiB at end": mib(heapBytes),
        });
        return { value, heapMb: mib(heapBytes) };
      };
    },
  };
}

/** The backend slows down 5× for 10 s under steady traffic, then recovers. */
export const slowdown: Scenario = {
  id: "slowdown",
  title:
    "slow backend: steady traffic (32 in flight, 40 hot keys) for 15 s; the backend takes 5× longer (150 ms) from 2 s to 12 s",
  measure: "p99 latency over the 15 s",
  unit: "ms",
  backend: {},
  sampling: { warmup: 0, minSamples: 4, maxSamples: 4, maxTimeMs: 1 },
  runner(service, notes) {
    let round = 0;
    return async () => {
      const offset = round++;
      const answers: (Answer & { at: number })[] = [];
      const start = performance.now();
      const until = (ms: number): number => Math.max(0, start + ms - performance.now());
      let i = 0;
      const worker = async (): Promise<void> => {
        while (performance.now() - start < 15_000) {
          const at = performance.now() - start;
          answers.push({ ...(await timedGet(service.url + catalogPath(i++, 40, offset))), at });
        }
      };
      const slow = (async () => {
        await sleep(until(2_000));
        await service.setLatency(150);
        await sleep(until(12_000));
        await service.setLatency(30);
      })();
      await Promise.all([...Array.from({ length: 32 }, worker), slow]);
      const during = answers.filter((a) => a.at >= 2_000 && a.at < 12_000).map((a) => a.ms);
      const after = answers.filter((a) => a.at >= 12_000).map((a) => a.ms);
      const value = percentile(
        answers.map((a) => a.ms),
        99,
      );
      notes.push({
        "p50 ms": percentile(
          answers.map((a) => a.ms),
          50,
        ),
        "p99 ms while slow": percentile(during, 99),
        "p99 ms after recovery": percentile(after, 99),
        requests: answers.length,
        "non-200": answers.filter((a) => a.status !== 200).length,
      });
      return { value };
    };
  },
};

/** A growing key space: 5,000 new products per round; heap after a full GC. */
export const memory: Scenario = {
  id: "memory",
  title:
    "growing key space: 5,000 new products per round (32 in flight, a 1 ms backend), 12 rounds, the first 2 (until the bounded caches are full) not counted; the anchor's and perflayer's product caches hold at most 10,000, the legacy one has no bound",
  measure: "heap in use after a full GC, after each round",
  unit: "MiB",
  backend: { latencyMs: 1, connections: 32, products: 100_000_000 },
  sampling: { warmup: 2, minSamples: 10, maxSamples: 10, maxTimeMs: 1 },
  runner(service, notes) {
    let round = 0;
    return async () => {
      const first = 1 + round++ * 5_000;
      let i = 0;
      let failed = 0;
      const worker = async (): Promise<void> => {
        while (i < 5_000)
          if ((await timedGet(`${service.url}/products/${first + i++}`)).status !== 200) failed++;
      };
      await Promise.all(Array.from({ length: 32 }, worker));
      const heap = mib((await service.probe()).heapBytes);
      notes.push({ "keys so far": round * 5_000, "heap MiB": heap, "non-200": failed });
      return { value: heap, heapMb: heap };
    };
  },
};

/** Every scenario of issue 25, in order. */
export const SCENARIOS: readonly Scenario[] = [
  steady,
  stampede,
  overload(),
  overload(undefined, undefined, "normal-lost"),
  slowdown,
  memory,
];

/** One pairwise comparison's result. */
export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly base: ServiceKind;
  readonly head: ServiceKind;
  /** The comparison, or why it was not measured. */
  readonly comparison: Comparison | { readonly error: string };
  /** Side figures of the measured samples (warm-up left out). */
  readonly notes: { readonly base: Notes[]; readonly head: Notes[] };
  /** Machine load (1-minute average) when the comparison started. */
  readonly load: number;
}

/**
 * Runs one scenario on two services, each in its own process, interleaved through bench-gate.
 * @param scenario - what to run
 * @param base - the service compared against
 * @param head - the service compared
 * @param root - the workspace root
 * @param onRound - progress
 * @returns the verdict with its interval and each side's figures
 */
export async function compareServices(
  scenario: Scenario,
  base: ServiceKind,
  head: ServiceKind,
  root: string,
  onRound?: (round: number) => void,
): Promise<ScenarioResult> {
  const load = loadavg()[0] ?? 0;
  const notes = { base: [] as Notes[], head: [] as Notes[] };
  const sampling =
    (base === "legacy" || head === "legacy" ? scenario.legacySampling : undefined) ??
    scenario.sampling;
  const services = await Promise.all([
    startServiceProcess(base, scenario.backend, root),
    startServiceProcess(head, scenario.backend, root),
  ]);
  const [baseService, headService] = services;
  try {
    const comparison = await compareRunners({
      base: scenario.runner(baseService, notes.base),
      head: scenario.runner(headService, notes.head),
      decision: { threshold: 0.05 },
      ...sampling,
      ...(onRound && { onRound }),
    });
    const { warmup } = sampling;
    return {
      scenario,
      base,
      head,
      comparison,
      notes: { base: notes.base.slice(warmup), head: notes.head.slice(warmup) },
      load,
    };
  } catch (error) {
    return { scenario, base, head, comparison: { error: String(error) }, notes, load };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}
