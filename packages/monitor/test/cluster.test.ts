import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { MetricsAggregator, listen } from "@perflayer/monitor";
import { promtoolCheck } from "./promtool.ts";

const WORKER = fileURLToPath(new URL("./__fixtures__/cluster/worker.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/**
 * Resolves with the next message of `type` from `worker`, or rejects after a bound that only a
 * hung worker misses: a worker costs about 2 CPU-seconds to start (node, tsx, the packages from
 * source); four took 87 s at a load average of 58 on this 2-core box, 26 s at 77 another time.
 */
function next(worker: Worker, type: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${type} from worker ${worker.id} within 300 s`)),
      300_000,
    );
    const onMessage = (message: { type?: string }): void => {
      if (message.type !== type) return;
      clearTimeout(timer);
      worker.off("message", onMessage);
      resolve();
    };
    worker.on("message", onMessage);
  });
}

function exited(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) resolve();
    else worker.once("exit", () => resolve());
  });
}

function sample(text: string, prefix: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${prefix} `));
  return line === undefined ? undefined : Number(line.slice(prefix.length + 1));
}

const workers: Worker[] = [];
afterAll(async () => {
  for (const worker of workers) if (!worker.isDead()) worker.process.kill("SIGKILL");
  await Promise.all(workers.map(exited));
});

describe("aggregation across a real node:cluster", () => {
  it(
    "P0 «one /metrics for the process group»: with one of 4 workers blocked and one killed, a scrape of the primary answers with the others' current values and both marked stale",
    // Four processes that load TypeScript through tsx: see next()'s bound.
    { tags: ["p0"], timeout: 600_000 },
    async () => {
      const clock = new ManualClock(); // the primary's notion of report age; workers run in real time
      const aggregator = new MetricsAggregator({ clock, staleAfterMs: 5_000 });
      aggregator.attachCluster(cluster);
      cluster.setupPrimary({
        exec: WORKER,
        execArgv: ["--import", TSX, "--conditions=@perflayer/source"],
      });
      for (let i = 0; i < 4; i++) {
        const worker = cluster.fork();
        workers.push(worker);
      }
      await Promise.all(workers.map((w) => next(w, "ready")));
      const [a, b, blocked, killed] = workers as [Worker, Worker, Worker, Worker];
      const work = (worker: Worker, n: number): Promise<void> => {
        const done = next(worker, "done");
        worker.send({ type: "work", n });
        return done;
      };
      await Promise.all(workers.map((w, i) => work(w, i + 1))); // jobs 1 + 2 + 3 + 4

      const blocking = next(blocked, "blocking");
      blocked.send({ type: "block", ms: 60_000 }); // killed at the end of the test
      await blocking;
      const reportsWhenBlocked = aggregator
        .workers()
        .find((w) => w.worker === String(blocked.id))?.reports;
      killed.process.kill("SIGKILL");
      await exited(killed);

      clock.advance(5_001); // past staleAfterMs for every report received so far
      await Promise.all([work(a, 10), work(b, 10)]); // fresh reports from the healthy two

      const server = await listen(aggregator.monitor, { port: 0 });
      try {
        const response = await fetch(server.url);
        const text = await response.text();
        expect(response.status).toBe(200);
        const up = (w: Worker) => sample(text, `perflayer_monitor_worker_up{worker="${w.id}"}`);
        expect([up(a), up(b), up(blocked), up(killed)]).toEqual([1, 1, 0, 0]);
        // Counters and histograms: every worker's last values, the stale and the dead included.
        expect(sample(text, 'jobs_total{kind="a"}')).toBe(1 + 2 + 3 + 4 + 10 + 10);
        expect(sample(text, "job_duration_seconds_count")).toBe(6);
        expect(sample(text, 'job_duration_seconds_bucket{le="0.01"}')).toBe(1);
        // Gauges: the workers that are up.
        expect(sample(text, "jobs_inflight")).toBe(20);
        expect(
          sample(text, `perflayer_monitor_worker_report_age_seconds{worker="${blocked.id}"}`),
        ).toBeGreaterThan(5);
        // The scrape did not wait for the blocked worker: it has not reported since it blocked.
        const blockedNow = aggregator.workers().find((w) => w.worker === String(blocked.id));
        expect(blockedNow?.reports).toBe(reportsWhenBlocked);
        expect(blocked.isDead()).toBe(false);
        const lint = promtoolCheck(text);
        if (lint !== undefined) expect(lint).toEqual({ output: "", status: 0 });
      } finally {
        await server.close();
        await aggregator.close();
      }
    },
  );
});
