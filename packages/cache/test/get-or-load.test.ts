import { describe, expect, it } from "vitest";
import { AbortError, ManualClock, PerflayerError, TimeoutError } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe.each(POLICIES)("getOrLoad (%s)", (policy: CachePolicy) => {
  function setup() {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 0, defaults: { policy } });
    return { clock, manager };
  }

  it(
    "P0 «single-flight load-through»: coalesces 1,000 concurrent loads of one cold key into one loader call",
    { tags: ["p0"] },
    async () => {
      const { manager } = setup();
      const users = manager.cache<string, { id: string }>("users");
      let calls = 0;
      const gate = deferred<{ id: string }>();
      const loader = (): Promise<{ id: string }> => {
        calls++;
        return gate.promise;
      };
      const waiters = Array.from({ length: 1_000 }, () => users.getOrLoad("42", loader));
      gate.resolve({ id: "42" });
      const values = await Promise.all(waiters);
      expect(calls).toBe(1);
      expect(new Set(values).size).toBe(1);
      expect(values[0]).toEqual({ id: "42" });
      expect(users.get("42")).toBe(values[0]);
      const stats = users.stats();
      expect(stats.loads).toBe(1);
      expect(stats.misses).toBe(1_000);
      expect(stats.hits).toBe(1);
    },
  );

  it(
    "P0 «errors that are not cached»: rejects every waiter with the loader's error, does not cache it, and retries on the next call",
    { tags: ["p0"] },
    async () => {
      const { manager } = setup();
      const cache = manager.cache<string, string>("flaky");
      const failure = new Error("backend down");
      let calls = 0;
      const gate = deferred<string>();
      const failing = (): Promise<string> => {
        calls++;
        return gate.promise;
      };
      const waiters = Array.from({ length: 10 }, () => cache.getOrLoad("k", failing));
      gate.reject(failure);
      const results = await Promise.allSettled(waiters);
      expect(results.every((r) => r.status === "rejected" && r.reason === failure)).toBe(true);
      expect(calls).toBe(1);
      expect(cache.has("k")).toBe(false);
      await expect(cache.getOrLoad("k", () => "recovered")).resolves.toBe("recovered");
      expect(cache.stats()).toMatchObject({ loads: 2, loadErrors: 1 });
    },
  );

  it("rejects a loader that throws synchronously like one that rejects", async () => {
    const { manager } = setup();
    const cache = manager.cache<string, string>("sync-throw");
    const failure = new Error("sync");
    await expect(
      cache.getOrLoad("k", () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it("aborts the loader's signal at loadTimeoutMs and rejects all waiters with TimeoutError", async () => {
    const { clock, manager } = setup();
    const cache = manager.cache<string, string>("slow", { loadTimeoutMs: 250 });
    let seen: AbortSignal | undefined;
    const loader = (_key: string, { signal }: { signal: AbortSignal }): Promise<string> => {
      seen = signal;
      return new Promise<string>(() => undefined); // never settles on its own
    };
    const a = cache.getOrLoad("k", loader);
    const b = cache.getOrLoad("k", loader);
    clock.advance(249);
    expect(seen?.aborted).toBe(false);
    clock.advance(1);
    await expect(a).rejects.toBeInstanceOf(TimeoutError);
    await expect(b).rejects.toMatchObject({ code: "ERR_TIMEOUT", timeoutMs: 250 });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(TimeoutError);
    expect(cache.stats()).toMatchObject({ loadErrors: 1, loadTimeouts: 1 });
    expect(cache.has("k")).toBe(false);
  });

  it("serves a stale value within staleWhileRevalidate while exactly one refresh runs", async () => {
    const { clock, manager } = setup();
    const cache = manager.cache<string, number>("prices", {
      ttl: 1_000,
      staleWhileRevalidate: 5_000,
    });
    let version = 0;
    let calls = 0;
    const gate = deferred<number>();
    await cache.getOrLoad("p", () => ++version);
    clock.advance(1_500); // expired, inside the stale window
    expect(cache.get("p")).toBeUndefined(); // plain get never serves stale
    const refresh = (): Promise<number> => {
      calls++;
      return gate.promise;
    };
    const served = await Promise.all([
      cache.getOrLoad("p", refresh),
      cache.getOrLoad("p", refresh),
      cache.getOrLoad("p", refresh),
    ]);
    expect(served).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
    gate.resolve(++version);
    await clock.advanceAsync(0);
    expect(await cache.getOrLoad("p", refresh)).toBe(2);
    expect(calls).toBe(1);
    expect(cache.stats()).toMatchObject({ staleHits: 3, loads: 2 });
  });

  it(
    "P0 «stale-while-revalidate with a hard limit»: keeps the stale value when a refresh fails, counts the failure, and stops serving it after the window",
    { tags: ["p0"] },
    async () => {
      const { clock, manager } = setup();
      const cache = manager.cache<string, string>("profiles", {
        ttl: 1_000,
        staleWhileRevalidate: 2_000,
      });
      await cache.getOrLoad("u", () => "v1");
      clock.advance(1_500);
      const failing = (): Promise<string> => Promise.reject(new Error("refresh failed"));
      await expect(cache.getOrLoad("u", failing)).resolves.toBe("v1");
      await clock.advanceAsync(0);
      expect(cache.stats().refreshFailures).toBe(1);
      await expect(cache.getOrLoad("u", failing)).resolves.toBe("v1");
      await clock.advanceAsync(0);
      clock.advance(2_000); // now 3.5 s after the write: past ttl + window
      await expect(cache.getOrLoad("u", failing)).rejects.toThrow("refresh failed");
    },
  );

  describe("staleIfError", () => {
    function staleIfErrorCache(extra: { loadTimeoutMs?: number; negativeTtl?: number } = {}) {
      const { clock, manager } = setup();
      // Fresh 1 s, served stale at once for 1 s more, standing in for failed loads for 10 s.
      const cache = manager.cache<string, string>("catalogue", {
        ttl: 1_000,
        staleWhileRevalidate: 1_000,
        staleIfError: 10_000,
        ...extra,
      });
      return { clock, cache };
    }
    const failing = (): Promise<string> => Promise.reject(new Error("backend down"));
    /** A loader that waits for its gate, counting its calls. */
    function gated() {
      const gate = deferred<string>();
      let calls = 0;
      const loader = (): Promise<string> => {
        calls++;
        return gate.promise;
      };
      return { gate, loader, calls: () => calls };
    }
    /** Whether `promise` settles once pending callbacks and due timers ran. */
    async function settles(promise: Promise<unknown>, clock: ManualClock): Promise<boolean> {
      let settled = false;
      const mark = (): void => void (settled = true);
      promise.then(mark, mark);
      await clock.advanceAsync(0);
      return settled;
    }

    it("answers the waiters of a failed load past the revalidate window with the stale value", async () => {
      const { clock, cache } = staleIfErrorCache({ negativeTtl: 5_000 });
      await cache.getOrLoad("p", () => "v1");
      clock.advance(3_000); // 2 s after expiry: past stale-while-revalidate
      const { gate, loader, calls } = gated();
      const waiters = Promise.all([cache.getOrLoad("p", loader), cache.getOrLoad("p", loader)]);
      expect(await settles(waiters, clock)).toBe(false); // too stale to serve before trying a load
      gate.reject(new Error("backend down"));
      expect(await waiters).toEqual(["v1", "v1"]);
      expect(calls()).toBe(1);
      expect(cache.stats()).toMatchObject({ loadErrors: 1, staleOnError: 1, misses: 3 }); // 1 cold
      // The failure was not cached (negativeTtl): the stale value stands in.
      await expect(cache.getOrLoad("p", failing)).resolves.toBe("v1");
    });

    it("stands in for a load that times out", async () => {
      const { clock, cache } = staleIfErrorCache({ loadTimeoutMs: 500 });
      await cache.getOrLoad("p", () => "v1");
      clock.advance(3_000);
      let seen: AbortSignal | undefined;
      const waiter = cache.getOrLoad("p", (_key, { signal }) => {
        seen = signal;
        return new Promise<string>(() => undefined);
      });
      await clock.advanceAsync(500);
      await expect(waiter).resolves.toBe("v1");
      expect(seen?.reason).toBeInstanceOf(TimeoutError);
      expect(cache.stats()).toMatchObject({ loadTimeouts: 1, staleOnError: 1 });
    });

    it("after a failed load serves the stale value at once while one refresh runs, until a load succeeds", async () => {
      const { clock, cache } = staleIfErrorCache();
      await cache.getOrLoad("p", () => "v1");
      clock.advance(1_500); // inside stale-while-revalidate: a background refresh that fails
      await expect(cache.getOrLoad("p", failing)).resolves.toBe("v1");
      await clock.advanceAsync(0);
      clock.advance(2_000); // past stale-while-revalidate: the failure keeps the value served at once
      const refresh = gated();
      const served = await Promise.all([
        cache.getOrLoad("p", refresh.loader),
        cache.getOrLoad("p", refresh.loader),
      ]);
      expect(served).toEqual(["v1", "v1"]);
      expect(refresh.calls()).toBe(1);
      refresh.gate.resolve("v2");
      await clock.advanceAsync(0);
      expect(await cache.getOrLoad("p", failing)).toBe("v2");
      expect(cache.stats()).toMatchObject({ refreshFailures: 1, staleHits: 3, hits: 1 });
      // Once a load succeeded, a value past the revalidate window waits for its load again.
      clock.advance(3_000);
      const next = gated();
      const waiter = cache.getOrLoad("p", next.loader);
      expect(await settles(waiter, clock)).toBe(false);
      next.gate.resolve("v3");
      await expect(waiter).resolves.toBe("v3");
    });

    it("stops standing in at the end of the window, and never for a cancelled load", async () => {
      const { clock, cache } = staleIfErrorCache();
      await cache.getOrLoad("p", () => "v1");
      clock.advance(3_000);
      const gate = deferred<string>();
      const waiter = cache.getOrLoad("p", () => gate.promise);
      cache.delete("p");
      await expect(waiter).rejects.toBeInstanceOf(AbortError);
      expect(cache.stats().staleOnError).toBe(0);

      await cache.getOrLoad("q", () => "v1");
      clock.advance(11_001); // past ttl + staleIfError
      await expect(cache.getOrLoad("q", failing)).rejects.toThrow("backend down");
      expect(cache.stats().staleOnError).toBe(0);
    });
  });

  it("caches failures for negativeTtl when asked to, then loads again", async () => {
    const { clock, manager } = setup();
    const cache = manager.cache<string, string>("neg", { negativeTtl: 500 });
    let calls = 0;
    const failing = (): Promise<string> => {
      calls++;
      return Promise.reject(new Error("404"));
    };
    await expect(cache.getOrLoad("x", failing)).rejects.toThrow("404");
    await expect(cache.getOrLoad("x", failing)).rejects.toThrow("404");
    expect(calls).toBe(1);
    expect(cache.get("x")).toBeUndefined();
    clock.advance(501);
    await expect(cache.getOrLoad("x", () => "found")).resolves.toBe("found");
  });

  it("rejects a loader resolving undefined with a clear error naming the cache and key", async () => {
    const { manager } = setup();
    const cache = manager.cache<string, string>("strict");
    const error = await cache
      .getOrLoad("user:7", () => undefined as unknown as string)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PerflayerError);
    expect(error).toMatchObject({ code: "ERR_LOADER_RESULT" });
    expect((error as Error).message).toContain('cache "strict"');
    expect((error as Error).message).toContain('"user:7"');
    expect(cache.has("user:7")).toBe(false);
  });

  it("caches null as a value", async () => {
    const { manager } = setup();
    const cache = manager.cache<string, string | null>("nullable");
    let calls = 0;
    const loader = (): null => {
      calls++;
      return null;
    };
    expect(await cache.getOrLoad("missing", loader)).toBeNull();
    expect(await cache.getOrLoad("missing", loader)).toBeNull();
    expect(calls).toBe(1);
  });

  it("lets one caller stop waiting through its signal without cancelling the shared load", async () => {
    const { manager } = setup();
    const cache = manager.cache<string, string>("shared");
    const gate = deferred<string>();
    let loaderSignal: AbortSignal | undefined;
    const loader = (_k: string, { signal }: { signal: AbortSignal }): Promise<string> => {
      loaderSignal = signal;
      return gate.promise;
    };
    const controller = new AbortController();
    const impatient = cache.getOrLoad("k", loader, { signal: controller.signal });
    const patient = cache.getOrLoad("k", loader);
    controller.abort();
    await expect(impatient).rejects.toBeInstanceOf(AbortError);
    expect(loaderSignal?.aborted).toBe(false);
    gate.resolve("done");
    await expect(patient).resolves.toBe("done");
  });

  it("rejects waiters with AbortError when the entry is deleted while loading, and aborts the loader", async () => {
    const { manager } = setup();
    const cache = manager.cache<string, string>("deleted");
    let loaderSignal: AbortSignal | undefined;
    const pending = cache.getOrLoad("k", (_k, { signal }) => {
      loaderSignal = signal;
      return new Promise<string>(() => undefined);
    });
    cache.delete("k");
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(loaderSignal?.aborted).toBe(true);
  });

  it("refreshes a fresh value with forceRefresh, still one load at a time", async () => {
    const { manager } = setup();
    const cache = manager.cache<string, number>("forced");
    await cache.getOrLoad("k", () => 1);
    let calls = 0;
    const loader = (): number => ++calls + 1;
    const [a, b] = await Promise.all([
      cache.getOrLoad("k", loader, { forceRefresh: true }),
      cache.getOrLoad("k", loader, { forceRefresh: true }),
    ]);
    expect([a, b]).toEqual([2, 2]);
    expect(calls).toBe(1);
  });

  it("rejects a non-function loader in the house formula", async () => {
    const { manager } = setup();
    const cache = manager.cache<string, string>("bad-loader");
    await expect(cache.getOrLoad("k", "nope" as never)).rejects.toThrow(
      'cache "bad-loader".getOrLoad("k"): Expected `loader` to be a function, got `"nope"` (string).',
    );
  });
});

describe.each(POLICIES)("getOrLoad and writes (%s)", (policy: CachePolicy) => {
  it("lets a set during a load win: waiters get the loaded value, the cache keeps the write", async () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string>("race");
    let release!: (value: string) => void;
    const pending = cache.getOrLoad(
      "k",
      () => new Promise<string>((resolve) => (release = resolve)),
    );
    cache.set("k", "written");
    release("loaded");
    await expect(pending).resolves.toBe("loaded");
    expect(cache.get("k")).toBe("written");
  });
});
