// A worker thread of worker-threads.bench.ts: the same 100 metrics × 10 series (and a progress
// counter) twice — in a perflayer monitor reported by a MetricsReporter over postMessage every
// second (today's path), and in the SharedArrayBuffer prototype. Every 10 ms, and inside a busy
// loop on { type: "block", ms }, it brings `progress_ms_total` to the milliseconds since `t0` in
// both, so the primary can tell how old the value it scrapes is.
import { parentPort, workerData } from "node:worker_threads";
import { MetricsReporter, PerformanceMonitor } from "@perflayer/monitor";
import { SharedWriter } from "./shared-metrics-prototype.js";

const port = parentPort;
if (port === null) throw new Error("worker-thread.ts runs as a worker thread");
const { index, t0, reportMs } = workerData as { index: number; t0: number; reportMs: number };

const monitor = new PerformanceMonitor();
const shared = new SharedWriter((m) => port.postMessage(m));
const labelNames = ["route", "method"] as const;
for (let m = 0; m < 100; m++) {
  for (let s = 0; s < 10; s++) {
    const labels = { route: `/r${s}`, method: s % 2 === 0 ? "GET" : "POST" };
    const values = [labels.route, labels.method];
    if (m % 2 === 0) {
      const name = `thread_metric_${m}_seconds`;
      const buckets = [0.01, 0.05, 0.1, 0.5, 1];
      const ours = monitor.histogram({ name, help: "m", labelNames, buckets }).bind(labels);
      const sab = shared.histogram(name, "m", labelNames, buckets, values);
      for (let i = 0; i <= index; i++) {
        ours.observe(0.07 * (i + 1));
        sab.observe(0.07 * (i + 1));
      }
    } else {
      const name = `thread_metric_${m}_total`;
      monitor.counter({ name, help: "m", labelNames }).inc(labels, index + 3);
      shared.counter(name, "m", labelNames, values).inc(index + 3);
    }
  }
}
const thread = { thread: String(index) };
const progressReported = monitor
  .counter({ name: "progress_ms_total", help: "ms since t0", labelNames: ["thread"] })
  .bind(thread);
const progressShared = shared.counter(
  "progress_ms_total",
  "ms since t0",
  ["thread"],
  [String(index)],
);
let progress = 0;
const advance = (): void => {
  const now = Date.now() - t0;
  progressReported.inc(now - progress);
  progressShared.inc(now - progress);
  progress = now;
};
advance();
new MetricsReporter(monitor, { intervalMs: reportMs, send: (r) => port.postMessage(r) });
setInterval(() => {
  advance();
  shared.heartbeat(Date.now());
}, 10);

port.on("message", (command: { type?: string; ms?: number }) => {
  if (command.type !== "block") return;
  port.postMessage({ type: "blocking" });
  const end = Date.now() + (command.ms ?? 0);
  while (Date.now() < end) advance(); // counts go on; no report until the loop ends
});
port.postMessage({ type: "ready" });
