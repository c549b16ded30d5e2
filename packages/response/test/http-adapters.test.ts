import { createServer, Agent, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ResponseOptimizer, responseMiddleware, wrapHandler } from "@perflayer/response";
import { RecordingInstrumentation } from "@perflayer/core";

interface Result {
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: string | undefined;
}

function get(port: number, path: string, agent: Agent): Promise<Result> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          retryAfter: res.headers["retry-after"],
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

describe("HTTP adapters on 127.0.0.1 under overload", () => {
  it("keeps high-priority latency while low-priority requests are shed with 503 + Retry-After", async () => {
    // Capacity: 4 concurrent requests of ~20 ms → ~200 req/s. Offered: 32 low-priority clients in a
    // closed loop plus a trickle of high-priority requests, for a bounded 1.5 s.
    const recorder = new RecordingInstrumentation();
    const optimizer = new ResponseOptimizer({
      instrumentation: recorder,
      concurrency: 4,
      maxQueue: 32,
      codel: { targetMs: 5, intervalMs: 50 },
      shedExemptAbove: "high",
    });
    const handler = wrapHandler(
      optimizer,
      async (_req, res) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        res.writeHead(200).end("ok");
      },
      { priority: (req) => (req.url === "/checkout" ? "high" : "low"), timeoutMs: () => 1_000 },
    );
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const until = performance.now() + 1_500;
    const low: Result[] = [];
    const high: Result[] = [];
    const lowClient = async (): Promise<void> => {
      while (performance.now() < until) low.push(await get(port, "/report", agent));
    };
    const highClient = async (): Promise<void> => {
      while (performance.now() < until) {
        high.push(await get(port, "/checkout", agent));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    try {
      await Promise.all([...Array.from({ length: 32 }, lowClient), highClient(), highClient()]);
    } finally {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await optimizer.close();
    }
    const shed = low.filter((r) => r.status === 503);
    expect(shed.length).toBeGreaterThan(low.length * 0.3);
    expect(shed.every((r) => r.retryAfter !== undefined && Number(r.retryAfter) >= 1)).toBe(true);
    expect(high.length).toBeGreaterThan(5);
    expect(high.every((r) => r.status === 200)).toBe(true);
    // High priority jumps the queue: it waits for a free slot (one ~20 ms request), never behind the
    // low-priority backlog. Client-side latency on a loaded 2-core CI box is mostly HTTP contention
    // between 34 clients, so judge the scheduler by what it controls: queue wait, as the optimizer
    // itself measured it. (Low's served requests wait little too — CoDel keeps the queue short by
    // shedding, which the assertions above check.)
    const highWait = recorder.observations("perflayer_response_queue_wait_seconds", {
      optimizer: "default",
      priority: "high",
    });
    expect(highWait.length).toBe(high.length);
    expect(percentile(highWait, 0.99)).toBeLessThan(0.2);
    const highMs = high.map((r) => r.ms);
    expect(percentile(highMs, 0.99)).toBeLessThan(1_000);
  }, 20_000);

  it("answers 504 when a request's deadline passes, through the middleware form", async () => {
    const optimizer = new ResponseOptimizer({ concurrency: 1 });
    const middleware = responseMiddleware(optimizer, { timeoutMs: () => 50 });
    const server = createServer((req, res) => {
      middleware(req, res, (error) => {
        if (error !== undefined) {
          res.writeHead(500).end();
          return;
        }
        setTimeout(() => {
          if (!res.headersSent) res.writeHead(200).end("late");
        }, 200);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new Agent();
    try {
      const result = await get(port, "/slow", agent);
      expect(result.status).toBe(504);
    } finally {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
