import type { RedisArgument } from "@redis/client";
import type { TierInvalidation } from "@perflayer/cache";
import type { LuaScript } from "./lua-scripts.js";
import type { ResolvedRedisTierOptions } from "./redis-tier-options.js";
import type { TierErrorCause } from "./tier-metrics.js";

/**
 * What a binding needs from its tier.
 * @internal
 */
export interface TierConnection {
  readonly options: ResolvedRedisTierOptions;
  /** This process's id in messages. */
  readonly origin: string;
  /** The pub/sub channel. */
  readonly channel: string;
  /** Whether calls should skip Redis now. */
  readonly unavailable: () => boolean;
  /** Runs one command, bounded by the timeout and the breaker; rejects with a {@link TierCallError}. */
  readonly command: <T>(args: readonly RedisArgument[]) => Promise<T>;
  /** Runs a Lua script, likewise. */
  readonly script: <T>(
    script: LuaScript,
    keys: readonly RedisArgument[],
    args: readonly RedisArgument[],
  ) => Promise<T>;
  /**
   * Waits for another process's "loaded" notice of `member`, at most `ms`.
   * @returns `"notice"`, `"timeout"` or `"unavailable"` (the circuit opened); rejects on abort
   */
  readonly wait: (
    cache: string,
    member: string,
    ms: number,
    signal: AbortSignal,
  ) => Promise<"notice" | "timeout" | "unavailable">;
  /** Keeps an invalidation that did not reach Redis, and opens the circuit until it does. */
  readonly defer: (cache: string, change: TierInvalidation<unknown>) => void;
}

/**
 * A failed Redis call, classified for the counters.
 * @internal
 */
export class TierCallError extends Error {
  /** Why. */
  readonly kind: TierErrorCause;
  /**
   * @param kind - why
   * @param cause - the client's error
   */
  constructor(kind: TierErrorCause, cause?: unknown) {
    super(`second tier call failed: ${kind}`, { cause });
    this.name = "TierCallError";
    this.kind = kind;
  }
}
