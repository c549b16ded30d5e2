// @perflayer/memory as a bench-gate suite: pools vs allocation (GCs per sample alongside), sampling
// cost, and the reference footprint workload with and without perflayer, each sample a fresh process.
// Run: pnpm --filter @perflayer/memory bench    (gated in quick mode by `pnpm check`)
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { countedAndTimed, defineSuite } from "@perflayer/bench-gate";
import type { Measure } from "@perflayer/bench-gate";
import { CacheManager } from "@perflayer/cache";
import { BufferPool, MemoryOptimizer, ObjectPool } from "@perflayer/memory";

/** Peak figures of one run of the footprint workload, in bytes. */
interface Footprint {
  readonly peakHeap: number;
  readonly peakRss: number;
  readonly peakLive: number;
}

/**
 * The reference workload: 300k requests over 60k users (~0.6 KB each), a 4 KiB response buffer per
 * request; "without" is a hand-rolled unbounded Map + Buffer.alloc, "with" a bounded cache, a
 * BufferPool and a MemoryOptimizer. Runs in its own process (see {@link footprint}).
 */
async function workload(mode: "with" | "without"): Promise<Footprint> {
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
    const users = new Map<number, ReturnType<typeof loadUser>>();
    for (let i = 0; i < REQUESTS; i++) {
      const id = (i * 7919) % USERS;
      let user = users.get(id);
      if (user === undefined) users.set(id, (user = loadUser(id)));
      const body = Buffer.alloc(4_096);
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
  return { peakHeap, peakRss: peakRss + (checksum < 0 ? 1 : 0), peakLive };
}

/** One run of the workload in a fresh process: peak live set in MiB, peak RSS alongside. */
function footprint(mode: "with" | "without"): Measure {
  return () =>
    new Promise((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), [`--workload=${mode}`], {
        execArgv: [...process.execArgv, "--expose-gc"],
      });
      child.once("message", (message) => {
        const f = message as Footprint;
        resolve({ value: f.peakLive / 2 ** 20, peakMb: f.peakRss / 2 ** 20 });
      });
      child.once("error", reject);
      child.once("exit", (code) => {
        if (code !== 0) reject(new Error(`the ${mode} workload exited with ${String(code)}`));
      });
    });
}

const workloadArg = process.argv.find((a) => a.startsWith("--workload="));
if (workloadArg !== undefined) {
  const result = await workload(workloadArg.slice("--workload=".length) as "with" | "without");
  process.send?.(result, () => process.disconnect());
}

let sink = 0;

export const suite = defineSuite({
  name: "@perflayer/memory",
  benchmarks: [
    ...countedAndTimed({
      name: "4 KiB buffer: BufferPool take+release (zeroed)",
      anchor: "Buffer.alloc(4096)",
      target: { minSpeedup: 3 },
      setup: ({ loop }) => {
        const pool = new BufferPool({ name: "bench", sizeClasses: [4_096], zeroFill: true });
        return {
          ours: loop(() => {
            const b = pool.take(4_096);
            sink += b[0] as number;
            pool.release(b);
          }),
          anchor: loop(() => {
            const b = Buffer.alloc(4_096);
            sink += b[0] as number;
          }),
        };
      },
    }),
    ...countedAndTimed({
      name: "4 KiB buffer: BufferPool take+release (zeroFill off)",
      anchor: "Buffer.allocUnsafe(4096)",
      setup: ({ loop }) => {
        const pool = new BufferPool({ name: "bench-raw", sizeClasses: [4_096], zeroFill: false });
        return {
          ours: loop(() => {
            const b = pool.take(4_096);
            sink += b.length;
            pool.release(b);
          }),
          anchor: loop(() => {
            const b = Buffer.allocUnsafe(4_096);
            sink += b.length;
          }),
        };
      },
    }),
    ...countedAndTimed({
      name: "small object: ObjectPool take+release (pooling loses here; see README)",
      anchor: "object literal",
      setup: ({ loop }) => {
        const pool = new ObjectPool({
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
        return {
          ours: loop((i) => {
            const p = pool.take();
            p.x = i;
            sink += p.x;
            pool.release(p);
          }),
          anchor: loop((i) => {
            const p = { x: i, y: 0, z: 0, label: "" };
            sink += p.x;
          }),
        };
      },
    }),
    {
      name: "MemoryOptimizer.sample() (memoryUsage + PSI + level)",
      unit: "µs",
      // Reads /proc files: time it in full runs; a busy machine cannot gate it (see bench-gate's rule).
      quick: false,
      setup: () => {
        const memory = new MemoryOptimizer({
          budget: { fraction: 0.5 },
          observeGc: false,
          leakDetection: false,
        });
        return {
          ours: async () => {
            const start = performance.now();
            for (let i = 0; i < 200; i++) await memory.sample();
            return ((performance.now() - start) * 1000) / 200;
          },
          teardown: async () => {
            await memory.close();
            if (sink === -1) console.log(sink); // keeps the pooled buffers' reads observable
          },
        };
      },
    },
    {
      name: "footprint: peak live set, 300k requests over 60k users (peak RSS alongside)",
      unit: "MiB",
      anchor: "unbounded Map + Buffer.alloc per request",
      target: { maxRatio: 0.85 },
      quick: false,
      minSamples: 3,
      maxSamples: 5,
      forks: 1,
      setup: () => ({ ours: footprint("with"), anchor: footprint("without") }),
    },
  ],
});
