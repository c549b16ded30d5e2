import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import PQueue from "p-queue";
import {
  Backend,
  HttpError,
  keepAliveLongerThanClients,
  parseId,
  routeOf,
} from "@perflayer-examples/shared";
import type { Product, User } from "@perflayer-examples/shared";
import { abortable } from "./abortable.js";
import { PRIORITY, createCatalogue } from "./catalogue.js";
import type { RequestPriority } from "./catalogue.js";
import { deadlineSignal } from "./deadline-signal.js";
import { createMetrics } from "./metrics.js";
import type { ServiceMetrics } from "./metrics.js";

/** A running anchor service. */
export interface AnchorService {
  readonly url: string;
  readonly backend: Backend;
  readonly metrics: ServiceMetrics;
  close(): Promise<void>;
}

/** Options of {@link startAnchorService}. */
export interface AnchorServiceOptions {
  /** The backend it reads. @defaultValue a fresh `Backend` */
  readonly backend?: Backend;
  /** 0 for any free port. @defaultValue 0 */
  readonly port?: number;
  /** How long a product is fresh (then served stale while it refreshes). @defaultValue 1000 */
  readonly productTtlMs?: number;
  /** How long a user is fresh. @defaultValue 60000 */
  readonly userTtlMs?: number;
  /** Time a request may take from arrival, queue wait included, before it answers 504. @defaultValue 2000 */
  readonly deadlineMs?: number;
  /** Time a whole product load may take, retries included. @defaultValue 1000 */
  readonly productLoadMs?: number;
  /** Time one backend query may take from enqueue. @defaultValue 5000 */
  readonly queryDeadlineMs?: number;
}

const isNotFound = (error: unknown): boolean => (error as Error).name === "NotFoundError";

/**
 * Starts the catalogue service on 127.0.0.1, written directly with lru-cache, p-queue, prom-client
 * and `AbortSignal.timeout` — the anchor perflayer is measured against. Same routes and answers as
 * the other two services; requests run through a p-queue (64 at once, `x-priority: high` first, at
 * most 2,000 waiting, then 503) with a 2 s deadline from arrival (504).
 * @param options - backend, port, TTLs and deadline
 */
export async function startAnchorService(
  options: AnchorServiceOptions = {},
): Promise<AnchorService> {
  const {
    backend = new Backend(),
    port = 0,
    productTtlMs = 1_000,
    userTtlMs = 60_000,
    deadlineMs = 2_000,
    productLoadMs = 1_000,
    queryDeadlineMs = 5_000,
  } = options;
  const requestQueue = new PQueue({ concurrency: 64 });
  const maxQueue = 2_000;
  // Backend queries: as wide as the backend's connection pool, cold loads before refreshes.
  const queries = new PQueue({ concurrency: 4 });
  const metrics = createMetrics({ requests: requestQueue, backend: queries });
  const catalogue = createCatalogue({
    backend,
    metrics,
    queries,
    productTtlMs,
    userTtlMs,
    productLoadMs,
    queryDeadlineMs,
  });

  async function product(id: number, priority: RequestPriority): Promise<Product> {
    return catalogue.product(id, priority).catch((error: unknown) => {
      throw isNotFound(error) ? new HttpError(404, `product ${id} not found`) : error;
    });
  }

  async function user(
    id: number,
    priority: RequestPriority,
  ): Promise<Omit<User, "favourites"> & { favourites: Product[] }> {
    const found = await catalogue.user(id, priority).catch((error: unknown) => {
      throw isNotFound(error) ? new HttpError(404, `user ${id} not found`) : error;
    });
    const favourites = await Promise.all(found.favourites.map((p) => product(p, priority)));
    return { ...found, favourites };
  }

  async function answer(
    path: string,
    priority: RequestPriority,
    resource?: string,
    raw?: string,
  ): Promise<string> {
    if (resource === "products" && raw !== undefined)
      return JSON.stringify(await product(parseId(raw), priority));
    if (resource === "users" && raw !== undefined)
      return JSON.stringify(await user(parseId(raw), priority));
    throw new HttpError(404, `no route ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, resource, raw, label: route } = routeOf(req.url);
    const end = metrics.latency.startTimer({ route });
    let status = 200;
    let type = "application/json";
    let body: string;
    // A client that hangs up cancels its request, queued or running.
    const hungUp = new AbortController();
    res.once("close", () => {
      if (!res.writableEnded) hungUp.abort();
    });
    try {
      if (path === "/health") body = JSON.stringify({ status: "ok" });
      else if (path === "/metrics") {
        // Health and metrics bypass the request queue: they must answer under overload.
        type = metrics.registry.contentType;
        body = await metrics.registry.metrics();
      } else if (requestQueue.size >= maxQueue) {
        throw new HttpError(503, "overloaded, retry later");
      } else {
        const signal = deadlineSignal(deadlineMs, hungUp.signal);
        const priority = req.headers["x-priority"] === "high" ? PRIORITY.high : PRIORITY.normal;
        const work = (): Promise<string> =>
          abortable(answer(path, priority, resource, raw), signal);
        body = await requestQueue.add(work, { priority, signal });
      }
    } catch (error) {
      const name = (error as Error).name;
      status = error instanceof HttpError ? error.status : name === "TimeoutError" ? 504 : 500;
      body = JSON.stringify({ error: (error as Error).message });
    } finally {
      metrics.requests.inc({ route, status: String(status) });
      end();
    }
    if (hungUp.signal.aborted) return;
    if (status === 503) res.setHeader("retry-after", "1");
    res.writeHead(status, { "content-type": type }).end(body);
  }

  const server = keepAliveLongerThanClients(createServer((req, res) => void handle(req, res)));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    backend,
    metrics,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      requestQueue.clear();
      queries.clear();
      metrics.registry.clear();
    },
  };
}
