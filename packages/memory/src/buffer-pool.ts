import { constants } from "node:buffer";
import {
  PerflayerError,
  assertInteger,
  assertKnownKeys,
  invalid,
  noopInstrumentation,
} from "@perflayer/core";
import type { Instrumentation, Reclaimer } from "@perflayer/core";
import { bindPoolGauges } from "./pool-gauges.js";
import { assertPoolName, assertTargetBytes, optionalBoolean } from "./pool-validation.js";

/** Options of {@link BufferPool}. */
export interface BufferPoolOptions {
  /** A stable, low-cardinality name (metric label, reclaimer name). */
  readonly name: string;
  /**
   * Buffer sizes kept, ascending; `take(n)` serves from the smallest class ≥ n.
   * @defaultValue [1_024, 4_096, 16_384, 65_536]
   */
  readonly sizeClasses?: readonly number[];
  /**
   * Idle buffers kept per size class; more released buffers are dropped for the GC.
   * @defaultValue 64
   */
  readonly maxIdlePerClass?: number;
  /**
   * Zero released buffers, so one request's bytes never reach the next. Turn off only for data
   * that is always fully overwritten before it is read.
   * @defaultValue true
   */
  readonly zeroFill?: boolean;
  /** Reports `perflayer_memory_pool_objects{pool,state}`. @defaultValue `noopInstrumentation` */
  readonly instrumentation?: Instrumentation;
}

const KNOWN: readonly string[] = [
  "name",
  "sizeClasses",
  "maxIdlePerClass",
  "zeroFill",
  "instrumentation",
];

/**
 * Reusable Buffers in size classes. Each pooled buffer owns its memory (`allocUnsafeSlow`, not a
 * slice of Node's shared slab), so releasing one never pins unrelated data. Sizes above the largest
 * class are allocated plainly and not pooled. Double and foreign releases are errors. Under memory
 * pressure idle buffers are dropped, largest first (it is a `Reclaimer`).
 *
 * @example
 * ```ts
 * const buffers = new BufferPool({ name: "io" });
 * const chunk = buffers.take(3_000); // a 3,000-byte view of a pooled 4 KiB buffer
 * // … fill and send it …
 * buffers.release(chunk);
 * ```
 */
export class BufferPool implements Reclaimer {
  /** The pool's name. */
  readonly name: string;
  /** The size classes. */
  readonly sizeClasses: readonly number[];
  readonly #maxIdle: number;
  readonly #zeroFill: boolean;
  readonly #free: Buffer[][];
  readonly #meta = new WeakMap<
    ArrayBufferLike,
    { readonly index: number; readonly whole: Buffer }
  >();
  readonly #inUse = new WeakSet<ArrayBufferLike>();
  #inUseCount = 0;
  #inUseBytes = 0;

  /** @param options - name, size classes, idle bound and zero-fill */
  constructor(options: BufferPoolOptions) {
    assertKnownKeys(options, KNOWN, "new BufferPool()");
    const name = assertPoolName(options.name, "new BufferPool()", "io");
    const context = `BufferPool "${name}"`;
    const given: unknown = options.sizeClasses ?? [1_024, 4_096, 16_384, 65_536];
    const classes: readonly number[] = Array.isArray(given) ? (given as readonly number[]) : [];
    if (
      classes.length === 0 ||
      classes.some(
        (size, i) =>
          !Number.isInteger(size) ||
          size < 1 ||
          size > constants.MAX_LENGTH ||
          (i > 0 && size <= (classes[i - 1] as number)),
      )
    ) {
      throw invalid({
        name: "sizeClasses",
        expected: `a non-empty array of ascending integers from 1 to ${constants.MAX_LENGTH}`,
        got: given,
        fix: "Pass e.g. { sizeClasses: [4096, 65536] }.",
        context,
      });
    }
    this.name = name;
    this.sizeClasses = Object.freeze([...classes]);
    this.#maxIdle = assertInteger(options.maxIdlePerClass ?? 64, {
      name: "maxIdlePerClass",
      min: 0,
      context,
    });
    this.#zeroFill = optionalBoolean(options.zeroFill, "zeroFill", true, context);
    this.#free = classes.map(() => []);
    bindPoolGauges(options.instrumentation ?? noopInstrumentation, this.name, () => ({
      idle: this.idle,
      inUse: this.#inUseCount,
    }));
  }

  /** @returns idle buffers over all classes */
  get idle(): number {
    return this.#free.reduce((sum, list) => sum + list.length, 0);
  }

  /** @returns pooled buffers taken and not yet released */
  get inUse(): number {
    return this.#inUseCount;
  }

  /**
   * Takes a buffer of exactly `size` bytes (a view of a pooled buffer of its size class).
   * Zeroed when `zeroFill` is on (the default) — like `Buffer.alloc`.
   * @param size - bytes needed (>= 0, at most `buffer.constants.MAX_LENGTH`)
   * @returns the buffer; give it back with `release()`
   */
  take(size: number): Buffer {
    if (!Number.isInteger(size) || size < 0 || size > constants.MAX_LENGTH) {
      throw invalid(
        {
          name: "size",
          expected: `an integer >= 0 and <= ${constants.MAX_LENGTH} (buffer.constants.MAX_LENGTH)`,
          got: size,
          fix: "Ask for the bytes one buffer holds; stream or split larger data.",
          context: `BufferPool "${this.name}".take()`,
        },
        "ERR_INVALID_ARGUMENT",
      );
    }
    const classes = this.sizeClasses;
    let index = 0;
    while (index < classes.length && (classes[index] as number) < size) index++;
    if (index === classes.length) return Buffer.alloc(size); // above the largest class: not pooled
    const classSize = classes[index] as number;
    let buffer = (this.#free[index] as Buffer[]).pop();
    if (buffer === undefined) {
      buffer = Buffer.allocUnsafeSlow(classSize);
      if (this.#zeroFill) buffer.fill(0);
      this.#meta.set(buffer.buffer, { index, whole: buffer });
    }
    this.#inUse.add(buffer.buffer);
    this.#inUseCount++;
    this.#inUseBytes += classSize;
    return size === classSize ? buffer : buffer.subarray(0, size);
  }

  /**
   * Returns a buffer from `take()`.
   * @param buffer - the buffer (or the view `take()` returned)
   * @throws PerflayerError `ERR_POOL_RELEASE` on a second release or a buffer not from this pool
   */
  release(buffer: Buffer): void {
    if (!Buffer.isBuffer(buffer)) {
      throw invalid(
        {
          name: "buffer",
          expected: "a Buffer from take()",
          got: buffer,
          context: `BufferPool "${this.name}".release()`,
        },
        "ERR_INVALID_ARGUMENT",
      );
    }
    const memory = buffer.buffer;
    const meta = this.#meta.get(memory);
    if (meta === undefined || !this.#inUse.delete(memory)) {
      if (meta === undefined && buffer.byteLength > (this.sizeClasses.at(-1) as number)) return; // an unpooled large buffer
      throw new PerflayerError(
        "ERR_POOL_RELEASE",
        `BufferPool "${this.name}": release() of a buffer that is not taken from this pool — released twice, or allocated elsewhere. Release each taken buffer exactly once.`,
      );
    }
    this.#inUseCount--;
    this.#inUseBytes -= this.sizeClasses[meta.index] as number;
    const free = this.#free[meta.index] as Buffer[];
    if (free.length >= this.#maxIdle) return;
    if (this.#zeroFill) meta.whole.fill(0);
    free.push(meta.whole);
  }

  /** @returns bytes of pooled buffers taken and not yet released: held, but not reclaimable */
  inUseBytes(): number {
    return this.#inUseBytes;
  }

  /** @returns bytes held idle in the pool: what it could give back */
  estimatedBytes(): number {
    return this.#free.reduce(
      (sum, list, i) => sum + list.length * (this.sizeClasses[i] as number),
      0,
    );
  }

  /**
   * Drops idle buffers, largest class first, until about `targetBytes` are freed.
   * @param targetBytes - bytes wanted back
   * @returns bytes freed
   */
  reclaim(targetBytes: number): number {
    assertTargetBytes(targetBytes, `BufferPool "${this.name}".reclaim()`);
    let freed = 0;
    for (let i = this.#free.length - 1; i >= 0 && freed < targetBytes; i--) {
      const list = this.#free[i] as Buffer[];
      while (list.length > 0 && freed < targetBytes) {
        list.pop();
        freed += this.sizeClasses[i] as number;
      }
    }
    return freed;
  }
}
