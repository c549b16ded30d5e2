import {
  OverloadError,
  PerflayerError,
  TimeoutError,
  WarningLimiter,
  abortReason,
  assertAbortSignal,
  assertFunction,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  estimateSize,
  noopInstrumentation,
  systemClock,
} from "@perflayer/core";
import type { Clock, Closeable, Instrumentation, Reclaimer, TimerHandle } from "@perflayer/core";
import { bindPoolGauges } from "./pool-gauges.js";
import { assertPoolName, assertTargetBytes, optionalBoolean } from "./pool-validation.js";

/** Options of {@link ObjectPool}. */
export interface ObjectPoolOptions<T> {
  /** A stable, low-cardinality name (metric label, reclaimer name). */
  readonly name: string;
  /** Makes a new object. */
  readonly create: () => T;
  /** Prepares a returned object for its next user; if it throws, the object is discarded. */
  readonly reset?: (object: T) => void;
  /** Checked when an idle object is handed out; `false` discards it and another is used. */
  readonly validate?: (object: T) => boolean;
  /** Called for every object the pool discards. */
  readonly destroy?: (object: T) => void;
  /**
   * Idle objects kept ready (created lazily; kept through idle shrinking, not through pressure).
   * @defaultValue 0
   */
  readonly min?: number;
  /**
   * Most objects alive at once (idle + in use); beyond it `take()` throws and `acquire()` waits.
   * @defaultValue 1_000
   */
  readonly max?: number;
  /**
   * Default wait of `acquire()` before it rejects with `TimeoutError`.
   * @defaultValue 5_000
   */
  readonly acquireTimeoutMs?: number;
  /**
   * Idle objects above `min` that stayed unused for this long are discarded. `0` keeps them.
   * @defaultValue 30_000
   */
  readonly idleTimeoutMs?: number;
  /**
   * Objects held longer than this are reported (once each) through `onLongHold`. `0` disables.
   * @defaultValue 0
   */
  readonly holdWarningMs?: number;
  /** Called for an object held past `holdWarningMs`. @defaultValue a process warning */
  readonly onLongHold?: (heldMs: number) => void;
  /**
   * Track borrowed objects weakly and report ones collected by the GC without being released
   * (a `FinalizationRegistry` entry per borrow: costs ~0.2 µs per take). Exclusive with
   * `holdWarningMs`, which needs strong references.
   * @defaultValue false
   */
  readonly trackUnreleased?: boolean;
  /** Called when a borrowed object was collected unreleased. @defaultValue a process warning */
  readonly onUnreleased?: () => void;
  /** Bytes of one object, for the memory optimizer. @defaultValue `estimateSize` of the first object */
  readonly sizeOf?: (object: T) => number;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Reports `perflayer_memory_pool_objects{pool,state}`. @defaultValue `noopInstrumentation` */
  readonly instrumentation?: Instrumentation;
}

/** Options of {@link ObjectPool.acquire}. */
export interface AcquireOptions {
  /** Stops waiting (rejects with `AbortError`). */
  readonly signal?: AbortSignal;
  /**
   * Overrides the pool's `acquireTimeoutMs` (any length; the wait keeps the process alive).
   * @defaultValue the pool's `acquireTimeoutMs`
   */
  readonly timeoutMs?: number;
}

/**
 * A borrowed object. `release()` returns it (once); `using lease = await pool.acquire()` releases it
 * at the end of the scope.
 * @typeParam T - the pooled type
 */
export interface Lease<T> extends Disposable {
  /** The borrowed object. */
  readonly value: T;
  /** Returns the object to the pool. A second call throws `ERR_POOL_RELEASE`. */
  release(): void;
}

interface Waiter<T> {
  readonly resolve: (object: T) => void;
  readonly reject: (error: unknown) => void;
  readonly cleanup: () => void;
}

const KNOWN: readonly string[] = [
  "name",
  "create",
  "reset",
  "validate",
  "destroy",
  "min",
  "max",
  "acquireTimeoutMs",
  "idleTimeoutMs",
  "holdWarningMs",
  "onLongHold",
  "trackUnreleased",
  "onUnreleased",
  "sizeOf",
  "clock",
  "instrumentation",
];

/**
 * A pool of reusable objects with a bound, waiting `acquire`, validation, idle shrinking,
 * misuse detection (double and foreign release are errors), hold-time and unreleased-object
 * reports, and shedding of idle objects under memory pressure (it is a `Reclaimer`).
 *
 * @example
 * ```ts
 * const parsers = new ObjectPool({ name: "parsers", create: () => new Parser(), reset: (p) => p.reset(), max: 64 });
 * {
 *   using lease = await parsers.acquire();
 *   lease.value.parse(input);
 * } // released here
 * ```
 * @typeParam T - the pooled type (objects)
 */
export class ObjectPool<T extends object> implements Reclaimer, Closeable {
  /** The pool's name. */
  readonly name: string;
  /** Most objects alive at once. */
  readonly max: number;
  /** Idle objects kept through idle shrinking. */
  readonly min: number;

  readonly #options: ObjectPoolOptions<T>;
  readonly #clock: Clock;
  readonly #idle: T[] = [];
  readonly #borrowed: Map<T, number> | Set<T> | undefined;
  readonly #weakBorrowed: WeakSet<T> | undefined;
  readonly #registry: FinalizationRegistry<number> | undefined;
  readonly #waiters: Waiter<T>[] = [];
  readonly #timers: TimerHandle[] = [];
  readonly #acquireTimeoutMs: number;
  readonly #warnedHold = new WeakSet<T>();
  readonly #warnings: WarningLimiter;
  #inUse = 0;
  #lowWater = 0;
  #objectBytes: number | undefined;
  #closed = false;

  /** @param options - factory, bounds, timeouts and hooks */
  constructor(options: ObjectPoolOptions<T>) {
    const context = "new ObjectPool()";
    assertKnownKeys(options, KNOWN, context);
    this.name = assertPoolName(options.name, context, "parsers");
    const where = `ObjectPool "${this.name}"`;
    assertFunction(options.create, {
      name: "create",
      fix: "Pass e.g. { create: () => new Parser() }.",
      context: where,
    });
    for (const hook of [
      "reset",
      "validate",
      "destroy",
      "onLongHold",
      "onUnreleased",
      "sizeOf",
    ] as const) {
      if (options[hook] !== undefined)
        assertFunction(options[hook], { name: hook, context: where });
    }
    this.max = assertInteger(options.max ?? 1_000, {
      name: "max",
      min: 1,
      fix: "Pass e.g. { max: 64 }.",
      context: where,
    });
    this.min = assertInteger(options.min ?? 0, {
      name: "min",
      min: 0,
      max: this.max,
      context: where,
    });
    this.#acquireTimeoutMs = assertNumber(options.acquireTimeoutMs ?? 5_000, {
      name: "acquireTimeoutMs",
      min: 0,
      minExclusive: true,
      fix: "Pass milliseconds, e.g. { acquireTimeoutMs: 5_000 }.",
      context: where,
    });
    const idleTimeoutMs = assertNumber(options.idleTimeoutMs ?? 30_000, {
      name: "idleTimeoutMs",
      min: 0,
      context: where,
    });
    const holdWarningMs = assertNumber(options.holdWarningMs ?? 0, {
      name: "holdWarningMs",
      min: 0,
      context: where,
    });
    const trackUnreleased = optionalBoolean(
      options.trackUnreleased,
      "trackUnreleased",
      false,
      where,
    );
    if (holdWarningMs > 0 && trackUnreleased) {
      throw new PerflayerError(
        "ERR_INVALID_OPTION",
        `${where}: \`holdWarningMs\` keeps borrowed objects alive, so \`trackUnreleased\` could never fire; use one of them.`,
      );
    }
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#warnings = new WarningLimiter({ clock: this.#clock });
    if (trackUnreleased) {
      this.#weakBorrowed = new WeakSet();
      this.#registry = new FinalizationRegistry(() => this.#collectedUnreleased());
    } else {
      this.#borrowed = holdWarningMs > 0 ? new Map() : new Set();
    }
    if (idleTimeoutMs > 0) {
      this.#lowWater = 0;
      this.#timers.push(this.#clock.setInterval(() => this.#shrinkIdle(), idleTimeoutMs));
    }
    if (holdWarningMs > 0)
      this.#timers.push(
        this.#clock.setInterval(
          () => this.#checkHolds(holdWarningMs),
          Math.max(1, holdWarningMs / 2),
        ),
      );
    bindPoolGauges(options.instrumentation ?? noopInstrumentation, this.name, () => ({
      idle: this.#idle.length,
      inUse: this.#inUse,
    }));
  }

  /** @returns objects idle in the pool */
  get idle(): number {
    return this.#idle.length;
  }

  /** @returns objects borrowed and not yet released */
  get inUse(): number {
    return this.#inUse;
  }

  /** @returns callers waiting in `acquire()` */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Borrows an object now: an idle one, or a new one while under `max`.
   * @returns the object; give it back with `release()`
   * @throws OverloadError when `max` objects are in use (use `acquire()` to wait)
   */
  take(): T {
    if (this.#closed) throw this.#closedError();
    const object = this.#takeIdle() ?? this.#create();
    if (object === undefined) {
      throw new OverloadError(
        `ObjectPool "${this.name}" is exhausted: ${this.max} objects in use. Use acquire() to wait, or raise max.`,
        { retryAfterMs: 0 },
      );
    }
    this.#lend(object);
    return object;
  }

  /**
   * Borrows an object, waiting (FIFO) for one to be released when `max` are in use.
   * @param options - `signal` and `timeoutMs`
   * @returns a lease; `using` releases it at the end of the scope
   */
  acquire(options: AcquireOptions = {}): Promise<Lease<T>> {
    const context = `ObjectPool "${this.name}".acquire()`;
    assertKnownKeys(options, ["signal", "timeoutMs"], context);
    const timeoutMs =
      options.timeoutMs === undefined
        ? this.#acquireTimeoutMs
        : assertNumber(options.timeoutMs, {
            name: "timeoutMs",
            min: 0,
            minExclusive: true,
            fix: "Pass milliseconds, e.g. { timeoutMs: 1_000 }.",
            context,
          });
    const signal = assertAbortSignal(options.signal, {
      name: "signal",
      fix: "Pass e.g. { signal: request.signal }.",
      context,
    });
    if (this.#closed) return Promise.reject(this.#closedError());
    if (signal?.aborted === true)
      return Promise.reject(abortReason(signal, `acquire from pool "${this.name}"`));
    const ready = this.#takeIdle() ?? this.#create();
    if (ready !== undefined) {
      this.#lend(ready);
      return Promise.resolve(this.#lease(ready));
    }
    return new Promise<T>((resolve, reject) => {
      let timer: TimerHandle | undefined = undefined;
      const onAbort = (): void => {
        remove();
        reject(abortReason(signal as AbortSignal, `acquire from pool "${this.name}"`));
      };
      const cleanup = (): void => {
        timer?.cancel();
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter<T> = { resolve, reject, cleanup };
      const remove = (): void => {
        cleanup();
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
      };
      // Ref'd: the caller awaits this acquire, so the process must not exit before the timeout.
      timer = this.#clock.setTimeout(
        () => {
          remove();
          reject(
            new TimeoutError(
              `acquire from pool "${this.name}" waited ${timeoutMs} ms with all ${this.max} objects in use`,
              { timeoutMs },
            ),
          );
        },
        timeoutMs,
        { ref: true },
      );
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    }).then((object) => this.#lease(object));
  }

  /**
   * Returns a borrowed object: reset, then handed to the next waiter or kept idle.
   * @param object - an object from `take()` (leases release themselves)
   * @throws PerflayerError `ERR_POOL_RELEASE` for an object that is not borrowed from this pool (double release, or foreign)
   */
  release(object: T): void {
    if (!this.#unlend(object)) {
      throw new PerflayerError(
        "ERR_POOL_RELEASE",
        `ObjectPool "${this.name}": release() of an object that is not borrowed from this pool — released twice, or taken from another pool. Release each object exactly once.`,
      );
    }
    const reset = this.#options.reset;
    if (reset !== undefined) {
      try {
        reset(object);
      } catch {
        this.#discard(object);
        this.#serveWaiter();
        return;
      }
    }
    if (this.#closed) {
      this.#discard(object);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter.cleanup();
      this.#lend(object);
      waiter.resolve(object);
      return;
    }
    this.#idle.push(object);
  }

  /** @returns bytes of the pool's idle objects (estimated): what it could give back */
  estimatedBytes(): number {
    return this.#idle.length * this.#bytesPerObject();
  }

  /** @returns bytes of the objects lent out (estimated): held, but not reclaimable */
  inUseBytes(): number {
    return this.#inUse * this.#bytesPerObject();
  }

  /**
   * Discards idle objects (even below `min`) until about `targetBytes` are freed.
   * @param targetBytes - bytes wanted back
   * @returns bytes freed (estimated)
   */
  reclaim(targetBytes: number): number {
    assertTargetBytes(targetBytes, `ObjectPool "${this.name}".reclaim()`);
    const per = this.#bytesPerObject();
    let freed = 0;
    while (freed < targetBytes && this.#idle.length > 0) {
      this.#discard(this.#idle.pop() as T);
      freed += per;
    }
    this.#lowWater = Math.min(this.#lowWater, this.#idle.length);
    return freed;
  }

  /** Rejects waiters, discards idle objects and stops timers; objects released later are discarded. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const timer of this.#timers) timer.cancel();
      for (const waiter of this.#waiters.splice(0)) {
        waiter.cleanup();
        waiter.reject(this.#closedError());
      }
      for (const object of this.#idle.splice(0)) this.#discard(object);
      this.#warnings.flush();
    }
    return Promise.resolve();
  }

  /** Same as {@link ObjectPool.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #takeIdle(): T | undefined {
    const validate = this.#options.validate;
    for (let object = this.#idle.pop(); object !== undefined; object = this.#idle.pop()) {
      if (this.#idle.length < this.#lowWater) this.#lowWater = this.#idle.length;
      if (validate === undefined || validate(object)) return object;
      this.#discard(object);
    }
    this.#lowWater = 0;
    return undefined;
  }

  #create(): T | undefined {
    if (this.#idle.length + this.#inUse >= this.max) return undefined;
    const object = this.#options.create();
    if (typeof object !== "object" || object === null) {
      throw new PerflayerError(
        "ERR_INVALID_OPTION",
        `ObjectPool "${this.name}": create() must return an object, got ${String(object)}. Pool objects, or use BufferPool for buffers.`,
      );
    }
    return object;
  }

  #lend(object: T): void {
    this.#inUse++;
    if (this.#objectBytes === undefined) this.#bytesPerObject(object);
    const borrowed = this.#borrowed;
    if (borrowed instanceof Map) borrowed.set(object, this.#clock.now());
    else if (borrowed !== undefined) borrowed.add(object);
    else {
      this.#weakBorrowed?.add(object);
      this.#registry?.register(object, 0, object);
    }
  }

  #unlend(object: T): boolean {
    const borrowed = this.#borrowed;
    let was: boolean;
    if (borrowed !== undefined) {
      was = borrowed.delete(object);
    } else {
      was = this.#weakBorrowed?.delete(object) === true;
      if (was) this.#registry?.unregister(object);
    }
    if (was) this.#inUse--;
    return was;
  }

  #lease(object: T): Lease<T> {
    let released = false;
    const release = (): void => {
      if (released) {
        throw new PerflayerError(
          "ERR_POOL_RELEASE",
          `ObjectPool "${this.name}": this lease was already released. Release each lease exactly once.`,
        );
      }
      released = true;
      this.release(object);
    };
    return {
      value: object,
      release,
      [Symbol.dispose]: (): void => {
        if (!released) release();
      },
    };
  }

  #discard(object: T): void {
    try {
      this.#options.destroy?.(object);
    } catch (error) {
      this.#warnings.warn(
        "PERFLAYER_POOL_DESTROY",
        `ObjectPool "${this.name}": destroy() threw: ${String(error)}`,
      );
    }
  }

  #serveWaiter(): void {
    const waiter = this.#waiters[0];
    if (waiter === undefined) return;
    const object = this.#create();
    if (object === undefined) return;
    this.#waiters.shift();
    waiter.cleanup();
    this.#lend(object);
    waiter.resolve(object);
  }

  #shrinkIdle(): void {
    // Objects that stayed idle through the whole interval (the low-water mark) above `min` go.
    const surplus = Math.min(this.#lowWater, this.#idle.length - this.min);
    for (let i = 0; i < surplus; i++) this.#discard(this.#idle.shift() as T);
    this.#lowWater = this.#idle.length;
  }

  #checkHolds(limitMs: number): void {
    const now = this.#clock.now();
    for (const [object, since] of this.#borrowed as Map<T, number>) {
      const held = now - since;
      if (held >= limitMs && !this.#warnedHold.has(object)) {
        this.#warnedHold.add(object);
        if (this.#options.onLongHold !== undefined) this.#options.onLongHold(held);
        else
          this.#warnings.warn(
            "PERFLAYER_POOL_HOLD",
            `ObjectPool "${this.name}": an object has been held for ${Math.round(held)} ms without release.`,
          );
      }
    }
  }

  #collectedUnreleased(): void {
    this.#inUse--;
    if (this.#options.onUnreleased !== undefined) this.#options.onUnreleased();
    else
      this.#warnings.warn(
        "PERFLAYER_POOL_UNRELEASED",
        `ObjectPool "${this.name}": a borrowed object was garbage-collected without being released.`,
      );
    this.#serveWaiter();
  }

  /** Bytes of one object, measured once (on the first object lent, or an idle one). */
  #bytesPerObject(lent?: T): number {
    if (this.#objectBytes !== undefined) return this.#objectBytes;
    const sample = lent ?? this.#idle[0];
    if (sample === undefined) return 0;
    this.#objectBytes = this.#options.sizeOf?.(sample) ?? estimateSize(sample);
    return this.#objectBytes;
  }

  #closedError(): PerflayerError {
    return new PerflayerError("ERR_CLOSED", `ObjectPool "${this.name}" is closed.`);
  }
}
