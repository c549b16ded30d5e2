import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TierValueError, v8Codec } from "@perflayer/cache-redis";
import { RedisServer, redisInstalled, requireRedis } from "./redis-server.ts";
import { freshNamespace, inspector, member } from "./fleet.ts";

let server: RedisServer;
beforeAll(async () => {
  if (redisInstalled) server = await RedisServer.start();
});
afterAll(async () => {
  await server?.stop();
});

describe("reads go memory → Redis → loader", () => {
  it("a value one process loaded is read from Redis by another, without its loader", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns);
    const b = await member(server.url, ns);
    try {
      const usersA = a.caches.cache<string, { name: string }>("users", { ttl: 60_000 });
      const usersB = b.caches.cache<string, { name: string }>("users", { ttl: 60_000 });
      let loads = 0;
      const load = (id: string) => {
        loads++;
        return { name: `user ${id}` };
      };
      expect(await usersA.getOrLoad("42", load)).toEqual({ name: "user 42" });
      expect(await usersB.getOrLoad("42", load)).toEqual({ name: "user 42" });
      expect(loads).toBe(1);
      expect(b.tier.stats()).toMatchObject({ hits: 1, misses: 0 });
      expect(a.tier.stats().fills.loaded).toBe(1);
      // B keeps a memory copy now: a third read touches neither Redis nor the loader.
      expect(usersB.get("42")).toEqual({ name: "user 42" });
      await usersB.getOrLoad("42", load);
      expect(b.tier.stats().hits).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("TTLs and tags carry to Redis, and a copy read from Redis keeps its tags", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns);
    const b = await member(server.url, ns);
    const redis = await inspector(server.url);
    try {
      const cacheA = a.caches.cache<string, string>("pages", { ttl: 60_000 });
      const cacheB = b.caches.cache<string, string>("pages", { ttl: 60_000 });
      cacheA.set("home", "<html>", { ttl: 30_000, tags: ["layout"] });
      await until(async () => (await redis.exists(`${ns}:{pages}:d:s:home`)) === 1);
      const pttl = await redis.pTTL(`${ns}:{pages}:d:s:home`);
      expect(pttl).toBeGreaterThan(25_000);
      expect(pttl).toBeLessThanOrEqual(30_000);
      expect(await redis.sMembers(`${ns}:{pages}:t:layout`)).toEqual(["s:home"]);
      expect(await cacheB.getOrLoad("home", () => "loader")).toBe("<html>");
      // B's copy is tagged like A's: B's own invalidateTag finds it.
      expect(cacheB.invalidateTag("layout")).toBe(1);
      await until(async () => (await redis.exists(`${ns}:{pages}:d:s:home`)) === 0);
    } finally {
      await redis.close();
      await a.close();
      await b.close();
    }
  });

  it("number keys, null values and forceRefresh go through Redis like the rest", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns);
    const b = await member(server.url, ns);
    try {
      const ca = a.caches.cache<number, string | null>("n");
      const cb = b.caches.cache<number, string | null>("n");
      expect(await ca.getOrLoad(7, () => null)).toBeNull();
      expect(await cb.getOrLoad(7, () => "not called")).toBeNull();
      expect(await cb.getOrLoad(7, () => "fresh", { forceRefresh: true })).toBe("fresh");
      expect(await a.caches.cache<number, string | null>("n2").getOrLoad(7, () => "other")).toBe(
        "other",
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("closing one process keeps the entries in Redis for the others", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns);
    const b = await member(server.url, ns);
    try {
      await a.caches.cache<string, number>("c").getOrLoad("k", () => 1);
      await a.close();
      expect(await b.caches.cache<string, number>("c").getOrLoad("k", () => 2)).toBe(1);
    } finally {
      await b.close();
    }
  });
});

describe("values", () => {
  it("the v8 codec carries Dates, Maps and BigInts; JSON refuses what it cannot encode with a typed error", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns, { codec: v8Codec });
    const b = await member(server.url, ns, { codec: v8Codec });
    const json = await member(server.url, freshNamespace());
    try {
      const value = { at: new Date(0), seen: new Map([["x", 1n]]) };
      await a.caches.cache<string, typeof value>("s").getOrLoad("k", () => value);
      const copy = await b.caches.cache<string, typeof value>("s").getOrLoad("k", () => {
        throw new Error("not called");
      });
      expect(copy.at).toBeInstanceOf(Date);
      expect(copy.seen.get("x")).toBe(1n);
      const plain = json.caches.cache<string, unknown>("s");
      expect(() => plain.set("f", () => 1)).toThrow(TierValueError);
      expect(() => plain.set("f", () => 1)).toThrow(/ERR_TIER_CODEC|cannot encode/);
      expect(plain.has("f")).toBe(false);
    } finally {
      await a.close();
      await b.close();
      await json.close();
    }
  });

  it("a value above maxValueBytes: set throws ERR_TIER_VALUE_TOO_LARGE; a loaded one is returned and kept in memory only", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns, { maxValueBytes: 100 });
    const b = await member(server.url, ns, { maxValueBytes: 100 });
    try {
      const big = "x".repeat(500);
      const ca = a.caches.cache<string, string>("big");
      const error = (() => {
        try {
          ca.set("k", big);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(TierValueError);
      expect((error as TierValueError).code).toBe("ERR_TIER_VALUE_TOO_LARGE");
      expect(ca.has("k")).toBe(false);
      expect(await ca.getOrLoad("loaded", () => big)).toBe(big);
      expect(ca.get("loaded")).toBe(big);
      expect(a.tier.stats().errors.too_large).toBe(2);
      let loads = 0;
      await b.caches.cache<string, string>("big").getOrLoad("loaded", () => {
        loads++;
        return big;
      });
      expect(loads).toBe(1); // not shared through Redis
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("keys that are neither strings nor numbers are refused with a typed error naming the fix", async (context) => {
    requireRedis(context);
    const a = await member(server.url, freshNamespace());
    try {
      const cache = a.caches.cache<object, string>("objects");
      await expect(cache.getOrLoad({}, () => "v")).rejects.toThrow(/string or a finite number/);
    } finally {
      await a.close();
    }
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("condition not reached");
}
