import { describe, it } from "vitest";
import fc from "fast-check";
import { ManualClock } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";
import type { Cache, CacheOptions, CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

const TTL = 1_000;
const KEYS = ["a:0", "a:1", "a:2", "a:3", "a:4", "a:5", "b:0", "b:1", "b:2", "b:3", "b:4", "b:5"];
const TAGS = ["t1", "t2"];

type Op =
  | { kind: "set"; key: string; size: number; ttl: number | undefined; tags: string[] }
  | { kind: "load"; key: string; size: number }
  | { kind: "get" | "peek" | "has" | "delete"; key: string }
  | { kind: "invalidateTag"; tag: string }
  | { kind: "invalidatePrefix"; prefix: string }
  | { kind: "advance"; ms: number }
  | { kind: "reclaim"; bytes: number }
  | { kind: "clear" };

const key = fc.constantFrom(...KEYS);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      key,
      size: fc.integer({ min: 1, max: 70 }),
      ttl: fc.option(fc.constantFrom(0, 300, 2_500), { nil: undefined }),
      tags: fc.subarray(TAGS),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("load" as const),
      key,
      size: fc.integer({ min: 1, max: 70 }),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constantFrom("get" as const, "peek" as const, "has" as const),
      key,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), key }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("invalidateTag" as const),
      tag: fc.constantFrom(...TAGS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("invalidatePrefix" as const),
      prefix: fc.constantFrom("a:", "b:"),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      ms: fc.integer({ min: 0, max: 700 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("reclaim" as const),
      bytes: fc.integer({ min: 0, max: 120 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
);

/** What the model allows a read of a key to return: its last write, until it expires. */
interface Written {
  readonly value: string;
  readonly expiresAt: number;
  readonly tags: readonly string[];
}

const bounds: Record<string, CacheOptions<string, string>> = {
  "an entry bound": { max: 5 },
  "a byte bound": { maxSize: 200, sizeOf: (v) => v.length },
  "both bounds": { max: 4, maxSize: 150, sizeOf: (v) => v.length },
};

async function holds(policy: CachePolicy, bound: CacheOptions<string, string>, ops: Op[]) {
  const clock = new ManualClock();
  const manager = new CacheManager({ clock, sweepIntervalMs: 0 });
  const cache: Cache<string, string> = manager.cache("model", { ...bound, ttl: TTL, policy });
  const model = new Map<string, Written>();
  let stamp = 0;
  const valueOf = (size: number): string => `${stamp++}:`.padEnd(size, "x").slice(0, size);
  const write = (k: string, value: string, ttl: number, tags: readonly string[]): void => {
    model.set(k, {
      value,
      expiresAt: ttl === 0 ? Number.POSITIVE_INFINITY : clock.now() + ttl,
      tags,
    });
  };
  /** A value the cache returned must be the key's last write, not expired, deleted or invalidated. */
  const allowed = (k: string, got: string | undefined): boolean => {
    if (got === undefined) return true;
    const written = model.get(k);
    return written !== undefined && written.value === got && clock.now() <= written.expiresAt;
  };
  const drop = (matches: (k: string, w: Written) => boolean): void => {
    for (const [k, w] of [...model]) if (matches(k, w)) model.delete(k);
  };

  for (const step of ops) {
    switch (step.kind) {
      case "set": {
        const value = valueOf(step.size);
        cache.set(step.key, value, {
          ...(step.ttl === undefined ? {} : { ttl: step.ttl }),
          tags: step.tags,
        });
        write(step.key, value, step.ttl ?? TTL, step.tags);
        break;
      }
      case "load": {
        let loaded: string | undefined;
        const got = await cache.getOrLoad(step.key, () => (loaded = valueOf(step.size)));
        if (loaded === undefined) {
          if (!allowed(step.key, got)) return false;
        } else {
          if (got !== loaded) return false;
          write(step.key, loaded, TTL, []);
        }
        break;
      }
      case "get":
        if (!allowed(step.key, cache.get(step.key))) return false;
        break;
      case "peek":
        if (!allowed(step.key, cache.peek(step.key))) return false;
        break;
      case "has":
        if (cache.has(step.key) && !allowed(step.key, model.get(step.key)?.value ?? "deleted"))
          return false;
        break;
      case "delete":
        cache.delete(step.key);
        model.delete(step.key);
        break;
      case "invalidateTag":
        cache.invalidateTag(step.tag);
        drop((_k, w) => w.tags.includes(step.tag));
        break;
      case "invalidatePrefix":
        cache.invalidatePrefix(step.prefix);
        drop((k) => k.startsWith(step.prefix));
        break;
      case "advance":
        clock.advance(step.ms);
        break;
      case "reclaim":
        cache.reclaim(step.bytes);
        break;
      case "clear":
        cache.clear();
        model.clear();
        break;
    }
    if (bound.max !== undefined && cache.size > bound.max) return false;
    if (bound.maxSize !== undefined && cache.sizeBytes > bound.maxSize) return false;
    for (const [k, v] of cache.entries()) if (!allowed(k, v)) return false;
  }
  return true;
}

describe.each(POLICIES)("the %s policy against a reference model", (policy: CachePolicy) => {
  it.each(Object.keys(bounds))(
    "never exceeds %s and never returns an entry after its TTL, deletion or invalidation (property)",
    async (name) => {
      const bound = bounds[name] as CacheOptions<string, string>;
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 40, maxLength: 150 }), (ops) =>
          holds(policy, bound, ops),
        ),
        { numRuns: 150 },
      );
    },
  );
});
