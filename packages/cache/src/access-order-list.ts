type Stored = NonNullable<unknown>;

/**
 * Which region of the W-TinyLFU policy a node is in: 0 detached, then {@link WINDOW},
 * {@link PROBATION}, {@link PROTECTED}.
 */
export type Region = 0 | 1 | 2 | 3;
/** Not in any region (removed, or not yet placed). */
export const DETACHED = 0;
/** The admission window: new entries, in LRU order. */
export const WINDOW = 1;
/** The main region's probation segment: admitted entries not yet hit there. */
export const PROBATION = 2;
/** The main region's protected segment: entries hit while on probation. */
export const PROTECTED = 3;

/**
 * One entry as the policy sees it: what lru-cache stores for a W-TinyLFU cache. The node carries
 * the value, so a hit finds its policy state in the same lookup that finds the value.
 * @internal
 */
export class PolicyNode<K> {
  /** The key (to delete it from the store when it is evicted). */
  readonly key: K;
  /** The cached value. */
  value: Stored;
  /** The key's hash for the frequency sketch. */
  hash: number;
  /** The entry's weight in bytes (1 when the cache does not track bytes). */
  size: number;
  /**
   * Hits since the policy last looked at the entry (saturating at 15). A hit only bumps this; the
   * policy moves the entry and tells the frequency sketch when it next considers the entry.
   */
  hits = 0;
  /** The region holding it. */
  region: Region = DETACHED;
  /** The neighbour towards the most recently used end. */
  prev: PolicyNode<K>;
  /** The neighbour towards the least recently used end. */
  next: PolicyNode<K>;

  /**
   * @param key - the key
   * @param value - the value
   * @param hash - the key's hash
   * @param size - its weight in bytes
   */
  constructor(key: K, value: Stored, hash: number, size: number) {
    this.key = key;
    this.value = value;
    this.hash = hash;
    this.size = size;
    this.prev = this;
    this.next = this;
  }
}

/**
 * A region's entries in order (a circular doubly linked list around a sentinel: the most recently
 * placed first), with their count and bytes.
 * @internal
 */
export class AccessOrderList<K> {
  /** The region its nodes are marked with. */
  readonly region: Region;
  /** Entries in the list. */
  count = 0;
  /** Bytes of the entries in the list. */
  bytes = 0;
  readonly #sentinel: PolicyNode<K>;

  /** @param region - the region its nodes are marked with */
  constructor(region: Region) {
    this.region = region;
    this.#sentinel = new PolicyNode<K>(undefined as K, 0, 0, 0);
  }

  /** @returns the least recently used node, if any */
  get last(): PolicyNode<K> | undefined {
    const last = this.#sentinel.prev;
    return last === this.#sentinel ? undefined : last;
  }

  /**
   * @param node - a node of this list
   * @returns its neighbour towards the most recently used end, if any
   */
  before(node: PolicyNode<K>): PolicyNode<K> | undefined {
    return node.prev === this.#sentinel ? undefined : node.prev;
  }

  /**
   * Adds a detached node as the most recently used.
   * @param node - the node
   */
  push(node: PolicyNode<K>): void {
    const sentinel = this.#sentinel;
    const first = sentinel.next;
    node.prev = sentinel;
    node.next = first;
    first.prev = node;
    sentinel.next = node;
    node.region = this.region;
    this.count++;
    this.bytes += node.size;
  }

  /**
   * Detaches a node of this list.
   * @param node - the node
   */
  remove(node: PolicyNode<K>): void {
    node.prev.next = node.next;
    node.next.prev = node.prev;
    node.prev = node;
    node.next = node;
    node.region = DETACHED;
    this.count--;
    this.bytes -= node.size;
  }

  /**
   * Makes a node of this list the most recently used.
   * @param node - the node
   */
  touch(node: PolicyNode<K>): void {
    const sentinel = this.#sentinel;
    if (sentinel.next === node) return;
    node.prev.next = node.next;
    node.next.prev = node.prev;
    const first = sentinel.next;
    node.prev = sentinel;
    node.next = first;
    first.prev = node;
    sentinel.next = node;
  }

  /**
   * Puts `fresh` where `old` is (a new value for the same key), keeping its place.
   * @param old - a node of this list
   * @param fresh - a detached node
   */
  replace(old: PolicyNode<K>, fresh: PolicyNode<K>): void {
    fresh.prev = old.prev;
    fresh.next = old.next;
    old.prev.next = fresh;
    old.next.prev = fresh;
    fresh.region = this.region;
    this.bytes += fresh.size - old.size;
    old.prev = old;
    old.next = old;
    old.region = DETACHED;
  }

  /** Detaches every node. */
  clear(): void {
    const sentinel = this.#sentinel;
    for (let node = sentinel.next; node !== sentinel;) {
      const next = node.next;
      node.prev = node;
      node.next = node;
      node.region = DETACHED;
      node = next;
    }
    sentinel.prev = sentinel;
    sentinel.next = sentinel;
    this.count = 0;
    this.bytes = 0;
  }
}
