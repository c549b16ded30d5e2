// One run of a workload in this process, e.g.
//   node --import tsx --conditions=@perflayer/source bench/workloads/run-workload.ts \
//     '{"workload":"catalogue","variant":"optimizer","seconds":60}'
// It prints the result as JSON (and sends it to a parent that forked it).
import { PerformanceObserver, constants } from "node:perf_hooks";
import type { PerformanceEntry } from "node:perf_hooks";
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";
import { burstyService, catalogueService } from "./services.js";
import { runService } from "./service-workload.js";
import type { WorkloadResult } from "./service-workload.js";
import type { MemoryOptimizerOptions } from "@perflayer/memory";
import { buildVariant } from "./variants.js";
import type { ResizeStep, Variant } from "./variants.js";

/** Which run to make. */
export interface WorkloadSpec {
  /** `catalogue` (the workload) or `bursty`. */
  readonly workload: "catalogue" | "bursty";
  readonly variant: Variant;
  /** Length of the run at the target rate. */
  readonly seconds: number;
  /** @defaultValue 20_000 for catalogue, 5_000 for bursty */
  readonly rate?: number;
  /** @defaultValue 96 for catalogue (the issue's), 128 for bursty */
  readonly budgetMiB?: number;
  /** Entries of the `sized` variant. @defaultValue 25_000 */
  readonly sizedMax?: number;
  /**
   * How the optimizer variants' cache is left unbounded for the budget to size: `max: 1e6`
   * entries (the issue's workload; its store starts at 4,096 slots and doubles as it fills) or
   * `maxSize: 1 TiB` (bytes). @defaultValue "max"
   */
  readonly unboundedBy?: "max" | "maxSize";
  /** @defaultValue 1 */
  readonly seed?: number;
  /**
   * Options of the optimizer variants' `MemoryOptimizer` besides the budget (e.g. a band to try:
   * `{ "steerTo": 0.85 }`). @defaultValue the optimizer's defaults
   */
  readonly optimizer?: Omit<MemoryOptimizerOptions, "budget">;
  /**
   * The `resized-pool` variant's resizes, e.g. `[{ "atMs": 500, "entries": 5200 }, { "atMs": 15000,
   * "entries": 3800 }]` (a steered cache's path through sizes, without the optimizer).
   * @defaultValue `sizedMax` entries at 500 ms
   */
  readonly resizeSchedule?: readonly ResizeStep[];
  /**
   * When set, a JSON line of the optimizer's live reading and the cache's size is written to
   * stderr this often (ms), and one per major GC: how the steering saw the run.
   */
  readonly traceMs?: number;
}

/**
 * Makes one run.
 * @param spec - the workload, variant and length
 * @returns its figures
 */
export async function runWorkload(spec: WorkloadSpec): Promise<WorkloadResult> {
  const rate = spec.rate ?? (spec.workload === "catalogue" ? 20_000 : 5_000);
  const budgetBytes = (spec.budgetMiB ?? (spec.workload === "catalogue" ? 96 : 128)) * 2 ** 20;
  const requests = Math.round(spec.seconds * rate);
  const parts = buildVariant(
    spec.variant,
    budgetBytes,
    spec.sizedMax ?? 25_000,
    spec.unboundedBy ?? "max",
    spec.optimizer,
    spec.resizeSchedule,
  );
  const handler =
    spec.workload === "catalogue"
      ? catalogueService(parts.cache, requests, spec.seed ?? 1)
      : burstyService(parts.cache, rate, spec.seed ?? 1);
  const stopTrace = spec.traceMs === undefined ? undefined : traceRun(parts, spec.traceMs);
  try {
    return await runService(parts, handler, { requests, rate, budgetBytes });
  } finally {
    stopTrace?.();
    await parts.close();
  }
}

/**
 * Writes the optimizer's live reading, the cache's size and heap figures to stderr — V8's too, for
 * every variant (with or without an optimizer): the young and old generations in use, the heap
 * limit and what V8 says is still available, GC counts so far, and the old generation's highest
 * use since the last major GC (read after each minor GC, as the optimizer reads it).
 */
function traceRun(parts: ReturnType<typeof buildVariant>, everyMs: number): () => void {
  const start = performance.now();
  let minorGcs = 0;
  let majorGcs = 0;
  let oldSinceMajor = 0;
  const oldInUse = (): { young: number; old: number } => {
    let young = 0;
    let old = 0;
    for (const space of getHeapSpaceStatistics()) {
      if (space.space_name === "new_space" || space.space_name === "new_large_object_space")
        young += space.space_used_size;
      else old += space.space_used_size;
    }
    return { young, old };
  };
  const line = (event: string, extra: Record<string, number> = {}): void => {
    const usage = process.memoryUsage();
    const status = parts.memory?.status();
    const live = status?.live;
    const heap = getHeapStatistics();
    const { young, old } = oldInUse();
    process.stderr.write(
      `${JSON.stringify({
        event,
        t: Math.round(performance.now() - start),
        heapUsed: usage.heapUsed,
        external: usage.external,
        v8Young: young,
        v8Old: old,
        v8OldSinceMajor: Math.max(oldSinceMajor, old),
        v8Limit: heap.heap_size_limit,
        v8Available: heap.total_available_size,
        v8Total: heap.total_heap_size,
        minorGcs,
        majorGcs,
        ...extra,
        entries: parts.cache.size,
        cacheBytes: parts.cache.estimatedBytes(),
        capacity: status?.reclaimers.find((r) => r.name === parts.cache.name)?.capacityBytes,
        level: status?.level,
        unreclaimable: status?.unreclaimableBytes,
        unreclaimablePeak: status?.unreclaimablePeakBytes,
        ...live,
      })}\n`,
    );
  };
  const timer = setInterval(() => line("sample"), everyMs);
  const onLevel = ({ from, to }: { from: string; to: string }): void => line(`level ${from}→${to}`);
  parts.memory?.on("level", onLevel);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } })
        .detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        majorGcs++;
        // The cycle's old-generation peak (before this GC) and the floor it left.
        line("major", { v8CyclePeak: oldSinceMajor });
        oldSinceMajor = 0;
      } else {
        minorGcs++;
        oldSinceMajor = Math.max(oldSinceMajor, oldInUse().old);
      }
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return () => {
    clearInterval(timer);
    parts.memory?.off("level", onLevel);
    observer.disconnect();
  };
}

const arg = process.argv[2];
if (arg !== undefined && process.argv[1]?.endsWith("run-workload.ts")) {
  const result = await runWorkload(JSON.parse(arg) as WorkloadSpec);
  if (process.send === undefined) console.log(JSON.stringify(result, null, 2));
  else process.send(result, () => process.disconnect());
}
