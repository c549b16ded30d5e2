import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { startService } from "../src/server.js";
import type { Service } from "../src/server.js";

let service: Service;

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
  service = await startService({ clock: new ManualClock() });
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
