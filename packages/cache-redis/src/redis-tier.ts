import { randomUUID } from "node:crypto";
import { ErrorReply, RESP_TYPES, createClient } from "@redis/client";
import type { RedisArgument } from "@redis/client";
import { abortReason } from "@perflayer/core";
import type { Closeable, GaugeHandle, TimerHandle } from "@perflayer/core";
import type { SecondTier, SecondTierBinding, TierInvalidation } from "@perflayer/cache";
import { CircuitBreaker } from "./circuit-breaker.js";
import { ALL_SCRIPTS } from "./lua-scripts.js";
import type { LuaScript } from "./lua-scripts.js";
import { RedisTierBinding } from "./redis-tier-binding.js";
import { resolveRedisTierOptions } from "./redis-tier-options.js";
import type { RedisTierOptions, ResolvedRedisTierOptions } from "./redis-tier-options.js";
import { bindCircuitGauge } from "./tier-metrics.js";
import type { FleetOutcome, TierErrorCause } from "./tier-metrics.js";
import { decodeMessage } from "./tier-message.js";
import { TierCallError } from "./tier-connection.js";
import type { TierConnection } from "./tier-connection.js";

/** Counters of a {@link RedisTier}, over every cache bound to it. */
export interface RedisTierStats {
  /** `open`: Redis is left alone and requests are answered from memory and loaders. */
  readonly circuit: "closed" | "open";
  /** Memory misses answered from Redis. */
  readonly hits: number;
  /** Memory misses that Redis did not have either. */
  readonly misses: number;
  /** Memory misses that skipped Redis (circuit open). */
  readonly skipped: number;
  /** Failed Redis calls and refused values, by cause. */
  readonly errors: Readonly<Record<TierErrorCause, number>>;
  /** Cold keys filled, by how: `loaded` for the fleet, `waited` for another process, `local` without Redis. */
  readonly fills: Readonly<Record<FleetOutcome, number>>;
  /** Invalidations (and writes) told to the other processes. */
  readonly invalidationsSent: number;
  /** Invalidations received from other processes. */
  readonly invalidationsReceived: number;
  /** In-memory tiers flushed because messages may have been missed (a reconnect). */
  readonly memoryFlushes: number;
  /** Invalidations made while Redis was unreachable, waiting to be applied there. */
  readonly pendingInvalidations: number;
}

const BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };
const MAX_PENDING = 10_000;

type Client = ReturnType<typeof createClient>;

interface NoticeWaiter {
  readonly wake: (why: "notice" | "unavailable") => void;
}

/**
 * A second tier on Redis for `@perflayer/cache`: pass it as a cache's `secondTier` and memory
 * misses read Redis before the loader, cold keys load once across every process (a Redis lock
 * with a token and expiry; the others wait for its "loaded" notice or poll), and every
 * invalidation reaches every process's memory through pub/sub. When Redis is down, slow or
 * restarting, calls are bounded by `commandTimeoutMs` and a circuit breaker, requests are answered
 * from memory and loaders, invalidations are kept and applied when Redis is back, and each
 * process's memory is flushed after a reconnect (it may have missed messages).
 *
 * @example
 * ```ts
 * const tier = new RedisTier({ url: "redis://127.0.0.1:6379", namespace: "shop" });
 * await tier.connect();
 * const caches = new CacheManager({ defaults: { ttl: 60_000, secondTier: tier } });
 * ```
 */
export class RedisTier implements SecondTier, Closeable {
  /** The options in force, after defaults. */
  readonly options: ResolvedRedisTierOptions;

  readonly #client: Client;
  readonly #subscriber: Client;
  readonly #origin = randomUUID();
  readonly #channel: string;
  readonly #breaker: CircuitBreaker;
  readonly #circuitGauge: GaugeHandle;
  readonly #bindings = new Map<string, RedisTierBinding<unknown, unknown>>();
  readonly #waiters = new Map<string, Set<NoticeWaiter>>();
  /** Invalidations that did not reach Redis, per cache; `"clear"` once too many piled up. */
  readonly #pending = new Map<string, TierInvalidation<unknown>[] | "clear">();
  #pendingCount = 0;
  readonly #connection: TierConnection;
  #connecting: Promise<unknown> | undefined;
  #subscriberLost = false;
  #closed = false;

  /** @param options - URL, namespace, codec, limits, timeouts, breaker, instrumentation, clock */
  constructor(options: RedisTierOptions = {}) {
    this.options = resolveRedisTierOptions(options);
    this.#channel = `${this.options.namespace}:events`;
    const reconnectStrategy = (retries: number): number =>
      Math.min(25 * 2 ** retries, this.options.breakerCooldownMs);
    this.#client = createClient({
      url: this.options.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy, connectTimeout: 2_000 },
    });
    this.#subscriber = this.#client.duplicate();
    // Errors are counted where calls fail; without a listener an 'error' event would crash.
    this.#client.on("error", () => undefined);
    this.#subscriber.on("error", () => undefined);
    // A lost connection is known at once: leave Redis alone until a probe gets through again.
    this.#client.on("reconnecting", () => this.#breaker.trip());
    this.#subscriber.on("reconnecting", () => {
      this.#subscriberLost = true;
    });
    this.#subscriber.on("ready", () => {
      if (!this.#subscriberLost) return;
      this.#subscriberLost = false;
      for (const binding of this.#bindings.values()) binding.flush();
    });
    this.#connection = {
      options: this.options,
      origin: this.#origin,
      channel: this.#channel,
      unavailable: () => this.#closed || this.#breaker.open,
      command: (args) => this.#call(() => this.#client.sendCommand(args, BUFFERS)),
      script: (script, keys, args) => this.#call(() => this.#eval(script, keys, args)),
      wait: (cache, member, ms, signal) => this.#wait(cache, member, ms, signal),
      defer: (cache, change) => this.#defer(cache, change),
    };
    this.#circuitGauge = bindCircuitGauge(this.options.instrumentation, this.options.namespace);
    this.#breaker = new CircuitBreaker({
      threshold: this.options.breakerThreshold,
      cooldownMs: this.options.breakerCooldownMs,
      clock: this.options.clock,
      probe: () => this.#probe(),
      onChange: (open) => {
        this.#circuitGauge.set(open ? 1 : 0);
        if (open)
          for (const set of this.#waiters.values()) for (const w of set) w.wake("unavailable");
      },
    });
  }

  /**
   * Connects to Redis and subscribes to the invalidation channel. Resolves `true` once ready, or
   * `false` when Redis did not answer within `timeoutMs`: the tier then keeps trying in the
   * background and, meanwhile, requests are answered from memory and loaders.
   * @param timeoutMs - how long to wait, in ms
   * @returns whether Redis is connected
   */
  async connect(timeoutMs = 2_000): Promise<boolean> {
    this.#connecting ??= Promise.all([
      this.#client.connect().then(() => this.#loadScripts()),
      this.#subscriber
        .connect()
        .then(() =>
          this.#subscriber.subscribe(this.#channel, (message: string) => this.#receive(message)),
        ),
    ]);
    let timer: { cancel(): void } | undefined;
    const ready = await Promise.race([
      this.#connecting.then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = this.options.clock.setTimeout(() => resolve(false), timeoutMs, { ref: true });
      }),
    ]);
    timer?.cancel();
    if (!ready) this.#breaker.trip();
    return ready;
  }

  /**
   * Connects one cache (called by the cache when it is created with this tier).
   * @typeParam K - key type (strings and finite numbers)
   * @typeParam V - value type
   * @param cache - the cache name
   * @param onRemoteInvalidation - drops memory copies another process invalidated
   * @returns the cache's side of the tier
   */
  bind<K, V>(
    cache: string,
    onRemoteInvalidation: (change: TierInvalidation<K>) => void,
  ): SecondTierBinding<K, V> {
    const binding = new RedisTierBinding<K, V>(cache, this.#connection, onRemoteInvalidation, () =>
      this.#bindings.delete(cache),
    );
    this.#bindings.set(cache, binding as unknown as RedisTierBinding<unknown, unknown>);
    return binding;
  }

  /** @returns counters over every bound cache */
  stats(): RedisTierStats {
    const sum = {
      hits: 0,
      misses: 0,
      skipped: 0,
      errors: { timeout: 0, unavailable: 0, error: 0, too_large: 0, codec: 0 },
      fills: { loaded: 0, waited: 0, local: 0 },
      invalidationsSent: 0,
      invalidationsReceived: 0,
      memoryFlushes: 0,
    };
    for (const binding of this.#bindings.values()) {
      const counts = binding.counts;
      sum.hits += counts.hits;
      sum.misses += counts.misses;
      sum.skipped += counts.skipped;
      sum.invalidationsSent += counts.sent;
      sum.invalidationsReceived += counts.received;
      sum.memoryFlushes += counts.flushes;
      for (const cause of Object.keys(sum.errors) as TierErrorCause[])
        sum.errors[cause] += counts.errors[cause];
      for (const outcome of Object.keys(sum.fills) as FleetOutcome[])
        sum.fills[outcome] += counts.fills[outcome];
    }
    return {
      circuit: this.#breaker.open ? "open" : "closed",
      ...sum,
      pendingInvalidations: this.#pendingCount,
    };
  }

  /**
   * Stops probing, unsubscribes and closes both connections (pending replies get
   * `commandTimeoutMs`). Entries stay in Redis for the other processes. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#breaker.stop();
    for (const set of this.#waiters.values()) for (const w of set) w.wake("unavailable");
    for (const client of [this.#subscriber, this.#client]) {
      if (!client.isOpen) continue;
      let timer: { cancel(): void } | undefined;
      await Promise.race([
        client.close().catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = this.options.clock.setTimeout(resolve, this.options.commandTimeoutMs, {
            ref: true,
          });
        }),
      ]);
      timer?.cancel();
      if (client.isOpen) client.destroy();
    }
  }

  /** Same as {@link RedisTier.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Runs one call bounded by `commandTimeoutMs` and the breaker. One promise per call, with no
   * race or async frame around it: an L2 hit is this call and little else.
   */
  #call<T>(run: () => Promise<unknown>): Promise<T> {
    if (this.#closed || this.#breaker.open) return Promise.reject(new TierCallError("unavailable"));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let timer: TimerHandle | undefined;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        clearImmediate(started);
        timer?.cancel();
        return true;
      };
      const fail = (error: unknown): void => {
        if (!finish()) return;
        const failure =
          error instanceof TierCallError
            ? error
            : new TierCallError(error instanceof ErrorReply ? "error" : "unavailable", error);
        // A Redis error reply is a bug or a misconfiguration, not an outage: it does not trip.
        if (failure.kind !== "error") this.#breaker.failure();
        reject(failure);
      };
      // The clock starts once the client has written the command (it writes at the end of this
      // turn), and the rejection waits one more turn: after the event loop was blocked, timers
      // run before sockets are read, and a reply that arrived meanwhile must win.
      const started = setImmediate(() => {
        timer = this.options.clock.setTimeout(
          () => setImmediate(() => fail(new TierCallError("timeout"))),
          this.options.commandTimeoutMs,
          { ref: true },
        );
      });
      let reply: Promise<unknown>;
      try {
        reply = run();
      } catch (error) {
        reply = Promise.reject(error);
      }
      reply.then((result) => {
        if (!finish()) return;
        this.#breaker.success();
        resolve(result as T);
      }, fail);
    });
  }

  /** Loads every script, so that the first calls after a (re)connection need no EVAL. */
  async #loadScripts(): Promise<void> {
    await Promise.all(
      ALL_SCRIPTS.map((script) => this.#client.sendCommand(["SCRIPT", "LOAD", script.source])),
    );
  }

  async #eval(
    script: LuaScript,
    keys: readonly RedisArgument[],
    args: readonly RedisArgument[],
  ): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.#client.sendCommand(["EVALSHA", script.sha, ...tail], BUFFERS);
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith("NOSCRIPT")) throw error;
      return this.#client.sendCommand(["EVAL", script.source, ...tail], BUFFERS);
    }
  }

  #wait(
    cache: string,
    member: string,
    ms: number,
    signal: AbortSignal,
  ): Promise<"notice" | "timeout" | "unavailable"> {
    if (this.#closed || this.#breaker.open) return Promise.resolve("unavailable");
    if (signal.aborted)
      return Promise.reject(abortReason(signal, "waiting for another process's load"));
    const id = `${cache}\n${member}`;
    return new Promise((resolve, reject) => {
      let set = this.#waiters.get(id);
      if (set === undefined) this.#waiters.set(id, (set = new Set()));
      const waiters = set;
      const done = (): void => {
        timer.cancel();
        signal.removeEventListener("abort", onAbort);
        waiters.delete(waiter);
        if (waiters.size === 0 && this.#waiters.get(id) === waiters) this.#waiters.delete(id);
      };
      const waiter: NoticeWaiter = {
        wake: (why) => {
          done();
          resolve(why);
        },
      };
      const onAbort = (): void => {
        done();
        reject(abortReason(signal, "waiting for another process's load"));
      };
      const timer = this.options.clock.setTimeout(
        () => {
          done();
          resolve("timeout");
        },
        ms,
        { ref: true },
      );
      signal.addEventListener("abort", onAbort, { once: true });
      waiters.add(waiter);
    });
  }

  #receive(raw: string): void {
    const message = decodeMessage(raw);
    if (message === undefined || message.origin === this.#origin) return;
    if (message.loaded !== undefined) {
      const set = this.#waiters.get(`${message.cache}\n${message.loaded}`);
      if (set !== undefined) for (const waiter of [...set]) waiter.wake("notice");
      return;
    }
    if (message.change !== undefined) this.#bindings.get(message.cache)?.receive(message.change);
  }

  #defer(cache: string, change: TierInvalidation<unknown>): void {
    const queue = this.#pending.get(cache);
    if (queue !== "clear") {
      if (change.kind === "clear" || this.#pendingCount >= MAX_PENDING) {
        this.#pendingCount -= queue?.length ?? 0;
        this.#pending.set(cache, "clear");
        this.#pendingCount++;
      } else if (queue === undefined) {
        this.#pending.set(cache, [change]);
        this.#pendingCount++;
      } else {
        queue.push(change);
        this.#pendingCount++;
      }
    }
    // Redis may hold values this invalidation removes: leave it alone until the invalidation lands.
    this.#breaker.trip();
  }

  /** The breaker's probe: PING, then every deferred invalidation, in order. */
  async #probe(): Promise<boolean> {
    if (this.#closed || !this.#client.isReady) return false;
    const bounded = <T>(run: () => Promise<T>): Promise<T> => {
      let timer: { cancel(): void } | undefined;
      return Promise.race([
        run(),
        new Promise<never>((_resolve, reject) => {
          timer = this.options.clock.setTimeout(
            () => reject(new TierCallError("timeout")),
            this.options.commandTimeoutMs,
          );
        }),
      ]).finally(() => timer?.cancel());
    };
    try {
      await bounded(() => this.#loadScripts()); // also the probe: a restarted Redis forgot them
      for (const [cache, queue] of [...this.#pending]) {
        const binding = this.#bindings.get(cache);
        const changes: TierInvalidation<unknown>[] =
          queue === "clear" ? [{ kind: "clear" }] : queue;
        while (changes.length > 0) {
          const change = changes[0] as TierInvalidation<unknown>;
          if (binding !== undefined) {
            await binding.apply(change, {
              command: <T>(args: readonly RedisArgument[]) =>
                bounded(() => this.#client.sendCommand<T>(args, BUFFERS)),
              script: <T>(
                script: LuaScript,
                keys: readonly RedisArgument[],
                args: readonly RedisArgument[],
              ) => bounded(() => this.#eval(script, keys, args) as Promise<T>),
            });
          }
          changes.shift();
          this.#pendingCount--;
        }
        this.#pending.delete(cache);
      }
      return true;
    } catch {
      return false;
    }
  }
}
