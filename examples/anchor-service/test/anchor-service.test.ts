import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, expect, it } from "vitest";
import { Backend } from "@perflayer-examples/shared";
import { deadlineSignal } from "../src/deadline-signal.js";
import { startAnchorService } from "../src/server.js";
import type { AnchorService } from "../src/server.js";

let service: AnchorService | undefined;

/** Budgets beyond any wait, for tests that hold the backend while requests pile up. */
const HELD = { deadlineMs: 10 * 60_000, productLoadMs: 10 * 60_000, queryDeadlineMs: 10 * 60_000 };
afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** The value of one series on the service's own registry. */
async function series(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await service?.metrics.registry.getSingleMetric(name)?.get();
  const found = metric?.values.find((v) =>
    Object.entries(labels).every(([k, want]) => v.labels[k] === want),
  );
  return found?.value ?? 0;
}

/**
 * Waits for a state change of the service (no timing is asserted; the bound only turns a state
 * that never comes into a clear failure, far beyond what a machine at load 80 needs).
 */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const giveUp = Date.now() + 5 * 60_000;
  while (!(await condition())) {
    if (Date.now() > giveUp) throw new Error("the awaited state never came");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

it("makes one backend query for 50 concurrent requests of a cold product (lru-cache fetchMethod)", async () => {
  // Deadlines far beyond the wait: on a busy machine a request could otherwise answer 504 before
  // its lookup (seen at load 9), or the held load time out and retry — a second query (load 27).
  service = await startAnchorService({ productTtlMs: 60 * 60_000, ...HELD });
  const { url, backend } = service;
  const release = backend.hold(); // every request arrives while the first load is running
  const pending = Array.from({ length: 50 }, async () =>
    (await fetch(`${url}/products/77`)).json(),
  );
  // One lookup started the load; the other 49 joined it.
  await until(
    async () =>
      (await series("cache_lookups_total", { cache: "products", result: "inflight" })) === 49,
  );
  release();
  const bodies = await Promise.all(pending);
  expect(backend.queries).toBe(1);
  expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
});

it("serves a stale product at once while one background query refreshes it", async () => {
  // TTL 0 in lru-cache means "no TTL"; 1 ms makes every later read stale.
  service = await startAnchorService({ productTtlMs: 1, ...HELD });
  const { url, backend } = service;
  await fetch(`${url}/products/9`);
  const release = backend.hold(); // the refresh cannot finish until released
  await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms TTL
  const stale = await Promise.all(
    Array.from({ length: 5 }, async () => (await fetch(`${url}/products/9`)).status),
  );
  expect(stale).toEqual([200, 200, 200, 200, 200]);
  expect(await series("cache_lookups_total", { cache: "products", result: "stale" })).toBe(1);
  expect(backend.queries).toBe(2); // the first load and one refresh
  release();
});

it("answers 504 when a request outlives its deadline, queue wait included", async () => {
  service = await startAnchorService({ backend: new Backend(), deadlineMs: 50 });
  const release = service.backend.hold();
  const response = await fetch(`${service.url}/products/5`);
  release();
  expect(response.status).toBe(504);
  expect(await series("http_requests_total", { route: "/products/:id", status: "504" })).toBe(1);
});

it("keeps its deadlines through a garbage collection (AbortSignal.any alone loses them on Node 20)", async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const hungUp = new AbortController();
  const reasons = Array.from({ length: 50 }, () => {
    const signal = deadlineSignal(20, hungUp.signal);
    return new Promise<string>((resolve) =>
      signal.addEventListener("abort", () => resolve((signal.reason as Error).name)),
    );
  });
  gc();
  expect(await Promise.all(reasons)).toEqual(Array(50).fill("TimeoutError"));
});
