// Benchmarks @perflayer/monitor side by side with raw prom-client in one run and reports ratios.
// Run: pnpm --filter @perflayer/monitor bench   (builds first; measures the built package)
import client from "prom-client";
import { PerformanceMonitor } from "@perflayer/monitor";

const OPS = Number(process.env["BENCH_OPS"] ?? 2_000_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 7);
const COMBOS = Array.from({ length: 10 }, (_, i) => ({
  route: `/r${i}`,
  method: i % 2 === 0 ? "GET" : "POST",
}));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A timing loop of its own per contender (own feedback vector); returns ns per op. */
function loop(body: (i: number) => unknown): (ops: number) => number {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fresh function per contender is the point
  const run = new Function(
    "body",
    "ops",
    "const start = process.hrtime.bigint(); for (let i = 0; i < ops; i++) body(i); return Number(process.hrtime.bigint() - start) / ops;",
  ) as (body: (i: number) => unknown, ops: number) => number;
  return (ops) => run(body, ops);
}

interface Row {
  readonly name: string;
  readonly ours: number;
  readonly anchor: number;
  readonly anchorName: string;
  readonly unit: string;
  readonly goal: string;
}

async function compare(
  name: string,
  anchorName: string,
  goal: string,
  unit: string,
  ours: () => number | Promise<number>,
  anchor: () => number | Promise<number>,
): Promise<Row> {
  await ours();
  await anchor();
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      a.push(await ours());
      b.push(await anchor());
    } else {
      b.push(await anchor());
      a.push(await ours());
    }
  }
  return { name, ours: median(a), anchor: median(b), anchorName, unit, goal };
}

const rows: Row[] = [];
const monitor = new PerformanceMonitor();
const registry = new client.Registry();

{
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
    registers: [registry],
  });
  const handles = COMBOS.map((labels) => ours.bind(labels));
  const children = COMBOS.map((labels) => theirs.labels(labels));
  const oursBound = loop((i) => handles[i % 10]?.observe((i % 100) / 1000));
  const theirsLabelled = loop((i) =>
    theirs.observe(COMBOS[i % 10] as { route: string; method: string }, (i % 100) / 1000),
  );
  const theirsChild = loop((i) => children[i % 10]?.observe((i % 100) / 1000));
  const oursUnbound = loop((i) =>
    ours.observe(COMBOS[i % 10] as { route: string; method: string }, (i % 100) / 1000),
  );
  rows.push(
    await compare(
      "histogram observe, bound handle (2 labels, 10 combos)",
      "Histogram.observe(labels, v)",
      ">= 10x faster",
      "ns/op",
      () => oursBound(OPS),
      () => theirsLabelled(OPS / 4),
    ),
  );
  rows.push(
    await compare(
      "histogram observe, bound handle",
      "histogram.labels(...).observe(v)",
      "report",
      "ns/op",
      () => oursBound(OPS),
      () => theirsChild(OPS / 4),
    ),
  );
  rows.push(
    await compare(
      "histogram observe, unbound labels",
      "Histogram.observe(labels, v)",
      "no slower",
      "ns/op",
      () => oursUnbound(OPS / 4),
      () => theirsLabelled(OPS / 4),
    ),
  );
}

{
  const ours = monitor.counter({
    name: "bench_requests_total",
    help: "c",
    labelNames: ["route", "method"],
  });
  const theirs = new client.Counter({
    name: "bench_requests_total",
    help: "c",
    labelNames: ["route", "method"],
    registers: [registry],
  });
  const handles = COMBOS.map((labels) => ours.bind(labels));
  const oursBound = loop((i) => handles[i % 10]?.inc());
  const theirsLabelled = loop((i) =>
    theirs.inc(COMBOS[i % 10] as { route: string; method: string }),
  );
  const oursUnbound = loop((i) => ours.inc(COMBOS[i % 10] as { route: string; method: string }));
  rows.push(
    await compare(
      "counter inc, bound handle (2 labels, 10 combos)",
      "Counter.inc(labels)",
      ">= 10x faster",
      "ns/op",
      () => oursBound(OPS),
      () => theirsLabelled(OPS / 4),
    ),
  );
  rows.push(
    await compare(
      "counter inc, unbound labels",
      "Counter.inc(labels)",
      "no slower",
      "ns/op",
      () => oursUnbound(OPS / 4),
      () => theirsLabelled(OPS / 4),
    ),
  );
}

{
  // A scrape of 100 metrics x 10 series (histograms and counters mixed as in a real service).
  const scrapeMonitor = new PerformanceMonitor();
  const scrapeRegistry = new client.Registry();
  for (let m = 0; m < 100; m++) {
    const isHistogram = m % 2 === 0;
    const name = isHistogram ? `scrape_metric_${m}_seconds` : `scrape_metric_${m}_total`;
    if (isHistogram) {
      const ours = scrapeMonitor.histogram({
        name,
        help: "h",
        labelNames: ["route", "method"],
        buckets: [0.01, 0.05, 0.1, 0.5, 1],
      });
      const theirs = new client.Histogram({
        name,
        help: "h",
        labelNames: ["route", "method"],
        buckets: [0.01, 0.05, 0.1, 0.5, 1],
        registers: [scrapeRegistry],
      });
      for (const labels of COMBOS) {
        ours.observe(labels, 0.07);
        theirs.observe(labels, 0.07);
      }
    } else {
      const ours = scrapeMonitor.counter({ name, help: "c", labelNames: ["route", "method"] });
      const theirs = new client.Counter({
        name,
        help: "c",
        labelNames: ["route", "method"],
        registers: [scrapeRegistry],
      });
      for (const labels of COMBOS) {
        ours.inc(labels, 3);
        theirs.inc(labels, 3);
      }
    }
  }
  const time = async (fn: () => Promise<string>): Promise<number> => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 20 / 1e6;
  };
  rows.push(
    await compare(
      "scrape, 100 metrics x 10 series",
      "registry.metrics()",
      "<= 0.5x time",
      "ms",
      () => time(() => scrapeMonitor.metrics()),
      () => time(() => scrapeRegistry.metrics()),
    ),
  );
  await scrapeMonitor.close();
}

{
  let sink = 0;
  const work = (): number => (sink += 1);
  const timed = loop(() => monitor.time("bench_timed_seconds", work));
  const bare = loop(() => work());
  rows.push(
    await compare(
      "time(fn) overhead, sync fn",
      "bare call",
      "report",
      "ns/op",
      () => timed(OPS / 4),
      () => bare(OPS / 4),
    ),
  );
  if (sink < 0) console.log(sink);
}

console.log(
  `\n@perflayer/monitor vs prom-client 15.1.3 — node ${process.version}, median of ${ROUNDS} interleaved rounds\n`,
);
console.log("| benchmark | perflayer | anchor | anchor | speed-up | goal |");
console.log("|---|---:|---|---:|---:|---|");
for (const row of rows) {
  const ratio = row.anchor / row.ours;
  console.log(
    `| ${row.name} | ${row.ours.toFixed(row.unit === "ms" ? 2 : 1)} ${row.unit} | ${row.anchorName} | ${row.anchor.toFixed(row.unit === "ms" ? 2 : 1)} ${row.unit} | ${ratio.toFixed(2)}x (time ratio ${(1 / ratio).toFixed(2)}) | ${row.goal} |`,
  );
}
await monitor.close();
