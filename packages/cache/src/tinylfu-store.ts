import { LRUCache } from "lru-cache";
import { AdaptiveWindow } from "./adaptive-window.js";
import {
  AccessOrderList,
  DETACHED,
  PROBATION,
  PROTECTED,
  PolicyNode,
  WINDOW,
} from "./access-order-list.js";
import type { Region } from "./access-order-list.js";
import type { TinyLfuMetricHandles, TinyLfuStats } from "./cache-metrics.js";
import type { EntryStore, Stored } from "./entry-store.js";
import { FrequencySketch } from "./frequency-sketch.js";
import { hashKey } from "./hash-key.js";
import type { WindowStrategy } from "./window-strategy.js";

/** The protected segment's share of the main region. */
const PROTECTED_SHARE = 0.8;
/**
 * A candidate estimated at least this popular, losing to the victim, is still admitted once in 128:
 * an attacker who keeps a victim artificially popular cannot lock every new key out.
 */
const WARM_CANDIDATE = 6;

/**
 * A configured bound lowered to `requested` (at least 1); an unbounded one (0) stays unbounded, and
 * `Infinity` gives the configured bound back.
 */
function lowered(configured: number, requested: number): number {
  return configured > 0 && Number.isFinite(requested)
    ? Math.max(1, Math.min(configured, Math.floor(requested)))
    : configured;
}

type Dispose<K> = (value: Stored, key: K, reason: LRUCache.DisposeReason) => void;

/**
 * A W-TinyLFU policy around lru-cache. lru-cache stays the store — lookups, TTLs, stale reads, byte
 * accounting — and holds a {@link PolicyNode} per entry, so a hit finds the policy's state in the
 * one lookup that finds the value (a `peek`: lru-cache's own recency order is left alone on reads).
 * The policy decides which entry leaves: new entries enter a small **window** in arrival order; the
 * window's oldest entry becomes a **candidate** for the main region, and is admitted only when the
 * {@link FrequencySketch}
 * estimates it more popular than the main region's victim (the longest-placed entry of
 * **probation** not read since). An entry read on probation moves to **protected** (80 % of the
 * main region), whose overflow drops back to probation unless read since (a second chance). A hit
 * only bumps the node's hit count; the policy applies it when it next looks at the entry, as
 * Caffeine's read buffer defers the policy's work. An {@link AdaptiveWindow} moves the border
 * between window and main region towards where the hit ratio peaks.
 *
 * lru-cache never evicts on its own here: it is given room for one entry beyond `max` and an
 * unreachable byte limit, and the policy deletes its victims (reported as evictions).
 * @internal
 */
export class TinyLfuStore<K extends NonNullable<unknown>> implements EntryStore<K> {
  readonly #lru: LRUCache<K, PolicyNode<K>>;
  readonly #window = new AccessOrderList<K>(WINDOW);
  readonly #probation = new AccessOrderList<K>(PROBATION);
  readonly #protected = new AccessOrderList<K>(PROTECTED);
  readonly #sketch: FrequencySketch;
  readonly #adaptive: WindowStrategy;
  readonly #configuredEntries: number;
  readonly #configuredBytes: number;
  #maxEntries: number;
  #maxBytes: number;
  readonly #sizeOf: ((value: Stored, key: K) => number) | undefined;
  readonly #dispose: Dispose<K> | undefined;
  readonly #metrics: TinyLfuMetricHandles;
  /** Whether a read must go through lru-cache's `get` (it refreshes the entry's age). */
  readonly #readsRefreshAge: boolean;
  /** Whether a miss should ask lru-cache's `get` to remove a stale entry (it keeps them otherwise). */
  readonly #missRemovesStale: boolean;

  #windowEntries = 1;
  #windowBytes = 0;
  #protectedEntries = 0;
  #protectedBytes = 0;
  #incoming: PolicyNode<K> | undefined;
  #evicting = false;
  #random = 0x2545f491;
  #admitted = 0;
  #rejected = 0;

  /**
   * @param options - the lru-cache options the cache would use for an LRU store (bounds, TTL,
   *   clock, dispose); the bounds become the policy's
   * @param metrics - where admissions and sketch resets are counted
   * @param windowStrategy - sizes the admission window, for a capacity
   */
  constructor(
    options: LRUCache.Options<K, Stored, unknown>,
    metrics: TinyLfuMetricHandles,
    windowStrategy: (capacity: number) => WindowStrategy = (capacity) =>
      new AdaptiveWindow(capacity),
  ) {
    const { max = 0, maxSize = 0, sizeCalculation, dispose, ...rest } = options;
    this.#maxEntries = this.#configuredEntries = max;
    this.#maxBytes = this.#configuredBytes = maxSize;
    this.#sizeOf = sizeCalculation;
    this.#dispose = dispose;
    this.#metrics = metrics;
    this.#readsRefreshAge = rest.updateAgeOnGet === true;
    this.#missRemovesStale = !this.#readsRefreshAge && rest.noDeleteOnStaleGet !== true;
    this.#sketch = new FrequencySketch(max > 0 ? max : 0, () => metrics.sketchReset.inc());
    this.#lru = new LRUCache<K, PolicyNode<K>>({
      ...rest,
      ...(max > 0 ? { max: max + 1 } : {}),
      ...(maxSize > 0
        ? { maxSize: Number.MAX_SAFE_INTEGER, sizeCalculation: (node: PolicyNode<K>) => node.size }
        : {}),
      noDisposeOnSet: false,
      dispose: (node: PolicyNode<K>, key: K, reason: LRUCache.DisposeReason) =>
        this.#onDispose(node, key, reason),
    } as LRUCache.Options<K, PolicyNode<K>, unknown>);
    this.#adaptive = windowStrategy(this.#sketch.capacity);
    this.#resize();
  }

  /** @returns entries held, stale ones included */
  get size(): number {
    return this.#lru.size;
  }

  /** @returns bytes held when the cache tracks bytes, otherwise 0 */
  get calculatedSize(): number {
    return this.#lru.calculatedSize;
  }

  /**
   * A hit only bumps the entry's hit count: the policy keeps its own order, so lru-cache's recency
   * list is not touched (a `peek`, which skips its relinking); a miss or a stale entry goes through
   * lru-cache's `get`, which removes the stale entry as an LRU cache would.
   * @param key - the key
   * @returns its fresh value
   */
  get(key: K): Stored | undefined {
    const node = this.#readsRefreshAge ? this.#lru.get(key) : this.#lru.peek(key);
    if (node === undefined) return this.#missRemovesStale ? this.#lru.get(key)?.value : undefined;
    if (node.hits < 15) node.hits++;
    return node.value;
  }

  /**
   * @param key - the key
   * @param options - `allowStale` to see a stale value
   * @returns its value, without recording an access
   */
  peek(key: K, options?: { allowStale?: boolean }): Stored | undefined {
    return this.#lru.peek(key, options)?.value;
  }

  /**
   * @param key - the key
   * @returns whether it has a fresh value
   */
  has(key: K): boolean {
    return this.#lru.has(key);
  }

  /**
   * Stores a value. A new key enters the window (an access for the sketch); a new value for a
   * present key keeps its place and counts as a hit. Then entries over the bounds are evicted.
   * @param key - the key
   * @param value - the value
   * @param options - its TTL and size in bytes
   * @returns this store
   */
  set(key: K, value: Stored, options?: { ttl?: number; size?: number }): this {
    const size =
      this.#maxBytes === 0
        ? 0
        : (options?.size ?? (this.#sizeOf === undefined ? 1 : this.#sizeOf(value, key)));
    const node = new PolicyNode(key, value, 0, size);
    this.#incoming = node;
    try {
      this.#lru.set(key, node, options);
    } finally {
      this.#incoming = undefined;
    }
    if (node.region === DETACHED) {
      // A new key (a present one took its predecessor's place in #onDispose).
      node.hash = hashKey(key);
      if (this.#adaptive.missed(node.hash)) this.#resize();
      this.#sketch.increment(node.hash);
      this.#window.push(node);
      if (this.#maxEntries === 0 && this.#sketch.ensureCapacity(this.#lru.size)) {
        this.#adaptive.resize(this.#sketch.capacity);
      }
    }
    this.#evict();
    return this;
  }

  /**
   * @param key - the key
   * @returns whether an entry was removed
   */
  delete(key: K): boolean {
    return this.#lru.delete(key);
  }

  /** Removes every entry; the frequency history stays. */
  clear(): void {
    this.#lru.clear();
  }

  /**
   * Removes the entry the policy would evict next: the main region's victim, else the window's
   * oldest entry.
   * @returns its value
   */
  pop(): Stored | undefined {
    const victim = this.#victim() ?? this.#window.last;
    if (victim === undefined) return this.#lru.pop()?.value;
    this.#remove(victim);
    return victim.value;
  }

  /**
   * Bounds the policy below its configured capacity (a memory budget's `resize`), or back up to it
   * (`Infinity`). The regions are re-derived from the new bounds: the window's overflow moves to
   * probation with its hit counts, so the entries read since they arrived are the ones promoted
   * and the unread ones are the next victims. Nothing is evicted here — the cache pops what is
   * over (the policy's victims) — and later writes evict, with admission, to stay within.
   * @param maxEntries - the entry bound (≥ 1 is kept), or `Infinity` for the configured one
   * @param maxBytes - the byte bound, or `Infinity` for the configured one
   */
  limit(maxEntries: number, maxBytes: number): void {
    const entries = lowered(this.#configuredEntries, maxEntries);
    const bytes = lowered(this.#configuredBytes, maxBytes);
    if (entries === this.#maxEntries && bytes === this.#maxBytes) return;
    this.#maxEntries = entries;
    this.#maxBytes = bytes;
    this.#resize();
    while (this.#windowOverflows()) {
      const node = this.#window.last as PolicyNode<K>;
      this.#window.remove(node);
      this.#probation.push(node);
    }
  }

  /** @returns keys of fresh entries, most recently written first (reads do not reorder them) */
  keys(): Generator<K, void, unknown> {
    return this.#lru.keys();
  }

  /** @returns fresh entries, most recently written first (reads do not reorder them) */
  *entries(): Generator<[K, Stored], void, unknown> {
    for (const [key, node] of this.#lru.entries()) yield [key, node.value];
  }

  /** @returns every entry, stale ones included */
  dump(): [K, unknown][] {
    return this.#lru.dump();
  }

  /**
   * @param key - the key
   * @returns milliseconds until it expires (negative once stale)
   */
  getRemainingTTL(key: K): number {
    return this.#lru.getRemainingTTL(key);
  }

  /** @returns whether stale entries were removed */
  purgeStale(): boolean {
    return this.#lru.purgeStale();
  }

  /** @returns the policy's counters */
  stats(): TinyLfuStats {
    return {
      windowEntries: this.#window.count,
      windowRatio: this.#adaptive.ratio,
      probationEntries: this.#probation.count,
      protectedEntries: this.#protected.count,
      admissionsAccepted: this.#admitted,
      admissionsRejected: this.#rejected,
      sketchResets: this.#sketch.resets,
      windowAdjustments: this.#adaptive.adjustments,
      sketchBytes: this.#sketch.bytes + this.#adaptive.bytes,
    };
  }

  /** Tells the sketch about an entry's hits since the policy last looked at it. */
  #flush(node: PolicyNode<K>): void {
    this.#sketch.increment(node.hash, node.hits);
    node.hits = 0;
  }

  /**
   * Keeps protected within its share: its least recently placed entry drops to probation, unless it
   * was hit since the policy last looked at it (then it goes to the front: a second chance).
   */
  #demoteOverflow(): void {
    const list = this.#protected;
    while (
      (this.#maxEntries > 0 && list.count > this.#protectedEntries) ||
      (this.#maxBytes > 0 && list.bytes > this.#protectedBytes)
    ) {
      const last = list.last as PolicyNode<K>;
      if (last.hits > 0) {
        this.#flush(last);
        list.touch(last);
        continue;
      }
      list.remove(last);
      this.#probation.push(last);
    }
  }

  /**
   * The main region's victim: probation's least recently placed entry that was not hit since it got
   * there (one that was is promoted to protected on the way), else protected's last.
   */
  #victim(): PolicyNode<K> | undefined {
    const probation = this.#probation;
    for (let node = probation.last; node !== undefined; node = probation.last) {
      if (node.hits === 0) return node;
      this.#flush(node);
      probation.remove(node);
      this.#protected.push(node);
      this.#demoteOverflow();
    }
    const last = this.#protected.last;
    if (last !== undefined) this.#flush(last);
    return last;
  }

  #list(region: Region): AccessOrderList<K> {
    return region === WINDOW
      ? this.#window
      : region === PROBATION
        ? this.#probation
        : this.#protected;
  }

  #onDispose(node: PolicyNode<K>, key: K, reason: LRUCache.DisposeReason): void {
    if (reason === "set") {
      // A new value for a present key: the new node takes the old one's place and history.
      const fresh = this.#incoming as PolicyNode<K>;
      fresh.hash = node.hash;
      fresh.hits = node.hits < 15 ? node.hits + 1 : 15;
      if (node.region !== DETACHED) this.#list(node.region).replace(node, fresh);
      return;
    }
    if (node.region !== DETACHED) this.#list(node.region).remove(node);
    this.#dispose?.(node.value, key, this.#evicting ? "evict" : reason);
  }

  /** Whether the window holds more than its share of a bound. */
  #windowOverflows(): boolean {
    const window = this.#window;
    return (
      (this.#maxEntries > 0 && window.count > this.#windowEntries) ||
      (this.#maxBytes > 0 && window.bytes > this.#windowBytes)
    );
  }

  #over(): boolean {
    return (
      (this.#maxEntries > 0 && this.#lru.size > this.#maxEntries) ||
      (this.#maxBytes > 0 && this.#lru.calculatedSize > this.#maxBytes)
    );
  }

  /**
   * Moves the window's overflow (oldest first) towards the main region. While the cache is over a
   * bound, each such candidate competes with the main region's victim: the one the sketch rates
   * less popular is evicted. Then, if still over (the window grew, or a value grew), the main region
   * shrinks from its victim end.
   */
  #evict(): void {
    const window = this.#window;
    // The window holds at least one entry, so with an entry bound the newest entry stays; with a
    // byte bound an entry larger than the window's share competes at once, as in Caffeine.
    while (this.#windowOverflows()) {
      const candidate = window.last as PolicyNode<K>;
      window.remove(candidate);
      this.#flush(candidate);
      if (this.#contest(candidate)) this.#probation.push(candidate);
    }
    while (this.#over()) {
      const victim = this.#victim() ?? window.last;
      if (victim === undefined) return;
      if (victim.region === WINDOW) this.#adaptive.refused(victim.hash);
      else this.#adaptive.dropped(victim.hash);
      this.#remove(victim);
    }
  }

  /**
   * Makes room for a candidate leaving the window, while the cache is over a bound.
   * @returns whether the candidate stays (it was evicted otherwise)
   */
  #contest(candidate: PolicyNode<K>): boolean {
    while (this.#over()) {
      const victim = this.#victim();
      if (victim === undefined || !this.#admit(candidate, victim)) {
        if (victim !== undefined) {
          this.#rejected++;
          this.#metrics.rejected.inc();
        }
        this.#adaptive.refused(candidate.hash);
        this.#remove(candidate);
        return false;
      }
      this.#admitted++;
      this.#metrics.admitted.inc();
      this.#adaptive.dropped(victim.hash);
      this.#remove(victim);
    }
    return true;
  }

  /** Whether `candidate` should replace `victim`. */
  #admit(candidate: PolicyNode<K>, victim: PolicyNode<K>): boolean {
    const candidateFrequency = this.#sketch.frequency(candidate.hash);
    if (candidateFrequency > this.#sketch.frequency(victim.hash)) return true;
    if (candidateFrequency < WARM_CANDIDATE) return false;
    // xorshift32: deterministic, so a run replays exactly.
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x;
    return (x & 127) === 0;
  }

  #remove(node: PolicyNode<K>): void {
    this.#evicting = true;
    try {
      this.#lru.delete(node.key);
    } finally {
      this.#evicting = false;
    }
  }

  /**
   * Derives the regions' limits from the bounds and the window's share. A wider window takes the
   * main region's least recently placed entries (they compete again when they leave it), so moving
   * the border never evicts anything by itself.
   */
  #resize(): void {
    const ratio = this.#adaptive.ratio;
    const windowEntries = Math.max(1, Math.floor(this.#maxEntries * ratio));
    this.#windowEntries = windowEntries;
    this.#protectedEntries = Math.floor((this.#maxEntries - windowEntries) * PROTECTED_SHARE);
    this.#windowBytes = Math.floor(this.#maxBytes * ratio);
    this.#protectedBytes = Math.floor((this.#maxBytes - this.#windowBytes) * PROTECTED_SHARE);
    const window = this.#window;
    while (
      (this.#maxEntries === 0 || window.count < windowEntries) &&
      (this.#maxBytes === 0 || window.bytes < this.#windowBytes)
    ) {
      const node = this.#probation.last ?? this.#protected.last;
      if (node === undefined) break;
      this.#list(node.region).remove(node);
      window.push(node);
    }
    this.#demoteOverflow();
  }
}
