import { createServer, Agent, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ResponseOptimizer, responseMiddleware, wrapHandler } from "@perflayer/response";
import { ManualClock } from "@perflayer/core";

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

/** Waits for a state change of the server under test (no timing is asserted). */
async function until(condition: () => boolean): Promise<void> {
  const giveUp = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > giveUp) throw new Error("the awaited state never came");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe("HTTP adapters on 127.0.0.1 under overload", () => {
  it(
    "P0 «503 + Retry-After when shedding»: serves high priority first while low-priority requests are shed with 503 + Retry-After",
    { tags: ["p0"] },
    async () => {
      // Deterministic overload: the handler holds each request until the test releases it, and CoDel
      // reads a manual clock, so what is shed, and in which order requests are served, does not depend
      // on how fast this machine is.
      const clock = new ManualClock();
      const optimizer = new ResponseOptimizer({
        clock,
        concurrency: 2,
        maxQueue: 4,
        codel: { targetMs: 5, intervalMs: 50 },
        shedExemptAbove: "high",
      });
      const gates: (() => void)[] = [];
      const served: string[] = [];
      const handler = wrapHandler(
        optimizer,
        async (req, res) => {
          await new Promise<void>((resolve) => gates.push(resolve));
          served.push(req.url ?? "");
          res.writeHead(200).end("ok");
        },
        {
          priority: (req) => (req.url?.startsWith("/checkout") ? "high" : "low"),
          timeoutMs: () => 1_000,
        },
      );
      const server = createServer(handler);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as AddressInfo).port;
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      const send = (path: string): Promise<Result> => get(port, path, agent);
      try {
        const running = [send("/report/1"), send("/report/2")];
        await until(() => gates.length === 2);
        const queuedLow = [3, 4, 5, 6].map((i) => send(`/report/${i}`));
        await until(() => optimizer.queued === 4);
        // The queue is full: a newcomer of the lowest priority is shed at once.
        const rejected = await Promise.all([send("/report/7"), send("/report/8")]);
        // A high-priority newcomer displaces the lowest queued request instead.
        const high = [send("/checkout/1"), send("/checkout/2")];
        await until(() => optimizer.stats().outcomes.shed === 4);
        // Time passes: the low requests still queued have waited past CoDel's allowance; high ones
        // are exempt.
        clock.advance(100);
        for (const release of gates.splice(0)) release();
        await until(() => gates.length === 2);
        expect(served).toEqual(["/report/1", "/report/2"]);
        for (const release of gates.splice(0)) release();
        const highResults = await Promise.all(high);
        const lowResults = [
          ...(await Promise.all(running)),
          ...(await Promise.all(queuedLow)),
          ...rejected,
        ];
        expect(highResults.map((r) => r.status)).toEqual([200, 200]);
        expect(served.slice(2).sort()).toEqual(["/checkout/1", "/checkout/2"]);
        const shed = lowResults.filter((r) => r.status === 503);
        expect(lowResults.map((r) => r.status).sort()).toEqual([
          200, 200, 503, 503, 503, 503, 503, 503,
        ]);
        expect(shed.every((r) => Number(r.retryAfter) >= 1)).toBe(true);
        expect(optimizer.stats().outcomes.shed).toBe(6);
      } finally {
        for (const release of gates.splice(0)) release();
        agent.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await optimizer.close();
      }
    },
  );

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
