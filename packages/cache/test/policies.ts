import type { CachePolicy } from "@perflayer/cache";

/** Every eviction policy: the behaviour suites run once per policy. */
export const POLICIES: readonly CachePolicy[] = ["lru", "tinylfu"];
