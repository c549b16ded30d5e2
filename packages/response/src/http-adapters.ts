import type { IncomingMessage, ServerResponse } from "node:http";
import { OverloadError, TimeoutError } from "@perflayer/core";
import type { Priority } from "./priority.js";
import type { ResponseOptimizer } from "./response-optimizer.js";

/** How requests map onto the optimizer. */
export interface HttpAdapterOptions {
  /** The request's priority. @defaultValue "normal" for every request */
  readonly priority?: (req: IncomingMessage) => Priority;
  /** The request's time budget from arrival, in milliseconds. @defaultValue none */
  readonly timeoutMs?: (req: IncomingMessage) => number | undefined;
}

/** A plain `node:http` request handler. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

function finished(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("finish", done);
      res.off("close", done);
      resolve();
    };
    res.on("finish", done);
    res.on("close", done);
  });
}

function reject(res: ServerResponse, error: unknown): boolean {
  if (res.headersSent) return false;
  if (error instanceof OverloadError) {
    res
      .writeHead(503, {
        "retry-after": String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))),
        "content-type": "text/plain; charset=utf-8",
      })
      .end("Service overloaded; retry later.\n");
    return true;
  }
  if (error instanceof TimeoutError) {
    res.writeHead(504, { "content-type": "text/plain; charset=utf-8" }).end("Deadline exceeded.\n");
    return true;
  }
  return false;
}

/**
 * Wraps a `node:http` handler: each request runs through the optimizer (priority from the request,
 * a slot held until the response finishes). Shed requests get 503 with `Retry-After`; requests
 * past their deadline get 504; a client that disconnects aborts its task.
 * @param optimizer - the optimizer
 * @param handler - the handler to protect
 * @param options - priority and timeout per request
 * @returns the wrapped handler
 */
export function wrapHandler(
  optimizer: ResponseOptimizer,
  handler: RequestHandler,
  options: HttpAdapterOptions = {},
): RequestHandler {
  return (req, res) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    optimizer
      .run(
        async () => {
          await handler(req, res);
          await finished(res);
        },
        {
          priority: options.priority?.(req) ?? "normal",
          timeoutMs: options.timeoutMs?.(req),
          signal: controller.signal,
        },
      )
      .catch((error: unknown) => {
        if (!reject(res, error) && !res.headersSent) res.writeHead(500).end();
      });
  };
}

/**
 * The same as an Express/Connect-style middleware `(req, res, next)`: the rest of the chain runs
 * inside the optimizer's slot, until the response finishes.
 * @param optimizer - the optimizer
 * @param options - priority and timeout per request
 * @returns the middleware
 */
export function responseMiddleware(
  optimizer: ResponseOptimizer,
  options: HttpAdapterOptions = {},
): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    optimizer
      .run(
        () => {
          next();
          return finished(res);
        },
        {
          priority: options.priority?.(req) ?? "normal",
          timeoutMs: options.timeoutMs?.(req),
          signal: controller.signal,
        },
      )
      .catch((error: unknown) => {
        if (!reject(res, error)) next(error);
      });
  };
}
