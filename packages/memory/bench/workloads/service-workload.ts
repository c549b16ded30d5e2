import { PerformanceObserver, constants } from "node:perf_hooks";
import type { PerformanceEntry } from "node:perf_hooks";
import type { Cache } from "@perflayer/cache";
import type { MemoryOptimizer, ReclaimReport } from "@perflayer/memory";

/** One request of a service: does its work and returns what it keeps in flight, if anything. */
export type Handler = (index: number, io: RequestIo) => void;

/** What a request handler is given. */
export interface RequestIo {
  /** A buffer of `size` bytes (from the pool when the variant has one). */
  readonly take: (size: number) => Buffer;
  /**
   * Keeps `buffer` (and `payload`) in flight for `ms` of the nominal rate — counted in requests
   * (`ms × rate / 1000` later requests), not wall time, so what is in flight does not depend on how
   * busy the machine is — then gives the buffer back.
   */
  readonly hold: (buffer: Buffer, ms: number, payload?: unknown) => void;
}

/** What the engine needs from a variant: its cache, its optimizer and its buffers. */
export interface ServiceParts {
  /** The service's cache (its hit ratio and entries are reported). */
  readonly cache: Cache<number, unknown>;
  /** The optimizer, when the variant has one. */
  readonly memory: MemoryOptimizer | undefined;
  /** Allocates a request buffer. */
  readonly take: (size: number) => Buffer;
  /** Gives a request buffer back (a no-op without a pool). */
  readonly release: (buffer: Buffer) => void;
}

/** How a run is paced and judged. */
export interface RunOptions {
  /** Requests in the run. */
  readonly requests: number;
  /** Requests per second the pacer aims at. */
  readonly rate: number;
  /** The budget the run is judged against (bytes of heap + external). */
  readonly budgetBytes: number;
  /** Samples of `process.memoryUsage()` are taken this often. @defaultValue 100 */
  readonly sampleEveryMs?: number;
  /** Level changes before this share of the run are not "steady state". @defaultValue 0.25 */
  readonly warmupShare?: number;
}

/** One reclaim as the workload saw it. */
export interface ReclaimSeen {
  /** Milliseconds into the run. */
  readonly atMs: number;
  /** Entries in the cache just before (at the end of the last batch of requests). */
  readonly entriesBefore: number;
  /** Entries left right after. */
  readonly entriesAfter: number;
  /** Whether the reclaim asked the cache for at least half of what it held. */
  readonly demandedHalf: boolean;
  /** Bytes asked for in total. */
  readonly targetBytes: number;
  /** Bytes the reclaimers reported freeing. */
  readonly freedBytes: number;
}

/** Every figure of one run. Bytes unless named otherwise. */
export interface WorkloadResult {
  readonly requests: number;
  readonly seconds: number;
  /** Requests per second actually served (the pacer falls behind on a busy machine). */
  readonly achievedRate: number;
  readonly samples: number;
  readonly peakHeapExternal: number;
  /** Peak heap + external after the warm-up share of the run (the steady state). */
  readonly steadyPeakHeapExternal: number;
  readonly medianHeapExternal: number;
  readonly peakRss: number;
  readonly medianRss: number;
  /** Share of samples with heap + external above the budget. */
  readonly overBudgetShare: number;
  /** Share of steady-state samples (after the warm-up share) above the budget. */
  readonly steadyOverBudgetShare: number;
  readonly levelChanges: number;
  readonly levelChangesPerMinute: number;
  /** Level changes per minute after the warm-up share of the run. */
  readonly steadyLevelChangesPerMinute: number;
  readonly finalLevel: string;
  readonly reclaims: readonly ReclaimSeen[];
  /** Reclaims that left the cache below half its entries though it was not asked for half. */
  readonly reclaimsBelowHalfUndemanded: number;
  /**
   * Times the cache lost more than half its entries (of at least 1,000) between two samples, by a
   * reclaim or by steering.
   */
  readonly halvings: number;
  readonly hitRatio: number;
  /**
   * Hit ratio of the requests after the warm-up share of the run (the steady state), or of the
   * whole run when it ended before the warm-up share did.
   */
  readonly steadyHitRatio: number;
  readonly medianEntries: number;
  readonly finalEntries: number;
  readonly majorGcs: number;
  /** CPU seconds (user + system) per second of the run. */
  readonly cpuShare: number;
  /** CPU microseconds per request. */
  readonly cpuPerRequestUs: number;
}

/** Hits and lookups so far (a stale hit is a lookup that is no hit, as in `hitRatio`). */
function lookups(cache: Cache<number, unknown>): { hits: number; lookups: number } {
  const { hits, misses, staleHits } = cache.stats();
  return { hits, lookups: hits + misses + staleHits };
}

function steadyRatio(
  end: { readonly hits: number; readonly lookups: number },
  from: { readonly hits: number; readonly lookups: number } | undefined,
): number {
  const hits = end.hits - (from?.hits ?? 0);
  const all = end.lookups - (from?.lookups ?? 0);
  return all === 0 ? 0 : hits / all;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface InFlight {
  readonly until: number;
  readonly buffer: Buffer;
  readonly payload: unknown;
}

/** Requests in flight with one hold length, released in order. */
class HoldQueue {
  readonly #items: (InFlight | undefined)[] = [];
  #head = 0;

  push(item: InFlight): void {
    this.#items.push(item);
  }

  /** Releases every item due at request `done` (all of them with `Infinity`). */
  releaseDue(done: number, release: (buffer: Buffer) => void): void {
    const items = this.#items;
    while (this.#head < items.length && (items[this.#head] as InFlight).until <= done) {
      release((items[this.#head] as InFlight).buffer);
      items[this.#head++] = undefined;
    }
    if (this.#head > 4_096 && this.#head * 2 > items.length) {
      items.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

/**
 * Runs `handler` for `requests` requests paced at `rate` per second (a 1 ms tick serving what is
 * due; when the machine cannot keep up the run stretches and the achieved rate says so), sampling
 * `process.memoryUsage()` every 100 ms, and reports every figure the memory issue is judged by.
 * @param parts - the variant's cache, optimizer and buffers
 * @param handler - one request
 * @param options - pacing and the budget
 * @returns the run's figures
 */
export async function runService(
  parts: ServiceParts,
  handler: Handler,
  options: RunOptions,
): Promise<WorkloadResult> {
  const { requests, rate, budgetBytes } = options;
  const sampleEveryMs = options.sampleEveryMs ?? 100;
  const warmupMs = ((options.warmupShare ?? 0.25) * requests * 1000) / rate;
  const { cache, memory } = parts;
  const holds = new Map<number, HoldQueue>();
  let done = 0;
  const io: RequestIo = {
    take: parts.take,
    hold: (buffer, ms, payload) => {
      const later = Math.max(1, Math.round((ms * rate) / 1000));
      let queue = holds.get(later);
      if (queue === undefined) holds.set(later, (queue = new HoldQueue()));
      queue.push({ until: done + later, buffer, payload });
    },
  };

  const heapExternal: number[] = [];
  const rss: number[] = [];
  const entries: number[] = [];
  let steadyOver = 0;
  let steadyPeak = 0;
  let steadySamples = 0;
  const levelTimes: number[] = [];
  const reclaims: ReclaimSeen[] = [];
  let entriesNow = 0;
  let majorGcs = 0;
  let halvings = 0;
  let atWarmup: { readonly hits: number; readonly lookups: number } | undefined;

  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    const used = usage.heapUsed + usage.external;
    heapExternal.push(used);
    rss.push(usage.rss);
    const before = entries.at(-1) ?? 0;
    if (before >= 1_000 && cache.size < before / 2) halvings++;
    entries.push(cache.size);
    if (performance.now() - start >= warmupMs) {
      if (atWarmup === undefined) atWarmup = lookups(cache);
      steadySamples++;
      if (used > budgetBytes) steadyOver++;
      if (used > steadyPeak) steadyPeak = used;
    }
  }, sampleEveryMs);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } })
        .detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  memory?.on("level", () => levelTimes.push(performance.now() - start));
  memory?.on("reclaim", (report: ReclaimReport) => {
    const asked = report.reclaimers.find((r) => r.name === cache.name);
    if (asked === undefined) return; // a reclaim of other reclaimers (a pool)
    reclaims.push({
      atMs: performance.now() - start,
      entriesBefore: entriesNow,
      entriesAfter: cache.size,
      demandedHalf: asked.askedBytes >= asked.heldBytes / 2,
      targetBytes: report.targetBytes,
      freedBytes: report.freedBytes,
    });
  });

  const maxBatch = Math.max(1, Math.round(rate / 20));
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(requests, Math.floor(((now - start) * rate) / 1000));
      const until = Math.min(due, done + maxBatch);
      while (done < until) {
        handler(done++, io);
        for (const queue of holds.values()) queue.releaseDue(done, parts.release);
      }
      entriesNow = cache.size;
      if (done < requests) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  observer.disconnect();
  for (const queue of holds.values()) queue.releaseDue(Number.POSITIVE_INFINITY, parts.release);

  const stats = cache.stats();
  const minutes = elapsedMs / 60_000;
  const steadyMinutes = Math.max(1e-9, (elapsedMs - warmupMs) / 60_000);
  const over = heapExternal.filter((u) => u > budgetBytes).length;
  return {
    requests,
    seconds: elapsedMs / 1000,
    achievedRate: requests / (elapsedMs / 1000),
    samples: heapExternal.length,
    peakHeapExternal: Math.max(0, ...heapExternal),
    steadyPeakHeapExternal: steadyPeak,
    medianHeapExternal: median(heapExternal),
    peakRss: Math.max(0, ...rss),
    medianRss: median(rss),
    overBudgetShare: heapExternal.length === 0 ? 0 : over / heapExternal.length,
    steadyOverBudgetShare: steadySamples === 0 ? 0 : steadyOver / steadySamples,
    levelChanges: levelTimes.length,
    levelChangesPerMinute: levelTimes.length / minutes,
    steadyLevelChangesPerMinute: levelTimes.filter((t) => t >= warmupMs).length / steadyMinutes,
    finalLevel: memory?.level ?? "none",
    reclaims,
    reclaimsBelowHalfUndemanded: reclaims.filter(
      (r) => r.entriesAfter < r.entriesBefore / 2 && !r.demandedHalf,
    ).length,
    halvings,
    hitRatio: stats.hitRatio,
    steadyHitRatio: steadyRatio(lookups(cache), atWarmup),
    medianEntries: median(entries),
    finalEntries: cache.size,
    majorGcs,
    cpuShare: (cpu.user + cpu.system) / 1e6 / (elapsedMs / 1000),
    cpuPerRequestUs: (cpu.user + cpu.system) / requests,
  };
}
