// Benchmarks @perflayer/memory: pools vs allocation + GC, sampling cost, and the reference footprint
// workload with and without pools + a budgeted cache (each in a fresh child process).
// Run: pnpm --filter @perflayer/memory bench   (builds first; measures the built packages)
import { fork } from "node:child_process";
import { PerformanceObserver } from "node:perf_hooks";
import { CacheManager } from "@perflayer/cache";
import { BufferPool, MemoryOptimizer, ObjectPool } from "@perflayer/memory";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const OPS = Number(process.env["BENCH_OPS"] ?? 1_000_000);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

/** Runs `body` `ops` times; returns ns/op and the GCs observed during the run. */
async function measure(
  ops: number,
  body: (i: number) => void,
): Promise<{ ns: number; gcs: number }> {
  let gcs = 0;
  const observer = new PerformanceObserver((list) => void (gcs += list.getEntries().length));
  observer.observe({ entryTypes: ["gc"] });
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) body(i);
  const ns = Number(process.hrtime.bigint() - start) / ops;
  await new Promise((resolve) => setTimeout(resolve, 20)); // let GC entries arrive
  observer.disconnect();
  return { ns, gcs };
}

async function compare(
  name: string,
  ours: () => Promise<{ ns: number; gcs: number }>,
  theirs: () => Promise<{ ns: number; gcs: number }>,
) {
  await ours();
  await theirs();
  const a: { ns: number; gcs: number }[] = [];
  const b: { ns: number; gcs: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      a.push(await ours());
      b.push(await theirs());
    } else {
      b.push(await theirs());
      a.push(await ours());
    }
  }
  return {
    name,
    ours: median(a.map((x) => x.ns)),
    oursGc: median(a.map((x) => x.gcs)),
    theirs: median(b.map((x) => x.ns)),
    theirsGc: median(b.map((x) => x.gcs)),
  };
}

async function workload(mode: "with" | "without"): Promise<void> {
  const REQUESTS = 300_000;
  const USERS = 60_000;
  let peakHeap = 0;
  let peakRss = 0;
  let peakLive = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  const sample = (i: number): void => {
    let usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed + usage.external);
    peakRss = Math.max(peakRss, usage.rss);
    if (i % 20_000 === 0 && gc !== undefined) {
      gc(); // the live set: what the process really retains
      usage = process.memoryUsage();
      peakLive = Math.max(peakLive, usage.heapUsed + usage.external);
    }
  };
  const loadUser = (id: number) => ({
    id,
    name: `user-${id}`,
    email: `user-${id}@example.com`,
    roles: ["reader", "writer"],
    bio: "b".repeat(400),
  });
  let checksum = 0;
  if (mode === "without") {
    const users = new Map<number, ReturnType<typeof loadUser>>(); // the hand-rolled, unbounded cache
    for (let i = 0; i < REQUESTS; i++) {
      const id = (i * 7919) % USERS;
      let user = users.get(id);
      if (user === undefined) users.set(id, (user = loadUser(id)));
      const body = Buffer.alloc(4_096); // a fresh response buffer per request
      checksum += body.write(JSON.stringify(user));
      if (i % 1_000 === 0) sample(i);
    }
  } else {
    const caches = new CacheManager({ sweepIntervalMs: 0 });
    const users = caches.cache<number, ReturnType<typeof loadUser>>("users", { max: 20_000 });
    const buffers = new BufferPool({ name: "responses", sizeClasses: [4_096], zeroFill: true });
    const memory = new MemoryOptimizer({
      budget: 64 * 2 ** 20,
      observeGc: false,
      leakDetection: false,
      cooldownMs: 1_000,
    });
    memory.register(users, { priority: "low" });
    memory.register(buffers, { priority: "low" });
    for (let i = 0; i < REQUESTS; i++) {
      const id = (i * 7919) % USERS;
      let user = users.get(id);
      if (user === undefined) users.set(id, (user = loadUser(id)));
      const body = buffers.take(4_096);
      checksum += body.write(JSON.stringify(user));
      buffers.release(body);
      if (i % 1_000 === 0) {
        sample(i);
        await memory.sample();
      }
    }
    await memory.close();
    await caches.close();
  }
  process.send?.({ peakHeap, peakRss, peakLive, checksum });
}

interface Footprint {
  readonly peakHeap: number;
  readonly peakRss: number;
  readonly peakLive: number;
}

async function footprint(mode: "with" | "without"): Promise<Footprint> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1] as string, [`--workload=${mode}`], {
      execArgv: [...process.execArgv, "--expose-gc"],
    });
    child.once("message", (message) => resolve(message as Footprint));
    child.once("error", reject);
    child.once(
      "exit",
      (code) => code !== 0 && reject(new Error(`workload ${mode} exited ${String(code)}`)),
    );
  });
}

const arg = process.argv.find((a) => a.startsWith("--workload="));
if (arg !== undefined) {
  await workload(arg.slice("--workload=".length) as "with" | "without");
} else {
  const rows = [];
  const buffers = new BufferPool({ name: "bench", sizeClasses: [4_096], zeroFill: true });
  const rawBuffers = new BufferPool({ name: "bench-raw", sizeClasses: [4_096], zeroFill: false });
  let sink = 0;
  rows.push(
    await compare(
      "4 KiB buffer: BufferPool take+release (zeroed) vs Buffer.alloc",
      () =>
        measure(OPS, () => {
          const b = buffers.take(4_096);
          sink += b[0] as number;
          buffers.release(b);
        }),
      () =>
        measure(OPS, () => {
          const b = Buffer.alloc(4_096);
          sink += b[0] as number;
        }),
    ),
  );
  rows.push(
    await compare(
      "4 KiB buffer: BufferPool (zeroFill off) vs Buffer.allocUnsafe",
      () =>
        measure(OPS, () => {
          const b = rawBuffers.take(4_096);
          sink += b[0] as number;
          rawBuffers.release(b);
        }),
      () =>
        measure(OPS, () => {
          const b = Buffer.allocUnsafe(4_096);
          sink += b.length;
        }),
    ),
  );
  const objects = new ObjectPool({
    name: "points",
    create: () => ({ x: 0, y: 0, z: 0, label: "" }),
    reset: (p) => {
      p.x = 0;
      p.y = 0;
      p.z = 0;
      p.label = "";
    },
    max: 16,
    idleTimeoutMs: 0,
  });
  rows.push(
    await compare(
      "small object: ObjectPool take+release vs new literal",
      () =>
        measure(OPS, (i) => {
          const p = objects.take();
          p.x = i;
          sink += p.x;
          objects.release(p);
        }),
      () =>
        measure(OPS, (i) => {
          const p = { x: i, y: 0, z: 0, label: "" };
          sink += p.x;
        }),
    ),
  );
  const memory = new MemoryOptimizer({
    budget: { fraction: 0.5 },
    observeGc: false,
    leakDetection: false,
  });
  const samples = await measure(20_000, () => void memory.sample());
  await memory.close();

  console.log(
    `\n@perflayer/memory — node ${process.version}, ${OPS.toLocaleString()} ops, median of ${ROUNDS} interleaved rounds\n`,
  );
  console.log("| benchmark | perflayer ns/op | GCs | allocation ns/op | GCs | speed-up |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const row of rows)
    console.log(
      `| ${row.name} | ${row.ours.toFixed(1)} | ${row.oursGc} | ${row.theirs.toFixed(1)} | ${row.theirsGc} | ${(row.theirs / row.ours).toFixed(2)}x |`,
    );
  console.log(
    `\nMemoryOptimizer.sample() (process.memoryUsage + PSI read + level): ${(samples.ns / 1000).toFixed(1)} µs per sample`,
  );

  const without: Footprint[] = [];
  const withPerf: Footprint[] = [];
  for (let r = 0; r < 3; r++) {
    without.push(await footprint("without"));
    withPerf.push(await footprint("with"));
  }
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  const heapA = median(without.map((x) => x.peakHeap));
  const heapB = median(withPerf.map((x) => x.peakHeap));
  const rssA = median(without.map((x) => x.peakRss));
  const rssB = median(withPerf.map((x) => x.peakRss));
  const liveA = median(without.map((x) => x.peakLive));
  const liveB = median(withPerf.map((x) => x.peakLive));
  console.log(
    "\nReference footprint workload: 300k requests over 60k users (~0.6 KB each), a 4 KiB response buffer per request; median of 3 fresh processes\n",
  );
  const cut = (a: number, b: number): string => `${((1 - b / a) * 100).toFixed(1)} %`;
  console.log(
    "| variant | peak live set MiB (after GC) | peak heap+external MiB (with garbage) | peak RSS MiB |",
  );
  console.log("|---|---:|---:|---:|");
  console.log(
    `| hand-rolled: unbounded Map + Buffer.alloc per request | ${mb(liveA)} | ${mb(heapA)} | ${mb(rssA)} |`,
  );
  console.log(
    `| perflayer: cache max 20k + BufferPool + MemoryOptimizer (64 MiB budget) | ${mb(liveB)} | ${mb(heapB)} | ${mb(rssB)} |`,
  );
  console.log(`| reduction | ${cut(liveA, liveB)} | ${cut(heapA, heapB)} | ${cut(rssA, rssB)} |`);
  if (sink === -1) console.log(sink);
}
