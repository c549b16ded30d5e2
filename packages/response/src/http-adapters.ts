import type { IncomingMessage, ServerResponse } from "node:http";
import { OverloadError, TimeoutError, assertNumber } from "@perflayer/core";
import { priorityValue } from "./priority.js";
import type { Priority } from "./priority.js";
import { reportCallbackError } from "./response-optimizer.js";
import type { ResponseOptimizer, Task } from "./response-optimizer.js";

/**
 * How requests map onto the optimizer. A function that throws or returns an invalid value is
 * reported through the optimizer (`stats().callbackErrors`, a rate-limited warning) and its
 * default is used: the request is still served.
 */
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

/** Calls one of the adapter's functions; a throw or an invalid result is reported, not thrown. */
function guarded<T>(
  optimizer: ResponseOptimizer,
  callback: string,
  compute: () => T,
  fallback: T,
): T {
  try {
    return compute();
  } catch (error) {
    reportCallbackError(optimizer, callback, error);
    return fallback;
  }
}

/** Runs one request's work through the optimizer with its priority, timeout and abort signal. */
function runRequest(
  optimizer: ResponseOptimizer,
  req: IncomingMessage,
  res: ServerResponse,
  options: HttpAdapterOptions,
  task: Task<void>,
): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const context = "HTTP adapter";
  const priority = guarded(
    optimizer,
    "priority",
    () => {
      const value = options.priority?.(req) ?? "normal";
      priorityValue(value, {
        name: "priority(req)",
        context,
        fix: 'Return e.g. "high" or an integer.',
      });
      return value;
    },
    "normal",
  );
  const timeoutMs = guarded(
    optimizer,
    "timeoutMs",
    () => {
      const value = options.timeoutMs?.(req);
      return value === undefined
        ? undefined
        : assertNumber(value, { name: "timeoutMs(req)", min: 0, context });
    },
    undefined,
  );
  return optimizer.run(task, { priority, timeoutMs, signal: controller.signal });
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
    runRequest(optimizer, req, res, options, async () => {
      await handler(req, res);
      await finished(res);
    }).catch((error: unknown) => {
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
    runRequest(optimizer, req, res, options, () => {
      next();
      return finished(res);
    }).catch((error: unknown) => {
      if (!reject(res, error)) next(error);
    });
  };
}
