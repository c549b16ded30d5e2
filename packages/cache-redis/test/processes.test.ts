import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FleetProcesses } from "../bench/fleet-processes.ts";
import { RedisServer, redisInstalled, requireRedis } from "./redis-server.ts";
import { freshNamespace } from "./fleet.ts";

let server: RedisServer;
beforeAll(async () => {
  if (redisInstalled) server = await RedisServer.start();
});
afterAll(async () => {
  await server?.stop();
});

describe("real processes over one Redis", () => {
  it(
    "4 processes × 250 concurrent cold reads of one key make exactly 1 loader call",
    { timeout: 360_000 },
    async (context) => {
      requireRedis(context);
      const fleet = await FleetProcesses.start(4, {
        url: server.url,
        namespace: freshNamespace(),
        kind: "perflayer",
      });
      try {
        for (const key of ["a", "b", "c"]) {
          const replies = await fleet.all({ cmd: "stampede", key, callers: 250, loaderMs: 20 });
          const calls = replies.reduce(
            (n, r) => n + (r.reply === "stampede" ? r.loaderCalls : 0),
            0,
          );
          const failed = replies.reduce((n, r) => n + (r.reply === "stampede" ? r.failed : 0), 0);
          expect({ key, calls, failed }).toEqual({ key, calls: 1, failed: 0 });
        }
      } finally {
        await fleet.close();
      }
    },
  );

  it(
    "an invalidateTag in one process reaches the memory of every other process",
    { timeout: 360_000 },
    async (context) => {
      requireRedis(context);
      const fleet = await FleetProcesses.start(3, {
        url: server.url,
        namespace: freshNamespace(),
        kind: "perflayer",
      });
      try {
        await fleet.all({ cmd: "hold", key: "k", tag: "t" });
        const received = new Set<number>();
        const stop = fleet.onEvent((worker) => received.add(worker));
        await fleet.ask(0, { cmd: "invalidate", tag: "t" });
        for (let i = 0; i < 2_000 && received.size < 2; i++)
          await new Promise((resolve) => setTimeout(resolve, 10));
        stop();
        expect([...received].sort()).toEqual([1, 2]);
      } finally {
        await fleet.close();
      }
    },
  );
});
