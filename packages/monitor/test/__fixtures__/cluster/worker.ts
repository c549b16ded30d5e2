// A cluster worker for the aggregation test: counts jobs it is told to do, reports to the primary
// every 50 ms, and on request blocks its event loop in a busy loop (a stuck worker).
import { MetricsReporter, PerformanceMonitor } from "@perflayer/monitor";

type Command = { type: "work"; n: number } | { type: "block"; ms: number };

const monitor = new PerformanceMonitor();
const jobs = monitor.counter({ name: "jobs_total", help: "Jobs done.", labelNames: ["kind"] });
const duration = monitor.histogram({
  name: "job_duration_seconds",
  help: "Job duration.",
  buckets: [0.01, 0.1, 1],
});
const inflight = monitor.gauge({ name: "jobs_inflight", help: "Jobs in flight." });
const reporter = new MetricsReporter(monitor, { intervalMs: 50 });

process.on("message", (command: Command) => {
  if (command.type === "work") {
    jobs.inc({ kind: "a" }, command.n);
    duration.observe(command.n / 100);
    inflight.set(command.n);
    reporter.report(); // sent before the reply, so the primary has it when the reply arrives
    process.send?.({ type: "done" });
  } else {
    process.send?.({ type: "blocking" }, undefined, {}, () => {
      const end = Date.now() + command.ms;
      while (Date.now() < end); // blocked: no report, no message, until the end
    });
  }
});
process.send?.({ type: "ready" });
