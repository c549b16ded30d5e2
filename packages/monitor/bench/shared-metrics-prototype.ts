// Bench-only prototype of a SharedArrayBuffer report path for worker threads (issue 22), built just
// far enough to measure it against today's postMessage of a snapshot (worker-threads.bench.ts).
// A worker's counters and histogram buckets live as Float64 slots in fixed-size
// SharedArrayBuffers that only that worker writes (plain stores: one writer per slot, so no Atomics —
// which do not exist for Float64Array anyway); each new series is announced to the primary once by
// a layout message; the primary reads the slots at scrape time into an ordinary MetricsReport.
import type { MetricsReport, ReportedMetric } from "@perflayer/monitor";

export const LAYOUT_KIND = "perflayer.shared-layout/0";

/** One series' place in the buffer: counters 1 slot, histograms buckets + 1 (+Inf) + 1 (sum). */
interface LayoutEntry {
  readonly type: "counter" | "histogram";
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  readonly labelValues: readonly string[];
  /** Which of the worker's buffers, in the order they were announced. */
  readonly chunk: number;
  readonly offset: number;
}

/** What the worker posts when it starts (with the buffer) and when it adds series. */
export interface LayoutMessage {
  readonly kind: typeof LAYOUT_KIND;
  readonly buffer: SharedArrayBuffer | undefined;
  readonly entries: readonly LayoutEntry[];
}

export const isLayoutMessage = (m: unknown): m is LayoutMessage =>
  typeof m === "object" && m !== null && (m as { kind?: unknown }).kind === LAYOUT_KIND;

/** Slots per buffer. A growable SharedArrayBuffer would need a length-tracking view, and V8 (Node
 * 20) writes through one ~10× slower than through a fixed one (97 vs 8 ns a store, measured): so
 * fixed buffers, a new one announced when one is full. */
const CHUNK_SLOTS = 4_096;

// Slot 0 of the first buffer: the worker's Date.now() at its last timer tick — what a built path
// would judge staleness by (the prototype only writes it, to measure the worker's periodic cost).
const HEARTBEAT = 0;

/** The worker side: allocates slots, hands out bound handles, announces series. */
export class SharedWriter {
  readonly #post: (message: LayoutMessage) => void;
  readonly #chunks: Float64Array[] = [];
  #used = CHUNK_SLOTS;

  constructor(post: (message: LayoutMessage) => void) {
    this.#post = post;
    this.#allocate(undefined, 1); // the heartbeat
  }

  heartbeat(now: number): void {
    (this.#chunks[0] as Float64Array)[HEARTBEAT] = now;
  }

  #allocate(
    entry: Omit<LayoutEntry, "offset" | "chunk"> | undefined,
    width: number,
  ): { f64: Float64Array; at: number } {
    let buffer: SharedArrayBuffer | undefined;
    if (this.#used + width > CHUNK_SLOTS) {
      buffer = new SharedArrayBuffer(CHUNK_SLOTS * 8);
      this.#chunks.push(new Float64Array(buffer));
      this.#used = 0;
    }
    const at = this.#used;
    this.#used += width;
    const chunk = this.#chunks.length - 1;
    const entries = entry === undefined ? [] : [{ ...entry, chunk, offset: at }];
    if (buffer !== undefined || entries.length > 0)
      this.#post({ kind: LAYOUT_KIND, buffer, entries });
    return { f64: this.#chunks[chunk] as Float64Array, at };
  }

  counter(name: string, help: string, labelNames: readonly string[], labelValues: string[]) {
    const { f64, at } = this.#allocate(
      { type: "counter", name, help, labelNames, buckets: [], labelValues },
      1,
    );
    return {
      inc(value = 1): void {
        if (!(value >= 0) || value === Infinity) throw new RangeError(`bad increment ${value}`);
        f64[at] = (f64[at] as number) + value;
      },
    };
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets: readonly number[],
    labelValues: string[],
  ) {
    const { f64, at } = this.#allocate(
      { type: "histogram", name, help, labelNames, buckets, labelValues },
      buckets.length + 2,
    );
    const bounds = Float64Array.from(buckets);
    const sumAt = at + buckets.length + 1;
    return {
      observe(value: number): void {
        if (!Number.isFinite(value)) throw new RangeError(`bad observation ${value}`);
        // The same search as the monitor's histograms, so the benchmark compares only the storage.
        let lo = 0;
        let hi = bounds.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (value > (bounds[mid] as number)) lo = mid + 1;
          else hi = mid;
        }
        f64[at + lo] = (f64[at + lo] as number) + 1;
        f64[sumAt] = (f64[sumAt] as number) + value;
      },
    };
  }
}

/** The primary side: each worker's buffers and layout, read into a MetricsReport on demand. */
export class SharedReader {
  readonly #workers = new Map<
    string,
    { chunks: Float64Array[]; metrics: Map<string, { head: LayoutEntry; rows: LayoutEntry[] }> }
  >();

  receive(worker: string, message: LayoutMessage): void {
    let state = this.#workers.get(worker);
    if (state === undefined)
      this.#workers.set(worker, (state = { chunks: [], metrics: new Map() }));
    if (message.buffer !== undefined) state.chunks.push(new Float64Array(message.buffer));
    for (const entry of message.entries) {
      let metric = state.metrics.get(entry.name);
      if (metric === undefined) state.metrics.set(entry.name, (metric = { head: entry, rows: [] }));
      metric.rows.push(entry);
    }
  }

  /** What the worker's slots hold now, as the report its MetricsReporter would have sent. */
  report(worker: string): MetricsReport {
    const state = this.#workers.get(worker);
    const metrics: ReportedMetric[] = [];
    if (state !== undefined) {
      const chunks = state.chunks;
      for (const { head, rows } of state.metrics.values()) {
        const base = { name: head.name, help: head.help, labelNames: head.labelNames };
        if (head.type === "counter") {
          const series = rows.map(
            (r) => [r.labelValues, (chunks[r.chunk] as Float64Array)[r.offset] as number] as const,
          );
          metrics.push({ type: "counter", ...base, series });
        } else {
          const width = head.buckets.length + 1;
          const series = rows.map((r) => {
            const f64 = chunks[r.chunk] as Float64Array;
            const counts: number[] = [];
            for (let i = 0; i < width; i++) counts.push(f64[r.offset + i] as number);
            return [r.labelValues, counts, f64[r.offset + width] as number] as const;
          });
          metrics.push({ type: "histogram", ...base, buckets: head.buckets, series });
        }
      }
    }
    return { kind: "perflayer.metrics/1", metrics };
  }
}
