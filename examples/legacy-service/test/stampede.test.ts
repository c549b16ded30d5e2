import { afterEach, beforeEach, expect, it } from "vitest";
import { Backend } from "@perflayer-examples/shared";
import { startLegacyService } from "../src/server.js";
import type { LegacyService } from "../src/server.js";

// The flaw the migration removes, pinned so the demo's comparison stays honest.
let service: LegacyService;
beforeEach(async () => {
  // A slow query (1 s) so every request arrives while the first is still loading.
  service = await startLegacyService(new Backend({ latencyMs: 1_000, connections: 20 }));
});
afterEach(async () => {
  await service.close();
});

it("stampedes: concurrent requests of a cold product each query the backend", async () => {
  const before = service.backend.queries;
  await Promise.all(Array.from({ length: 20 }, () => fetch(`${service.url}/products/77`)));
  expect(service.backend.queries - before).toBe(20);
});
