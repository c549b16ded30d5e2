import { setTimeout as sleep } from "node:timers/promises";

/** A product of the catalogue. */
export interface Product {
  readonly id: number;
  readonly name: string;
  readonly priceCents: number;
}

/** A user profile. */
export interface User {
  readonly id: number;
  readonly name: string;
  readonly favourites: readonly number[];
}

/** Thrown by the backend for ids that do not exist. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** Options of {@link Backend}. */
export interface BackendOptions {
  /** Time one query holds a connection, in ms. @defaultValue 30 */
  readonly latencyMs?: number;
  /** Connections: queries beyond this wait, as they would for a real database pool. @defaultValue 4 */
  readonly connections?: number;
  /** Products with ids 1..products exist. @defaultValue 5000 */
  readonly products?: number;
  /** Users with ids 1..users exist. @defaultValue 1000 */
  readonly users?: number;
}

/**
 * The slow backend both example services sit in front of: an in-process stand-in for a database
 * with a small connection pool and a few milliseconds per query. Load on it queues, as load on a
 * real one does, so duplicated queries cost every caller time.
 */
export class Backend {
  /** Queries served. */
  queries = 0;
  #latencyMs: number;
  readonly #connections: number;
  readonly #products: number;
  readonly #users: number;
  #busy = 0;
  readonly #waiting: (() => void)[] = [];
  #held: Promise<void> | undefined;

  constructor(options: BackendOptions = {}) {
    this.#latencyMs = options.latencyMs ?? 30;
    this.#connections = options.connections ?? 4;
    this.#products = options.products ?? 5000;
    this.#users = options.users ?? 1000;
  }

  /** @returns the product, or rejects with {@link NotFoundError} */
  async product(id: number): Promise<Product> {
    await this.#query();
    if (!(id >= 1 && id <= this.#products)) throw new NotFoundError(`product ${id}`);
    return { id, name: `product ${id}`, priceCents: 100 + ((id * 7919) % 10_000) };
  }

  /** @returns the user, or rejects with {@link NotFoundError} */
  async user(id: number): Promise<User> {
    await this.#query();
    if (!(id >= 1 && id <= this.#users)) throw new NotFoundError(`user ${id}`);
    return {
      id,
      name: `user ${id}`,
      favourites: [1, 2, 3].map((k) => ((id * 31 + k * 17) % this.#products) + 1),
    };
  }

  /**
   * Changes the time each query from now on holds a connection (running queries keep theirs):
   * scenarios use it to slow the backend down and let it recover.
   * @param ms - the new time per query, in ms (>= 0)
   */
  setLatency(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0))
      throw new RangeError(
        `Expected \`ms\` to be a number >= 0, got \`${String(ms)}\` (${typeof ms}).`,
      );
    this.#latencyMs = ms;
  }

  /**
   * Holds every query, running or new, until the returned function is called: tests use it to make
   * requests overlap for certain, whatever the machine's speed.
   * @returns releases the held queries
   */
  hold(): () => void {
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    this.#held = held;
    return () => {
      if (this.#held === held) this.#held = undefined;
      release();
    };
  }

  async #query(): Promise<void> {
    this.queries += 1;
    if (this.#busy >= this.#connections) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#busy += 1;
    }
    try {
      await sleep(this.#latencyMs);
      if (this.#held !== undefined) await this.#held;
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#busy -= 1;
      else next(); // hand the connection over
    }
  }
}
