// Aggregation across a node:cluster, side by side with prom-client 15.1.3's AggregatorRegistry in
// the same processes: each benchmark's process is the cluster primary of 4 workers that hold the
// same 100 metrics × 10 series twice (a perflayer monitor reporting every second, and prom-client's
// global registry). Run: pnpm --filter @perflayer/monitor bench:cluster
import { appendFileSync } from "node:fs";
import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import { fileURLToPath } from "node:url";
import client from "prom-client";
import { ManualClock } from "@perflayer/core";
import { countedAndTimed, defineSuite } from "@perflayer/bench-gate";
import { MetricsAggregator, metricsReport, PerformanceMonitor } from "@perflayer/monitor";

const WORKER = fileURLToPath(new URL("./cluster-worker.ts", import.meta.url));

function message(worker: Worker, type: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: { type?: string }): void => {
      if (m.type !== type) return;
      worker.off("message", on);
      resolve();
    };
    worker.on("message", on);
  });
}

/** Forks 4 workers and waits until each has reported to the aggregator. */
async function startCluster(options: { reportMs: number; staleAfterMs: number }) {
  const aggregator = new MetricsAggregator({ staleAfterMs: options.staleAfterMs });
  aggregator.attachCluster(cluster);
  const anchor = new client.AggregatorRegistry();
  cluster.setupPrimary({ exec: WORKER });
  const workers = Array.from({ length: 4 }, (_, i) =>
    cluster.fork({ BENCH_WORKER: String(i), BENCH_REPORT_MS: String(options.reportMs) }),
  );
  await Promise.all(workers.map((w) => message(w, "ready")));
  while (aggregator.workers().filter((w) => w.reports > 0).length < 4)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const stop = async (): Promise<void> => {
    const exits = workers.map((w) => new Promise((resolve) => w.once("exit", resolve)));
    for (const w of workers) w.process.kill("SIGKILL");
    await Promise.all(exits);
    await aggregator.close();
  };
  return { aggregator, anchor, workers, stop };
}

/** Average milliseconds of `n` runs of `scrape`. */
const average = (n: number, scrape: () => Promise<string>) => async (): Promise<number> => {
  const start = performance.now();
  for (let i = 0; i < n; i++) await scrape();
  return (performance.now() - start) / n;
};

const BLOCK_MS = 10_000;

/** What each sample saw, appended to $PERFLAYER_CLUSTER_BENCH_LOG when set (a sample is one number). */
function log(line: string): void {
  const file = process.env["PERFLAYER_CLUSTER_BENCH_LOG"];
  if (file !== undefined) appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}

export const suite = defineSuite({
  name: "@perflayer/monitor cluster",
  benchmarks: [
    {
      name: "cluster scrape, 4 workers × 100 metrics × 10 series",
      unit: "ms",
      anchor: "AggregatorRegistry.clusterMetrics()",
      target: { maxRatio: 0.5 },
      // Four processes and IPC: timed in full runs; a busy machine cannot gate it.
      quick: false,
      forks: 1,
      // Each sample is 2 × 10 scrapes of a 4-process cluster: a few rounds stay within a timeout.
      minSamples: 8,
      maxSamples: 12,
      setup: async ({ quick }) => {
        const group = await startCluster({ reportMs: 1_000, staleAfterMs: 5_000 });
        const scrapes = quick ? 5 : 10;
        return {
          ours: average(scrapes, () => group.aggregator.monitor.metrics()),
          anchor: average(scrapes, () => group.anchor.clusterMetrics()),
          teardown: group.stop,
        };
      },
    },
    ...countedAndTimed({
      name: "folding one worker's report (100 metrics × 10 series) into the primary",
      unit: "ms",
      setup: ({ measure, loop }) => {
        const worker = new PerformanceMonitor();
        for (let m = 0; m < 100; m++) {
          const spec = { help: "m", labelNames: ["route", "method"] as const };
          const labels = (i: number) => ({ route: `/r${i}`, method: "GET" });
          if (m % 2 === 0) {
            const h = worker.histogram({
              ...spec,
              name: `f_${m}_seconds`,
              buckets: [0.01, 0.1, 1],
            });
            for (let i = 0; i < 10; i++) h.observe(labels(i), 0.05);
          } else {
            const c = worker.counter({ ...spec, name: `f_${m}_total` });
            for (let i = 0; i < 10; i++) c.inc(labels(i));
          }
        }
        // Counted, the aggregator (and the monitor it folds into) runs on a clock the benchmark
        // controls. On the real clock its timers (a staleness sweep every 2.5 s, a window rotation
        // every 10 s) fired between counts at points set by how fast the process ran under
        // callgrind, and the count read ≈7,933,0xx in some runs and ≈8,004,4xx in others.
        const aggregator = new MetricsAggregator(
          measure === "instructions" ? { clock: new ManualClock() } : {},
        );
        let n = 0;
        // Counted: one report folded again and again (making a report is the worker's cost).
        const report = metricsReport(worker);
        return {
          // What the primary spends per worker per report interval: a fresh report each time.
          ours:
            measure === "instructions"
              ? loop((i) => aggregator.receive(String(i % 4), report), { warmupCalls: 200 })
              : async () => {
                  const fresh = metricsReport(worker);
                  const start = performance.now();
                  for (let i = 0; i < 20; i++) aggregator.receive(String(n++ % 4), fresh);
                  return Promise.resolve((performance.now() - start) / 20);
                },
          teardown: async () => {
            await aggregator.close();
            await worker.close();
          },
        };
      },
    }),
    {
      name: `slowest scrape while 1 of 4 workers is blocked for ${BLOCK_MS / 1000} s`,
      unit: "ms",
      anchor: "AggregatorRegistry.clusterMetrics()",
      quick: false,
      forks: 1,
      minSamples: 3,
      maxSamples: 3,
      setup: async () => {
        const group = await startCluster({ reportMs: 500, staleAfterMs: 2_000 });
        const blocked = group.workers[3] as Worker;
        const slowestDuringBlock = async (scrape: () => Promise<string>): Promise<number> => {
          const blocking = message(blocked, "blocking");
          blocked.send({ type: "block", ms: BLOCK_MS });
          await blocking;
          const end = performance.now() + BLOCK_MS;
          stale = false;
          const times: number[] = [];
          let failed = 0;
          while (performance.now() < end) {
            const start = performance.now();
            const text = await scrape().catch((error: unknown) => {
              failed++;
              return String(error);
            });
            times.push(performance.now() - start);
            if (text.includes(`perflayer_monitor_worker_up{worker="${blocked.id}"} 0`))
              stale = true;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          times.sort((a, b) => a - b);
          const at = (q: number): string =>
            (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
          const over = times.filter((t) => t > 50).length;
          log(
            `${scrape === ours ? "perflayer" : "prom-client"}: ${times.length} scrapes, ${failed} failed, median ${at(0.5)} ms, p90 ${at(0.9)} ms, slowest ${at(1)} ms, ${over} over 50 ms${scrape === ours ? `, blocked worker marked stale: ${stale}` : ""}`,
          );
          // Let the worker catch up before the next sample.
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          return times.at(-1) ?? 0;
        };
        let stale = false;
        const ours = (): Promise<string> => group.aggregator.monitor.metrics();
        const theirs = (): Promise<string> => group.anchor.clusterMetrics();
        return {
          ours: () => slowestDuringBlock(ours),
          anchor: () => slowestDuringBlock(theirs),
          teardown: group.stop,
        };
      },
    },
  ],
});
