import { afterEach, beforeEach, expect, it } from "vitest";
import { Backend } from "@perflayer-examples/shared";
import { startLegacyService } from "../src/server.js";
import type { LegacyService } from "../src/server.js";

// The flaw the migration removes, pinned so the demo's comparison stays honest.
let service: LegacyService;
beforeEach(async () => {
  // No query may time out while the test holds the backend, however slow the machine.
  service = await startLegacyService({
    backend: new Backend({ connections: 20 }),
    backendTimeoutMs: 60_000,
  });
});
afterEach(async () => {
  await service.close();
});

it("stampedes: concurrent requests of a cold product each query the backend", async () => {
  const before = service.backend.queries;
  const release = service.backend.hold(); // every request arrives while the first is still loading
  const responses = Array.from({ length: 20 }, () => fetch(`${service.url}/products/77`));
  const giveUp = Date.now() + 20_000;
  while (service.backend.queries - before < 20 && Date.now() < giveUp)
    await new Promise((resolve) => setTimeout(resolve, 2));
  release();
  expect((await Promise.all(responses)).map((r) => r.status)).toEqual(Array(20).fill(200));
  expect(service.backend.queries - before).toBe(20);
});
