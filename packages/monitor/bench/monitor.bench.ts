// @perflayer/monitor side by side with raw prom-client 15.1.3, as a bench-gate suite: each benchmark
// runs in a fresh process, contenders alternate round by round, targets are judged with a 95 %
// interval. Run: pnpm --filter @perflayer/monitor bench    (gated in quick mode by `pnpm check`)
// Each benchmark comes twice (countedAndTimed): counted in CPU instructions under callgrind, which
// `pnpm check` gates against the baseline on a busy machine, and timed (", time", full runs only),
// where the goals about speed against prom-client are judged.
import client from "prom-client";
import { countedAndTimed, defineSuite } from "@perflayer/bench-gate";
import { ManualClock } from "@perflayer/core";
import { PerformanceMonitor } from "@perflayer/monitor";

const COMBOS = Array.from({ length: 10 }, (_, i) => ({
  route: `/r${i}`,
  method: i % 2 === 0 ? "GET" : "POST",
}));
const labels = (i: number): { route: string; method: string } =>
  COMBOS[i % 10] as { route: string; method: string };
const value = (i: number): number => (i % 100) / 1000;

function histograms() {
  const monitor = new PerformanceMonitor();
  const ours = monitor.histogram({
    name: "bench_latency_seconds",
    help: "h",
    labelNames: ["route", "method"],
  });
  const theirs = new client.Histogram({
    name: "bench_latency_seconds",
    help: "h",
    labelNames: ["route", "method"],
    buckets: [...ours.buckets],
    registers: [new client.Registry()],
  });
  return { monitor, ours, theirs };
}

function counters() {
  const monitor = new PerformanceMonitor();
  const ours = monitor.counter({
    name: "bench_requests_total",
    help: "c",
    labelNames: ["route", "method"],
  });
  const theirs = new client.Counter({
    name: "bench_requests_total",
    help: "c",
    labelNames: ["route", "method"],
    registers: [new client.Registry()],
  });
  return { monitor, ours, theirs };
}

export const suite = defineSuite({
  name: "@perflayer/monitor",
  benchmarks: [
    ...countedAndTimed({
      name: "histogram observe, bound handle (2 labels, 10 combos)",
      anchor: "Histogram.observe(labels, v)",
      target: { minSpeedup: 10 },
      setup: ({ loop }) => {
        const { monitor, ours, theirs } = histograms();
        const handles = COMBOS.map((l) => ours.bind(l));
        return {
          ours: loop((i) => handles[i % 10]?.observe(value(i))),
          anchor: loop((i) => theirs.observe(labels(i), value(i))),
          teardown: () => monitor.close(),
        };
      },
    }),
    ...countedAndTimed({
      name: "histogram observe, bound handle vs prom-client child",
      anchor: "histogram.labels(…).observe(v)",
      target: { minSpeedup: 2 },
      setup: ({ loop }) => {
        const { monitor, ours, theirs } = histograms();
        const handles = COMBOS.map((l) => ours.bind(l));
        const children = COMBOS.map((l) => theirs.labels(l));
        return {
          ours: loop((i) => handles[i % 10]?.observe(value(i))),
          anchor: loop((i) => children[i % 10]?.observe(value(i))),
          teardown: () => monitor.close(),
        };
      },
    }),
    ...countedAndTimed({
      name: "histogram observe, unbound labels",
      anchor: "Histogram.observe(labels, v)",
      target: { maxRatio: 1 },
      setup: ({ loop }) => {
        const { monitor, ours, theirs } = histograms();
        return {
          ours: loop((i) => ours.observe(labels(i), value(i))),
          anchor: loop((i) => theirs.observe(labels(i), value(i))),
          teardown: () => monitor.close(),
        };
      },
    }),
    ...countedAndTimed({
      name: "counter inc, bound handle (2 labels, 10 combos)",
      anchor: "Counter.inc(labels)",
      target: { minSpeedup: 10 },
      setup: ({ loop }) => {
        const { monitor, ours, theirs } = counters();
        const handles = COMBOS.map((l) => ours.bind(l));
        return {
          ours: loop((i) => handles[i % 10]?.inc()),
          anchor: loop((i) => theirs.inc(labels(i))),
          teardown: () => monitor.close(),
        };
      },
    }),
    ...countedAndTimed({
      name: "counter inc, unbound labels",
      anchor: "Counter.inc(labels)",
      target: { maxRatio: 1 },
      setup: ({ loop }) => {
        const { monitor, ours, theirs } = counters();
        return {
          ours: loop((i) => ours.inc(labels(i))),
          anchor: loop((i) => theirs.inc(labels(i))),
          teardown: () => monitor.close(),
        };
      },
    }),
    ...countedAndTimed({
      name: "scrape, 100 metrics × 10 series",
      unit: "ms",
      anchor: "registry.metrics()",
      target: { maxRatio: 0.5 },
      setup: ({ measure, asyncLoop }) => {
        const monitor = new PerformanceMonitor();
        const registry = new client.Registry();
        for (let m = 0; m < 100; m++) {
          const isHistogram = m % 2 === 0;
          const name = isHistogram ? `scrape_metric_${m}_seconds` : `scrape_metric_${m}_total`;
          const spec = { name, help: "m", labelNames: ["route", "method"] as const };
          if (isHistogram) {
            const buckets = [0.01, 0.05, 0.1, 0.5, 1];
            const ours = monitor.histogram({ ...spec, buckets });
            const theirs = new client.Histogram({ ...spec, buckets, registers: [registry] });
            for (const l of COMBOS) {
              ours.observe(l, 0.07);
              theirs.observe(l, 0.07);
            }
          } else {
            const ours = monitor.counter(spec);
            const theirs = new client.Counter({ ...spec, registers: [registry] });
            for (const l of COMBOS) {
              ours.inc(l, 3);
              theirs.inc(l, 3);
            }
          }
        }
        const time = (scrape: () => Promise<string>) => async (): Promise<number> => {
          const start = performance.now();
          for (let i = 0; i < 10; i++) await scrape();
          return (performance.now() - start) / 10;
        };
        // Counted: a scrape is ~2 M instructions, so 200 warm-up calls rather than 200,000.
        const counted = (scrape: () => Promise<string>) => asyncLoop(scrape, { warmupCalls: 200 });
        const measured = measure === "instructions" ? counted : time;
        return {
          ours: measured(() => monitor.metrics()),
          anchor: measured(() => registry.metrics()),
          teardown: () => monitor.close(),
        };
      },
    }),
    ...countedAndTimed({
      name: "time(fn) overhead on a sync function",
      anchor: "bare call",
      setup: ({ loop, measure }) => {
        // Counted on a manual clock: with the real one the durations recorded (and so the bucket
        // searched, and whether the slow path runs) depend on the machine's load — 792 instructions
        // per call on a quiet machine, 2,878 on a saturated one.
        const monitor = new PerformanceMonitor(
          measure === "instructions" ? { clock: new ManualClock() } : {},
        );
        let sink = 0;
        const work = (): number => (sink += 1);
        return {
          ours: loop(() => monitor.time("bench_timed_seconds", work)),
          anchor: loop(() => work()),
          teardown: () => monitor.close(),
        };
      },
    }),
  ],
});
