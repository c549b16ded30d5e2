// The comparison harness measures what it says: a service in a process of its own that reports its
// backend's queries and heap, a backend that slows down on request, and nearest-rank percentiles.
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { percentile, startServiceProcess } from "../service-scenarios.ts";
import type { ServiceProcess } from "../service-scenarios.ts";

const root = join(import.meta.dirname, "..", "..");
const started: ServiceProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

it("takes nearest-rank percentiles without reordering its input", () => {
  const values = [5, 1, 4, 2, 3];
  expect(percentile(values, 50)).toBe(3);
  expect(percentile(values, 99)).toBe(5);
  expect(percentile(values, 1)).toBe(1);
  expect(values).toEqual([5, 1, 4, 2, 3]);
  expect(percentile([], 99)).toBeNaN();
});

it.each(["legacy", "anchor", "perflayer"] as const)(
  "runs the %s service in a process of its own that reports its backend queries and heap",
  async (kind) => {
    const service = await startServiceProcess(kind, { latencyMs: 1 }, root);
    started.push(service);
    const before = await service.probe();
    expect((await fetch(`${service.url}/products/3`)).status).toBe(200);
    expect((await fetch(`${service.url}/products/3`)).status).toBe(200); // cached
    const after = await service.setLatency(2);
    expect(after.queries - before.queries).toBe(1);
    expect(before.heapBytes).toBeGreaterThan(1_000_000);
  },
);
