// A cluster worker of the aggregation benchmarks: the same 100 metrics × 10 series in a perflayer
// monitor (reported to the primary by a MetricsReporter) and in prom-client's global registry
// (answered to AggregatorRegistry.clusterMetrics()). On { type: "block", ms } it busy-loops.
import client from "prom-client";
import { MetricsReporter, PerformanceMonitor } from "@perflayer/monitor";

const ROUTES = Array.from({ length: 10 }, (_, i) => ({
  route: `/r${i}`,
  method: i % 2 === 0 ? "GET" : "POST",
}));
const worker = Number(process.env["BENCH_WORKER"] ?? 0);
new client.AggregatorRegistry(); // installs prom-client's worker-side listener

const monitor = new PerformanceMonitor();
for (let m = 0; m < 100; m++) {
  const spec = { help: "m", labelNames: ["route", "method"] as const };
  if (m % 2 === 0) {
    const name = `cluster_metric_${m}_seconds`;
    const buckets = [0.01, 0.05, 0.1, 0.5, 1];
    const ours = monitor.histogram({ ...spec, name, buckets });
    const theirs = new client.Histogram({ ...spec, name, buckets });
    for (const labels of ROUTES)
      for (let i = 0; i <= worker; i++) {
        ours.observe(labels, 0.07 * (i + 1));
        theirs.observe(labels, 0.07 * (i + 1));
      }
  } else {
    const name = `cluster_metric_${m}_total`;
    const ours = monitor.counter({ ...spec, name });
    const theirs = new client.Counter({ ...spec, name });
    for (const labels of ROUTES) {
      ours.inc(labels, worker + 3);
      theirs.inc(labels, worker + 3);
    }
  }
}
new MetricsReporter(monitor, { intervalMs: Number(process.env["BENCH_REPORT_MS"] ?? 1_000) });

process.on("message", (command: { type?: string; ms?: number }) => {
  if (command.type !== "block") return;
  process.send?.({ type: "blocking" }, undefined, {}, () => {
    const end = Date.now() + (command.ms ?? 0);
    while (Date.now() < end); // no report and no answer to prom-client until the end
  });
});
process.send?.({ type: "ready" });
