// Two or more "processes" in one test: each a RedisTier with its own connections and a
// CacheManager over it, on the same real Redis and namespace.
import { randomUUID } from "node:crypto";
import { createClient } from "@redis/client";
import { CacheManager } from "@perflayer/cache";
import type { CacheOptions } from "@perflayer/cache";
import { RedisTier } from "@perflayer/cache-redis";
import type { RedisTierOptions } from "@perflayer/cache-redis";

/** One member of a fleet. */
export interface Member {
  readonly tier: RedisTier;
  readonly caches: CacheManager;
  close(): Promise<void>;
}

/**
 * @param url - the Redis URL
 * @param namespace - shared by the fleet
 * @param options - tier options
 * @param defaults - cache defaults (the tier is added)
 * @returns a connected member
 */
export async function member(
  url: string,
  namespace: string,
  options: RedisTierOptions = {},
  defaults: CacheOptions<unknown, unknown> = {},
): Promise<Member> {
  const tier = new RedisTier({ url, namespace, ...options });
  if (!(await tier.connect(10_000))) throw new Error(`could not connect to ${url}`);
  const caches = new CacheManager({ defaults: { ...defaults, secondTier: tier } });
  return {
    tier,
    caches,
    async close() {
      await caches.close();
      await tier.close();
    },
  };
}

/** @returns a namespace no other test uses */
export function freshNamespace(): string {
  return `t${randomUUID().slice(0, 8)}`;
}

/**
 * A plain client, to look at what the tier stored.
 * @param url - the Redis URL
 */
export async function inspector(url: string) {
  const client = createClient({ url });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/**
 * Waits until `condition` holds (real I/O happens meanwhile), failing after `ms`.
 * @param condition - checked every few milliseconds
 * @param what - for the failure message
 * @param ms - bound
 */
export async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
