import type {
  SecondTier,
  SecondTierBinding,
  TierEntry,
  TierInvalidation,
  TierLoadRequest,
  TierValue,
} from "@perflayer/cache";
import { assertInteger, assertKnownKeys, invalid, systemClock } from "@perflayer/core";
import type { Clock } from "@perflayer/core";
import { CircuitBreaker } from "./circuit-breaker.js";
import { RedisKeys } from "./redis-keys.js";

/**
 * What {@link KeyvTier} needs of a Keyv instance (`new Keyv({ store })` from the `keyv` package,
 * with any of its stores: `@keyv/redis`, `@keyv/postgres`, `@keyv/sqlite`…).
 */
export interface KeyvLike {
  /**
   * Reads a key.
   * @param key - the key
   * @returns the stored value, or `undefined`
   */
  get(key: string): Promise<unknown>;
  /**
   * Stores a value.
   * @param key - the key
   * @param value - the value
   * @param ttl - time to live in milliseconds; none when omitted
   */
  set(key: string, value: unknown, ttl?: number): Promise<unknown>;
  /**
   * Removes a key.
   * @param key - the key
   */
  delete(key: string): Promise<unknown>;
  /** Removes every key of the instance's namespace. */
  clear(): Promise<void>;
}

/** Options of {@link KeyvTier}. */
export interface KeyvTierOptions {
  /**
   * Longest wait for one Keyv call, in milliseconds; past it the request goes on without the tier.
   * @defaultValue 250
   */
  readonly timeoutMs?: number;
  /**
   * Consecutive failed calls that open the circuit (the tier is skipped until a probe succeeds).
   * @defaultValue 5
   */
  readonly breakerThreshold?: number;
  /**
   * How often an open circuit probes the store, in milliseconds.
   * @defaultValue 500
   */
  readonly breakerCooldownMs?: number;
  /**
   * Time source for timeouts and the breaker.
   * @defaultValue systemClock
   */
  readonly clock?: Clock;
}

/** What a Keyv entry holds: the value, its wall-clock expiry (0: none) and tags. */
interface KeyvEntry {
  readonly v: unknown;
  readonly e: number;
  readonly t?: readonly string[];
}

const KNOWN_KEYS: readonly string[] = [
  "timeoutMs",
  "breakerThreshold",
  "breakerCooldownMs",
  "clock",
];

/**
 * Any Keyv store as a plain second tier: memory misses read it before the loader, loads and `set`
 * write to it, `delete` removes from it. What it does not do, compared with `RedisTier`: no
 * fleet-wide single-flight (each process loads a cold key once), no messages to other processes
 * (their memory copies live until their TTL), and `invalidateTag`, `invalidatePrefix` and `clear`
 * clear the whole Keyv namespace (Keyv cannot list keys by tag or prefix). Calls are bounded by a
 * timeout and a circuit breaker, like the Redis tier's; an invalidation that fails leaves the tier
 * skipped until the store answers again, and it is then cleared (it may hold what was invalidated).
 *
 * @example
 * ```ts
 * const store = new Keyv({ store: new KeyvRedis("redis://127.0.0.1:6379"), namespace: "shop" });
 * const caches = new CacheManager({ defaults: { ttl: 60_000, secondTier: new KeyvTier(store) } });
 * ```
 */
export class KeyvTier implements SecondTier {
  readonly #keyv: KeyvLike;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #breaker: CircuitBreaker;
  /** An invalidation failed: the store may hold invalidated values until it is cleared. */
  #mustClear = false;

  /**
   * @param keyv - a Keyv instance (or anything with its get/set/delete/clear)
   * @param options - timeout and breaker
   */
  constructor(keyv: KeyvLike, options: KeyvTierOptions = {}) {
    const context = "new KeyvTier()";
    if (
      typeof keyv !== "object" ||
      keyv === null ||
      !["get", "set", "delete", "clear"].every(
        (method) => typeof (keyv as unknown as Record<string, unknown>)[method] === "function",
      )
    ) {
      throw invalid({
        name: "keyv",
        expected: "a Keyv instance (get, set, delete and clear methods)",
        got: keyv,
        fix: "Pass e.g. new Keyv({ store: new KeyvRedis(url) }).",
        context,
      });
    }
    assertKnownKeys(options, KNOWN_KEYS, context);
    const integer = (name: keyof KeyvTierOptions, fallback: number): number =>
      assertInteger(options[name] ?? fallback, {
        name,
        min: 1,
        fix: `Pass e.g. { ${name}: ${fallback} }.`,
        context,
      });
    this.#keyv = keyv;
    this.#timeoutMs = integer("timeoutMs", 250);
    this.#clock = options.clock ?? systemClock;
    this.#breaker = new CircuitBreaker({
      threshold: integer("breakerThreshold", 5),
      cooldownMs: integer("breakerCooldownMs", 500),
      clock: this.#clock,
      probe: () =>
        this.#bounded(() =>
          this.#mustClear ? this.#keyv.clear() : this.#keyv.get("perflayer:probe"),
        ).then(
          () => {
            this.#mustClear = false;
            return true;
          },
          () => false,
        ),
      onChange: () => undefined,
    });
  }

  /**
   * Connects one cache (called by the cache).
   * @typeParam K - key type (strings and finite numbers)
   * @typeParam V - value type
   * @param cache - the cache name
   * @returns the cache's side of the tier
   */
  bind<K, V>(cache: string): SecondTierBinding<K, V> {
    const key = (k: K): string => `${cache}:${RedisKeys.member(k, cache)}`;
    const call = <T>(run: () => Promise<T>): Promise<T> => {
      if (this.#breaker.open) return Promise.reject(new Error("circuit open"));
      return this.#bounded(run).then(
        (result) => {
          this.#breaker.success();
          return result;
        },
        (error: unknown) => {
          this.#breaker.failure();
          throw error;
        },
      );
    };
    const write = (k: K, value: V, entry: TierEntry): void => {
      const stored: KeyvEntry = {
        v: value,
        e: entry.ttl === 0 ? 0 : this.#clock.wallTime() + entry.ttl,
        ...(entry.tags === undefined ? {} : { t: entry.tags }),
      };
      call(() => this.#keyv.set(key(k), stored, entry.ttl === 0 ? undefined : entry.ttl)).catch(
        () => undefined,
      );
    };
    return {
      load: async (k: K, request: TierLoadRequest<V>): Promise<TierValue<V>> => {
        const id = key(k);
        if (!request.forceRefresh) {
          const found = (await call(() => this.#keyv.get(id)).catch(() => undefined)) as
            KeyvEntry | undefined;
          if (found !== undefined && found !== null && typeof found === "object" && "v" in found) {
            const ttl = found.e === 0 ? 0 : Math.round(found.e - this.#clock.wallTime());
            if (found.e === 0 || ttl > 0)
              return { value: found.v as V, ttl, tags: found.t, keep: true };
          }
        }
        const value = await request.load();
        write(k, value, request.entry);
        return { value, ttl: request.entry.ttl, tags: request.entry.tags, keep: true };
      },
      set: write,
      invalidate: (change: TierInvalidation<K>): void => {
        const run =
          change.kind === "key"
            ? () => this.#keyv.delete(key(change.key))
            : () => this.#keyv.clear();
        call(run).catch(() => {
          this.#mustClear = true;
          this.#breaker.trip();
        });
      },
      close: () => undefined,
    };
  }

  #bounded<T>(run: () => Promise<T>): Promise<T> {
    let timer: { cancel(): void } | undefined;
    return Promise.race([
      run(),
      new Promise<never>((_resolve, reject) => {
        timer = this.#clock.setTimeout(
          () => reject(new Error(`the Keyv call took longer than ${this.#timeoutMs} ms`)),
          this.#timeoutMs,
          { ref: true },
        );
      }),
    ]).finally(() => timer?.cancel());
  }
}
