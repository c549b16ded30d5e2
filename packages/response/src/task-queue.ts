/** What the queue needs of an entry. */
export interface QueueEntry {
  /** Integer priority; higher is served first (aging raises it). */
  priority: number;
  /** Clock time of enqueue. */
  readonly enqueuedAt: number;
  /** Set when the entry left the queue out of order (aborted, expired, shed): skipped on dequeue. */
  removed: boolean;
}

class Bucket<T extends QueueEntry> {
  readonly items: (T | undefined)[] = [];
  head = 0;
  live = 0;

  constructor(readonly priority: number) {}

  push(item: T): void {
    this.items.push(item);
    this.live++;
  }

  /** Oldest live entry (FIFO). */
  shift(): T | undefined {
    const items = this.items;
    while (this.head < items.length) {
      const item = items[this.head];
      items[this.head++] = undefined;
      if (item !== undefined && !item.removed) {
        this.live--;
        this.#compact();
        return item;
      }
    }
    return undefined;
  }

  /** Newest live entry (LIFO). */
  pop(): T | undefined {
    const items = this.items;
    while (items.length > this.head) {
      const item = items.pop();
      if (item !== undefined && !item.removed) {
        this.live--;
        return item;
      }
    }
    return undefined;
  }

  /** Oldest live entry without removing it. */
  peek(): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item !== undefined && !item.removed) return item;
    }
    return undefined;
  }

  #compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * A priority queue of FIFO buckets, one per distinct priority: O(1) enqueue and dequeue at any depth
 * (a new priority level costs O(levels) once). Entries removed out of order are tombstoned and
 * skipped, so abort and expiry are O(1) too.
 */
export class TaskQueue<T extends QueueEntry> {
  readonly #buckets = new Map<number, Bucket<T>>();
  /** Buckets sorted by priority, highest first. */
  readonly #order: Bucket<T>[] = [];
  #size = 0;

  /** @returns live entries */
  get size(): number {
    return this.#size;
  }

  /** @param entry - appended at the back of its priority's bucket */
  push(entry: T): void {
    let bucket = this.#buckets.get(entry.priority);
    if (bucket === undefined) {
      bucket = new Bucket<T>(entry.priority);
      this.#buckets.set(entry.priority, bucket);
      let i = 0;
      while (i < this.#order.length && (this.#order[i] as Bucket<T>).priority > entry.priority) i++;
      this.#order.splice(i, 0, bucket);
    }
    bucket.push(entry);
    this.#size++;
  }

  /**
   * Takes the next entry: highest priority first; within it the oldest, or the newest when `lifo`.
   * @param lifo - serve newest first (adaptive LIFO under a standing queue)
   * @returns the entry, or undefined when empty
   */
  shift(lifo = false): T | undefined {
    if (this.#size === 0) return undefined;
    for (const bucket of this.#order) {
      if (bucket.live === 0) continue;
      const entry = lifo ? bucket.pop() : bucket.shift();
      if (entry !== undefined) {
        this.#size--;
        return entry;
      }
    }
    return undefined;
  }

  /**
   * Marks an entry removed (it must be in the queue and not removed yet).
   * @param entry - the entry
   */
  remove(entry: T): void {
    entry.removed = true;
    const bucket = this.#buckets.get(entry.priority);
    if (bucket !== undefined) bucket.live--;
    this.#size--;
  }

  /**
   * @param priority - a priority
   * @returns whether any live entry has a lower priority
   */
  hasBelow(priority: number): boolean {
    for (let i = this.#order.length - 1; i >= 0; i--) {
      const bucket = this.#order[i] as Bucket<T>;
      if (bucket.priority >= priority) return false;
      if (bucket.live > 0) return true;
    }
    return false;
  }

  /** @returns the lowest-priority, newest live entry: the first to shed */
  lowest(): T | undefined {
    for (let i = this.#order.length - 1; i >= 0; i--) {
      const bucket = this.#order[i] as Bucket<T>;
      if (bucket.live === 0) continue;
      for (let j = bucket.items.length - 1; j >= bucket.head; j--) {
        const item = bucket.items[j];
        if (item !== undefined && !item.removed) return item;
      }
    }
    return undefined;
  }

  /**
   * Aging: entries enqueued at or before `cutoff` gain `step` priority (up to `cap`), so low
   * priority cannot starve forever; called once per aging period, an entry climbs a level per period.
   * @param cutoff - clock time
   * @param step - priority gained per call
   * @param cap - highest priority aging reaches
   * @returns how many were promoted
   */
  age(cutoff: number, step: number, cap: number): number {
    let moved = 0;
    for (const bucket of [...this.#order]) {
      if (bucket.priority >= cap) continue;
      const to = Math.min(cap, bucket.priority + step);
      for (
        let entry = bucket.peek();
        entry !== undefined && entry.enqueuedAt <= cutoff;
        entry = bucket.peek()
      ) {
        bucket.shift();
        this.#size--;
        entry.priority = to;
        this.push(entry);
        moved++;
      }
    }
    return moved;
  }

  /**
   * Removes and returns every live entry.
   * @returns the entries, highest priority first
   */
  drain(): T[] {
    const all: T[] = [];
    for (let entry = this.shift(); entry !== undefined; entry = this.shift()) all.push(entry);
    return all;
  }
}
