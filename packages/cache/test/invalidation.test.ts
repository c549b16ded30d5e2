import { describe, expect, it } from "vitest";
import { CacheManager } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

describe.each(POLICIES)("invalidation (%s)", (policy: CachePolicy) => {
  it("invalidates by tag across set and getOrLoad, in one cache and across the manager", async () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const profiles = manager.cache<string, string>("profiles");
    const posts = manager.cache<string, string>("posts");
    profiles.set("p:42", "Ada", { tags: ["user:42"] });
    await posts.getOrLoad("posts:42", () => "hello", { tags: ["user:42", "feed"] });
    posts.set("posts:7", "other", { tags: ["user:7"] });
    expect(manager.invalidateTag("user:42")).toBe(2);
    expect(profiles.has("p:42")).toBe(false);
    expect(posts.has("posts:42")).toBe(false);
    expect(posts.has("posts:7")).toBe(true);
    expect(posts.invalidateTag("user:42")).toBe(0);
    expect(posts.stats().evictions.manual).toBe(1);
  });

  it("forgets old tags when a key is rewritten without them", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string>("retag");
    cache.set("k", "v1", { tags: ["a"] });
    cache.set("k", "v2", { tags: ["b"] });
    expect(cache.invalidateTag("a")).toBe(0);
    expect(cache.get("k")).toBe("v2");
    cache.set("k", "v3");
    expect(cache.invalidateTag("b")).toBe(0);
    expect(cache.get("k")).toBe("v3");
  });

  it("drops tag bookkeeping when tagged entries are evicted", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<number, number>("evict-tags", { max: 2 });
    cache.set(1, 1, { tags: ["t"] });
    cache.set(2, 2);
    cache.set(3, 3); // evicts 1
    cache.set(1, 10); // a new entry for key 1, untagged
    expect(cache.invalidateTag("t")).toBe(0);
    expect(cache.get(1)).toBe(10);
  });

  it("invalidates by key prefix, including stale entries", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, number>("prefix");
    cache.set("user:1:profile", 1);
    cache.set("user:1:posts", 2);
    cache.set("user:10:profile", 3);
    cache.set("org:1", 4);
    expect(cache.invalidatePrefix("user:1:")).toBe(2);
    expect([...cache.keys()].sort()).toEqual(["org:1", "user:10:profile"]);
  });
});
