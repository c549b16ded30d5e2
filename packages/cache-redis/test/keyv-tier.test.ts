import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyv } from "keyv";
import KeyvRedis from "@keyv/redis";
import { CacheManager } from "@perflayer/cache";
import { KeyvTier } from "@perflayer/cache-redis";
import { RedisServer, redisInstalled, requireRedis } from "./redis-server.ts";
import { freshNamespace } from "./fleet.ts";

let server: RedisServer;
beforeAll(async () => {
  if (redisInstalled) server = await RedisServer.start();
});
afterAll(async () => {
  await server?.stop();
});

describe("any Keyv store as a plain second tier", () => {
  it("a value loaded by one process is read from the Keyv store by another (in-memory Keyv)", async () => {
    const store = new Keyv();
    const a = new CacheManager({ defaults: { secondTier: new KeyvTier(store) } });
    const b = new CacheManager({ defaults: { secondTier: new KeyvTier(store) } });
    let loads = 0;
    const load = (): string => (loads++, "v");
    expect(await a.cache<string, string>("c").getOrLoad("k", load, { tags: ["t"] })).toBe("v");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await b.cache<string, string>("c").getOrLoad("k", load)).toBe("v");
    expect(loads).toBe(1);
    // The copy read from Keyv keeps its tag; invalidateTag clears the Keyv namespace.
    expect(b.cache<string, string>("c").invalidateTag("t")).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await store.get("c:s:k")).toBeUndefined();
    await a.close();
    await b.close();
  });

  it("works over @keyv/redis on a real Redis: a set is read by another process, a delete removes it", async (context) => {
    requireRedis(context);
    const namespace = freshNamespace();
    const keyvA = new Keyv({ store: new KeyvRedis(server.url), namespace });
    const keyvB = new Keyv({ store: new KeyvRedis(server.url), namespace });
    const a = new CacheManager({ defaults: { ttl: 30_000, secondTier: new KeyvTier(keyvA) } });
    const b = new CacheManager({ defaults: { ttl: 30_000, secondTier: new KeyvTier(keyvB) } });
    try {
      a.cache<string, { n: number }>("c").set("k", { n: 1 });
      let found: unknown;
      for (let i = 0; i < 400 && found === undefined; i++) {
        found = await keyvB.get("c:s:k");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await b.cache<string, { n: number }>("c").getOrLoad("k", () => ({ n: 2 }))).toEqual({
        n: 1,
      });
      a.cache<string, { n: number }>("c").delete("k");
      for (let i = 0; i < 400 && found !== undefined; i++) {
        found = await keyvB.get("c:s:k");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(found).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
      await keyvA.disconnect();
      await keyvB.disconnect();
    }
  });

  it("refuses something that is not a Keyv with a typed error", () => {
    expect(() => new KeyvTier({} as never)).toThrow(/Expected `keyv` to be a Keyv instance/);
  });
});
