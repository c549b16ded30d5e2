// Benchmarks @perflayer/response side by side with p-queue 9.3.5 in one run and reports ratios.
// Run: pnpm --filter @perflayer/response bench   (builds first; measures the built package)
import PQueue from "p-queue";
import { ManualClock } from "@perflayer/core";
import { ResponseOptimizer } from "@perflayer/response";

const TASKS = Number(process.env["BENCH_TASKS"] ?? 200_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

const priorities = Array.from({ length: TASKS }, (_, i) => (i * 7_919) % 10); // fixed pseudo-random 0–9
const noop = (): Promise<void> => Promise.resolve();

async function ours(concurrency: number, withPriority: boolean): Promise<number> {
  const optimizer = new ResponseOptimizer({ concurrency });
  const start = performance.now();
  const all: Promise<void>[] = new Array<Promise<void>>(TASKS);
  for (let i = 0; i < TASKS; i++)
    all[i] = optimizer.run(noop, withPriority ? { priority: priorities[i] as number } : undefined);
  await Promise.all(all);
  return TASKS / ((performance.now() - start) / 1000);
}

async function pQueue(concurrency: number, withPriority: boolean): Promise<number> {
  const queue = new PQueue({ concurrency });
  const start = performance.now();
  const all: Promise<void>[] = new Array<Promise<void>>(TASKS);
  for (let i = 0; i < TASKS; i++)
    all[i] = queue.add(noop, withPriority ? { priority: priorities[i] as number } : undefined);
  await Promise.all(all);
  return TASKS / ((performance.now() - start) / 1000);
}

async function throughput(
  concurrency: number,
  withPriority: boolean,
): Promise<{ ours: number; theirs: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      a.push(await ours(concurrency, withPriority));
      b.push(await pQueue(concurrency, withPriority));
    } else {
      b.push(await pQueue(concurrency, withPriority));
      a.push(await ours(concurrency, withPriority));
    }
  }
  return { ours: median(a), theirs: median(b) };
}

/** ns per enqueue of the 1,000 tasks added after `depth` are already queued behind a blocker. */
async function enqueueAt(depth: number, kind: "ours" | "p-queue"): Promise<number> {
  let release!: () => void;
  const blocker = new Promise<void>((resolve) => (release = resolve));
  const add =
    kind === "ours"
      ? (
          (optimizer) => (p: number) =>
            optimizer.run(noop, { priority: p })
        )(new ResponseOptimizer({ concurrency: 1 }))
      : (
          (queue) => (p: number) =>
            queue.add(noop, { priority: p })
        )(new PQueue({ concurrency: 1 }));
  const pending: Promise<unknown>[] = [add(100).then(() => blocker)];
  for (let i = 0; i < depth; i++) pending.push(add(priorities[i % TASKS] as number));
  // Five batches of 200; the median batch, so one GC pause does not decide the figure.
  const batches: number[] = [];
  for (let batch = 0; batch < 5; batch++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i++)
      pending.push(add(priorities[((batch * 200 + i) * 31) % TASKS] as number));
    batches.push(Number(process.hrtime.bigint() - start) / 200);
  }
  const ns = median(batches);
  release();
  await Promise.all(pending);
  return ns;
}

/**
 * Overload on a simulated clock: capacity 4 × 10 ms = 400 tasks/s, offered 800 tasks/s for 10 s,
 * 20 % high priority. Returns high-priority p99 latency and the low-priority fate.
 */
async function overload(
  kind: "optimizer" | "p-queue",
): Promise<{ highP99: number; lowShed: number; lowP99: number; lowDone: number }> {
  const clock = new ManualClock();
  const work = (): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, 10));
  const optimizer = new ResponseOptimizer({
    concurrency: 4,
    clock,
    maxQueue: 200,
    codel: { targetMs: 5, intervalMs: 100 },
    shedExemptAbove: "high",
    slo: { p99Ms: 100 },
  });
  const queue = new PQueue({ concurrency: 4 });
  const high: number[] = [];
  const low: number[] = [];
  let lowShed = 0;
  let lowTotal = 0;
  const pending: Promise<void>[] = [];
  let arrivals = 0;
  const arrive = (): void => {
    const isHigh = arrivals++ % 5 === 0;
    const at = clock.now();
    if (!isHigh) lowTotal++;
    const done = (): void => void (isHigh ? high : low).push(clock.now() - at);
    const run =
      kind === "optimizer"
        ? optimizer.run(work, { priority: isHigh ? "high" : "low", timeoutMs: 1_000 })
        : queue.add(work, { priority: isHigh ? 1 : 0 });
    pending.push(
      run.then(done, () => void (isHigh ? high.push(Number.POSITIVE_INFINITY) : lowShed++)),
    );
  };
  const arrivalTimer = clock.setInterval(arrive, 1.25);
  for (let t = 0; t < 10_000; t += 1) await clock.advanceAsync(1);
  arrivalTimer.cancel();
  for (
    let t = 0;
    t < 60_000 &&
    (optimizer.running > 0 || optimizer.queued > 0 || queue.size > 0 || queue.pending > 0);
    t += 5
  )
    await clock.advanceAsync(5);
  await Promise.all(pending);
  await optimizer.close();
  const p99 = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(0.99 * (sorted.length - 1))] ?? Number.NaN;
  };
  return { highP99: p99(high), lowShed: lowShed / lowTotal, lowP99: p99(low), lowDone: low.length };
}

const rows: string[] = [];
for (const concurrency of [1, 16]) {
  const prio = await throughput(concurrency, true);
  rows.push(
    `| ${TASKS.toLocaleString()} tasks queued at once, random priority 0–9, concurrency ${concurrency} | ${Math.round(prio.ours).toLocaleString()} | ${Math.round(prio.theirs).toLocaleString()} | **${(prio.ours / prio.theirs).toFixed(1)}×** | ≥ 10× |`,
  );
}
for (const concurrency of [1, 16]) {
  const flat = await throughput(concurrency, false);
  rows.push(
    `| ${TASKS.toLocaleString()} tasks queued at once, no priority, concurrency ${concurrency} | ${Math.round(flat.ours).toLocaleString()} | ${Math.round(flat.theirs).toLocaleString()} | **${(flat.ours / flat.theirs).toFixed(1)}×** | ≥ 2.5× |`,
  );
}
console.log(
  `\n@perflayer/response vs p-queue 9.3.5 — node ${process.version}, median of ${ROUNDS} interleaved rounds\n`,
);
console.log("| benchmark | perflayer tasks/s | p-queue tasks/s | ratio | goal |");
console.log("|---|---:|---:|---:|---|");
for (const row of rows) console.log(row);

console.log(
  "\nEnqueue cost at depth (ns per enqueue, median of 5 batches of 200, random priority 0–9)\n",
);
console.log("| queued already | perflayer ns | p-queue ns |");
console.log("|---:|---:|---:|");
for (const depth of [25_000, 50_000, 100_000, 200_000]) {
  const a = await enqueueAt(depth, "ours");
  const b = await enqueueAt(depth, "p-queue");
  console.log(`| ${depth.toLocaleString()} | ${a.toFixed(0)} | ${b.toFixed(0)} |`);
}

console.log(
  "\nOverload, simulated: capacity 400 tasks/s (4 × 10 ms), offered 800/s for 10 s, 20 % high priority, SLO p99 100 ms\n",
);
console.log(
  "| scheduler | high-priority p99 ms | low-priority shed | low-priority p99 ms (served) |",
);
console.log("|---|---:|---:|---:|");
for (const kind of ["optimizer", "p-queue"] as const) {
  const r = await overload(kind);
  console.log(
    `| ${kind === "optimizer" ? "ResponseOptimizer (priorities, maxQueue 200, CoDel 5/100 ms)" : "p-queue (priorities, no shedding)"} | ${r.highP99.toFixed(1)} | ${(r.lowShed * 100).toFixed(1)} % | ${r.lowP99.toFixed(0)} |`,
  );
}
