// Redis down, paused and restarting, on a real redis-server this file owns: every request is still
// answered (from memory or the loader), failures are counted, and the tier recovers by itself.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { RedisServer, redisInstalled, requireRedis } from "./redis-server.ts";
import { freshNamespace, member, until } from "./fleet.ts";

let server: RedisServer;
beforeAll(async () => {
  if (redisInstalled) server = await RedisServer.start();
});
beforeEach(async () => {
  // Each test leaves a running, unpaused server behind for the next.
  if (redisInstalled) {
    server.resume();
    await server.startIfStopped();
  }
});
afterAll(async () => {
  await server?.stop();
});

const fast = { breakerThreshold: 2, breakerCooldownMs: 50, commandTimeoutMs: 1_000 };

describe("Redis down, paused or restarting", () => {
  it("Redis stopped: every request is answered from memory or the loader, the circuit opens, and closes by itself when Redis is back", async (context) => {
    requireRedis(context);
    const a = await member(server.url, freshNamespace(), fast);
    try {
      const cache = a.caches.cache<string, string>("c");
      await cache.getOrLoad("warm", () => "in memory");
      await server.stop();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => cache.getOrLoad(`cold:${i}`, (k) => `loaded ${k}`)),
      );
      expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => `loaded cold:${i}`));
      expect(await cache.getOrLoad("warm", () => "not called")).toBe("in memory");
      const down = a.tier.stats();
      expect(down.circuit).toBe("open");
      // Each cold read either failed against Redis (counted) or skipped it (circuit open).
      expect(down.errors.unavailable + down.skipped).toBe(20);
      expect(down.fills.local).toBe(20);

      await server.startProcess();
      await until(() => a.tier.stats().circuit === "closed", "the circuit to close");
      await until(() => a.tier.stats().memoryFlushes === 1, "the memory flush after reconnecting");
      expect(cache.size).toBe(0);
      await cache.getOrLoad("after", () => "through Redis again");
      expect(a.tier.stats().fills.loaded).toBe(2); // "warm" before the outage, "after" now
    } finally {
      await a.close();
    }
  });

  it("Redis paused (SIGSTOP): a read waits commandTimeoutMs on the tier's clock, then one loader call answers its callers, with no second Redis call", async (context) => {
    requireRedis(context);
    const clock = new ManualClock();
    const a = await member(server.url, freshNamespace(), { clock, commandTimeoutMs: 250 });
    try {
      const cache = a.caches.cache<string, string>("c");
      server.pause();
      let loads = 0;
      let answered = 0;
      const reads = Array.from({ length: 10 }, () =>
        cache.getOrLoad("k", () => (loads++, "from the loader")).then((v) => (answered++, v)),
      );
      await clock.advanceAsync(249);
      expect(answered).toBe(0);
      // A second Redis call after the timeout would wait another 250 ms: the clock stops here.
      await clock.advanceAsync(1);
      expect(await Promise.all(reads)).toEqual(Array.from({ length: 10 }, () => "from the loader"));
      expect(loads).toBe(1);
      expect(a.tier.stats()).toMatchObject({ hits: 0, misses: 0, fills: { local: 1, loaded: 0 } });
      expect(a.tier.stats().errors.timeout).toBe(1);
    } finally {
      server.resume();
      await a.close();
    }
  });

  it("an invalidation made while Redis is paused reaches Redis and every process once it answers again", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const options = { breakerThreshold: 1, breakerCooldownMs: 50, commandTimeoutMs: 200 };
    const a = await member(server.url, ns, options);
    const b = await member(server.url, ns, options);
    try {
      const ca = a.caches.cache<string, string>("c");
      const cb = b.caches.cache<string, string>("c");
      await ca.getOrLoad("k", () => "old");
      expect(await cb.getOrLoad("k", () => "not called")).toBe("old");
      server.pause();
      ca.delete("k");
      await until(() => a.tier.stats().pendingInvalidations === 1, "A to keep the invalidation");
      expect(a.tier.stats().circuit).toBe("open");
      expect(cb.get("k")).toBe("old"); // B cannot know yet: Redis is frozen
      server.resume();
      await until(() => a.tier.stats().pendingInvalidations === 0, "the replay");
      await until(() => !cb.has("k"), "B to drop its copy");
      expect(await cb.getOrLoad("k", () => "new")).toBe("new");
    } finally {
      server.resume();
      await a.close();
      await b.close();
    }
  });

  it("Redis killed mid-load: zero failed requests in the holder and the waiting processes, and the fleet recovers", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const members = await Promise.all([0, 1, 2].map(() => member(server.url, ns, fast)));
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const load = async (): Promise<string> => {
        await gate;
        return "value";
      };
      const reads = members.flatMap((m) =>
        Array.from({ length: 20 }, () => m.caches.cache<string, string>("c").getOrLoad("k", load)),
      );
      await until(() => members.every((m) => m.tier.stats().misses === 1), "every process waiting");
      await server.stop();
      release();
      const settled = await Promise.allSettled(reads);
      expect(settled.filter((r) => r.status === "rejected")).toEqual([]);
      expect(members.map((m) => m.tier.stats().circuit)).toEqual(["open", "open", "open"]);
      await server.startProcess();
      await until(
        () => members.every((m) => m.tier.stats().circuit === "closed"),
        "every circuit to close",
      );
      let loads = 0;
      await Promise.all(
        members.map((m) =>
          m.caches.cache<string, string>("c").getOrLoad("again", () => (loads++, "v")),
        ),
      );
      expect(loads).toBe(1);
    } finally {
      for (const m of members) await m.close();
    }
  });

  it("Redis restarted: every process flushes its memory after reconnecting, since it may have missed invalidations", async (context) => {
    requireRedis(context);
    const ns = freshNamespace();
    const a = await member(server.url, ns);
    const b = await member(server.url, ns);
    try {
      for (const m of [a, b]) await m.caches.cache<string, string>("c").getOrLoad("k", () => "v");
      await server.restart();
      await until(
        () => a.tier.stats().memoryFlushes === 1 && b.tier.stats().memoryFlushes === 1,
        "both flushes",
      );
      expect(a.caches.cache<string, string>("c").size).toBe(0);
      expect(b.caches.cache<string, string>("c").size).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
