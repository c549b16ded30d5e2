import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ManualClock } from "@perflayer/core";
import { MetricsAggregator, PerformanceMonitor, metricsReport } from "@perflayer/monitor";
import type { MetricsReport, ReportedMetric } from "@perflayer/monitor";

type Step =
  | { kind: "inc"; worker: number; route: string; value: number }
  | { kind: "observe"; worker: number; route: string; value: number }
  | { kind: "report"; worker: number };

const worker = fc.integer({ min: 0, max: 3 });
const route = fc.constantFrom("/a", "/b", "/c");
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("inc" as const),
    worker,
    route,
    value: fc.oneof(
      fc.integer({ min: 0, max: 1_000 }),
      fc.integer({ min: 1, max: 1e9 }).map((n) => n / 1_000), // decimals: their sums round
      fc.double({ min: 0, max: 1e6, noNaN: true }),
    ),
  }),
  fc.record({
    kind: fc.constant("observe" as const),
    worker,
    route,
    value: fc.oneof(
      fc.integer({ min: -5_000, max: 5_000 }).map((n) => n / 1_000),
      fc.double({ min: -5, max: 5, noNaN: true }),
    ),
  }),
  fc.record({ kind: fc.constant("report" as const), worker }),
);

const BUCKETS = [-1, 0, 0.005, 0.1, 1, 2.5];

/** Per series (label values joined): the reported rows of a metric. */
function rows(report: MetricsReport, name: string): Map<string, ReportedMetric["series"][number]> {
  const metric = report.metrics.find((m) => m.name === name);
  return new Map((metric?.series ?? []).map((row) => [row[0].join("\u0000"), row]));
}

describe("aggregation (property)", () => {
  it(
    "P0 «exact aggregation»: aggregated counters and histogram buckets equal the sum of every worker's last reported values",
    { tags: ["p0"] },
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 80 }), async (steps) => {
          const clock = new ManualClock();
          const aggregator = new MetricsAggregator({ clock });
          const workers = Array.from({ length: 4 }, () => {
            const monitor = new PerformanceMonitor({ clock });
            return {
              monitor,
              requests: monitor.counter({
                name: "requests_total",
                help: "r",
                labelNames: ["route"],
              }),
              latency: monitor.histogram({
                name: "latency_seconds",
                help: "l",
                labelNames: ["route"],
                buckets: BUCKETS,
              }),
            };
          });
          const last = new Map<number, MetricsReport>();
          // Sums are taken in the order workers first reported each series (floating-point
          // addition is not associative; the order is part of the contract).
          const firstSeen = new Map<string, number[]>();
          for (const s of steps) {
            const w = workers[s.worker];
            if (w === undefined) continue;
            if (s.kind === "inc") w.requests.inc({ route: s.route }, s.value);
            else if (s.kind === "observe") w.latency.observe({ route: s.route }, s.value);
            else {
              const report = metricsReport(w.monitor);
              for (const m of report.metrics)
                for (const row of m.series) {
                  const key = `${m.name}|${row[0].join("\u0000")}`;
                  const order = firstSeen.get(key) ?? [];
                  if (!order.includes(s.worker)) order.push(s.worker);
                  firstSeen.set(key, order);
                }
              last.set(s.worker, report);
              aggregator.receive(String(s.worker), report);
            }
          }
          const aggregate = metricsReport(aggregator.monitor);
          for (const name of ["requests_total", "latency_seconds"]) {
            const got = rows(aggregate, name);
            const expected = new Map<string, { counts: number[]; sum: number }>();
            for (const [key, order] of firstSeen) {
              if (!key.startsWith(`${name}|`)) continue;
              const seriesKey = key.slice(name.length + 1);
              let total: { counts: number[]; sum: number } | undefined;
              for (const id of order) {
                const row = rows(last.get(id) as MetricsReport, name).get(seriesKey);
                if (row === undefined) continue;
                const cell =
                  name === "requests_total"
                    ? { counts: [row[1] as number], sum: 0 }
                    : { counts: [...(row[1] as number[])], sum: row[2] as number };
                total =
                  total === undefined
                    ? cell
                    : {
                        counts: total.counts.map((c, i) => c + (cell.counts[i] as number)),
                        sum: total.sum + cell.sum,
                      };
              }
              if (total !== undefined) expected.set(seriesKey, total);
            }
            expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
            for (const [key, want] of expected) {
              const row = got.get(key);
              if (name === "requests_total") expect(row?.[1]).toBe(want.counts[0]);
              else {
                expect(row?.[1]).toEqual(want.counts);
                expect(row?.[2]).toBe(want.sum);
              }
            }
          }
          await aggregator.close();
          for (const w of workers) await w.monitor.close();
        }),
        { numRuns: 200 },
      );
    },
  );
});
