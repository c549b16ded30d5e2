import { describe, expectTypeOf, it } from "vitest";
import type { Reclaimer } from "@perflayer/core";
import { CacheManager, CacheMap, lazy, memoize, memoizeLocal, memoizeWeak } from "@perflayer/cache";
import type { Cache, CachePolicy, CacheStats, Lazy, TinyLfuStats } from "@perflayer/cache";

describe("cache public types", () => {
  const manager = new CacheManager();

  it("types caches by key and value", () => {
    const users = manager.cache<string, { id: string }>("users");
    expectTypeOf(users).toEqualTypeOf<Cache<string, { id: string }>>();
    expectTypeOf(users.get("1")).toEqualTypeOf<{ id: string } | undefined>();
    expectTypeOf(users.getOrLoad("1", (id) => ({ id }))).toEqualTypeOf<Promise<{ id: string }>>();
    // @ts-expect-error the loader must produce the cache's value type
    void users.getOrLoad("1", () => 42);
    // @ts-expect-error keys are typed
    users.get(1);
  });

  it("caches are Reclaimers and Maps can be swapped for CacheMaps", () => {
    expectTypeOf(manager.cache("x")).toExtend<Reclaimer>();
    expectTypeOf(new CacheMap(manager.cache<string, number>("m"))).toExtend<Map<string, number>>();
    expectTypeOf(manager.stats()).toEqualTypeOf<Record<string, CacheStats>>();
  });

  it("names the eviction policy in options and stats", () => {
    expectTypeOf<CachePolicy>().toEqualTypeOf<"lru" | "tinylfu">();
    const products = manager.cache<string, number>("products", { policy: "tinylfu" });
    expectTypeOf(products.options.policy).toEqualTypeOf<CachePolicy>();
    expectTypeOf(products.stats().tinyLfu).toEqualTypeOf<TinyLfuStats | undefined>();
    // @ts-expect-error only the two policies exist
    manager.cache("lfu", { policy: "lfu" });
  });

  it("memoize keeps the function's signature", () => {
    const lengthOf = memoize(
      (s: string) => s.length,
      manager.cache<NonNullable<unknown>, number>("len"),
    );
    expectTypeOf(lengthOf).parameters.toEqualTypeOf<[string]>();
    expectTypeOf(lengthOf).returns.toEqualTypeOf<number>();
    const load = memoize(
      (id: number) => Promise.resolve({ id }),
      manager.cache<NonNullable<unknown>, { id: number }>("load"),
    );
    expectTypeOf(load).returns.toEqualTypeOf<Promise<{ id: number }>>();
  });

  it("lazy types get as the load's result and peek as its settled value", () => {
    const port = lazy(() => 8080);
    expectTypeOf(port).toEqualTypeOf<Lazy<number>>();
    expectTypeOf(port.get()).toEqualTypeOf<number>();
    const user = lazy(() => Promise.resolve({ id: 1 }));
    expectTypeOf(user.get()).toEqualTypeOf<Promise<{ id: number }>>();
    expectTypeOf(user.peek()).toEqualTypeOf<{ id: number } | undefined>();
  });

  it("lazy's TTL function receives the settled value", () => {
    lazy(() => Promise.resolve({ expiresIn: 60 }), {
      ttl: (token) => {
        expectTypeOf(token).toEqualTypeOf<{ expiresIn: number }>();
        return token.expiresIn * 1000;
      },
    });
    // @ts-expect-error -- the TTL must be a number of milliseconds
    lazy(() => ({ expiresAt: "soon" }), { ttl: (token) => token.expiresAt });
  });

  it("memoizeWeak takes object keys only", () => {
    const facts = memoizeWeak((node: { kind: number }) => node.kind);
    expectTypeOf(facts).parameters.toEqualTypeOf<[{ kind: number }]>();
    expectTypeOf(facts).returns.toEqualTypeOf<number>();
    // @ts-expect-error a WeakMap key is an object
    memoizeWeak((id: string) => id);
  });

  it("memoizeLocal takes one defined key and keeps the result type", () => {
    const parse = memoizeLocal((path: string) => path.split("/"));
    expectTypeOf(parse).parameters.toEqualTypeOf<[string]>();
    expectTypeOf(parse).returns.toEqualTypeOf<string[]>();
    // @ts-expect-error a key may not be undefined (the store could not tell it from a miss)
    memoizeLocal((key: string | undefined) => key);
  });
});
