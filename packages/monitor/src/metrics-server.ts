import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { wantsOpenMetrics } from "./exposition.js";
import type { PerformanceMonitor } from "./performance-monitor.js";

/** A `node:http` / Express-style handler serving the exposition. */
export type MetricsHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * A request handler that answers with the monitor's exposition, negotiating Prometheus text 0.0.4
 * or OpenMetrics from the `Accept` header. Mount it on any route (`app.get("/metrics", handler)`)
 * or use it as a whole `http.createServer` handler.
 * @param monitor - the monitor
 * @returns the handler
 */
export function metricsHandler(monitor: PerformanceMonitor): MetricsHandler {
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const format = wantsOpenMetrics(req.headers.accept) ? "openmetrics" : "prometheus";
    monitor.metrics(format).then(
      (body) => {
        res.writeHead(200, {
          "content-type": monitor.contentType(format),
          "cache-control": "no-store",
        });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      (error: unknown) => {
        res
          .writeHead(500, { "content-type": "text/plain; charset=utf-8" })
          .end(`metrics collection failed: ${String(error)}\n`);
      },
    );
  };
}

/** Options of {@link listen}. */
export interface ListenOptions {
  /**
   * TCP port; `0` picks a free one.
   * @defaultValue 9464
   */
  readonly port?: number;
  /**
   * Interface to bind. The default keeps metrics off the network; bind `0.0.0.0` deliberately.
   * @defaultValue "127.0.0.1"
   */
  readonly host?: string;
  /** @defaultValue "/metrics" */
  readonly path?: string;
}

/** A running metrics server. */
export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** The underlying server. */
  readonly server: Server;
  /** Stops listening. */
  close(): Promise<void>;
}

/**
 * Serves `path` (exposition) and `/snapshot` (JSON) on a small HTTP server.
 * @param monitor - the monitor
 * @param options - port, host and path
 * @returns the running server
 */
export function listen(
  monitor: PerformanceMonitor,
  options: ListenOptions = {},
): Promise<MetricsServer> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/metrics";
  const handler = metricsHandler(monitor);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === path) return handler(req, res);
    if (url.pathname === "/snapshot") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(monitor.snapshot()));
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end(`not found; metrics are at ${path}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 9464, host, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host.includes(":") ? `[${host}]` : host}:${port}${path}`,
        port,
        server,
        close: () =>
          new Promise<void>((done, fail) =>
            server.close((error) => (error === undefined ? done() : fail(error))),
          ),
      });
    });
  });
}
