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

/** A counter's value summed over every replica's /metrics (`name{labels} value`, labels as printed). */
async function fleetSum(urls: readonly string[], name: string, labels: string): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split("\n"))
      if (line.startsWith(`${name}{`) && line.includes(labels))
        total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

/** The fleet's backend queries for `resource`, summed over every replica's /metrics. */
function fleetQueries(urls: readonly string[], resource: string): Promise<number> {
  return fleetSum(urls, "catalogue_backend_queries_total", `resource="${resource}"`);
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
  // The tier's own counters say who filled the key: one process for the fleet ("loaded"), or a
  // process on its own because Redis did not answer within its command timeout (250 ms: on a
  // machine running two test suites beside 4 replicas a command can take longer, and then the
  // service must answer without Redis — "local", with the error counted). Every backend query is
  // one of those; when Redis answered every call, there is exactly one.
  const fills = (outcome: string): Promise<number> =>
    fleetSum(urls, "perflayer_cache_l2_fills_total", `cache="users",outcome="${outcome}"`);
  const [queries, loaded, local, errors] = await Promise.all([
    fleetQueries(urls, "user"),
    fills("loaded"),
    fills("local"),
    // Any cache's failed call counts: the circuit breaker is shared by the tier's caches.
    fleetSum(urls, "perflayer_cache_l2_errors_total", "cache="),
  ]);
  expect({ queries, accounted: loaded + local }).toEqual({ queries, accounted: queries });
  expect(loaded).toBeGreaterThanOrEqual(1);
  if (errors === 0) expect({ queries, loaded, local }).toEqual({ queries: 1, loaded: 1, local: 0 });
  else expect(errors).toBeGreaterThanOrEqual(1);
}, 300_000);
