import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  Backend,
  HttpError,
  keepAliveLongerThanClients,
  parseId,
} from "@perflayer-examples/shared";
import type { Product, User } from "@perflayer-examples/shared";
import { TtlCache, cachedPromise, clearPromiseCache, memoize } from "./cache.js";
import { releaseBuffer, takeBuffer, watchMemory } from "./memory.js";
import { countRequest, recordDuration, renderMetrics } from "./metrics.js";
import { retry, withTimeout } from "./resilience.js";

/** A running legacy service. */
export interface LegacyService {
  readonly url: string;
  readonly backend: Backend;
  close(): Promise<void>;
}

/** Options of {@link startLegacyService}. */
export interface LegacyServiceOptions {
  /** The backend it reads. @defaultValue a fresh `Backend` */
  readonly backend?: Backend;
  /** 0 for any free port. @defaultValue 0 */
  readonly port?: number;
  /** How long a product stays cached. @defaultValue 1000 */
  readonly productTtlMs?: number;
  /** How long one backend query may take before it is retried. @defaultValue 1000 */
  readonly backendTimeoutMs?: number;
}

/**
 * Starts the legacy catalogue service on 127.0.0.1.
 * @param options - backend, port, cache and timeout settings
 */
export async function startLegacyService(
  options: LegacyServiceOptions = {},
): Promise<LegacyService> {
  const {
    backend = new Backend(),
    port = 0,
    productTtlMs = 1_000,
    backendTimeoutMs = 1_000,
  } = options;
  const products = new TtlCache<Product>(productTtlMs);
  const serializeProduct = memoize((product: Product) => JSON.stringify(product));
  const memoryWatch = watchMemory(200 * 1024 * 1024, () => {
    products.clear();
    clearPromiseCache();
  });

  async function loadProduct(id: number): Promise<Product> {
    const cached = products.get(String(id));
    if (cached) return cached;
    try {
      const product = await retry(() => withTimeout(backend.product(id), backendTimeoutMs));
      products.set(String(id), product);
      return product;
    } catch (error) {
      if ((error as Error).name === "NotFoundError")
        throw new HttpError(404, `product ${id} not found`);
      throw error;
    }
  }

  function loadUser(id: number): Promise<Omit<User, "favourites"> & { favourites: Product[] }> {
    return cachedPromise(`user:${id}`, async () => {
      const user = await retry(() => withTimeout(backend.user(id), backendTimeoutMs)).catch(
        (error: Error) => {
          throw error.name === "NotFoundError" ? new HttpError(404, `user ${id} not found`) : error;
        },
      );
      const favourites: Product[] = [];
      for (const productId of user.favourites) favourites.push(await loadProduct(productId));
      return { ...user, favourites };
    });
  }

  function send(
    res: ServerResponse,
    status: number,
    body: string,
    type = "application/json",
  ): void {
    const length = Buffer.byteLength(body);
    const buffer = takeBuffer(length);
    buffer.write(body);
    res.writeHead(status, { "content-type": type, "content-length": length });
    res.end(Buffer.from(buffer.subarray(0, length)));
    releaseBuffer(buffer);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = Date.now();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const [, resource, raw] = path.split("/");
    const route = resource === "products" || resource === "users" ? `/${resource}/:id` : path;
    let status = 200;
    try {
      if (path === "/health") send(res, 200, JSON.stringify({ status: "ok" }));
      else if (path === "/metrics") send(res, 200, renderMetrics(), "text/plain; version=0.0.4");
      else if (resource === "products" && raw !== undefined)
        send(res, 200, serializeProduct(await loadProduct(parseId(raw))));
      else if (resource === "users" && raw !== undefined)
        send(res, 200, JSON.stringify(await loadUser(parseId(raw))));
      else throw new HttpError(404, `no route ${path}`);
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      send(res, status, JSON.stringify({ error: (error as Error).message }));
    } finally {
      countRequest(route, status);
      recordDuration(route, Date.now() - start);
    }
  }

  const server: Server = keepAliveLongerThanClients(
    createServer((req, res) => void handle(req, res)),
  );
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    backend,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(memoryWatch);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
