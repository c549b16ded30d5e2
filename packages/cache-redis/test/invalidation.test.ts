import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cache } from "@perflayer/cache";
import { RedisServer, redisInstalled, requireRedis } from "./redis-server.ts";
import { freshNamespace, inspector, member, until } from "./fleet.ts";
import type { Member } from "./fleet.ts";

let server: RedisServer;
beforeAll(async () => {
  if (redisInstalled) server = await RedisServer.start();
});
afterAll(async () => {
  await server?.stop();
});

/** Three processes, each with a memory copy of user:1, user:2 (tagged) and order:1. */
async function fleetWithCopies(): Promise<{
  members: Member[];
  caches: Cache<string, string>[];
  close: () => Promise<void>;
}> {
  const ns = freshNamespace();
  const members = await Promise.all([0, 1, 2].map(() => member(server.url, ns)));
  const caches = members.map((m) => m.caches.cache<string, string>("c", { ttl: 60_000 }));
  for (const cache of caches) {
    await cache.getOrLoad("user:1", () => "u1", { tags: ["team:a"] });
    await cache.getOrLoad("user:2", () => "u2", { tags: ["team:b"] });
    await cache.getOrLoad("order:1", () => "o1");
  }
  for (const cache of caches) expect(cache.size).toBe(3);
  return {
    members,
    caches,
    close: async () => {
      for (const m of members) await m.close();
    },
  };
}

const received = (m: Member): number => m.tier.stats().invalidationsReceived;

describe("invalidation across processes", () => {
  it("delete in one process removes the key from Redis and from every other process's memory", async (context) => {
    requireRedis(context);
    const { members, caches, close } = await fleetWithCopies();
    try {
      caches[0]?.delete("user:1");
      await until(() => received(members[1]!) === 1 && received(members[2]!) === 1, "messages");
      for (const cache of caches) {
        expect(cache.has("user:1")).toBe(false);
        expect(cache.has("order:1")).toBe(true);
      }
      let loads = 0;
      expect(await caches[2]!.getOrLoad("user:1", () => (loads++, "u1 v2"))).toBe("u1 v2");
      expect(loads).toBe(1); // gone from Redis too
    } finally {
      await close();
    }
  });

  it("invalidateTag, invalidatePrefix and clear reach every process and Redis", async (context) => {
    requireRedis(context);
    const { members, caches, close } = await fleetWithCopies();
    const redis = await inspector(server.url);
    try {
      caches[1]?.invalidateTag("team:a");
      await until(() => received(members[0]!) === 1 && received(members[2]!) === 1, "tag");
      for (const cache of caches) expect([...cache.keys()].sort()).toEqual(["order:1", "user:2"]);

      caches[2]?.invalidatePrefix("user:");
      await until(() => received(members[0]!) === 2 && received(members[1]!) === 1, "prefix");
      for (const cache of caches) expect([...cache.keys()]).toEqual(["order:1"]);

      members[0]?.caches.clear();
      await until(() => received(members[1]!) === 2 && received(members[2]!) === 2, "clear");
      for (const cache of caches) expect(cache.size).toBe(0);
      const left = await redis.keys(`${members[0]!.tier.options.namespace}:{c}:[dlt]:*`);
      expect(left).toEqual([]);
    } finally {
      await redis.close();
      await close();
    }
  });

  it("a set in one process replaces the value in Redis and drops the others' old copies", async (context) => {
    requireRedis(context);
    const { members, caches, close } = await fleetWithCopies();
    try {
      caches[0]?.set("order:1", "o1 v2");
      await until(() => received(members[1]!) === 1 && received(members[2]!) === 1, "set");
      expect(caches[1]?.has("order:1")).toBe(false);
      expect(await caches[1]!.getOrLoad("order:1", () => "loader")).toBe("o1 v2");
    } finally {
      await close();
    }
  });

  it("a load in flight while another process invalidates its key never stores the old value", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns);
    const b = await member(server.url, ns);
    try {
      const ca = a.caches.cache<string, string>("c");
      const cb = b.caches.cache<string, string>("c");
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let version = 1;
      const loading = ca.getOrLoad("k", async () => {
        const read = `v${version}`;
        await gate;
        return read;
      });
      await until(() => a.tier.stats().misses === 1, "A's miss");
      // The backend changes and B invalidates while A's loader holds the fleet lock.
      version = 2;
      cb.delete("k");
      await until(() => received(a) === 1, "A told");
      release();
      // A's first value predates the change: its write is refused, A loads again and shares v2.
      expect(await loading).toBe("v2");
      expect(ca.get("k")).toBe("v2");
      expect(await cb.getOrLoad("k", () => "loader")).toBe("v2");
    } finally {
      await a.close();
      await b.close();
    }
  });
});
