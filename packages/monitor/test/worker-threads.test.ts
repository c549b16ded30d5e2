import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { MetricsAggregator, PerformanceMonitor, metricsReport } from "@perflayer/monitor";

// The thread posts what it is given (a report crosses the boundary by structured clone, as a
// MetricsReporter's `parentPort.postMessage` sends it), a message that is not a report, and exits.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
parentPort.postMessage({ hello: "not a report" });
parentPort.postMessage(workerData);
`;

describe("aggregation across real worker threads", () => {
  it("receives reports posted by a worker thread through attachWorker, and marks the thread exited on exit, its counts kept", async () => {
    const clock = new ManualClock();
    const aggregator = new MetricsAggregator({ clock });
    const source = new PerformanceMonitor({ clock });
    source
      .counter({ name: "jobs_total", help: "Jobs.", labelNames: ["kind"] })
      .inc({ kind: "a" }, 7);
    source
      .histogram({ name: "job_duration_seconds", help: "Job duration.", buckets: [0.1, 1] })
      .observe(0.5);
    try {
      const threads = [1, 2].map(
        () => new Worker(THREAD, { eval: true, workerData: metricsReport(source) }),
      );
      for (const thread of threads) aggregator.attachWorker(thread);
      const ids = threads.map((t) => String(t.threadId)); // -1 once a thread has exited
      await Promise.all(
        threads.map((thread) => new Promise((resolve) => thread.once("exit", resolve))),
      );
      const statuses = aggregator.workers().map((w) => [w.worker, w.reports, w.exited, w.up]);
      expect(statuses.sort()).toEqual(ids.map((id) => [id, 1, true, false]).sort());
      const text = await aggregator.monitor.metrics();
      expect(text).toContain('jobs_total{kind="a"} 14\n');
      expect(text).toContain('job_duration_seconds_bucket{le="1"} 2\n');
      expect(text).toContain("job_duration_seconds_count 2\n");
      for (const id of ids)
        expect(text).toContain(`perflayer_monitor_worker_up{worker="${id}"} 0\n`);
    } finally {
      await aggregator.close();
      await source.close();
    }
  });
});
