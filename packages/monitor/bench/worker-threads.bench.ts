// Worker threads (issue 22): today's report path — a MetricsReporter's postMessage of a snapshot,
// folded by MetricsAggregator.receive — side by side with a SharedArrayBuffer prototype
// (shared-metrics-prototype.ts: counters and histogram buckets as Float64 slots the worker writes
// with plain stores, a layout message once per new series, the primary reading the slots at scrape
// time). "ours" is the prototype, "anchor" today's path. 100 metrics × 10 series per worker.
// Run: pnpm --filter @perflayer/monitor bench:threads
import { appendFileSync } from "node:fs";
import { MessageChannel, Worker } from "node:worker_threads";
import { serialize, deserialize } from "node:v8";
import { countedAndTimed, defineSuite } from "@perflayer/bench-gate";
import { MetricsAggregator, PerformanceMonitor, metricsReport } from "@perflayer/monitor";
import type { MetricsReport } from "@perflayer/monitor";
import { SharedReader, SharedWriter, isLayoutMessage } from "./shared-metrics-prototype.js";
import type { LayoutMessage } from "./shared-metrics-prototype.js";

const WORKER = new URL("./worker-thread.ts", import.meta.url).href;
// A worker thread does not inherit the tsx loader the benchmark process runs under: register it.
const TSX = import.meta.resolve("tsx/esm/api");
const BOOT = `import(${JSON.stringify(TSX)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER)}); });`;
const labelNames = ["route", "method"] as const;
const BUCKETS = [0.01, 0.05, 0.1, 0.5, 1];
const COMBOS = Array.from({ length: 10 }, (_, s) => ({
  route: `/r${s}`,
  method: s % 2 === 0 ? "GET" : "POST",
}));

/** One worker's 100 metrics × 10 series on both paths, as worker-thread.ts builds them. */
function oneWorker() {
  const monitor = new PerformanceMonitor();
  const layouts: LayoutMessage[] = [];
  const shared = new SharedWriter((m) => layouts.push(m));
  for (let m = 0; m < 100; m++)
    for (const labels of COMBOS) {
      const values = [labels.route, labels.method];
      if (m % 2 === 0) {
        const name = `thread_metric_${m}_seconds`;
        monitor.histogram({ name, help: "m", labelNames, buckets: BUCKETS }).observe(labels, 0.07);
        shared.histogram(name, "m", labelNames, BUCKETS, values).observe(0.07);
      } else {
        const name = `thread_metric_${m}_total`;
        monitor.counter({ name, help: "m", labelNames }).inc(labels, 3);
        shared.counter(name, "m", labelNames, values).inc(3);
      }
    }
  return { monitor, shared, layouts };
}

/** What each sample saw, appended to $PERFLAYER_THREADS_BENCH_LOG when set. */
function log(line: string): void {
  const file = process.env["PERFLAYER_THREADS_BENCH_LOG"];
  if (file !== undefined) appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** 4 real worker threads, each reporting on both paths to the same primary. */
async function startThreads() {
  const t0 = Date.now();
  const reported = new MetricsAggregator({ staleAfterMs: 5_000 });
  const sharedAggregator = new MetricsAggregator({ staleAfterMs: 5_000 });
  const reader = new SharedReader();
  const threads = Array.from(
    { length: 4 },
    (_, index) => new Worker(BOOT, { eval: true, workerData: { index, t0, reportMs: 1_000 } }),
  );
  const ready = threads.map((thread, i) => {
    reported.attachWorker(thread, String(i));
    return new Promise<void>((resolve) =>
      thread.on("message", (m: unknown) => {
        if (isLayoutMessage(m)) reader.receive(String(i), m);
        else if ((m as { type?: string }).type === "ready") resolve();
      }),
    );
  });
  await Promise.all(ready);
  while (reported.workers().filter((w) => w.reports > 0).length < 4) await sleep(20);
  const scrapeReported = (): Promise<string> => reported.monitor.metrics();
  const scrapeShared = (): Promise<string> => {
    for (let i = 0; i < 4; i++) sharedAggregator.receive(String(i), reader.report(String(i)));
    return sharedAggregator.monitor.metrics();
  };
  /** Each thread's progress lag behind now, in ms, as one scrape of `scrape` sees it. */
  const lags = async (scrape: () => Promise<string>): Promise<number[]> => {
    const text = await scrape();
    const now = Date.now() - t0;
    const out: number[] = [];
    for (const [, thread, value] of text.matchAll(/^progress_ms_total\{thread="(\d)"\} (\S+)$/gm))
      out[Number(thread)] = now - Number(value);
    return out;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(threads.map((t) => t.terminate()));
    await reported.close();
    await sharedAggregator.close();
  };
  return { threads, scrapeReported, scrapeShared, lags, stop };
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

const BLOCK_MS = 2_000;

type Threads = Awaited<ReturnType<typeof startThreads>>;

/** Scrapes every 50 ms for `ms`, keeping what `pick` takes of each scrape's ages; sorted. */
async function agesDuring(
  ms: number,
  group: Threads,
  scrape: () => Promise<string>,
  pick: (lags: number[]) => number[],
): Promise<number[]> {
  const ages: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    ages.push(...pick(await group.lags(scrape)));
    await sleep(50);
  }
  return ages.sort((a, b) => a - b);
}

const pathOf = (group: Threads, scrape: () => Promise<string>): string =>
  scrape === group.scrapeShared ? "shared" : "reported";

/** What both freshness benchmarks declare: 4 threads per process, a few seconds per sample. */
const FRESHNESS = {
  unit: "ms",
  anchor: "today: reports every 1 s",
  quick: false,
  forks: 1,
  minSamples: 5,
  maxSamples: 5,
} as const;

export const suite = defineSuite({
  name: "@perflayer/monitor worker threads",
  benchmarks: [
    ...countedAndTimed({
      name: "worker: counter inc, bound handle",
      anchor: "today: PerformanceMonitor bound counter",
      quick: false, // a measured decision, not a gate: \`pnpm check\` leaves this file alone
      setup: ({ loop }) => {
        const { monitor, shared } = oneWorker();
        const today = monitor.counter({ name: "c_total", help: "c", labelNames }).bind({
          route: "/x",
          method: "GET",
        });
        const sab = shared.counter("c_total", "c", labelNames, ["/x", "GET"]);
        return {
          ours: loop(() => sab.inc()),
          anchor: loop(() => today.inc()),
          teardown: () => monitor.close(),
        };
      },
    }),
    ...countedAndTimed({
      name: "worker: histogram observe, bound handle",
      anchor: "today: PerformanceMonitor bound histogram",
      quick: false, // a measured decision, not a gate: \`pnpm check\` leaves this file alone
      setup: ({ loop }) => {
        const { monitor, shared } = oneWorker();
        const today = monitor
          .histogram({ name: "h_seconds", help: "h", labelNames, buckets: BUCKETS })
          .bind({ route: "/x", method: "GET" });
        const sab = shared.histogram("h_seconds", "h", labelNames, BUCKETS, ["/x", "GET"]);
        const value = (i: number): number => (i % 100) / 100;
        return {
          ours: loop((i) => sab.observe(value(i))),
          anchor: loop((i) => today.observe(value(i))),
          teardown: () => monitor.close(),
        };
      },
    }),
    {
      name: "worker: cost per report interval (100 metrics × 10 series)",
      anchor: "today: metricsReport + postMessage",
      quick: false,
      setup: ({ loop }) => {
        const { monitor, shared } = oneWorker();
        const { port1, port2 } = new MessageChannel();
        port2.on("message", () => undefined); // the other side deserializes, as the primary would
        return {
          // The shared path's only periodic work on the worker: a heartbeat store.
          ours: loop((i) => shared.heartbeat(i)),
          anchor: loop(() => port1.postMessage(metricsReport(monitor))),
          teardown: async () => {
            port1.close();
            await monitor.close();
          },
        };
      },
    },
    {
      name: "primary: folding one worker's values into the aggregate",
      anchor: "today: structured-clone receipt + receive(report)",
      quick: false,
      setup: ({ loop }) => {
        const { monitor, layouts } = oneWorker();
        const reader = new SharedReader();
        for (const layout of layouts) reader.receive("w", layout);
        const serialized = serialize(metricsReport(monitor));
        const today = new MetricsAggregator();
        const sab = new MetricsAggregator();
        return {
          ours: loop((i) => sab.receive(String(i % 4), reader.report("w"))),
          anchor: loop((i) =>
            today.receive(String(i % 4), deserialize(serialized) as MetricsReport),
          ),
          teardown: async () => {
            await Promise.all([today.close(), sab.close(), monitor.close()]);
          },
        };
      },
    },
    {
      name: "bytes copied across the thread boundary in a worker's first minute (1 s reports)",
      unit: "bytes",
      anchor: "today: 61 reports (at once, then every second)",
      quick: false,
      minSamples: 3,
      maxSamples: 3,
      setup: () => {
        const { monitor, layouts } = oneWorker();
        return {
          // Layout messages (once per series). A buffer is shared, not copied: its handle is not counted.
          ours: () =>
            layouts.reduce((n, m) => n + serialize({ ...m, buffer: undefined }).byteLength, 0),
          anchor: () => 61 * serialize(metricsReport(monitor)).byteLength,
          teardown: () => monitor.close(),
        };
      },
    },
    {
      name: "primary: scrape of 4 threads × 100 metrics × 10 series",
      unit: "ms",
      anchor: "today: scrape of what the reports left",
      quick: false,
      forks: 1,
      minSamples: 8,
      maxSamples: 12,
      setup: async () => {
        const group = await startThreads();
        // The shared path reads every thread's slots at scrape time: 4 folds inside each scrape.
        const average = (scrape: () => Promise<string>) => async (): Promise<number> => {
          const start = performance.now();
          for (let i = 0; i < 10; i++) await scrape();
          return (performance.now() - start) / 10;
        };
        return {
          ours: average(group.scrapeShared),
          anchor: average(group.scrapeReported),
          teardown: group.stop,
        };
      },
    },
    {
      name: "scrape freshness: median age of each thread's value, 4 idle threads (ms)",
      ...FRESHNESS,
      setup: async () => {
        const group = await startThreads();
        const medianAge = async (scrape: () => Promise<string>): Promise<number> => {
          const ages = await agesDuring(2_000, group, scrape, (lags) => lags);
          log(
            `idle ${pathOf(group, scrape)}: ${ages.length} values, median ${quantile(ages, 0.5)} ms, p90 ${quantile(ages, 0.9)} ms, max ${ages.at(-1) ?? "-"} ms`,
          );
          return quantile(ages, 0.5);
        };
        return {
          ours: () => medianAge(group.scrapeShared),
          anchor: () => medianAge(group.scrapeReported),
          teardown: group.stop,
        };
      },
    },
    {
      name: `scrape freshness: oldest value of a thread busy for ${BLOCK_MS / 1000} s (ms)`,
      ...FRESHNESS,
      setup: async () => {
        const group = await startThreads();
        const blocked = group.threads[3] as Worker;
        const worstAge = async (scrape: () => Promise<string>): Promise<number> => {
          const blocking = new Promise<void>((resolve) => {
            const on = (m: { type?: string }): void => {
              if (m.type !== "blocking") return;
              blocked.off("message", on);
              resolve();
            };
            blocked.on("message", on);
          });
          blocked.postMessage({ type: "block", ms: BLOCK_MS });
          await blocking;
          const ages = await agesDuring(BLOCK_MS, group, scrape, (lags) => [lags[3] ?? Number.NaN]);
          log(
            `blocked ${pathOf(group, scrape)}: ${ages.length} scrapes, median ${quantile(ages, 0.5)} ms, max ${ages.at(-1) ?? "-"} ms`,
          );
          await sleep(1_500); // a report after the block, before the next sample
          return ages.at(-1) ?? Number.NaN;
        };
        return {
          ours: () => worstAge(group.scrapeShared),
          anchor: () => worstAge(group.scrapeReported),
          teardown: group.stop,
        };
      },
    },
  ],
});
