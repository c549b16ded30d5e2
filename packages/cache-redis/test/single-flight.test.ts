import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError } from "@perflayer/core";
import { RedisServer, redisInstalled, requireRedis } from "./redis-server.ts";
import { freshNamespace, inspector, member, until } from "./fleet.ts";

let server: RedisServer;
beforeAll(async () => {
  if (redisInstalled) server = await RedisServer.start();
});
afterAll(async () => {
  await server?.stop();
});

describe("fleet-wide single-flight", () => {
  it("a cold key read at once by four processes, 50 callers each, is loaded by one loader call", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const members = await Promise.all([0, 1, 2, 3].map(() => member(server.url, ns)));
    try {
      let loads = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const load = async (): Promise<string> => {
        loads++;
        await gate;
        return "value";
      };
      const reads = members.flatMap((m) =>
        Array.from({ length: 50 }, () => m.caches.cache<string, string>("c").getOrLoad("k", load)),
      );
      // Every process has asked Redis and found the key cold before the load finishes.
      await until(() => members.every((m) => m.tier.stats().misses === 1), "four misses");
      release();
      expect(new Set(await Promise.all(reads))).toEqual(new Set(["value"]));
      expect(loads).toBe(1);
      const fills = members.map((m) => m.tier.stats().fills);
      expect(fills.reduce((n, f) => n + f.loaded, 0)).toBe(1);
      expect(fills.reduce((n, f) => n + f.waited, 0)).toBe(3);
    } finally {
      for (const m of members) await m.close();
    }
  });

  it("a lock holder that died releases by expiry: a waiter takes over and loads", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns, { lockTtlMs: 300, maxPollMs: 50 });
    const redis = await inspector(server.url);
    try {
      // A process took the lock and died before loading (nothing renews it).
      await redis.set(`${ns}:{c}:l:s:k`, "dead-holder", { PX: 300 });
      let loads = 0;
      const value = await a.caches.cache<string, string>("c").getOrLoad("k", () => {
        loads++;
        return "taken over";
      });
      expect(value).toBe("taken over");
      expect(loads).toBe(1);
      expect(a.tier.stats().fills.loaded).toBe(1);
    } finally {
      await redis.close();
      await a.close();
    }
  });

  it("a waiter honours its AbortSignal and the load timeout while another process holds the lock", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns, { lockTtlMs: 60_000 });
    const redis = await inspector(server.url);
    try {
      await redis.set(`${ns}:{c}:l:s:k`, "slow-holder", { PX: 60_000 });
      const cache = a.caches.cache<string, string>("c");
      const controller = new AbortController();
      const waiting = cache.getOrLoad("k", () => "never", { signal: controller.signal });
      await until(() => a.tier.stats().misses === 1, "the miss");
      controller.abort();
      await expect(waiting).rejects.toBeInstanceOf(AbortError);
      const timed = a.caches.cache<string, string>("t", { loadTimeoutMs: 200 });
      await redis.set(`${ns}:{t}:l:s:k`, "slow-holder", { PX: 60_000 });
      await expect(timed.getOrLoad("k", () => "never")).rejects.toMatchObject({
        name: "TimeoutError",
      });
    } finally {
      await redis.close();
      await a.close();
    }
  });

  it("a failed load is not shared: the next process in line loads, the error reaches only the holder's callers", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns);
    const b = await member(server.url, ns);
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const failing = a.caches.cache<string, string>("c").getOrLoad("k", async () => {
        await gate;
        throw new Error("backend down");
      });
      await until(() => a.tier.stats().misses === 1, "A holds the lock");
      const waiting = b.caches.cache<string, string>("c").getOrLoad("k", () => "from B");
      await until(() => b.tier.stats().misses === 1, "B waits");
      release();
      await expect(failing).rejects.toThrow("backend down");
      expect(await waiting).toBe("from B");
    } finally {
      await a.close();
      await b.close();
    }
  });
});
