import {
  PerflayerError,
  TimeoutError,
  assertKnownKeys,
  assertNumber,
  systemClock,
} from "@perflayer/core";
import type { Clock } from "@perflayer/core";
import type { AlertEvent } from "./alert-rule.js";

/** Where alert notifications go. A failing sink never stops evaluation or the other sinks. */
export interface AlertSink {
  /** A stable, low-cardinality name (a metric label). */
  readonly name: string;
  /**
   * Delivers one notification.
   * @param event - the transition
   */
  notify(event: AlertEvent): void | Promise<void>;
}

/**
 * A sink that calls a function.
 * @param fn - receives every notification
 * @param name - the sink's name
 * @returns the sink
 */
export function callbackSink(
  fn: (event: AlertEvent) => void | Promise<void>,
  name = "callback",
): AlertSink {
  return { name, notify: fn };
}

/** What a logger sink writes to: `console` fits, as do pino and winston loggers. */
export interface AlertLogger {
  /** Logs an alert that is firing. */
  warn(message: string, details?: unknown): void;
  /** Logs other transitions. */
  info(message: string, details?: unknown): void;
}

/**
 * A sink that logs one line per notification.
 * @param logger - defaults to `console`
 * @returns the sink
 */
export function loggerSink(logger: AlertLogger = console): AlertSink {
  return {
    name: "logger",
    notify(event) {
      const line = `[alert] ${event.alertname} ${event.status}${event.repeat ? " (repeat)" : ""}: value ${String(event.value)} ${event.condition}`;
      if (event.status === "firing") logger.warn(line, event);
      else logger.info(line, event);
    },
  };
}

/** Options of {@link webhookSink}. */
export interface WebhookSinkOptions {
  /** Where to POST the JSON notification. */
  readonly url: string | URL;
  /** Extra headers, e.g. an authorization token. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Request timeout in milliseconds (any length; the wait keeps the process alive).
   * @defaultValue 5_000
   */
  readonly timeoutMs?: number;
  /** @defaultValue "webhook" */
  readonly name?: string;
  /**
   * Time source of the timeout; tests pass a `ManualClock`.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
}

/**
 * A sink that POSTs each notification as JSON (`{ "alerts": [event] }`, close to Alertmanager's
 * webhook payload). A non-2xx answer or timeout rejects, which the monitor counts.
 * @param options - URL, headers and timeout
 * @returns the sink
 */
export function webhookSink(options: WebhookSinkOptions): AlertSink {
  const context = "webhookSink()";
  assertKnownKeys(options, ["url", "headers", "timeoutMs", "name", "clock"], context);
  const url = new URL(options.url);
  const timeoutMs = assertNumber(options.timeoutMs ?? 5_000, {
    name: "timeoutMs",
    min: 1,
    fix: "Pass milliseconds, e.g. { timeoutMs: 5_000 }.",
    context,
  });
  const clock = options.clock ?? systemClock;
  return {
    name: options.name ?? "webhook",
    async notify(event) {
      const controller = new AbortController();
      // Through the clock (any length; AbortSignal.timeout overflows past 2³¹−1 ms) and ref'd:
      // evaluate() awaits the delivery.
      const timer = clock.setTimeout(
        () =>
          controller.abort(
            new TimeoutError(
              `webhook ${url.origin}${url.pathname} did not answer within ${timeoutMs} ms`,
              { timeoutMs },
            ),
          ),
        timeoutMs,
        { ref: true },
      );
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...options.headers },
          body: JSON.stringify({ version: "1", status: event.status, alerts: [event] }),
          signal: controller.signal,
        });
      } catch (error) {
        throw controller.signal.aborted ? (controller.signal.reason as TimeoutError) : error;
      } finally {
        timer.cancel();
      }
      await response.body?.cancel();
      if (!response.ok)
        throw new PerflayerError(
          "ERR_WEBHOOK_STATUS",
          `webhook ${url.origin}${url.pathname} answered ${response.status}`,
        );
    },
  };
}
