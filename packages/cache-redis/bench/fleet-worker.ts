// One process of a fleet, forked by the multi-process tests and the benchmarks: a cache over a
// shared Redis — perflayer's (CacheManager + RedisTier) or the anchor's (cacheable + @keyv/redis) —
// driven over IPC. Every answer is a message; the process exits on "close" or when its parent goes.
import { performance } from "node:perf_hooks";
import { CacheManager } from "@perflayer/cache";
import type { Cache } from "@perflayer/cache";
import { noopInstrumentation } from "@perflayer/core";
import type { Counter, CounterOptions, Instrumentation } from "@perflayer/core";
import { RedisTier } from "@perflayer/cache-redis";

/** What the parent sends. */
export type WorkerCommand =
  | { readonly cmd: "init"; readonly url: string; readonly namespace: string; readonly kind: Kind }
  | {
      readonly cmd: "stampede";
      readonly key: string;
      readonly callers: number;
      readonly loaderMs: number;
    }
  | { readonly cmd: "hold"; readonly key: string; readonly tag: string }
  | { readonly cmd: "invalidate"; readonly tag: string }
  | { readonly cmd: "close" };

/** What the worker answers (`event: "received"` arrives unasked, per invalidation received). */
export type WorkerReply =
  | { readonly reply: "ready" }
  | { readonly reply: "stampede"; readonly loaderCalls: number; readonly failed: number }
  | { readonly reply: "held" }
  | { readonly reply: "invalidated"; readonly at: number }
  | { readonly event: "received"; readonly at: number };

/** perflayer's cache or the anchor. */
export type Kind = "perflayer" | "cacheable";

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes of one machine. */
const now = (): number => performance.timeOrigin + performance.now();

const send = (message: WorkerReply): void => {
  process.send?.(message);
};

/** Reports the moment this process's memory drops an invalidated entry (the counter's increment). */
const instrumentation: Instrumentation = {
  ...noopInstrumentation,
  counter<L extends string>(options: CounterOptions<L>): Counter<L> {
    if (options.name !== "perflayer_cache_l2_invalidations_total")
      return noopInstrumentation.counter(options);
    return {
      bind: (labels) => ({
        inc: () => {
          if ((labels as Record<string, string>)["direction"] === "received")
            send({ event: "received", at: now() });
        },
      }),
    };
  },
};

interface Fleet {
  read(key: string, load: () => Promise<string>): Promise<string | undefined>;
  hold(key: string, tag: string): Promise<void>;
  invalidateTag(tag: string): void;
  close(): Promise<void>;
}

async function perflayer(url: string, namespace: string): Promise<Fleet> {
  const tier = new RedisTier({ url, namespace, instrumentation });
  if (!(await tier.connect(10_000))) throw new Error(`no Redis at ${url}`);
  const caches = new CacheManager({ defaults: { ttl: 60_000, secondTier: tier } });
  const cache: Cache<string, string> = caches.cache("fleet");
  return {
    read: (key, load) => cache.getOrLoad(key, load),
    hold: async (key, tag) => {
      await cache.getOrLoad(key, () => "held", { tags: [tag] });
    },
    invalidateTag: (tag) => void cache.invalidateTag(tag),
    close: async () => {
      await caches.close();
      await tier.close();
    },
  };
}

async function cacheable(url: string, namespace: string): Promise<Fleet> {
  // Loaded only in the anchor's processes.
  const { default: KeyvRedis } = await import("@keyv/redis");
  const { Cacheable } = await import("cacheable");
  const secondary = new KeyvRedis(url, { namespace });
  const cache = new Cacheable({ secondary, ttl: 60_000 });
  return {
    read: (key, load) => cache.getOrSet(key, load),
    hold: async (key) => {
      await cache.getOrSet(key, () => Promise.resolve("held"));
    },
    invalidateTag: () => undefined,
    close: async () => {
      await cache.disconnect();
    },
  };
}

let fleet: Fleet | undefined;

process.on("message", (message: WorkerCommand) => {
  void handle(message).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
process.on("disconnect", () => process.exit(0));

async function handle(message: WorkerCommand): Promise<void> {
  switch (message.cmd) {
    case "init":
      fleet = await (message.kind === "perflayer" ? perflayer : cacheable)(
        message.url,
        message.namespace,
      );
      send({ reply: "ready" });
      return;
    case "stampede": {
      const current = fleet as Fleet;
      let loaderCalls = 0;
      const load = async (): Promise<string> => {
        loaderCalls++;
        await new Promise((resolve) => setTimeout(resolve, message.loaderMs));
        return "value";
      };
      const results = await Promise.allSettled(
        Array.from({ length: message.callers }, () => current.read(message.key, load)),
      );
      const failed = results.filter((r) => r.status === "rejected" || r.value !== "value").length;
      send({ reply: "stampede", loaderCalls, failed });
      return;
    }
    case "hold":
      await (fleet as Fleet).hold(message.key, message.tag);
      send({ reply: "held" });
      return;
    case "invalidate": {
      const at = now();
      (fleet as Fleet).invalidateTag(message.tag);
      send({ reply: "invalidated", at });
      return;
    }
    case "close":
      await fleet?.close();
      process.disconnect();
      return;
  }
}
