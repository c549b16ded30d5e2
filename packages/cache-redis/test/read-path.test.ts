// The read path of a memory miss: one GET, shared by the callers of a key, with none of the load
// machinery; the timeout, the breaker and invalidations still bound it. A real redis-server, owned
// by this file (paused with SIGSTOP where a test needs a read in flight).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AbortError, ManualClock } from "@perflayer/core";
import { RedisServer, redisInstalled, requireRedis } from "./redis-server.ts";
import { freshNamespace, member, until } from "./fleet.ts";

let server: RedisServer;
beforeAll(async () => {
  if (redisInstalled) server = await RedisServer.start();
});
beforeEach(() => {
  if (redisInstalled) server.resume();
});
afterAll(async () => {
  await server?.stop();
});

/**
 * "old" stored in Redis by process A; process B's read of it sent to a paused Redis (B's clock is
 * manual: the read never times out, it waits for Redis).
 */
async function readInFlight(tags?: string[]) {
  const ns = freshNamespace();
  const a = await member(server.url, ns);
  const b = await member(server.url, ns, { clock: new ManualClock() });
  await a.caches.cache<string, string>("c").getOrLoad("k", () => "old", { tags });
  const cache = b.caches.cache<string, string>("c");
  server.pause();
  return {
    b,
    cache,
    read: cache.getOrLoad("k", () => "not called"),
    close: async () => {
      server.resume();
      await a.close();
      await b.close();
    },
  };
}

describe("the read path of a memory miss", () => {
  it("an L2 hit is one GET shared by every caller of the key: no loader call, no load counted", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns);
    const b = await member(server.url, ns);
    try {
      await a.caches.cache<string, string>("c").getOrLoad("k", () => "from A");
      const cache = b.caches.cache<string, string>("c");
      let loads = 0;
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => cache.getOrLoad("k", () => (loads++, "from B"))),
      );
      expect(answers).toEqual(Array.from({ length: 20 }, () => "from A"));
      expect(loads).toBe(0);
      expect(b.tier.stats()).toMatchObject({ hits: 1, misses: 0 });
      expect(cache.stats()).toMatchObject({ loads: 0, loadErrors: 0 });
      expect(cache.get("k")).toBe("from A");
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a read while the circuit is open skips Redis: the loader answers at once", async (context) => {
    requireRedis(context);
    const clock = new ManualClock();
    const options = { clock, commandTimeoutMs: 100, breakerThreshold: 1 };
    const a = await member(server.url, freshNamespace(), options);
    try {
      const cache = a.caches.cache<string, string>("c");
      server.pause();
      const first = cache.getOrLoad("first", () => "loaded");
      await clock.advanceAsync(100);
      expect(await first).toBe("loaded");
      expect(a.tier.stats().circuit).toBe("open");
      // No clock advance: a read that waited for Redis would never finish.
      expect(await cache.getOrLoad("second", () => "loaded at once")).toBe("loaded at once");
      expect(a.tier.stats()).toMatchObject({ skipped: 1, fills: { local: 2 } });
      expect(a.tier.stats().errors.timeout).toBe(1);
    } finally {
      server.resume();
      await a.close();
    }
  });

  it("a delete while the read is in flight: its callers get AbortError and the value read is not kept", async (context) => {
    requireRedis(context);
    const { b, cache, read, close } = await readInFlight();
    try {
      cache.delete("k"); // sent after the GET on the same connection: Redis answers the GET first
      await expect(read).rejects.toBeInstanceOf(AbortError);
      server.resume();
      await until(() => b.tier.stats().hits === 1, "the GET's reply");
      expect(cache.has("k")).toBe(false);
      expect(await cache.getOrLoad("k", () => "new")).toBe("new"); // gone from Redis too
    } finally {
      await close();
    }
  });

  it("an invalidateTag while the read is in flight: the callers get the value read before it, memory does not keep it", async (context) => {
    requireRedis(context);
    const { b, cache, read, close } = await readInFlight(["team:a"]);
    try {
      expect(cache.invalidateTag("team:a")).toBe(0); // nothing in memory yet: the read is in flight
      server.resume();
      expect(await read).toBe("old"); // Redis answered the GET before the DELETE_TAG behind it
      expect(b.tier.stats().hits).toBe(1);
      expect(cache.has("k")).toBe(false);
      expect(await cache.getOrLoad("k", () => "new")).toBe("new"); // gone from Redis too
    } finally {
      await close();
    }
  });

  it("a set while the read is in flight wins: the callers get the value read, memory keeps the one set", async (context) => {
    requireRedis(context);
    const { b, cache, read, close } = await readInFlight();
    try {
      cache.set("k", "new");
      server.resume();
      expect(await read).toBe("old");
      expect(cache.get("k")).toBe("new");
      expect(b.tier.stats().hits).toBe(1);
    } finally {
      await close();
    }
  });
});
