import { invalid } from "@perflayer/core";

/**
 * The Redis keys of one cache. Every key of a cache shares the `{cache}` hash tag, so a cache lives
 * in one slot and its Lua scripts touch one slot only.
 *
 * - `<ns>:{<cache>}:d:<k>` — an entry (`<k>` is `s:<string key>` or `n:<number key>`)
 * - `<ns>:{<cache>}:l:<k>` — the fleet-wide load lock of that entry
 * - `<ns>:{<cache>}:t:<tag>` — a set of the `<k>` tagged `<tag>`
 * - `<ns>:{<cache>}:epoch` — bumped by prefix invalidations and clears, so a load that started
 *   before one never stores its value
 */
export class RedisKeys {
  /** `<ns>:{<cache>}:` */
  readonly base: string;
  /** The epoch key. */
  readonly epoch: string;

  /**
   * @param namespace - the tier's namespace
   * @param cache - the cache name
   */
  constructor(namespace: string, cache: string) {
    this.base = `${namespace}:{${cache}}:`;
    this.epoch = `${this.base}epoch`;
  }

  /**
   * @param key - a cache key
   * @param cache - the cache name, for the error
   * @returns the key's part of the Redis keys: `s:<string>` or `n:<number>`
   */
  static member(key: unknown, cache: string): string {
    if (typeof key === "string") return `s:${key}`;
    if (typeof key === "number" && Number.isFinite(key)) return `n:${key}`;
    throw invalid(
      {
        name: "key",
        expected: "a string or a finite number (a Redis tier stores keys as text)",
        got: key,
        fix: "Use string keys, e.g. `user:${id}`, for a cache with a secondTier.",
        context: `cache "${cache}"`,
      },
      "ERR_INVALID_ARGUMENT",
    );
  }

  /**
   * @param member - from {@link RedisKeys.member}
   * @returns the entry's key
   */
  data(member: string): string {
    return `${this.base}d:${member}`;
  }

  /**
   * @param member - from {@link RedisKeys.member}
   * @returns the entry's lock key
   */
  lock(member: string): string {
    return `${this.base}l:${member}`;
  }

  /**
   * @param tag - a tag
   * @returns the tag's set
   */
  tag(tag: string): string {
    return `${this.base}t:${tag}`;
  }

  /**
   * @param prefix - a string-key prefix, or `undefined` for every key of the cache
   * @returns a SCAN pattern matching the entries, locks (and, for a clear, tag sets) it removes
   */
  pattern(prefix: string | undefined): string {
    const base = escapeGlob(this.base);
    return prefix === undefined ? `${base}[dlt]:*` : `${base}[dl]:s:${escapeGlob(prefix)}*`;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
