import type { Instrumentation } from "@perflayer/core";

/**
 * Reports `perflayer_memory_pool_objects{pool,state}` (idle / in_use) on every read.
 * @param instrumentation - where to report
 * @param pool - the pool name
 * @param counts - current counts
 */
export function bindPoolGauges(
  instrumentation: Instrumentation,
  pool: string,
  counts: () => { idle: number; inUse: number },
): void {
  const gauge = instrumentation.gauge({
    name: "perflayer_memory_pool_objects",
    help: "Objects held by perflayer pools, by state (idle, in_use).",
    labelNames: ["pool", "state"],
    collect: () => {
      const { idle, inUse } = counts();
      idleHandle.set(idle);
      inUseHandle.set(inUse);
    },
  });
  const idleHandle = gauge.bind({ pool, state: "idle" });
  const inUseHandle = gauge.bind({ pool, state: "in_use" });
}
