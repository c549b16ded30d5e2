import type { Counter, Gauge, GaugeHandle, Instrumentation } from "@perflayer/core";

/** The `perflayer_memory_*` metrics of one `MemoryOptimizer`. */
export interface MemoryMetrics {
  readonly level: GaugeHandle;
  readonly used: {
    readonly heap: GaugeHandle;
    readonly external: GaugeHandle;
    readonly rss: GaugeHandle;
    readonly live: GaugeHandle;
    readonly projected: GaugeHandle;
    readonly unreclaimable: GaugeHandle;
    readonly unreclaimablePeak: GaugeHandle;
  };
  readonly leak: GaugeHandle;
  readonly reclaimed: Counter<"reclaimer">;
  readonly reclaimerBytes: Gauge<"reclaimer" | "state">;
  readonly capacity: Gauge<"reclaimer">;
}

/**
 * Declares the optimizer's metrics.
 * @param instrumentation - where to report
 * @param budgetBytes - the budget (a constant gauge)
 * @param collectReclaimers - sets the per-reclaimer byte gauges at collect time
 * @returns the handles
 */
export function memoryMetrics(
  instrumentation: Instrumentation,
  budgetBytes: number,
  collectReclaimers: () => void,
): MemoryMetrics {
  instrumentation
    .gauge({
      name: "perflayer_memory_budget_bytes",
      help: "Memory budget of the MemoryOptimizer.",
      labelNames: ["kind"],
    })
    .bind({ kind: "heap" })
    .set(budgetBytes);
  const used = instrumentation.gauge({
    name: "perflayer_memory_used_bytes",
    help: "Memory at the last sample: heap and external in use (garbage included), rss, the live set (heap after the last major GC carried forward, plus external in use), the projected peak before the next major GC, the live memory no registered reclaimer can give back (unreclaimable) and the projected peak with every reclaimer empty (unreclaimable_peak).",
    labelNames: ["kind"],
  });
  return {
    level: instrumentation
      .gauge({
        name: "perflayer_memory_pressure_level",
        help: "Memory pressure level: 0 normal, 1 elevated, 2 high, 3 critical.",
      })
      .bind({}),
    used: {
      heap: used.bind({ kind: "heap" }),
      external: used.bind({ kind: "external" }),
      rss: used.bind({ kind: "rss" }),
      live: used.bind({ kind: "live" }),
      projected: used.bind({ kind: "projected_peak" }),
      unreclaimable: used.bind({ kind: "unreclaimable" }),
      unreclaimablePeak: used.bind({ kind: "unreclaimable_peak" }),
    },
    leak: instrumentation
      .gauge({
        name: "perflayer_memory_leak_suspected",
        help: "1 while the heap floor keeps rising across windows.",
      })
      .bind({}),
    reclaimed: instrumentation.counter({
      name: "perflayer_memory_reclaimed_bytes_total",
      help: "Bytes reclaimers reported freeing under pressure.",
      labelNames: ["reclaimer"],
    }),
    reclaimerBytes: instrumentation.gauge({
      name: "perflayer_memory_reclaimer_bytes",
      help: "Bytes registered reclaimers hold: reclaimable (could be given back) or in_use (lent out to live work).",
      labelNames: ["reclaimer", "state"],
      collect: collectReclaimers,
    }),
    capacity: instrumentation.gauge({
      name: "perflayer_memory_reclaimer_capacity_bytes",
      help: "Capacity the budget steers a resizable reclaimer (a cache) to.",
      labelNames: ["reclaimer"],
    }),
  };
}
