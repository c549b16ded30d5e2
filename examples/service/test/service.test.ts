import { afterEach, beforeEach, expect, it } from "vitest";
import { startService } from "../src/server.js";
import type { Service } from "../src/server.js";

let service: Service;
beforeEach(async () => {
  service = await startService();
});
afterEach(async () => {
  await service.close();
});

it("makes one backend query for 50 concurrent requests of a cold product", async () => {
  const before = service.backend.queries;
  const bodies = await Promise.all(
    Array.from({ length: 50 }, async () => (await fetch(`${service.url}/products/77`)).json()),
  );
  expect(service.backend.queries - before).toBe(1);
  expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
});

it("reports its caches and both schedulers, each by name, on /metrics through one registry", async () => {
  await fetch(`${service.url}/products/5`);
  await fetch(`${service.url}/products/5`);
  const text = await (await fetch(`${service.url}/metrics`)).text();
  expect(text).toMatch(/^perflayer_cache_requests_total\{cache="products",result="hit"\} 1$/m);
  expect(text).toMatch(
    /^perflayer_response_tasks_total\{optimizer="backend",priority="high",outcome="ok"\} 1$/m,
  );
  // The two /products requests ran through the request scheduler (this scrape is still running).
  expect(text).toMatch(
    /^perflayer_response_tasks_total\{optimizer="requests",priority="normal",outcome="ok"\} 2$/m,
  );
  expect(text).toMatch(/^http_request_duration_seconds_count\{route="\/products\/:id"\} 2$/m);
});
