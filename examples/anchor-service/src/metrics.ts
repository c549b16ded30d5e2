import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type PQueue from "p-queue";

/** The service's prom-client metrics, on a registry of its own. */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly requests: Counter<"route" | "status">;
  readonly latency: Histogram<"route">;
  readonly cacheLookups: Counter<"cache" | "result">;
  readonly backendQueries: Counter<"resource">;
}

/**
 * Creates the metrics, and gauges that read each queue's depth and running tasks at scrape time.
 * @param queues - the p-queue instances by name
 * @returns the registry and the metrics the handlers update
 */
export function createMetrics(queues: Readonly<Record<string, PQueue>>): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: "queue_waiting",
    help: "Tasks waiting in a p-queue.",
    labelNames: ["queue"],
    registers,
    collect() {
      for (const [queue, q] of Object.entries(queues)) this.set({ queue }, q.size);
    },
  });
  new Gauge({
    name: "queue_running",
    help: "Tasks running in a p-queue.",
    labelNames: ["queue"],
    registers,
    collect() {
      for (const [queue, q] of Object.entries(queues)) this.set({ queue }, q.pending);
    },
  });
  return {
    registry,
    requests: new Counter({
      name: "http_requests_total",
      help: "HTTP requests by route and status.",
      labelNames: ["route", "status"],
      registers,
    }),
    latency: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request latency by route.",
      labelNames: ["route"],
      registers,
    }),
    cacheLookups: new Counter({
      name: "cache_lookups_total",
      help: "Cache lookups by cache and lru-cache's fetch status (hit, stale, miss, inflight).",
      labelNames: ["cache", "result"],
      registers,
    }),
    backendQueries: new Counter({
      name: "catalogue_backend_queries_total",
      help: "Queries this process sent to the backend, by resource.",
      labelNames: ["resource"],
      registers,
    }),
  };
}
