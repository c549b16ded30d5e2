import { describe, expectTypeOf, it } from "vitest";
import type { Reclaimer } from "@perflayer/core";
import { BufferPool, MemoryOptimizer, ObjectPool } from "@perflayer/memory";
import type { Lease, PressureLevel } from "@perflayer/memory";

describe("memory public types", () => {
  it("pools are Reclaimers and leases are Disposable", () => {
    const pool = new ObjectPool({ name: "p", create: () => ({ n: 1 }) });
    expectTypeOf(pool).toExtend<Reclaimer>();
    expectTypeOf(new BufferPool({ name: "b" })).toExtend<Reclaimer>();
    expectTypeOf(pool.acquire()).toEqualTypeOf<Promise<Lease<{ n: number }>>>();
    expectTypeOf<Lease<{ n: number }>>().toExtend<Disposable>();
  });

  it("the optimizer's events and level are typed", () => {
    expectTypeOf<MemoryOptimizer["level"]>().toEqualTypeOf<PressureLevel>();
    const memory = new MemoryOptimizer({ budget: 1 });
    memory.on("level", (change) => expectTypeOf(change.to).toEqualTypeOf<PressureLevel>());
    // @ts-expect-error unknown events are type errors
    memory.on("explode", () => undefined);
  });
});
