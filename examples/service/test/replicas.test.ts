import { afterAll, beforeAll, expect, it } from "vitest";
import {
  INSTALL_REDIS_SERVER,
  redisServerInstalled,
  startRedisServer,
} from "@perflayer-examples/shared";
import type { LocalRedis } from "@perflayer-examples/shared";
import { startReplicas } from "../src/replicas.js";
import type { Replicas } from "../src/replicas.js";

const installed = redisServerInstalled();
let redis: LocalRedis | undefined;
let fleet: Replicas | undefined;

beforeAll(async () => {
  if (!installed) return;
  redis = await startRedisServer();
  // Each replica costs about 2 CPU-seconds to start (node, tsx, the packages): 4 listen in ~1 s on
  // an idle machine and took 87 s measured at load 58 on 2 cores (two test suites side by side), so
  // the bound is that plus a wide margin: it catches a replica that never listens, not a slow box.
  fleet = await startReplicas({ replicas: 4, redisUrl: redis.url, startTimeoutMs: 600_000 });
}, 660_000);
afterAll(async () => {
  await fleet?.close();
  await redis?.stop();
});

/** The fleet's backend queries for `resource`, summed over every replica's /metrics. */
async function fleetQueries(urls: readonly string[], resource: string): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = new RegExp(
      `^catalogue_backend_queries_total\\{resource="${resource}"\\} (\\d+)$`,
      "m",
    );
    total += Number(line.exec(text)?.[1] ?? 0);
  }
  return total;
}

it("--replicas 4 over one Redis: 4 × 50 concurrent requests of a cold user make one backend query", async (context) => {
  if (!installed) {
    const message = `redis-server is not installed, so this test did not run: install it with \`${INSTALL_REDIS_SERVER}\``;
    if (process.env["CI"] !== undefined) throw new Error(`${message} (.ci/run installs it).`);
    context.skip(message);
  }
  const urls = fleet?.urls ?? [];
  expect(urls).toHaveLength(4);
  const bodies = await Promise.all(
    urls.flatMap((url) =>
      Array.from({ length: 50 }, async () => (await fetch(`${url}/users/321`)).json()),
    ),
  );
  expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
  expect(await fleetQueries(urls, "user")).toBe(1);
}, 300_000);
