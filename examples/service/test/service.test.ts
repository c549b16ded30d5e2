import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { startService } from "../src/server.js";
import type { Service } from "../src/server.js";

let service: Service;
let clock: ManualClock;

/** Lookups of the products cache that found nothing (each joins or starts a load). */
function productMisses(): number {
  const metric = service.monitor.snapshot().metrics["perflayer_cache_requests_total"];
  if (metric?.type !== "counter") return 0;
  const miss = metric.series.find(
    (s) => s.labels["cache"] === "products" && s.labels["result"] === "miss",
  );
  return miss?.value ?? 0;
}

/** Waits for a state change of the service (no timing is asserted). */
async function until(condition: () => boolean): Promise<void> {
  const giveUp = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > giveUp) throw new Error("the awaited state never came");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
beforeEach(async () => {
  // Cache TTLs and deadlines run on a manual clock: on a slow machine a burst may spread over
  // seconds of real time, and what these tests assert must not change with that.
  clock = new ManualClock();
  service = await startService({ clock });
});
afterEach(async () => {
  await service.close();
});

it(
  "makes one backend query for 50 concurrent requests of a cold product",
  { tags: ["p0"] },
  async () => {
    const before = service.backend.queries;
    const release = service.backend.hold(); // every request arrives while the first load is running
    const pending = Array.from({ length: 50 }, async () =>
      (await fetch(`${service.url}/products/77`)).json(),
    );
    await until(() => productMisses() === 50); // all 50 are waiting on the one load
    release();
    const bodies = await Promise.all(pending);
    expect(service.backend.queries - before).toBe(1);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  },
);

it("answers with the last product while its backend is too slow to refresh it, past the stale window", async () => {
  const first = await (await fetch(`${service.url}/products/5`)).json();
  clock.advance(4_000); // 3 s past expiry: beyond stale-while-revalidate (2 s), within staleIfError
  const release = service.backend.hold(); // the backend answers nothing until released
  try {
    const answer = fetch(`${service.url}/products/5`);
    await until(() => productMisses() === 2); // it waits for the load…
    clock.advance(1_000); // …until loadTimeoutMs
    const timedOut = await answer;
    expect(timedOut.status).toBe(200);
    expect(await timedOut.json()).toEqual(first);
    // The load failed: later requests get the last value at once while one refresh is tried.
    const next = await fetch(`${service.url}/products/5`);
    expect(next.status).toBe(200);
    expect(await next.json()).toEqual(first);
    expect(productMisses()).toBe(2);
  } finally {
    release();
  }
});

it("reports its caches and both schedulers, each by name, on /metrics through one registry", async () => {
  await fetch(`${service.url}/products/5`, { headers: { "x-priority": "high" } });
  await fetch(`${service.url}/products/5`);
  const text = await (await fetch(`${service.url}/metrics`)).text();
  expect(text).toMatch(/^perflayer_cache_requests_total\{cache="products",result="hit"\} 1$/m);
  // The cold load ran at the priority of the request that needed it.
  expect(text).toMatch(
    /^perflayer_response_tasks_total\{optimizer="backend",priority="high",outcome="ok"\} 1$/m,
  );
  // Both /products requests ran through the request scheduler (this scrape is still running).
  for (const priority of ["high", "normal"])
    expect(text).toMatch(
      new RegExp(
        `^perflayer_response_tasks_total\\{optimizer="requests",priority="${priority}",outcome="ok"\\} 1$`,
        "m",
      ),
    );
  expect(text).toMatch(/^http_request_duration_seconds_count\{route="\/products\/:id"\} 2$/m);
});
