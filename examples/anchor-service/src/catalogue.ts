import { LRUCache } from "lru-cache";
import type PQueue from "p-queue";
import type { Backend, Product, User } from "@perflayer-examples/shared";
import { abortable } from "./abortable.js";
import { deadlineSignal } from "./deadline-signal.js";
import type { ServiceMetrics } from "./metrics.js";
import { withRetries } from "./retry.js";

/** p-queue priorities (greater runs first). */
export const PRIORITY = { background: 0, normal: 1, high: 2 } as const;

/** A request's priority; its cold loads run at it, refreshes at `background`. */
export type RequestPriority = typeof PRIORITY.normal | typeof PRIORITY.high;

/** The caches in front of the backend, and the queue as wide as its connection pool. */
export interface Catalogue {
  /** The product, or rejects (`NotFoundError` from the backend, a timeout, …). */
  product(id: number, priority: RequestPriority): Promise<Product>;
  /** The user, or rejects like {@link Catalogue.product}. */
  user(id: number, priority: RequestPriority): Promise<User>;
}

/** Options of {@link createCatalogue}. */
export interface CatalogueOptions {
  readonly backend: Backend;
  readonly metrics: ServiceMetrics;
  /** The queue backend queries run through, as wide as the backend's connection pool. */
  readonly queries: PQueue;
  /** How long a product is fresh; after that it is served stale while one refresh runs. */
  readonly productTtlMs: number;
  /** How long a user is fresh. */
  readonly userTtlMs: number;
  /** Time a whole product load may take, retries included. */
  readonly productLoadMs: number;
  /** Time one backend query may take from enqueue. */
  readonly queryDeadlineMs: number;
}

const isNotFound = (error: unknown): boolean => (error as Error).name === "NotFoundError";

/**
 * Builds the caches the way lru-cache's docs suggest: `fetchMethod` makes concurrent `fetch`es of
 * one key share one load (no stampede), and `allowStale` answers with the stale value while that
 * load refreshes it (stale-while-revalidate). Loads go through a p-queue as wide as the backend's
 * pool, at the priority of the request that started them (passed as lru-cache's fetch `context`),
 * refreshes behind every cold load; each query has a deadline and is retried with back-off.
 * @param options - backend, metrics, queue and TTLs
 * @returns the catalogue
 */
export function createCatalogue(options: CatalogueOptions): Catalogue {
  const { backend, metrics, queries } = options;

  function query<T>(
    resource: "product" | "user",
    load: () => Promise<T>,
    priority: number,
    signal: AbortSignal,
  ): Promise<T> {
    return withRetries(
      () => {
        // The deadline counts from enqueue: an aborted task leaves the queue, a running one is
        // abandoned (its result is dropped).
        const deadline = deadlineSignal(options.queryDeadlineMs, signal);
        return queries.add(
          () => {
            metrics.backendQueries.inc({ resource });
            return abortable(load(), deadline);
          },
          { priority, signal: deadline },
        );
      },
      { attempts: 3, initialMs: 20, retryOn: (error) => !isNotFound(error), signal },
    );
  }

  const priorityOf = (stale: unknown, context: number): number =>
    stale === undefined ? context : PRIORITY.background;
  const products = new LRUCache<number, Product, number>({
    max: 10_000,
    ttl: options.productTtlMs,
    allowStale: true, // serve the stale value while one fetchMethod call refreshes it
    noDeleteOnFetchRejection: true, // a failed refresh keeps the stale value (stale-if-error)
    fetchMethod: (id, stale, { signal, context }) =>
      // A whole product load (retries included) gets its own budget.
      query(
        "product",
        () => backend.product(id),
        priorityOf(stale, context),
        deadlineSignal(options.productLoadMs, signal),
      ),
  });
  const users = new LRUCache<number, User, number>({
    max: 5_000,
    ttl: options.userTtlMs,
    allowStale: true,
    noDeleteOnFetchRejection: true,
    fetchMethod: (id, stale, { signal, context }) =>
      query("user", () => backend.user(id), priorityOf(stale, context), signal),
  });

  async function lookup<V extends object>(
    name: string,
    cache: LRUCache<number, V, number>,
    id: number,
    priority: RequestPriority,
  ): Promise<V> {
    const status: LRUCache.Status<number, V, number> = {};
    // forceFetch rejects with the load's error where fetch would resolve to undefined.
    const value = cache.forceFetch(id, { status, context: priority });
    metrics.cacheLookups.inc({ cache: name, result: status.fetch ?? "miss" });
    return value;
  }

  return {
    product: (id, priority) => lookup("products", products, id, priority),
    user: (id, priority) => lookup("users", users, id, priority),
  };
}
