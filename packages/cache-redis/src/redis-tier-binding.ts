import { randomUUID } from "node:crypto";
import type {
  SecondTierBinding,
  TierEntry,
  TierInvalidation,
  TierLoadRequest,
  TierReadMiss,
  TierValue,
} from "@perflayer/cache";
import { throwIfAborted } from "@perflayer/core";
import { packEnvelope, unpackEnvelope } from "./envelope.js";
import { ACQUIRE, DELETE, DELETE_TAG, RELEASE, RENEW, STORE, WRITE } from "./lua-scripts.js";
import { RedisKeys } from "./redis-keys.js";
import type { TierConnection } from "./tier-connection.js";
import { invalidationMessage, loadedMessage } from "./tier-message.js";
import { bindTierMetrics } from "./tier-metrics.js";
import type { FleetOutcome, TierErrorCause, TierMetricHandles } from "./tier-metrics.js";
import { TierValueError } from "./tier-value-error.js";

/** How a binding reaches Redis: through the breaker, or directly (the breaker's own replay). */
type Calls = Pick<TierConnection, "command" | "script">;

/** The counters behind `RedisTier.stats()`. */
interface Counts {
  hits: number;
  misses: number;
  skipped: number;
  sent: number;
  received: number;
  flushes: number;
  readonly errors: Record<TierErrorCause, number>;
  readonly fills: Record<FleetOutcome, number>;
}

/** How many times one request reloads a value invalidated while it loaded before giving up. */
const MAX_RELOADS = 3;
/** Remote invalidations remembered, to judge reads that were in flight when they arrived. */
const RECENT = 64;

/**
 * One cache's side of a `RedisTier`: reads through Redis, loads once across the fleet, writes and
 * invalidates there, and applies other processes' invalidations to the cache's memory.
 * @internal
 */
export class RedisTierBinding<K, V> implements SecondTierBinding<K, V> {
  /** The counters of this cache. */
  readonly counts: Counts = {
    hits: 0,
    misses: 0,
    skipped: 0,
    sent: 0,
    received: 0,
    flushes: 0,
    errors: { timeout: 0, unavailable: 0, error: 0, too_large: 0, codec: 0 },
    fills: { loaded: 0, waited: 0, local: 0 },
  };

  readonly #cache: string;
  readonly #tier: TierConnection;
  readonly #keys: RedisKeys;
  readonly #metrics: TierMetricHandles;
  readonly #onRemote: (change: TierInvalidation<K>) => void;
  readonly #onClose: () => void;
  /** Sequence number of the last remote invalidation, and the recent ones. */
  #seq = 0;
  readonly #recent: { seq: number; change: TierInvalidation<unknown> }[] = [];
  #warnedTooLarge = false;
  #closed = false;

  /**
   * @param cache - the cache name
   * @param tier - the tier's connection
   * @param onRemote - drops memory copies
   * @param onClose - unregisters the binding
   */
  constructor(
    cache: string,
    tier: TierConnection,
    onRemote: (change: TierInvalidation<K>) => void,
    onClose: () => void,
  ) {
    this.#cache = cache;
    this.#tier = tier;
    this.#keys = new RedisKeys(tier.options.namespace, cache);
    this.#metrics = bindTierMetrics(tier.options.instrumentation, cache);
    this.#onRemote = onRemote;
    this.#onClose = onClose;
  }

  /**
   * One `GET`: the value, `"miss"`, or `"unavailable"` (circuit open, or the call failed: counted).
   * @param key - the key
   * @returns what Redis has
   */
  async read(key: K): Promise<TierValue<V> | TierReadMiss> {
    const member = RedisKeys.member(key, this.#cache);
    if (this.#tier.unavailable()) {
      this.#count("skipped");
      return "unavailable";
    }
    const seq = this.#seq;
    const started = this.#tier.options.clock.now();
    let bytes: Buffer | null;
    try {
      bytes = await this.#tier.command<Buffer | null>(["GET", this.#keys.data(member)]);
    } catch (error) {
      this.#failed(error);
      return "unavailable";
    }
    this.#metrics.readDuration.observe((this.#tier.options.clock.now() - started) / 1000);
    const hit = bytes === null ? undefined : this.#read(bytes, member, seq);
    if (hit !== undefined) {
      this.#count("hits");
      return hit;
    }
    this.#count("misses");
    return "miss";
  }

  async load(key: K, request: TierLoadRequest<V>): Promise<TierValue<V>> {
    const member = RedisKeys.member(key, this.#cache);
    // After a read: it counted what it found; do not ask Redis again for the same thing.
    let found = request.after;
    if (found === undefined && !request.forceRefresh) {
      const read = await this.read(key);
      if (typeof read !== "string") return read;
      found = read;
    } else if (found === undefined && this.#tier.unavailable()) {
      this.#count("skipped");
      found = "unavailable";
    }
    return found === "unavailable" ? this.#loadLocally(request) : this.#fill(key, member, request);
  }

  set(key: K, value: V, entry: TierEntry): void {
    const member = RedisKeys.member(key, this.#cache);
    const bytes = this.#encode(value, key, entry);
    this.#count("sent");
    const change: TierInvalidation<unknown> = { kind: "key", key };
    if (this.#tier.unavailable()) {
      this.#tier.defer(this.#cache, change);
      return;
    }
    const message = invalidationMessage(this.#tier.origin, this.#cache, {
      kind: "key",
      key: member,
    });
    this.#tier
      .script(
        WRITE,
        [this.#keys.data(member), this.#keys.lock(member)],
        [
          bytes,
          String(entry.ttl),
          this.#keys.base,
          member,
          this.#tier.channel,
          message,
          ...(entry.tags ?? []),
        ],
      )
      .catch((error: unknown) => {
        this.#failed(error);
        this.#tier.defer(this.#cache, change);
      });
  }

  invalidate(change: TierInvalidation<K>): void {
    this.#count("sent");
    if (this.#tier.unavailable()) {
      this.#tier.defer(this.#cache, change);
      return;
    }
    this.apply(change, this.#tier).catch((error: unknown) => {
      this.#failed(error);
      this.#tier.defer(this.#cache, change);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose();
  }

  /**
   * Applies an invalidation in Redis and tells the other processes.
   * @param change - what to remove
   * @param calls - how to reach Redis
   */
  async apply(change: TierInvalidation<unknown>, calls: Calls): Promise<void> {
    const channel = this.#tier.channel;
    const origin = this.#tier.origin;
    switch (change.kind) {
      case "key": {
        const member = RedisKeys.member(change.key, this.#cache);
        const message = invalidationMessage(origin, this.#cache, { kind: "key", key: member });
        await calls.script(
          DELETE,
          [this.#keys.data(member), this.#keys.lock(member)],
          [channel, message],
        );
        return;
      }
      case "tag":
        await calls.script(
          DELETE_TAG,
          [this.#keys.tag(change.tag)],
          [this.#keys.base, channel, invalidationMessage(origin, this.#cache, change)],
        );
        return;
      case "prefix":
      case "clear": {
        // Loads that took their lock before this never store (the epoch moved on); then every
        // matching entry and lock goes, then the other processes are told.
        await calls.command(["INCR", this.#keys.epoch]);
        const pattern = this.#keys.pattern(change.kind === "prefix" ? change.prefix : undefined);
        let cursor = "0";
        do {
          const [next, keys] = await calls.command<[Buffer | string, (Buffer | string)[]]>([
            "SCAN",
            cursor,
            "MATCH",
            pattern,
            "COUNT",
            "1000",
          ]);
          cursor = next.toString();
          if (keys.length > 0) await calls.command(["UNLINK", ...keys]);
        } while (cursor !== "0");
        await calls.command([
          "PUBLISH",
          channel,
          invalidationMessage(origin, this.#cache, change as TierInvalidation<string>),
        ]);
        return;
      }
    }
  }

  /**
   * Another process invalidated: remember it (for reads in flight) and drop the memory copies.
   * @param change - the invalidation
   */
  receive(change: TierInvalidation<unknown>): void {
    if (this.#closed) return;
    this.#seq++;
    this.#recent.push({ seq: this.#seq, change });
    if (this.#recent.length > RECENT) this.#recent.shift();
    this.#count("received");
    this.#onRemote(change as TierInvalidation<K>);
  }

  /** Flushes the cache's memory: invalidations may have been missed (a reconnect). */
  flush(): void {
    this.receive({ kind: "clear" });
    this.#count("flushes");
  }

  /** Memory and Redis both missed: take the lock and load, or wait for the process that has it. */
  async #fill(key: K, member: string, request: TierLoadRequest<V>): Promise<TierValue<V>> {
    const { options } = this.#tier;
    const lock = this.#keys.lock(member);
    const keys = [this.#keys.data(member), lock, this.#keys.epoch];
    let skipRead = request.forceRefresh;
    let waited = false;
    let reloads = 0;
    let pause = Math.max(1, Math.round(options.maxPollMs / 8));
    for (;;) {
      throwIfAborted(request.signal, `cache "${this.#cache}": loading`);
      const token = randomUUID();
      const seq = this.#seq;
      let reply: [number, Buffer?];
      try {
        reply = await this.#tier.script<[number, Buffer?]>(ACQUIRE, keys, [
          token,
          String(options.lockTtlMs),
          this.#keys.base,
          member,
          String(request.entry.ttl),
          skipRead ? "1" : "0",
          ...(request.entry.tags ?? []),
        ]);
      } catch (error) {
        this.#failed(error);
        return this.#loadLocally(request);
      }
      const [state, payload] = reply;
      if (state === 1 && payload !== undefined) {
        const value = this.#read(payload, member, seq);
        if (value !== undefined) {
          this.#count(waited ? "waited" : "hits");
          return value;
        }
        continue; // invalidated while the reply travelled: read again
      }
      if (state === 2) {
        const epoch = payload === undefined ? "0" : payload.toString();
        const result = await this.#hold(key, member, token, epoch, request, reloads >= MAX_RELOADS);
        if (result !== undefined) return result;
        reloads++; // invalidated while it loaded: the value may predate the change
        skipRead = false;
        continue;
      }
      waited = true;
      const why = await this.#tier.wait(this.#cache, member, pause, request.signal);
      if (why === "unavailable") return this.#loadLocally(request);
      pause = Math.min(pause * 2, options.maxPollMs);
      skipRead = false;
    }
  }

  /**
   * This process holds the lock: load, store for the fleet, tell the waiters.
   * @returns the value, or `undefined` when it was invalidated meanwhile (and `last` is false)
   */
  async #hold(
    key: K,
    member: string,
    token: string,
    epoch: string,
    request: TierLoadRequest<V>,
    last: boolean,
  ): Promise<TierValue<V> | undefined> {
    const { options } = this.#tier;
    const lock = this.#keys.lock(member);
    const renew = options.clock.setInterval(
      () =>
        void this.#tier
          .script(RENEW, [lock], [token, String(options.lockTtlMs)])
          .catch((error: unknown) => this.#failed(error)),
      Math.max(1, Math.floor(options.lockTtlMs / 3)),
    );
    const release = (): void => {
      this.#tier
        .script(
          RELEASE,
          [lock],
          [token, this.#tier.channel, loadedMessage(this.#tier.origin, this.#cache, member)],
        )
        .catch((error: unknown) => this.#failed(error));
    };
    let value: V;
    try {
      value = await request.load();
    } catch (error) {
      release(); // the next process in line loads; the error is not shared
      throw error;
    } finally {
      renew.cancel();
    }
    const { entry } = request;
    const loaded: TierValue<V> = { value, ttl: entry.ttl, tags: entry.tags, keep: true };
    let bytes: Buffer;
    try {
      bytes = this.#encode(value, key, entry);
    } catch {
      release(); // counted by #encode; kept in this process's memory, not shared
      this.#count("loaded");
      return loaded;
    }
    let stored: number;
    try {
      stored = await this.#tier.script<number>(
        STORE,
        [this.#keys.data(member), lock, this.#keys.epoch],
        [
          token,
          epoch,
          bytes,
          String(entry.ttl),
          this.#tier.channel,
          loadedMessage(this.#tier.origin, this.#cache, member),
        ],
      );
    } catch (error) {
      this.#failed(error);
      this.#count("loaded");
      return loaded;
    }
    if (stored === 1) {
      this.#count("loaded");
      return loaded;
    }
    return last ? { ...loaded, keep: false } : undefined;
  }

  async #loadLocally(request: TierLoadRequest<V>): Promise<TierValue<V>> {
    this.#count("local");
    const value = await request.load();
    return { value, ttl: request.entry.ttl, tags: request.entry.tags, keep: true };
  }

  /**
   * Decodes a stored entry read after remote invalidation `seq`.
   * @returns the value, or `undefined` when it is unreadable, expired, or was invalidated while
   * the reply travelled (a message that arrived before the reply)
   */
  #read(bytes: Buffer, member: string, seq: number): TierValue<V> | undefined {
    let envelope;
    try {
      envelope = unpackEnvelope(bytes, this.#tier.options.codec);
    } catch {
      envelope = undefined;
    }
    if (envelope === undefined) {
      this.#count("codec");
      return undefined;
    }
    if (this.#invalidatedSince(seq, member, envelope.tags)) return undefined;
    let ttl = 0;
    if (envelope.expiresAt !== 0) {
      ttl = Math.round(envelope.expiresAt - this.#tier.options.clock.wallTime());
      if (ttl <= 0) return undefined;
    }
    return { value: envelope.value as V, ttl, tags: envelope.tags, keep: true };
  }

  #invalidatedSince(seq: number, member: string, tags: readonly string[] | undefined): boolean {
    if (this.#seq === seq) return false;
    const oldest = this.#recent[0];
    if (oldest === undefined || oldest.seq > seq + 1) return true; // forgotten: assume it matched
    return this.#recent.some(({ seq: at, change }) => {
      if (at <= seq) return false;
      switch (change.kind) {
        case "key":
          return RedisKeys.member(change.key, this.#cache) === member;
        case "tag":
          return tags?.includes(change.tag) === true;
        case "prefix":
          return member.startsWith(`s:${change.prefix}`);
        case "clear":
          return true;
      }
    });
  }

  #encode(value: V, key: K, entry: TierEntry): Buffer {
    const { codec, maxValueBytes, clock } = this.#tier.options;
    const where = `cache "${this.#cache}", key ${JSON.stringify(String(key)).slice(0, 80)}`;
    let payload: Uint8Array;
    try {
      payload = codec.encode(value);
    } catch (error) {
      this.#count("codec");
      throw new TierValueError(
        "ERR_TIER_CODEC",
        `${where}: the ${codec.name} codec cannot encode this value (${(error as Error).message}). Store plain data, or pass { codec: v8Codec } to the RedisTier for Dates, Maps, Sets and BigInts.`,
        { cause: error },
      );
    }
    if (payload.length > maxValueBytes) {
      this.#count("too_large");
      if (!this.#warnedTooLarge) {
        this.#warnedTooLarge = true;
        process.emitWarning(
          `${where}: a value of ${payload.length} bytes exceeds the Redis tier's maxValueBytes (${maxValueBytes}); it is kept in memory only, not shared.`,
          { code: "PERFLAYER_CACHE_L2_TOO_LARGE" },
        );
      }
      throw new TierValueError(
        "ERR_TIER_VALUE_TOO_LARGE",
        `${where}: the encoded value is ${payload.length} bytes, above maxValueBytes (${maxValueBytes}). Raise maxValueBytes on the RedisTier or cache smaller values.`,
      );
    }
    return packEnvelope(payload, entry.ttl === 0 ? 0 : clock.wallTime() + entry.ttl, entry.tags);
  }

  #failed(error: unknown): void {
    const kind =
      error instanceof Error && "kind" in error ? (error.kind as TierErrorCause) : "error";
    this.#count(kind);
  }

  #count(what: keyof Counts | TierErrorCause | FleetOutcome): void {
    switch (what) {
      case "hits":
        this.counts.hits++;
        return this.#metrics.hit.inc();
      case "misses":
        this.counts.misses++;
        return this.#metrics.miss.inc();
      case "skipped":
        this.counts.skipped++;
        return this.#metrics.skipped.inc();
      case "sent":
        this.counts.sent++;
        return this.#metrics.sent.inc();
      case "received":
        this.counts.received++;
        return this.#metrics.received.inc();
      case "flushes":
        this.counts.flushes++;
        return this.#metrics.flushes.inc();
      case "loaded":
      case "waited":
      case "local":
        this.counts.fills[what]++;
        return this.#metrics.fleet[what].inc();
      case "errors":
      case "fills":
        return;
      default:
        this.counts.errors[what]++;
        return this.#metrics.errors[what].inc();
    }
  }
}
