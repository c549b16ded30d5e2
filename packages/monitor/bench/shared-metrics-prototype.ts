// Bench-only prototype of a SharedArrayBuffer report path for worker threads (issue 22), built just
// far enough to measure it against today's postMessage of a snapshot (worker-threads.bench.ts).
// A worker's counters and histogram buckets live as Float64 slots in one growable
// SharedArrayBuffer that only that worker writes (plain stores: one writer per slot, so no Atomics —
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

/** Node ≥ 20 has growable SharedArrayBuffers; the workspace's TypeScript lib (ES2023) predates them. */
interface GrowableBuffer extends SharedArrayBuffer {
  readonly maxByteLength: number;
  grow(byteLength: number): void;
}
const Growable = SharedArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => GrowableBuffer;

const HEARTBEAT = 0; // slot 0: the worker's Date.now() at its last timer tick

/** The worker side: allocates slots, hands out bound handles, announces series. */
export class SharedWriter {
  readonly #buffer: GrowableBuffer;
  readonly #f64: Float64Array;
  readonly #post: (message: LayoutMessage) => void;
  #used = 1;

  constructor(post: (message: LayoutMessage) => void, initialSlots = 1_024) {
    this.#buffer = new Growable(initialSlots * 8, { maxByteLength: 64 * 1024 * 1024 });
    this.#f64 = new Float64Array(this.#buffer); // length-tracking: follows grow()
    this.#post = post;
    post({ kind: LAYOUT_KIND, buffer: this.#buffer, entries: [] });
  }

  /** Bytes of the buffer (what the primary reads; nothing is copied). */
  get byteLength(): number {
    return this.#buffer.byteLength;
  }

  heartbeat(now: number): void {
    this.#f64[HEARTBEAT] = now;
  }

  #allocate(entry: Omit<LayoutEntry, "offset">, width: number): number {
    const offset = this.#used;
    this.#used += width;
    if (this.#used * 8 > this.#buffer.byteLength)
      this.#buffer.grow(Math.min(this.#buffer.maxByteLength, this.#buffer.byteLength * 2));
    this.#post({ kind: LAYOUT_KIND, buffer: undefined, entries: [{ ...entry, offset }] });
    return offset;
  }

  counter(name: string, help: string, labelNames: readonly string[], labelValues: string[]) {
    const at = this.#allocate(
      { type: "counter", name, help, labelNames, buckets: [], labelValues },
      1,
    );
    const f64 = this.#f64;
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
    const at = this.#allocate(
      { type: "histogram", name, help, labelNames, buckets, labelValues },
      buckets.length + 2,
    );
    const f64 = this.#f64;
    const bounds = Float64Array.from(buckets);
    const sumAt = at + buckets.length + 1;
    return {
      observe(value: number): void {
        if (!Number.isFinite(value)) throw new RangeError(`bad observation ${value}`);
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

/** The primary side: one buffer and layout per worker, read into a MetricsReport on demand. */
export class SharedReader {
  readonly #workers = new Map<
    string,
    { f64: Float64Array; metrics: Map<string, { head: LayoutEntry; rows: LayoutEntry[] }> }
  >();

  receive(worker: string, message: LayoutMessage): void {
    let state = this.#workers.get(worker);
    if (message.buffer !== undefined) {
      state = { f64: new Float64Array(message.buffer), metrics: new Map() };
      this.#workers.set(worker, state);
    }
    if (state === undefined) return;
    for (const entry of message.entries) {
      let metric = state.metrics.get(entry.name);
      if (metric === undefined) state.metrics.set(entry.name, (metric = { head: entry, rows: [] }));
      metric.rows.push(entry);
    }
  }

  heartbeat(worker: string): number {
    return this.#workers.get(worker)?.f64[HEARTBEAT] ?? 0;
  }

  /** What the worker's slots hold now, as the report its MetricsReporter would have sent. */
  report(worker: string): MetricsReport {
    const state = this.#workers.get(worker);
    const metrics: ReportedMetric[] = [];
    if (state !== undefined) {
      const f64 = state.f64;
      for (const { head, rows } of state.metrics.values()) {
        const base = { name: head.name, help: head.help, labelNames: head.labelNames };
        if (head.type === "counter") {
          const series = rows.map((r) => [r.labelValues, f64[r.offset] as number] as const);
          metrics.push({ type: "counter", ...base, series });
        } else {
          const width = head.buckets.length + 1;
          const series = rows.map((r) => {
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
