import {
  assertInteger,
  assertKnownKeys,
  invalid,
  noopInstrumentation,
  systemClock,
} from "@perflayer/core";
import type { Clock, Instrumentation } from "@perflayer/core";
import { jsonCodec } from "./codec.js";
import type { Codec } from "./codec.js";

/** Options of {@link RedisTier}. */
export interface RedisTierOptions {
  /**
   * Where Redis is: `redis[s]://[[user]:password@]host[:port][/db]`.
   * @defaultValue "redis://127.0.0.1:6379"
   */
  readonly url?: string;
  /**
   * Prefix of every key and of the pub/sub channel. Processes that share caches use the same
   * namespace (and the same codec); different applications on one Redis use different ones.
   * @defaultValue "perflayer"
   */
  readonly namespace?: string;
  /**
   * How values become bytes: `jsonCodec` or `v8Codec` (Dates, Maps, BigInts…), or
   * your own.
   * @defaultValue jsonCodec
   */
  readonly codec?: Codec;
  /**
   * Largest encoded value shared through Redis, in bytes. `set` of a larger value throws
   * `TierValueError` (`ERR_TIER_VALUE_TOO_LARGE`); a larger loaded value is returned and kept in
   * memory, not shared.
   * @defaultValue 1_048_576 (1 MiB)
   */
  readonly maxValueBytes?: number;
  /**
   * Longest wait for one Redis command, in milliseconds; past it the request goes on without
   * Redis (from memory or the loader) and the failure counts toward the circuit breaker.
   * @defaultValue 250
   */
  readonly commandTimeoutMs?: number;
  /**
   * Consecutive failed Redis calls (errors or timeouts) that open the circuit: Redis is then left
   * alone, and requests are answered from memory and loaders, until a probe succeeds.
   * @defaultValue 5
   */
  readonly breakerThreshold?: number;
  /**
   * How often an open circuit probes Redis (PING), in milliseconds. It closes on the first probe
   * that succeeds, after invalidations made meanwhile have reached Redis.
   * @defaultValue 500
   */
  readonly breakerCooldownMs?: number;
  /**
   * Lifetime of the fleet-wide load lock, in milliseconds. The holder renews it while its loader
   * runs; if the holder dies, the lock expires after this and another process loads.
   * @defaultValue 3_000
   */
  readonly lockTtlMs?: number;
  /**
   * Longest pause between two looks at Redis while another process loads a key (waiters also wake
   * at once on its "loaded" notice), in milliseconds. Waits start at 1/8 of it and double.
   * @defaultValue 200
   */
  readonly maxPollMs?: number;
  /**
   * Where the tier reports `perflayer_cache_l2_*` metrics, e.g. `monitor.instrumentation`.
   * @defaultValue noopInstrumentation
   */
  readonly instrumentation?: Instrumentation;
  /**
   * Time source for command timeouts, polling and the breaker; tests pass a `ManualClock`.
   * @defaultValue systemClock
   */
  readonly clock?: Clock;
}

/** {@link RedisTierOptions} after validation and defaults. */
export interface ResolvedRedisTierOptions {
  /** Redis URL. */
  readonly url: string;
  /** Key and channel prefix. */
  readonly namespace: string;
  /** Value codec. */
  readonly codec: Codec;
  /** Largest shared value in bytes. */
  readonly maxValueBytes: number;
  /** Command timeout in ms. */
  readonly commandTimeoutMs: number;
  /** Failures that open the circuit. */
  readonly breakerThreshold: number;
  /** Probe period of an open circuit, in ms. */
  readonly breakerCooldownMs: number;
  /** Load lock lifetime in ms. */
  readonly lockTtlMs: number;
  /** Longest poll pause in ms. */
  readonly maxPollMs: number;
  /** Metrics sink. */
  readonly instrumentation: Instrumentation;
  /** Time source. */
  readonly clock: Clock;
}

const KNOWN_KEYS: readonly string[] = [
  "url",
  "namespace",
  "codec",
  "maxValueBytes",
  "commandTimeoutMs",
  "breakerThreshold",
  "breakerCooldownMs",
  "lockTtlMs",
  "maxPollMs",
  "instrumentation",
  "clock",
];

const CONTEXT = "new RedisTier()";

/**
 * Validates every option in the house formula and fills the defaults.
 * @param options - what the caller passed
 * @returns the resolved options
 */
export function resolveRedisTierOptions(options: RedisTierOptions): ResolvedRedisTierOptions {
  if (typeof options !== "object" || options === null) {
    throw invalid({
      name: "options",
      expected: "an object",
      got: options,
      fix: 'Pass e.g. { url: "redis://127.0.0.1:6379" }.',
      context: CONTEXT,
    });
  }
  assertKnownKeys(options, KNOWN_KEYS, CONTEXT);
  const url = options.url ?? "redis://127.0.0.1:6379";
  if (typeof url !== "string" || !/^rediss?:\/\/./.test(url)) {
    throw invalid({
      name: "url",
      expected: "a redis:// or rediss:// URL",
      got: url,
      fix: 'Pass e.g. { url: "redis://127.0.0.1:6379" }.',
      context: CONTEXT,
    });
  }
  const namespace = options.namespace ?? "perflayer";
  if (typeof namespace !== "string" || !/^[A-Za-z0-9_.:-]{1,64}$/.test(namespace)) {
    throw invalid({
      name: "namespace",
      expected: "1–64 characters of letters, digits, `_`, `.`, `:` or `-`",
      got: namespace,
      fix: 'Pass e.g. { namespace: "shop" }.',
      context: CONTEXT,
    });
  }
  const codec = options.codec ?? jsonCodec;
  if (
    typeof codec !== "object" ||
    codec === null ||
    typeof codec.encode !== "function" ||
    typeof codec.decode !== "function" ||
    typeof codec.name !== "string"
  ) {
    throw invalid({
      name: "codec",
      expected: "a Codec ({ name, encode(value), decode(bytes) })",
      got: codec,
      fix: "Pass e.g. { codec: v8Codec }.",
      context: CONTEXT,
    });
  }
  const integer = (name: keyof RedisTierOptions, fallback: number, example: string): number =>
    assertInteger(options[name] ?? fallback, {
      name,
      min: 1,
      fix: `Pass e.g. { ${name}: ${example} }.`,
      context: CONTEXT,
    });
  return {
    url,
    namespace,
    codec,
    maxValueBytes: integer("maxValueBytes", 1_048_576, "1_048_576"),
    commandTimeoutMs: integer("commandTimeoutMs", 250, "250"),
    breakerThreshold: integer("breakerThreshold", 5, "5"),
    breakerCooldownMs: integer("breakerCooldownMs", 500, "500"),
    lockTtlMs: integer("lockTtlMs", 3_000, "3_000"),
    maxPollMs: integer("maxPollMs", 200, "200"),
    instrumentation: options.instrumentation ?? noopInstrumentation,
    clock: options.clock ?? systemClock,
  };
}
