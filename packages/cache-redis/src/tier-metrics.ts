import type { CounterHandle, GaugeHandle, HistogramHandle, Instrumentation } from "@perflayer/core";

/** Why a second-tier call failed. */
export type TierErrorCause = "timeout" | "unavailable" | "error" | "too_large" | "codec";

/** How a cold key was filled. */
export type FleetOutcome = "loaded" | "waited" | "local";

/**
 * The `perflayer_cache_l2_*` handles of one cache, bound once.
 * @internal
 */
export interface TierMetricHandles {
  readonly hit: CounterHandle;
  readonly miss: CounterHandle;
  readonly skipped: CounterHandle;
  readonly errors: Readonly<Record<TierErrorCause, CounterHandle>>;
  readonly fleet: Readonly<Record<FleetOutcome, CounterHandle>>;
  readonly sent: CounterHandle;
  readonly received: CounterHandle;
  readonly flushes: CounterHandle;
  readonly readDuration: HistogramHandle;
}

/**
 * Binds the second-tier metrics of one cache.
 * @internal
 * @param instrumentation - where to report
 * @param cache - the cache label
 * @returns the handles
 */
export function bindTierMetrics(
  instrumentation: Instrumentation,
  cache: string,
): TierMetricHandles {
  const requests = instrumentation.counter({
    name: "perflayer_cache_l2_requests_total",
    help: "Second-tier lookups after a memory miss, by result (hit, miss, skipped: circuit open).",
    labelNames: ["cache", "result"],
  });
  const errors = instrumentation.counter({
    name: "perflayer_cache_l2_errors_total",
    help: "Failed second-tier calls and values it could not hold, by cause.",
    labelNames: ["cache", "cause"],
  });
  const fleet = instrumentation.counter({
    name: "perflayer_cache_l2_fills_total",
    help: "Cold keys filled, by outcome (loaded: this process loaded for the fleet; waited: another did; local: without Redis).",
    labelNames: ["cache", "outcome"],
  });
  const invalidations = instrumentation.counter({
    name: "perflayer_cache_l2_invalidations_total",
    help: "Invalidations sent to other processes and received from them.",
    labelNames: ["cache", "direction"],
  });
  const flushes = instrumentation.counter({
    name: "perflayer_cache_l2_memory_flushes_total",
    help: "In-memory tiers flushed because invalidations may have been missed (a reconnect).",
    labelNames: ["cache"],
  });
  const duration = instrumentation.histogram({
    name: "perflayer_cache_l2_read_duration_seconds",
    help: "Time of second-tier reads (one round trip).",
    labelNames: ["cache"],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5],
  });
  const cause = (name: TierErrorCause): CounterHandle => errors.bind({ cache, cause: name });
  const outcome = (name: FleetOutcome): CounterHandle => fleet.bind({ cache, outcome: name });
  return {
    hit: requests.bind({ cache, result: "hit" }),
    miss: requests.bind({ cache, result: "miss" }),
    skipped: requests.bind({ cache, result: "skipped" }),
    errors: {
      timeout: cause("timeout"),
      unavailable: cause("unavailable"),
      error: cause("error"),
      too_large: cause("too_large"),
      codec: cause("codec"),
    },
    fleet: { loaded: outcome("loaded"), waited: outcome("waited"), local: outcome("local") },
    sent: invalidations.bind({ cache, direction: "sent" }),
    received: invalidations.bind({ cache, direction: "received" }),
    flushes: flushes.bind({ cache }),
    readDuration: duration.bind({ cache }),
  };
}

/**
 * The tier-wide circuit gauge: 1 while the circuit is open (Redis left alone), else 0.
 * @internal
 * @param instrumentation - where to report
 * @param namespace - the tier's namespace label
 * @returns the bound gauge
 */
export function bindCircuitGauge(instrumentation: Instrumentation, namespace: string): GaugeHandle {
  return instrumentation
    .gauge({
      name: "perflayer_cache_l2_circuit_open",
      help: "1 while the second tier's circuit is open (Redis left alone, requests served from memory and loaders).",
      labelNames: ["namespace"],
    })
    .bind({ namespace });
}
