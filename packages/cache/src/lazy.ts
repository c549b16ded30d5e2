import {
  assertFunction,
  assertKnownKeys,
  assertNumber,
  invalid,
  systemClock,
} from "@perflayer/core";
import type { Clock } from "@perflayer/core";

/**
 * Options of {@link lazy}.
 * @typeParam V - the loaded value (what an async load fulfils with)
 */
export interface LazyOptions<V = unknown> {
  /**
   * Milliseconds a loaded value is kept, counted from when its load finished (an async load: when
   * its promise fulfilled). The first `get()` after that loads again.
   *
   * Or a function of the loaded value that returns them, called once per load when it finishes:
   * for a value that says how long it is good for (a token's `expiresIn`, an entitlement's end).
   * A result that is not a number > 0 (0, negative, `NaN`, not a number) keeps the value for no
   * time: the callers of that load get it, the next `get()` loads again. A function that throws
   * keeps nothing either, and counts as a load error.
   * @defaultValue `Infinity` (kept until {@link Lazy.invalidate})
   * @example
   * ```ts
   * const token = lazy(() => issueToken(), { ttl: (t) => t.expiresInSeconds * 1000 - 30_000 });
   * ```
   */
  readonly ttl?: number | ((value: V) => number);
  /**
   * Where time is read; pass core's `ManualClock` in tests.
   * @defaultValue core's `systemClock`
   */
  readonly clock?: Clock;
}

/** What a {@link Lazy} value has done since it was created. */
export interface LazyStats {
  /** `get()` calls answered with the kept value (or the load in flight). */
  readonly hits: number;
  /** Loads started. */
  readonly loads: number;
  /** Loads that threw or rejected (never kept). */
  readonly loadErrors: number;
}

/**
 * One value, loaded on first use and kept: a field or module variable filled on first read, as a
 * named object that can be emptied and expires on its own.
 * @typeParam T - what the load returns (a promise for an async load)
 */
export interface Lazy<T> {
  /**
   * The kept value, or — when there is none, it expired or it was invalidated — the result of a new
   * load, which is kept. An async load is shared: callers while it runs get the same promise. A
   * load that throws or rejects is not kept: the next `get()` loads again.
   */
  get(): T;
  /**
   * The kept value without loading; `undefined` when there is none, it expired, or an async load
   * has not fulfilled yet. Not counted as a hit.
   */
  peek(): Awaited<T> | undefined;
  /**
   * Forgets the kept value; the next `get()` loads again. A load in flight still settles for the
   * callers waiting on it, but its result is not kept.
   * @returns whether a value (or a load in flight) was dropped
   */
  invalidate(): boolean;
  /** Hits, loads and load errors since creation. */
  stats(): LazyStats;
}

const KNOWN_KEYS: readonly string[] = ["ttl", "clock"];

/** The slot: nothing, a load in flight (a promise), or a value with the time it was loaded. */
type Slot<T> =
  | { readonly state: "empty" }
  | { readonly state: "loading"; readonly promise: T }
  | {
      readonly state: "ready";
      readonly result: T;
      readonly value: Awaited<T>;
      readonly at: number;
      /** How long this value is kept (a TTL function's answer, or the fixed TTL). */
      readonly ttl: number;
    };

const EMPTY = { state: "empty" } as const;

class LazyValue<T> implements Lazy<T> {
  readonly #load: () => T;
  readonly #ttl: number | ((value: Awaited<T>) => number);
  readonly #clock: Clock;
  #slot: Slot<T> = EMPTY;
  #hits = 0;
  #loads = 0;
  #loadErrors = 0;

  constructor(load: () => T, options: LazyOptions<Awaited<T>>) {
    this.#load = load;
    this.#ttl =
      options.ttl === undefined
        ? Infinity
        : typeof options.ttl === "function"
          ? options.ttl
          : assertNumber(options.ttl, {
              name: "ttl",
              min: 0,
              minExclusive: true,
              context: "lazy()",
              fix: "Pass e.g. { ttl: 60_000 } or { ttl: (value) => value.expiresInMs }, or leave it out to keep the value until invalidate().",
            });
    const clock = options.clock ?? systemClock;
    if (typeof (clock as Partial<Clock> | null)?.now !== "function")
      throw invalid({
        name: "clock",
        expected: "a Clock (an object with now())",
        got: clock,
        context: "lazy()",
        fix: "Pass e.g. { clock: new ManualClock() } from @perflayer/core, or leave it out.",
      });
    this.#clock = clock;
  }

  get(): T {
    const slot = this.#slot;
    if (slot.state === "loading") {
      this.#hits++;
      return slot.promise;
    }
    if (slot.state === "ready") {
      if (this.#clock.now() - slot.at < slot.ttl) {
        this.#hits++;
        return slot.result;
      }
      this.#slot = EMPTY;
    }
    return this.#start();
  }

  peek(): Awaited<T> | undefined {
    const slot = this.#slot;
    return slot.state === "ready" && this.#clock.now() - slot.at < slot.ttl
      ? slot.value
      : undefined;
  }

  invalidate(): boolean {
    const held = this.#slot.state !== "empty";
    this.#slot = EMPTY;
    return held;
  }

  stats(): LazyStats {
    return { hits: this.#hits, loads: this.#loads, loadErrors: this.#loadErrors };
  }

  #start(): T {
    this.#loads++;
    let result: T;
    try {
      result = this.#load();
    } catch (error) {
      this.#loadErrors++;
      throw error;
    }
    if (!(result instanceof Promise)) {
      this.#keep(result, result as Awaited<T>);
      return result;
    }
    const slot: Slot<T> = { state: "loading", promise: result };
    this.#slot = slot;
    (result as Promise<Awaited<T>>).then(
      (value) => {
        // Invalidated (or replaced) meanwhile: the waiters have their value, it is not kept.
        if (this.#slot === slot) this.#keep(result, value);
      },
      () => {
        this.#loadErrors++;
        if (this.#slot === slot) this.#slot = EMPTY;
      },
    );
    return result;
  }

  /** Keeps a loaded value for its TTL (a TTL function's answer; none when it is not a number > 0). */
  #keep(result: T, value: Awaited<T>): void {
    let ttl: number;
    if (typeof this.#ttl === "number") ttl = this.#ttl;
    else {
      try {
        const answer: unknown = this.#ttl(value);
        ttl = typeof answer === "number" && answer > 0 ? answer : 0;
      } catch {
        // The callers of this load have its value; nothing is kept, as for a failed load.
        this.#loadErrors++;
        this.#slot = EMPTY;
        return;
      }
    }
    this.#slot = ttl > 0 ? { state: "ready", result, value, at: this.#clock.now(), ttl } : EMPTY;
  }
}

/**
 * One value, loaded on first use and kept — the replacement for a field or module variable filled
 * on first read (`if (!x) x = load(); return x;`), with what such slots get wrong done right: an
 * async load is single-flight and a rejection is not kept (the next `get()` tries again),
 * `invalidate()` during a load keeps its stale result out, and `ttl` reloads the value once it
 * is old.
 *
 * @example
 * ```ts
 * const config = lazy(() => JSON.parse(readFileSync("config.json", "utf8")) as Config);
 * const pool = lazy(async () => connect(url), { ttl: 60_000 });
 * const token = lazy(() => issueToken(), { ttl: (t) => t.expiresInMs }); // the value says
 * config.get().port; // read once, kept
 * await pool.get(); // concurrent callers share one connect()
 * config.invalidate(); // the next get() reads the file again
 * ```
 * @typeParam T - what the load returns (a promise for an async load)
 * @param load - computes the value; called on the first `get()` and after expiry or invalidation
 * @param options - `ttl` (fixed, or a function of the loaded value) and `clock`
 * @returns the lazy value
 */
export function lazy<T>(load: () => T, options: LazyOptions<Awaited<T>> = {}): Lazy<T> {
  assertFunction(load, {
    name: "load",
    context: "lazy()",
    fix: "Pass the function that computes the value, e.g. lazy(() => readConfig()).",
  });
  if (typeof options !== "object" || options === null)
    throw invalid({
      name: "options",
      expected: "an object",
      got: options,
      context: "lazy()",
      fix: "Pass e.g. { ttl: 60_000 }.",
    });
  assertKnownKeys(options, KNOWN_KEYS, "lazy()");
  return new LazyValue(load, options);
}
