import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  Backend,
  HttpError,
  keepAliveLongerThanClients,
  parseId,
  routeOf,
} from "@perflayer-examples/shared";
import type { Product, User } from "@perflayer-examples/shared";
import { CacheManager } from "@perflayer/cache";
import { RedisTier } from "@perflayer/cache-redis";
import { systemClock } from "@perflayer/core";
import type { Clock } from "@perflayer/core";
import { MemoryOptimizer } from "@perflayer/memory";
import { PerformanceMonitor, metricsHandler } from "@perflayer/monitor";
import { ResponseOptimizer, retry, wrapHandler } from "@perflayer/response";

/** A running migrated service. */
export interface Service {
  readonly url: string;
  readonly backend: Backend;
  readonly monitor: PerformanceMonitor;
  /** The tier shared with the other replicas, when the service was started with a `redisUrl`. */
  readonly tier: RedisTier | undefined;
  close(): Promise<void>;
}

const isNotFound = (error: unknown): boolean => (error as Error).name === "NotFoundError";

/** A request's priority: `x-priority: high` goes first; its cold loads too. */
const priorityOf = (req: IncomingMessage): "high" | "normal" =>
  req.headers["x-priority"] === "high" ? "high" : "normal";

/** Options of {@link startService}. */
export interface ServiceOptions {
  /** The backend it reads. @defaultValue a fresh `Backend` */
  readonly backend?: Backend;
  /** 0 for any free port. @defaultValue 0 */
  readonly port?: number;
  /** Time for every cache, scheduler and timer of the service (tests pass a `ManualClock`). @defaultValue `systemClock` */
  readonly clock?: Clock;
  /**
   * A Redis shared by every replica of the service (`--replicas N`): the caches get a
   * {@link RedisTier}, so a cold key is loaded once across the fleet and invalidations reach every
   * replica. When Redis is unreachable the service still answers, from memory and the backend.
   * @defaultValue none: each process caches on its own
   */
  readonly redisUrl?: string;
}

/**
 * Starts the catalogue service on perflayer, on 127.0.0.1. Same routes and answers as the legacy
 * service; what changed is underneath: single-flight, bounded caches with stale-while-revalidate,
 * retries with jittered back-off, deadlines and priorities per request, a memory budget that sheds
 * cache entries, and prom-client metrics.
 * @param options - backend, port and clock
 */
export async function startService(options: ServiceOptions = {}): Promise<Service> {
  const { backend = new Backend(), port = 0, clock = systemClock, redisUrl } = options;
  const monitor = new PerformanceMonitor({ clock });
  const { instrumentation } = monitor;
  const tier =
    redisUrl === undefined
      ? undefined
      : new RedisTier({ url: redisUrl, namespace: "catalogue", instrumentation, clock });
  if (tier !== undefined && !(await tier.connect(2_000)))
    console.warn(`Redis at ${redisUrl} does not answer yet: caching per process until it does`);
  const caches = new CacheManager({
    instrumentation,
    clock,
    defaults: { ttl: 1_000, secondTier: tier },
  });
  const products = caches.cache<number, Product>("products", {
    max: 10_000,
    staleWhileRevalidate: 2_000,
    loadTimeoutMs: 1_000,
  });
  const users = caches.cache<number, User>("users", { max: 5_000, ttl: 60_000 });
  const memory = new MemoryOptimizer({ instrumentation, clock, budget: 256 * 1024 * 1024 });
  memory.register(products, { priority: "low" });
  memory.register(users, { priority: "low" });
  // Requests: priorities and a 2 s deadline each. Each optimizer's metrics carry its name.
  const responses = new ResponseOptimizer({
    name: "requests",
    clock,
    concurrency: 64,
    maxQueue: 2_000,
    instrumentation,
  });

  const requests = monitor.counter({
    name: "http_requests_total",
    help: "HTTP requests by route and status.",
    labelNames: ["route", "status"],
  });
  const latency = monitor.histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by route.",
    labelNames: ["route"],
  });

  // Backend queries go through their own scheduler, as wide as the backend's connection pool:
  // a request waiting on a cold key runs before background refreshes of values still served stale.
  const queries = new ResponseOptimizer({
    name: "backend",
    clock,
    concurrency: 4,
    maxQueue: 10_000,
    instrumentation,
  });
  const backendQueries = monitor.counter({
    name: "catalogue_backend_queries_total",
    help: "Queries this process sent to the backend, by resource (over replicas: sum them for the fleet).",
    labelNames: ["resource"],
  });
  // A cold load runs at its request's priority, a refresh of a value still served stale behind it.
  const fromBackend = <T>(
    resource: "product" | "user",
    load: () => Promise<T>,
    priority: "high" | "normal" | "background",
  ): Promise<T> =>
    retry(
      () =>
        queries.run(
          () => {
            backendQueries.inc({ resource });
            return load();
          },
          { priority, timeoutMs: 5_000 },
        ),
      { attempts: 3, backoff: { initialMs: 20 }, clock, retryOn: (error) => !isNotFound(error) },
    );

  async function product(id: number, priority: "high" | "normal"): Promise<Product> {
    try {
      return await products.getOrLoad(id, (key, { staleValue }) =>
        fromBackend(
          "product",
          () => backend.product(key),
          staleValue === undefined ? priority : "background",
        ),
      );
    } catch (error) {
      throw isNotFound(error) ? new HttpError(404, `product ${id} not found`) : error;
    }
  }

  async function user(
    id: number,
    priority: "high" | "normal",
  ): Promise<Omit<User, "favourites"> & { favourites: Product[] }> {
    const found = await users
      .getOrLoad(id, (key) => fromBackend("user", () => backend.user(key), priority))
      .catch((error: unknown) => {
        throw isNotFound(error) ? new HttpError(404, `user ${id} not found`) : error;
      });
    const favourites = await Promise.all(found.favourites.map((p) => product(p, priority)));
    return { ...found, favourites };
  }

  const metrics = metricsHandler(monitor);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, resource, raw, label: route } = routeOf(req.url);
    const end = latency.startTimer({ route });
    let status = 200;
    let body: string;
    try {
      if (path === "/metrics") {
        metrics(req, res);
        return;
      }
      if (path === "/health") body = JSON.stringify({ status: "ok" });
      else if (resource === "products" && raw !== undefined)
        body = JSON.stringify(await product(parseId(raw), priorityOf(req)));
      else if (resource === "users" && raw !== undefined)
        body = JSON.stringify(await user(parseId(raw), priorityOf(req)));
      else throw new HttpError(404, `no route ${path}`);
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      body = JSON.stringify({ error: (error as Error).message });
    } finally {
      requests.inc({ route, status: String(status) });
      end();
    }
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  }

  const server = keepAliveLongerThanClients(
    createServer(
      wrapHandler(responses, handle, {
        priority: (req) =>
          req.url === "/health" || req.url === "/metrics" ? "critical" : priorityOf(req),
        timeoutMs: () => 2_000,
      }),
    ),
  );
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    backend,
    monitor,
    tier,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await responses.close();
      await queries.close();
      await memory.close();
      await caches.close();
      await tier?.close();
      await monitor.close();
    },
  };
}
